"""Career lines the law adds to a case, before any engine reads it.

Two rules change what a career line *is* rather than how a day of it is credited, so
they are written once, here, as a derivation of the validated case that every engine
consumes (the per-case planner and its explanation, the population engine through the
planner); the day-by-day reference engine (:mod:`art60kit.reference`) reads the same
rule data its own way.

**Student hours beyond the yearly quota.** Hours worked under a student contract carry
only the solidarity contribution up to the calendar year's quota (rule data
``student_quota``: 475 hours a year from 2017, 600 in 2023 and 2024, 475 from 2025 or
600 under the option ``student_quota=kept``); those hours do not count (ONEM's
commentary on art. 37 of the royal decree of 25 November 1991). The hours worked after
the quota is used up carry ordinary contributions and count as work. Semantics:

- only a ``student_contract`` line with ``hours`` can pass the quota; its hours are
  spread evenly over its pattern days (the first R weekdays, or every day when the
  period has none), as the crediting spreads a total of hours;
- the quota of a year is used in date order by every student line of that year
  together; on a day two lines share, the line that started first (then ended first)
  takes it first, so the order of the case file does not matter;
- for each line and year with hours beyond the quota, one ``work`` line is **appended**
  to the career (the indexes of the lines of the case file do not change): from the
  day the quota is passed to the line's last day in that year, with the hours beyond
  the quota (an exact fraction when the hours do not divide evenly), the student line's
  employer, R and S; the student line itself stays and counts for nothing;
- years before the first year of the rule data (the quota was then counted in days)
  add nothing; a student line without hours adds nothing (a note says so).

**Public holidays paid after a job ends** (option ``holidays_after_end=assimilated``;
off by default because counting them is an inference). After a fixed-term contract
reaches its term or after a dismissal (``end_reason`` in the rule data's
``end_reasons``), the employer pays the public holidays falling within 14 days after
the end for 15 days to 1 month of service, within 30 days for more than 1 month (rule
data ``holidays_after_end``; royal decree of 18 April 1974, art. 14); they are "public
holidays paid by the employer" (art. 38, § 1, 2°). Semantics:

- the service is the line's own period, first to last day;
- a holiday counts when it falls on a pattern day of the line (the days the person
  usually worked) and nobody employs the person that day: no other line of a job
  (``work``, ``work_abroad``, ``student_contract``, ``apprenticeship``,
  ``not_covered_work``) covers it and the art. 60 contract has not started;
- each holiday is appended as a one-day ``paid_holiday`` line credited like the job's
  days (same employer, regime, Q/S; a total of hours or days is divided by the job's
  pattern days).

:func:`derive` is pure: given the same case, rule book and options it returns an equal
case. It re-derives from the case as read when given a derived case (so a plan under
another option derives again from the case file).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Optional

from .dates import _holidays_for_year, weekday_mask
from .errors import InputError, Problem
from .model import END_REASONS, Case, CareerLine, Options
from .rules import Ref, RuleBook, _ref

DAY = timedelta(days=1)
#: kinds of lines during which the person is employed (no holiday pay from a former employer)
EMPLOYED_KINDS = ("work", "work_abroad", "student_contract", "apprenticeship", "not_covered_work")


# ---------------------------------------------------------------------------- rule data

@dataclass(frozen=True)
class StudentQuota:
    """The yearly quota of student hours: ``years`` is ``(from_year, hours, kept)``
    ascending (``kept``: the hours under the reading ``student_quota=kept``, or None when
    the year has no other reading); ``doubts`` maps a ``from_year`` to its uncertain
    reference."""

    years: tuple[tuple[int, int, Optional[int]], ...]
    ref: Ref
    doubts: tuple[tuple[int, Ref], ...] = ()

    def _entry(self, year: int):
        hit = None
        for e in self.years:
            if e[0] <= year:
                hit = e
        return hit

    def hours(self, year: int, reading: str) -> Optional[int]:
        """The quota of ``year`` under ``reading`` (``reverted`` or ``kept``); None
        before the first year of the data (the quota was then counted in days)."""
        e = self._entry(year)
        if e is None:
            return None
        return e[2] if reading == "kept" and e[2] is not None else e[1]

    def doubt(self, year: int) -> Optional[Ref]:
        """The uncertain reference of ``year``'s quota, None when it is not in doubt."""
        e = self._entry(year)
        return dict(self.doubts).get(e[0]) if e is not None and e[2] is not None else None


