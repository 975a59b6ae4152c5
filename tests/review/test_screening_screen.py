"""The screening screen, driven by keys with Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

from thematica.review import screening
from thematica.review.importing import import_records
from thematica.review.sample import sample_records, write_ris
from thematica.review.screening_session import ScreeningSession
from thematica.vocabulary import ReviewStage
from thematica.tui.screens.screening import ScreeningApp


def prepared(project, tmp_path: Path, n: int = 30):
    path = tmp_path / "records.ris"
    path.write_text(write_ris(sample_records(n, duplicate_share=0.0, seed=9)), encoding="utf-8")
    import_records(project, [path], database=None, actor="anouk")
    screening.add_reviewers(project, ["anouk", "bas"], actor="anouk")
    screening.set_keywords(project, ["gerandomiseerde", "randomised"], actor="anouk")
    screening.set_reasons(project, ["geen RCT", "andere populatie"], actor="anouk")
    return project


async def test_keys_decide_and_the_other_reviewer_stays_invisible(project, tmp_path):
    prepared(project, tmp_path)
    screening.decide(project, "bas", ReviewStage.TITLE_ABSTRACT, "1", screening.ReviewDecision.EXCLUDE)
    app = ScreeningApp(ScreeningSession(project, "anouk", ReviewStage.TITLE_ABSTRACT))
    async with app.run_test(size=(100, 30)) as pilot:
        assert "record 1 of 30" in str(app.query_one("#status").render())
        assert "not decided yet" in str(app.query_one("#record").render())  # bas's exclusion is not shown
        await pilot.press("i")
        await pilot.press("e")
        await pilot.press("m")
        assert "record 4 of 30" in str(app.query_one("#status").render())  # on to the next undecided
        await pilot.press("p", "p")
        assert "your decision: exclude" in str(app.query_one("#record").render())
        assert "decided 3 of 30" in str(app.query_one("#status").render())
    exported = screening.export_decisions(project, "anouk").splitlines()[1:]
    assert [line.split(",")[3] for line in exported] == ["include", "exclude", "maybe"]


async def test_a_full_text_exclusion_asks_for_the_reason(project, tmp_path):
    prepared(project, tmp_path, n=5)
    for reviewer in ("anouk", "bas"):
        for record in range(1, 6):
            screening.decide(project, reviewer, ReviewStage.TITLE_ABSTRACT, str(record), screening.ReviewDecision.INCLUDE)
    app = ScreeningApp(ScreeningSession(project, "anouk", ReviewStage.FULLTEXT))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await pilot.press(*"andere")
        await pilot.press("enter")
        await pilot.press("p")
        assert "exclude (andere populatie)" in str(app.query_one("#record").render())
