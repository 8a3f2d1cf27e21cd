"""The per-case core of the previous design, in Python with exact fractions: the ledger,
the window credits and the contract's credit as :mod:`art60kit.credit` computed them
before the compiled kernel became their only implementation in the package
(:mod:`art60kit.ledger`). Kept only for the benchmark baseline
(``previous_planner.py``), so that the baseline's speed stays the previous design's.
Nothing in the package imports it.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Optional

from dateutil.relativedelta import relativedelta

from art60kit.admissibility import ConditionResult, Verdict
from art60kit.credit import (CONTRACT_LEAD_DAYS, HORIZON_DAYS, REASON_CONDITION_FAILS, REASON_SITUATION_UNKNOWN,
                             UNIT, Extension, OccupationCredit, WindowCredit,
                             counted_days, extension_holds, extension_start)
from art60kit.dates import (add_years, age_on, count_pattern_ordinals, holiday_ordinals, minus_months,
                            months_ordinals, quarters_ordinals, weekday_mask)
from art60kit.model import CareerLine, Case, Options
from art60kit.rules import KindRule, RuleBook, RuleSet
from art60kit.window import Window


def career_start(case, rs) -> int:
    """The first day of the person's working life under ``rs`` (ordinal), as the
    previous design computed it in Python."""
    starts = [line.start for line in case.career if rs.kind(line.kind).credits]
    return min(starts + [case.contract.start]).toordinal()


@lru_cache(maxsize=4096)
def _frac(x: float) -> Fraction:
    # str() keeps the decimal the user typed (30.24 -> 3024/100), not the binary float
    return Fraction(str(x))



def _line_rate(line: CareerLine, mask: int, default_r: float, default_s: float) -> Fraction:
    """Credit per pattern day of a line (see module docstring, point 1)."""
    r = _frac(line.days_per_week if line.days_per_week is not None else default_r)
    s = _frac(line.full_time_hours if line.full_time_hours is not None else default_s)
    a, b = line.start.toordinal(), line.end.toordinal()
    if line.hours is not None or line.days is not None:
        n = count_pattern_ordinals(a, b, mask)
        if n == 0:
            return Fraction(0)
        total = _frac(line.hours) * 6 / s if line.hours is not None else _frac(line.days) * 6 / r
        return total / n
    q = _frac(line.weekly_hours) if line.weekly_hours is not None else s
    return Fraction(6) / r * q / s


def _line_mask(line: CareerLine, default_r: float) -> int:
    r = line.days_per_week if line.days_per_week is not None else default_r
    mask = weekday_mask(r)
    if (line.hours is not None or line.days is not None) and \
            count_pattern_ordinals(line.start.toordinal(), line.end.toordinal(), mask) == 0:
        mask = 0b1111111  # a weekend-only line: spread over its calendar days
    return mask


@dataclass(frozen=True)
class Piece:
    """A stretch of days ``[a, b]`` (ordinals) that credits ``rate`` per pattern day."""

    a: int
    b: int
    mask: int
    rate: Fraction
    covers: bool  # counts as "worked" for the full-quarter / full-month rule


@dataclass(frozen=True)
class Occupation:
    """The unit of rounding: one or more lines of the same employer and regime, or the
    contract. ``lines`` are the career indexes (-1 for the contract)."""

    key: str
    lines: tuple[int, ...]
    pieces: tuple[Piece, ...]
    rate: Fraction
    mask: int
    full_time: bool
    num: int = field(init=False)
    den: int = field(init=False)
    first: int = field(init=False)
    last: int = field(init=False)
    rate_units: float = field(init=False)  # estimate, for the cap test only

    def __post_init__(self):
        object.__setattr__(self, "num", self.rate.numerator)
        object.__setattr__(self, "den", self.rate.denominator)
        object.__setattr__(self, "first", min(p.a for p in self.pieces) if self.pieces else 0)
        object.__setattr__(self, "last", max(p.b for p in self.pieces) if self.pieces else -1)
        object.__setattr__(self, "rate_units", float(self.rate) * UNIT)


@dataclass(frozen=True)
class CappedPiece:
    a: int
    b: int
    mask: int
    rate: Fraction
    group: str
    line: int  # career index, or -1 for a contract event


@dataclass(frozen=True)
class AbroadLine:
    """Foreign work that counts only once enough Belgian work follows it."""

    occupation: int  # index into Ledger.occupations
    line: int
    end: int
    needed_units: int


@dataclass(frozen=True, eq=False)
class Ledger:
    """Everything the window and credit kernels need for one case and one rule set."""

    rules_id: str
    occupations: tuple[Occupation, ...]
    capped: tuple[CappedPiece, ...]
    cap_units: dict
    extensions: tuple[Extension, ...]
    abroad: tuple[AbroadLine, ...]
    contract_index: int  # index of the contract occupation
    contract_start: int
    full_quarter_units: int
    full_month_units: int
    quarter_cap_units: int
    line_treatment: tuple[str, ...]  # per career line
    event_treatment: tuple[str, ...]  # per contract event
    #: per crediting reading: the calendar period ("quarter" or "month") and the units
    #: a full period credits (rules.behaviours, family "crediting")
    full_periods: dict = field(default_factory=dict, compare=False, repr=False)
    period_cache: dict = field(default_factory=dict, compare=False, repr=False)

    def full_period_units(self, crediting: str) -> tuple[str, int]:
        return self.full_periods[crediting]

    @property
    def abroad_occupations(self) -> frozenset:
        return frozenset(ab.occupation for ab in self.abroad)

    @property
    def contract(self) -> Occupation:
        return self.occupations[self.contract_index]


def _extension(kind: str, a: int, b: int, line: int, rule: KindRule, child_birth: Optional[date],
               holds: Optional[bool] = True) -> Extension:
    """The extending period ``[a, b]`` after its caps. ``holds``: the kind's extension
    condition (``rule.only_if``) for this period, None when the case cannot tell.

    Inactivity to raise a child runs from the birth (:func:`extension_start`): the
    period is cut at the birth (``Extension.a`` is the birth, ``a0`` the day entered),
    its length and caps are measured from there, and the reason says so; a line that
    ends before the birth does not extend. The child's age limit and the end of the
    line cap it; the next child's period, entered as its own line from that birth,
    extends the window with it, each day once (:mod:`art60kit.window`)."""
    from art60kit.dates import add_years
    from dateutil.relativedelta import relativedelta

    if holds is None:
        return Extension(kind, a, b, a, b, line, rule, False, REASON_SITUATION_UNKNOWN, True)
    if not holds:
        return Extension(kind, a, b, a, b, line, rule, False, REASON_CONDITION_FAILS)
    a0 = a
    a = extension_start(rule, a0, child_birth.toordinal() if child_birth is not None else None)
    # reasons joined by "; " (explain.extension_reason states each in the reader's language)
    clipped = []
    if a > a0:
        if a > b:
            return Extension(kind, a0, b, a0, b, line, rule, False,
                             f"ends before the child's birth on {child_birth.isoformat()}")
        clipped.append(f"from the child's birth on {child_birth.isoformat()}")
    reasons = list(clipped)
    start, end = date.fromordinal(a), date.fromordinal(b)
    cap_end = end
    if rule.until_child_age:
        if child_birth is None:
            limit = add_years(start, rule.until_child_age) - relativedelta(days=1)
            reasons.append(f"no child_birth_date: capped at {rule.until_child_age} years from its start")
        else:
            limit = add_years(child_birth, rule.until_child_age) - relativedelta(days=1)
        cap_end = min(cap_end, limit)
    if rule.max_years:
        cap_end = min(cap_end, add_years(start, rule.max_years) - relativedelta(days=1))
    if cap_end < start:
        return Extension(kind, a0, b, a0, b, line, rule, False, "entirely after the child's age limit")
    if rule.min_months and cap_end < start + relativedelta(months=rule.min_months) - relativedelta(days=1):
        return Extension(kind, a, cap_end.toordinal(), a0, b, line, rule, False,
                         "; ".join(clipped + [f"shorter than {rule.min_months} months"]))
    return Extension(kind, a, cap_end.toordinal(), a0, b, line, rule, True, "; ".join(reasons))


def build_ledger(case: Case, rs: RuleSet) -> Ledger:
    """The case seen through rule set ``rs``. Pure; cached per (case, rule set)."""
    return _build_ledger_cached(case, rs)


@lru_cache(maxsize=512)
def _build_ledger_cached(case: Case, rs: RuleSet) -> Ledger:
    cnt = rs.counting
    occ_groups: dict = {}
    capped: list[CappedPiece] = []
    extensions: list[Extension] = []
    abroad_lines: list[tuple[int, CareerLine]] = []
    line_treatment = []
    for i, line in enumerate(case.career):
        rule = rs.kind(line.kind)
        line_treatment.append(rule.treatment)
        a, b = line.start.toordinal(), line.end.toordinal()
        if rule.treatment == "extends":
            extensions.append(_extension(line.kind, a, b, i, rule, line.child_birth_date,
                                         extension_holds(case, rs, i)))
            continue
        if not rule.credits:
            continue
        mask = _line_mask(line, cnt.default_days_per_week)
        rate = _line_rate(line, mask, cnt.default_days_per_week, cnt.default_full_time_hours)
        if rule.treatment == "assimilated_capped":
            capped.append(CappedPiece(a, b, mask, rate, rule.cap_group, i))
            continue
        s = line.full_time_hours if line.full_time_hours is not None else cnt.default_full_time_hours
        full_time = line.measure == "regime" and (line.weekly_hours is None or line.weekly_hours >= s)
        # One occupation per employer and regime (schéma 2B step 1); lines without an
        # employer, and foreign work, stay alone.
        if line.employer and line.kind != "work_abroad":
            gkey = ("emp", line.employer.strip().lower(), rate, mask, full_time)
        else:
            gkey = ("line", i)
        occ_groups.setdefault(gkey, []).append((i, line, Piece(a, b, mask, rate, True), rate, mask, full_time))
        if rule.requires_belgian_work_after:
            abroad_lines.append((i, line))
    occupations: list[Occupation] = []
    line_to_occ = {}
    for gkey, items in occ_groups.items():
        idx = tuple(i for i, *_ in items)
        _, line0, _, rate, mask, ft = items[0]
        key = f"career[{idx[0]}]" if len(idx) == 1 else "career[" + ",".join(map(str, idx)) + "]"
        # lines of one occupation that overlap (the same job declared twice) count once
        merged: list[Piece] = []
        for p in sorted((p for _, _, p, *_ in items), key=lambda p: p.a):
            if merged and p.a <= merged[-1].b + 1:
                last = merged[-1]
                merged[-1] = Piece(last.a, max(last.b, p.b), last.mask, last.rate, True)
            else:
                merged.append(p)
        occupations.append(Occupation(key, idx, tuple(merged), rate, mask, ft))
        for i in idx:
            line_to_occ[i] = len(occupations) - 1
    # The contract: one occupation from its start to the horizon, split by its events.
    c = case.contract
    cmask = weekday_mask(c.days_per_week)
    crate = Fraction(6) / _frac(c.days_per_week) * _frac(c.q) / _frac(c.full_time_hours)
    s0 = c.start.toordinal()
    horizon = s0 + HORIZON_DAYS
    pieces = []
    cur = s0
    event_treatment = []
    for j, ev in enumerate(c.events):
        rule = rs.kind(ev.kind)
        event_treatment.append(rule.treatment)
        ea, eb = ev.start.toordinal(), ev.end.toordinal()
        if ea > cur:
            pieces.append(Piece(cur, ea - 1, cmask, crate, True))
        if rule.treatment in ("counted", "assimilated"):
            pieces.append(Piece(ea, eb, cmask, crate, True))
        elif rule.treatment == "assimilated_capped":
            capped.append(CappedPiece(ea, eb, cmask, crate, rule.cap_group, -(j + 1)))
        elif rule.treatment == "extends":
            extensions.append(_extension(ev.kind, ea, eb, -(j + 1), rule, None,
                                         extension_holds(case, rs, -(j + 1))))
        cur = max(cur, eb + 1)
    if cur <= horizon:
        pieces.append(Piece(cur, horizon, cmask, crate, True))
    contract_occ = Occupation("contract", (-1,), tuple(pieces), crate, cmask, c.full_time)
    occupations.append(contract_occ)
    contract_index = len(occupations) - 1
    abroad = tuple(AbroadLine(line_to_occ[i], i, l.end.toordinal(),
                              int(rs.kind(l.kind).requires_belgian_work_after * UNIT))
                   for i, l in abroad_lines)
    return Ledger(
        rules_id=rs.id, occupations=tuple(occupations), capped=tuple(capped),
        cap_units={g: int(v * UNIT) for g, (v, _) in rs.caps.items()},
        extensions=tuple(extensions), abroad=abroad, contract_index=contract_index,
        contract_start=s0, full_quarter_units=cnt.full_quarter_days * UNIT,
        full_month_units=cnt.full_month_days * UNIT, quarter_cap_units=cnt.quarter_cap * UNIT,
        line_treatment=tuple(line_treatment), event_treatment=tuple(event_treatment),
        full_periods=_full_periods(cnt),
    )


def _full_periods(cnt) -> dict:
    """Each registered crediting reading applied to the rule set's counting figures."""
    from art60kit.rules import behaviours

    out = {}
    for name in behaviours.names("crediting"):
        r = behaviours.get("crediting", name).fn(cnt)
        out[name] = (r.period, r.days * UNIT)
    return out


