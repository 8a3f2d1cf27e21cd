"""The reference engine: slow, obviously correct, one day at a time.

This is the oracle the fast paths are tested against (the per-case planner's skipping
search and kernels, the batch engine). It is a deliberately separate implementation of
the rules' *semantics* as documented in :mod:`art60kit.credit`, :mod:`art60kit.window`,
:mod:`art60kit.admissibility` and :mod:`art60kit.planner`: it shares the rule data and
the validated case, and nothing else. Every figure is built from individual calendar
days held in sets and dictionaries, with exact fractions, and the planner tries every
request date from the contract start, one by one.

Use it for tests and for small cases only: it takes seconds per case.
"""
from __future__ import annotations

import calendar as _stdcal
import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Optional

import holidays as _holidays

from .model import Case, Options
from .rules import RuleBook, RuleSet, default_rulebook

DAY = timedelta(days=1)
HORIZON_DAYS = 366 * 5  # the oracle is for tests: contracts of up to five years


def _months_back(d: date, n: int, month_end: str) -> date:
    y, m = d.year, d.month - n
    while m <= 0:
        y, m = y - 1, m + 12
    last = _stdcal.monthrange(y, m)[1]
    if d.day <= last:
        return date(y, m, d.day)
    if month_end == "next_day":
        return date(y, m, last) + DAY
    return date(y, m, last)


def _years_later(d: date, n: int) -> date:
    y = d.year + n
    if d.month == 2 and d.day == 29 and not _stdcal.isleap(y):
        return date(y, 2, 28)
    return date(y, d.month, d.day)


def _months_later(d: date, n: int) -> date:
    y, m = d.year, d.month + n
    while m > 12:
        y, m = y + 1, m - 12
    return date(y, m, min(d.day, _stdcal.monthrange(y, m)[1]))


def _age(birth: date, on: date) -> int:
    age = on.year - birth.year
    bd = _years_later(birth, age)
    return age if on >= bd else age - 1


def _worked_weekdays(r: float) -> set[int]:
    return set(range(min(7, max(1, math.ceil(r - 1e-9)))))


def _days(a: date, b: date):
    d = a
    while d <= b:
        yield d
        d += DAY


_HOL: dict[int, set] = {}


def _is_holiday(d: date) -> bool:
    if d.year not in _HOL:
        _HOL[d.year] = set(_holidays.BE(years=d.year).keys())
    return d in _HOL[d.year]


# the calendar period of a day, asked for every credited day of every credit: each day
# is worked out once per process
@lru_cache(maxsize=None)
def _quarter(d: date) -> tuple[date, date]:
    m0 = (d.month - 1) // 3 * 3 + 1
    first = date(d.year, m0, 1)
    return first, _months_later(first, 3) - DAY


@lru_cache(maxsize=None)
def _month(d: date) -> tuple[date, date]:
    first = date(d.year, d.month, 1)
    return first, date(d.year, d.month, _stdcal.monthrange(d.year, d.month)[1])


def _f(x) -> Fraction:
    return Fraction(str(x))


def _round4(x: Fraction, rounding: str) -> Fraction:
    scaled = x * 10000
    if rounding == "onem":
        return Fraction(math.floor(scaled + Fraction(1, 2)), 10000)
    return Fraction(math.floor(scaled), 10000)


@dataclass
class _Occ:
    key: tuple
    full_time: bool
    weekdays: set
    days: dict  # date -> (rate, covers)
    #: the calendar days of its lines given by a total of a kind the quarter-edge rule
    #: names (work that cannot be placed in time); empty for every other occupation
    total_cover: set = None


@dataclass
class _Ext:
    kind: str
    a: date
    b: date  # capped
    ok: bool


