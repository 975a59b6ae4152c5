"""Pseudonymisation of transcripts before import: likely names, places, institutions, dates and
contact details are replaced consistently (``[NAME-1]``, ``[PLACE-2]``...), with a list of every
replacement for the researcher to review.

No trained named-entity model can be installed here, so finding is rule-based, and errs on the
side of replacing too much (a false positive costs a reviewer one line in the list; a missed name
is a privacy breach):

* **user lists** (names, places, institutions, words to keep) — spaCy ``EntityRuler`` phrase
  patterns on the lower-cased token, so "anouk" and "Anouk" both match;
* **dates** — ``EntityRuler`` token patterns: "12 maart 2023", "maart 2023", "12-03-2023",
  "maandag 12 maart"; e-mail addresses, telephone numbers and Dutch postcodes by regular expression;
* **unknown proper nouns** — Dutch writes common nouns in lower case, so a capitalised word that
  does not open a sentence, a line or a speaker turn is a likely proper noun. Runs such as
  "Jan de Vries" (tussenvoegsels between capitals) are one entity. A word after a title
  (mevrouw, dokter, dhr.) is a NAME; after "in/uit/naar/te" a PLACE; a word with an
  institutional part (ziekenhuis, kliniek, GGZ, school, ...) an INSTITUTION; otherwise a NAME.
  A word found this way anywhere in the batch is then replaced everywhere, also where it opens a
  sentence ("Marieke zei..." is caught because "met Marieke" occurred elsewhere).

Consistency: one label per (kind, case-folded original) across all files of a batch and across
batches when the reviewed list is passed back in (``Replacements.load``).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from thematica.corpus.segmentation import split_for_spacy
from thematica.errors import ThematicaError
from thematica.output import make_private_folders

KINDS = ("NAME", "PLACE", "INSTITUTION", "DATE", "EMAIL", "PHONE", "POSTCODE")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december", "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
TITLES = {"meneer", "mevrouw", "mevr", "mw", "dhr", "heer", "dokter", "dr", "drs", "prof", "juf", "juffrouw",
          "meester", "zuster", "broeder", "ome", "oom", "tante", "opa", "oma", "collega", "therapeut", "psycholoog",
          "psychiater", "huisarts", "mr", "mrs", "ms", "miss"}
PLACE_WORDS = {"in", "uit", "naar", "te", "vanuit", "richting", "rond", "nabij"}
INSTITUTION_PARTS = ("ziekenhuis", "kliniek", "ggz", "centrum", "instelling", "school", "college", "universiteit",
                     "hogeschool", "gemeente", "praktijk", "stichting", "zorg", "groep", "bv", "b.v.", "fonds",
                     "academie", "lyceum", "gymnasium", "umc", "mc", "uwv", "bank", "verzekeraar")
PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "'t", "op", "la", "le", "du", "di", "da", "von",
             "el", "al", "bin"}
# Capitalised mid-sentence in Dutch without naming a person, place or institution.
COMMON_CAPITALISED = {"nederland", "nederlands", "nederlandse", "engels", "engelse", "duits", "frans", "god", "kerst",
                      "kerstmis", "pasen", "pinksteren", "ramadan", "suikerfeest", "sinterklaas", "oud", "nieuw",
                      "internet", "whatsapp", "facebook", "instagram", "google", "corona", "covid", "i", "ik", "ok",
                      "oké", "ja", "nee", "mm", "hm", "hmm", "eh", "uh"}
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w-])(?:\+31[\s-]?(?:\(0\))?[\s-]?|0)(?:[1-9][\d\s-]{7,11}\d)(?![\w-])")
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b")
_SPEAKER = re.compile(r"^[^\S\n]*([^\W\d_][\w .'-]{0,30}?)[^\S\n]*:", re.MULTILINE)
_OPENERS = {".", "!", "?", ":", "…", '"', "“", "”", "‘", "'", "(", "[", "-", "–", "—", ";"}


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True)
class WordLists:
    """User-supplied lists: one entry per line; ``keep`` entries are never replaced."""

    names: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()

    @staticmethod
    def read(path: Path | None) -> tuple[str, ...]:
        if path is None:
            return ()
        from thematica.corpus.readers import decode

        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise ThematicaError(f"cannot read the list ({error.strerror})", path=str(path)) from None
        text, _ = decode(raw, Path(path))
        return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=8)
def _ruler_pipeline(language: str, lists: WordLists):
    import spacy

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    patterns = []
    for kind, entries in (("NAME", lists.names), ("PLACE", lists.places), ("INSTITUTION", lists.institutions),
                          ("KEEP", lists.keep)):
        patterns += [{"label": kind, "pattern": entry} for entry in entries]
    day = {"TEXT": {"REGEX": r"^\d{1,2}(e|ste|de)?$"}}
    month = {"LOWER": {"IN": list(MONTHS)}}
    year = {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}
    weekday = {"LOWER": {"IN": list(WEEKDAYS)}}
    patterns += [
        {"label": "DATE", "pattern": [weekday, day, month, year]},
        {"label": "DATE", "pattern": [weekday, day, month]},
        {"label": "DATE", "pattern": [day, month, year]},
        {"label": "DATE", "pattern": [day, month]},
        {"label": "DATE", "pattern": [month, year]},
        {"label": "DATE", "pattern": [{"TEXT": {"REGEX": r"^\d{1,2}[-/.]\d{1,2}[-/.](\d{2}|\d{4})$"}}]},
    ]
    ruler.add_patterns(patterns)
    return nlp


def _speaker_labels(text: str) -> set[tuple[int, int]]:
    return {(m.start(1), m.end(1)) for m in _SPEAKER.finditer(text)}


def _opens_sentence(doc, index: int) -> bool:
    token = doc[index]
    if token.is_sent_start or index == 0:
        return True
    previous = doc[index - 1]
    return previous.text in _OPENERS or "\n" in previous.whitespace_ or previous.is_space or "\n" in previous.text


def _classify(doc, start: int, end: int) -> str:
    words = " ".join(t.lower_ for t in doc[start:end])
    if any(part in words.replace(" ", "") or part in words.split() for part in INSTITUTION_PARTS):
        return "INSTITUTION"
    before = [t.lower_.rstrip(".") for t in doc[max(0, start - 2):start] if not t.is_punct]
    if before and before[-1] in TITLES:
        return "NAME"
    if before and before[-1] in PLACE_WORDS:
        return "PLACE"
    return "NAME"


def _capitalised(token) -> bool:
    text = token.text
    return (len(text) > 1 and text[0].isupper() and any(ch.isalpha() for ch in text)
            and not text.isupper() and token.lower_ not in COMMON_CAPITALISED)


def _acronym(token) -> bool:
    return len(token.text) > 1 and token.text.isupper() and token.text.isalpha()


def _run_word(token) -> bool:
    return _capitalised(token) or _acronym(token)


def _proper_nouns(doc, labels: set[tuple[int, int]], taken: list[bool]) -> list[Found]:
    """Runs of capitalised words (particles allowed between) that are not just a sentence's first word.

    A run that opens a sentence loses its leading stop words and titles ("Toen Marieke" -> "Marieke",
    "Mevrouw Jansen" -> "Jansen"); a lone capitalised first word is an ordinary sentence start.
    """
    found = []
    index = 0
    while index < len(doc):
        token = doc[index]
        if taken[index] or not _run_word(token) or (token.idx, token.idx + len(token)) in labels:
            index += 1
            continue
        end = index + 1
        while end < len(doc):
            if _run_word(doc[end]) and not taken[end]:
                end += 1
                continue
            look = end
            while look < len(doc) and doc[look].lower_ in PARTICLES:
                look += 1
            if end < look < len(doc) and _capitalised(doc[look]) and not taken[look]:
                end = look + 1
                continue
            break
        start = index
        if _opens_sentence(doc, index):
            while start < end and (doc[start].is_stop or doc[start].lower_.rstrip(".") in TITLES
                                   or doc[start].lower_ in PARTICLES):
                start += 1
            if start == index and end - index == 1:
                start = end
        while start < end and _acronym(doc[start]) and end - start == 1:
            start += 1  # an acronym alone (GGZ, UWV, CGT) names no one
        if start < end and any(_capitalised(t) for t in doc[start:end]):
            span = doc[start:end]
            found.append(Found(span.start_char, span.end_char, _classify(doc, start, end), span.text))
        index = end
    return found


def find_entities(text: str, lists: WordLists = WordLists(), language: str = "nl",
                  chunk: int | None = None) -> list[Found]:
    """Entities in ``text`` by the rules of the module docstring, sorted, non-overlapping; long
    texts are read in pieces of at most ``chunk`` characters (default: half spaCy's limit)."""
    nlp = _ruler_pipeline(language, lists)
    found: list[Found] = []
    for pattern, kind in ((_EMAIL, "EMAIL"), (_PHONE, "PHONE"), (_POSTCODE, "POSTCODE")):
        found += [Found(m.start(), m.end(), kind, m.group()) for m in pattern.finditer(text)]
    all_labels = _speaker_labels(text)
    for piece, offset in split_for_spacy(text, chunk or nlp.max_length // 2):
        doc = nlp(piece)
        labels = {(start - offset, end - offset) for start, end in all_labels}  # offsets within the piece
        taken = [False] * len(doc)
        for entity in doc.ents:
            for i in range(entity.start, entity.end):
                taken[i] = True
            if entity.label_ != "KEEP":
                found.append(Found(offset + entity.start_char, offset + entity.end_char, entity.label_, entity.text))
        for token in doc:  # a line's speaker label ("Jan:") is a name too, unless it is a role letter
            if (token.idx, token.idx + len(token)) in labels and len(token.text) > 1 and _capitalised(token):
                taken[token.i] = True
                found.append(Found(offset + token.idx, offset + token.idx + len(token), "NAME", token.text))
        kept = {t.lower_ for t in doc if t.ent_type_ == "KEEP"} | {k.lower() for k in lists.keep}
        found += [Found(offset + f.start, offset + f.end, f.kind, f.text)
                  for f in _proper_nouns(doc, labels, taken) if f.text.lower() not in kept]
    return _non_overlapping(found)


def _non_overlapping(found: list[Found]) -> list[Found]:
    """Longest first wins where two finds overlap."""
    chosen: list[Found] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(item.end <= other.start or item.start >= other.end for other in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda f: f.start)


@dataclass
class Entry:
    kind: str
    original: str
    replacement: str
    replace: bool = True
    occurrences: int = 0
    files: set[str] = field(default_factory=set)


class Replacements:
    """The batch's consistent mapping ``(kind, case-folded original) -> label``, reviewable as CSV."""

    COLUMNS = ("kind", "original", "replacement", "replace", "occurrences", "files")

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], Entry] = {}
        self.counters: Counter[str] = Counter()

    def label(self, kind: str, original: str) -> Entry:
        key = (kind, original.casefold())
        if key not in self.entries:
            self.counters[kind] += 1
            self.entries[key] = Entry(kind, original, f"[{kind}-{self.counters[kind]}]")
        return self.entries[key]

    @classmethod
    def load(cls, path: Path) -> Replacements:
        """Read a reviewed list: ``replace`` = no/nee keeps the original; edited labels are kept."""
        from thematica.corpus.readers import decode

        mapping = cls()
        try:
            text, _ = decode(Path(path).read_bytes(), Path(path))
        except OSError as error:
            raise ThematicaError(f"cannot read the replacement list ({error.strerror})", path=str(path)) from None
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in ("kind", "original", "replacement", "replace") if c not in (reader.fieldnames or [])]
        if missing:
            raise ThematicaError(f"missing column(s) {', '.join(missing)}", path=str(path))
        for row_number, row in enumerate(reader, start=2):
            kind, original = (row["kind"] or "").strip().upper(), (row["original"] or "").strip()
            if kind not in KINDS or not original:
                raise ThematicaError(f"row {row_number}: kind must be one of {', '.join(KINDS)} and original non-empty",
                                     path=str(path))
            flag = (row["replace"] or "").strip().lower()
            if flag not in ("yes", "ja", "y", "j", "no", "nee", "n", "1", "0", "true", "false"):
                raise ThematicaError(f"row {row_number}: replace must be yes/ja or no/nee", path=str(path))
            replacement = (row["replacement"] or "").strip() or f"[{kind}]"
            mapping.entries[(kind, original.casefold())] = Entry(kind, original, replacement,
                                                                 flag in ("yes", "ja", "y", "j", "1", "true"))
            number = re.fullmatch(rf"\[{kind}-(\d+)\]", replacement)
            if number:
                mapping.counters[kind] = max(mapping.counters[kind], int(number.group(1)))
        return mapping

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.COLUMNS)
        for entry in sorted(self.entries.values(), key=lambda e: (KINDS.index(e.kind), e.replacement)):
            writer.writerow([entry.kind, entry.original, entry.replacement, "ja" if entry.replace else "nee",
                             entry.occurrences, ";".join(sorted(entry.files))])
        return out.getvalue()


