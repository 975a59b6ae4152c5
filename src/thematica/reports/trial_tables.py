"""Trial results laid out as the papers print them: Table 1 by arm, CONSORT flow, an outcome
table per variable (M (SD) and n by arm per timepoint, d [95% CI], p; mixed-model contrasts),
binary outcomes (% by arm, test, adjusted odds ratio), attendance and scales. Rounding happens
here and only here; ``Report`` keeps full precision for json."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from thematica.markdown import md_table
from thematica.quant.stats.trial import Report, Result
from thematica.reports.docx_table import add_table


@dataclass
class TableData:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _f(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    return "< .001" if value < 0.001 else f"{value:.3f}".replace("0.", ".", 1)


class _Lookup:
    def __init__(self, results: list[Result]):
        self.values = {(r.analysis, r.outcome, r.timepoint, r.statistic, r.group): r.value for r in results}

    def get(self, analysis, outcome, time, statistic, group=None):
        return self.values.get((analysis, outcome, time, statistic, group))


def _arms(report: Report) -> list[str]:
    return _ordered(r.group for r in report.results if r.analysis == "flow" and r.statistic == "randomised")


def _ordered(items) -> list:
    return list(dict.fromkeys(items))


def table_one(report: Report) -> TableData:
    arms, look = _arms(report), _Lookup(report.results)
    rows = [r for r in report.results if r.analysis == "baseline"]
    time = rows[0].timepoint if rows else None
    table = TableData("Table 1. Baseline characteristics by arm", ["", *arms])
    table.rows.append(["n", *[_f(look.get("baseline", "participants", time, "n", arm), 0) for arm in arms]])
    for outcome in _ordered(r.outcome for r in rows if r.outcome != "participants"):
        if look.get("baseline", outcome, time, "mean", arms[0]) is not None or "=" not in outcome:
            table.rows.append([f"{outcome}, mean (SD)", *[
                f"{_f(look.get('baseline', outcome, time, 'mean', arm))} ({_f(look.get('baseline', outcome, time, 'sd', arm))})"
                for arm in arms]])
        else:
            table.rows.append([f"{outcome}, n (%)", *[
                f"{_f(look.get('baseline', outcome, time, 'n', arm), 0)} ({_f(look.get('baseline', outcome, time, 'percent', arm), 1)})"
                for arm in arms]])
    return table


def flow_table(report: Report) -> TableData:
    arms, look = _arms(report), _Lookup(report.results)
    table = TableData("CONSORT flow", ["", *arms])
    table.rows.append(["randomised", *[_f(look.get("flow", "participants", None, "randomised", arm), 0) for arm in arms]])
    flow = [r for r in report.results if r.analysis == "flow"]
    for time in _ordered(r.timepoint for r in flow if r.statistic == "assessed"):
        table.rows.append([f"assessed at {time}", *[
            f"{_f(look.get('flow', 'participants', time, 'assessed', arm), 0)} "
            f"(not: {_f(look.get('flow', 'participants', time, 'not_assessed', arm), 0)})" for arm in arms]])
    for level in _ordered(r.outcome for r in flow if r.outcome != "participants"):
        table.rows.append([level, *[_f(look.get("flow", level, None, "n", arm) or 0.0, 0) for arm in arms]])
    return table


def continuous_table(report: Report, outcome: str) -> TableData:
    arms, look = _arms(report), _Lookup(report.results)
    contrast = f"{arms[0]} − {arms[-1]}"
    rows = [r for r in report.results if r.analysis == "continuous" and r.outcome == outcome]
    effect = next((r.statistic for r in rows if r.statistic in ("d", "g")), "d")
    headers = ["time", *[f"{arm} M (SD), n" for arm in arms], f"difference {contrast} [95% CI]",
               f"{effect} [95% CI]", "t (df)", "p", "arm × time [95% CI]", "p (LMM)"]
    table = TableData(f"{outcome}: by arm per timepoint ({contrast})", headers)
    for time in _ordered(r.timepoint for r in rows):
        cells = [f"{_f(look.get('continuous', outcome, time, 'mean', arm))} "
                 f"({_f(look.get('continuous', outcome, time, 'sd', arm))}), "
                 f"{_f(look.get('continuous', outcome, time, 'n', arm), 0)}" for arm in arms]
        d = look.get("continuous", outcome, time, effect)
        ci = f"{_f(d)} [{_f(look.get('continuous', outcome, time, effect + '_ci_low'))}, " \
             f"{_f(look.get('continuous', outcome, time, effect + '_ci_high'))}]" if d is not None else "—"
        difference = look.get("continuous", outcome, time, "difference", contrast)
        raw = (f"{_f(difference)} [{_f(look.get('continuous', outcome, time, 'difference_ci_low', contrast))}, "
               f"{_f(look.get('continuous', outcome, time, 'difference_ci_high', contrast))}]"
               if difference is not None else "—")
        t = look.get("continuous", outcome, time, "t")
        t_cell = f"{_f(t)} ({_f(look.get('continuous', outcome, time, 'df'), 0)})" if t is not None else "—"
        mixed = look.get("mixed_model", outcome, time, "arm_x_time_estimate", contrast)
        lmm = (f"{_f(mixed)} [{_f(look.get('mixed_model', outcome, time, 'arm_x_time_ci_low', contrast))}, "
               f"{_f(look.get('mixed_model', outcome, time, 'arm_x_time_ci_high', contrast))}]"
               if mixed is not None else "ref." if look.get("mixed_model", outcome, time, "arm_estimate", contrast)
               is not None else "—")
        table.rows.append([time, *cells, raw, ci, t_cell, _p(look.get("continuous", outcome, time, "p")), lmm,
                           _p(look.get("mixed_model", outcome, time, "arm_x_time_p", contrast))])
    table.notes.append(f"difference, {effect} and arm × time: {contrast} (negative: lower in {arms[0]}); "
                       f"{effect} on the pooled SD" + (" with Hedges' correction" if effect == "g" else "") +
                       "; t: Student's t-test")
    table.notes += _within_notes(report, outcome)
    if any(r.analysis == "mixed_model" and r.outcome == outcome for r in report.results):
        n = look.get("mixed_model", outcome, None, "participants")
        table.notes.append(f"linear mixed model {outcome} ~ arm × time, random intercept per participant (REML) on all "
                           f"available data ({_f(n, 0)} participants with at least one value); arm × time = "
                           f"difference in change from the reference timepoint, {contrast}")
    return table


def _within_notes(report: Report, outcome: str) -> list[str]:
    """The within-group d chosen with ``--d``, with its formula and reference, per arm and comparison."""
    from thematica.quant.stats.effect_sizes import WITHIN_FORMULAS

    chosen = report.options.get("within_d", "d_av")
    formula, reference = WITHIN_FORMULAS[chosen]
    look = _Lookup(report.results)
    notes = []
    for row in [r for r in report.results if r.analysis == "within_arm" and r.outcome == outcome
                and r.statistic == chosen]:
        key = ("within_arm", outcome, row.timepoint)
        notes.append(f"within {row.group}, {row.timepoint}: {chosen} = {_f(row.value)} (n = "
                     f"{_f(look.get(*key, 'n', row.group), 0)}, r = {_f(look.get(*key, 'r', row.group))})")
    if notes:
        notes.append(f"within-group {chosen} = {formula} ({reference}); positive: lower at the later timepoint")
    return notes


def binary_table(report: Report, outcome: str) -> TableData:
    arms, look = _arms(report), _Lookup(report.results)
    ratio = f"{arms[0]} vs {arms[-1]}"
    rows = [r for r in report.results if r.analysis == "binary" and r.outcome == outcome]
    table = TableData(f"{outcome}: % by arm per timepoint ({ratio})",
                      ["time", *[f"{arm} % (n)" for arm in arms], "test", "p", f"OR {ratio} [95% CI]",
                       f"RR {ratio} [95% CI]"])
    for time in _ordered(r.timepoint for r in rows):
        chi2 = look.get("binary", outcome, time, "chi2")
        test = f"χ²(1) = {_f(chi2)}" if chi2 is not None else "Fisher" if look.get(
            "binary", outcome, time, "fisher_p") is not None else "—"
        p = look.get("binary", outcome, time, "chi2_p") if chi2 is not None else look.get("binary", outcome, time, "fisher_p")
        odds = look.get("binary", outcome, time, "odds_ratio", ratio)
        risk = look.get("binary", outcome, time, "risk_ratio", ratio)
        table.rows.append([time, *[f"{_f(look.get('binary', outcome, time, 'percent', arm), 1)} "
                                   f"({_f(look.get('binary', outcome, time, 'n', arm), 0)})" for arm in arms], test, _p(p),
                           f"{_f(odds)} [{_f(look.get('binary', outcome, time, 'or_ci_low', ratio))}, "
                           f"{_f(look.get('binary', outcome, time, 'or_ci_high', ratio))}]" if odds is not None else "—",
                           f"{_f(risk)} [{_f(look.get('binary', outcome, time, 'rr_ci_low', ratio))}, "
                           f"{_f(look.get('binary', outcome, time, 'rr_ci_high', ratio))}]" if risk is not None else "—"])
    for row in [r for r in report.results if r.analysis == "logistic" and r.outcome == outcome and r.statistic == "odds_ratio"]:
        key = ("logistic", outcome, row.timepoint)
        table.notes.append(f"odds ratio {row.timepoint} ({row.group}), adjusted for baseline: {_f(row.value)} "
                           f"[{_f(look.get(*key, 'or_ci_low', row.group))}, {_f(look.get(*key, 'or_ci_high', row.group))}], "
                           f"p = {_p(look.get(*key, 'p', row.group))}, n = {_f(look.get(*key, 'n', row.group), 0)}")
    for row in [r for r in report.results if r.analysis == "mcnemar" and r.outcome == outcome and r.statistic == "p"]:
        table.notes.append(f"McNemar within {row.group}, {row.timepoint}: p = {_p(row.value)}")
    return table


def derived_table(report: Report, outcome: str) -> TableData:
    """A derived binary outcome: rates with the ITT and the completers' denominators side by side."""
    arms, look = _arms(report), _Lookup(report.results)
    ratio, difference = f"{arms[0]} vs {arms[-1]}", f"{arms[0]} − {arms[-1]}"
    table = TableData(f"{outcome}: rate by arm, intention to treat and completers ({ratio})",
                      ["time", "denominator", *[f"{arm} n/N (%)" for arm in arms], "test", "p",
                       f"OR {ratio} [95% CI]", f"risk difference {difference} [95% CI]", "NNT [95% CI]"])
    times = _ordered(r.timepoint for r in report.results if r.analysis == "derived_itt" and r.outcome == outcome)
    for time in times:
        for denominator, name in (("itt", "all randomised (ITT)"), ("completers", "completers")):
            analysis = f"derived_{denominator}"
            chi2 = look.get(analysis, outcome, time, "chi2")
            p = look.get(analysis, outcome, time, "chi2_p") if chi2 is not None else look.get(analysis, outcome, time,
                                                                                              "fisher_p")
            odds = look.get(analysis, outcome, time, "odds_ratio", ratio)
            rd = look.get(analysis, outcome, time, "risk_difference", difference)
            nnt = look.get(analysis, outcome, time, "nnt", difference)
            low, high = (look.get(analysis, outcome, time, "rd_ci_low", difference),
                         look.get(analysis, outcome, time, "rd_ci_high", difference))
            if nnt is None:
                nnt_cell = "—"
            elif low is not None and high is not None and low < 0 < high:
                nnt_cell = (f"{_f(nnt, 1)} [NNTH {_f(-1 / low, 1)} to ∞ to NNTB {_f(1 / high, 1)}]")
            else:
                nnt_cell = (f"{_f(nnt, 1)} [{_f(look.get(analysis, outcome, time, 'nnt_ci_low', difference), 1)}, "
                            f"{_f(look.get(analysis, outcome, time, 'nnt_ci_high', difference), 1)}]")
            table.rows.append([time, name, *[
                f"{_f(look.get(analysis, outcome, time, 'events', arm), 0)}/{_f(look.get(analysis, outcome, time, 'n', arm), 0)}"
                f" ({_f(look.get(analysis, outcome, time, 'percent', arm), 1)})" for arm in arms],
                f"χ²(1) = {_f(chi2)}" if chi2 is not None else "Fisher" if p is not None else "—", _p(p),
                f"{_f(odds)} [{_f(look.get(analysis, outcome, time, 'or_ci_low', ratio))}, "
                f"{_f(look.get(analysis, outcome, time, 'or_ci_high', ratio))}]" if odds is not None else "—",
                f"{_f(rd, 3)} [{_f(low, 3)}, {_f(high, 3)}]" if rd is not None else "—", nnt_cell])
    table.notes.append(f"ITT: every randomised participant, a missing value counted as no {outcome}; completers: those "
                       f"measured. NNT = 1/risk difference ({difference}; positive: more {outcome} in {arms[0]}); "
                       "NNTB/NNTH: benefit/harm (Altman 1998)")
    return table