def _extension(kind, a, b, rule, child_birth) -> _Ext:
    """An extending period after its caps. Inactivity to raise a child (a kind limited
    by the child's age) exists only once the child is born: the days entered before
    the birth are dropped, and the period is measured from the birth."""
    if rule.until_child_age and child_birth and child_birth > a:
        if child_birth > b:
            return _Ext(kind, a, b, False)
        a = child_birth
    end = b
    if rule.until_child_age:
        ref = child_birth if child_birth else a
        end = min(end, _years_later(ref, rule.until_child_age) - DAY)
    if rule.max_years:
        end = min(end, _years_later(a, rule.max_years) - DAY)
    if end < a:
        return _Ext(kind, a, b, False)
    if rule.min_months and end < _months_later(a, rule.min_months) - DAY:
        return _Ext(kind, a, end, False)
    return _Ext(kind, a, end, True)


def _extends_at_all(line, case: Case, rs: RuleSet) -> bool:
    """The kind's extension condition for a career line, read plainly. Detention from
    1 March 2026 (``during_work_or_unemployment``): the situation the case states, else
    employed when a counted or assimilated line holds its first day or the day before;
    a case that cannot tell is read as not extending (the planner's main reading)."""
    rule = rs.kind(line.kind)
    if rule.only_if is None:
        return True
    if rule.only_if == "during_work_or_unemployment":
        if line.situation is not None:
            return line.situation in ("employment", "full_unemployment")
        days = {line.start, line.start - DAY}
        for other in case.career:
            if other is line or rs.kind(other.kind).treatment not in ("counted", "assimilated", "assimilated_capped"):
                continue
            if any(other.start <= d <= other.end for d in days):
                return True
        return False
    raise ValueError(f"the reference engine has no reading of the extension condition {rule.only_if!r}")