def pseudonymise(texts: dict[str, str], lists: WordLists = WordLists(), language: str = "nl",
                 replacements: Replacements | None = None) -> tuple[dict[str, str], Replacements]:
    """Pseudonymise a batch ``{name: text}``; returns the new texts and the (updated) mapping.

    Two passes: the first finds entities in every text; the second replaces every whole-word
    occurrence of every found (or previously listed) original in every text, so an entity found
    once is replaced everywhere. Where the same string was found as two kinds, the more frequent
    kind wins.
    """
    mapping = replacements or Replacements()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    surfaces: dict[str, str] = {}
    for text in texts.values():
        for item in find_entities(text, lists, language):
            kinds[item.text.casefold()][item.kind] += 1
            surfaces.setdefault(item.text.casefold(), item.text)
    listed = {original: entry for (_, original), entry in mapping.entries.items()}
    for original, counts in kinds.items():
        if original not in listed:
            listed[original] = mapping.label(counts.most_common(1)[0][0], surfaces[original])
    for entry in mapping.entries.values():
        entry.occurrences, entry.files = 0, set()
    originals = sorted(listed, key=len, reverse=True)
    if not originals:
        return dict(texts), mapping
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(o) for o in originals) + r")(?!\w)", re.IGNORECASE)
    result = {}
    for name, text in texts.items():
        def substitute(match: re.Match) -> str:
            entry = listed[match.group(1).casefold()]
            if not entry.replace:
                return match.group(0)
            entry.occurrences += 1
            entry.files.add(name)
            return entry.replacement
        result[name] = pattern.sub(substitute, text)
    return result, mapping


