"""``thematica agreement`` on a hand-made project: the json contract and figures checked by hand.

Six sentence units (the interviewer's question and five respondent sentences); anouk (A) and bas (B):
    s1 Groep/Groep  s2 Therapeut/—  s3 Effect/Groep  s4 Effect/Effect  s5 —/—  + an 'Oordeel' domain
Groep: both 1, A only 0, B only 1, neither 4 -> p_o = 5/6, p_A = 1/6, p_B = 2/6,
p_e = 1/6·2/6 + 5/6·4/6 = 22/36, kappa = (30/36 − 22/36) / (14/36) = 8/14.
"""

from __future__ import annotations

import json
import re

import pytest

from thematica.agreement.service import AgreementOptions, agreement
from thematica.coding.segments import apply_code, set_document_status

SENTENCES = ["De groep hielp.", "De therapeut was warm.", "Ik durfde meer.", "Thuis ging het beter.", "Verder niets."]
TEXT = "I: Hoe was het?\n\nR: " + " ".join(SENTENCES) + "\n"


@pytest.fixture
def study(make_project_with_text):
    project = make_project_with_text({"R1": TEXT, "R2": TEXT.replace("Verder", "Nog")})
    plan = [("anouk", 0, "Groep"), ("bas", 0, "Groep"), ("anouk", 1, "Therapeut"), ("anouk", 2, "Effect"),
            ("bas", 2, "Groep"), ("anouk", 3, "Effect"), ("bas", 3, "Effect"),
            ("anouk", 3, "Oordeel/Beter"), ("bas", 3, "Oordeel/Beter"), ("anouk", 2, "Oordeel/Beter"),
            ("bas", 2, "Oordeel/Slechter"), ("anouk", 4, "Oordeel/Beter"), ("anouk", 4, "Oordeel/Slechter")]
    for coder, number, code in plan:
        start = TEXT.index(SENTENCES[number])
        apply_code(project, 1, coder, start, start + len(SENTENCES[number]), code_path=code)
    for coder in ("anouk", "bas"):
        set_document_status(project, 1, coder, "done")
    return project


def test_json_contract_and_hand_checked_figures(study):
    report = agreement(study, AgreementOptions(["anouk", "bas"], domains=["Oordeel"], bootstrap_samples=200)).to_dict()
    assert set(report) >= {"coders", "unit", "method", "units", "documents", "overall", "codes", "domains", "notes"}
    assert (report["coders"], report["unit"], report["method"], report["units"]) == (["anouk", "bas"], "sentence", "unit", 6)
    assert report["documents"] == ["R1"]
    assert any("R2" in note and "--include-unfinished" in note for note in report["notes"])
    groep = next(row for row in report["codes"] if row["code"] == "Groep")
    assert (groep["both"], groep["a_only"], groep["b_only"], groep["neither"]) == (1, 0, 1, 4)
    assert groep["percent_agreement"] == pytest.approx(5 / 6)
    assert groep["kappa"] == pytest.approx(8 / 14)
    assert set(report["overall"]) >= {"percent_agreement", "kappa", "alpha", "ac1"}
    therapeut = next(row for row in report["codes"] if row["code"] == "Therapeut")
    assert therapeut["kappa"] == pytest.approx(0.0)
    assert any(note.startswith("Therapeut: used by anouk only") for note in report["notes"])
    domain = report["domains"][0]
    assert domain["domain"] == "Oordeel" and domain["violations"] == 1
    assert domain["units_pairable"] == 2  # s3 (Beter vs Slechter) and s4 (Beter vs Beter); s5 is a violation
    assert set(domain) >= {"domain", "alpha", "ci95", "units_pairable", "violations"}


def test_other_methods_and_formats_through_the_cli(study, tmp_path, run_cli):
    path = str(tmp_path / "texts.thematica")

    def run(*args):
        return run_cli("agreement", path, "--coders", "anouk,bas", *args)
    character = json.loads(run("--method", "character", "--format", "json").stdout)
    effect = next(row for row in character["codes"] if row["code"] == "Effect")
    assert effect["both"] == len(SENTENCES[3]) and effect["a_only"] == len(SENTENCES[2])
    assert effect["neither"] == len(TEXT) - len(SENTENCES[2]) - len(SENTENCES[3])
    segment = json.loads(run("--method", "segment", "--format", "json").stdout)
    groep = next(row for row in segment["codes"] if row["code"] == "Groep")
    assert (groep["a_agree"], groep["a_total"], groep["b_agree"], groep["b_total"]) == (1, 1, 1, 2)
    for fmt, marker in (("md", "## Per code"), ("html", "<table>"), ("csv", "code,percent_agreement")):
        assert marker in run("--format", fmt).stdout
    assert run("--coders", "anouk").returncode == 2


