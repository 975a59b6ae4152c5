"""CONSORT flow diagram and the trial plot on the demo trial."""

from __future__ import annotations


import numpy as np
from scipy import stats

from thematica.quant.plots import means_over_time
from thematica.quant.trial_service import analyze, load
from thematica.reports.figures.consort import consort_diagram, flow_from_report
from thematica.reports.figures.trial_plot import trial_plot
from thematica.store.project import open_project

from tests.conftest import run_cli_in_process


def test_consort_counts_match_the_data_and_boxes_do_not_overlap(demo_path, check_formats, figs):
    with open_project(str(demo_path), create=False) as project:
        report = analyze(project, None, None, False, None, None, [], None)
        frame, _ = load(project)
    flow = flow_from_report(report, screened=180)
    for arm in flow.arms:
        members = frame[frame["arm"] == arm.arm]
        assert arm.allocated == members["participant"].nunique()
        last = members[members["time"] == members["time"].max()]
        assert arm.analysed == int(last["scl90"].notna().sum())
        statuses = members.drop_duplicates("participant")["status"].value_counts()
        assert {k.split("=", 1)[1]: v for k, v in arm.reasons.items()} == statuses.to_dict()
    svg = check_formats(lambda fmt: consort_diagram(flow, fmt))
    drawing = figs.read_graphviz_svg(svg)
    assert figs.collisions(list(drawing.nodes.values())) == []
    text = " ".join(drawing.texts)
    assert f"Randomised (n = {flow.randomised})" in text and "Excluded (n = 52)" in text
    assert all(f"Allocated to {arm.arm} (n = {arm.allocated})" in text for arm in flow.arms)
    assert "Follow-up 24" in text and "Analysis" in text


def test_dutch_consort_has_no_english_box_text(demo_path, figs):
    import re

    from thematica.reports.language import PHRASES

    with open_project(str(demo_path), create=False) as project:
        report = analyze(project, None, None, False, None, None, [], None)
    flow = flow_from_report(report, screened=180)
    drawing = figs.read_graphviz_svg(consort_diagram(flow, "svg", "nl"))
    assert figs.collisions(list(drawing.nodes.values())) == []
    text = " ".join(drawing.texts)
    assert f"Gerandomiseerd (n = {flow.randomised})" in text and "Inclusie" in text and "Geanalyseerd" in text
    assert all(f"Toegewezen aan {arm.arm} (n = {arm.allocated})" in text for arm in flow.arms)
    def words(language: str) -> set[str]:
        return {word for key, texts in PHRASES.items() if key.startswith("consort.")
                for word in re.findall(r"[A-Za-z]{4,}", re.sub(r"\{[^}]*\}", "", texts[language]))}

    english = words("en") - words("nl")  # "Status", "model", "Follow" are Dutch too
    assert {"Enrolment", "Randomised", "Allocated", "Analysed", "complete", "participants"} <= english
    assert sorted(word for word in english if re.search(rf"\b{word}\b", text)) == []


def test_trial_plot_means_match_scipy_and_text_is_text(demo_path, check_formats, figs):
    with open_project(str(demo_path), create=False) as project:
        frame, _ = load(project)
    series = means_over_time(frame, "scl90")
    values = frame[(frame["arm"] == "training") & (frame["time"].astype(str) == "12")]["scl90"].dropna()
    low, high = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    point = next(p for p in series["training"] if str(p[0]) == "12")
    assert np.allclose(point[1:4], (values.mean(), low, high)) and point[4] == len(values)
    svg = check_formats(lambda fmt: trial_plot(frame, "scl90", fmt, unit="GSI", time_label="months"))
    texts = figs.svg_texts(svg)
    assert "months" in texts and "training" in texts and "booster" in texts and "arm" in texts
    assert figs.collisions(figs.matplotlib_text_boxes(svg)) == []


def test_consort_and_plot_commands(demo_path, tmp_path):
    run = lambda *args: run_cli_in_process("trial", *args)  # noqa: E731
    done = run("consort", str(demo_path), "--out", str(tmp_path / "c.pdf"))
    assert done.returncode == 0, done.stderr
    done = run("plot", str(demo_path), "--outcome", "scl90", "--unit", "GSI", "--out", str(tmp_path / "p.svg"))
    assert done.returncode == 0 and b"scl90 (GSI)" in (tmp_path / "p.svg").read_bytes()
    terminal = run("plot", str(demo_path), "--outcome", "scl90")
    assert terminal.returncode == 0 and terminal.stdout.rstrip().splitlines()[-1].startswith("legend: training")
    docx_out = tmp_path / "t.docx"
    assert run("analyze", str(demo_path), "--format", "docx", "--out", str(docx_out)).returncode == 0
    import docx

    document = docx.Document(str(docx_out))
    assert document.inline_shapes and any("CONSORT" in p.text for p in document.paragraphs)
    assert run("consort", str(demo_path), "--out", str(tmp_path / "c.gif")).returncode == 2
    assert run("consort", str(demo_path), "--out", str(tmp_path / "c.svg"), "--screened", "3").returncode == 2


def test_dutch_trial_report_carries_the_dutch_consort(demo_path, tmp_path, run_cli):
    out = tmp_path / "trial-nl.html"
    result = run_cli("trial", "analyze", str(demo_path), "--format", "html", "--language", "nl",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Gerandomiseerd" in html and "Randomised" not in html