def imputed_table(report: Report) -> TableData | None:
    """Between-arm effects after multiple imputation, pooled by Rubin's rules."""
    rows = [r for r in report.results if r.analysis == "imputed"]
    if not rows:
        return None
    look = _Lookup(report.results)
    table = TableData("Multiple imputation (chained equations), pooled by Rubin's rules",
                      ["outcome", "time", "contrast", "estimate", "value [95% CI]", "fraction missing information"])
    for r in rows:
        if r.statistic in ("difference", "d", "odds_ratio"):
            key = {"difference": "difference", "d": "d", "odds_ratio": "or"}[r.statistic]
            fmi = look.get("imputed", r.outcome, r.timepoint, "log_or_fmi" if key == "or" else f"{key}_fmi", r.group)
            table.rows.append([r.outcome, r.timepoint or "", r.group or "", r.statistic.replace("_", " "),
                               f"{_f(r.value)} [{_f(look.get('imputed', r.outcome, r.timepoint, key + '_ci_low', r.group))}, "
                               f"{_f(look.get('imputed', r.outcome, r.timepoint, key + '_ci_high', r.group))}]",
                               _f(fmi)])
    return table


def other_table(report: Report) -> TableData | None:
    rows = [r for r in report.results if r.analysis in ("attendance", "scale", "correlation")]
    if not rows:
        return None
    table = TableData("Attendance, scales and correlations", ["analysis", "variable", "time", "arm", "statistic", "value"])
    for r in rows:
        digits = 0 if r.statistic in ("n", "items") else 3
        table.rows.append([r.analysis, r.outcome, r.timepoint or "", r.group or "", r.statistic,
                           _p(r.value) if r.statistic.endswith("_p") else _f(r.value, digits)])
    return table


