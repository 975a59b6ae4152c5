"""Value and variable labels for the trial data, so tables print "ja"/"vrouw", never "paid_work=1".

Given at import as ``--labels paid_work=0:nee,1:ja`` (repeatable) or a labels file: CSV with
columns ``variable,value,label``; a row with an empty value labels the variable itself
("paid_work,,Betaald werk"). Stored as the project setting ``trial.labels``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError
from thematica.store.project import Project

SETTING = "trial.labels"


@dataclass(frozen=True)
class ValueLabels:
    variables: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"variables": dict(self.variables), "values": {k: dict(v) for k, v in self.values.items()}}

    @staticmethod
    def from_dict(data: dict | None) -> ValueLabels:
        data = data or {}
        return ValueLabels(dict(data.get("variables", {})), {k: dict(v) for k, v in data.get("values", {}).items()})

    def merged(self, other: ValueLabels) -> ValueLabels:
        values = {k: dict(v) for k, v in self.values.items()}
        for name, levels in other.values.items():
            values.setdefault(name, {}).update(levels)
        return ValueLabels({**self.variables, **other.variables}, values)

    def variable(self, name: str) -> str:
        return self.variables.get(name, name)

    def value(self, name: str, level: str) -> str | None:
        """The label of ``level`` (numbers match as numbers: "1" and "1.0" are one level)."""
        levels = self.values.get(name, {})
        if level in levels:
            return levels[level]
        try:
            number = float(level)
        except ValueError:
            return None
        for key, label in levels.items():
            try:
                if float(key) == number:
                    return label
            except ValueError:
                continue
        return None

    def check(self, kinds: dict[str, str]) -> None:
        for name in [*self.variables, *self.values]:
            if name not in kinds:
                raise ThematicaError(f"labels name {name!r}, which is not a trial variable")


def parse_label_options(options: list[str] | None) -> ValueLabels:
    """``var=0:nee,1:ja`` per option."""
    values: dict[str, dict[str, str]] = {}
    for option in options or []:
        name, sep, rest = option.partition("=")
        pairs = [pair for pair in rest.split(",") if pair.strip()]
        if not sep or not name.strip() or not pairs or any(":" not in pair for pair in pairs):
            raise ThematicaError(f"--labels takes VAR=VALUE:LABEL,VALUE:LABEL, not {option!r}")
        levels = values.setdefault(name.strip(), {})
        for pair in pairs:
            value, _, label = pair.partition(":")
            if not value.strip() or not label.strip():
                raise ThematicaError(f"--labels takes VAR=VALUE:LABEL,VALUE:LABEL, not {option!r}")
            levels[value.strip()] = label.strip()
    return ValueLabels({}, values)


def read_labels_file(path: Path) -> ValueLabels:
    rows = list(csv.reader(io.StringIO(read_text_file(Path(path)))))
    if not rows or [cell.strip().lower() for cell in rows[0][:3]] != ["variable", "value", "label"]:
        raise ThematicaError("a labels file needs the columns variable,value,label", path=str(path), row=1)
    variables: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 3 or not row[0].strip() or not row[2].strip():
            raise ThematicaError("each row needs a variable and a label", path=str(path), row=number)
        name, value, label = row[0].strip(), row[1].strip(), row[2].strip()
        if value:
            values.setdefault(name, {})[value] = label
        else:
            variables[name] = label
    return ValueLabels(variables, values)


def save_labels(session: object, labels: ValueLabels) -> None:
    """Inside the import's transaction: the labels replace those of the previous import."""
    from thematica.store import settings

    settings.set_setting(session, SETTING, labels.to_dict())  # type: ignore[arg-type]


def load_labels(project: Project) -> ValueLabels:
    from thematica.store import settings

    with project.reading() as session:
        return ValueLabels.from_dict(settings.get_setting(session, SETTING))
