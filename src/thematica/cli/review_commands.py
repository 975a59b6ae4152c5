"""Systematic review: records, duplicates, blind screening, agreement, conflicts, PRISMA, extraction, bias."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import typer
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from thematica.cli.common import (LanguageOption, ProjectArgument, TableOrJson, console, emit, open_existing, to_json,
                                  write_report)
from thematica.errors import ThematicaError
from thematica.vocabulary import BiasTool, ReviewDecision, ReviewStage

review_app = typer.Typer(help="Systematic review: import records, de-duplicate, screen blind, agree, PRISMA, "
                              "extract, risk of bias.", no_args_is_help=True)
decisions_app = typer.Typer(help="Screening decisions as CSV (record,reviewer,stage,decision,reason,note).",
                            no_args_is_help=True)
extraction_app = typer.Typer(help="Double data extraction: form, import, compare, agree, resolve, export.",
                             no_args_is_help=True)
bias_app = typer.Typer(help="Risk of bias (RoB 1 or RoB 2): import, agreement, agree, resolve, table, figures.",
                       no_args_is_help=True)
AsOption = typer.Option(..., "--as", help="The reviewer doing this (a registered reviewer).")


TITLE_CELLS = {"duplicates": 70, "conflicts": 60}  # a record title's width in terminal cells, per table
ELLIPSIS = "…"


def cut_title(title: str, cells: int) -> str:
    """A record title on one line in at most ``cells`` terminal cells; a longer one ends in "…".

    Whitespace runs (line breaks from RIS/MEDLINE continuation lines) become one space. The width is
    counted in terminal cells (a CJK character takes two), and the cut falls only between whole
    characters as the reader sees them (never between a letter and its combining marks, inside an
    emoji's zero-width-joiner sequence or between the two halves of a flag), so the "…" (one
    character, one cell) always follows a whole character.
    """
    line = " ".join(title.split())
    if cell_len(line) <= cells:
        return line
    end, used, budget = 0, 0, cells - cell_len(ELLIPSIS)
    while end < len(line) and used + cell_len(line[end]) <= budget:
        used += cell_len(line[end])
        end += 1
    while 0 < end < len(line) and not _boundary(line, end):
        end -= 1
    return line[:end].rstrip() + ELLIPSIS


def _boundary(text: str, index: int) -> bool:
    """Whether a cut before ``text[index]`` falls between two whole characters."""
    character, before = text[index], text[index - 1]
    if unicodedata.category(character) in ("Mn", "Me", "Mc") or before == "\u200d" or character == "\u200d":
        return False
    if "\ufe00" <= character <= "\ufe0f" or "\U0001f3fb" <= character <= "\U0001f3ff":
        return False  # variation selector, skin tone
    if _regional(character):  # a flag is a pair of regional indicators
        run = 0
        while index - run - 1 >= 0 and _regional(text[index - run - 1]):
            run += 1
        return run % 2 == 0
    return True


def _regional(character: str) -> bool:
    return "\U0001f1e6" <= character <= "\U0001f1ff"


def _table(title: str, columns: list[str], rows: list[list[str]]) -> Table:
    """Cells are plain text, so a title such as "[Dutch version]" is shown, not read as Rich markup."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column)  # Rich's default overflow: a word wider than the column ends in "…"
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def review_import(project: str = ProjectArgument,
                  files: list[Path] = typer.Argument(..., help="RIS, BibTeX, PubMed/MEDLINE text or CSV exports."),
                  database: str | None = typer.Option(None, "--database",
                                                      help="Source database of these files (else the record's "
                                                           "own DB field, else the file name)."),
                  actor: str = typer.Option("lead", "--as", help="Who imports (for the log).")) -> None:
    """Import record exports; all files are checked before any record is stored."""
    from thematica.review.importing import import_records

    with open_existing(project) as handle:
        summary = import_records(handle, files, database=database, actor=actor)
    for name, count in summary.files:
        console.print(f"{name}: {count} records")
    for name, count in summary.by_database:
        console.print(f"  {name}: {count}")
    console.print(f"{summary.total} records imported; {summary.candidates} proposed duplicates "
                  "(see 'thematica review duplicates')")


