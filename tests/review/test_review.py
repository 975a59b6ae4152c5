"""Systematic review: import, de-duplication, blind screening, agreement, conflicts, PRISMA, extraction, RoB."""

from __future__ import annotations

import csv
import io
import re
import shutil
import struct
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from thematica.cli import main
from thematica.errors import ThematicaError
from thematica.quant.meta_analysis import analyse_network
from thematica.review import bias, extraction, screening
from thematica.review.agreement import screening_agreement
from thematica.review.duplicates import Candidate, find_duplicates, surname
from thematica.review.importing import confirm_duplicates, duplicate_candidates, import_records
from thematica.review.prisma import prisma_counts
from thematica.review.records import normalise_doi, read_records
from thematica.review.sample import sample_records, simulated_decisions, write_ris
from thematica.vocabulary import BiasTool, ReviewDecision, ReviewStage
from thematica.store import review as review_store
from thematica.store.project import open_project

RIS = """TY  - JOUR
TI  - Individuele plaatsing en steun bij schizofrenie: een gerandomiseerde studie
AU  - de Vries, Jan
AU  - Müller, Anouk
PY  - 2019
JO  - Tijdschrift voor Psychiatrie
AB  - Cliënten met ernstige psychiatrische aandoeningen vonden vaker betaald werk.
DO  - https://doi.org/10.1234/TVP.2019.001
DB  - PsycINFO
ER  - 

TY  - JOUR
TI  - Supported employment in first-episode psychosis
AU  - Smith, J.
PY  - 2021
ER  - 
"""

BIB = """@article{vries2019,
  title = {Individuele plaatsing en steun bij {schizofrenie}: een gerandomiseerde studie},
  author = {de Vries, Jan and Müller, Anouk},
  year = {2019},
  journal = {Tijdschrift voor Psychiatrie},
  doi = {10.1234/tvp.2019.001}
}
"""

