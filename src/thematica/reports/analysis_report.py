"""The analysis report, written the way a results section reads: method, themes, prevalence, quotes, map.

Sections: method summary (documents, coders, agreement before consensus, consensus decisions),
each theme with its definition, prevalence ("5 of 6 clients") and exemplar quotes with case
labels, a prevalence table of themes and codes, the thematic map, and the codebook as appendix.
Quotes are the segments marked as exemplars; a theme without marked exemplars shows its longest
passages from different cases, labelled as such.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from thematica.agreement.service import AgreementOptions, agreement
from thematica.coding.consensus.meeting import decision_log
from thematica.errors import ThematicaError
from thematica.files import private_path, write_private
from thematica.output import make_private_folders
from thematica.staging import staging_folder
from thematica.interchange.codebook import codebook_rows
from thematica.markdown import md_table
from thematica.reports.docx_table import add_table
from thematica.store.project import Project
from thematica.themes.analysis import code_prevalence, theme_prevalence
from thematica.themes.data import CodedMaterial, CodedSegment, ThemeInfo, load_material
from thematica.themes.thematic_map import draw_matplotlib

QUOTES_PER_THEME = 3


@dataclass(frozen=True)
class Section:
    theme: ThemeInfo
    wording: str
    segments: int
    quotes: list[CodedSegment]
    chosen: bool


def _quotes(material: CodedMaterial, theme: ThemeInfo) -> tuple[list[CodedSegment], bool]:
    codes = material.theme_codes(theme)
    marked = set(material.exemplars.get(theme.name, []))
    candidates = [s for s in material.segments if s.code in codes]
    chosen = [s for s in candidates if s.id in marked]
    if chosen:
        return chosen[:QUOTES_PER_THEME], True
    picked, cases = [], set()
    for segment in sorted(candidates, key=lambda s: -len(s.text)):
        if segment.case not in cases and 40 <= len(segment.text) <= 400:
            picked.append(segment)
            cases.add(segment.case)
        if len(picked) == QUOTES_PER_THEME:
            break
    return picked, False


def method_summary(project: Project, material: CodedMaterial) -> list[str]:
    coding = "the union of all coders' codings" if material.coding == "all coders" else f"the {material.coding} coding"
    lines = [f"{len(material.documents)} interviews ({', '.join(case for _, case in material.documents)}) were "
             f"analysed thematically. Counts below use {coding}."]
    human = sorted({s.coder for s in material.segments} - {"consensus"})
    try:
        report = agreement(project, AgreementOptions(bootstrap_samples=0))
        overall = report.overall
        lines.append(
            f"Before the consensus meeting, {' and '.join(report.coders)} coded independently; agreement over "
            f"{report.units} sentences: pooled Cohen's kappa {_n(overall['kappa'])}, Krippendorff's alpha "
            f"{_n(overall['alpha'])}, Gwet's AC1 {_n(overall['ac1'])}, {100 * (overall['percent_agreement'] or 0):.1f}% "
            f"agreement (mean kappa over codes {_n(report.mean['kappa'])}).")
    except ThematicaError as error:
        lines.append(f"Agreement between coders was not computed: {error.format()}.")
    decisions = decision_log(project)
    if decisions:
        kinds: dict[str, int] = {}
        for row in decisions:
            kinds[row["decision"]] = kinds.get(row["decision"], 0) + 1
        lines.append(f"Differences were resolved in a consensus meeting: {len(decisions)} passages decided ("
                     + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(kinds.items())) + ").")
    elif human:
        lines.append(f"Coders: {', '.join(human)}.")
    lines.extend(material.notes)
    return lines


def _n(value) -> str:
    return "undefined" if value is None else f"{value:.2f}"


def sections(material: CodedMaterial) -> list[Section]:
    prevalence = {p.name: p for p in theme_prevalence(material)}
    found = []
    for theme in material.themes:
        quotes, chosen = _quotes(material, theme)
        found.append(Section(theme, prevalence[theme.name].wording, prevalence[theme.name].segments, quotes, chosen))
    return found


def render_markdown(project: Project, material: CodedMaterial, map_file: str | None) -> str:
    lines = ["# Results", "", "## Method", ""] + method_summary(project, material) + ["", "## Themes", ""]
    for section in sections(material):
        theme = section.theme
        depth = "###" if theme.parent is None else "####"
        lines += [f"{depth} {theme.name}", "",
                  f"*{section.wording} participants; {section.segments} coded passages; status: {theme.status}.*", ""]
        if theme.definition:
            lines += [theme.definition, ""]
        if theme.story:
            lines += [theme.story, ""]
        if section.quotes and not section.chosen:
            lines += ["*(no exemplars marked yet: the longest passages from different participants)*", ""]
        for quote in section.quotes:
            lines += [f"> “{' '.join(quote.text.split())}” ({quote.case})", ""]
    lines += ["## Prevalence", ""]
    lines += md_table(["theme or code", "participants", "passages"],
                      ([row.name, f"{row.wording}: {', '.join(row.cases)}", row.segments]
                       for row in theme_prevalence(material) + [p for p in code_prevalence(material) if p.segments]))
    if map_file:
        lines += ["", "## Thematic map", "", f"![Thematic map]({map_file})"]
    lines += ["", "## Appendix: codebook", ""]
    for row in codebook_rows(project):
        lines.append(f"- **{row.code}** — {row.definition or '(no definition)'}")
    return "\n".join(lines) + "\n"


def render_html(project: Project, material: CodedMaterial, map_file: str | None) -> str:
    e = html.escape
    parts = ["<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>Results</title><style>"
             "body{font-family:Georgia,serif;max-width:46em;margin:auto;line-height:1.5}"
             "blockquote{color:#333;border-left:3px solid #0072B2;padding-left:1em}td,th{border:1px solid #ccc;"
             "padding:2px 6px}table{border-collapse:collapse}</style></head><body><h1>Results</h1><h2>Method</h2>"]
    parts += [f"<p>{e(line)}</p>" for line in method_summary(project, material)]
    parts.append("<h2>Themes</h2>")
    for section in sections(material):
        theme = section.theme
        tag = "h3" if theme.parent is None else "h4"
        parts.append(f"<{tag}>{e(theme.name)}</{tag}><p><em>{e(section.wording)} participants; "
                     f"{section.segments} coded passages; status: {e(theme.status)}.</em></p>")
        for text in (theme.definition, theme.story):
            if text:
                parts.append(f"<p>{e(text)}</p>")
        for quote in section.quotes:
            parts.append(f"<blockquote>“{e(' '.join(quote.text.split()))}” ({e(quote.case)})</blockquote>")
    parts.append("<h2>Prevalence</h2><table><tr><th>theme or code</th><th>participants</th><th>passages</th></tr>")
    for row in theme_prevalence(material) + [p for p in code_prevalence(material) if p.segments]:
        parts.append(f"<tr><td>{e(row.name)}</td><td>{e(row.wording)}: {e(', '.join(row.cases))}</td>"
                     f"<td>{row.segments}</td></tr>")
    parts.append("</table>")
    if map_file:
        parts.append(f"<h2>Thematic map</h2><img src='{e(map_file)}' alt='Thematic map' style='max-width:100%'>")
    parts.append("<h2>Appendix: codebook</h2><ul>")
    parts += [f"<li><b>{e(row.code)}</b> — {e(row.definition or '(no definition)')}</li>" for row in codebook_rows(project)]
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


def write_docx(project: Project, material: CodedMaterial, out: Path, map_png: Path | None) -> None:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_heading("Results", level=0)
    document.add_heading("Method", level=1)
    for line in method_summary(project, material):
        document.add_paragraph(line)
    document.add_heading("Themes", level=1)
    for section in sections(material):
        theme = section.theme
        document.add_heading(theme.name, level=2 if theme.parent is None else 3)
        document.add_paragraph(f"{section.wording} participants; {section.segments} coded passages; "
                               f"status: {theme.status}.").runs[0].italic = True
        for text in (theme.definition, theme.story):
            if text:
                document.add_paragraph(text)
        for quote in section.quotes:
            document.add_paragraph(f"“{' '.join(quote.text.split())}” ({quote.case})", style="Intense Quote")
    document.add_heading("Prevalence", level=1)
    rows = theme_prevalence(material) + [p for p in code_prevalence(material) if p.segments]
    add_table(document, ("theme or code", "participants", "passages"),
              [(row.name, f"{row.wording}: {', '.join(row.cases)}", row.segments) for row in rows])
    if map_png is not None:
        document.add_heading("Thematic map", level=1)
        document.add_picture(str(map_png), width=Cm(16))
    document.add_heading("Appendix: codebook", level=1)
    for row in codebook_rows(project):
        document.add_paragraph(f"{row.code} — {row.definition or '(no definition)'}", style="List Bullet")
    document.save(str(private_path(out)))


def write_report(project: Project, out: Path, coder: str | None = None) -> None:
    import matplotlib.pyplot as plt

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".md", ".html", ".docx"):
        raise ThematicaError("reports are .md, .html or .docx", path=str(out))
    material = load_material(project, coder)
    if suffix == ".docx":
        make_private_folders(out.parent)
        with staging_folder(out.parent) as folder:  # the map image is staged beside the report, privately
            png = None
            if material.themes:
                png = Path(folder) / "map.png"
                figure, _ = draw_matplotlib(material, png)
                plt.close(figure)
            write_docx(project, material, out, png)
        return
    map_file = None
    if material.themes:
        map_path = out.with_name(out.stem + "-map.png")
        figure, _ = draw_matplotlib(material, map_path)
        plt.close(figure)
        map_file = map_path.name
    render = render_markdown if suffix == ".md" else render_html
    write_private(out, render(project, material, map_file))
