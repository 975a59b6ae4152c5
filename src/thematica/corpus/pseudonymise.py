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
from typing import TYPE_CHECKING, Any, cast

from thematica.corpus.segmentation import split_for_spacy
from thematica.errors import ThematicaError
from thematica.output import make_private_folders
from thematica.safe_text import SafeCsvWriter, csv_uncell

if TYPE_CHECKING:
    from spacy.language import Language

KINDS = ("NAME", "PLACE", "INSTITUTION", "DATE", "EMAIL", "PHONE", "POSTCODE", "BSN", "IBAN", "ADDRESS")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december", "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
TITLES = {"meneer", "mevrouw", "mevr", "mw", "dhr", "heer", "dokter", "dr", "drs", "prof", "juf", "juffrouw",
          "meester", "zuster", "broeder", "ome", "oom", "tante", "opa", "oma", "collega", "therapeut", "psycholoog",
          "psychiater", "huisarts", "mr", "mrs", "ms", "miss"}
# Kinship and relation words: the word after them is a name ("mijn zus noor", "buurman Bos").
KINSHIP = {"zus", "zusje", "broer", "broertje", "zoon", "dochter", "moeder", "vader", "neef", "nicht", "vriend",
           "vriendin", "buurman", "buurvrouw", "man", "vrouw", "partner", "schoonmoeder", "schoonvader", "collega"}
# Titles proper: a word after them is a name even when it is also a trade ("dokter Bakker").
FORMAL_TITLES = {"meneer", "mevrouw", "mevr", "mw", "dhr", "heer", "dokter", "dr", "drs", "prof", "mr", "juf",
                 "meester", "zuster", "huisarts", "psycholoog", "psychiater", "therapeut"}
# Surnames that are trades: after "mijn oom" they are the trade ("mijn oom kok op een schip").
OCCUPATIONS = {"bakker", "boer", "kok", "visser", "smit", "mulder", "kuiper", "dekker", "kramer", "jonker", "prins",
               "koning", "de boer", "de koning"}
# Speaker labels that name a role, not a person.
ROLE_WORDS = {"interviewer", "interviewster", "interviewee", "respondent", "deelnemer", "participant", "moderator",
              "onderzoeker", "spreker", "therapeut", "begeleider", "cliënt", "client", "patiënt", "patient", "vraag",
              "antwoord", "i", "r", "p", "int", "resp"}
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
# Dutch numbers: 0 + 9 digits, or +31 / 0031 + 9 digits; groups split by one space or dash; the
# area code may be in parentheses: 06-12345678, +31 6 1234 5678, 020-1234567, (010) 123 45 67.
_PHONE = re.compile(r"(?<![\w+-])(?:(?:\+|00)31[ -]?(?:\(0\)[ -]?)?|\(0\d{1,3}\)[ -]?|0)\d(?:[ -]?\d){6,9}(?![\w-])")
_POSTCODE = re.compile(r"\b[1-9]\d{3}[ ]?(?!SS|SD|SA)[A-Z]{2}\b")
_BSN = re.compile(r"(?<![\w.-])\d{3}[ .]?\d{3}[ .]?\d{3}(?![\w-]|\.\d)|(?<![\w.-])\d{4}\.\d{2}\.\d{3}(?![\w-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}[ ]?[A-Z]{4}(?:[ ]?\d){10}\b")
_STREET = (r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|markt|baan|wal|erf|plantsoen"
           r"|boulevard|park|veld|weide|akker|hoven|dreef|straatweg|burgwal|kanaal)")
_ADDRESS = re.compile(rf"(?<!\w)[^\W\d_][\w'-]*{_STREET}[ ]+\d{{1,4}}(?:[ ]?[a-zA-Z](?!\w)|-\d{{1,3}}|[ ](?:hs|bis)\b)?",
                      re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<![\w-])(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d|(?:19|20)\d\d-\d{2}-\d{2})(?![\w-])")
_SPEAKER = re.compile(r"^[^\S\n]*([^\W\d_][\w .'-]{0,30}?)[^\S\n]*:", re.MULTILINE)
_OPENERS = {".", "!", "?", ":", "…", '"', "“", "”", "‘", "'", "(", "[", "-", "–", "—", ";"}


def elfproef(digits: str) -> bool:
    """The BSN check ("elfproef"): 9·d1 + 8·d2 + ... + 2·d8 − 1·d9 is a multiple of 11 (and not 0)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0 and total != 0


def iban_valid(text: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to 10..35; the number mod 97 is 1."""
    compact = text.replace(" ", "")
    digits = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return digits.isdigit() and int(digits) % 97 == 1