MEDLINE = """PMID- 31234567
TI  - Individuele plaatsing en steun bij schizofrenie: een gerandomiseerde
      studie.
AB  - Cliënten vonden vaker werk.
FAU - de Vries, Jan
AU  - de Vries J
DP  - 2019 Mar
JT  - Tijdschrift voor Psychiatrie
LID - 10.1234/tvp.2019.001 [doi]

PMID- 31234568
TI  - Work and recovery.
DP  - 2020
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_four_formats_read_the_same_record_with_dutch_text(tmp_path):
    ris = read_records(write(tmp_path, "psycinfo.ris", RIS))
    bib = read_records(write(tmp_path, "scopus.bib", BIB), database="Scopus")
    med = read_records(write(tmp_path, "pubmed.txt", MEDLINE))
    csv_path = write(tmp_path, "embase.csv", "Title,Authors,Year,DOI,Journal\n"
                     "\"Individuele plaatsing en steun bij schizofrenie: een gerandomiseerde studie\","
                     "\"de Vries, Jan; Müller, Anouk\",2019,doi:10.1234/TVP.2019.001,Tijdschrift voor Psychiatrie\n",
                     encoding="cp1252")
    rows = read_records(csv_path)
    for records, database in ((ris, "PsycINFO"), (bib, "Scopus"), (med, "PubMed"), (rows, "embase")):
        first = records[0]
        assert first.doi == "10.1234/tvp.2019.001"
        assert first.year == 2019
        assert first.database == database
        assert "gerandomiseerde studie" in first.title
        assert surname(first.first_author) == "vries"
    assert ris[0].authors[1] == "Müller, Anouk" and "Cliënten" in ris[0].abstract
    assert med[0].title.endswith("gerandomiseerde studie.")  # continuation line joined
    assert ris[1].database == "psycinfo"  # no DB field: the file's name
    assert normalise_doi("DOI: 10.1/ABC.") == "10.1/abc" and normalise_doi("not a doi") == ""


@pytest.mark.parametrize("name, text, reason", [
    ("notes.txt", "dit is geen export\nmaar een notitie\n", "not a RIS, BibTeX, MEDLINE or CSV"),
    ("x.ris", "TY  - JOUR\nAU  - Jansen\nER  - \n", "row 1: record has no title"),
    ("x.csv", "title,year\nWerk,2020\n,2021\n", "row 3: record has no title"),
    ("x.txt", "PMID- 1\nAB  - geen titel\n", "row 1: record has no title"),
])
def test_bad_exports_are_refused_whole(project, tmp_path, name, text, reason):
    good = write(tmp_path, "good.ris", RIS)
    bad = write(tmp_path, name, text)
    with pytest.raises(ThematicaError, match=re.escape(reason)):
        import_records(project, [good, bad], database=None, actor="lead")
    with project.reading() as session:
        assert review_store.record_count(session) == 0


def test_duplicates_are_proposed_never_removed_until_confirmed(project, tmp_path):
    import_records(project, [write(tmp_path, "a.ris", RIS), write(tmp_path, "b.bib", BIB),
                             write(tmp_path, "c.txt", MEDLINE)], database=None, actor="lead")
    pairs = duplicate_candidates(project)
    assert {(p.keep, p.duplicate) for p in pairs} == {(1, 3), (1, 4)}
    with project.reading() as session:
        assert all(r.duplicate_of is None for r in review_store.all_records(session))
    assert confirm_duplicates(project, None, actor="lead") == 2
    counts = prisma_counts(project)
    assert counts.identified_total == 5 and counts.duplicates_removed == 2 and counts.screened == 3
    assert dict(counts.identified) == {"PubMed": 2, "PsycINFO": 1, "a": 1, "b": 1}


def test_deduplication_of_10000_generated_records_recall_and_precision():
    records = sample_records(10_000, duplicate_share=0.2, seed=11)
    candidates = [Candidate(r.key, r.title, r.year, r.authors[0], normalise_doi(r.doi)) for r in records]
    pairs = find_duplicates(candidates)
    truth = {r.key: r.truth for r in records if r.truth is not None}
    found = {p.duplicate: p.keep for p in pairs}

    def root(key: int) -> int:
        return truth.get(key, key)

    true_positive = sum(1 for d, k in found.items() if root(d) == root(k))
    recall = true_positive / len(truth)
    precision = true_positive / len(found)
    assert recall >= 0.95 and precision >= 0.95, (recall, precision)


@pytest.fixture(scope="module")
def screened_file(tmp_path_factory) -> tuple[Path, list[str], list[str]]:
    """500 generated records, three reviewers registered, anouk and bas screen every record blind:
    built once per module into a closed project file (the tests below each change a copy of it)."""
    folder = tmp_path_factory.mktemp("screened")
    path = folder / "screened.thematica"
    records = sample_records(500, duplicate_share=0.0, seed=5)
    with open_project(path, create=True) as project:
        import_records(project, [write(folder, "records.ris", write_ris(records))], database=None, actor="anouk")
        screening.add_reviewers(project, ["anouk", "bas", "carla"], actor="anouk")
        first, second = simulated_decisions([r.relevant for r in records], agreement=0.85, seed=3)
        lines = ["record,reviewer,stage,decision,reason,note"]
        for number, (a, b) in enumerate(zip(first, second), start=1):
            lines.append(f"{number},anouk,title,{a},,")
            lines.append(f"{number},bas,title,{b},,")
        screening.import_decisions(project, write(folder, "decisions.csv", "\n".join(lines) + "\n"), actor="anouk")
    assert not path.with_name(path.name + "-wal").exists()  # the last connection closed: all in the file
    return path, first, second


@pytest.fixture
def screened(screened_file, project_path):
    """An open copy of ``screened_file`` (owner-only, as the product makes a project), for one test."""
    source, first, second = screened_file
    shutil.copyfile(source, project_path)
    project_path.chmod(0o600)
    with open_project(project_path) as project:
        yield project, first, second


def test_screening_is_blind_and_kappa_matches_scikit_learn(screened):
    project, first, second = screened
    result = screening_agreement(project, ReviewStage.TITLE_ABSTRACT, "anouk", "bas")
    assert result.table.n == 500
    assert result.kappa == pytest.approx(cohen_kappa_score(first, second), abs=1e-12)
    assert result.percent == pytest.approx(sum(a == b for a, b in zip(first, second)) / 500)
    exported = list(csv.DictReader(io.StringIO(screening.export_decisions(project, "anouk"))))
    assert {row["reviewer"] for row in exported} == {"anouk"} and len(exported) == 500
    with pytest.raises(ThematicaError, match="open a conflict meeting"):
        screening.conflicts(project, ReviewStage.TITLE_ABSTRACT, "anouk")
    screening.open_meeting(project, "title", ["anouk", "bas"], ["carla"], actor="anouk")
    differing = sum(a != b for a, b in zip(first, second))
    assert len(screening.conflicts(project, ReviewStage.TITLE_ABSTRACT, "bas")) == differing
    assert {r["reviewer"] for r in csv.DictReader(io.StringIO(screening.export_decisions(project, "anouk")))} == {
        "anouk", "bas"}
    assert len(screening.conflicts(project, ReviewStage.TITLE_ABSTRACT, "carla")) == differing  # the third reviewer


def test_a_reviewer_outside_the_meeting_stays_blind(screened, tmp_path):
    project, _, _ = screened
    screening.add_reviewers(project, ["dirk"], actor="anouk")
    screening.open_meeting(project, "title", ["anouk", "bas"], [], actor="anouk")
    assert {r["reviewer"] for r in csv.DictReader(io.StringIO(screening.export_decisions(project, "dirk")))} <= {"dirk"}
    with pytest.raises(ThematicaError, match="may not see"):
        screening.conflicts(project, ReviewStage.TITLE_ABSTRACT, "dirk")
    with pytest.raises(ThematicaError, match="neither a reviewer of the meeting"):
        screening.resolve(project, ReviewStage.TITLE_ABSTRACT, "1", ReviewDecision.INCLUDE, decider="dirk", rationale="x")


def test_conflicts_resolved_append_only_and_prisma_follows(screened):
    project, first, second = screened
    screening.open_meeting(project, "title", ["anouk", "bas"], ["carla"], actor="anouk")
    conflicts = screening.conflicts(project, ReviewStage.TITLE_ABSTRACT, "anouk")
    record = str(conflicts[0].record_id)
    screening.resolve(project, ReviewStage.TITLE_ABSTRACT, record, ReviewDecision.EXCLUDE, decider="anouk", rationale="geen RCT")
    screening.resolve(project, ReviewStage.TITLE_ABSTRACT, record, ReviewDecision.INCLUDE, decider="carla",
                      rationale="derde beoordelaar: wel gerandomiseerd")
    with project.reading() as session:
        history = [r for r in review_store.all_resolutions(session) if r.record_id == int(record)]
    assert [r.decision for r in history] == ["exclude", "include"]
    assert history[0].superseded_by == history[1].id and history[1].superseded_by is None
    for conflict in conflicts[1:]:
        screening.resolve(project, ReviewStage.TITLE_ABSTRACT, str(conflict.record_id), ReviewDecision.EXCLUDE, decider="bas",
                          rationale="consensus")
    counts = prisma_counts(project)
    agreed_include = sum(a == b == "include" for a, b in zip(first, second))
    assert counts.undecided_screening == 0
    assert counts.sought == agreed_include + 1
    assert counts.excluded_screening == 500 - counts.sought
    # full text: reasons from the review's list
    screening.set_reasons(project, ["wrong population", "not randomised"], actor="anouk")
    title_outcomes = screening.stage_outcomes_for(project, ReviewStage.TITLE_ABSTRACT)
    included = [rid for rid in range(1, 501) if title_outcomes[rid] == "include"]
    screening.mark_not_retrieved(project, [str(included[0])], actor="anouk")
    with pytest.raises(ThematicaError, match="needs a reason"):
        screening.decide(project, "anouk", ReviewStage.FULLTEXT, str(included[1]), ReviewDecision.EXCLUDE)
    with pytest.raises(ThematicaError, match="not in the review's list"):
        screening.decide(project, "anouk", ReviewStage.FULLTEXT, str(included[1]), ReviewDecision.EXCLUDE, reason="te oud")
    with pytest.raises(ThematicaError, match="was not included at title"):
        excluded = next(rid for rid in range(1, 501) if rid not in included)
        screening.decide(project, "anouk", ReviewStage.FULLTEXT, str(excluded), ReviewDecision.INCLUDE)
    for reviewer in ("anouk", "bas"):
        for rid in included[1:]:
            exclude = rid % 3 == 0
            screening.decide(project, reviewer, ReviewStage.FULLTEXT, str(rid),
                             ReviewDecision.EXCLUDE if exclude else ReviewDecision.INCLUDE,
                             reason="not randomised" if exclude else "")
    counts = prisma_counts(project)
    assert counts.not_retrieved == 1 and counts.assessed == len(included) - 1
    assert dict(counts.excluded_reasons) == {"not randomised": sum(1 for rid in included[1:] if rid % 3 == 0)}
    assert counts.included == counts.assessed - counts.excluded_fulltext


def test_prisma_figure_has_text_as_text_and_300_dpi(screened, tmp_path):
    project, _, _ = screened
    for suffix in (".svg", ".png", ".pdf"):
        out = tmp_path / f"prisma{suffix}"
        with pytest.raises(SystemExit) as ended:
            main(["review", "prisma", str(project.path), "--out", str(out), "--language", "nl"])
        assert ended.value.code == 0
        assert out.stat().st_mode & 0o777 == 0o600
    svg = (tmp_path / "prisma.svg").read_text().replace("\u00a0", " ").replace("&#160;", " ")  # no-break spaces
    assert "<text" in svg and "Gescreende records" in svg and "(n = 500)" in svg
    png = (tmp_path / "prisma.png").read_bytes()
    chunk = png.index(b"pHYs")
    x_per_metre = struct.unpack(">I", png[chunk + 4:chunk + 8])[0]
    assert round(x_per_metre * 0.0254) == 300
    assert b"/FontFile2" in (tmp_path / "prisma.pdf").read_bytes()  # embedded TrueType


def test_prisma_figure_follows_the_project_language_unless_told(screened, tmp_path):
    """Like every report command, `review prisma --out` writes in the project's language by default."""
    from thematica.corpus.project_details import set_project_details

    project, _, _ = screened

    def drawn(*extra: str) -> str:
        out = tmp_path / "prisma.svg"
        with pytest.raises(SystemExit) as ended:
            main(["review", "prisma", str(project.path), "--out", str(out), *extra])
        assert ended.value.code == 0
        return out.read_text().replace("\u00a0", " ").replace("&#160;", " ")

    assert "Records screened" in drawn() and "Gescreende records" not in drawn()  # a project in English
    set_project_details(project, language="nl")
    assert "Gescreende records" in drawn() and "Records screened" not in drawn()
    assert "Records screened" in drawn("--language", "en")


