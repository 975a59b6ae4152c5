"""Numbers as APA 7 prints them, in English or Dutch; every number a report shows passes through here.

* a true minus sign (U+2212), which a line never breaks after, and never "−0.00": a value that
  rounds to zero is printed without sign;
* p to three decimals without leading zero, "< .001" below .001 and "> .999" where it rounds to 1
  (APA 7, 6.36): every p a report or the CLI prints passes through ``p_value``;
* M, SD, d to two decimals, percentages to one;
* a confidence interval "[0.12, 0.45]" joined by a no-break space, so it stays on one line;
* Dutch: decimal comma and "[0,12; 0,45]" (the list separator becomes a semicolon, as in Dutch journals).
"""

from __future__ import annotations

import math

MINUS = "\u2212"
NO_BREAK_SPACE = "\u00a0"
DASH = "—"
LANGUAGES = ("nl", "en")


def _decimal(text: str, language: str) -> str:
    return text.replace(".", ",") if language == "nl" else text


def number(value: float | None, digits: int = 2, language: str = "en") -> str:
    """Fixed decimals, true minus, no negative zero; ``None``/NaN/∞ print as an em dash."""
    if value is None or not math.isfinite(value):
        return DASH
    text = f"{abs(value):.{digits}f}"
    negative = value < 0 and float(text) != 0.0
    return (MINUS if negative else "") + _decimal(text, language)


def shortest(value: float | None) -> str:
    """As few digits as the value needs ("0.5", "10", "12.25": Python's ``g``), for axis ticks and data
    read from a file; true minus, no negative zero; ``None``/NaN/∞ print as an em dash."""
    if value is None or not math.isfinite(value):
        return DASH
    text = f"{abs(value):g}"
    return (MINUS if value < 0 and float(text) != 0.0 else "") + text


def integer(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return DASH
    rounded = int(round(value))
    return (MINUS if rounded < 0 else "") + str(abs(rounded))


def p_value(value: float | None, language: str = "en") -> str:
    """".045", "< .001" or "> .999" (three decimals, no leading zero: p cannot exceed 1, and a p that
    rounds to 1.000 is not exactly 1)."""
    if value is None or not math.isfinite(value):
        return DASH
    if value < 0.001:
        return "<" + NO_BREAK_SPACE + _decimal(".001", language)
    text = f"{value:.3f}"
    if text == "1.000":
        return ">" + NO_BREAK_SPACE + _decimal(".999", language)
    if text.startswith("0"):
        text = text[1:]
    return _decimal(text, language)


def percent(value: float | None, language: str = "en") -> str:
    return number(value, 1, language)


def interval(low: float | None, high: float | None, digits: int = 2, language: str = "en") -> str:
    """"[low, high]" on one line (no-break space after the separator)."""
    if low is None or high is None:
        return DASH
    separator = ";" if language == "nl" else ","
    return f"[{number(low, digits, language)}{separator}{NO_BREAK_SPACE}{number(high, digits, language)}]"


def estimate_interval(value: float | None, low: float | None, high: float | None, digits: int = 2,
                      language: str = "en") -> str:
    """"0.45 [0.12, 0.45]"; the space before the bracket does not break either."""
    if value is None:
        return DASH
    return f"{number(value, digits, language)}{NO_BREAK_SPACE}{interval(low, high, digits, language)}"


def mean_sd(mean: float | None, sd: float | None, digits: int = 2, language: str = "en") -> str:
    if mean is None:
        return DASH
    return f"{number(mean, digits, language)}{NO_BREAK_SPACE}({number(sd, digits, language)})"


def count_percent(count: float | None, percentage: float | None, language: str = "en",
                  denominator: float | None = None) -> str:
    """"44 (75.9)", or "44/58 (75.9)" when the denominator differs from the column's n."""
    if count is None:
        return DASH
    head = integer(count) if denominator is None else f"{integer(count)}/{integer(denominator)}"
    return f"{head}{NO_BREAK_SPACE}({percent(percentage, language)})"


def p_statement(value: float | None, language: str = "en") -> str:
    """"p = .045", "p < .001" or "p > .999" (never "p = < .001")."""
    text = p_value(value, language)
    return f"p{NO_BREAK_SPACE}{text}" if text[:1] in "<>" else f"p = {text}"