def test_unitizing_method_equals_the_statistic_on_the_same_spans(study):
    from thematica.agreement.stats.unitizing import pooled_alpha, unitizing_alpha

    report = agreement(study, AgreementOptions(["anouk", "bas"], method="unitizing", domains=["Oordeel"])).to_dict()
    assert report["method"] == "unitizing" and report["documents"] == ["R1"]  # R2 is not marked done
    spans = lambda code, coder: [(TEXT.index(SENTENCES[n]), TEXT.index(SENTENCES[n]) + len(SENTENCES[n]))  # noqa: E731
                                 for c, n, k in [("anouk", 0, "Groep"), ("bas", 0, "Groep"), ("anouk", 2, "Effect"),
                                                 ("bas", 2, "Groep"), ("anouk", 3, "Effect"), ("bas", 3, "Effect")]
                                 if c == coder and k == code]
    groep = unitizing_alpha([spans("Groep", "anouk"), spans("Groep", "bas")], len(TEXT))
    effect = unitizing_alpha([spans("Effect", "anouk"), spans("Effect", "bas")], len(TEXT))
    rows = {row["code"]: row for row in report["codes"]}
    assert rows["Groep"]["alpha"] == pytest.approx(groep.alpha) and rows["Effect"]["alpha"] == pytest.approx(effect.alpha)
    assert rows["Therapeut"]["units"] == 1 and rows["Therapeut"]["alpha"] is not None
    assert report["domains"][0]["domain"] == "Oordeel" and report["domains"][0]["units"] == 6
    assert 0 < pooled_alpha([groep, effect]) < 1
    # anouk gave sentence 5 both Beter and Slechter: the 2016 domain figures are undefined, and say why
    oordeel = report["domains"][0]
    assert oordeel["alpha"] is None and oordeel["violations"] == len(SENTENCES[4])
    assert any("anouk gave two of its categories to the same 13 characters" in n for n in report["notes"])


def test_unitizing_domains_equal_the_coincidence_statistics(make_project_with_text):
    """A clean domain (Ervaren/Beter, Ervaren/Slechter) and a second one (Groep/...), three coders:
    the report's uα, |uα, cuα, |cuα and Cuα are unitizing_family on the same character spans."""
    from thematica.agreement.stats.unitizing_coincidence import unitizing_family

    project = make_project_with_text({"R1": TEXT})
    start = [TEXT.index(s) for s in SENTENCES]
    plan = {"anouk": [(0, "Ervaren/Beter"), (2, "Ervaren/Beter"), (3, "Ervaren/Slechter"), (1, "Steun/Warm")],
            "bas": [(0, "Ervaren/Beter"), (2, "Ervaren/Slechter"), (3, "Ervaren/Slechter"), (1, "Steun/Warm")],
            "carla": [(0, "Ervaren/Beter"), (3, "Ervaren/Slechter"), (1, "Steun/Koel"), (4, "Steun/Warm")]}
    for coder, items in plan.items():
        for number, code in items:
            apply_code(project, 1, coder, start[number], start[number] + len(SENTENCES[number]), code_path=code)
        set_document_status(project, 1, coder, "done")
    result = agreement(project, AgreementOptions(["anouk", "bas", "carla"], method="unitizing",
                                                 domains=["Ervaren", "Steun"]))
    report = result.to_dict()
    spans = lambda prefix, label: [[(start[n], start[n] + len(SENTENCES[n]), label(code))  # noqa: E731
                                    for n, code in plan[c] if code.startswith(prefix)] for c in plan]
    ervaren = unitizing_family(spans("Ervaren", lambda code: code), len(TEXT))
    domain = report["domains"][0]
    assert domain["domain"] == "Ervaren"
    assert (domain["alpha"], domain["binary_alpha"], domain["cu_alpha"]) == (
        pytest.approx(ervaren.u_alpha), pytest.approx(ervaren.binary_alpha), pytest.approx(ervaren.cu_alpha))
    assert {c["code"]: c["category_alpha"] for c in domain["categories"]} == pytest.approx(ervaren.category_alpha)
    across = unitizing_family(spans("", lambda code: code.split("/")[0]), len(TEXT))
    assert report["overall"]["domains_cu_alpha"] == pytest.approx(across.cu_alpha)
    assert 0 < ervaren.cu_alpha < 1 and ervaren.binary_alpha < 1
    # Markdown keeps |uα in one cell; HTML shows the per-category values without the domain prefix
    from thematica.agreement.render import to_html, to_markdown

    row = next(line for line in to_markdown(result).splitlines() if line.startswith("| Ervaren |"))
    assert len(re.split(r"(?<!\\)\|", row)) == 8 and "Beter " in row and "Ervaren/Beter" not in row
    assert "<th>|cuα per category (coverage)</th>" in to_html(result)