class _Book:
    """The case laid out day by day under one rule set."""

    def __init__(self, case: Case, rs: RuleSet, mon_sat: bool = False):
        """``mon_sat``: ONEM's counting of a quarter not yet declared, for the contract
        (option crediting ``mon_sat``): full time, each calendar day Monday to
        Saturday counts one day; part time, each calendar day counts Q/7 x 6/S."""
        cnt = rs.counting
        self.rs = rs
        self.occs: dict[tuple, _Occ] = {}
        self.capped: list[tuple[str, dict]] = []  # (group, {date: rate})
        self.exts: list[_Ext] = []
        self.abroad: list[tuple[tuple, date, Fraction]] = []
        for i, line in enumerate(case.career):
            rule = rs.kind(line.kind)
            if rule.treatment == "extends":
                if _extends_at_all(line, case, rs):
                    self.exts.append(_extension(line.kind, line.start, line.end, rule, line.child_birth_date))
                continue
            if rule.treatment not in ("counted", "assimilated", "assimilated_capped"):
                continue
            r = _f(line.days_per_week if line.days_per_week is not None else cnt.default_days_per_week)
            s = _f(line.full_time_hours if line.full_time_hours is not None else cnt.default_full_time_hours)
            wd = _worked_weekdays(float(r))
            pattern = [d for d in _days(line.start, line.end) if d.weekday() in wd]
            if (line.hours is not None or line.days is not None) and not pattern:
                wd = set(range(7))
                pattern = list(_days(line.start, line.end))
            if line.hours is not None:
                rate = _f(line.hours) * 6 / s / len(pattern) if pattern else Fraction(0)
            elif line.days is not None:
                rate = _f(line.days) * 6 / r / len(pattern) if pattern else Fraction(0)
            else:
                # R days a week on average, on its first ceil(R) weekdays: 6/ceil(R) each
                q = _f(line.weekly_hours) if line.weekly_hours is not None else s
                rate = Fraction(6) / len(wd) * q / s
            if rule.treatment == "assimilated_capped":
                self.capped.append((rule.cap_group, {d: rate for d in pattern}))
                continue
            full_time = line.hours is None and line.days is None and (line.weekly_hours is None or _f(line.weekly_hours) >= s)
            # work known only by its total over the line's period (quarter-edge rule)
            total = (rs.quarter_edges is not None and line.kind in rs.quarter_edges.kinds
                     and (line.hours is not None or line.days is not None))
            if line.employer and line.kind != "work_abroad":
                key = ("emp", line.employer.strip().lower(), rate, frozenset(wd), full_time, total)
            else:
                key = ("line", i)
            occ = self.occs.setdefault(key, _Occ(key, full_time, wd, {}, set()))
            for d in pattern:
                occ.days[d] = (rate, True)
            if total:
                occ.total_cover.update(_days(line.start, line.end))
            if rule.requires_belgian_work_after:
                self.abroad.append((key, line.end, Fraction(str(rule.requires_belgian_work_after))))
        c = case.contract
        if mon_sat and c.full_time:
            wd, crate = set(range(6)), _f(c.q) / _f(c.full_time_hours)
        elif mon_sat:
            wd, crate = set(range(7)), _f(c.q) / 7 * 6 / _f(c.full_time_hours)
        else:
            wd = _worked_weekdays(c.days_per_week)
            crate = Fraction(6) / len(wd) * _f(c.q) / _f(c.full_time_hours)
        event_on = {}
        for ev in c.events:
            rule = rs.kind(ev.kind)
            for d in _days(ev.start, ev.end):
                event_on[d] = rule
            if rule.treatment == "extends":
                self.exts.append(_extension(ev.kind, ev.start, ev.end, rule, None))
        self.n_career_capped = len(self.capped)  # contract capped days come after
        cocc = _Occ(("contract",), c.full_time, wd, {}, set())
        ccap: dict[str, dict] = {}
        for d in _days(c.start, c.start + timedelta(days=HORIZON_DAYS)):
            if d.weekday() not in wd:
                continue
            rule = event_on.get(d)
            if rule is None or rule.treatment in ("counted", "assimilated"):
                cocc.days[d] = (crate, True)
            elif rule.treatment == "assimilated_capped":
                ccap.setdefault(rule.cap_group, {})[d] = crate
        self.occs[("contract",)] = cocc
        for g, days in ccap.items():
            self.capped.append((g, days))
        self._cov: dict = {}  # (occupation, period start) -> covered; a quarter inside the window is complete
        self.cap = {g: Fraction(str(v)) for g, (v, _) in rs.caps.items()}
        self.full_q = Fraction(cnt.full_quarter_days)
        self.full_m = Fraction(cnt.full_month_days)
        self.qcap = Fraction(cnt.quarter_cap)
        self.edges = rs.quarter_edges

    def _covered(self, occ: _Occ, a: date, b: date) -> bool:
        key = (occ.key, a)
        if key in self._cov:
            return self._cov[key]
        self._cov[key] = all(d.weekday() not in occ.weekdays or _is_holiday(d) or d in occ.days
                             for d in _days(a, b))
        return self._cov[key]

    def _deemed(self, occ: _Occ, a: date, b: date) -> set:
        """The days outside ``[a, b]`` that the quarter-edge rule deems inside it, for an
        occupation of work known by its total: walking back from the day before ``a``
        and on from the day after ``b``, day by day, while the occupation's lines cover
        a stretch of days holding ``a`` (or ``b``) and the quarter of ``a`` (of ``b``)
        goes on."""
        out = set()
        if not occ.total_cover:
            return out
        qa, _ = _quarter(a)
        if a in occ.total_cover:
            d = a - DAY
            while d >= qa and d in occ.total_cover:
                out.add(d)
                d -= DAY
        _, qb = _quarter(b)
        if b in occ.total_cover:
            d = b + DAY
            while d <= qb and d in occ.total_cover:
                out.add(d)
                d += DAY
        return out

    def credit(self, a: date, b: date, opts: Options, abroad_ok: set, only_contract: bool = False,
               edges: bool = False) -> Fraction:
        """Days credited in [a, b], exact before the final rounding up. ``edges``: [a, b]
        is a reference period, where work known only by a quarter's total follows the
        quarter-edge rule (rule data ``quarter_edges``)."""
        if b < a:
            return Fraction(0)
        monthly = opts.crediting == "month26"
        period_of = _month if monthly else _quarter
        full = self.full_m if monthly else self.full_q
        total = Fraction(0)
        by_quarter: dict[date, Fraction] = {}
        abroad_keys = {k for k, _, _ in self.abroad}
        deem = edges and self.edges is not None
        start_q, start_q_end = _quarter(a)
        in_start_q = Fraction(0)  # what the lines known by their total credit for a's quarter
        for key, occ in self.occs.items():
            if only_contract and key != ("contract",):
                continue
            if key in abroad_keys and key not in abroad_ok:
                continue
            extra = self._deemed(occ, a, b) if deem else set()
            per_period: dict[date, Fraction] = {}
            for d, (rate, _) in occ.days.items():
                if a <= d <= b or d in extra:
                    pa, _ = period_of(d)
                    per_period[pa] = per_period.get(pa, 0) + rate
            occ_total = Fraction(0)
            for pa, v in per_period.items():
                _, pb = period_of(pa)
                if occ.full_time and pa >= a and pb <= b and self._covered(occ, pa, pb):
                    v = full
                occ_total += v
                qa, _ = _quarter(pa)
                by_quarter[qa] = by_quarter.get(qa, 0) + v
                if deem and occ.total_cover and qa == start_q:
                    in_start_q += v
            total += _round4(occ_total, opts.rounding)
        if deem and a > start_q:
            # the start quarter: at most its days Monday to Saturday from a on
            most = sum(1 for d in _days(a, start_q_end) if d.weekday() < self.edges.week_days)
            if in_start_q > most:
                total -= _round4(in_start_q - most, "onem")
                by_quarter[start_q] -= in_start_q - most
        capped, allocated = self._capped(a, b, opts, only_contract)
        for qa, v in allocated.items():
            by_quarter[qa] = by_quarter.get(qa, 0) + v
        for v in by_quarter.values():
            if v > self.qcap:
                total -= _round4(v - self.qcap, "onem")
        return total + capped

    def _capped(self, a: date, b: date, opts: Options, only_contract: bool):
        """The capped allowance (12 days a calendar year) and, for the quarter cap, how
        much of it each quarter holds when the days are taken in date order."""
        per_year: dict[tuple, list] = {}
        for idx, (g, days) in enumerate(self.capped):
            if only_contract and idx < self.n_career_capped:
                continue
            for d, rate in days.items():
                if a <= d <= b:
                    per_year.setdefault((g, d.year), []).append((d, rate))
        total = Fraction(0)
        allocated: dict[date, Fraction] = {}
        for (g, _), items in per_year.items():
            total += min(self.cap[g], _round4(sum((r for _, r in items), Fraction(0)), opts.rounding))
            left = self.cap[g]
            for d, rate in sorted(items):
                take = min(rate, left)
                left -= take
                if take:
                    qa, _ = _quarter(d)
                    allocated[qa] = allocated.get(qa, 0) + take
        return total, allocated



