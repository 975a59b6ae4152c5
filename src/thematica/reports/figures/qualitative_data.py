"""The numbers behind the qualitative figures, from one coding of the project (``CodedMaterial``).

* framework matrix: code × case, segments or coded characters (the union of a code's spans in
  the case, so overlapping segments of one code are not counted twice), cases ordered and grouped
  by an attribute;
* co-occurrence: counts (``themes.analysis.cooccurrence``) or Jaccard similarity
  J = n_ab / (n_a + n_b − n_ab), codes ordered by average-linkage clustering on 1 − J;
* frequencies: segments per code for each coder;
* portrait: the segments of one document along its text, with the speaker turns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thematica.corpus.turns import parse_turns
from thematica.errors import ThematicaError
from thematica.spans import total_length
from thematica.store import cases as case_store, coders as coder_store
from thematica.store.project import Project
from thematica.themes.analysis import cooccurrence
from thematica.themes.data import CodedMaterial, load_material


@dataclass(frozen=True)
class Matrix:
    rows: list[str]
    columns: list[str]
    values: np.ndarray
    groups: list[tuple[str, int, int]]  # (attribute value, first column, end column)
    unit: str
    title: str

    def to_dict(self) -> dict[str, object]:
        return {"rows": self.rows, "columns": self.columns, "values": self.values.tolist(),
                "groups": [list(g) for g in self.groups], "unit": self.unit, "title": self.title}


def case_attributes(project: Project) -> dict[str, dict[str, str]]:
    """``{case: {attribute: value}}`` (values as stored text; missing values left out)."""
    with project.reading() as session:
        return {case.label: {value.attribute.name: value.value for value in case.values if value.value is not None}
                for case in case_store.all_cases(session)}


def coder_names(project: Project) -> list[str]:
    with project.reading() as session:
        return [coder.name for coder in coder_store.all_coders(session)]


def framework(material: CodedMaterial, by: str = "segments", attributes: dict[str, dict[str, str]] | None = None,
              group_by: str | None = None) -> Matrix:
    """Code × case counts; with ``group_by`` the cases are sorted and grouped by that attribute."""
    if by not in ("segments", "characters"):
        raise ValueError("by is segments or characters")
    codes = sorted({s.code for s in material.segments})
    cases = material.cases
    groups: list[tuple[str, int, int]] = []
    if group_by:
        attributes = attributes or {}
        if not any(group_by in values for values in attributes.values()):
            raise ThematicaError(f"no case attribute {group_by!r}")
        value = {case: attributes.get(case, {}).get(group_by, "(missing)") for case in cases}
        cases = sorted(cases, key=lambda c: (_sortable(value[c]), c))
        start = 0
        for index in range(1, len(cases) + 1):
            if index == len(cases) or value[cases[index]] != value[cases[start]]:
                groups.append((value[cases[start]], start, index))
                start = index
    matrix = np.zeros((len(codes), len(cases)), dtype=int)
    spans: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for segment in material.segments:
        spans.setdefault((segment.code, segment.case), []).append((segment.document, segment.start, segment.end))
    for (code, case), found in spans.items():
        if case not in cases:
            continue
        if by == "segments":
            count = len(found)
        else:
            count = 0
            for document in {d for d, _, _ in found}:
                count += total_length([(s, e) for d, s, e in found if d == document])
        matrix[codes.index(code), cases.index(case)] = count
    unit = "segments" if by == "segments" else "coded characters"
    grouped = f"; cases grouped by {group_by}" if group_by else ""
    return Matrix(codes, cases, matrix, groups, unit,
                  f"Framework matrix: {unit} per code and case ({material.coding}{grouped})")


def _sortable(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value.replace(",", ".")), value)
    except ValueError:
        return (1, 0.0, value)


def cooccurrence_matrix(material: CodedMaterial, measure: str = "counts", by: str = "unit",
                        cluster: bool = True) -> Matrix:
    """Code × code co-occurrence (same sentence, or overlapping segments), counts or Jaccard, clustered.

    Counted within each coder's own coding (``themes.analysis.cooccurrence``); the title says so.
    """
    codes, counts = cooccurrence(material, by)
    if measure not in ("counts", "jaccard"):
        raise ValueError("measure is counts or jaccard")
    values = counts.astype(float)
    diagonal = np.diag(counts).astype(float)
    union = diagonal[:, None] + diagonal[None, :] - counts
    jaccard = np.divide(counts, union, out=np.zeros_like(values), where=union > 0)
    if measure == "jaccard":
        values = jaccard
    order = list(range(len(codes)))
    if cluster and len(codes) > 2:
        from scipy.cluster.hierarchy import leaves_list, linkage
        from scipy.spatial.distance import squareform

        distance = 1 - jaccard
        np.fill_diagonal(distance, 0)
        order = leaves_list(linkage(squareform(np.clip(distance, 0, 1), checks=False), method="average")).tolist()
    ordered = [codes[i] for i in order]
    unit = "Jaccard similarity" if measure == "jaccard" else ("sentences" if by == "unit" else "overlapping segments")
    coders = len({segment.coder for segment in material.segments})
    rule = ("both codes from the same coder, summed over " f"{coders} coders" if coders > 1
            else "both codes from the same coder")
    return Matrix(ordered, ordered, values[np.ix_(order, order)], [], unit,
                  f"Code co-occurrence: {unit} ({material.coding})\n{rule}")


def frequencies(project: Project, coders: list[str] | None = None) -> Matrix:
    """Segments per code (rows) for each coder (columns)."""
    names = coders or coder_names(project)
    per_coder = {}
    for name in names:
        material = load_material(project, name)
        counts: dict[str, int] = {}
        for segment in material.segments:
            counts[segment.code] = counts.get(segment.code, 0) + 1
        per_coder[name] = counts
    names = [n for n in names if per_coder[n]]
    if not names:
        raise ThematicaError("no coded segments yet")
    codes = sorted({code for counts in per_coder.values() for code in counts})
    values = np.array([[per_coder[n].get(code, 0) for n in names] for code in codes], dtype=int)
    return Matrix(codes, names, values, [], "segments", "Code frequencies per coder")


@dataclass(frozen=True)
class Portrait:
    document: str
    case: str
    length: int
    codes: list[str]
    segments: list[tuple[str, int, int]]  # (code, start, end)
    turns: list[tuple[str | None, int, int]]
    coding: str

    def to_dict(self) -> dict[str, object]:
        return {"document": self.document, "case": self.case, "length": self.length, "codes": self.codes,
                "segments": [list(s) for s in self.segments], "turns": [list(t) for t in self.turns],
                "coding": self.coding}


def portrait(material: CodedMaterial, document: str) -> Portrait:
    if document not in material.texts:
        raise ThematicaError(f"no document {document!r} in the project")
    text = material.texts[document]
    case = dict(material.documents)[document]
    segments = sorted(((s.code, s.start, s.end) for s in material.segments if s.document == document),
                      key=lambda item: (item[1], item[0]))
    codes = sorted({code for code, _, _ in segments})
    turns = [(turn.speaker, turn.start, turn.end) for turn in parse_turns(text)]
    return Portrait(document, case, len(text), codes, segments, turns, material.coding)
