"""Dutch words that spaCy's Dutch tokenizer takes for abbreviations, so a sentence ending in them is not cut.

spaCy's ``nl`` tokenizer exceptions hold about 4,500 abbreviations copied from the pragmatic_segmenter
list; each one (and its Capitalised and UPPER form) stays one token *with* its period, and the
sentencizer only cuts after a token that is a period. So "Niemand dwong me. Ze zeiden…" stayed one
sentence ("me." = "mijnheer"), as did "…terecht kon." (koninklijk), "…al." (alinea), "…in mijn hand."
(handelingen): nine merged units in six demo interviews.

How the list below was made: the 506 exceptions that are one letter group and a period (``"xyz."``,
no inner period) were screened against the running Dutch text of the demo interviews and the source
papers, then read one by one; kept here are those whose form without the period is a common Dutch word
that can end a spoken sentence, and is more often that word than the abbreviation in an interview.
Left as abbreviations: titles and references ("dr.", "mevr.", "dhr.", "prof.", "nr.", "blz."), Latin
and list words ("enz.", "etc.", "bijv.", "vgl.", "evt."), names ("max.", "rom."), single letters but
"u", and every abbreviation with an inner period ("o.a.", "d.w.z.", "a.u.b."). "et al." in a citation is
rejoined by ``segmentation.rejoin_et_al``.
"""

from __future__ import annotations

from typing import Any

WORDS_NOT_ABBREVIATIONS: frozenset[str] = frozenset({
    "al",     # "Ik wist het al."           (not: alinea)
    "app",    # "Ik stuurde een app."       (not: appartement / appel)
    "bel",    # "Ik bel."                   (not: Belgisch)
    "best",   # "Ik deed mijn best."        (not: bestuur)
    "dat",    # "Dat zei ik niet, dat."     (not: datief)
    "ex",     # "Mijn ex."                  (not: exemplaar)
    "hand",   # "…in mijn hand."            (not: handelingen)
    "kon",    # "…terecht kon."             (not: koninklijk)
    "lat",    # "De lat lag hoog."          (not: Latijn)
    "mand",   # "In de mand."               (not: mandaat)
    "me",     # "Niemand dwong me."         (not: mijnheer / mevrouw)
    "os",     # "Sterk als een os."         (not: oude stijl)
    "ov",     # "Met het ov."               (not: overeenkomst)
    "pan",    # "De pan."                   (not: pandecten)
    "pas",    # "Toen pas."                 (not: pasen / pastoor)
    "pers",   # "In de pers."               (not: persoon)
    "red",    # "Ik red het."               (not: redactie)
    "top",    # "Top."                      (not: topografie)
    "u",      # "Dank u."                   (not: the letter)
    "ver",    # "Dat is ver."               (not: vereniging)
    "vol",    # "Het zat vol."              (not: volume)
    "volg",   # "Ik volg."                  (not: volgende)
})


def word_forms(word: str) -> tuple[str, ...]:
    """The three spellings spaCy lists for each abbreviation: as written, Capitalised, UPPER, each with its period."""
    return tuple(dict.fromkeys((word + ".", word.capitalize() + ".", word.upper() + ".")))


def drop_word_exceptions(nlp: Any) -> int:
    """Remove from ``nlp``'s tokenizer the special cases for ``WORDS_NOT_ABBREVIATIONS`` (so "me." is
    two tokens, "me" and ".", and the sentencizer can cut after it); returns how many were removed.
    Setting ``tokenizer.rules`` also empties the tokenizer's cache."""
    rules = dict(nlp.tokenizer.rules)
    removed = [form for word in WORDS_NOT_ABBREVIATIONS for form in word_forms(word) if form in rules]
    for form in removed:
        del rules[form]
    nlp.tokenizer.rules = rules
    return len(removed)