# ---------------------------------------------------------------------------- lines the law adds
# Student hours beyond the yearly quota and public holidays paid after a job ends, read
# plainly from the rule data, one calendar day at a time (the fast paths read them from
# art60kit.derived_lines; this is the second reading).

def _law_data(book: RuleBook, key: str):
    for rs in book.rule_sets:
        if rs.raw.get(key):
            return rs.raw[key]
    return None


def _quota_of(raw, year: int, reading: str):
    hours = None
    for e in raw["years"]:
        if e["from"] <= year:
            hours = e["kept"] if reading == "kept" and "kept" in e else e["hours"]
    return hours


def _worked_days(line, default_r) -> list[date]:
    r = line.days_per_week if line.days_per_week is not None else default_r
    wd = _worked_weekdays(float(r))
    days = [d for d in _days(line.start, line.end) if d.weekday() in wd]
    if not days and (line.hours is not None or line.days is not None):
        days = list(_days(line.start, line.end))
    return days


def _student_extra(case: Case, raw, reading: str, default_r) -> list:
    from .model import CareerLine

    students = [(i, l) for i, l in enumerate(case.career)
                if l.kind == "student_contract" and l.hours is not None and l.hours > 0]
    # on a shared day: the line that started first, then ended first, then by its figures
    students.sort(key=lambda x: (x[1].start, x[1].end, x[1].employer or "", float(x[1].hours),
                                 float(x[1].full_time_hours or 0), float(x[1].days_per_week or 0)))
    if not students:
        return []
    worked = {i: set(_worked_days(l, default_r)) for i, l in students}
    per_day = {i: _f(l.hours) / len(worked[i]) for i, l in students if worked[i]}
    extra = []
    first_year = min(l.start.year for _, l in students)
    last_year = max(l.end.year for _, l in students)
    for y in range(first_year, last_year + 1):
        quota = _quota_of(raw, y, reading)
        if quota is None:
            continue
        left = Fraction(quota)
        beyond = {i: Fraction(0) for i, _ in students}
        first = {}
        for d in _days(date(y, 1, 1), date(y, 12, 31)):
            for i, l in students:
                if d not in worked[i]:
                    continue
                h = per_day[i]
                over = h - min(h, left)
                left = max(Fraction(0), left - h)
                if over > 0:
                    beyond[i] += over
                    first.setdefault(i, d)
        for i, l in students:
            if beyond[i] > 0:
                extra.append(CareerLine(kind="work", start=first[i], end=min(l.end, date(y, 12, 31)),
                                        employer=l.employer, days_per_week=l.days_per_week,
                                        full_time_hours=l.full_time_hours, hours=beyond[i]))
    return extra


