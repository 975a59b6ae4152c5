"""Themes on small hand-checked projects: prevalence, co-occurrence, framework, saturation, suggestions, map."""

from __future__ import annotations

from dataclasses import replace

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.errors import ThematicaError
from thematica.themes import service
from thematica.themes.analysis import code_prevalence, cooccurrence, framework_matrix, saturation, theme_prevalence
from thematica.themes.data import load_material
from thematica.themes.suggest import code_map, suggest_by_cooccurrence, suggest_by_words
from thematica.themes.thematic_map import export_text, to_terminal

T = {
    "R1": "R: De groep hielp mij. De therapeut was warm. Ik durf nu nee te zeggen.\n",
    "R2": "R: De groep was eng. Later hielp de groep wel.\n",
    "R3": "R: De therapeut luisterde. Thuis gaat het beter.\n",
}
CASES = {"R1": "Anna", "R2": "Bram", "R3": "Cem"}


def code(project, document, coder, quote, path):
    text = T[f"R{document}"]
    start = text.index(quote)
    if coder != "consensus":
        apply_code(project, document, coder, start, start + len(quote), code_path=path)
        return
    # a consensus coding is written only by a meeting's decisions; here it is laid down directly
    from thematica.store import coders as coder_store, segments as segment_store

    with project.transaction() as session:
        code_id = codebook.ensure_code_path(session, path, "test").id
        segment_store.insert_segment_once(session, document_id=document, code_id=code_id, start=start,
                                          end=start + len(quote),
                                          coder_id=coder_store.get_or_create_coder(session, "consensus").id)


@pytest.fixture
def study(make_project_with_text):
    project = make_project_with_text(T, cases=CASES)
    code(project, 1, "consensus", "De groep hielp mij.", "Groep/Steun")
    code(project, 1, "consensus", "De groep hielp mij. De therapeut was warm.", "Therapeut")
    code(project, 1, "consensus", "Ik durf nu nee te zeggen.", "Effect")
    code(project, 2, "consensus", "Later hielp de groep wel.", "Groep/Steun")
    code(project, 2, "consensus", "De groep was eng.", "Groep/Spanning")
    code(project, 3, "consensus", "De therapeut luisterde.", "Therapeut")
    code(project, 3, "anouk", "Thuis gaat het beter.", "Effect")  # not in the consensus coding
    service.add_theme(project, "De groep", "anouk", codes=["Groep"], definition="Wat de groep deed.")
    service.add_theme(project, "Spanning", "anouk", parent="De groep", codes=["Groep/Spanning"])
    service.add_theme(project, "Relatie", "anouk", codes=["Therapeut"])
    service.link_themes(project, "Relatie", "De groep", "voorwaarde voor", "anouk")
    return project


def test_prevalence_on_the_consensus_coding_by_default(study):
    material = load_material(study)
    assert material.coding == "consensus" and material.notes == []
    themes = {p.name: (p.segments, p.cases, p.wording) for p in theme_prevalence(material)}
    assert themes == {"De groep": (3, ["Anna", "Bram"], "2 of 3"), "Spanning": (1, ["Bram"], "1 of 3"),
                      "Relatie": (2, ["Anna", "Cem"], "2 of 3")}
    codes = {p.name: p.cases for p in code_prevalence(material)}
    assert codes["Effect"] == ["Anna"] and codes["Groep"] == ["Anna", "Bram"]
    anouk = {p.name: p.cases for p in code_prevalence(load_material(study, "anouk"))}
    assert anouk["Effect"] == ["Cem"]


def test_cooccurrence_by_sentence_and_by_overlap(study):
    material = load_material(study)
    codes, by_unit = cooccurrence(material, "unit")
    assert codes == ["Effect", "Groep/Spanning", "Groep/Steun", "Therapeut"]
    i, j = codes.index("Groep/Steun"), codes.index("Therapeut")
    assert by_unit[i, j] == by_unit[j, i] == 1          # R1's first sentence carries both
    assert by_unit[j, j] == 3                           # Therapeut on three sentences
    _, by_overlap = cooccurrence(material, "overlap")
    assert by_overlap[i, j] == 1 and by_overlap[i, i] == 2


def test_framework_matrix_and_saturation(study):
    material = load_material(study)
    themes, cases, matrix = framework_matrix(material)
    assert themes == ["De groep", "Spanning", "Relatie"] and cases == ["Anna", "Bram", "Cem"]
    assert matrix.tolist() == [[1, 2, 0], [0, 1, 0], [1, 0, 1]]
    result = saturation(material)
    assert result.new_codes == [3, 1, 0] and result.last_new_code_after == "R2"
    assert result.cumulative_share == [0.75, 1.0, 1.0]
    assert result.saturated_after == "R2"
    assert replace(result, new_codes=[3, 1, 1], last_new_code_after=result.documents[-1]).saturated_after is None


def test_theme_actions_merge_split_move_remove(study):
    service.split_theme(study, "De groep", "Groepssteun", ["Groep"], "anouk")
    service.merge_themes(study, "Groepssteun", "Relatie", "anouk")
    material = load_material(study)
    relatie = next(t for t in material.themes if t.name == "Relatie")
    assert relatie.codes == ["Groep", "Therapeut"]
    with pytest.raises(ThematicaError, match="subtheme of itself"):
        service.move_theme(study, "De groep", "Spanning", "anouk")
    service.remove_theme(study, "De groep", "anouk")
    assert [(t.name, t.parent) for t in load_material(study).themes] == [("Spanning", None), ("Relatie", None)]


