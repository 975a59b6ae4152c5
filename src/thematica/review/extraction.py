"""Double data extraction: a typed form, each reviewer's values, a comparison that aligns arms, consensus,
and the agreed data written as the arm-level file ``thematica meta``/``thematica nma`` read.

The form is a small TOML file::

    title = "Werk en EPA"
    [[field]]
    name = "n"
    type = "integer"          # integer | number | text | choice
    [[field]]
    name = "design"
    type = "choice"
    choices = ["RCT", "cluster-RCT"]

Every extracted row is keyed by ``study, outcome, timepoint, arm`` (``arm`` empty for study-level
fields). Comparison aligns rows by that key first: an arm that one reviewer extracted and the other
did not is **one** difference, not one per field; within an aligned row, numbers differ when
``|a − b| > tolerance`` and texts when they differ after trimming and case folding.
"""

from __future__ import annotations

import csv
import io
import math
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from thematica.coding.visibility import is_blind
from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError
from thematica.review.screening import current_meeting, reviewer_id_of
from thematica.store import audit, review as review_store, settings
from thematica.store.project import Project
from thematica.store.review_models import ExtractionValue

FORM_SETTING = "review_extraction_form"
KEY_COLUMNS = ("study", "outcome", "timepoint", "arm")
FIELD_TYPES = ("integer", "number", "text", "choice")
TOPIC = "extraction"
Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class FormField:
    name: str
    type: str
    choices: tuple[str, ...] = ()

    def parse(self, text: str, *, path: str, row: int) -> float | str:
        text = text.strip()
        if self.type in ("integer", "number"):
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                raise ThematicaError(f"field {self.name}: {text!r} is not a number", path=path, row=row) from None
            if not math.isfinite(value):
                raise ThematicaError(f"field {self.name}: not a finite number", path=path, row=row)
            if self.type == "integer" and value != int(value):
                raise ThematicaError(f"field {self.name}: {text!r} is not a whole number", path=path, row=row)
            return value
        if self.type == "choice" and text not in self.choices:
            raise ThematicaError(f"field {self.name}: {text!r} is not one of {', '.join(self.choices)}",
                                 path=path, row=row)
        return text


@dataclass(frozen=True)
class Form:
    title: str
    fields: tuple[FormField, ...]

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)

    def to_dict(self) -> dict[str, object]:
        return {"title": self.title, "fields": [{"name": f.name, "type": f.type, "choices": list(f.choices)}
                                                 for f in self.fields]}


@dataclass(frozen=True)
class Difference:
    key: Key
    field: str | None  # None: the whole row (arm) is missing for one reviewer
    first: str
    second: str

    def to_dict(self) -> dict[str, object]:
        return {**dict(zip(KEY_COLUMNS, self.key)), "field": self.field, "first": self.first, "second": self.second}


def read_form(path: Path) -> Form:
    try:
        data = tomllib.loads(read_text_file(Path(path)))
    except tomllib.TOMLDecodeError as error:
        raise ThematicaError(f"not a valid TOML form ({error})", path=str(path)) from None
    fields: list[FormField] = []
    for number, item in enumerate(data.get("field", []), start=1):
        name = str(item.get("name", "")).strip().lower()
        kind = str(item.get("type", "text")).strip().lower()
        if not name or name in KEY_COLUMNS:
            raise ThematicaError(f"field {number}: a field needs a name other than {', '.join(KEY_COLUMNS)}",
                                 path=str(path))
        if kind not in FIELD_TYPES:
            raise ThematicaError(f"field {name}: type {kind!r} is not one of {', '.join(FIELD_TYPES)}", path=str(path))
        choices = tuple(str(c) for c in item.get("choices", []))
        if kind == "choice" and not choices:
            raise ThematicaError(f"field {name}: a choice field needs choices", path=str(path))
        if any(f.name == name for f in fields):
            raise ThematicaError(f"field {name} appears twice", path=str(path))
        fields.append(FormField(name, kind, choices))
    if not fields:
        raise ThematicaError("the form defines no [[field]]", path=str(path))
    return Form(str(data.get("title", "")), tuple(fields))


def set_form(project: Project, path: Path, *, actor: str) -> Form:
    form = read_form(path)
    with project.transaction() as session:
        settings.set_setting(session, FORM_SETTING, form.to_dict())
        audit.record(session, actor, "review.extraction.form", "review", None, fields=[f.name for f in form.fields])
    return form


def _form(session) -> Form:
    stored = settings.get_setting(session, FORM_SETTING)
    if not stored:
        raise ThematicaError("the review has no extraction form ('thematica review extraction form P FORM.toml')")
    return Form(stored["title"], tuple(FormField(f["name"], f["type"], tuple(f["choices"])) for f in stored["fields"]))