def read_contract(case: Case, rs: RuleSet, crediting: str) -> Case:
    """The case with its contract as crediting reading ``crediting`` reads it.

    Under a reading whose ``contract_week`` is ``mon_sat`` (rules.behaviours), a
    full-time contract is read as a regime of six days (Monday to Saturday, 6/6 × Q/S a
    day) and a part-time contract as a regime of seven (every calendar day,
    6/7 × Q/S): ONEM's counting of a quarter not yet declared. Other readings return
    the case unchanged. The contract's events and planned end are kept.
    """
    from dataclasses import replace

    from art60kit.rules import behaviours

    if behaviours.get("crediting", crediting).fn(rs.counting).contract_week != "mon_sat":
        return case
    c = case.contract
    return replace(case, contract=replace(c, days_per_week=6.0 if c.full_time else 7.0))


# ---------------------------------------------------------------------------- holidays

@lru_cache(maxsize=16)
def _holiday_ordinals(mask: int) -> tuple[int, ...]:
    """Ordinals of Belgian public holidays 1950-2100 falling on a pattern day of ``mask``."""
    return tuple(o for o in holiday_ordinals() if mask >> ((o - 1) % 7) & 1)


def _holidays_in(a: int, b: int, mask: int) -> int:
    h = _holiday_ordinals(mask)
    return bisect.bisect_right(h, b) - bisect.bisect_left(h, a)