def _phone_digits_ok(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    if text.startswith(("+31", "0031")):
        national = digits[2:] if text.startswith("+") else digits[4:]
        return len(national.lstrip("0")) == 9
    return len(digits) == 10


def _read_data(name: str) -> frozenset[str]:
    path = Path(__file__).with_name("data") / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def shipped_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(person names, places, names that are also ordinary words) from ``corpus/data/*.txt``."""
    names = _read_data("nl_first_names.txt") | _read_data("nl_surnames.txt")
    return names, _read_data("nl_places.txt"), _read_data("nl_name_nouns.txt")


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
def _ruler_pipeline(language: str, lists: WordLists) -> Language:
    import spacy
    from spacy.pipeline import EntityRuler

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler",
                                             config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True}))
    patterns: list[dict[str, str | list[dict[str, Any]]]] = []
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
    return previous.text in _OPENERS or previous.text.endswith((".", "!", "?", ":")) or "\n" in previous.whitespace_ or previous.is_space or "\n" in previous.text


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
        if (taken[index] or not _run_word(token) or (token.idx, token.idx + len(token)) in labels
                or token.lower_ in ROLE_WORDS):
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
        back = index
        while back > 0 and doc[back - 1].lower_ in PARTICLES:
            back -= 1
        if back < index and back > 0 and doc[back - 1].lower_.rstrip(".") in TITLES | KINSHIP:
            start = index = back  # "dokter van den Berg": the particles belong to the surname
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


def _pattern_finds(text: str) -> list[Found]:
    """Contact details and numbers by regular expression, checked where a check exists."""
    found = [Found(m.start(), m.end(), "EMAIL", m.group()) for m in _EMAIL.finditer(text)]
    found += [Found(m.start(), m.end(), "PHONE", m.group()) for m in _PHONE.finditer(text) if _phone_digits_ok(m.group())]
    found += [Found(m.start(), m.end(), "POSTCODE", m.group()) for m in _POSTCODE.finditer(text)]
    found += [Found(m.start(), m.end(), "BSN", m.group()) for m in _BSN.finditer(text)
              if elfproef(re.sub(r"\D", "", m.group()))]
    found += [Found(m.start(), m.end(), "IBAN", m.group()) for m in _IBAN.finditer(text) if iban_valid(m.group())]
    found += [Found(m.start(), m.end(), "ADDRESS", m.group()) for m in _ADDRESS.finditer(text)]
    found += [Found(m.start(), m.end(), "DATE", m.group()) for m in _NUMERIC_DATE.finditer(text)]
    return found


def _previous_word(doc, index: int):
    look = index - 1
    while look >= 0 and doc[look].is_punct and doc[look].text not in (",",):
        look -= 1
    return doc[look] if look >= 0 else None


def _in_name_context(doc, start: int, end: int, names_at: set[int]) -> bool:
    """A title or kinship word before it, or a list of names around it ("Jan, roos en Bas")."""
    before = _previous_word(doc, start)
    word = doc[start:end].text.casefold()
    if before is not None and before.lower_.rstrip(".") in FORMAL_TITLES:
        return True
    if before is not None and before.lower_ in TITLES | KINSHIP and word not in OCCUPATIONS:
        return True
    left = doc[start - 1] if start > 0 else None
    right = doc[end] if end < len(doc) else None
    if left is not None and left.lower_ in (",", "en", "&") and start - 2 in names_at:
        return True
    return right is not None and right.lower_ in (",", "en", "&") and end + 1 in names_at


def _shipped_finds(doc, labels: set[tuple[int, int]], taken: list[bool], own: set[str],
                   named: set[int] | None = None) -> list[Found]:
    """Words in the shipped Dutch lists, in any case; those that are also ordinary words only in a
    name context (see ``_in_name_context``) or a speaker label. Longest window (up to 4 words) first."""
    names, places, nouns = shipped_lists()
    windows: list[tuple[int, int, str]] = []
    index = 0
    while index < len(doc):
        hit = None
        for width in (4, 3, 2, 1):
            if index + width > len(doc) or any(taken[index:index + width]):
                continue
            span = doc[index:index + width]
            if any(t.is_punct or t.is_space for t in span):
                continue
            key = span.text.casefold()
            if key in names or key in places:
                hit = (index, index + width, key)
                break
        if hit is None:
            index += 1
            continue
        windows.append(hit)
        index = hit[1]
    name_starts = {i for start, end, key in windows if key in names for i in range(start, end)} | (named or set())
    found = []
    for start, end, key in windows:
        span = doc[start:end]
        label = (span.start_char, span.end_char) in labels
        if key in nouns and key not in own and not label and not _in_name_context(doc, start, end, name_starts):
            continue
        if key in ROLE_WORDS:
            continue
        kind = "PLACE" if key in places and not (key in names and (label or _in_name_context(doc, start, end,
                                                                                               name_starts))) else "NAME"
        found.append(Found(span.start_char, span.end_char, kind, span.text))
    return found


def find_entities(text: str, lists: WordLists = WordLists(), language: str = "nl",
                  chunk: int | None = None) -> list[Found]:
    """Entities in ``text`` by the rules of the module docstring, sorted, non-overlapping; long
    texts are read in pieces of at most ``chunk`` characters (default: half spaCy's limit)."""
    nlp = _ruler_pipeline(language, lists)
    found: list[Found] = []
    patterned = _pattern_finds(text)
    found += patterned
    all_labels = _speaker_labels(text)
    for piece, offset in split_for_spacy(text, chunk or nlp.max_length // 2):
        doc = nlp(piece)
        labels = {(start - offset, end - offset) for start, end in all_labels}  # offsets within the piece
        taken = [False] * len(doc)
        for item in patterned:  # a postcode's letters or a street name are not the start of a name
            if offset <= item.start and item.end <= offset + len(piece):
                for token in doc.char_span(item.start - offset, item.end - offset, alignment_mode="expand") or []:
                    taken[token.i] = True
        for entity in doc.ents:
            for i in range(entity.start, entity.end):
                taken[i] = True
            if entity.label_ != "KEEP":
                found.append(Found(offset + entity.start_char, offset + entity.end_char, entity.label_, entity.text))
        for token in doc:  # a line's speaker label ("Jan:") is a name too, unless it is a role ("Interviewer:")
            if ((token.idx, token.idx + len(token)) in labels and len(token.text) > 1 and token.is_alpha
                    and token.lower_ not in ROLE_WORDS and not taken[token.i]):
                taken[token.i] = True
                found.append(Found(offset + token.idx, offset + token.idx + len(token), "NAME", token.text))
        for token in doc:  # role words never name anyone, even capitalised mid-sentence
            if token.lower_ in ROLE_WORDS and token.ent_type_ not in ("NAME", "PLACE", "INSTITUTION"):
                taken[token.i] = True
        kept = {t.lower_ for t in doc if t.ent_type_ == "KEEP"} | {k.lower() for k in lists.keep}
        named = {t.i for t in doc if t.ent_type_ == "NAME" or (t.idx, t.idx + len(t)) in labels}
        for item in _proper_nouns(doc, labels, taken):
            for token in doc.char_span(item.start, item.end, alignment_mode="expand") or []:
                taken[token.i] = True
                if item.kind == "NAME":
                    named.add(token.i)
            if item.text.lower() not in kept:
                found.append(Found(offset + item.start, offset + item.end, item.kind, item.text))
        own = {entry.casefold() for entry in lists.names + lists.places}
        for item in _shipped_finds(doc, labels, taken, own, named):
            if item.text.lower() not in kept:
                found.append(Found(offset + item.start, offset + item.end, item.kind, item.text))
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
            row = {key: csv_uncell(value or "") for key, value in row.items() if key is not None}
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
        writer = SafeCsvWriter(out)
        writer.writerow(self.COLUMNS)
        for entry in sorted(self.entries.values(), key=lambda e: (KINDS.index(e.kind), e.replacement)):
            writer.writerow([entry.kind, entry.original, entry.replacement, "ja" if entry.replace else "nee",
                             entry.occurrences, ";".join(sorted(entry.files))])
        return out.getvalue()


Span = tuple[int, int, "Entry"]


def replacement_spans(texts: dict[str, str], lists: WordLists = WordLists(), language: str = "nl",
                      replacements: Replacements | None = None) -> tuple[dict[str, list[Span]], Replacements]:
    """Where each text will be replaced, and by what: the planning half of ``pseudonymise``.

    Two passes: the first finds entities in every text; the second finds every whole-word
    occurrence of every found (or previously listed) original in every text, so an entity found
    once is replaced everywhere — except that an all-lower-case occurrence of something found
    capitalised is replaced only when the word is in the user's lists or is a shipped name that is
    not also an ordinary word ("Roos" the person does not make every "roos" a name). Where the same
    string was found as two kinds, the more frequent kind wins.
    """
    mapping = replacements or Replacements()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    surfaces: dict[str, str] = {}
    finds: dict[str, list[Found]] = {}
    for name, text in texts.items():
        finds[name] = find_entities(text, lists, language)
        for item in finds[name]:
            kinds[item.text.casefold()][item.kind] += 1
            surfaces.setdefault(item.text.casefold(), item.text)
    listed = {original: entry for (_, original), entry in mapping.entries.items()}
    for original, counts in kinds.items():
        if original not in listed:
            listed[original] = mapping.label(counts.most_common(1)[0][0], surfaces[original])
    for entry in mapping.entries.values():
        entry.occurrences, entry.files = 0, set()
    names, places, nouns = shipped_lists()
    anycase = {e.casefold() for e in lists.names + lists.places + lists.institutions}
    anycase |= (names | places) - nouns
    spans: dict[str, list[Span]] = {name: [] for name in texts}
    originals = sorted(listed, key=len, reverse=True)
    if not originals:
        return spans, mapping
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(o) for o in originals) + r")(?!\w)", re.IGNORECASE)
    for name, text in texts.items():
        found_here = {(item.start, item.end) for item in finds[name]}
        for match in pattern.finditer(text):
            key = match.group(1).casefold()
            entry = listed[key]
            surface = match.group(1)
            lower_only = surface == surface.lower() and surfaces.get(key, surface) != surface
            here = (match.start(1), match.end(1)) in found_here
            if lower_only and key not in anycase and not here:
                continue
            if key in nouns and key not in anycase and not here and surface == surface.lower():
                continue  # "mevrouw bakker" somewhere does not make "de bakker" elsewhere a name
            spans[name].append((match.start(1), match.end(1), entry))
    return spans, mapping


def pseudonymise(texts: dict[str, str], lists: WordLists = WordLists(), language: str = "nl",
                 replacements: Replacements | None = None) -> tuple[dict[str, str], Replacements]:
    """Pseudonymise a batch ``{name: text}``; returns the new texts and the (updated) mapping
    (see ``replacement_spans`` for what is replaced)."""
    spans, mapping = replacement_spans(texts, lists, language, replacements)
    result = {}
    for name, text in texts.items():
        pieces, position = [], 0
        for start, end, entry in spans[name]:
            if not entry.replace:
                continue
            entry.occurrences += 1
            entry.files.add(name)
            pieces += [text[position:start], entry.replacement]
            position = end
        result[name] = "".join(pieces) + text[position:]
    return result, mapping


def pseudonymised_name(stem: str, mapping: Replacements, lists: WordLists = WordLists(), language: str = "nl") -> str:
    """An output file name without the identifiers of the input's name: ``interview_Jan_de_Vries``
    becomes ``interview_NAME-1`` (the label the transcript uses for the same person)."""
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    replaced, _ = pseudonymise({"name": f"Bestand {words}."}, lists, language, mapping)
    text = replaced["name"][len("Bestand "):-1]
    cleaned = re.sub(r"[\[\]]", "", text)
    return re.sub(r"[^\w-]+", "_", cleaned).strip("_") or "document"


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
    counts_before = {key: (entry.occurrences, set(entry.files)) for key, entry in mapping.entries.items()}
    renamed: dict[str, Path] = {}
    for name in result:
        stem = pseudonymised_name(name, mapping, lists, language)
        candidate, number = stem, 2
        while candidate in {p.stem for p in renamed.values()}:
            candidate, number = f"{stem}_{number}", number + 1
        renamed[name] = out_dir / f"{candidate}.txt"
        if renamed[name].resolve() in sources:
            raise ThematicaError("the output would overwrite this input; choose another --out folder", path=str(name))
    for key, (occurrences, files) in counts_before.items():  # the file names do not count as occurrences
        if key in mapping.entries:
            mapping.entries[key].occurrences, mapping.entries[key].files = occurrences, files
    make_private_folders(out_dir)
    for name, text in result.items():
        write_private(renamed[name], text)
    listing = write_private(out_dir / "replacements.csv", mapping.to_csv())
    counts = Counter(e.kind for e in mapping.entries.values() if e.replace and e.occurrences)
    return PseudonymisedBatch(list(renamed.values()), listing, dict(counts))
