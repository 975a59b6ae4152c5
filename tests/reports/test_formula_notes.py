"""The within-group d's formula in the trial report's note: italic symbols with real subscripts in
DOCX (subscript runs) and HTML (<sub>), Unicode subscripts in Markdown; no raw "d_av" anywhere."""

from __future__ import annotations

import re
import subprocess
import sys

import docx
import pytest

from tests.conftest import demo_project
from thematica.reports.document import Document, Row, Table
from thematica.reports.formula import formula_runs, phrase_runs, plain_subscript, plain_text
from thematica.reports.writers import html, markdown

FORMULA = "(M_pre − M_post) / ((SD_pre + SD_post)/2)"


def test_symbols_become_italic_with_subscript_indices():
    runs = formula_runs("d_av = " + FORMULA)
    styled = [(r.text, r.italic, r.subscript) for r in runs if r.italic or r.subscript]
    assert styled[:4] == [("d", True, False), ("av", False, True), ("M", True, False), ("pre", False, True)]
    assert ("SD", True, False) in styled and ("post", False, True) in styled
    assert "".join(r.text for r in runs) == "dav = (Mpre − Mpost) / ((SDpre + SDpost)/2)"
    assert plain_text(runs) == "dₐᵥ = (Mₚᵣₑ − Mₚₒₛₜ) / ((SDₚᵣₑ + SDₚₒₛₜ)/2)"
    assert plain_subscript("z") == "(z)"  # Unicode has no subscript z
    lone = formula_runs("d_z · √(2(1 − r)), r the pre–post correlation")
    assert [r.text for r in lone if r.italic] == ["d", "r", "r"]


def test_phrase_runs_keep_plain_values_plain():
    runs = phrase_runs("Within {arm}: {name} = {value}.", {"name": formula_runs("d_av")}, arm="x_y", value="1.5")
    assert plain_text(runs) == "Within x_y: dₐᵥ = 1.5." and not any(r.subscript for r in runs if r.text == "y")


def _document() -> Document:
    note = phrase_runs("Within-group {name} = {formula}.", {"name": formula_runs("d_av"),
                                                              "formula": formula_runs(FORMULA)})
    return Document("T", (Table("t", ("a", "b"), (Row(("1", "2")),), note=plain_text(note), note_runs=note),))


def test_html_and_markdown_render_the_subscripts():
    page = html.render(_document())
    assert "<em>d</em><sub>av</sub> = (<em>M</em><sub>pre</sub> − <em>M</em><sub>post</sub>)" in page
    text, _ = markdown.render(_document())
    assert "*d*ₐᵥ = (*M*ₚᵣₑ − *M*ₚₒₛₜ) / ((*SD*ₚᵣₑ + *SD*ₚₒₛₜ)/2)" in text and "d\\_av" not in text


@pytest.fixture(scope="module")
def trial_docx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trial")
    project, out = demo_project(folder), folder / "trial.docx"
    completed = subprocess.run([sys.executable, "-m", "thematica.cli", "trial", "analyze", str(project), "--format",
                                "docx", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    return docx.Document(str(out))


def test_trial_docx_note_sets_d_av_with_a_subscript(trial_docx):
    notes = [p for p in trial_docx.paragraphs if "Within-group" in p.text]
    assert notes, "the continuous outcome's note states the within-group d"
    runs = notes[0].runs
    subscripts = [r.text for r in runs if r.font.subscript]
    assert subscripts[:1] == ["av"] and {"pre", "post"} <= set(subscripts)
    assert any(r.text == "d" and r.italic for r in runs) and any(r.text == "SD" and r.italic for r in runs)
    assert not re.search(r"\b(d_av|M_pre|M_post|SD_pre|SD_post)\b", " ".join(p.text for p in trial_docx.paragraphs))
