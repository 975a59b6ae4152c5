"""Dutch sentences that end in a word spaCy lists as an abbreviation ("me.", "kon.", "al.") are cut;
real abbreviations ("bijv.", "o.a.", "mevr.") still keep their sentence together."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lang.nl.tokenizer_exceptions import TOKENIZER_EXCEPTIONS

from thematica.corpus.dutch_words import WORDS_NOT_ABBREVIATIONS, word_forms
from thematica.corpus.segmentation import pipeline, segment_text

DEMO = Path(__file__).resolve().parents[2] / "corpora" / "demo"


def sentences(text: str) -> list[str]:
    return [text[u.start:u.end] for u in segment_text(text) if u.kind == "sentence"]


def demo_sentences(name: str) -> list[str]:
    return sentences((DEMO / name).read_text(encoding="utf-8"))


# The nine units that were merged in the demo interviews (found by a new-user walk), each as its two sentences.
MERGED_IN_THE_DEMO = [
    ("R1.txt", "Ik moest oefenen om te zeggen wat ik wel en niet kon.", "En dat heb ik echt gedaan."),
    ("R2.txt", "En dat raakte me.", "Ik had daar niet meteen een antwoord op."),
    ("R2.txt", "En hij werd steeds stiller tegen me.",
     "In de therapie zag ik ineens dat ik met hem precies hetzelfde deed als met mijn collega's."),
    ("R5.txt", "Niemand dwong me.", "Ze zeiden: je mag ook gewoon luisteren."),
    ("R5.txt", "Ik wist dat ik na de groep nog even bij haar terecht kon.", "Dat maakte het net iets makkelijker."),
    ("R5.txt", "Ik wist het eigenlijk al.", "Alleen nu had het een naam."),
    ("R6.txt", "Ja, en iedereen was heel blij voor me.",
     "Er was een groepsgenoot, een jonge vrouw, die zei: ik wou dat ik dat tegen mijn moeder durfde."),
    ("R6.txt", "Hij zei eerst dat ik niet tegen een grapje kon.",
     "Maar de therapeut liet het daar niet bij, en uiteindelijk zei hij sorry."),
    ("R6.txt", "Ik had het bijna niet gedaan, omdat ik dacht dat ik het wel alleen kon.",
     "Maar dat was precies het probleem, hè. (lacht)"),
]


@pytest.mark.parametrize(("name", "first", "second"), MERGED_IN_THE_DEMO)
def test_each_merged_demo_unit_is_now_two_sentences(name: str, first: str, second: str) -> None:
    found = demo_sentences(name)
    assert first in found and second in found
    assert found.index(second) == found.index(first) + 1


def test_a_stage_direction_before_a_new_sentence_after_hand_stays_behind() -> None:
    assert "De eerste dagen waren vreselijk, ik had de telefoon steeds in mijn hand. (stilte)" in demo_sentences("R3.txt")
    assert "Maar het lukte." in demo_sentences("R3.txt")


def test_no_demo_sentence_holds_a_full_stop_followed_by_a_new_sentence() -> None:
    merged = []
    for path in sorted(DEMO.glob("R*.txt")):
        for sentence in sentences(path.read_text(encoding="utf-8")):
            body = sentence.rsplit(" (", 1)[0] if sentence.endswith(")") else sentence
            merged += [body for stop in (". ", "! ", "? ") if stop in body.replace("... ", "…")]
    assert merged == []


@pytest.mark.parametrize("word", sorted(WORDS_NOT_ABBREVIATIONS))
def test_every_listed_word_ends_a_sentence_in_any_spelling(word: str) -> None:
    for form in word_forms(word):
        if len(form) == 2 and form[0].isupper():
            continue  # "U." is an initial to spaCy's suffix rules, exception or not ("J. de Vries")
        text = f"R: Ik zei {form} Toen ging ik weg.\n"
        assert sentences(text) == [f"Ik zei {form}", "Toen ging ik weg."]


def test_every_listed_word_was_a_spacy_exception() -> None:
    """The list removes exceptions; a word spaCy never listed would be a dead entry."""
    assert all(form in TOKENIZER_EXCEPTIONS for word in WORDS_NOT_ABBREVIATIONS for form in word_forms(word))


@pytest.mark.parametrize("text", [
    "R: Ik deed bijv. yoga en o.a. mindfulness in de groep.\n",
    "R: Mevr. de Vries en dr. Jansen waren er, d.w.z. de therapeuten.\n",
    "R: We deden oefeningen, tekenen enz. en dat hielp.\n",
    "R: Dat stond op blz. 4 van het boekje, zie ook nr. 7 en vgl. hfdst. 2.\n",
])
def test_real_abbreviations_do_not_cut_the_sentence(text: str) -> None:
    assert sentences(text) == [text[3:].strip()]


def test_et_al_in_a_citation_does_not_cut_the_sentence() -> None:
    text = "R: Volgens Smith et al. (2020) helpt het. Zie ook Jansen et al. voor meer. Ik wist het al. Ja.\n"
    assert sentences(text) == ["Volgens Smith et al. (2020) helpt het.", "Zie ook Jansen et al. voor meer.",
                               "Ik wist het al.", "Ja."]


def test_other_languages_keep_spacys_exceptions() -> None:
    assert pipeline("en").tokenizer.rules == __import__("spacy").blank("en").tokenizer.rules


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(WORDS_NOT_ABBREVIATIONS)),
                          st.sampled_from(["Ik", "Daarna", "Maar", "Het", "Ze"])), min_size=1, max_size=6))
def test_sentences_ending_in_listed_words_are_each_one_unit(parts: list[tuple[str, str]]) -> None:
    spoken = [f"{opener} zei het {word}." for word, opener in parts]
    text = "R: " + " ".join(spoken) + "\n"
    assert sentences(text) == spoken


def test_a_project_imported_before_the_fix_keeps_its_stored_units(tmp_path: Path) -> None:
    """Units are rows written at import: opening an older project, or importing the same text again,
    does not re-segment it, so codings and agreement of coded documents do not shift."""
    from thematica.corpus import importer
    from thematica.store import documents as document_store
    from thematica.store.project import open_project

    text = "R: Niemand dwong me. Ze zeiden: je mag ook gewoon luisteren.\n"
    merged = [u for u in segment_text(text) if u.kind != "sentence"]
    merged.append(type(merged[0])("sentence", 3, len(text) - 1, "R"))  # as the old segmentation stored it
    path = tmp_path / "old.thematica"
    with open_project(path, create=True) as project, project.transaction() as session:
        importer.add_document(session, "R5", text, units=merged)
    with open_project(path) as project:
        assert importer.store_text(project, "R5", text).status == "unchanged"
        with project.reading() as session:
            stored = [(u.start, u.end) for u in document_store.units_of(session, 1, "sentence")]
    assert stored == [(3, len(text) - 1)]
