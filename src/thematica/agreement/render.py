"""Rendering an agreement report: json (the contract), Markdown, HTML, CSV; the cell values, bands and
styles the terminal table (``cli.agreement_table``) uses.

Numbers keep full precision in json and CSV; the human formats round to three decimals and show
undefined values as 'undefined' (the reason is in the notes).
"""

from __future__ import annotations

import html
import io

from thematica.safe_text import SafeCsvWriter
from thematica.agreement.results import AgreementReport, Cell, DomainAgreement, UnitizingDomainAgreement
from thematica.jsonsafe import dumps
from thematica.markdown import md_table
from thematica.maths.thresholds import RELIABLE, TENTATIVE, Reliability, minimum_label, reliability
from thematica.vocabulary import AgreementMethod

STYLES = {Reliability.LOW: "red", Reliability.TENTATIVE: "dark_orange", Reliability.RELIABLE: "green"}
CSS = {Reliability.LOW: "low", Reliability.TENTATIVE: "mid", Reliability.RELIABLE: "high"}
COLOURED = ("kappa", "alpha")

COLUMNS = ("code", "percent_agreement", "kappa", "alpha", "ac1", "both", "a_only", "b_only", "neither")


def report_columns(report: AgreementReport) -> tuple[str, ...]:
    if report.method is AgreementMethod.UNITIZING:
        return ("code", "alpha", "observed_disagreement", "expected_disagreement", "units")
    if report.method is AgreementMethod.SEGMENT:
        return ("code", "percent_agreement", "kappa", "a_agree", "a_total", "b_agree", "b_total")
    if len(report.coders) > 2:
        return ("code", "percent_agreement", "alpha", "fleiss_kappa")
    return COLUMNS


def format_cell(value: Cell) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, float):
        return f"{value:.3e}" if value and abs(value) < 0.001 else f"{value:.3f}"
    return str(value)


def domain_table(report: AgreementReport) -> tuple[str, list[str], list[list[str]]]:
    """Title, headers and formatted rows of the domain table (one layout for every format)."""
    unitizing = [d for d in report.domains if isinstance(d, UnitizingDomainAgreement)]
    if report.method is AgreementMethod.UNITIZING:
        headers = ["domain", "uα", "|uα", "cuα", "|cuα per category (coverage)", "violations"]
        rows = [[d.domain, format_cell(d.alpha), format_cell(d.binary_alpha), format_cell(d.cu_alpha),
                 "; ".join(f"{c.code.removeprefix(d.domain + '/')} {format_cell(c.category_alpha)} ({_percent(c.coverage)})"
                           for c in d.categories) or "—", str(d.violations)] for d in unitizing]
        return "Domains (Krippendorff et al. 2016: uα, |uα, cuα; characters as the continuum)", headers, rows
    low, high = minimum_label(TENTATIVE), minimum_label(RELIABLE)
    headers = ["domain", "alpha", "95% CI", f"P(α<{low})", f"P(α<{high})", "pairable", "one coder only", "violations"]
    rows = [[d.domain, format_cell(d.alpha), f"[{format_cell(d.ci_low)}, {format_cell(d.ci_high)}]", format_cell(d.p_below.get(low)),
             format_cell(d.p_below.get(high)), str(d.units_pairable), str(d.units_one_coder_only), str(d.violations)]
            for d in report.domains if isinstance(d, DomainAgreement)]
    return "Domains (nominal alpha over all coders)", headers, rows


def _percent(value: float | None) -> str:
    return "undefined" if value is None else f"{100 * value:.0f}%"


def to_json(report: AgreementReport) -> str:
    return dumps(report.to_dict())


def to_csv(report: AgreementReport) -> str:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)  # a cell that starts like a formula is neutralised
    columns = report_columns(report)
    writer.writerow(columns)
    for row in report.codes:
        writer.writerow([_blank_if_none(row.value(column)) for column in columns])
    return buffer.getvalue()


def _blank_if_none(value: Cell) -> Cell:
    return "" if value is None else value


def reliability_band(column: str, value: Cell) -> Reliability | None:
    """The threshold band of a kappa or alpha cell (Krippendorff's minimums), None for other cells."""
    return reliability(value) if column in COLOURED and isinstance(value, float) else None


def _overall_items(report: AgreementReport) -> list[tuple[str, Cell]]:
    return [(key, report.overall.value(key)) for key in report.overall.to_dict()]


def report_heading(report: AgreementReport) -> str:
    return (f"Agreement of {', '.join(report.coders)} — method: {report.method}, unit: {report.unit}, "
            f"{report.units} units in {len(report.documents)} documents")


def to_markdown(report: AgreementReport) -> str:
    columns = report_columns(report)
    lines = [f"# {report_heading(report)}", "", "## Overall", ""]
    lines += [f"- {key.replace('_', ' ')}: {format_cell(value)}" for key, value in _overall_items(report)]
    lines += ["", "## Per code", "",
              *md_table(list(columns), ([format_cell(row.value(c)) for c in columns] for row in report.codes))]
    if report.domains:
        title, headers, rows = domain_table(report)
        lines += ["", f"## {title}", "", *md_table(headers, rows)]
    if report.notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in report.notes]
    return "\n".join(lines) + "\n"


def to_html(report: AgreementReport) -> str:
    e = html.escape
    columns = report_columns(report)
    parts = ["<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>Agreement</title>",
             "<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 6px}"
             "table{border-collapse:collapse}.low{color:#b00}.mid{color:#b60}.high{color:#070}</style></head><body>",
             f"<h1>{e(report_heading(report))}</h1><h2>Overall</h2><ul>"]
    parts += [f"<li>{e(key.replace('_', ' '))}: {e(format_cell(value))}</li>" for key, value in _overall_items(report)]
    parts.append("</ul><h2>Per code</h2><table><tr>" + "".join(f"<th>{e(c)}</th>" for c in columns) + "</tr>")
    for row in report.codes:
        cells = []
        for column in columns:
            value = row.value(column)
            band = reliability_band(column, value)
            css = "" if band is None else f" class='{CSS[band]}'"
            cells.append(f"<td{css}>{e(format_cell(value))}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</table>")
    if report.domains:
        title, headers, rows = domain_table(report)
        parts.append(f"<h2>{e(title)}</h2><table><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in rows]
        parts.append("</table>")
    if report.notes:
        parts.append("<h2>Notes</h2><ul>" + "".join(f"<li>{e(note)}</li>" for note in report.notes) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