# ---------------------------------------------------------------------------- credits

def round_units(num: int, den: int, rounding: str) -> int:
    """``num/den`` units kept to whole units (4 decimals of a day): half up for ONEM,
    truncated for the exact option.

    >>> round_units(235263157, 10000, "onem"), round_units(5, 10, "onem"), round_units(5, 10, "exact")
    (23526, 1, 0)
    """
    if rounding == "onem":
        return (2 * num + den) // (2 * den)
    return num // den


def _covered(occ: Occupation, qa: int, qb: int) -> bool:
    """Whether every pattern day of [qa, qb] that is not a public holiday is covered by
    a covering piece of the occupation."""
    need = count_pattern_ordinals(qa, qb, occ.mask) - _holidays_in(qa, qb, occ.mask)
    have = 0
    for p in occ.pieces:
        if not p.covers or p.b < qa or p.a > qb:
            continue
        a, b = max(p.a, qa), min(p.b, qb)
        have += count_pattern_ordinals(a, b, occ.mask) - _holidays_in(a, b, occ.mask)
    return have >= need


def _period_info(ledger: Ledger, oi: int, pa: int, pb: int) -> tuple[int, bool]:
    """Pattern days of occupation ``oi`` in the whole period ``[pa, pb]`` and whether
    the period is fully covered; independent of the window, so cached on the ledger."""
    key = (oi, pa, pb)
    hit = ledger.period_cache.get(key)
    if hit is None:
        occ = ledger.occupations[oi]
        n = 0
        for p in occ.pieces:
            if p.b < pa or p.a > pb:
                continue
            n += count_pattern_ordinals(max(p.a, pa), min(p.b, pb), p.mask)
        hit = ledger.period_cache[key] = (n, occ.full_time and n > 0 and _covered(occ, pa, pb))
    return hit


