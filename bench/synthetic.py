"""Seeded synthetic Dutch-like transcripts for benchmarks (never for tests of meaning)."""

from __future__ import annotations

import random

_WORDS = (
    "ik je we de het een en dat niet was heb groep therapie therapeut gevoel eigenlijk gewoon "
    "toen later soms altijd moeilijk veilig boos verdriet patroon contact anderen werk weer thuis "
    "cliënt ideeën geïnterviewd één café privé zeggen voelen merken leren proberen durven eh ehm ja nee"
).split()


def synthetic_transcript(seed: int, words: int) -> str:
    """Alternating I:/R: turns of 1–8 sentences of 4–22 words, blank line between turns."""
    rng = random.Random(seed)
    turns: list[str] = []
    written = 0
    speaker = "I"
    while written < words:
        sentences = []
        for _ in range(rng.randint(1, 3) if speaker == "I" else rng.randint(2, 8)):
            length = rng.randint(4, 22)
            sentence = " ".join(rng.choice(_WORDS) for _ in range(length))
            sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".....?!"))
            written += length
            if written >= words:
                break
        turns.append(f"{speaker}: " + " ".join(sentences))
        speaker = "R" if speaker == "I" else "I"
    return "\n\n".join(turns) + "\n"
