"""The terminal output of `meta` and `nma` at 80 columns: worded headers, APA numbers, nothing cut."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli_in_process

ROOT = Path(__file__).resolve().parents[2]


def test_meta_summary_is_worded_and_apa_at_80_columns():
    out = run_cli_in_process("meta", str(ROOT / "corpora/meta/bcg.csv"), "--measure", "RR", columns=80)
    text = out.stdout.replace("\u00a0", " ")
    assert out.returncode == 0
    for expected in ("RR [95% CI]", "0.49 [0.34, 0.70]", "Q (df)", "152.23 (12)", "< .001", "92.1%",
                     "Comstock & Webster 1969", "Egger's test: intercept −2.112 (SE 1.507), p = .189"):
        assert expected in text, expected
    assert "q_p" not in text and "…" not in text


def test_nma_names_and_intervals_are_whole_at_80_columns():
    out = run_cli_in_process("nma", str(ROOT / "corpora/meta/work-network.csv"), "--measure", "RR", "--reference",
                             "Gebruikelijke zorg", "--random", "--larger-is-better", columns=80)
    text = out.stdout.replace("\u00a0", " ")
    assert out.returncode == 0 and "…" not in text
    assert "IPS plus cognitieve training" in text and "[1.986, 4.287]" in text
    assert all(len(line) <= 80 for line in text.splitlines())