FORM = """title = "Werk en EPA"
[[field]]
name = "events"
type = "integer"
[[field]]
name = "n"
type = "integer"
[[field]]
name = "design"
type = "choice"
choices = ["RCT", "cluster-RCT"]
"""


def extraction_csv(rows: list[tuple[str, str, str, str, str]]) -> str:
    return "study,outcome,arm,events,n\n" + "".join(",".join(r) + "\n" for r in rows)


def test_double_extraction_aligns_arms_and_feeds_the_network_meta_analysis(project, tmp_path):
    screening.add_reviewers(project, ["anouk", "bas", "carla"], actor="anouk")
    extraction.set_form(project, write(tmp_path, "form.toml", FORM), actor="anouk")
    studies = [("S1", "IPS", "48", "100"), ("S1", "TAU", "22", "100"), ("S2", "IPS", "35", "80"),
               ("S2", "TAU", "20", "82"), ("S3", "IPS", "30", "60"), ("S3", "Training", "25", "61"),
               ("S3", "TAU", "12", "58"), ("S4", "Training", "18", "50"), ("S4", "TAU", "10", "52")]
    anouk = [(s, "werk", arm, e, n) for s, arm, e, n in studies]
    bas = [row for row in anouk if (row[0], row[2]) != ("S3", "Training")]  # one arm missing
    bas = [(s, o, a, "21" if (s, a) == ("S2", "TAU") else e, n) for s, o, a, e, n in bas]  # one typing error
    extraction.import_extraction(project, write(tmp_path, "a.csv", extraction_csv(anouk)), reviewer="anouk")
    extraction.import_extraction(project, write(tmp_path, "b.csv", extraction_csv(bas)), reviewer="bas")
    with pytest.raises(ThematicaError, match="open a meeting first"):
        extraction.compare(project, "anouk", "bas", viewer="anouk")
    screening.open_meeting(project, "extraction", ["anouk", "bas"], ["carla"], actor="anouk")
    differences = extraction.compare(project, "anouk", "bas", viewer="bas")
    assert [(d.key[0], d.key[3], d.field) for d in differences] == [("S2", "TAU", "events"), ("S3", "Training", None)]
    copied, remaining = extraction.agree(project, "anouk", "bas", actor="anouk")
    assert remaining == 2 and copied == 2 * 8 - 1
    with pytest.raises(ThematicaError, match="extracted but not agreed"):
        extraction.agreed_arms_csv(project, "werk")
    extraction.resolve(project, ("S3", "werk", "", "Training"), decider="carla", rationale="gecontroleerd in artikel",
                       accept="anouk")
    extraction.resolve(project, ("S2", "werk", "", "TAU"), decider="anouk", rationale="tabel 2", field="events",
                       value="20")
    arms = tmp_path / "arms.csv"
    arms.write_text(extraction.agreed_arms_csv(project, "werk"))
    result = analyse_network(arms, "RR", "TAU", random=False)
    assert {t for t in result.treatments} == {"IPS", "TAU", "Training"}
    with pytest.raises(ThematicaError, match="row 2: field events: .veel. is not a number"):
        extraction.import_extraction(project, write(tmp_path, "c.csv", extraction_csv([("S9", "werk", "IPS", "veel",
                                                                                           "10")])), reviewer="bas")