def import_extraction(project: Project, path: Path, *, reviewer: str) -> int:
    """One reviewer's extraction CSV (key columns + form fields); every cell is checked before any is stored."""
    text = read_text_file(Path(path)).lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if "study" not in header:
        raise ThematicaError("missing column 'study'", path=str(path))
    with project.transaction() as session:
        form = _form(session)
        unknown = [c for c in header if c not in KEY_COLUMNS and form.field(c) is None]
        if unknown:
            raise ThematicaError(f"column {unknown[0]!r} is not a field of the extraction form", path=str(path))
        reviewer_id = reviewer_id_of(session, reviewer)
        values: list[ExtractionValue] = []
        seen: set[Key] = set()
        for number, raw in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            key: Key = (row.get("study", ""), row.get("outcome", ""), row.get("timepoint", ""), row.get("arm", ""))
            if not key[0]:
                raise ThematicaError("empty study", path=str(path), row=number)
            if key in seen:
                raise ThematicaError(f"study {key[0]!r}, arm {key[3]!r} appears twice", path=str(path), row=number)
            seen.add(key)
            for name in header:
                field = form.field(name)
                if field is None or not row.get(name):
                    continue
                parsed = field.parse(row[name], path=str(path), row=number)
                values.append(ExtractionValue(
                    reviewer_id=reviewer_id, study=key[0], outcome=key[1], timepoint=key[2], arm=key[3], field=name,
                    number=parsed if isinstance(parsed, float) else None,
                    text=parsed if isinstance(parsed, str) else None))
        if not seen:
            raise ThematicaError("no rows in the file", path=str(path))
        review_store.add_extraction(session, values)
        audit.record(session, reviewer, "review.extraction.import", "review", None, file=Path(path).name,
                     rows=len(seen), values=len(values))
    return len(seen)


def _shown(value: ExtractionValue | None) -> str:
    if value is None:
        return ""
    if value.number is not None:
        return f"{value.number:g}"
    return value.text or ""


def _table(values: Sequence[ExtractionValue], reviewer_id: int | None) -> dict[Key, dict[str, ExtractionValue]]:
    rows: dict[Key, dict[str, ExtractionValue]] = defaultdict(dict)
    for value in values:
        if value.reviewer_id == reviewer_id:
            rows[(value.study, value.outcome, value.timepoint, value.arm)][value.field] = value
    return rows


