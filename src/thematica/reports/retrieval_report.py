"""A code's retrieval written out: Markdown, DOCX or CSV, each passage between its neighbouring
sentences with document, case, speaker, coder and memo (as a coded-segments report in NVivo or
MAXQDA). Files are owner-only: they quote interview text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from thematica.coding.retrieval import Retrieved
from thematica.errors import ThematicaError
from thematica.files import private_path, write_private

FORMATS = ("md", "docx", "csv")


def _where(found: Retrieved) -> str:
    return (f"{found.document} [{found.start}–{found.end}) · case {found.case or '–'} · "
            f"{found.speaker or '–'} · {found.coder}")


def render_markdown(title: str, found: list[Retrieved]) -> str:
    lines = [f"# {title}", "", f"{len(found)} segments in {len({f.document for f in found})} documents.", ""]
    for item in found:
        lines += [f"## {_where(item)}", ""]
        if item.code != title:
            lines += [f"Code: {item.code}", ""]
        quote = " ".join(item.text.split())
        lines.append(f"{item.before} **{quote}** {item.after}".strip())
        if item.memo:
            lines += ["", f"*Memo:* {item.memo}"]
        lines.append("")
    return "\n".join(lines)


def render_csv(title: str, found: list[Retrieved]) -> str:
    names = sorted({name for item in found for name in item.attributes})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "document", "case", "speaker", "coder", "start", "end", "before", "text", "after",
                     "memo", *names])
    for item in found:
        writer.writerow([item.code, item.document, item.case or "", item.speaker or "", item.coder, item.start,
                         item.end, item.before, item.text, item.after, item.memo,
                         *[item.attributes.get(name) or "" for name in names]])
    return buffer.getvalue()


def write_docx(title: str, found: list[Retrieved], path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    document.add_paragraph(f"{len(found)} segments in {len({f.document for f in found})} documents.")
    for item in found:
        document.add_heading(_where(item), level=2)
        paragraph = document.add_paragraph(item.before + " " if item.before else "")
        paragraph.add_run(" ".join(item.text.split())).bold = True
        if item.after:
            paragraph.add_run(" " + item.after)
        if item.code != title:
            document.add_paragraph(f"Code: {item.code}", style="List Bullet")
        if item.memo:
            document.add_paragraph(f"Memo: {item.memo}", style="List Bullet")
    document.save(str(private_path(path)))


def write_retrieval(title: str, found: list[Retrieved], path: Path) -> Path:
    """Write by the file's extension (.md, .docx, .csv)."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ThematicaError(f"export the retrieval as .md, .docx or .csv, not {path.suffix or 'no extension'}",
                             path=str(path))
    if fmt == "docx":
        write_docx(title, found, path)
    else:
        write_private(path, (render_markdown if fmt == "md" else render_csv)(title, found))
    return path