@lru_cache(maxsize=65536)
def _periods(a: int, b: int, period: str) -> tuple[tuple[int, int], ...]:
    """The calendar quarters (or months) meeting ``[a, b]``."""
    return tuple(quarters_ordinals(a, b) if period == "quarter" else months_ordinals(a, b))


def window_credit(ledger: Ledger, a: int, b: int, crediting: str = "quarter78",
                  rounding: str = "onem", detail: bool = False,
                  abroad_ok: Optional[frozenset] = None, only_contract: bool = False) -> WindowCredit:
    """Days credited in ``[a, b]`` (ordinals), in units (see module docstring).

    ``abroad_ok``: occupation indexes of foreign work whose follow-up condition holds;
    foreign work not in it credits nothing. ``only_contract``: count the contract and
    its events only.
    """
    if b < a:
        return WindowCredit(0)
    period, full_units = ledger.full_periods[crediting]
    periods = _periods(a, b, period)
    quarterly = period == "quarter"
    total = 0
    occ_out = []
    # per quarter: float estimate (for the quarter cap) and the exact terms, summed only if needed
    q_est: dict[int, float] = {}
    q_terms: dict[int, list] = {}
    contract_units = 0
    abroad_idx = ledger.abroad_occupations
    for oi, occ in enumerate(ledger.occupations):
        if oi in abroad_idx and (abroad_ok is None or oi not in abroad_ok):
            continue
        if only_contract and oi != ledger.contract_index:
            continue
        oa = max(a, occ.first)
        ob = min(b, occ.last)
        if ob < oa:
            continue
        n_days = 0
        n_full = 0
        rate_units = occ.rate_units
        for pa, pb in periods:
            if pb < oa or pa > ob:
                continue
            if pa >= a and pb <= b:
                n, full = _period_info(ledger, oi, pa, pb)
                if full:
                    n_full += 1
                    v, term = full_units, None
                else:
                    n_days += n
                    v, term = n * rate_units, n
            else:
                sa, sb = max(pa, oa), min(pb, ob)
                n = 0
                for p in occ.pieces:
                    if p.b < sa or p.a > sb:
                        continue
                    n += count_pattern_ordinals(max(p.a, sa), min(p.b, sb), p.mask)
                n_days += n
                v, term = n * rate_units, n
            if v:
                qk = pa if quarterly else _quarter_key(pa)
                q_est[qk] = q_est.get(qk, 0.0) + v
                q_terms.setdefault(qk, []).append((oi, term))
        if n_days == 0 and n_full == 0:
            continue
        units = n_full * full_units + round_units(n_days * occ.num * UNIT, occ.den, rounding)
        total += units
        if oi == ledger.contract_index:
            contract_units = units
        if detail:
            occ_out.append(OccupationCredit(occ.key, units, n_days, n_full,
                                            n_full * full_units + Fraction(n_days * occ.num * UNIT, occ.den)))
    capped_units = 0
    q_extra: dict[int, Fraction] = {}
    if ledger.capped:
        # per cap group and calendar year: the raw credit of each quarter, in order
        raw: dict[tuple[str, int], dict[int, Fraction]] = {}
        for cp in ledger.capped:
            if cp.b < a or cp.a > b or (only_contract and cp.line >= 0):
                continue
            sa, sb = max(a, cp.a), min(b, cp.b)
            for qa, qb in quarters_ordinals(sa, sb):
                n = count_pattern_ordinals(max(sa, qa), min(sb, qb), cp.mask)
                if n:
                    key = (cp.group, date.fromordinal(qa).year)
                    raw.setdefault(key, {})
                    raw[key][qa] = raw[key].get(qa, 0) + n * cp.rate * UNIT
        for (g, _), quarters in raw.items():
            v = sum(quarters.values(), Fraction(0))
            capped_units += min(ledger.cap_units[g], round_units(v.numerator, v.denominator, rounding))
            # the allowance sits inside the quarter cap (schéma 2A: part of result 2,
            # limited at step 5): allocate it to quarters in date order for that test
            left = Fraction(ledger.cap_units[g])
            for qa in sorted(quarters):
                take = min(quarters[qa], left)
                left -= take
                if take:
                    q_extra[qa] = q_extra.get(qa, 0) + take
        total += capped_units
    excess = 0
    cap = ledger.quarter_cap_units
    for qk in set(q_est) | set(q_extra):
        extra = q_extra.get(qk, 0)
        if q_est.get(qk, 0.0) + float(extra) > cap - 1:  # close to or over the cap: decide exactly
            v = sum((Fraction(full_units) if n is None else Fraction(n * ledger.occupations[oi].num * UNIT,
                                                                     ledger.occupations[oi].den))
                    for oi, n in q_terms.get(qk, ())) + extra
            if v > cap:
                excess += round_units((v - cap).numerator, (v - cap).denominator, "onem")
    total -= excess
    return WindowCredit(total, tuple(occ_out), capped_units, excess, contract_units)


