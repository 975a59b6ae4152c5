"""A generated, seeded review to try the review commands on and to test and bench them with.

``sample_records`` invents records (Dutch and English titles about work and severe mental illness),
of which a share reappears in a second database's export with the changes real exports show: DOI
missing or in URL form, title case and punctuation changed, an accent dropped, authors as initials.
Each record carries ``truth`` (the id of the record it duplicates), so de-duplication can be scored.
``simulated_decisions`` gives two reviewers' title/abstract decisions that agree on most records.
Nothing here is real bibliographic data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

TOPICS = ("Individual Placement and Support", "supported employment", "arbeidsre-integratie", "vocational rehabilitation",
          "cognitive remediation", "begeleid werken", "Clubhouse model", "work-focused cognitive therapy")
POPULATIONS = ("severe mental illness", "schizofrenie", "bipolar disorder", "ernstige psychiatrische aandoeningen",
               "first-episode psychosis", "persoonlijkheidsstoornissen")
DESIGNS = ("a randomised controlled trial", "een gerandomiseerde studie", "a cluster-randomised trial",
           "a cohort study", "a qualitative study", "een kosteneffectiviteitsanalyse")
SURNAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Bos", "Drake",
            "Bond", "Becker", "Müller", "Šimić", "Nuñez", "van der Meer", "Hoekstra", "Kroon")
SETTINGS = ("in Nederland", "in community mental health teams", "in de ggz", "in rural areas", "after discharge",
            "in Vlaanderen", "among young adults", "with peer support", "in a real-world setting", "over two years")
OUTCOMES = ("competitive employment", "betaald werk", "hours worked", "quality of life", "job tenure", "costs",
            "self-esteem", "herstel")
DATABASES = ("PubMed", "PsycINFO", "Embase", "CINAHL", "Cochrane CENTRAL")


@dataclass(frozen=True)
class SampleRecord:
    key: int
    title: str
    abstract: str
    authors: tuple[str, ...]
    year: int
    journal: str
    doi: str
    database: str
    truth: int | None  # the key of the record this one duplicates

    @property
    def relevant(self) -> bool:
        return "randomised" in self.title.lower() or "gerandomiseerde" in self.title.lower()


def _variant(record: SampleRecord, key: int, database: str, rng: random.Random) -> SampleRecord:
    title = record.title
    change = rng.randrange(4)
    if change == 0:
        title = title.upper()
    elif change == 1:
        title = title.rstrip(".") + "."
    elif change == 2:
        title = title.replace("é", "e").replace("ë", "e").replace(":", " -")
    authors = tuple(f"{name.split()[-1]} {name.split()[0][0]}" if rng.random() < 0.5 else name
                    for name in record.authors)
    doi = record.doi if rng.random() < 0.6 else ("" if rng.random() < 0.5 else f"https://doi.org/{record.doi.upper()}")
    return SampleRecord(key, title, record.abstract, authors, record.year, record.journal, doi, database, record.key)


def sample_records(n: int, *, duplicate_share: float = 0.2, seed: int = 2026) -> list[SampleRecord]:
    """``n`` records of which about ``duplicate_share`` are duplicates of an earlier one (another database)."""
    rng = random.Random(seed)
    unique = max(1, round(n * (1 - duplicate_share)))
    records: list[SampleRecord] = []
    for key in range(1, unique + 1):
        topic, population, design = rng.choice(TOPICS), rng.choice(POPULATIONS), rng.choice(DESIGNS)
        setting, outcome = rng.choice(SETTINGS), rng.choice(OUTCOMES)
        title = f"{topic} en {outcome} voor mensen met {population} {setting}: {design}" if rng.random() < 0.4 \
            else f"Effects of {topic} on {outcome} for people with {population} {setting}: {design}"
        authors = tuple(f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(SURNAMES)}" for _ in range(rng.randint(1, 5)))
        records.append(SampleRecord(
            key, title, f"Achtergrond: {topic} bij {population}. Methode: {design}. Uitkomst: betaald werk.",
            authors, rng.randint(1995, 2024), rng.choice(("Psychiatric Services", "Tijdschrift voor Psychiatrie",
                                                         "Schizophrenia Bulletin", "BMC Psychiatry")),
            f"10.{1000 + key % 9000}/tp.{key:06d}", rng.choice(DATABASES), None))
    key = unique
    while len(records) < n:
        key += 1
        original = records[rng.randrange(unique)]
        others = [d for d in DATABASES if d != original.database]
        records.append(_variant(original, key, rng.choice(others), rng))
    return records


def write_ris(records: list[SampleRecord]) -> str:
    """RIS text of ``records`` (one export; the DB tag names each record's database)."""
    lines = []
    for record in records:
        lines += ["TY  - JOUR", f"TI  - {record.title}", *[f"AU  - {a}" for a in record.authors],
                  f"PY  - {record.year}", f"JO  - {record.journal}", f"AB  - {record.abstract}",
                  f"DB  - {record.database}"]
        if record.doi:
            lines.append(f"DO  - {record.doi}")
        lines += ["ER  - ", ""]
    return "\n".join(lines)


def simulated_decisions(relevant: list[bool], *, agreement: float = 0.9, seed: int = 7
                        ) -> tuple[list[str], list[str]]:
    """Two reviewers' include/exclude decisions: each follows the truth with probability ``agreement``."""
    rng = random.Random(seed)

    def one(truth: bool) -> str:
        correct = rng.random() < agreement
        return "include" if truth == correct else "exclude"

    first = [one(r) for r in relevant]
    second = [one(r) for r in relevant]
    return first, second
