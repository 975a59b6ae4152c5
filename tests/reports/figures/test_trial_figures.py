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
    assert "Follow-up at timepoint 24" in text and "Analysis" in text  # no unit given: the data's number
    assert "(status)" not in text and text.count("Participants by status:") == len(flow.arms)


def test_consort_timepoints_carry_their_unit_and_the_status_column_is_named_once(demo_path, figs):
    """With --time-unit the timepoints read "at 12 months" / "na 12 maanden" (singular for 1), and the
    Analysed box names the status column once above its values instead of after every value."""
    from thematica.reports.figures.consort import ArmFlow, Flow, status_lines, timepoint_words

    with open_project(str(demo_path), create=False) as project:
        report = analyze(project, None, None, False, None, None, [], None)
    flow = flow_from_report(report)
    english = " ".join(figs.read_graphviz_svg(consort_diagram(flow, "svg", "en", "months")).texts)
    dutch = " ".join(figs.read_graphviz_svg(consort_diagram(flow, "svg", "nl", "months")).texts)
    training = next(arm for arm in flow.arms if arm.arm == "training")
    time, assessed, missing = training.timepoints[-1]
    assert f"Follow-up at {time} months" in english and f"Assessed at {time} months (n = {assessed})" in english
    assert f"Not assessed at {time} months: {missing}" in english and "assessed at baseline (0 months)" in english
    assert f"Follow-up na {time} maanden" in dutch and f"Gemeten na {time} maanden (n = {assessed})" in dutch
    assert f"Niet gemeten na {time} maanden: {missing}" in dutch and "(status)" not in dutch
    assert "Deelnemers naar status:" in dutch and "timepoint" not in dutch and "months" not in dutch
    assert timepoint_words("1", "weeks", "en") == ("1 week", "at 1 week")
    assert timepoint_words("1", "months", "nl") == ("1 maand", "na 1 maand")
    assert timepoint_words("3", None, "nl") == ("meetmoment 3", "op meetmoment 3")
    reasons = {"status=afgerond": 5, "status=verhuisd": 1, "reden=geen tijd": 2}
    assert status_lines(reasons, "en") == ["Participants by status:", "• afgerond: 5", "• verhuisd: 1",
                                            "Participants by reden:", "• geen tijd: 2"]
    single = Flow([ArmFlow("A", 2, [("0", 2, 0), ("1", 2, 0)])])
    assert "Follow-up at 1 year" in " ".join(figs.read_graphviz_svg(consort_diagram(single, "svg", "en", "years")).texts)


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
    assert {"Enrolment", "Randomised", "Allocated", "Analysed", "complete", "Participants", "timepoint"} <= english
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
    bad_unit = run("consort", str(demo_path), "--out", str(tmp_path / "c.svg"), "--time-unit", "fortnights")
    assert bad_unit.returncode == 2 and len(bad_unit.stderr.strip().splitlines()) == 1
    assert run("consort", str(demo_path), "--out", str(tmp_path / "w.svg"), "--time-unit", "weeks", "--language",
               "nl").returncode == 0
    assert "Gemeten na 24 weken" in (tmp_path / "w.svg").read_text(encoding="utf-8").replace("&#160;", " ")
    assert run("consort", str(demo_path), "--out", str(tmp_path / "c.svg"), "--screened", "3").returncode == 2


def test_dutch_trial_report_carries_the_dutch_consort(demo_path, tmp_path, run_cli):
    out = tmp_path / "trial-nl.html"
    result = run_cli("trial", "analyze", str(demo_path), "--format", "html", "--language", "nl",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Gerandomiseerd" in html and "Randomised" not in html
