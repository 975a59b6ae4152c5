"""The malformed-input corpus: (name, CLI arguments, a word the one error line must contain).

``{project}`` stands for a project holding one coded document (R1) and a case; ``{dir}`` for a
folder of prepared inputs. Every case must end with exit code 2, one line on stderr, no
traceback, and the project unchanged (see test_bad_input.py).
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from pathlib import Path

TEXT = "I: Hoe was de groep?\n\nR: Eh, spannend. Later voelde ik me veilig.\n"
HEADER = "document,start,end,code,coder,memo\n"
TRIAL = "participant,arm,time,scl90\n"
XML_BOMB = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;'
            '&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>')
QDE_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x">'
SOURCE = ('<Sources><TextSource guid="{guid}" name="{name}" plainTextPath="internal://{guid}.txt">'
          '</TextSource></Sources>')
GUID = "11111111-2222-3333-4444-555555555555"
Case = tuple[str, list[str], str]


def _zip(path: Path, members: dict[str, bytes | str]) -> str:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return str(path)


@functools.lru_cache(maxsize=4)
def _zeros_member(size: int) -> tuple[bytes, int]:
    """A raw-deflate stream of ``size`` zero bytes (a whole number of MiB; never ``size`` bytes in
    memory) and their CRC-32. Each MiB is compressed after a full flush, which resets the compressor,
    so every MiB's block is the same bytes: the block is compressed once and repeated (compressing
    1.5 GiB took 10 s). The stream inflates to exactly ``size`` zeros (tests/hardening/test_archive_bombs.py
    extracts one in a process without the memory for it)."""
    chunk = bytes(1 << 20)
    count, rest = divmod(size, len(chunk))
    assert rest == 0, "a whole number of MiB"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    return block * count + compressor.flush(), crc


def zip_bomb(path: Path, member: str, size: int, extra: dict[str, bytes | str] | None = None) -> str:
    """A ZIP whose ``member`` expands to ``size`` zero bytes (a ratio of about 1000)."""
    data, crc = _zeros_member(size)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = size, len(data), crc
        with archive._lock:  # write the precomputed stream as the member's data
            archive.fp.seek(archive.start_dir)
            info.header_offset = archive.fp.tell()
            archive.fp.write(info.FileHeader(zip64=size > zipfile.ZIP64_LIMIT))
            archive.fp.write(data)
            archive.start_dir = archive.fp.tell()
            archive.filelist.append(info)
            archive.NameToInfo[info.filename] = info
            archive._didModify = True
    return str(path)


def overlapping_bomb(path: Path, count: int) -> str:
    """Many central-directory entries that all point at one compressed block (a non-recursive bomb)."""
    data, crc = _zeros_member(8 << 20)
    buffer = io.BytesIO()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), 8 << 20, 5, 0) + b"a.txt"
    buffer.write(local + data)
    directory = io.BytesIO()
    for number in range(count):
        name = f"sources/{number}.txt".encode()
        directory.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), 8 << 20,
                                    len(name), 0, 0, 0, 0, 0, 0) + name)
    central = directory.getvalue()
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(buffer.getvalue()), 0)
    Path(path).write_bytes(buffer.getvalue() + central + end)
    return str(path)


def _docx(path: Path, text: str) -> str:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(str(path))
    return str(path)


def build(folder: Path) -> list[Case]:
    """Write the inputs into ``folder`` and return the cases."""
    folder.mkdir(exist_ok=True)

    def write(name: str, data: bytes | str) -> str:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return str(path)

    def folder_named(name: str) -> str:
        (folder / name).mkdir(exist_ok=True)
        return str(folder / name)

    utf8 = "R: Het café was één grote ruïne, zeker weten. " * 20
    cases: list[Case] = []

    def add(name: str, arguments: list[str], expected: str) -> None:
        cases.append((name, arguments, expected))

    # --- transcripts: encoding, controls, binary, structure ---------------------------------------
    imp = ["import", "{project}"]
    add("binary file named .txt", imp + [write("binary.txt", bytes(range(256)) * 40)], "binary")
    add("random high bytes as .txt", imp + [write("high.txt", bytes((i * 7919) % 128 + 128 for i in range(200_000)))],
        "")
    add("one stray cp1252 byte in UTF-8", imp + [write("stray.txt", (utf8 + "\nR: pur").encode("utf-8") + b"\xe9e\n")],
        "line 2")
    add("stray byte names its column", imp + [write("stray2.txt", "R: één\nR: ok \xff".encode("utf-8")
                                                    .replace(b"\xc3\xbf", b"\xff"))], "column 7")
    add("undefined cp1252 bytes", imp + [write("invalid.txt", b"R: caf\xc3 \x81\x8d en meer")], "UTF-8")
    add("cp1252 byte 0x81", imp + [write("c81.txt", b"R: g\xebnoeg \x81 hier")], "0x81")
    add("NUL after 64 KiB", imp + [write("nul.txt", ("R: " + "veilig " * 12_000 + "\x00 einde\n").encode())], "NUL")
    add("NUL at the start", imp + [write("nul0.txt", b"\x00R: hallo daar\n")], "NUL")
    add("terminal escape sequence", imp + [write("esc.txt", "R: rood \x1b[31mgevaar\x1b[0m\n")], "escape")
    add("OSC title escape", imp + [write("osc.txt", "R: titel \x1b]0;pwned\x07 tekst\n")], "escape")
    add("C0 control U+0007", imp + [write("bel.txt", "R: bel \x07 hier\n")], "U+0007")
    add("vertical tab", imp + [write("vt.txt", "R: een\x0bregel\n")], "U+000B")
    add("form feed", imp + [write("ff.txt", "R: pagina\x0cnieuw\n")], "U+000C")
    add("DEL character", imp + [write("del.txt", "R: weg\x7f\n")], "U+007F")
    add("C1 control in UTF-8", imp + [write("c1.txt", "R: c1 \x85 hier\n")], "U+0085")
    add("C1 CSI in UTF-8", imp + [write("csi.txt", "R: c1 \x9b31m hier\n")], "escape")
    add("control in a .md", imp + [write("ctrl.md", "# Kop\n\nR: \x1b[2J leeg\n")], "escape")
    add("control in a .vtt", imp + [write("ctrl.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Jan>hoi\x07</v>\n")],
        "U+0007")
    add("control in a .srt", imp + [write("ctrl.srt", "1\n00:00:01,000 --> 00:00:02,000\nJan: hoi\x1b[1m\n")],
        "escape")
    add("invalid UTF-8 after a BOM", imp + [write("bom.txt", b"\xef\xbb\xbfR: goed\nR: fout \xff\n")], "line 2")
    add("odd-length UTF-16", imp + [write("u16.txt", "\ufeffR: hallo".encode("utf-16-le") + b"\x00")], "UTF-16")
    add("UTF-16 with a control", imp + [write("u16c.txt", "\ufeffR: hal\x07lo\n".encode("utf-16-le"))], "U+0007")
    add("Cyrillic letters for nl", imp + [write("cyr.txt", "Р: Привет, как дела? Всё хорошо.\n" * 5)], "Latin")
    add("only digits and symbols", imp + [write("digits.txt", "123 456 !!! ### 789\n" * 10)], "letters")
    add("a PNG named .txt", imp + [write("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)], "binary")
    add("a gzip named .md", imp + [write("zipped.md", b"\x1f\x8b\x08\x00" + bytes(range(256)) * 20)], "binary")
    add("empty file", imp + [write("empty.txt", b"")], "empty")
    add("only white space", imp + [write("blank.txt", "  \n\n \r\n")], "empty")
    add("only a BOM", imp + [write("onlybom.txt", b"\xef\xbb\xbf")], "empty")
    add("subtitles without cues", imp + [write("nocue.vtt", "WEBVTT\n\nNOTE niets\n")], "empty")
    add("unsupported type", imp + [write("interview.pages", "PK")], "unsupported")
    add("damaged pdf", imp + [write("interview.pdf", "%PDF-1.4")], "not a readable PDF")
    add("survey: unknown column", ["survey", "import", "{project}", write("s.csv", "id,open\nA,x\n"), "--id", "nr",
                                   "--text", "open"], "no --id column")
    add("survey: respondent twice", ["survey", "import", "{project}", write("s2.csv", "id,open\nA,x\nA,y\n"), "--id",
                                     "id", "--text", "open"], "row 3")
    add("no extension", imp + [write("interview", "R: hoi\n")], "unsupported")
    add("a folder as transcript", imp + [str(folder)], "unsupported")
    add("a folder named x.txt", imp + [folder_named("x.txt")], "folder")
    add("a folder named x.docx", imp + [folder_named("x.docx")], "folder")
    add("a missing transcript", imp + [str(folder / "missing.txt")], "no such file")
    add("/dev/null as transcript", imp + ["/dev/null"], "unsupported")
    add("changed text under a coded name", imp + [write("R1.txt", "R: Een andere tekst.\n")], "different text")
    add("two files, same name", imp + [write("dup.txt", "R: a\n"), write("dup.md", "R: b\n")], "same document name")
    add("a good file and a bad one", imp + [write("good.txt", "R: goed\n"), write("bad.txt", b"R: \x00")], "NUL")
    add("unsupported language", imp + [write("lang.txt", "R: hoi\n"), "--lang", "xx"], "language")
    add("truncated .docx", imp + [write("truncated.docx", Path(_docx(folder / "full.docx", "R: goed ë")).read_bytes()[:700])],
        "docx")
    add("corrupt .docx", imp + [write("corrupt.docx", b"PK\x03\x04" + b"\x00" * 50)], "docx")
    add("a text file named .docx", imp + [write("text.docx", "R: geen zip\n")], "docx")
    add(".docx zip bomb", imp + [zip_bomb(folder / "bomb.docx", "word/document.xml", 50 << 20)], "zip bomb")
    add(".docx with a path escaping the archive", imp + [_zip(folder / "escape.docx", {"../../evil.xml": "x",
                                                              "word/document.xml": "<x/>"})], "outside")
    add(".docx with an absolute member", imp + [_zip(folder / "abs.docx", {"/etc/evil": "x"})], "outside")
    add(".docx with too many members", imp + [_zip(folder / "many.docx", {f"m{n}": "" for n in range(10_001)})],
        "members")
    add(".docx with overlapping entries", imp + [overlapping_bomb(folder / "overlap.docx", 200)], "archive refused")
    add(".docx with an escape sequence", imp + [_docx(folder / "esc.docx", "R: hoi \x85 daar")], "U+0085")

    # --- codings CSV ------------------------------------------------------------------------------
    cod = ["codings", "import", "{project}"]
    add("codings: wrong columns", cod + [write("c1.csv", "doc,begin,einde\nR1,1,2\n")], "missing column")
    add("codings: negative offset", cod + [write("c2.csv", HEADER + "R1,-4,10,Groep,bas,\n")], "row 2")
    add("codings: duplicate rows", cod + [write("c3.csv", HEADER + "R1,4,10,Groep,bas,\n" * 2)], "duplicate")
    add("codings: beyond the text", cod + [write("c4.csv", HEADER + "R1,4,999,Groep,bas,\n")], "outside")
    add("codings: unknown document", cod + [write("c5.csv", HEADER + "R7,4,10,Groep,bas,\n")], "unknown document")
    add("codings: start after end", cod + [write("c6.csv", HEADER + "R1,10,4,Groep,bas,\n")], "row 2")
    add("codings: text offsets", cod + [write("c7.csv", HEADER + "R1,vier,10,Groep,bas,\n")], "whole numbers")
    add("codings: empty file", cod + [write("c8.csv", "")], "empty")
    add("codings: binary", cod + [write("c9.csv", b"\x00\x01" * 64)], "not a text file")
    add("codings: empty code path", cod + [write("c10.csv", HEADER + "R1,4,10,Groep//x,bas,\n")], "code path")
    add("codings: 11-level code path", cod + [write("c11.csv", HEADER + "R1,4,10," + "/".join("abcdefghijk") + ",bas,\n")],
        "levels")
    add("codings: 1,500-level code path", cod + [write("c12.csv", HEADER + "R1,4,10," + "a/" * 1500 + "a,bas,\n")],
        "levels")
    add("codings: 10,000-character code", cod + [write("c13.csv", HEADER + "R1,4,10," + "x" * 10_000 + ",bas,\n")],
        "characters")
    add("codings: 201-character code", cod + [write("c14.csv", HEADER + "R1,4,10," + "x" * 201 + ",bas,\n")],
        "at most 200")
    add("codings: ESC in a code", cod + [write("c15.csv", HEADER + "R1,4,10,Gro\x1b[31mep,bas,\n")], "escape")
    add("codings: NUL in a code", cod + [write("c16.csv", HEADER + "R1,4,10,Gro\x00ep,bas,\n")], "NUL")
    add("codings: line break in a code", cod + [write("c17.csv", HEADER + 'R1,4,10,"Gro\nep",bas,\n')], "line break")
    add("codings: C1 in a code", cod + [write("c18.csv", HEADER + "R1,4,10,Gro\x85ep,bas,\n")], "U+0085")
    add("codings: stray byte", cod + [write("c19.csv", (HEADER + "R1,4,10,Één,bas,\nR1,4,10,x\xff,bas,\n").encode()
                                            .replace(b"\xc3\xbf", b"\xff"))], "line 3")
    add("codings: a folder named x.csv", cod + [folder_named("x.csv")], "folder")
    add("codings: missing file", cod + [str(folder / "missing.csv")], "no such file")
    add("codings: ragged row", cod + [write("c20.csv", HEADER + "R1,4\n")], "row 2")
    add("codings: huge offset", cod + [write("c21.csv", HEADER + "R1,4,99999999999999999999999,Groep,bas,\n")],
        "outside")
    add("codings: empty coder", cod + [write("c23.csv", HEADER + "R1,4,10,Groep,,\n")], "coder")
    add("codings: a .qdpx given as CSV", cod + [write("c24.csv", b"PK\x03\x04" + bytes(range(256)) * 4)], "")

    # --- cases CSV --------------------------------------------------------------------------------
    cas = ["cases", "import", "{project}"]
    add("cases: no case column", cas + [write("k1.csv", "naam,leeftijd\nR1,34\n")], "case column")
    add("cases: duplicate case", cas + [write("k2.csv", "case,age\nR1,34\nR1,35\n")], "twice")
    add("cases: ragged row", cas + [write("k3.csv", "case,age,gender\nR1,34\n")], "row 2")
    add("cases: empty file", cas + [write("k4.csv", "")], "empty")
    add("cases: newline and ESC in a label", cas + [write("k5.csv", 'case,age\n"R\n\x1b[2J",34\n')], "")
    add("cases: NUL in a label", cas + [write("k6.csv", "case,age\nR\x00,34\n")], "")
    add("cases: 10,000-character label", cas + [write("k7.csv", "case,age\n" + "R" * 10_000 + ",34\n")], "characters")
    add("cases: ESC in a variable name", cas + [write("k8.csv", "case,a\x1bge\nR1,34\n")], "escape")
    add("cases: 300-character variable", cas + [write("k9.csv", "case," + "v" * 300 + "\nR1,34\n")], "row 1")
    add("cases: duplicate columns", cas + [write("k10.csv", "case,age,age\nR1,3,4\n")], "duplicate")
    add("cases: empty label", cas + [write("k11.csv", "case,age\n,34\n")], "empty case label")
    add("cases: binary", cas + [write("k12.csv", bytes(range(256)) * 8)], "binary")
    add("cases: stray byte", cas + [write("k13.csv", "case,plaats\nR1,Zaanstad\nR2,Ede\xe9\n".encode() + b"R3,\xe9\n")],
        "line 4")
    add("cases: a folder", cas + [folder_named("k.csv")], "folder")
    add("cases: label with a line separator", cas + [write("k14.csv", "case,age\nR\u20281,34\n")], "line break")

    # --- codebook ---------------------------------------------------------------------------------
    cbk = ["codebook", "import", "{project}"]
    add("qdc: XML entity-expansion bomb", cbk + [write("bomb.qdc", XML_BOMB.replace("Project", "CodeBook"))],
        "unsafe XML")
    add("codebook csv: 11 levels", cbk + [write("cb1.csv", "code,definition\n" + "/".join("abcdefghijk") + ",x\n")],
        "levels")
    add("codebook csv: ESC in a code", cbk + [write("cb2.csv", "code,definition\nGro\x1bep,x\n")], "escape")
    add("codebook csv: 250-character code", cbk + [write("cb3.csv", "code,definition\n" + "c" * 250 + ",x\n")],
        "at most 200")
    add("codebook csv: empty level", cbk + [write("cb4.csv", "code,definition\na//b,x\n")], "code path")
    add("codebook: unknown format", cbk + [write("cb.json", "{}")], "")
    add("qdc: not XML", cbk + [write("cb5.qdc", "geen xml")], "")
    add("qdc: a folder", cbk + [folder_named("cb6.qdc")], "")
    add("codebook csv: binary", cbk + [write("cb7.csv", bytes(range(256)) * 8)], "binary")

    # --- REFI-QDA projects ------------------------------------------------------------------------
    def qdpx(name: str, qde: str, sources: dict[str, bytes | str] | None = None) -> str:
        return _zip(folder / name, {"project.qde": qde, **(sources or {})})

    def qde_with_source(source_name: str = "R9.txt", codes: str = "") -> str:
        return QDE_HEAD + codes + SOURCE.format(guid=GUID, name=source_name) + "</Project>"

    deep = "".join(f'<Code guid="00000000-0000-0000-0000-{n:012d}" name="c{n}" isCodable="true">' for n in range(1500))
    deep_codes = "<CodeBook><Codes>" + deep + "</Code>" * 1500 + "</Codes></CodeBook>"
    long_code = f'<CodeBook><Codes><Code guid="{GUID[:-1]}6" name="{"x" * 5000}" isCodable="true"/></Codes></CodeBook>'
    esc_code = f'<CodeBook><Codes><Code guid="{GUID[:-1]}7" name="a&#x85;b" isCodable="true"/></Codes></CodeBook>'
    qd = ["import-qdpx"]
    add("qdpx: not a zip archive", qd + [write("bad.qdpx", b"PK\x03\x04garbage"), "{project}"], "not a .qdpx")
    add("qdpx: no project.qde inside", qd + [_zip(folder / "no-project.qdpx", {"sources/x.txt": "hoi"}), "{project}"],
        "no .qde")
    add("qdpx: XML entity-expansion bomb", qd + [qdpx("bomb.qdpx", XML_BOMB), "{project}"], "unsafe XML")
    add("qdpx: invalid UTF-8 in a source", qd + [qdpx("badsrc.qdpx", qde_with_source(),
                                                     {f"sources/{GUID}.txt": b"R: caf\xe9 hier"}), "{project}"], "UTF-8")
    add("qdpx: NUL in a source", qd + [qdpx("nulsrc.qdpx", qde_with_source(),
                                            {f"sources/{GUID}.txt": b"R: nul\x00 hier"}), "{project}"], "NUL")
    add("qdpx: ESC in a source", qd + [qdpx("escsrc.qdpx", qde_with_source(),
                                            {f"sources/{GUID}.txt": "R: \x1b[31m rood"}), "{project}"], "escape")
    add("qdpx: missing source text", qd + [qdpx("nosrc.qdpx", qde_with_source()), "{project}"], "missing")
    add("qdpx: 1,500-level codebook", qd + [qdpx("deep.qdpx", QDE_HEAD + deep_codes + "</Project>"), "{project}"],
        "levels")
    add("qdpx: 5,000-character code name", qd + [qdpx("long.qdpx", QDE_HEAD + long_code + "</Project>"), "{project}"],
        "characters")
    add("qdpx: control character in a code name", qd + [qdpx("esccode.qdpx", QDE_HEAD + esc_code + "</Project>"),
                                                        "{project}"], "line break")
    add("qdpx: zip bomb source", qd + [zip_bomb(folder / "zbomb.qdpx", f"sources/{GUID}.txt", 50 << 20,
                                                {"project.qde": qde_with_source()}), "{project}"], "zip bomb")
    add("qdpx: overlapping entries", qd + [overlapping_bomb(folder / "overlap.qdpx", 200), "{project}"],
        "archive refused")
    add("qdpx: path traversal", qd + [_zip(folder / "trav.qdpx", {"project.qde": qde_with_source(),
                                                                   "sources/../../x.txt": "x"}), "{project}"], "outside")
    add("qdpx: a folder named x.qdpx", qd + [folder_named("x.qdpx"), "{project}"], "")
    add("qdpx: empty file", qd + [write("empty.qdpx", b""), "{project}"], "")
    add("qdpx: not XML inside", qd + [qdpx("notxml.qdpx", "geen xml"), "{project}"], "")
    add("qdpx: wrong root element", qd + [qdpx("root.qdpx", '<?xml version="1.0"?><Other/>'), "{project}"],
        "not a REFI-QDA")
    add("qdpx: selection outside the source", qd + [qdpx("sel.qdpx", QDE_HEAD + f'<Sources><TextSource guid="{GUID}" '
                                                          'name="R9"><PlainTextContent>R: kort</PlainTextContent>'
                                                          '<PlainTextSelection guid="{0}" startPosition="2" '
                                                          'endPosition="999"/></TextSource></Sources></Project>'),
                                                     "{project}"], "outside")
    add("merge: a bad .qdpx", ["merge", "{project}", write("m.qdpx", "geen zip")], "")
    add("merge: a bomb .qdpx", ["merge", "{project}", zip_bomb(folder / "mbomb.qdpx", "project.qde", 50 << 20)],
        "zip bomb")
    add("merge: a missing project", ["merge", "{project}", str(folder / "missing.thematica")], "no such project")
    add("merge: a text file as project", ["merge", "{project}", write("m.thematica", "geen project\n" * 50)],
        "not a Thematica project")

    # --- trial data -------------------------------------------------------------------------------
    trial = ["--id", "participant", "--arm", "arm", "--time", "time"]
    tri = ["trial", "import", "{project}"]
    add("trial: text in a numeric column", tri + [write("t1.csv", TRIAL + "P1,a,0,1.2\nP2,b,0,veel\nP3,a,0,0.8\n"
                                                        "P4,b,0,1.1\nP5,a,0,0.9\n")] + trial, "row 3: text 'veel'")
    add("trial: participant twice at a time", tri + [write("t2.csv", TRIAL + "P1,a,0,1.2\nP1,a,0,1.3\n")] + trial, "twice")
    add("trial: no such id column", tri + [write("t3.csv", TRIAL + "P1,a,0,1\n"), "--id", "id", "--arm", "arm"],
        "no column 'id'")
    add("trial: ESC in an arm", tri + [write("t4.csv", TRIAL + "P1,a\x1b[31m,0,1\nP2,b,0,2\n")] + trial, "")
    add("trial: 300-character variable", tri + [write("t5.csv", "participant,arm,time," + "v" * 300 + "\nP1,a,0,1\n")]
        + trial, "")
    add("trial: empty file", tri + [write("t6.csv", "")] + trial, "")
    add("trial: binary", tri + [write("t7.csv", bytes(range(256)) * 8)] + trial, "binary")
    add("trial: a folder named x.csv", tri + [folder_named("t.csv")] + trial, "")
    add("trial: a corrupt .xlsx", tri + [write("t8.xlsx", b"PK\x03\x04zz")] + trial, "")
    add("trial: .xlsx zip bomb", tri + [zip_bomb(folder / "t9.xlsx", "xl/worksheets/sheet1.xml", 50 << 20)] + trial,
        "zip bomb")
    add("trial: malformed --range", tri + [write("t10.csv", TRIAL + "P1,a,0,1\n")] + trial + ["--range", "scl90"], "")
    add("trial: inverted --range", tri + [write("t11.csv", TRIAL + "P1,a,0,1\n")] + trial + ["--range", "scl90=5:1"], "")
    add("trial: NUL in a participant", tri + [write("t12.csv", TRIAL + "P\x001,a,0,1\nP2,b,0,2\n")] + trial, "")
    add("trial analyze: malformed --scale", ["trial", "analyze", "{project}", "--scale", "WAI=wai1"], "--scale")
    add("trial plot: no trial data", ["trial", "plot", "{project}", "--outcome", "scl90"], "")
    add("trial joint: no trial data", ["trial", "joint", "{project}", "--by", "scl90"], "")

    # --- meta-analysis files ----------------------------------------------------------------------
    add("meta: text where a count belongs", ["meta", "analyse", write("m1.csv", "study,events_t,n_t,events_c,n_c\n"
                                              "A,4,20,veel,20\nB,3,25,6,25\n"), "--measure", "RR"], "row 2")
    add("meta: NaN counts", ["meta", "analyse", write("m2.csv", "study,events_t,n_t,events_c,n_c\nA,nan,20,3,20\n"
                                                      "B,inf,25,6,25\n"), "--measure", "RR"], "")
    add("meta: events above n", ["meta", "analyse", write("m3.csv", "study,events_t,n_t,events_c,n_c\nA,30,20,3,20\n"
                                                          "B,3,25,6,25\n"), "--measure", "RR"], "")
    add("meta: empty file", ["meta", "analyse", write("m4.csv", ""), "--measure", "RR"], "")
    add("meta: binary", ["meta", "analyse", write("m5.csv", bytes(range(256)) * 8), "--measure", "RR"], "binary")
    add("meta: a folder", ["meta", "analyse", folder_named("m6.csv"), "--measure", "RR"], "")
    add("meta compare: empty files", ["meta", "compare", write("m7.csv", ""), write("m8.csv", "")], "")
    add("nma: multi-arm study with a contrast missing", ["nma", write("n1.csv", "study,treat1,treat2,te,sete\n"
                                                          "S1,A,B,0.5,0.2\nS1,A,C,0.7,0.3\nS2,B,C,0.1,0.2\n"),
                                                          "--measure", "MD", "--reference", "A"], "needs all 3")
    add("nma: disconnected network", ["nma", write("n2.csv", "study,treat1,treat2,te,sete\nS1,A,B,0.5,0.2\n"
                                                   "S2,C,D,0.1,0.2\n"), "--measure", "MD", "--reference", "A"],
        "not connected")
    add("nma: zero standard error", ["nma", write("n3.csv", "study,treat1,treat2,te,sete\nS1,A,B,0.5,0\n"
                                                  "S2,B,C,0.1,0.2\n"), "--measure", "MD", "--reference", "A"], "")
    add("nma: unknown reference", ["nma", write("n4.csv", "study,treat1,treat2,te,sete\nS1,A,B,0.5,0.2\n"
                                                "S2,B,C,0.1,0.2\n"), "--measure", "MD", "--reference", "Z"], "")
    add("nma: empty file", ["nma", write("n5.csv", ""), "--measure", "MD", "--reference", "A"], "")

    # --- names at the command line ----------------------------------------------------------------
    add("theme: name with a newline", ["theme", "add", "{project}", "Veilig\nheid"], "line break")
    add("theme: name with ESC", ["theme", "add", "{project}", "Veilig\x1b[2J"], "escape")
    add("theme: 10,000-character name", ["theme", "add", "{project}", "T" * 10_000], "characters")
    add("theme: empty name", ["theme", "add", "{project}", "  "], "name")
    add("theme: unknown code", ["theme", "add", "{project}", "Veilig", "--codes", "Bestaat niet"], "no code")
    add("theme: unknown parent", ["theme", "add", "{project}", "Veilig", "--parent", "Nergens"], "no theme")
    add("theme: link unknown themes", ["theme", "link", "{project}", "A", "B", "--label", "x"], "no theme")
    add("theme: remove unknown", ["theme", "remove", "{project}", "Nergens"], "no theme")
    add("theme: set bad status", ["theme", "set", "{project}", "Nergens", "--status", "klaar"], "")
    add("theme: merge unknown", ["theme", "merge", "{project}", "A", "B"], "no theme")
    add("theme: split unknown", ["theme", "split", "{project}", "A", "B", "--codes", "Groep"], "no theme")
    add("import: case label with a newline", imp + [write("case.txt", "R: hoi\n"), "--case", "R\n1"], "line break")
    add("import: case label with ESC", imp + [write("case2.txt", "R: hoi\n"), "--case", "R\x1b[31m"], "escape")
    add("import: 300-character case", imp + [write("case3.txt", "R: hoi\n"), "--case", "c" * 300], "characters")

    # --- options and usage ------------------------------------------------------------------------
    add("usage: missing argument", ["info"], "missing argument")
    add("usage: value not among the choices", ["info", "{project}", "--format", "bogus"], "invalid value")
    add("usage: unknown command", ["verwijder", "{project}"], "no such command")
    add("agreement --bootstrap 0", ["agreement", "{project}", "--bootstrap", "0"], "")
    add("agreement --bootstrap -5", ["agreement", "{project}", "--bootstrap", "-5"], "")
    add("agreement --min-overlap 2", ["agreement", "{project}", "--min-overlap", "2"], "")
    add("agreement --threshold nan", ["agreement", "{project}", "--threshold", "nan"], "")
    add("agreement unknown domain", ["agreement", "{project}", "--domain", "Nergens"], "")
    add("agreement one coder", ["agreement", "{project}", "--coders", "anouk"], "")
    add("agreement unknown coders", ["agreement", "{project}", "--coders", "x,y"], "")
    add("disagreements unknown coders", ["disagreements", "{project}", "--coders", "x,y", "--out", str(folder / "d.md")], "no coder")
    add("suggest-themes --clusters 1", ["suggest-themes", "{project}", "--clusters", "1"], "")
    add("suggest-themes --seed -1", ["suggest-themes", "{project}", "--seed", "-1"], "")
    add("log --limit 0", ["log", "{project}", "--limit", "0"], "")
    add("log --limit huge", ["log", "{project}", "--limit", "99999999999999999999"], "")
    add("show: unknown document", ["show", "{project}", "R9"], "no document")
    add("show: unknown unit kind", ["show", "{project}", "R1", "--units", "woord"], "unit must be")
    add("export: unknown coder", ["codings", "export", "{project}", "--coder", "onbekend"], "no coder")
    add("consensus: unknown coders", ["consensus", "status", "{project}", "--coders", "x,y"], "")
    add("consensus decide: bad decision", ["consensus", "decide", "{project}", "--coders", "anouk,bas", "vaag", "--as", "anouk"],
        "")
    add("codebook diff: unknown snapshots", ["codebook", "diff", "{project}", "1", "2"], "")

    # --- outputs ----------------------------------------------------------------------------------
    add("--out is a folder", ["codings", "export", "{project}", "--out", str(folder)], "folder")
    add("--out has a NUL", ["codings", "export", "{project}", "--out", "x\x00.csv"], "NUL")
    add("--out name too long", ["codings", "export", "{project}", "--out", str(folder / ("x" * 300 + ".csv"))],
        "too long")
    add("--out under a file", ["codings", "export", "{project}", "--out", str(folder / "empty.txt" / "x.csv")], "")
    add("map: unknown format", ["map", "{project}", "--out", str(folder / "map.bmp")], "")
    add("report: unknown format", ["report", "{project}", "--out", str(folder / "r.pdf")], "")
    add("export: --out is a folder", ["export", "{project}", "--out", str(folder)], "folder")

    # --- projects: foreign, empty, newer ----------------------------------------------------------
    add("info: missing project", ["info", str(folder / "missing.thematica")], "no such project")
    add("info: a text file", ["info", write("text.thematica", "geen project\n" * 50)], "not a Thematica project")
    add("info: an empty file", ["info", write("empty.thematica", b"")], "empty file")
    add("info: a folder", ["info", folder_named("dir.thematica")], "folder")
    add("info: NUL in the path", ["info", "p\x00.thematica"], "NUL")
    add("info: a 300-character name", ["info", str(folder / ("p" * 300))], "")
    add("info: a bad URL", ["info", "postgresql+nodriver://x@/y"], "")
    add("info: a truncated SQLite header", ["info", write("trunc.thematica", b"SQLite format 3\x00" + b"\x00" * 20)],
        "not a Thematica project")
    add("init: /dev/null", ["init", "/dev/null"], "")
    add("info: /dev/null as project", ["info", "/dev/null"], "device")
    add("migrate: into /dev/null", ["migrate", "{project}", "/dev/null"], "device")
    add("restore: into /dev/null", ["restore", write("e4.thematica", b""), "/dev/null"], "")
    add("import-qdpx: into /dev/null", ["import-qdpx", str(folder / "no-project.qdpx"), "/dev/null"], "")
    add("cases: /dev/zero as CSV", cas + ["/dev/zero"], "")
    add("import: into a text file", ["import", str(folder / "text.thematica"), write("ok.txt", "R: hoi\n")],
        "not a Thematica project")

    # --- backup, restore, migrate -----------------------------------------------------------------
    add("restore: an empty file", ["restore", write("e.thematica", b""), str(folder / "n1.thematica")], "empty")
    add("restore: a text file", ["restore", write("t.thematica", "geen backup\n" * 40), str(folder / "n2.thematica")],
        "not a Thematica")
    add("restore: a project without manifest", ["restore", "{project}", str(folder / "n3.thematica")], "manifest")
    add("restore: a folder", ["restore", folder_named("b.thematica"), str(folder / "n4.thematica")], "")
    add("restore: missing file", ["restore", str(folder / "nb.thematica"), str(folder / "n5.thematica")], "no such")
    add("restore: onto an existing file", ["restore", write("e2.thematica", b""), "{project}"], "overwrite")
    add("backup: onto an existing file", ["backup", "{project}", "{project}"], "exists")
    add("backup: into a missing folder", ["backup", "{project}", str(folder / "nergens" / "b.thematica")], "folder")
    add("migrate: into a non-empty project", ["migrate", "{project}", "{project}"], "not empty")
    add("migrate: from an empty file", ["migrate", write("e3.thematica", b""), str(folder / "n6.thematica")], "empty")

    # --- pseudonymisation inputs ------------------------------------------------------------------
    pse = ["pseudonymise"]
    add("pseudonymise: a binary file", pse + [write("p1.txt", bytes(range(256)) * 20), "--out", str(folder / "po1")],
        "binary")
    add("pseudonymise: stray byte", pse + [write("p2.txt", (utf8 + "\xff").encode().replace(b"\xc3\xbf", b"\xff")),
                                           "--out", str(folder / "po2")], "UTF-8")
    add("pseudonymise: a names list with NUL", pse + [write("p3.txt", "R: hoi Jan\n"), "--out", str(folder / "po3"),
                                                      "--names", write("names.txt", b"Jan\x00\n")], "")
    add("pseudonymise: --out is a file", pse + [write("p4.txt", "R: hoi\n"), "--out", write("po4", "x")], "")
    add("pseudonymise: a bad mapping", pse + [write("p5.txt", "R: hoi\n"), "--out", str(folder / "po5"),
                                              "--mapping", write("map.csv", "a,b\n1,2\n")], "")
    add("pseudonymise: a folder named x.txt", pse + [folder_named("p6.txt"), "--out", str(folder / "po6")], "folder")
    return cases
