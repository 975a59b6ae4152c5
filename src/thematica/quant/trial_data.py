"""Reading trial data (CSV or XLSX; long or wide) with typed variables and a check report.

Long data: a row per participant × timepoint (``--time COL``). Wide data: a row per participant;
columns named ``variable_t<time>`` (e.g. ``scl90_t0``, ``scl90_t24``) are stacked into timepoints.
Types: binary (two distinct values, 0/1, ja/nee, yes/no), continuous (numbers), categorical
(other text). Problems are reported, never silently coerced: missing values per timepoint,
out-of-range values against ``--range VAR=LOW:HIGH``, duplicate participant × timepoint rows
(an error), text in a column that is otherwise numeric (an error naming file, row and column).
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

_WIDE = re.compile(r"^(?P<variable>.+)_t(?P<time>[^_]+)$")
_YES = {"1", "ja", "yes", "true", "j", "y"}
_NO = {"0", "nee", "no", "false", "n"}


@dataclass
class TrialTable:
    frame: pd.DataFrame  # participant, arm, time, variables...
    kinds: dict[str, str]
    checks: list[str] = field(default_factory=list)


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
    if numeric.notna().mean() >= 0.8:
        return "numeric-with-text"
    return "categorical"


def read_trial(path: Path, id_column: str, arm_column: str, time_column: str | None = None,
               case_column: str | None = "case", ranges: dict[str, tuple[float, float]] | None = None) -> TrialTable:
    path = Path(path)
    raw = _read(path)
    raw.columns = [str(c).strip() for c in raw.columns]
    for column in (id_column, arm_column) + ((time_column,) if time_column else ()):
        if column not in raw.columns:
            raise ThematicaError(f"no column {column!r} (columns: {', '.join(raw.columns)})", path=str(path))
    frame = raw.rename(columns={id_column: "participant", arm_column: "arm"})
    if time_column:
        frame = frame.rename(columns={time_column: "time"})
    else:
        stacked = [c for c in frame.columns if _WIDE.match(c)]
        fixed = [c for c in frame.columns if c not in stacked]
        if stacked:
            long = frame.melt(id_vars=fixed, value_vars=stacked, var_name="column")
            parts = long["column"].str.extract(_WIDE)
            long = long.assign(variable=parts["variable"], time=parts["time"]).drop(columns="column")
            frame = long.pivot_table(index=[*fixed, "time"], columns="variable", values="value",
                                     aggfunc="first").reset_index()
            frame.columns.name = None
        else:
            frame["time"] = "0"
    frame["participant"] = frame["participant"].astype(str).str.strip()
    frame["arm"] = frame["arm"].astype(str).str.strip()
    duplicated = frame.duplicated(["participant", "time"], keep=False)
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise ThematicaError(f"participant {first['participant']!r} appears twice at time {first['time']!r}",
                             path=str(path), row=int(frame[duplicated].index[0]) + 2)
    reserved = {"participant", "arm", "time", case_column}
    kinds, checks = {}, []
    for column in [c for c in frame.columns if c not in reserved]:
        kind = _kind(frame[column])
        if kind == "numeric-with-text":
            values = frame[column].astype(str).str.strip()
            bad = values[(values != "") & (values.str.lower() != "nan") &
                         pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce").isna()]
            raise ThematicaError(f"text {bad.iloc[0]!r} in numeric column {column!r}", path=str(path),
                                 row=int(bad.index[0]) + 2)
        kinds[column] = kind
        if kind in ("continuous", "binary"):
            text = frame[column].astype(str).str.strip().str.lower()
            if kind == "binary" and not set(text[text.isin(_YES | _NO)]).issubset({"0", "1"}):
                frame[column] = text.map(lambda v: 1.0 if v in _YES else (0.0 if v in _NO else float("nan")))
            else:
                frame[column] = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    times = list(pd.unique(frame["time"]))
    try:
        ordered = sorted(times, key=lambda t: float(t))
        frame["time"] = frame["time"].map(lambda t: int(float(t)) if float(t).is_integer() else float(t))
        times = [int(float(t)) if float(t).is_integer() else float(t) for t in ordered]
    except (TypeError, ValueError):
        pass
    frame["time"] = pd.Categorical(frame["time"], categories=times, ordered=True)
    for column, kind in kinds.items():
        if kind == "categorical":
            continue
        missing = frame.groupby("time", observed=False)[column].apply(lambda s: int(s.isna().sum()))
        sizes = frame.groupby("time", observed=False)[column].size()
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
    return TrialTable(frame.sort_values(["participant", "time"]).reset_index(drop=True), kinds, checks)