def review_duplicates(project: str = ProjectArgument,
                      confirm: str | None = typer.Option(None, "--confirm",
                                                         help="'all', or record ids (comma-separated) to mark as "
                                                              "duplicates of their kept record."),
                      reject: str | None = typer.Option(None, "--reject",
                                                        help="Record ids (comma-separated) that are not duplicates."),
                      actor: str = typer.Option("lead", "--as"),
                      format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """List proposed duplicates (same DOI, or similar title + year + first author); confirm or reject them."""
    from thematica.review.importing import confirm_duplicates, duplicate_candidates, record_titles, reject_duplicates

    def ids(text: str) -> list[int]:
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise ThematicaError(f"record ids are numbers, not {text!r}") from None

    with open_existing(project) as handle:
        if confirm is not None:
            count = confirm_duplicates(handle, None if confirm.strip() == "all" else ids(confirm), actor=actor)
            console.print(f"{count} records marked as duplicates")
            return
        if reject is not None:
            count = reject_duplicates(handle, ids(reject), actor=actor)
            console.print(f"{count} proposed pairs recorded as distinct records")
            return
        pairs = duplicate_candidates(handle)
        titles = record_titles(handle, [p.duplicate for p in pairs])
    if format is TableOrJson.json:
        emit(to_json([p.to_dict() for p in pairs]), None)
        return
    console.print(_table(f"{len(pairs)} proposed duplicates", ["keep", "duplicate", "reason", "score", "title"],
                         [[str(p.keep), str(p.duplicate), p.reason, f"{p.score:.1f}",
                           cut_title(titles[p.duplicate], TITLE_CELLS["duplicates"])] for p in pairs]))


def review_reviewers(project: str = ProjectArgument,
                     names: list[str] = typer.Argument(..., help="Reviewers to register."),
                     actor: str = typer.Option("lead", "--as")) -> None:
    """Register reviewers (they screen, extract and judge risk of bias blind to each other)."""
    from thematica.review.screening import add_reviewers

    with open_existing(project) as handle:
        added = add_reviewers(handle, names, actor=actor)
    console.print(f"reviewers added: {', '.join(added) or 'none (already registered)'}")


def review_reasons(project: str = ProjectArgument,
                   reasons: list[str] = typer.Argument(..., help="The exclusion reasons for the full-text stage."),
                   actor: str = typer.Option("lead", "--as")) -> None:
    """Set the review's list of full-text exclusion reasons (PRISMA reports each with its count)."""
    from thematica.review.screening import set_reasons

    with open_existing(project) as handle:
        set_reasons(handle, reasons, actor=actor)


def review_keywords(project: str = ProjectArgument,
                    words: list[str] = typer.Argument(..., help="Words of the inclusion criteria to highlight."),
                    actor: str = typer.Option("lead", "--as")) -> None:
    """Set the inclusion criteria's keywords that the screening screen highlights."""
    from thematica.review.screening import set_keywords

    with open_existing(project) as handle:
        set_keywords(handle, words, actor=actor)


def review_decide(project: str = ProjectArgument, record: str = typer.Argument(..., help="Record id or DOI."),
                  decision: ReviewDecision = typer.Argument(...),
                  stage: ReviewStage = typer.Option(ReviewStage.TITLE_ABSTRACT, "--stage"),
                  reason: str = typer.Option("", "--reason", help="Exclusion reason (required at full text)."),
                  note: str = typer.Option("", "--note"), reviewer: str = AsOption) -> None:
    """Record one screening decision (a later decision supersedes the reviewer's earlier one; both are kept)."""
    from thematica.review.screening import decide

    with open_existing(project) as handle:
        decide(handle, reviewer, stage, record, decision, reason=reason, note=note)
    console.print(f"record {record}: {decision.value} at {stage.value} by {reviewer}")


def review_screen(project: str = ProjectArgument, stage: ReviewStage = typer.Option(ReviewStage.TITLE_ABSTRACT, "--stage"),
                  reviewer: str = AsOption) -> None:
    """The screening screen: title and abstract with the criteria's keywords highlighted; i/e/m decide."""
    from thematica.tui.screens.screening import run_screening

    run_screening(project, reviewer, stage)


def decisions_import(project: str = ProjectArgument, file: Path = typer.Argument(...),
                     actor: str = typer.Option("lead", "--as")) -> None:
    """Import decisions made elsewhere; every row is checked before any is stored."""
    from thematica.review.screening import import_decisions

    with open_existing(project) as handle:
        count = import_decisions(handle, file, actor=actor)
    console.print(f"{count} decisions imported")


def decisions_export(project: str = ProjectArgument, viewer: str = AsOption,
                     out: Path | None = typer.Option(None, "--out")) -> None:
    """Export the decisions this reviewer may see (only their own while the project is blind)."""
    from thematica.review.screening import export_decisions

    with open_existing(project) as handle:
        emit(export_decisions(handle, viewer), out)


def review_progress(project: str = ProjectArgument, stage: ReviewStage = typer.Option(ReviewStage.TITLE_ABSTRACT, "--stage")) -> None:
    """Decisions per reviewer (counts only)."""
    from thematica.review.screening import progress

    with open_existing(project) as handle:
        counts = progress(handle, stage)
    console.print(_table(f"Screening progress ({stage.value})", ["reviewer", "decisions"],
                         [[name, str(n)] for name, n in counts.items()]))


def review_agreement(project: str = ProjectArgument, stage: ReviewStage = typer.Option(ReviewStage.TITLE_ABSTRACT, "--stage"),
                     reviewers: str = typer.Option(..., "--reviewers", help="Two reviewers: a,b."),
                     format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """Cohen's kappa, PABAK, Gwet's AC1 and percent agreement with the 2×2 table (maybe counts as include at
    title/abstract; at full text maybes are left out of the table and counted)."""
    from thematica.review.agreement import screening_agreement

    first, second = _pair(reviewers)
    with open_existing(project) as handle:
        result = screening_agreement(handle, stage, first, second)
    if format is TableOrJson.json:
        emit(to_json(result.to_dict()), None)
        return
    t = result.table
    a, b = result.reviewers
    console.print(_table(f"Screening agreement ({stage.value}), n = {t.n}", ["", f"{b} include", f"{b} exclude"],
                         [[f"{a} include", str(t.both), str(t.a_only)], [f"{a} exclude", str(t.b_only), str(t.neither)]]))
    show = lambda v: "—" if v is None else f"{v:.3f}"  # noqa: E731
    console.print(f"kappa {show(result.kappa)}  PABAK {show(result.pabak)}  AC1 {show(result.ac1)}  "
                  f"agreement {show(result.percent)}")
    if result.kappa_note:
        console.print(f"note: kappa undefined ({result.kappa_note})")
    if result.maybes or result.only_one_decided:
        console.print(f"not in the table: {result.maybes} with a maybe, {result.only_one_decided} decided by one only")


def review_meet(project: str = ProjectArgument,
                topic: str = typer.Option(..., "--topic", help="title, fulltext, extraction, rob1 or rob2."),
                reviewers: str = typer.Option(..., "--reviewers", help="The two reviewers: a,b."),
                third: str = typer.Option("", "--third", help="A third reviewer who may decide conflicts."),
                actor: str = AsOption) -> None:
    """Open a logged conflict meeting: its reviewers (and the third) see each other's judgements on the topic."""
    from thematica.review.screening import open_meeting

    first, second = _pair(reviewers)
    with open_existing(project) as handle:
        open_meeting(handle, topic, [first, second], [n.strip() for n in third.split(",") if n.strip()], actor=actor)
    console.print(f"meeting on {topic} opened for {first}, {second}" + (f" with {third}" if third else ""))


def review_conflicts(project: str = ProjectArgument, stage: ReviewStage = typer.Option(ReviewStage.TITLE_ABSTRACT, "--stage"),
                     viewer: str = AsOption, format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """Records the meeting's reviewers decided differently, with their resolution if any."""
    from thematica.review.screening import conflicts

    with open_existing(project) as handle:
        found = conflicts(handle, stage, viewer)
    if format is TableOrJson.json:
        emit(to_json([c.to_dict() for c in found]), None)
        return
    open_count = sum(1 for c in found if c.resolution is None)
    console.print(_table(f"{len(found)} conflicts ({open_count} unresolved)", ["record", "decisions", "resolution",
                                                                              "title"],
                         [[str(c.record_id), "; ".join(f"{r}: {d}" + (f" ({why})" if why else "")
                                                       for r, d, why in c.decisions),
                           c.resolution or "—", cut_title(c.title, TITLE_CELLS["conflicts"])] for c in found]))


def review_resolve(project: str = ProjectArgument, record: str = typer.Argument(...),
                   decision: ReviewDecision = typer.Argument(...), stage: ReviewStage = typer.Option(ReviewStage.TITLE_ABSTRACT, "--stage"),
                   rationale: str = typer.Option(..., "--rationale"), reason: str = typer.Option("", "--reason"),
                   decider: str = AsOption) -> None:
    """The meeting's decision on a conflict (decider: a meeting reviewer or its third reviewer; append-only)."""
    from thematica.review.screening import resolve

    with open_existing(project) as handle:
        resolve(handle, stage, record, decision, decider=decider, rationale=rationale, reason=reason)
    console.print(f"record {record}: {decision.value} at {stage.value} (decided by {decider}, logged)")


def review_retrieval(project: str = ProjectArgument, records: list[str] = typer.Argument(...),
                     retrieved: bool = typer.Option(False, "--retrieved/--not-retrieved"),
                     actor: str = typer.Option("lead", "--as")) -> None:
    """Mark full texts that could not be retrieved (PRISMA 'reports not retrieved')."""
    from thematica.review.screening import mark_not_retrieved

    with open_existing(project) as handle:
        count = mark_not_retrieved(handle, records, actor=actor, retrieved=retrieved)
    console.print(f"{count} records marked {'retrieved' if retrieved else 'not retrieved'}")


def review_prisma(project: str = ProjectArgument, out: Path | None = typer.Option(None, "--out",
                                                                                   help=".svg, .pdf or .png"),
                  language: str | None = LanguageOption,
                  format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """The PRISMA 2020 flow diagram from the data (counts printed; the figure with --out, in the
    project's report language unless --language says otherwise)."""
    from thematica.corpus.project_details import report_language
    from thematica.review.prisma import prisma_counts

    with open_existing(project) as handle:
        counts = prisma_counts(handle)
        chosen = report_language(handle, language)
    if out is not None:
        from thematica.reports.figures.prisma import prisma_figure, write_figure

        write_figure(prisma_figure(counts, language=chosen), out)
        typer.echo(f"wrote {out}", err=True)
    if format is TableOrJson.json:
        emit(to_json(counts.to_dict()), None)
        return
    rows = [[f"identified: {name}", str(n)] for name, n in counts.identified]
    rows += [["duplicates removed", str(counts.duplicates_removed)], ["screened", str(counts.screened)],
             ["excluded at title/abstract", str(counts.excluded_screening)],
             ["undecided at title/abstract", str(counts.undecided_screening)],
             ["sought for retrieval", str(counts.sought)], ["not retrieved", str(counts.not_retrieved)],
             ["assessed for eligibility", str(counts.assessed)]]
    rows += [[f"excluded: {reason}", str(n)] for reason, n in counts.excluded_reasons]
    rows += [["undecided at full text", str(counts.undecided_fulltext)], ["included", str(counts.included)]]
    console.print(_table("PRISMA 2020 flow", ["", "n"], rows))


def review_report(project: str = ProjectArgument,
                  out: Path | None = typer.Option(None, "--out", help="methods.docx, .html or .md (omit: Markdown "
                                                                      "on standard output)."),
                  reviewers: str | None = typer.Option(None, "--reviewers", help="The two screening reviewers, a,b "
                                                       "(their agreement goes into the method)."),
                  language: str | None = LanguageOption) -> None:
    """The review's method paragraph, the screening agreement table and the PRISMA 2020 diagram, in nl or en."""
    from thematica.reports.review_report import build_document, review_inputs

    with open_existing(project) as handle:
        inputs = review_inputs(handle, language=language, reviewers=_pair(reviewers) if reviewers else None)
    kind = "md" if out is None else out.suffix.lower().lstrip(".")
    write_report(build_document(inputs), kind, out)


def extraction_form(project: str = ProjectArgument, form: Path = typer.Argument(..., help="The form (TOML)."),
                    actor: str = typer.Option("lead", "--as")) -> None:
    """Set the extraction form: typed fields (integer, number, text, choice)."""
    from thematica.review.extraction import set_form

    with open_existing(project) as handle:
        result = set_form(handle, form, actor=actor)
    console.print(f"form with {len(result.fields)} fields: {', '.join(f.name for f in result.fields)}")


def extraction_import(project: str = ProjectArgument, file: Path = typer.Argument(...), reviewer: str = AsOption) -> None:
    """One reviewer's extraction (study,outcome,timepoint,arm + the form's fields); checked whole."""
    from thematica.review.extraction import import_extraction

    with open_existing(project) as handle:
        rows = import_extraction(handle, file, reviewer=reviewer)
    console.print(f"{rows} rows extracted by {reviewer}")


def _pair(reviewers: str) -> tuple[str, str]:
    names = [n.strip() for n in reviewers.split(",") if n.strip()]
    if len(names) != 2:
        raise ThematicaError("--reviewers takes two names: a,b")
    return names[0], names[1]


def extraction_compare(project: str = ProjectArgument, reviewers: str = typer.Option(..., "--reviewers"),
                       tolerance: float = typer.Option(0.0, "--tolerance", help="Numbers within this are equal."),
                       viewer: str = AsOption, format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """Field-by-field differences, arms aligned first (a missing arm is one difference)."""
    from thematica.review.extraction import compare

    first, second = _pair(reviewers)
    with open_existing(project) as handle:
        found = compare(handle, first, second, viewer=viewer, tolerance=tolerance)
    if format is TableOrJson.json:
        emit(to_json([d.to_dict() for d in found]), None)
        return
    console.print(_table(f"{len(found)} differences", ["study", "outcome", "time", "arm", "field", first, second],
                         [[*d.key, d.field or "(whole arm)", d.first, d.second] for d in found]))


def extraction_agree(project: str = ProjectArgument, reviewers: str = typer.Option(..., "--reviewers"),
                     tolerance: float = typer.Option(0.0, "--tolerance"), actor: str = AsOption) -> None:
    """Copy every value the two reviewers extracted alike into the agreed extraction."""
    from thematica.review.extraction import agree

    first, second = _pair(reviewers)
    with open_existing(project) as handle:
        copied, differences = agree(handle, first, second, actor=actor, tolerance=tolerance)
    console.print(f"{copied} values agreed; {differences} differences to resolve")


def extraction_resolve(project: str = ProjectArgument, study: str = typer.Option(..., "--study"),
                       arm: str = typer.Option("", "--arm"), outcome: str = typer.Option("", "--outcome"),
                       timepoint: str = typer.Option("", "--timepoint"),
                       accept: str | None = typer.Option(None, "--accept", help="Take this reviewer's whole row."),
                       field: str | None = typer.Option(None, "--field"), value: str | None = typer.Option(None, "--value"),
                       rationale: str = typer.Option(..., "--rationale"), decider: str = AsOption) -> None:
    """Settle one difference (the decision and rationale are logged)."""
    from thematica.review.extraction import resolve

    with open_existing(project) as handle:
        resolve(handle, (study, outcome, timepoint, arm), decider=decider, rationale=rationale, accept=accept,
                field=field, value=value)


def extraction_export(project: str = ProjectArgument, outcome: str = typer.Option(..., "--outcome"),
                      timepoint: str = typer.Option("", "--timepoint"), out: Path | None = typer.Option(None, "--out")) -> None:
    """The agreed extraction of one outcome as the arm-level CSV that 'thematica nma' and 'meta' read."""
    from thematica.review.extraction import agreed_arms_csv

    with open_existing(project) as handle:
        emit(agreed_arms_csv(handle, outcome, timepoint), out)


def bias_import(project: str = ProjectArgument, file: Path = typer.Argument(...),
                tool: BiasTool = typer.Option(..., "--tool"), reviewer: str = AsOption) -> None:
    """One reviewer's judgements: study,domain,judgement[,support] (domains by name or number)."""
    from thematica.review.bias import import_judgements

    with open_existing(project) as handle:
        count = import_judgements(handle, file, tool, reviewer=reviewer)
    console.print(f"{count} judgements by {reviewer}")


def bias_agreement(project: str = ProjectArgument, tool: BiasTool = typer.Option(..., "--tool"),
                   reviewers: str = typer.Option(..., "--reviewers"),
                   format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """Kappa per domain (linearly weighted for RoB 2's ordered judgements)."""
    from thematica.review.bias import domain_agreement

    first, second = _pair(reviewers)
    with open_existing(project) as handle:
        results = domain_agreement(handle, tool, first, second)
    if format is TableOrJson.json:
        emit(to_json([r.to_dict() for r in results]), None)
        return
    console.print(_table(f"Risk-of-bias agreement ({tool.value})", ["domain", "studies", "agreed", "kappa"],
                         [[r.domain, str(r.studies), str(r.agreed), "—" if r.kappa is None else f"{r.kappa:.3f}"]
                          for r in results]))


def bias_agree(project: str = ProjectArgument, tool: BiasTool = typer.Option(..., "--tool"),
               reviewers: str = typer.Option(..., "--reviewers"), actor: str = AsOption) -> None:
    """Copy the shared judgements into the agreed table and list the cells still to resolve."""
    from thematica.review.bias import agree

    first, second = _pair(reviewers)
    with open_existing(project) as handle:
        copied, differing = agree(handle, tool, first, second, actor=actor)
    console.print(f"{copied} judgements agreed; {len(differing)} to resolve")
    for study, domain in differing:
        console.print(f"  {study}: {domain}")


def bias_resolve(project: str = ProjectArgument, study: str = typer.Option(..., "--study"),
                 domain: str = typer.Option(..., "--domain"), judgement: str = typer.Option(..., "--judgement"),
                 tool: BiasTool = typer.Option(..., "--tool"), rationale: str = typer.Option(..., "--rationale"),
                 decider: str = AsOption) -> None:
    """The meeting's judgement for one study and domain (logged)."""
    from thematica.review.bias import resolve

    with open_existing(project) as handle:
        resolve(handle, tool, study, domain, judgement, decider=decider, rationale=rationale)


def bias_figure(project: str = ProjectArgument, tool: BiasTool = typer.Option(..., "--tool"),
                kind: str = typer.Option("traffic", "--kind", help="traffic (traffic-light plot) or summary (bar)."),
                out: Path = typer.Option(..., "--out", help=".svg, .pdf or .png"),
                format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """The agreed judgements as robvis draws them: a traffic-light plot or a summary bar."""
    from thematica.reports.figures.prisma import write_figure
    from thematica.reports.figures.risk_of_bias import summary_bar, traffic_light
    from thematica.review.bias import agreed_table

    if kind not in ("traffic", "summary"):
        raise ThematicaError("--kind is traffic or summary")
    with open_existing(project) as handle:
        table = agreed_table(handle, tool)
    if not table.studies:
        raise ThematicaError(f"no agreed {tool.value} judgements yet ('thematica review bias agree')")
    if table.missing:
        study, domain = table.missing[0]
        raise ThematicaError(f"{len(table.missing)} judgements not agreed yet (first: {study}, {domain}); "
                             "resolve them with 'thematica review bias resolve'")
    write_figure(traffic_light(table) if kind == "traffic" else summary_bar(table), out)
    typer.echo(f"wrote {out}", err=True)
    if format is TableOrJson.json:
        emit(to_json(table.to_dict()), None)


def review_sample(folder: Path = typer.Argument(..., help="Folder to write the sample files into.")) -> None:
    """Write an invented review to try the commands on (exports, decisions, extraction form and data, RoB 2)."""
    from thematica.review.sample import write_sample_files

    for name in write_sample_files(folder):
        console.print(str(folder / name))


def register(app: typer.Typer) -> None:
    review_app.command("sample")(review_sample)
    review_app.command("import")(review_import)
    review_app.command("duplicates")(review_duplicates)
    review_app.command("reviewers")(review_reviewers)
    review_app.command("reasons")(review_reasons)
    review_app.command("keywords")(review_keywords)
    review_app.command("decide")(review_decide)
    review_app.command("screen")(review_screen)
    review_app.command("progress")(review_progress)
    review_app.command("agreement")(review_agreement)
    review_app.command("meet")(review_meet)
    review_app.command("conflicts")(review_conflicts)
    review_app.command("resolve")(review_resolve)
    review_app.command("retrieval")(review_retrieval)
    review_app.command("prisma")(review_prisma)
    review_app.command("report")(review_report)
    decisions_app.command("import")(decisions_import)
    decisions_app.command("export")(decisions_export)
    review_app.add_typer(decisions_app, name="decisions")
    extraction_app.command("form")(extraction_form)
    extraction_app.command("import")(extraction_import)
    extraction_app.command("compare")(extraction_compare)
    extraction_app.command("agree")(extraction_agree)
    extraction_app.command("resolve")(extraction_resolve)
    extraction_app.command("export")(extraction_export)
    review_app.add_typer(extraction_app, name="extraction")
    bias_app.command("import")(bias_import)
    bias_app.command("agreement")(bias_agreement)
    bias_app.command("agree")(bias_agree)
    bias_app.command("resolve")(bias_resolve)
    bias_app.command("figure")(bias_figure)
    review_app.add_typer(bias_app, name="bias")
    app.add_typer(review_app, name="review")
