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


SAMPLE_FORM = """title = "Werk en ernstige psychiatrische aandoeningen (voorbeeld)"
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
SAMPLE_ARMS = (("Studie 1", "IPS", 48, 100), ("Studie 1", "Gebruikelijke zorg", 22, 100),
               ("Studie 2", "IPS", 35, 80), ("Studie 2", "Gebruikelijke zorg", 20, 82),
               ("Studie 3", "IPS", 41, 90), ("Studie 3", "Training vooraf", 30, 88),
               ("Studie 3", "Gebruikelijke zorg", 18, 91), ("Studie 4", "Training vooraf", 25, 70),
               ("Studie 4", "Gebruikelijke zorg", 17, 72), ("Studie 5", "IPS plus cognitieve training", 30, 55),
               ("Studie 5", "IPS", 22, 56), ("Studie 6", "IPS plus cognitieve training", 28, 60),
               ("Studie 6", "Gebruikelijke zorg", 9, 58), ("Studie 7", "IPS", 40, 101),
               ("Studie 7", "Gebruikelijke zorg", 25, 99), ("Studie 8", "Training vooraf", 19, 64),
               ("Studie 8", "IPS", 27, 66), ("Studie 9", "IPS", 33, 75), ("Studie 9", "Gebruikelijke zorg", 21, 77),
               ("Studie 10", "IPS plus cognitieve training", 26, 50), ("Studie 10", "Gebruikelijke zorg", 12, 49))


def write_sample_files(folder) -> list[str]:
    """Write a complete invented review to try every command on: two database exports (600 records, 100 of
    them duplicates), both reviewers' title/abstract decisions, an extraction form with both reviewers'
    extractions of ten studies (one arm missing, one typing error) and both reviewers' RoB 2 judgements."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    records = sample_records(600, duplicate_share=1 / 6, seed=2026)
    written = []
    for name, part in (("pubmed.ris", records[:350]), ("psycinfo.ris", records[350:])):
        (folder / name).write_text(write_ris(part), encoding="utf-8")
        written.append(name)
    originals = [r for r in records if r.truth is None]
    first, second = simulated_decisions([r.relevant for r in originals], agreement=0.92, seed=4)
    for reviewer, decisions in (("anouk", first), ("bas", second)):
        lines = ["record,reviewer,stage,decision,reason,note"] + [
            f"{r.doi},{reviewer},title,{d},," for r, d in zip(originals, decisions)]
        (folder / f"decisions-{reviewer}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(f"decisions-{reviewer}.csv")
    (folder / "form.toml").write_text(SAMPLE_FORM, encoding="utf-8")
    written.append("form.toml")
    for reviewer in ("anouk", "bas"):
        rows = ["study,outcome,arm,events,n,design"]
        for study, arm, events, n in SAMPLE_ARMS:
            if reviewer == "bas" and (study, arm) == ("Studie 3", "Training vooraf"):
                continue  # bas missed an arm
            if reviewer == "bas" and (study, arm) == ("Studie 7", "IPS"):
                events = 4  # a typing error
            rows.append(f"{study},betaald werk,{arm},{events},{n},RCT")
        (folder / f"extraction-{reviewer}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        written.append(f"extraction-{reviewer}.csv")
    levels = ("low", "some concerns", "high")
    for reviewer, shift in (("anouk", 0), ("bas", 1)):
        rows = ["study,domain,judgement"]
        for s in range(1, 11):
            for d in range(1, 6):
                level = levels[(s + d) % 3] if (s * d + shift) % 5 else levels[(s + d + shift) % 3]
                rows.append(f"Studie {s},{d},{level}")
        (folder / f"rob2-{reviewer}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        written.append(f"rob2-{reviewer}.csv")
    return written
