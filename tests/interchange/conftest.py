"""Building .qdpx archives in the shapes other tools write, position counting included."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

USER = "0b0b0b0b-1111-4222-8333-444444444444"
CODE = "c0de0000-1111-4222-8333-444444444444"


def units(text: str, index: int, counting: str) -> int:
    """Position ``index`` (code points) as a tool counting ``counting`` writes it."""
    if counting == "utf16":
        return len(text[:index].encode("utf-16-le")) // 2
    if counting == "crlf":
        return index - text[:index].count("\r\n")
    return index


def build_qdpx(path: Path, *, origin: str = "QualCoder 3.6", sources: list[dict], codes: str | None = None,
               extra: str = "", users: str | None = None, notes: str = "", namespace: str = "urn:QDA-XML:project:1.0",
               inline: bool = False) -> Path:
    """``sources``: ``{"guid", "name", "text", "selections": [xml...], "tail": xml}``; texts go to sources/."""
    codes = codes if codes is not None else (
        f'<CodeBook><Codes><Code guid="{CODE}" name="Veiligheid" isCodable="true" color="#FF0000"/></Codes></CodeBook>')
    users = users if users is not None else f'<Users><User guid="{USER}" name="Mirjam"/></Users>'
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{namespace}" name="p" origin={quoteattr(origin)}>',
             users, codes, "<Sources>"]
    files = {}
    for source in sources:
        content = (f"<PlainTextContent>{escape(source['text'])}</PlainTextContent>" if inline else "")
        path_attr = "" if inline else f' plainTextPath="internal://{source["guid"]}.txt"'
        parts.append(f'<TextSource guid="{source["guid"]}" name={quoteattr(source["name"])}{path_attr}>{content}'
                     + "".join(source.get("selections", [])) + source.get("tail", "") + "</TextSource>")
        files[f"sources/{source['guid']}.txt"] = source["text"].encode("utf-8")
    parts.append("</Sources>")
    if notes:
        parts.append(f"<Notes>{notes}</Notes>")
    parts.append(extra + "</Project>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", "".join(parts).encode("utf-8"))
        if not inline:
            for name, data in files.items():
                archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def selection(guid: str, start: int, end: int, code: str | None = CODE, user: str = USER, inner: str = "",
              after: str = "") -> str:
    coding = (f'<Coding guid="{guid[:-4]}9999" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding>'
              if code else "")
    return (f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" creatingUser="{user}">'
            f"{inner}{coding}{after}</PlainTextSelection>")