@dataclass(frozen=True)
class HolidayPay:
    """Public holidays paid after a job ends: ``periods`` is ``(min_service_days,
    more_than_months, days_after)``."""

    end_reasons: tuple[str, ...]
    periods: tuple[tuple[int, int, int], ...]
    ref: Ref

    def days_after(self, start: date, end: date) -> int:
        """How many days after ``end`` the employer pays the public holidays of a job
        from ``start`` to ``end``: the longest period whose service condition holds,
        0 when none does. "More than N months": the job lasts past the day before the
        same date N months after its start (from 1 January, past 31 January)."""
        from dateutil.relativedelta import relativedelta

        service = (end - start).days + 1
        best = 0
        for min_days, months, after in self.periods:
            if service < min_days:
                continue
            if months and end < start + relativedelta(months=months):
                continue
            best = max(best, after)
        return best


@dataclass(frozen=True)
class LawData:
    student_quota: Optional[StudentQuota]
    holiday_pay: Optional[HolidayPay]


def check_rule_data(raw, where: str) -> list[Problem]:
    """The meaning of a rule set's ``student_quota`` and ``holidays_after_end`` (their
    shape is checked by :mod:`art60kit.rules.schema`)."""
    out = []
    sq = raw.get("student_quota")
    if sq:
        years = [e["from"] for e in sq["years"]]
        if years != sorted(set(years)):
            out.append(Problem(where, "student_quota.years", "years must be in increasing order, each once"))
        for i, e in enumerate(sq["years"]):
            if ("kept" in e) != ("doubt" in e):
                out.append(Problem(where, f"student_quota.years[{i}]",
                                   "a year with another reading (kept) needs its doubt, and only such a year"))
    hp = raw.get("holidays_after_end")
    if hp:
        for i, r in enumerate(hp["end_reasons"]):
            if r not in END_REASONS:
                out.append(Problem(where, f"holidays_after_end.end_reasons[{i}]",
                                   f"{r!r} is not one of: " + ", ".join(END_REASONS)))
    return out


def _parse(rs) -> tuple[Optional[StudentQuota], Optional[HolidayPay]]:
    where = f"{rs.id}"
    sq = hp = None
    raw = rs.raw.get("student_quota")
    if raw:
        sq = StudentQuota(
            tuple((e["from"], e["hours"], e.get("kept")) for e in raw["years"]),
            _ref(raw, f"{where}: student_quota"),
            tuple((e["from"], _ref(e["doubt"], f"{where}: student_quota")) for e in raw["years"] if "doubt" in e))
    raw = rs.raw.get("holidays_after_end")
    if raw:
        hp = HolidayPay(tuple(raw["end_reasons"]),
                        tuple((p["min_service_days"], p.get("more_than_months", 0), p["days_after"])
                              for p in raw["periods"]),
                        _ref(raw, f"{where}: holidays_after_end"))
    return sq, hp


@lru_cache(maxsize=32)
def law_data(book: RuleBook) -> LawData:
    """The book's ``student_quota`` and ``holidays_after_end``: written once, in the
    rule set(s) that carry them; two rule sets giving different values are refused."""
    found: dict = {"student_quota": [], "holidays_after_end": []}
    for rs in book.rule_sets:
        for key in found:
            if rs.raw.get(key):
                found[key].append(rs)
    problems = []
    for key, sets in found.items():
        if len({repr(rs.raw[key]) for rs in sets}) > 1:
            problems.append(Problem("<rules>", key, "given differently by rule sets "
                                    + ", ".join(rs.id for rs in sets) + ": it must be the same for every request"))
    if problems:
        raise InputError(problems)
    sq = _parse(found["student_quota"][0])[0] if found["student_quota"] else None
    hp = _parse(found["holidays_after_end"][0])[1] if found["holidays_after_end"] else None
    return LawData(sq, hp)


# ---------------------------------------------------------------------------- notes

@dataclass(frozen=True)
class StudentNote:
    """Student line ``line`` in ``year``: ``hours`` worked that year (None: the line
    gives no hours), ``quota`` of the year (None: before hours were counted),
    ``beyond`` hours worked after the quota was used up, from ``beyond_from``, appended
    as career line ``added`` (None when nothing is beyond); ``doubt``: the year's quota
    is uncertain (its reference)."""

    line: int
    year: int
    hours: Optional[Fraction]
    quota: Optional[int]
    beyond: Fraction = Fraction(0)
    beyond_from: Optional[date] = None
    added: Optional[int] = None
    doubt: Optional[Ref] = None


@dataclass(frozen=True)
class HolidayNote:
    """Work line ``line`` ended (``reason``) after ``service`` days: the public
    holidays within ``days_after`` days after its end that count (``holidays``,
    appended as lines ``added``) and those that do not (``skipped``: ``(day, why)``,
    ``why`` one of ``day_off``, ``employed``)."""

    line: int
    reason: str
    service: int
    days_after: int
    holidays: tuple[date, ...] = ()
    added: tuple[int, ...] = ()
    skipped: tuple[tuple[date, str], ...] = ()


