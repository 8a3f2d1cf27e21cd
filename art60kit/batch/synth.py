"""Synthetic populations for benchmarks and tests (vectorised, deterministic by seed).

The mix imitates art. 60 careers: many short interim lines (same agency = one
occupation), part-time and hours- or days-measured lines, assimilated lines (holiday,
sickness, temporary unemployment, unpaid leave, training), a few extending periods
(self-employment, career break, child care, studies, detention), some student work and
unmapped lines, rare foreign work, and events during the contract (sickness, unpaid
leave, strike, force majeure...). Ages 18-64, contract starts 2024-01-01..2026-12-31 so
that both rule sets, the 1 March 2026 crossing and the 36/50 birthdays all occur.

``every_rule=True`` adds what exercises the rules that add or reshape lines and the
figures beside the end date: student work measured in hours, part of it beyond the
year's quota; inactivity to raise a child entered from the end of the last job (before
the birth); detention with the person's situation stated; how jobs ended (public
holidays paid after them); a right opened earlier (``previous_right_end``), sometimes
still running at the contract start.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

_EPOCH = np.datetime64("1970-01-01", "D")
REGIONS = np.array(["Bruxelles-Capitale", "Wallonie", "Vlaanderen"])
PROVINCES = {"Bruxelles-Capitale": ["Bruxelles"], "Wallonie": ["Hainaut", "Liège", "Namur", "Luxembourg", "Brabant wallon"],
             "Vlaanderen": ["Antwerpen", "Oost-Vlaanderen", "West-Vlaanderen", "Limburg", "Vlaams-Brabant"]}

# (kind, weight, min length days, max length days, measure mix)
_CAREER = [
    ("work", 0.50, 1, 45, "interim"),
    ("work", 0.14, 30, 400, "regime"),
    ("work", 0.06, 20, 200, "hours"),
    ("work", 0.05, 15, 150, "days"),
    ("paid_holiday", 0.04, 1, 20, "none"),
    ("sickness_guaranteed_wage", 0.03, 1, 30, "none"),
    ("sickness_indemnified", 0.03, 10, 200, "none"),
    ("temporary_unemployment", 0.03, 5, 60, "none"),
    ("unpaid_leave", 0.02, 1, 15, "none"),
    ("unpaid_absence", 0.01, 1, 10, "none"),
    ("training", 0.02, 10, 120, "none"),
    ("maternity", 0.005, 100, 105, "none"),
    ("student_contract", 0.02, 5, 40, "days"),
    ("self_employed_main", 0.01, 150, 900, "none"),
    ("career_break", 0.005, 30, 300, "none"),
    ("child_care", 0.005, 150, 800, "none"),
    ("full_time_studies", 0.005, 100, 400, "none"),
    ("detention", 0.003, 20, 200, "none"),
    ("not_covered_work", 0.002, 100, 500, "none"),
    ("unmapped", 0.005, 5, 60, "none"),
    ("work_abroad", 0.002, 60, 300, "regime"),
]
_EVENTS = [("sickness_guaranteed_wage", 0.3), ("sickness_indemnified", 0.15), ("unpaid_leave", 0.15),
           ("paid_holiday", 0.15), ("unjustified_absence", 0.08), ("strike", 0.05), ("force_majeure", 0.04),
           ("training", 0.04), ("temporary_unemployment", 0.04)]


#: a Monday, in days from _EPOCH (calendar weeks run Monday to Sunday)
_MONDAY = (np.datetime64("2024-01-01") - _EPOCH).astype(int)


def _dates(days: np.ndarray) -> np.ndarray:
    return (_EPOCH + days.astype("timedelta64[D]")).astype("datetime64[s]")


def _days(iso: str) -> int:
    return int((np.datetime64(iso, "D") - _EPOCH).astype(int))


def population(n: int, seed: int = 0, lines_per_case: float = 10.0, start: int = 0,
               every_rule: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(cases, lines)`` for ``n`` synthetic cases (ids ``s{seed}-{i:07d}`` from ``start``);
    ``every_rule``: see the module's docstring (a separate random stream, so that the
    default population stays the same)."""
    rng = np.random.default_rng([seed, start])
    ids = np.char.add(f"s{seed}-", np.char.zfill(np.arange(start, start + n).astype(str), 7))
    cstart = rng.integers(_days("2024-01-01"), _days("2026-12-31") + 1, n)
    age_days = rng.integers(18 * 365 + 5, 64 * 365 + 300, n)
    birth = cstart - age_days
    has_prior = rng.random(n) < 0.15
    prior = np.where(has_prior, cstart - rng.integers(200, 5 * 365, n), -1)
    prior = np.maximum(prior, birth + 18 * 365)
    dpw = rng.choice([5.0, 4.0, 6.0, 3.0, 4.5], n, p=[0.8, 0.08, 0.05, 0.04, 0.03])
    s = rng.choice([38.0, 40.0, 37.5], n, p=[0.85, 0.1, 0.05])
    part = rng.random(n) < 0.25
    q = np.where(part, np.round(s * rng.choice([0.5, 0.75, 0.8, 0.6], n), 1), np.nan)
    region = rng.choice(REGIONS, n, p=[0.2, 0.5, 0.3])
    prov = np.array([PROVINCES[r][i % len(PROVINCES[r])] for r, i in zip(region, rng.integers(0, 60, n))])
    cpas = np.char.add("CPAS-", rng.integers(1, 200, n).astype(str))
    cases = pd.DataFrame({
        "case_id": ids, "birth_date": _dates(birth),
        "prior_admission": pd.Series(_dates(np.where(has_prior, prior, 0))).where(has_prior),
        "contract_start": _dates(cstart), "days_per_week": dpw,
        "weekly_hours": q, "full_time_hours": s, "region": region, "province": prov, "cpas": cpas,
    })

    # career lines
    ncar = np.clip(rng.poisson(lines_per_case - 0.6, n), 0, 60)
    m = int(ncar.sum())
    owner = np.repeat(np.arange(n), ncar)
    w = np.array([c[1] for c in _CAREER]); w = w / w.sum()
    kidx = rng.choice(len(_CAREER), m, p=w)
    kinds = np.array([c[0] for c in _CAREER])[kidx]
    lo = np.array([c[2] for c in _CAREER])[kidx]
    hi = np.array([c[3] for c in _CAREER])[kidx]
    length = lo + (rng.random(m) * (hi - lo + 1)).astype(np.int64)
    # lines end within the 7 years before the contract start (a few up to 10)
    back = rng.integers(1, 7 * 365, m)
    back = np.where(rng.random(m) < 0.05, rng.integers(1, 10 * 365, m), back)
    lend = cstart[owner] - back
    lstart = lend - length + 1
    lstart = np.maximum(lstart, birth[owner] + 16 * 365)
    lend = np.maximum(lend, lstart)
    measure = np.array([c[4] for c in _CAREER])[kidx]
    interim = measure == "interim"
    agency = rng.integers(0, 3, m)
    employer = np.where(interim, np.char.add("Interim ", np.array(["Hainaut", "Liège", "Bruxelles"])[agency]),
                        np.char.add("Employer ", rng.integers(0, 4, m).astype(str)))
    no_emp = (measure == "none") & (rng.random(m) < 0.5)
    employer = np.where(no_emp, None, employer).astype(object)
    ldpw = np.where(np.isin(measure, ["interim", "regime", "days"]),
                    rng.choice([5.0, 4.0, 6.0, 3.0, 2.5], m, p=[0.75, 0.1, 0.05, 0.07, 0.03]), np.nan)
    ls = np.where(measure == "none", np.nan, rng.choice([38.0, 40.0, 36.0], m, p=[0.8, 0.1, 0.1]))
    lpart = np.isin(measure, ["regime", "interim"]) & (rng.random(m) < 0.3)
    lq = np.where(lpart, np.round(ls * rng.choice([0.5, 0.8, 0.6, 0.25], m), 2), np.nan)
    lq = np.where(np.isin(measure, ["regime", "interim"]) & ~lpart & (rng.random(m) < 0.5), ls, lq)
    span = (lend - lstart + 1).astype(float)
    lhours = np.where(measure == "hours", np.round(span * 5 / 7 * rng.uniform(1.0, 7.6, m), 1), np.nan)
    ldays = np.where(measure == "days", np.maximum(1, np.floor(span * 5 / 7 * rng.uniform(0.3, 1.0, m))), np.nan)
    ldays = np.minimum(ldays, span)
    # at most full time in each calendar week a line meets, as the case loader requires:
    # S hours, or R days (5 when the line gives none), a week
    weeks = (((lend - (lend - _MONDAY) % 7) - (lstart - (lstart - _MONDAY) % 7)) // 7 + 1).astype(float)
    lhours = np.minimum(lhours, np.floor(ls * weeks * 10) / 10)
    ldays = np.minimum(ldays, np.floor(np.where(np.isnan(ldpw), 5.0, ldpw) * weeks))
    ls = np.where(measure == "days", np.nan, ls)
    child = np.where(kinds == "child_care", lstart - rng.integers(0, 3 * 365, m), -1)
    has_child = (kinds == "child_care") & (rng.random(m) < 0.8)
    career = pd.DataFrame({
        "case_id": ids[owner], "record": "career", "kind": kinds, "start": _dates(lstart), "end": _dates(lend),
        "employer": employer, "days_per_week": ldpw, "weekly_hours": lq, "full_time_hours": ls,
        "hours": lhours, "days": ldays,
        "child_birth_date": pd.Series(_dates(np.where(has_child, child, 0))).where(has_child),
        "_o": owner, "_k": lstart})
    # events during the contract: 0-3, sorted, not overlapping
    nev = rng.choice([0, 1, 2, 3], n, p=[0.6, 0.25, 0.1, 0.05])
    e = int(nev.sum())
    eowner = np.repeat(np.arange(n), nev)
    rank = np.arange(e) - np.repeat(np.cumsum(nev) - nev, nev)
    ew = np.array([x[1] for x in _EVENTS]); ew = ew / ew.sum()
    ekind = np.array([x[0] for x in _EVENTS])[rng.choice(len(_EVENTS), e, p=ew)]
    estart = cstart[eowner] + rank * 120 + rng.integers(0, 90, e)
    eend = estart + rng.integers(0, 25, e)
    events = pd.DataFrame({"case_id": ids[eowner], "record": "event", "kind": ekind, "start": _dates(estart),
                           "end": _dates(eend), "employer": None, "_o": eowner, "_k": 10 ** 7 + estart})
    lines = pd.concat([career, events], ignore_index=True).sort_values(["_o", "_k"], kind="stable")
    lines["line_no"] = lines.groupby("_o").cumcount().to_numpy() + 1
    lines = lines.drop(columns=["_o", "_k"]).reset_index(drop=True)
    for c in ("days_per_week", "weekly_hours", "full_time_hours", "hours", "days"):
        lines[c] = lines[c].astype(float)
    lines["employer"] = lines["employer"].astype(object)
    cols = ["case_id", "line_no", "record", "kind", "start", "end", "employer", "days_per_week", "weekly_hours",
            "full_time_hours", "hours", "days", "child_birth_date"]
    if every_rule:
        return _every_rule(cases, lines[cols], np.random.default_rng([seed, start, 1]))
    return cases, lines[cols]


def _every_rule(cases: pd.DataFrame, lines: pd.DataFrame, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``every_rule`` mix over a default population (see the module's docstring)."""
    from ..model import END_REASONS, SITUATIONS

    lines = lines.copy()
    m = len(lines)
    kind = lines["kind"].to_numpy()
    start = lines["start"].to_numpy().astype("datetime64[D]")
    end = lines["end"].to_numpy().astype("datetime64[D]")
    span = (end - start).astype(int) + 1
    # student work in hours, from 2 to 7 hours a weekday (within full time in every week):
    # long lines pass the year's quota
    stud = (kind == "student_contract") & (rng.random(m) < 0.7)
    longer = stud & (rng.random(m) < 0.5)
    end = np.where(longer, start + rng.integers(60, 200, m).astype("timedelta64[D]"), end)
    span = (end - start).astype(int) + 1
    lines["end"] = end.astype("datetime64[s]")
    hours = np.round(span * 5 / 7 * rng.uniform(2.0, 7.0, m), 1)
    lines["hours"] = np.where(stud, hours, lines["hours"].to_numpy())
    lines["days"] = np.where(stud, np.nan, lines["days"].to_numpy())
    lines["days_per_week"] = np.where(stud, np.nan, lines["days_per_week"].to_numpy())
    lines["full_time_hours"] = np.where(stud, 38.0, lines["full_time_hours"].to_numpy())
    # child care entered from the end of the last job, before the birth
    birth = lines["child_birth_date"].to_numpy().astype("datetime64[D]")
    early = (kind == "child_care") & ~np.isnat(birth) & (rng.random(m) < 0.5)
    before = np.minimum(birth - rng.integers(20, 200, m).astype("timedelta64[D]"), start)
    lines["start"] = np.where(early, before, start).astype("datetime64[s]")
    # detention with the situation at its start stated (else inferred from the lines around it)
    sit = np.where((kind == "detention") & (rng.random(m) < 0.6),
                   np.array(SITUATIONS, dtype=object)[rng.integers(0, len(SITUATIONS), m)], None)
    lines["situation"] = pd.Series(sit, dtype=object)
    # how jobs ended (public holidays paid after the end)
    why = np.where((kind == "work") & (rng.random(m) < 0.4),
                   np.array(END_REASONS, dtype=object)[rng.integers(0, len(END_REASONS), m)], None)
    lines["end_reason"] = pd.Series(why, dtype=object)
    # a right opened earlier: a third still running at the contract start (art. 42)
    cases = cases.copy()
    n = len(cases)
    cstart = cases["contract_start"].to_numpy().astype("datetime64[D]")
    has = rng.random(n) < 0.06
    prev = cstart + rng.integers(-700, 300, n).astype("timedelta64[D]")
    cases["previous_right_end"] = pd.Series(prev.astype("datetime64[s]")).where(has)
    return cases, lines