@dataclass(frozen=True)
class PseudonymisedBatch:
    written: list[Path]
    replacements_path: Path
    counts: dict[str, int]


def pseudonymise_files(paths: list[Path], out_dir: Path, lists: WordLists = WordLists(), language: str = "nl",
                       mapping_path: Path | None = None) -> PseudonymisedBatch:
    """Read transcripts (any importable format), write ``out_dir/<stem>.txt`` (UTF-8) and
    ``out_dir/replacements.csv``, all owner-only. Inputs are never overwritten; nothing is written
    unless every input could be read."""
    from thematica.corpus.readers import read_document
    from thematica.files import write_private

    out_dir = Path(out_dir)
    sources = {Path(p).resolve() for p in paths}
    texts: dict[str, str] = {}
    targets: dict[str, Path] = {}
    for path in paths:
        read = read_document(Path(path))
        name = Path(path).stem
        if name in texts:
            raise ThematicaError(f"two inputs are named {name!r}; outputs would collide", path=str(path))
        target = out_dir / f"{name}.txt"
        if target.resolve() in sources:
            raise ThematicaError("the output would overwrite this input; choose another --out folder", path=str(path))
        texts[name], targets[name] = read.text, target
    mapping = Replacements.load(mapping_path) if mapping_path else None
    result, mapping = pseudonymise(texts, lists, language, mapping)
    make_private_folders(out_dir)
    for name, text in result.items():
        write_private(targets[name], text)
    listing = write_private(out_dir / "replacements.csv", mapping.to_csv())
    counts = Counter(e.kind for e in mapping.entries.values() if e.replace and e.occurrences)
    return PseudonymisedBatch(list(targets.values()), listing, dict(counts))
