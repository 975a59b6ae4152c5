"""The agreement report as terminal tables that stay readable at 80 columns.

Why not one wide table: at 80 columns Rich shrinks the code column below the width of a word and folds
code paths mid-word ("Behandelf│ocus"). Here a code is shown by its own name, indented under its family
(a family that is no row of its own is a dim heading row), so the column needs only its longest word;
numbers never wrap, headers are short or wrap between words, and one legend line names the
abbreviations. Values and reliability colours are those of :mod:`thematica.agreement.render`.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from thematica.agreement import render
from thematica.agreement.results import AgreementReport, Cell, UnitizingDomainAgreement
from thematica.maths.thresholds import RELIABLE, TENTATIVE, minimum_label
from thematica.vocabulary import AgreementMethod

UNDEFINED = "—"
INDENT = "  "
WIDEST_NAME_COLUMN = 26  # a longer word folds (a name of one 27-letter word is rare in Dutch code names)


def short_headers(report: AgreementReport) -> dict[str, tuple[str, str]]:
    """Column key -> (header, legend entry or ''); the legend names the coders where a column is theirs."""
    a, b = (list(report.coders) + ["a", "b"])[:2]
    return {
        "code": ("code", ""),
        "percent_agreement": ("% agr", "% agr = percent of units agreed on (both or neither coded)"),
        "kappa": ("κ", "κ = Cohen's kappa"),
        "alpha": ("α", "|uα = Krippendorff's alpha per code" if report.method is AgreementMethod.UNITIZING
                  else "α = Krippendorff's alpha"),
        "ac1": ("AC1", "AC1 = Gwet's AC1"),
        "fleiss_kappa": ("Fleiss κ", "Fleiss κ = Fleiss' kappa"),
        "both": ("both", ""),
        "a_only": ("a", f"a, b = units only {a}, only {b} coded"),
        "b_only": ("b", ""),
        "neither": ("none", "none = units neither coded"),
        "observed_disagreement": ("Do", "Do, De = observed and expected disagreement"),
        "expected_disagreement": ("De", ""),
        "units": ("units", ""),
        "a_agree": ("a agr", f"a agr of a n = {a}'s segments matched by {b}"),
        "a_total": ("a n", ""),
        "b_agree": ("b agr", f"b agr of b n = {b}'s segments matched by {a}"),
        "b_total": ("b n", ""),
    }


def _cell(value: Cell, column: str = "") -> str:
    """A cell as the terminal shows it; the agreement proportion as a percentage (as the reports and
    the meeting's table give it: 99.3, not 0.993 under a "%" header)."""
    if value is None:
        return UNDEFINED
    if column == "percent_agreement" and isinstance(value, float):
        return f"{100 * value:.1f}"
    return render.format_cell(value)


def code_rows(paths: list[str]) -> list[tuple[str, bool]]:
    """(label, is_heading) per line: own names indented by depth, a heading for each family that has no row.

    >>> code_rows(["A/x y", "A/z", "B"])
    [('A', True), ('  x y', False), ('  z', False), ('B', False)]
    """
    rows: list[tuple[str, bool]] = []
    shown: set[str] = set(paths)
    seen: set[str] = set()
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth])
            if prefix not in seen and prefix not in shown:
                rows.append((INDENT * (depth - 1) + parts[depth - 1], True))
            seen.add(prefix)
        rows.append((INDENT * (len(parts) - 1) + parts[-1], False))
        seen.add(path)
    return rows


def _name_width(labels: list[str]) -> int:
    """The name column's width: its longest word (with its indent), so no word is broken."""
    widest = 4
    for label in labels:
        indent = len(label) - len(label.lstrip(" "))
        widest = max(widest, *(indent + len(word) for word in label.split()))
    return min(widest, WIDEST_NAME_COLUMN)


def _table(title: str) -> Table:
    return Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)


def _name_cell(label: str, style: str = "") -> Padding:
    """A name indented by its depth; a wrapped line keeps the indent."""
    indent = len(label) - len(label.lstrip(" "))
    return Padding(Text(label.lstrip(" "), style=style), (0, 0, 0, indent))


def codes_table(report: AgreementReport) -> Table:
    columns = render.report_columns(report)
    headers = short_headers(report)
    ordered = sorted(report.codes, key=lambda row: row.code)
    labels = code_rows([row.code for row in ordered])
    table = _table(render.report_heading(report))
    table.add_column("code", min_width=_name_width([label for label, _ in labels] + ["overall (pooled)"]))
    for column in columns[1:]:
        table.add_column(headers.get(column, (column.replace("_", " "), ""))[0], justify="right", no_wrap=True)
    rows = iter(ordered)
    for label, heading in labels:
        if heading:
            table.add_row(_name_cell(label, "dim"), *[""] * (len(columns) - 1))
            continue
        row = next(rows)
        cells: list[RenderableType] = [_name_cell(label)]
        for column in columns[1:]:
            value = row.value(column)
            band = render.reliability_band(column, value)
            cells.append(Text(_cell(value, column), style="" if band is None else render.STYLES[band]))
        table.add_row(*cells)
    table.add_section()
    table.add_row(*[Text("overall (pooled)" if c == "code" else _cell(report.overall.value(c), c), style="bold")
                    for c in columns])
    return table


def domains_table(report: AgreementReport) -> Table:
    title, _, rows = render.domain_table(report)
    table = _table(title)
    if any(isinstance(d, UnitizingDomainAgreement) for d in report.domains) \
            and report.method is AgreementMethod.UNITIZING:
        headers = ["domain", "uα", "|uα", "cuα", "|cuα per category (coverage)", "viol."]
        wrapping = {0, 4}
    else:
        low, high = minimum_label(TENTATIVE), minimum_label(RELIABLE)
        headers = ["domain", "α", "95% CI", f"P<{low[1:]}", f"P<{high[1:]}", "units paired", "one coder", "viol."]
        wrapping = {0}
    for index, header in enumerate(headers):
        if index in wrapping:
            words = [word for row in rows for word in row[index].split()]
            table.add_column(header, min_width=min(max([len(w) for w in words] + [6]), WIDEST_NAME_COLUMN))
        else:
            table.add_column(header, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(*[UNDEFINED if cell == "undefined" else cell for cell in row])
    return table


def legend(report: AgreementReport) -> str:
    headers = short_headers(report)
    entries = [headers[c][1] for c in render.report_columns(report) if c in headers and headers[c][1]]
    if report.domains and report.method is not AgreementMethod.UNITIZING:
        low, high = minimum_label(TENTATIVE), minimum_label(RELIABLE)
        entries.append(f"P<{low[1:]}, P<{high[1:]} = bootstrap share of α below {low[1:]} and {high[1:]}; "
                       "units paired = coded in the domain by both coders; one coder = by one only")
    if report.domains:
        entries.append("viol. = units given two categories of one domain")
    entries.append(f"{UNDEFINED} = undefined (see the notes)")
    return "; ".join(entries)


def agreement_tables(report: AgreementReport) -> RenderableType:
    """The per-code table, the domain table (if any) and the legend line."""
    parts: list[RenderableType] = [codes_table(report)]
    if report.domains:
        parts.append(domains_table(report))
        if "domains_cu_alpha" in report.overall.statistics:
            parts.append(Text("Cuα over the selected domains (the domains as categories): "
                              f"{_cell(report.overall.domains_cu_alpha)}"))
    parts.append(Text(legend(report), style="dim"))
    return Group(*parts)