def all_tables(report: Report) -> list[TableData]:
    tables = [table_one(report), flow_table(report)]
    kinds: defaultdict[str, list[str]] = defaultdict(list)
    for r in report.results:
        if r.analysis in ("continuous", "binary") and r.outcome not in kinds[r.analysis]:
            kinds[r.analysis].append(r.outcome)
    tables += [continuous_table(report, o) for o in kinds["continuous"]]
    tables += [binary_table(report, o) for o in kinds["binary"]]
    tables += [derived_table(report, o) for o in _ordered(r.outcome for r in report.results
                                                            if r.analysis == "derived_itt")]
    imputed = imputed_table(report)
    if imputed:
        tables.append(imputed)
    extra = other_table(report)
    if extra:
        tables.append(extra)
    if report.notes:
        tables[-1].notes += report.notes
    return tables


def render_markdown(tables: list[TableData]) -> str:
    lines = []
    for table in tables:
        lines += [f"### {table.title}", "", *md_table(table.headers, table.rows)]
        lines += [""] + [f"- {note}" for note in table.notes] + ([""] if table.notes else [])
    return "\n".join(lines)


def write_docx(tables: list[TableData], out: Path) -> None:
    import docx

    from thematica.files import private_path

    document = docx.Document()
    document.add_heading("Trial analyses", level=0)
    for data in tables:
        document.add_heading(data.title, level=2)
        add_table(document, data.headers, data.rows)
        for note in data.notes:
            document.add_paragraph(note, style="List Bullet")
    document.save(str(private_path(out)))
