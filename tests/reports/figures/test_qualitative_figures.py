"""Qualitative figures on the demo project: framework matrix, co-occurrence, frequencies per coder,
saturation and document portrait — the numbers checked by a second computation, the files for print."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from thematica.reports.figures import qualitative, qualitative_data as data
from thematica.store.project import open_project
from thematica.themes.analysis import saturation
from thematica.themes.data import load_material

from tests.conftest import run_cli_in_process


@pytest.fixture(scope="module")
def opened(demo_path):
    with open_project(str(demo_path), create=False) as project:
        yield project


def test_framework_matrix_counts_and_groups_cases(opened, check_formats, figs):
    material = load_material(opened, "anouk")
    attributes = data.case_attributes(opened)
    segments = data.framework(material, "segments", attributes, "arm")
    expected = Counter((s.code, s.case) for s in material.segments)
    for i, code in enumerate(segments.rows):
        for j, case in enumerate(segments.columns):
            assert segments.values[i, j] == expected[(code, case)]
    arms = [attributes[case]["arm"] for case in segments.columns]
    assert arms == sorted(arms) and [g[0] for g in segments.groups] == sorted(set(arms))
    characters = data.framework(material, "characters")
    code, case = segments.rows[0], "R1"
    covered = {p for s in material.segments if s.code == code and s.case == case for p in range(s.start, s.end)}
    assert characters.values[0, characters.columns.index(case)] == len(covered)
    svg = check_formats(lambda fmt: qualitative.heatmap(segments, fmt))
    texts = figs.svg_texts(svg)
    assert set(g[0] for g in segments.groups) <= set(texts) and "R1" in texts
    assert any("cases grouped by arm" in t for t in texts)


def test_cooccurrence_jaccard_against_sentence_sets(opened, check_formats, figs):
    material = load_material(opened, "bas")
    matrix = data.cooccurrence_matrix(material, "jaccard")
    sentence_codes = []
    for document, sentences in material.sentences.items():
        mine = [s for s in material.segments if s.document == document]
        for start, end in sentences:
            sentence_codes.append({s.code for s in mine if s.start < end and start < s.end})
    a, b = matrix.rows[0], matrix.rows[1]
    both = sum(1 for codes in sentence_codes if a in codes and b in codes)
    either = sum(1 for codes in sentence_codes if a in codes or b in codes)
    assert matrix.values[0, 1] == pytest.approx(both / either if either else 0)
    assert np.allclose(np.diag(matrix.values), 1) and np.allclose(matrix.values, matrix.values.T)
    counts = data.cooccurrence_matrix(material, "counts", cluster=False)
    assert counts.rows == sorted(counts.rows)
    assert "same coder" in counts.title          # the figure says what is counted
    check_formats(lambda fmt: qualitative.heatmap(matrix, fmt))


def test_frequencies_per_coder(opened, check_formats, figs):
    matrix = data.frequencies(opened)
    assert matrix.columns == ["anouk", "bas"]
    for index, coder in enumerate(matrix.columns):
        assert int(matrix.values[:, index].sum()) == len(load_material(opened, coder).segments)
    texts = figs.svg_texts(check_formats(lambda fmt: qualitative.frequency_bars(matrix, fmt)))
    assert "anouk" in texts and "bas" in texts


def test_saturation_curve_and_portrait(opened, check_formats, figs):
    material = load_material(opened)
    result = saturation(material)
    texts = figs.svg_texts(check_formats(lambda fmt: qualitative.saturation_curve(result, fmt, material.coding)))
    assert [t for t in texts if t in result.documents] == result.documents
    assert not Counter(str(n) for n in result.new_codes) - Counter(texts)  # every bar is labelled
    portrait = data.portrait(material, "R3")
    assert portrait.codes == sorted({s.code for s in material.segments if s.document == "R3"})
    assert {speaker for speaker, _, _ in portrait.turns} >= {"I", "R"}
    texts = figs.svg_texts(check_formats(lambda fmt: qualitative.portrait_plot(portrait, fmt)))
    assert any(t.startswith("Document portrait: R3") for t in texts)


def test_figure_command(demo_path, tmp_path):
    run = lambda *args: run_cli_in_process("figure", str(demo_path), *args)  # noqa: E731
    for args in (["matrix", "--group-by", "arm", "--by", "characters"], ["cooccurrence", "--measure", "jaccard"],
                 ["frequencies"], ["saturation"], ["portrait", "R1"]):
        out = tmp_path / f"{args[0]}.svg"
        done = run(*args, "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert out.read_bytes().count(b"<text") > 5 and out.stat().st_mode & 0o077 == 0
    table = run("matrix")
    assert table.returncode == 0 and "Framework matrix" in table.stdout
    for bad in (["portrait", "--out", str(tmp_path / "x.svg")], ["matrix", "--group-by", "geen", "--out",
                                                               str(tmp_path / "x.svg")],
                ["portrait", "R9", "--out", str(tmp_path / "x.svg")], ["matrix", "--out", str(tmp_path / "x.jpg")]):
        done = run(*bad)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, bad


@pytest.mark.parametrize("columns", [80, 120])
def test_cooccurrence_in_the_terminal_is_numbered_with_the_full_names_in_a_key(demo_path, columns):
    """No code name is cut: rows and columns are numbered 1..n, the key below lists every full name,
    and the columns are split into blocks that fit the terminal, every cell the matrix's value."""
    with open_project(str(demo_path), create=False) as project:
        matrix = data.cooccurrence_matrix(load_material(project))
    done = run_cli_in_process("figure", str(demo_path), "cooccurrence", columns=columns)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    width = len(str(len(matrix.rows)))
    key = [line for line in lines if "│" not in line and "─" not in line][2:]
    assert key == [f"{number:>{width}}  {name}" for number, name in enumerate(matrix.rows, start=1)]
    shown: dict[tuple[int, int], int] = {}
    header: list[int] = []
    for line in lines:
        parts = [part.strip() for part in line.split("│")]
        if len(parts) > 1 and parts[0] == "":
            header = [int(p) for p in parts[1:]]
        elif len(parts) > 1 and parts[0].isdigit():
            shown.update({(int(parts[0]), column): int(value) for column, value in zip(header, parts[1:])})
    size = len(matrix.rows)
    assert len(shown) == size * size and len({h for h in header}) < size  # the columns came in more than one block
    assert all(shown[i + 1, j + 1] == int(matrix.values[i, j]) for i in range(size) for j in range(size))
