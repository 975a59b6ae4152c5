"""Generate corpora/demo/trial.csv: a simulated trial matching the published marginals of the
re-integration training trial (two arms of 64; SCL-90 per arm and timepoint as in its Table 2;
paid work at baseline and follow-up as reported). Seeded: running it again gives the same file.

Added for the demo, not published (drawn from a second generator so the published marginals stay
as they are): sessions attended of 8 offered; a per-participant ``status`` column (completed, or
why the participant left: the CONSORT flow); a personality-disorder ``cluster`` (B, C or nao, as
the trial's Table 1 groups them) to compare groups by; four working-alliance items ``wai1``–``wai4``
(1–7) at 3 months, related to the stable severity trait, for Cronbach's alpha and correlations.
The 3-month SCL-90 values are paired with the baseline values so that the within-group d_z from
0 to 3 months is the paper's 2.00 (training) and 2.01 (booster); their marginals are untouched.

Per arm and timepoint the SCL-90 values are drawn, then rescaled to the exact published mean and
SD (sample SD) among the participants still measured (dropout is monotone, as in the paper's n).
Paid work: baseline 44 of 58 (75.9%) in training and 39 of 58 (67.2%) in booster; follow-up 41 of
54 (75.9%) and 46 of 53 (86.8%). Sex and age as in the trial's Table 1 (women 47 and 37 of 64; age
35.6, SD 8.1, 20–53), drawn from their own generator. The six demo interviewees R1–R6 are
participants of their arm, with the sex and age of their case attributes.

    python scripts/make_demo_trial.py   (needs numpy)
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TIMES = [0, 3, 6, 12, 24]
# arm -> [(n, mean, sd)] per timepoint, Table 2 of the trial (SCL-90 total, 0–4)
TABLE_2 = {
    "training": [(64, 1.28, 0.57), (64, 0.53, 0.47), (61, 0.56, 0.41), (59, 0.49, 0.39), (55, 0.44, 0.40)],
    "booster": [(64, 1.22, 0.52), (64, 0.47, 0.46), (61, 0.60, 0.60), (56, 0.40, 0.34), (53, 0.40, 0.43)],
}
# Table 1 of the trial: women 47 of 64 (training) and 37 of 64 (booster); age 35.6 (SD 8.1), range 20–53
WOMEN = {"training": 47, "booster": 37}
AGE = (35.6, 8.1, 20, 53)
PAID_WORK = {"training": {0: (44, 58), 24: (41, 54)}, "booster": {0: (39, 58), 24: (46, 53)}}
# the paper's within-group effect from admission to discharge (0 → 3 months): "Cohen's d = 2.00 / 2.01";
# with Table 2's means and SDs only d_z (mean change / SD of the change) reaches it, at r ≈ 0.76 / 0.72
WITHIN_0_3 = {"training": 2.00, "booster": 2.01}


def d_z(pre: np.ndarray, post: np.ndarray) -> float:
    change = pre - post
    return float(change.mean() / change.std(ddof=1))


def pair_for_d_z(pre: np.ndarray, values: np.ndarray, target: float, rng) -> np.ndarray:
    """Reorder ``values`` (their mean and SD stay exact) so that d_z against ``pre`` rounds to ``target``.

    Sorting both the same way gives the largest pre–post correlation (and d_z); noise of weight λ
    on the ranks lowers it: λ is bisected, then single swaps close the remaining gap.
    """
    ordered, noise = np.sort(values), rng.normal(0, 1, len(pre))
    rank = np.argsort(np.argsort(pre))

    def arrange(weight: float) -> np.ndarray:
        return ordered[np.argsort(np.argsort(rank + weight * len(pre) * noise))]

    low, high = 0.0, 5.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if d_z(pre, arrange(middle)) > target else (low, middle)
    post = arrange(low)
    while round(d_z(pre, post), 2) != target or abs(d_z(pre, post) - target) > 0.001:
        i, j = rng.choice(len(post), 2, replace=False)
        swapped = post.copy()
        swapped[[i, j]] = swapped[[j, i]]
        if abs(d_z(pre, swapped) - target) < abs(d_z(pre, post) - target):
            post = swapped
    return post


def exact(values: np.ndarray, mean: float, sd: float) -> np.ndarray:
    return (values - values.mean()) / values.std(ddof=1) * sd + mean


def skewed(rng, n: int, mean: float, sd: float) -> np.ndarray:
    """Positive, right-skewed scores (SCL-90 is 0–4) with the exact sample mean and SD.

    Gamma draws with shape (mean/sd)² rescaled exactly; redrawn until no score falls below 0.
    """
    while True:
        values = exact(rng.gamma((mean / sd) ** 2, 1.0, n), mean, sd)
        if values.min() >= 0 and values.max() <= 4:
            return values


def baseline_characteristics(rng, cases: dict[str, list[str]], known: dict[str, tuple[str, int]]
                             ) -> dict[str, tuple[list[str], list[int]]]:
    """Sex and age per arm, participant by participant: the published number of women per arm,
    ages whose whole-sample mean, SD (one decimal) and range are the published ones; the demo
    interviewees keep the sex and age of their case attributes (cases.csv)."""
    fixed = {(arm, index): known[case] for arm, names in cases.items() for index, case in enumerate(names)}
    sexes = {}
    for arm, women in WOMEN.items():
        free = [i for i in range(64) if (arm, i) not in fixed]
        needed = women - sum(1 for (a, _), (sex, _) in fixed.items() if a == arm and sex == "v")
        chosen = set(rng.choice(free, needed, replace=False).tolist())
        sexes[arm] = [fixed[(arm, i)][0] if (arm, i) in fixed else ("v" if i in chosen else "m") for i in range(64)]
    mean, sd, low, high = AGE
    while True:
        ages = {arm: np.clip(np.rint(rng.normal(mean, sd, 64)), low, high).astype(int) for arm in WOMEN}
        for (arm, index), (_, age) in fixed.items():
            ages[arm][index] = age
        free = [(arm, i) for arm in WOMEN for i in range(64) if (arm, i) not in fixed]
        (arm_low, i_low), (arm_high, i_high) = free[int(rng.integers(len(free)))], free[int(rng.integers(len(free)))]
        ages[arm_low][i_low], ages[arm_high][i_high] = low, high
        everyone = np.concatenate([ages[arm] for arm in WOMEN])
        if (round(float(everyone.mean()), 1) == mean and round(float(everyone.std(ddof=1)), 1) == sd
                and everyone.min() == low and everyone.max() == high):
            return {arm: (sexes[arm], [int(a) for a in ages[arm]]) for arm in WOMEN}


def main() -> None:
    rng = np.random.default_rng(20241124)
    cases = {}
    with (ROOT / "corpora" / "demo" / "cases.csv").open(encoding="utf-8") as handle:
        interviewees = list(csv.DictReader(handle))
    for row in interviewees:
        cases.setdefault(row["arm"], []).append(row["case"])
    known = {row["case"]: ("v" if row["gender"] == "vrouw" else "m", int(row["age"])) for row in interviewees}
    characteristics = baseline_characteristics(np.random.default_rng(20241128), cases, known)
    rows = []
    extra = np.random.default_rng(20241125)
    pairing = np.random.default_rng(20241126)
    personality = np.random.default_rng(20241127)
    reasons = ["verhuisd", "geen tijd", "niet meer bereikbaar", "klachten verergerd"]
    for arm_number, (arm, table) in enumerate(TABLE_2.items()):
        ids = [f"P{arm_number * 64 + i + 1:03d}" for i in range(64)]
        latent = rng.normal(0, 1, 64)
        order = rng.permutation(64)  # who drops out first
        last_n = table[-1][0]
        gone = set(order[last_n:].tolist())
        status = {i: (reasons[int(extra.integers(len(reasons)))] if i in gone else "afgerond") for i in range(64)}
        attended = {i: int(min(8, extra.binomial(8, 0.55 if i in gone else 0.85))) for i in range(64)}
        cluster = {i: str(personality.choice(["B", "C", "nao"], p=[0.3, 0.5, 0.2])) for i in range(64)}
        alliance = {i: [int(np.clip(round(5.2 - 0.6 * latent[i] + extra.normal(0, 0.8)), 1, 7)) for _ in range(4)]
                    for i in range(64)}
        for (n, mean, sd), time in zip(table, TIMES):
            present = np.sort(order[:n]) if n < 64 else np.arange(64)
            values = skewed(rng, len(present), mean, sd)
            # participants keep their rank over time, loosely: severity is a stable trait plus noise
            ranks = np.argsort(np.argsort(0.6 * latent[present] + 0.8 * rng.normal(0, 1, len(present))))
            values = np.sort(values)[ranks]
            if time == 3:  # everyone measured at 0 and 3 (n = 64): pair them to the published within-group d
                values = pair_for_d_z(np.array([baseline_scl[i] for i in present.tolist()]), values,
                                      WITHIN_0_3[arm], pairing)
            scl = dict(zip(present.tolist(), values.tolist()))
            if time == 0:
                baseline_scl = dict(scl)
            work = {}
            if time in PAID_WORK[arm]:
                yes, measured = PAID_WORK[arm][time]
                who = sorted(present.tolist(), key=lambda i: (latent[i], i))[:measured]
                working = set(rng.choice(who, yes, replace=False).tolist())
                work = {i: int(i in working) for i in who}
            for index in range(64):
                case = cases.get(arm, [])[index] if index < len(cases.get(arm, [])) else ""
                rows.append({
                    "participant": ids[index], "arm": arm, "time": time, "case": case,
                    "scl90": f"{scl[index]:.6f}" if index in scl else "",
                    "paid_work": str(work[index]) if index in work else "",
                    "sex": characteristics[arm][0][index], "age": str(characteristics[arm][1][index]),
                    "status": status[index], "cluster": cluster[index], "sessions_attended": str(attended[index]), "sessions_offered": "8",
                    **{f"wai{k + 1}": (str(alliance[index][k]) if time == 3 and index in scl else "")
                       for k in range(4)},
                })
    with (ROOT / "corpora" / "demo" / "trial.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
