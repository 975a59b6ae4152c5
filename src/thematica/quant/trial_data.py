"""Reading trial data (CSV or XLSX; long or wide) with typed variables and a check report.

Long data: a row per participant × timepoint (``--time COL``). Wide data: a row per participant, with
the column pattern given (``--wide 'scl90_t{time}'`` stacks scl90_t0, scl90_t3, … into scl90;
``--wide '{variable}_t{time}'`` stacks every variable so named). A file without ``--time`` and
without ``--wide`` is one timepoint (cross-sectional); if its columns look wide (``x_t1``), it is
refused rather than guessed. Timepoints are numbers (ordered numerically) or text labels, which need
their order (``--time-order pre,post,fu``): a label outside that order is an error, never a guess.

Arms are kept in the order of their first appearance in the file, and so are participants: the
first arm is the one the analyses put first (differences, d, OR: first versus second).
Types: binary (two distinct values, 0/1, ja/nee, yes/no), continuous (numbers), categorical
(text labels only, or a column declared ``categorical``). The type does not depend on the size of the
file: a column in which some values are numbers and some are not is refused at its first non-number
(a typo in a scale is far likelier than a label column that happens to hold a number; a label column
such as ``1, 2, hbo`` is imported with ``--categorical COL``). Problems are reported, never silently coerced: missing values per timepoint,
out-of-range values against ``--range VAR=LOW:HIGH``, duplicate participant × timepoint rows
(an error), a participant in two arms (an error), text in a column that is otherwise numeric (an
error naming the file, the row, the column and the value), a file without data rows (an error).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from thematica.corpus.archives import check_archive

from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError

_LOOKS_WIDE = re.compile(r"^(?P<variable>.+)_t(?P<time>[^_]+)$")
_YES = {"1", "ja", "yes", "true", "j", "y"}
_NO = {"0", "nee", "no", "false", "n"}
_ROW = "_row"  # the file row (header = row 1) of each record, for error messages


@dataclass
class TrialTable:
    frame: pd.DataFrame  # participant, arm, time, variables... (file order of participants)
    kinds: dict[str, str]
    checks: list[str] = field(default_factory=list)
    arms: list[str] = field(default_factory=list)  # order of first appearance
    times: list[str] = field(default_factory=list)  # ordered timepoint labels


def _read(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            check_archive(path, kind="readable .xlsx file")  # bounded: checked before openpyxl extracts it
            return pd.read_excel(path, dtype=str)
        return pd.read_csv(io.StringIO(read_text_file(path)), dtype=str, sep=None, engine="python")
    except ThematicaError:
        raise
    except (ValueError, OSError, pd.errors.ParserError, csv.Error) as error:
        raise ThematicaError(f"cannot read the trial data ({str(error).splitlines()[0]})", path=str(path)) from None


def _kind(values: pd.Series) -> str:
    present = values.dropna().astype(str).str.strip()
    present = present[present != ""]
    lowered = set(present.str.lower())
    if lowered and lowered <= (_YES | _NO) and len(lowered) <= 2:
        return "binary"
    numeric = pd.to_numeric(present.str.replace(",", ".", regex=False), errors="coerce")
    if numeric.notna().all():
        return "binary" if set(numeric.unique()) <= {0, 1} and len(present) else "continuous"
    if numeric.notna().any():
        return "numeric-with-text"
    return "categorical"


def wide_pattern(pattern: str) -> tuple[re.Pattern[str], str | None]:
    """``'scl90_t{time}'`` → (regex, 'scl90'); ``'{variable}_t{time}'`` → (regex, None)."""
    if pattern.count("{time}") != 1:
        raise ThematicaError(f"--wide {pattern!r}: the pattern needs {{time}} once, e.g. 'scl90_t{{time}}'")
    parts = re.split(r"(\{time\}|\{variable\})", pattern)
    regex = "".join("(?P<time>.+?)" if part == "{time}" else "(?P<variable>.+?)" if part == "{variable}"
                    else re.escape(part) for part in parts)
    if "{variable}" in pattern:
        return re.compile(f"^{regex}$"), None
    name = pattern.replace("{time}", "")
    name = re.sub(r"_t$", "", name).strip("_-. ") or "value"
    return re.compile(f"^{regex}$"), name


def _stack(frame: pd.DataFrame, patterns: list[str], path: Path) -> pd.DataFrame:
    matched: dict[str, tuple[str, str]] = {}
    for pattern in patterns:
        regex, name = wide_pattern(pattern)
        hits = 0
        for column in frame.columns:
            found = regex.match(column)
            if found and column not in matched:
                matched[column] = (name or found.group("variable"), found.group("time"))
                hits += 1
        if not hits:
            raise ThematicaError(f"no column matches --wide {pattern!r}", path=str(path))
    fixed = [c for c in frame.columns if c not in matched]
    long = frame[[_ROW, *matched]].melt(id_vars=[_ROW], var_name="_column")
    long["variable"] = long["_column"].map(lambda c: matched[c][0])
    long["time"] = long["_column"].map(lambda c: matched[c][1])
    clash = long.duplicated([_ROW, "variable", "time"])
    if clash.any():
        twice = long[clash].iloc[0]
        raise ThematicaError(f"two columns give {twice['variable']!r} at time {twice['time']!r}", path=str(path))
    values = long.pivot(index=[_ROW, "time"], columns="variable", values="value").reset_index()
    values.columns.name = None
    return frame[fixed].merge(values, on=_ROW, how="left")


def _order_times(frame: pd.DataFrame, time_order: list[str] | None, path: Path) -> list[str]:
    labels = frame["time"]
    blank = labels.isna() | (labels.astype(str).str.strip() == "")
    if blank.any():
        raise ThematicaError("no timepoint in this row", path=str(path), row=int(frame.loc[blank, _ROW].iloc[0]))
    frame["time"] = labels.astype(str).str.strip()
    present = list(pd.unique(frame["time"]))
    if time_order:
        order = [label.strip() for label in time_order]
        if len(set(order)) != len(order):
            raise ThematicaError(f"--time-order names a timepoint twice: {', '.join(order)}", path=str(path))
        unknown = frame[~frame["time"].isin(order)]
        if len(unknown):
            raise ThematicaError(f"time label {unknown['time'].iloc[0]!r} is not in --time-order "
                                 f"({', '.join(order)})", path=str(path), row=int(unknown[_ROW].iloc[0]))
        missing = [label for label in order if label not in present]
        if missing:
            raise ThematicaError(f"--time-order names timepoint(s) not in the file: {', '.join(missing)} "
                                 f"(the file has {', '.join(present)})", path=str(path))
        return order
    try:
        numbers = {label: float(label.replace(",", ".")) for label in present}
    except ValueError:
        text = sorted(label for label in present if not _is_number(label))
        raise ThematicaError(f"timepoints are text ({', '.join(text)}): give their order with "
                             f"--time-order, e.g. --time-order {','.join(present)}", path=str(path)) from None
    canonical = {label: f"{value:g}" for label, value in numbers.items()}
    frame["time"] = frame["time"].map(canonical)
    return sorted(set(canonical.values()), key=float)


def _is_number(label: str) -> bool:
    try:
        float(label.replace(",", "."))
        return True
    except ValueError:
        return False


def read_trial(path: Path, id_column: str, arm_column: str, time_column: str | None = None,
               case_column: str | None = "case", ranges: dict[str, tuple[float, float]] | None = None,
               time_order: list[str] | None = None, wide: list[str] | None = None,
               categorical: list[str] | None = None) -> TrialTable:
    path = Path(path)
    raw = _read(path)
    raw.columns = [str(c).strip() for c in raw.columns]
    if raw.dropna(how="all").empty:
        raise ThematicaError("no data rows (only a header): nothing to import", path=str(path))
    raw[_ROW] = range(2, len(raw) + 2)
    for column in (id_column, arm_column) + ((time_column,) if time_column else ()):
        if column not in raw.columns:
            columns = ", ".join(c for c in raw.columns if c != _ROW)
            raise ThematicaError(f"no column {column!r} (columns: {columns})", path=str(path))
    if time_column and wide:
        raise ThematicaError("give --time (long data) or --wide (wide data), not both", path=str(path))
    frame = raw.rename(columns={id_column: "participant", arm_column: "arm"})
    for column in ("participant", "arm"):
        empty = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if empty.any():
            raise ThematicaError(f"no {'participant id' if column == 'participant' else 'arm'} in this row",
                                 path=str(path), row=int(frame.loc[empty, _ROW].iloc[0]))
        frame[column] = frame[column].astype(str).str.strip()
    if time_column:
        frame = frame.rename(columns={time_column: "time"})
    elif wide:
        frame = _stack(frame, wide, path)
    else:
        looks_wide = [c for c in frame.columns if _LOOKS_WIDE.match(c)]
        if looks_wide:
            raise ThematicaError(f"columns such as {', '.join(looks_wide[:3])} look like timepoints of wide data: "
                                 "give --time COL (long data), or --wide with the column pattern (e.g. "
                                 "--wide '{variable}_t{time}'), or rename them if they are items", path=str(path))
        frame["time"] = "0"
    if time_order and not time_column and not wide:
        raise ThematicaError("--time-order needs --time or --wide", path=str(path))
    times = _order_times(frame, time_order, path)
    arms_of = frame.groupby("participant", sort=False)["arm"].unique()
    split = arms_of[arms_of.map(len) > 1]
    if len(split):
        who = split.index[0]
        rows = frame[frame["participant"] == who]
        second = rows[rows["arm"] != rows["arm"].iloc[0]].iloc[0]
        raise ThematicaError(f"participant {who!r} is in arm {rows['arm'].iloc[0]!r} and in arm {second['arm']!r}",
                             path=str(path), row=int(second[_ROW]))
    duplicated = frame.duplicated(["participant", "time"], keep=False)
    if duplicated.any():
        first = frame[duplicated].iloc[1]
        raise ThematicaError(f"participant {first['participant']!r} appears twice at time {first['time']!r}",
                             path=str(path), row=int(first[_ROW]))
    reserved = {"participant", "arm", "time", _ROW, case_column}
    declared = set(categorical or ())
    variables = [c for c in frame.columns if c not in reserved]
    unknown_declared = sorted(declared - set(variables))
    if unknown_declared:
        raise ThematicaError(f"--categorical names unknown variable(s): {', '.join(unknown_declared)}",
                             path=str(path))
    kinds, checks = {}, []
    for column in variables:
        kind = "categorical" if column in declared else _kind(frame[column])
        if kind == "numeric-with-text":
            values = frame[column]
            text = values.astype(str).str.strip()
            bad = frame[values.notna() & (text != "") &
                        pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").isna()]
            raise ThematicaError(f"text {str(bad[column].iloc[0]).strip()!r} in numeric column {column!r} "
                                 f"(if {column!r} holds labels, not numbers: import with --categorical {column})",
                                 path=str(path), row=int(bad[_ROW].iloc[0]))
        kinds[column] = kind
        if kind in ("continuous", "binary"):
            text = frame[column].astype(str).str.strip().str.lower().where(frame[column].notna())
            if kind == "binary" and not set(text.dropna()[text.dropna().isin(_YES | _NO)]).issubset({"0", "1"}):
                frame[column] = text.map(lambda v: 1.0 if v in _YES else (0.0 if v in _NO else float("nan")))
            else:
                frame[column] = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    arms = [str(a) for a in pd.unique(frame["arm"])]
    participants = list(pd.unique(frame["participant"]))
    frame["time"] = pd.Categorical(frame["time"], categories=times, ordered=True)
    frame["_position"] = frame["participant"].map({p: i for i, p in enumerate(participants)})
    frame = frame.sort_values(["_position", "time"], kind="stable").drop(columns=["_position", _ROW])
    frame = frame.reset_index(drop=True)
    for column, kind in kinds.items():
        if kind == "categorical":
            continue
        missing = frame.groupby("time", observed=False)[column].apply(lambda s: int(s.isna().sum()))
        sizes = frame.groupby("time", observed=False)[column].size().to_dict()
        unmeasured = [str(t) for t, count in missing.items() if count and count == sizes[t]]
        for time, count in missing.items():
            if count and str(time) not in unmeasured:
                checks.append(f"{column}: {count} missing at time {time}")
        if unmeasured:
            checks.append(f"{column}: not measured at time {', '.join(unmeasured)}")
        if ranges and column in ranges:
            low, high = ranges[column]
            outside = frame[(frame[column] < low) | (frame[column] > high)]
            if len(outside):
                checks.append(f"{column}: {len(outside)} values outside {low:g}–{high:g} "
                              f"(e.g. {outside.iloc[0][column]:g} for {outside.iloc[0]['participant']})")
    unknown_ranges = sorted(set(ranges or {}) - set(kinds))
    if unknown_ranges:
        raise ThematicaError(f"--range names unknown variable(s): {', '.join(unknown_ranges)}", path=str(path))
    return TrialTable(frame, kinds, checks, arms, times)