def _holiday_extra(case: Case, raw, default_r) -> list:
    from .model import CareerLine

    employed_kinds = {"work", "work_abroad", "student_contract", "apprenticeship", "not_covered_work"}
    extra = []
    for i, l in enumerate(case.career):
        if l.kind != "work" or l.end_reason not in raw["end_reasons"]:
            continue
        service = (l.end - l.start).days + 1
        after = 0
        for p in raw["periods"]:
            months = p.get("more_than_months")
            if service >= p["min_service_days"] and (not months or l.end >= _months_later(l.start, months)):
                after = max(after, p["days_after"])
        worked = _worked_days(l, default_r)
        if not after or not worked:
            continue
        r = l.days_per_week if l.days_per_week is not None else default_r
        regime = _worked_weekdays(float(r))
        if any(d.weekday() in regime for d in _days(l.start, l.end)):
            weekdays = regime
        else:
            weekdays = set(range(7))
        for d in _days(l.end + DAY, l.end + timedelta(days=after)):
            if not _is_holiday(d) or d.weekday() not in weekdays or d >= case.contract.start:
                continue
            if any(j != i and o.kind in employed_kinds and o.start <= d <= o.end for j, o in enumerate(case.career)):
                continue
            n = len(worked)
            extra.append(CareerLine(kind="paid_holiday", start=d, end=d, employer=l.employer,
                                    days_per_week=l.days_per_week, weekly_hours=l.weekly_hours,
                                    full_time_hours=l.full_time_hours,
                                    hours=_f(l.hours) / n if l.hours is not None else None,
                                    days=_f(l.days) / n if l.days is not None else None))
    return extra


def _with_law_lines(case: Case, book: RuleBook, opts: Options) -> Case:
    """The case with the lines the law adds, computed here day by day."""
    from dataclasses import replace

    default_r = book.rule_sets[-1].counting.default_days_per_week
    extra = []
    sq = _law_data(book, "student_quota")
    if sq is not None:
        extra += _student_extra(case, sq, opts.student_quota, default_r)
    hp = _law_data(book, "holidays_after_end")
    if hp is not None and opts.holidays_after_end == "assimilated":
        extra += _holiday_extra(case, hp, default_r)
    return replace(case, career=case.career + tuple(extra)) if extra else case


def _book(case: Case, rs: RuleSet, cache: dict, opts: Options) -> _Book:
    key = (rs.id, opts.crediting == "mon_sat")
    if key not in cache:
        cache[key] = _Book(case, rs, mon_sat=key[1])
    return cache[key]