@dataclass(frozen=True)
class Derivation:
    """What :func:`derive` did: the case as read, the options used, the notes."""

    original: Case
    options: Options
    student: tuple[StudentNote, ...] = ()
    holidays: tuple[HolidayNote, ...] = ()
    student_ref: Optional[Ref] = None
    holiday_ref: Optional[Ref] = None

    @property
    def added(self) -> int:
        return len(self.original_lines_added())

    def original_lines_added(self) -> tuple[int, ...]:
        return tuple(n.added for n in self.student if n.added is not None) + \
            tuple(i for n in self.holidays for i in n.added)


# ---------------------------------------------------------------------------- helpers

def _mask(line: CareerLine, default_r: float) -> int:
    """The line's weekdays (bit 0 = Monday): the first R weekdays from Monday; every
    day when a line measured in hours or days has none of them (a weekend-only line),
    as the crediting reads it."""
    r = line.days_per_week if line.days_per_week is not None else default_r
    mask = weekday_mask(r)
    if line.hours is not None or line.days is not None:
        span = min(7, (line.end - line.start).days + 1)
        if not any(mask >> (line.start + DAY * k).weekday() & 1 for k in range(span)):
            mask = 0b1111111
    return mask


def _pattern(line: CareerLine, default_r: float) -> list[date]:
    """The line's pattern days (:func:`_mask`), in date order."""
    mask = _mask(line, default_r)
    return [line.start + DAY * k for k in range((line.end - line.start).days + 1)
            if mask >> (line.start + DAY * k).weekday() & 1]


def _line_order(line: CareerLine) -> tuple:
    """Which student line takes the quota first on a day two of them share: the one
    that started (then ended) first; equal periods by employer and figures."""
    return (line.start, line.end, line.employer or "", float(line.hours or 0),
            float(line.full_time_hours or 0), float(line.days_per_week or 0))


def _exact(x: Fraction):
    """A whole or decimal-exact number as a float (what a case file holds), else the
    fraction itself (the crediting reads both exactly)."""
    f = float(x)
    return f if Fraction(str(f)) == x else x


# ---------------------------------------------------------------------------- rules

def _student(base: Case, sq: StudentQuota, reading: str, default_r: float, first_index: int):
    per_day: dict[int, dict[date, list]] = {}  # year -> day -> [(line, hours)]
    notes, added = [], []
    years_of: dict[int, set] = {}
    # on one day the quota goes to the lines in the order of their periods (then of
    # their figures): the result does not depend on the order of the case file
    order = sorted(range(len(base.career)), key=lambda i: _line_order(base.career[i]))
    for i in order:
        line = base.career[i]
        if line.kind != "student_contract":
            continue
        if line.hours is None:
            y = line.end.year
            if sq.hours(y, reading) is not None:
                notes.append(StudentNote(i, y, None, sq.hours(y, reading), doubt=sq.doubt(y)))
            continue
        days = _pattern(line, default_r)
        if not days or line.hours == 0:
            continue
        h = Fraction(str(line.hours)) / len(days)
        for d in days:
            per_day.setdefault(d.year, {}).setdefault(d, []).append((i, h))
            years_of.setdefault(i, set()).add(d.year)
    stats: dict[tuple[int, int], list] = {}  # (line, year) -> [hours, beyond, first day beyond]
    for y in sorted(per_day):
        quota = sq.hours(y, reading)
        used = Fraction(0)
        for d in sorted(per_day[y]):
            for i, h in per_day[y][d]:  # lines in the order of their periods
                s = stats.setdefault((i, y), [Fraction(0), Fraction(0), None])
                s[0] += h
                if quota is None:
                    continue
                within = min(h, max(Fraction(0), quota - used))
                used += h
                if h > within:
                    s[1] += h - within
                    if s[2] is None:
                        s[2] = d
    for (i, y) in sorted(stats):
        hours, beyond, first = stats[(i, y)]
        quota = sq.hours(y, reading)
        line = base.career[i]
        idx = None
        if beyond:
            idx = first_index + len(added)
            added.append(CareerLine(
                kind="work", start=first, end=min(line.end, date(y, 12, 31)), employer=line.employer,
                days_per_week=line.days_per_week, full_time_hours=line.full_time_hours, hours=_exact(beyond),
                source=line.source, source_ref=line.source_ref, derived_from=i))
        notes.append(StudentNote(i, y, hours, quota, beyond, first, idx, sq.doubt(y)))
    notes.sort(key=lambda n: (n.line, n.year))
    return tuple(notes), added