def test_suggestions_are_deterministic(study):
    material = load_material(study)
    assert suggest_by_words(material, 2, seed=3) == suggest_by_words(material, 2, seed=3)
    assert suggest_by_cooccurrence(material, 2) == suggest_by_cooccurrence(material, 2)
    result = code_map(material, seed=1)
    assert result == code_map(material, seed=1) and set(result.dendrogram_order) == set(result.codes)
    assert result.cophenetic_correlation is None or -1 <= result.cophenetic_correlation <= 1


def test_exported_maps_are_valid(study, tmp_path):
    material = load_material(study)
    for suffix in ("dot", "mmd"):
        export_text(material, tmp_path / f"map.{suffix}")
    dot = (tmp_path / "map.dot").read_text(encoding="utf-8")
    assert '"theme:Relatie" -> "link:0"' in dot and '"link:0" -> "theme:De groep"' in dot and "· Therapeut" in dot
    mermaid = (tmp_path / "map.mmd").read_text(encoding="utf-8").splitlines()
    assert mermaid[0] == "flowchart TB"
    assert any(line.strip().endswith('-.->|"voorwaarde voor"| t0') for line in mermaid)
    assert "◆ De groep  [2 of 3 cases" in to_terminal(material)
    with pytest.raises(ThematicaError):
        export_text(material, tmp_path / "map.svg")


def test_cooccurrence_never_pairs_two_coders_codes(make_project_with_text):
    """Two coders giving one passage different codes disagree; only one coder's own codes co-occur."""
    project = make_project_with_text(T, cases=CASES)
    code(project, 1, "anouk", "De groep hielp mij.", "Beschikbaarheid")
    code(project, 1, "bas", "De groep hielp mij.", "Veiligheid")
    code(project, 2, "bas", "De groep was eng.", "Veiligheid")
    code(project, 2, "bas", "De groep was eng.", "Beschikbaarheid")
    code(project, 2, "anouk", "De groep was eng.", "Veiligheid")
    code(project, 2, "anouk", "De groep was eng.", "Beschikbaarheid")
    material = load_material(project)
    assert material.coding == "all coders"
    for by in ("unit", "overlap"):
        codes, matrix = cooccurrence(material, by)
        b, v = codes.index("Beschikbaarheid"), codes.index("Veiligheid")
        assert matrix[b, v] == matrix[v, b] == 2, by     # R2: anouk once, bas once; never R1 across coders
        assert matrix[b, b] == 3 and matrix[v, v] == 3, by
    _, alone = cooccurrence(load_material(project, "anouk"), "unit")
    assert alone[0, 1] == 1


def test_cooccurrence_equals_the_incidence_products_computed_independently(make_project_with_text):
    """Independent check with numpy: by sentence, counts = XᵀX with X the (coder, sentence) × code
    incidence matrix (a code present when one of that coder's segments overlaps the sentence,
    half-open); by overlap, the off-diagonal = CᵀOC with C the segment × code one-hot matrix and O
    the same-coder, same-document overlap matrix of the segments, the diagonal = segments per code."""
    import numpy as np

    project = make_project_with_text(T, cases={"R1": "Anna", "R2": "Bram", "R3": "Cem"})
    code(project, 1, "anouk", "De groep hielp mij. De therapeut", "Groep")      # spans two sentences
    code(project, 1, "anouk", "therapeut was warm.", "Therapeut")
    code(project, 1, "anouk", "Ik durf nu nee", "Effect")
    code(project, 1, "bas", "De groep hielp mij.", "Therapeut")                # another coder, same passage
    code(project, 1, "bas", "De therapeut was warm. Ik durf nu nee te zeggen.", "Effect")
    code(project, 2, "bas", "De groep was eng. Later", "Groep")
    code(project, 2, "bas", "Later hielp de groep wel.", "Effect")
    code(project, 2, "anouk", "De groep was eng.", "Groep")
    code(project, 2, "anouk", "eng.", "Therapeut")
    code(project, 3, "anouk", "De therapeut luisterde. Thuis", "Therapeut")
    code(project, 3, "anouk", "Thuis gaat het beter.", "Effect")
    material = load_material(project)
    segments = material.segments
    codes = sorted({s.code for s in segments})
    one_hot = np.array([[s.code == c for c in codes] for s in segments], dtype=int)

    incidence = np.array([[any(s.code == c and s.coder == coder and s.document == document
                               and s.start < end and start < s.end for s in segments) for c in codes]
                          for coder in sorted({s.coder for s in segments})
                          for document, sentences in material.sentences.items() for start, end in sentences],
                         dtype=int)
    listed, by_unit = cooccurrence(material, "unit")
    assert listed == codes
    assert by_unit.tolist() == (incidence.T @ incidence).tolist()
    assert by_unit[codes.index("Effect"), codes.index("Therapeut")] > 0  # the check is not vacuous

    overlap = np.array([[i != j and a.document == b.document and a.coder == b.coder and a.start < b.end
                         and b.start < a.end for j, b in enumerate(segments)] for i, a in enumerate(segments)],
                       dtype=int)
    expected = one_hot.T @ overlap @ one_hot
    np.fill_diagonal(expected, one_hot.sum(axis=0))
    _, by_overlap = cooccurrence(material, "overlap")
    assert by_overlap.tolist() == expected.tolist()
    assert by_overlap[codes.index("Groep"), codes.index("Therapeut")] == 2  # R1 and R2, anouk's own segments