def _same(a: ExtractionValue | None, b: ExtractionValue | None, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if a.number is not None and b.number is not None:
        return abs(a.number - b.number) <= tolerance
    return (a.text or "").strip().casefold() == (b.text or "").strip().casefold()


def _members_check(session, viewer: str, reviewers: Sequence[int]) -> None:
    viewer_id = reviewer_id_of(session, viewer)
    if not is_blind(session):
        return
    meeting = current_meeting(session, TOPIC)
    if meeting is None or viewer_id not in meeting.members or not set(reviewers) <= set(meeting.reviewers):
        raise ThematicaError(f"{viewer!r} may not compare these extractions: open a meeting first "
                             "('thematica review meet P --topic extraction')")


def compare(project: Project, first: str, second: str, *, viewer: str, tolerance: float = 0.0) -> list[Difference]:
    with project.reading() as session:
        a, b = reviewer_id_of(session, first), reviewer_id_of(session, second)
        _members_check(session, viewer, [a, b])
        values = review_store.current_extraction(session, [a, b])
    return _differences(_table(values, a), _table(values, b), tolerance)


def _differences(rows_a: dict[Key, dict[str, ExtractionValue]], rows_b: dict[Key, dict[str, ExtractionValue]],
                 tolerance: float) -> list[Difference]:
    found = []
    for key in sorted(set(rows_a) | set(rows_b)):
        if key not in rows_b:
            found.append(Difference(key, None, "extracted", "missing"))
            continue
        if key not in rows_a:
            found.append(Difference(key, None, "missing", "extracted"))
            continue
        for field in sorted(set(rows_a[key]) | set(rows_b[key])):
            x, y = rows_a[key].get(field), rows_b[key].get(field)
            if not _same(x, y, tolerance):
                found.append(Difference(key, field, _shown(x), _shown(y)))
    return found


def agree(project: Project, first: str, second: str, *, actor: str, tolerance: float = 0.0) -> tuple[int, int]:
    """Copy every value both reviewers extracted alike into the agreed extraction; returns (copied, differences)."""
    with project.transaction() as session:
        a, b = reviewer_id_of(session, first), reviewer_id_of(session, second)
        _members_check(session, actor, [a, b])
        values = review_store.current_extraction(session, [a, b, None])
        rows_a, rows_b, agreed = _table(values, a), _table(values, b), _table(values, None)
        copied = []
        for key in set(rows_a) & set(rows_b):
            for field, x in rows_a[key].items():
                y = rows_b[key].get(field)
                if _same(x, y, tolerance) and field not in agreed.get(key, {}):
                    copied.append(ExtractionValue(reviewer_id=None, study=key[0], outcome=key[1], timepoint=key[2],
                                                  arm=key[3], field=field, number=x.number, text=x.text,
                                                  rationale=f"agreed by {first} and {second}"))
        review_store.add_extraction(session, copied)
        differences = _differences(rows_a, rows_b, tolerance)
        audit.record(session, actor, "review.extraction.agree", "review", None, copied=len(copied),
                     differences=len(differences))
    return len(copied), len(differences)


def resolve(project: Project, key: Key, *, decider: str, rationale: str, accept: str | None = None,
            field: str | None = None, value: str | None = None) -> int:
    """Settle a difference: take one reviewer's whole row (``accept``) or set one field's agreed value."""
    if not rationale.strip():
        raise ThematicaError("a resolution needs a rationale (--rationale)")
    with project.transaction() as session:
        decider_id = reviewer_id_of(session, decider)
        meeting = current_meeting(session, TOPIC)
        if meeting is None or decider_id not in meeting.members:
            raise ThematicaError(f"{decider!r} is not a member of an open extraction meeting")
        form = _form(session)
        new: list[ExtractionValue] = []
        if accept is not None:
            source = reviewer_id_of(session, accept)
            row = _table(review_store.current_extraction(session, [source]), source).get(key)
            if not row:
                raise ThematicaError(f"{accept!r} extracted nothing for study {key[0]!r}, arm {key[3]!r}")
            for name, cell in row.items():
                new.append(ExtractionValue(reviewer_id=None, study=key[0], outcome=key[1], timepoint=key[2],
                                           arm=key[3], field=name, number=cell.number, text=cell.text,
                                           rationale=rationale.strip()))
        else:
            spec = form.field(field or "")
            if spec is None or value is None:
                raise ThematicaError("give --accept REVIEWER, or --field with --value")
            parsed = spec.parse(value, path="--value", row=None)  # type: ignore[arg-type]
            new.append(ExtractionValue(reviewer_id=None, study=key[0], outcome=key[1], timepoint=key[2], arm=key[3],
                                       field=spec.name, number=parsed if isinstance(parsed, float) else None,
                                       text=parsed if isinstance(parsed, str) else None, rationale=rationale.strip()))
        review_store.add_extraction(session, new)
        audit.record(session, decider, "review.extraction.resolve", "review", None, study=key[0], arm=key[3],
                     outcome=key[1], timepoint=key[2], field=field, accept=accept, rationale=rationale.strip())
    return len(new)


def agreed_arms_csv(project: Project, outcome: str, timepoint: str = "") -> str:
    """The agreed extraction of one outcome as arm-level rows: ``study,treatment,events,n`` when the form has
    events, else ``study,treatment,mean,sd,n`` (the layout ``thematica nma`` and ``meta`` read)."""
    with project.reading() as session:
        values = review_store.current_extraction(session)
    rows = _table(values, None)
    chosen = {key: cells for key, cells in rows.items() if key[1] == outcome and key[2] == timepoint and key[3]}
    extracted = sorted({(v.study, v.arm) for v in values if v.reviewer_id is not None and v.outcome == outcome
                        and v.timepoint == timepoint and v.arm} - {(k[0], k[3]) for k in chosen})
    if extracted:
        study, arm = extracted[0]
        raise ThematicaError(f"study {study!r}, arm {arm!r} was extracted but not agreed "
                             f"({len(extracted)} such arms): resolve the differences first")
    if not chosen:
        raise ThematicaError(f"no agreed arm-level data for outcome {outcome!r}"
                             + (f" at {timepoint!r}" if timepoint else ""))
    binary = any("events" in cells for cells in chosen.values())
    columns = ("events", "n") if binary else ("mean", "sd", "n")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("study", "treatment") + columns)
    for key, cells in sorted(chosen.items()):
        missing = [c for c in columns if c not in cells]
        if missing:
            raise ThematicaError(f"study {key[0]!r}, arm {key[3]!r}: no agreed {missing[0]}")
        writer.writerow([key[0], key[3]] + [_shown(cells[c]) for c in columns])
    return out.getvalue()