@lru_cache(maxsize=4096)
def _quarter_key(month_start_ord: int) -> int:
    d = date.fromordinal(month_start_ord)
    return date(d.year, (d.month - 1) // 3 * 3 + 1, 1).toordinal()


def contract_credit(ledger: Ledger, end: int, crediting: str = "quarter78", rounding: str = "onem",
                    detail: bool = False) -> WindowCredit:
    """The contract's own credit from its start to ``end`` (an ordinal): days to work.

    Counted as inside a window that began before the contract, so that a quarter the
    contract covers completely counts in full even when the contract starts after a public
    holiday on the quarter's first working day (as it does in the window)."""
    return window_credit(ledger, ledger.contract_start - CONTRACT_LEAD_DAYS, end, crediting, rounding,
                         detail=detail, only_contract=True)


# ---------------------------------------------------------------------------- bounds

def contract_daily_units(ledger: Ledger):
    """Cumulative upper bound of credit that days from the contract start can add:
    element k is the credit (units, rounded up) of every occupation's pattern days in
    [contract start, contract start + k - 1], plus capped pieces. Used by the planner to
    skip days safely (a lower bound on when the missing days can be reached)."""
    return _cumulative_units(ledger)


@lru_cache(maxsize=512)
def _cumulative_units(ledger: Ledger):
    import numpy as np

    s0 = ledger.contract_start
    n = HORIZON_DAYS + 2
    acc = np.zeros(n + 1, dtype=np.float64)
    wd0 = (s0 - 1) % 7

    def add(a: int, b: int, mask: int, rate: Fraction):
        lo, hi = max(a, s0) - s0, min(b, s0 + n - 1) - s0
        if hi < lo:
            return
        per = math.ceil(float(rate) * UNIT) + 1
        idx = np.arange(lo, hi + 1)
        wd = (idx + wd0) % 7
        on = ((mask >> wd) & 1).astype(bool)
        acc[1 + idx[on]] += per

    for occ in ledger.occupations:
        for p in occ.pieces:
            if p.rate:
                add(p.a, p.b, p.mask, p.rate)
    for cp in ledger.capped:
        add(cp.a, cp.b, cp.mask, cp.rate)
    return np.cumsum(acc).astype(np.int64)



# ---------------------------------------------------------------------------- window

def merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of days ``(a, b)`` merged into maximal spans of consecutive days, in date
    order: overlapping or touching spans become one.

    >>> merged_spans([(10, 20), (1, 3), (15, 30), (4, 5), (32, 32)])
    [(1, 5), (10, 30), (32, 32)]
    """
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _union_days(spans: list[tuple[int, int]]) -> int:
    return sum(b - a + 1 for a, b in merged_spans(spans))


def _ymd_shift(base: int, spans: list[tuple[int, int]]) -> int:
    """The start ``base`` moved back by each merged span's years, months and days,
    the latest span first (``extension_shift=ymd``)."""
    start = date.fromordinal(base)
    for a, b in reversed(merged_spans(spans)):
        start -= relativedelta(date.fromordinal(b) + timedelta(days=1), date.fromordinal(a))
    return start.toordinal()


def reference_window(request: int, months: int, extensions: tuple[Extension, ...],
                     month_end: str = "clip", shift: str = "days"):
    """The (extended) window of ``months`` months before request day ``request``
    (an ordinal). ``extensions`` are the ledger's extending periods."""
    d = date.fromordinal(request)
    base, adjusted = minus_months(d, months, "next_day" if month_end == "next_day" else "clip")
    base_o = base.toordinal()
    end = request - 1
    start = base_o
    used: list[Extension] = []
    pending = [e for e in extensions if e.qualifies and e.a <= end]
    changed = True
    while changed and pending:
        changed = False
        # latest first: a period closer to the request qualifies first
        for e in sorted(pending, key=lambda e: -e.b):
            if e.b >= start:
                used.append(e)
                pending.remove(e)
                changed = True
                # days after the request have not happened: a period still running
                # on the request date extends by its days up to the day before
                spans = [(u.a, min(u.b, end)) for u in used]
                start = _ymd_shift(base_o, spans) if shift == "ymd" else base_o - _union_days(spans)
                break  # re-scan from the latest with the new start
    return Window(start, end, base_o, months, tuple(used), adjusted)


# ---------------------------------------------------------------------------- verdict

def abroad_ok(case: Case, ledger, request: int, crediting: str, rounding: str) -> frozenset:
    """Foreign work lines whose follow-up condition (enough Belgian work after them,
    before the request) holds at ``request``."""
    if not ledger.abroad:
        return frozenset()
    ok = set()
    for ab in ledger.abroad:
        wc = window_credit(ledger, ab.end + 1, request - 1, crediting, rounding, abroad_ok=frozenset())
        if wc.units >= ab.needed_units:
            ok.add(ab.occupation)
    return frozenset(ok)


def evaluate(case: Case, request: date, book: RuleBook, options: Options) -> Verdict:
    """The verdict at ``request`` (no validation of the case; see :func:`check`)."""
    rs = book.for_date(request)
    # the contract as the crediting reading reads it (the verdict keeps the case as given)
    ledger = build_ledger(read_contract(case, rs, options.crediting), rs)
    D = request.toordinal()
    age = age_on(case.person.birth_date, request)
    cat = rs.category(age) if rs.age_categories else None
    conds = rs.conditions_for(cat)
    ab = abroad_ok(case, ledger, D, options.crediting, options.rounding)
    cstart = career_start(case, rs)
    results = []
    windows: dict[int, Window] = {}
    credits: dict[tuple[int, int], int] = {}  # conditions of the same length share a window
    for c in conds:
        w = windows.get(c.months)
        if w is None:
            w = windows[c.months] = reference_window(D, c.months, ledger.extensions,
                                                     options.month_end, options.extension_shift)
        count_from = w.start
        if rs.new_days_rule and case.person.prior_admission:
            count_from = max(count_from, case.person.prior_admission.toordinal())
        units = credits.get((count_from, w.end))
        if units is None:
            units = credits[(count_from, w.end)] = window_credit(
                ledger, count_from, w.end, options.crediting, options.rounding, abroad_ok=ab).units
        counted = counted_days(units, options.rounding)
        min_required = c.days
        past_start = past_end = None
        past_units = past_counted = 0
        past_required = working_days = None
        if c.uses_past:
            past_end = w.start - 1
            past_start = add_years(date.fromordinal(w.start), -c.past_years).toordinal()
            pc = window_credit(ledger, past_start, past_end, options.crediting, options.rounding, abroad_ok=ab)
            past_units, past_counted = pc.units, counted_days(pc.units, options.rounding)
            past_required = c.past_days
            if c.late_start is not None:
                late = c.late_start.required(c.past_days, cstart, past_start, past_end)
                if late is not None:
                    past_required, working_days = late
        # the condition's registered kind decides (rules.behaviours, family "condition")
        required, satisfied, reachable = c.decide(counted, past_counted, past_required)
        results.append(ConditionResult(c, w, count_from, units, counted, required, min_required,
                                       satisfied, past_start, past_end, past_units, past_counted, reachable,
                                       past_required, cstart if working_days is not None else None,
                                       working_days))
    return Verdict(case, request, rs, age, cat, tuple(results), options, ledger=ledger)