def test_risk_of_bias_agreement_consensus_and_rob2_overall(project, tmp_path):
    screening.add_reviewers(project, ["anouk", "bas"], actor="anouk")
    levels = ["low", "some concerns", "high"]
    a_rows, b_rows = ["study,domain,judgement"], ["study,domain,judgement"]
    x_all, y_all = {}, {}
    for s in range(1, 11):
        for d in range(1, 6):
            x = levels[(s * d) % 3]
            y = x if (s + d) % 4 else levels[(s * d + 1) % 3]
            a_rows.append(f"Studie {s},{d},{x}")
            b_rows.append(f"Studie {s},{d},{y}")
            x_all.setdefault(d, []).append(x)
            y_all.setdefault(d, []).append(y)
    bias.import_judgements(project, write(tmp_path, "a.csv", "\n".join(a_rows)), BiasTool.ROB2, reviewer="anouk")
    bias.import_judgements(project, write(tmp_path, "b.csv", "\n".join(b_rows)), BiasTool.ROB2, reviewer="bas")
    results = bias.domain_agreement(project, BiasTool.ROB2, "anouk", "bas")
    for d, result in enumerate(results, start=1):
        assert result.kappa == pytest.approx(cohen_kappa_score(x_all[d], y_all[d], labels=levels, weights="linear"))
    screening.open_meeting(project, "rob2", ["anouk", "bas"], [], actor="anouk")
    copied, differing = bias.agree(project, BiasTool.ROB2, "anouk", "bas", actor="bas")
    assert copied + len(differing) == 50
    for study, domain in differing:
        bias.resolve(project, BiasTool.ROB2, study, domain, "high", decider="anouk", rationale="consensus")
    table = bias.agreed_table(project, BiasTool.ROB2)
    assert len(table.studies) == 10 and table.domains[-1] == "overall"
    assert bias.rob2_overall({d: "low" for d in table.domains[:-1]}) == "low"
    assert bias.rob2_overall({**{d: "low" for d in table.domains[:-1]}, "missing outcome data": "some concerns"}) \
        == "some concerns"
    with pytest.raises(ThematicaError, match="row 2: judgement 'laag' is not one of"):
        bias.import_judgements(project, write(tmp_path, "c.csv", "study,domain,judgement\nS,1,laag\n"),
                               BiasTool.ROB2, reviewer="bas")
    out = tmp_path / "rob.svg"
    with pytest.raises(SystemExit) as ended:
        main(["review", "bias", "figure", str(project.path), "--tool", "rob2", "--out", str(out)])
    assert ended.value.code == 0 and "<text" in out.read_text()