def _window(D: date, months: int, exts: list[_Ext], opts: Options) -> tuple[date, date]:
    """The extended window, read plainly: the qualifying periods' days (up to the day
    before ``D``) are collected in a set, so a day of two periods extends once. Under
    ``extension_shift=ymd`` the set is cut into runs of consecutive days and the start
    moves back by each run's years, months and days, the latest run first."""
    base = _months_back(D, months, "next_day" if opts.month_end == "next_day" else "clip")
    end = D - DAY
    used: list[int] = []
    start = base
    while True:
        cands = [i for i, e in enumerate(exts) if e.ok and i not in used and e.a <= end and e.b >= start]
        if not cands:
            return start, end
        used.append(max(cands, key=lambda i: exts[i].b))
        days = set()
        for i in used:
            for d in _days(exts[i].a, min(exts[i].b, end)):
                days.add(d)
        if opts.extension_shift != "ymd":
            start = base - timedelta(days=len(days))
            continue
        start = base
        run_end = None
        for d in sorted(days, reverse=True):
            if run_end is None:
                run_end = run_start = d
            elif d == run_start - DAY:
                run_start = d
            else:
                start = _back_ymd(start, run_start, run_end)
                run_end = run_start = d
        start = _back_ymd(start, run_start, run_end)


def _back_ymd(start: date, a: date, last: date) -> date:
    """``start`` moved back by the years, months and days of ``[a, last]``, as
    relativedelta reads them."""
    from dateutil.relativedelta import relativedelta

    rd = relativedelta(last + DAY, a)
    y, m = start.year - rd.years, start.month - rd.months
    while m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, min(start.day, _stdcal.monthrange(y, m)[1])) - timedelta(days=rd.days)


@dataclass(frozen=True)
class ReferenceVerdict:
    admissible: bool
    rules: str
    category: Optional[str]
    condition: str  # the condition that holds, or the closest
    required: int
    counted: int
    window_start: date