def _holidays(base: Case, hp: HolidayPay, default_r: float, first_index: int):
    notes, added = [], []
    for i, line in enumerate(base.career):
        if line.kind != "work" or line.end_reason not in hp.end_reasons:
            continue
        k = hp.days_after(line.start, line.end)
        if not k:
            continue
        pattern = _pattern(line, default_r)
        if not pattern:
            continue
        mask = _mask(line, default_r)
        a, b = line.end + DAY, line.end + DAY * k
        hol = sorted(d for y in range(a.year, b.year + 1) for d in _holidays_for_year(y, "fr") if a <= d <= b)
        kept, idx, skipped = [], [], []
        for d in hol:
            if not mask >> d.weekday() & 1:
                skipped.append((d, "day_off"))
                continue
            employed = d >= base.contract.start or any(
                j != i and o.kind in EMPLOYED_KINDS and o.start <= d <= o.end for j, o in enumerate(base.career))
            if employed:
                skipped.append((d, "employed"))
                continue
            n = len(pattern)
            one = CareerLine(
                kind="paid_holiday", start=d, end=d, employer=line.employer, days_per_week=line.days_per_week,
                weekly_hours=line.weekly_hours, full_time_hours=line.full_time_hours,
                hours=_exact(Fraction(str(line.hours)) / n) if line.hours is not None else None,
                days=_exact(Fraction(str(line.days)) / n) if line.days is not None else None,
                source=line.source, source_ref=line.source_ref, derived_from=i)
            kept.append(d)
            idx.append(first_index + len(added))
            added.append(one)
        notes.append(HolidayNote(i, line.end_reason, (line.end - line.start).days + 1, k, tuple(kept),
                                 tuple(idx), tuple(skipped)))
    return tuple(notes), added


def derive(case: Case, book: RuleBook, options: Optional[Options] = None) -> Case:
    """The case with the career lines the law adds (module docstring), and
    ``case.derivation`` saying what was added and why; the case itself (as read) when
    nothing applies. ``options`` default to the case's. A derived case given again is
    derived from the case as read. Values must be exact (no interval: the uncertain
    planner resolves them first)."""
    base = case.derivation.original if case.derivation is not None else case
    options = options or base.options
    student, holidays, added = _additions(base.career, base.contract.start, book, options.student_quota,
                                          options.holidays_after_end)
    if not student and not holidays:
        return base
    law = law_data(book)
    d = Derivation(base, options, student, holidays,
                   law.student_quota.ref if law.student_quota else None,
                   law.holiday_pay.ref if law.holiday_pay else None)
    return replace(base, career=base.career + added, derivation=d)


@lru_cache(maxsize=1024)
def _additions(career: tuple, contract_start: date, book: RuleBook, quota_reading: str, holidays_option: str):
    """(student notes, holiday notes, added lines) for a career; cached because a plan
    derives once per reading it tries (the lines of a case file are immutable values)."""
    from .model import Case, Contract, Person

    base = Case("", Person(date(1900, 1, 1)), Contract(contract_start), career)
    law = law_data(book)
    default_r = book.rule_sets[-1].counting.default_days_per_week
    n = len(career)
    student, holidays, added = (), (), []
    if law.student_quota is not None and any(l.kind == "student_contract" for l in career):
        student, more = _student(base, law.student_quota, quota_reading, default_r, n)
        added += more
    if law.holiday_pay is not None and holidays_option == "assimilated":
        holidays, more = _holidays(base, law.holiday_pay, default_r, n + len(added))
        added += more
    return student, holidays, tuple(added)


def as_read(case: Case) -> Case:
    """The case as read from its file, without the lines the law adds."""
    return case.derivation.original if case.derivation is not None else case


def could_change(case: Case, book: RuleBook, option: str) -> bool:
    """Whether another value of ``option`` can change what :func:`derive` adds to
    ``case`` (the sensitivity analysis plans the other value only then): a student
    line with hours in a year whose quota is in doubt, a work line whose end reason
    gives holiday pay."""
    base = case.derivation.original if case.derivation is not None else case
    law = law_data(book)
    if option == "student_quota":
        sq = law.student_quota
        return sq is not None and any(
            l.kind == "student_contract" and l.hours is not None
            and any(sq.doubt(y) is not None for y in range(l.start.year, l.end.year + 1)) for l in base.career)
    if option == "holidays_after_end":
        hp = law.holiday_pay
        return hp is not None and any(l.kind == "work" and l.end_reason in hp.end_reasons for l in base.career)
    return False


#: the interpretation options this module reads (:data:`art60kit.model.Options.CHOICES`)
OPTIONS = ("student_quota", "holidays_after_end")