@pytest.mark.parametrize("argv_tail, message", [
    (["decide", "{p}", "999", "include", "--as", "anouk"], "unknown record '999'"),
    (["decide", "{p}", "1", "include", "--as", "zoe"], "'zoe' is not a reviewer"),
    (["resolve", "{p}", "1", "include", "--rationale", "x", "--as", "anouk"], "no conflict meeting is open"),
    (["decisions", "import", "{p}", "{bad}"], "row 2: unknown record"),
])
def test_cli_refusals_are_one_line_and_change_nothing(screened, tmp_path, capsys, project_digest, argv_tail, message):
    project, _, _ = screened
    path = project.path
    bad = write(tmp_path, "bad.csv", "record,reviewer,stage,decision\n10.9/onbekend,anouk,title,include\n")
    before = project_digest(path)
    argv = ["review"] + [part.format(p=path, bad=bad) for part in argv_tail]
    with pytest.raises(SystemExit) as ended:
        main(argv)
    assert ended.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert project_digest(path) == before


def test_reviewer_names_follow_the_coders_rules(project):
    assert screening.add_reviewers(project, ["Anouk ", "bas"], actor="lead") == ["Anouk", "bas"]
    assert screening.add_reviewers(project, ["anouk"], actor="lead") == []  # the same person
    with pytest.raises(ThematicaError, match="reserved"):
        screening.add_reviewers(project, ["consensus"], actor="lead")