def reference_check(case: Case, D: date, book: Optional[RuleBook] = None,
                    options: Optional[Options] = None, _cache: Optional[dict] = None) -> ReferenceVerdict:
    book = book or default_rulebook()
    opts = options or case.options
    rs = book.for_date(D)
    cache = {} if _cache is None else _cache
    if "case" not in cache:
        cache["case"] = _with_law_lines(case, book, opts)
    case = cache["case"]
    bk = _book(case, rs, cache, opts)
    age = _age(case.person.birth_date, D)
    cat = rs.category(age) if rs.age_categories else None
    abroad_ok = set()
    for key, end, need in bk.abroad:
        if bk.credit(end + DAY, D - DAY, opts, set()) >= need:
            abroad_ok.add(key)
    best = None
    for c in rs.conditions:
        if c.categories is not None and cat not in c.categories:
            continue
        ws, we = _window(D, c.months, bk.exts, opts)
        frm = ws
        if rs.new_days_rule and case.person.prior_admission and case.person.prior_admission > frm:
            frm = case.person.prior_admission
        exact = bk.credit(frm, we, opts, abroad_ok, edges=True)
        counted = math.ceil(exact) if opts.rounding == "onem" else math.floor(exact)
        required = c.days
        reachable = True
        if c.uses_past:
            ps = _years_later(ws, -c.past_years)
            pe = bk.credit(ps, ws - DAY, opts, abroad_ok)
            past = math.ceil(pe) if opts.rounding == "onem" else math.floor(pe)
            if c.past_days is not None:
                need = c.past_days
                late = c.late_start
                if late is not None:
                    # a working life that began inside the 10 years: a share of its working
                    # days up to their end, counted one by one
                    first = min([l.start for l in case.career
                                 if rs.kind(l.kind).treatment in ("counted", "assimilated", "assimilated_capped")]
                                + [case.contract.start])
                    if ps <= first <= ws - DAY:
                        n = sum(1 for d in _days(first, ws - DAY) if d.weekday() < late.week_days)
                        need = min(need, math.ceil(Fraction(n * late.numerator, late.denominator)))
                reachable = past >= need
                ok = reachable and counted >= c.days
            else:
                required = max(c.days, c.eight_for_one_target - past // c.eight_for_one_ratio)
                ok = counted >= required
        else:
            ok = counted >= c.days
        v = ReferenceVerdict(ok, rs.id, cat, c.id, required, counted, ws)
        if ok:
            return v
        rank = (not reachable, max(0, required - counted))
        if best is None or rank < best[0]:
            best = (rank, v)
    return best[1]


@dataclass(frozen=True)
class ReferencePlan:
    end_date: Optional[date]
    request_date: Optional[date]
    days_to_work: int
    already_admissible: bool
    verdict: ReferenceVerdict


def reference_plan(case: Case, book: Optional[RuleBook] = None, options: Optional[Options] = None,
                   horizon_days: int = HORIZON_DAYS) -> ReferencePlan:
    """Try every request date from the contract start; the first admissible one wins."""
    book = book or default_rulebook()
    opts = options or case.options
    cache: dict = {"case": _with_law_lines(case, book, opts)}
    case = cache["case"]
    S = case.contract.start
    for k in range(horizon_days + 1):
        D = S + timedelta(days=k)
        v = reference_check(case, D, book, opts, cache)
        if v.admissible:
            if k == 0:
                return ReferencePlan(None, D, 0, True, v)
            bk = _book(case, book.for_date(D), cache, opts)
            # as inside a window that began before the contract (credit.contract_credit)
            exact = bk.credit(S - timedelta(days=400), D - DAY, opts, set(), only_contract=True)
            days = math.ceil(exact) if opts.rounding == "onem" else math.floor(exact)
            return ReferencePlan(D - DAY, D, days, False, v)
    return ReferencePlan(None, None, 0, False, v)


@dataclass(frozen=True)
class ReferenceRight:
    limited: Optional[bool]  # None: the rules in force at the request do not limit the right
    end: Optional[date]
    past_days: int
    extra_months: int


def reference_right(case: Case, D: date, days_for_admission: int, book: Optional[RuleBook] = None,
                    options: Optional[Options] = None) -> ReferenceRight:
    """The right a request on ``D`` opens (art. 114), the plain way: every credited day of
    the career and the contract before ``D``; one more month for each further block of
    104 days, added one at a time up to the cap; the months walked one by one from ``D``
    and the right ending the day before."""
    book = book or default_rulebook()
    opts = options or case.options
    rs = book.for_date(D)
    br = rs.raw.get("benefit_right")
    if br is None:
        return ReferenceRight(None, None, 0, 0)
    case = _with_law_lines(case, book, opts)
    bk = _book(case, rs, {}, opts)
    abroad_ok = set()
    for key, end, need in bk.abroad:
        if bk.credit(end + DAY, D - DAY, opts, set()) >= need:
            abroad_ok.add(key)
    first = min([l.start for l in case.career] + [case.contract.start])
    exact = bk.credit(first, D - DAY, opts, abroad_ok)
    past = math.ceil(exact) if opts.rounding == "onem" else math.floor(exact)
    left = past - days_for_admission - int(case.person.days_used_for_extension or 0)
    extra = 0
    while left >= br["days_per_extra_month"] and extra < br["max_extra_months"]:
        left -= br["days_per_extra_month"]
        extra += 1
    p = case.person
    unlimited = p.right_exemption is not None
    a55 = br["age_55"]
    if not unlimited and _age(p.birth_date, D) >= a55["age"] and p.career_years is not None:
        need = None
        for step in a55["career_years"]:
            start = step["from"] if isinstance(step["from"], date) else date.fromisoformat(str(step["from"]))
            if D >= start:
                need = step["years"]
        unlimited = need is not None and p.career_years >= need
    if unlimited:
        return ReferenceRight(False, None, past, extra)
    # walk the months one by one; a day number missing from the last month is read as
    # for the window (the month's last day, or the next month's first day)
    y, m = D.year, D.month
    for _ in range(br["base_months"] + extra):
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    last = _stdcal.monthrange(y, m)[1]
    if D.day <= last:
        target = date(y, m, D.day)
    elif opts.month_end == "next_day":
        target = date(y, m, last) + DAY
    else:
        target = date(y, m, last)
    return ReferenceRight(True, target - DAY, past, extra)