def test_methods_report_in_dutch_docx_with_the_agreement_table_and_prisma(screened, tmp_path):
    import docx

    project, first, second = screened
    out = tmp_path / "methode.docx"
    with pytest.raises(SystemExit) as ended:
        main(["review", "report", str(project.path), "--out", str(out), "--language", "nl",
              "--reviewers", "anouk,bas"])
    assert ended.value.code == 0
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    kappa = cohen_kappa_score(first, second)
    assert "onafhankelijk van elkaar" in text and f"Cohens κ = {kappa:.2f}".replace(".", ",") in text
    assert "PRISMA 2020-stroomdiagram" in text and len(document.inline_shapes) == 1
    table = document.tables[0]
    assert table.rows[0].cells[0].text == "Fase" and table.rows[1].cells[1].text == "500"
    assert document.core_properties.language == "nl-NL"


def test_the_methods_report_states_only_what_a_meeting_decided(screened, tmp_path):
    project, first, second = screened
    out = tmp_path / "m.md"

    def report() -> str:
        with pytest.raises(SystemExit) as ended:
            main(["review", "report", str(project.path), "--out", str(out), "--reviewers", "anouk,bas"])
        assert ended.value.code == 0
        return out.read_text(encoding="utf-8")

    assert "logged meeting" not in report()  # no meeting yet: no claim that differences were resolved
    screening.open_meeting(project, "title", ["anouk", "bas"], ["carla"], actor="anouk")
    conflicts = screening.conflicts(project, ReviewStage.TITLE_ABSTRACT, "anouk")
    screening.resolve(project, ReviewStage.TITLE_ABSTRACT, str(conflicts[0].record_id), ReviewDecision.INCLUDE, decider="carla",
                      rationale="derde beoordelaar")
    differing = sum(a != b for a, b in zip(first, second))
    assert (f"1 of the {differing} records on which they differed at the title/abstract stage were decided, "
            "1 of them by a third reviewer") in report()


def test_a_third_reviewer_screening_a_few_records_does_not_hold_up_the_others(screened):
    project, first, second = screened
    before = screening.stage_outcomes_for(project, ReviewStage.TITLE_ABSTRACT)
    screening.decide(project, "carla", ReviewStage.TITLE_ABSTRACT, "1", ReviewDecision(first[0]))
    assert screening.stage_outcomes_for(project, ReviewStage.TITLE_ABSTRACT) == before
