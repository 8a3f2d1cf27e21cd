"""What a CPAS needs beside the end date: the right the request opens, the dispense from
a new stage, and how long the subsidy of the contract may run.

Three pure rules, each written once here and used by the per-case plan, its
explanation and the population engine's result columns. Their values (12 months, 104
days, ...) are dated rule data in the rule set in force (``benefit_right``, ``dispense``
and ``subsidy`` in ``art60kit/rules/*.yaml``), each with its legal reference.

**The right (AR 25/11/1991 art. 114, § 1, from 1 March 2026).** A person admitted on
request date ``D`` gets twelve months, date to date from ``D``, plus one month per 104
days of professional past acquired at ``D`` (work and assimilated days, counted as for
the admission, whole career), leaving out the days used for the 312 and the days already
used to lengthen a right at an earlier admission; at most twelve more months. The right
runs until the day before ``D + (12 + extra) months`` (a day number that does not exist
in the target month is read as for the reference window, option ``month_end``). It is not
limited in time (art. 114, § 2) for the categories the case declares
(``person.right_exemption``) and for a person aged 55 or more at ``D`` whose professional
past reaches the years required in the year of ``D`` (``person.career_years``: the years
as ONEM counts them, art. 119, 3°; the tool does not derive them from the career lines,
which rarely cover a whole working life). Requests under the rules in force before
1 March 2026 get no figure (``computed`` is false): the right was not limited by this
article then, and the transitional limits are not modelled.

**The dispense (art. 42, from 1 March 2026).** A request made while a right opened
earlier still runs (``person.previous_right_end``, the last day of that right, possibly
extended) needs no stage: if the contract start falls on or before that day, the person
can ask for benefits again at once and no contract is needed to open a right.

**The subsidy.** The federal subsidy of an art. 60, § 7 contract may not run past the
time needed to open the right, i.e. past the end date; the Walloon subsidy is limited the
same way from 1 March 2026; in Flanders the contract is part of a temporary work
experience of at most two years, counted from ``contract.work_experience_start`` (the
start of the stage before the contract; by default the contract start). A planned end
(``contract.planned_end``) after the end date, or an end date beyond the regional limit,
is reported as a warning.

>>> from datetime import date
>>> right_end(date(2026, 9, 1), 14)
datetime.date(2027, 10, 31)
>>> right_end(date(2027, 1, 31), 13), right_end(date(2027, 1, 31), 13, "next_day")
(datetime.date(2028, 2, 28), datetime.date(2028, 2, 29))
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Mapping, Optional

from dateutil.relativedelta import relativedelta

from .dates import add_years, age_on
from .errors import InputError, Problem
from .rules import Ref, RuleSet

#: categories whose right is not limited in time (art. 114, § 2, al. 1, 1° to 7°)
EXEMPTIONS: tuple[str, ...] = ("port_worker_or_sea_fisherman", "age_55_career", "rcc", "sheltered_workshop",
                               "safeguard_allowance", "arts_worker", "arts_worker_flat_rate")
#: regions of the CPAS (the subsidy limits differ)
REGIONS: tuple[str, ...] = ("brussels", "flanders", "wallonia", "german_speaking")
REGION_LIMITS = ("end_date", "years")


# ---------------------------------------------------------------------------- rule data

@dataclass(frozen=True)
class RightRules:
    """Art. 114 values of one rule set."""

    base_months: int
    days_per_extra_month: int
    max_extra_months: int
    base_ref: Ref
    extension_ref: Ref
    used_for_admission_ref: Ref
    unlimited: Mapping[str, Ref]
    age_55: int
    career_years: tuple[tuple[date, int], ...]  # (from, years), ascending
    age_55_ref: Ref

    def career_years_needed(self, request: date) -> Optional[int]:
        """Years of professional past a person of 55 needs at ``request``."""
        need = None
        for start, years in self.career_years:
            if request >= start:
                need = years
        return need


@dataclass(frozen=True)
class RegionLimit:
    region: str
    limit: str  # "end_date" (the subsidy stops at the end date) or "years" (a fixed length)
    years: Optional[int]
    valid_from: Optional[date]
    ref: Ref


@dataclass(frozen=True)
class BesideRules:
    """Everything this module reads from one rule set."""

    right: Optional[RightRules]
    dispense_ref: Optional[Ref]
    federal_ref: Ref
    regions: Mapping[str, RegionLimit]


def _ref(d, where: str, problems: list) -> Optional[Ref]:
    """The reference of a rule value, read by the rule loader's one reader of references
    (:func:`art60kit.rules._ref`); problems are collected rather than raised."""
    from .rules import _ref as read_ref

    try:
        return read_ref(d, where)
    except InputError as e:
        problems.extend(e.problems)
        return None


def _int(d, key: str, where: str, problems: list, lo: int = 0, hi: int = 10_000) -> int:
    v = d.get(key) if isinstance(d, Mapping) else None
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        problems.append(Problem(where, key, f"must be a whole number from {lo} to {hi}, not {v!r}"))
        return lo
    return v


def _date(v, where: str, key: str, problems: list) -> Optional[date]:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        problems.append(Problem(where, key, f"not a date: {v!r}"))
        return None


@lru_cache(maxsize=64)
def beside_rules(rs: RuleSet) -> BesideRules:
    """The ``benefit_right``, ``dispense`` and ``subsidy`` data of a rule set, checked:
    raises :class:`InputError` naming every wrong value."""
    raw, where, problems = rs.raw, f"rules {rs.id}", []
    right = None
    br = raw.get("benefit_right")
    if br is not None:
        w = f"{where}: benefit_right"
        if not isinstance(br, Mapping):
            raise InputError([Problem(w, "(section)", "must be a mapping")])
        unlimited = {}
        for cat, spec in (br.get("unlimited") or {}).items():
            if cat not in EXEMPTIONS:
                problems.append(Problem(w, f"unlimited.{cat}", "unknown category (one of: " + ", ".join(EXEMPTIONS) + ")"))
                continue
            unlimited[cat] = _ref(spec, f"{w}: unlimited.{cat}", problems)
        a55 = br.get("age_55") or {}
        steps = []
        for i, s in enumerate(a55.get("career_years") or []):
            d = _date(s.get("from") if isinstance(s, Mapping) else None, f"{w}: age_55.career_years[{i}]", "from", problems)
            y = _int(s, "years", f"{w}: age_55.career_years[{i}]", problems, 1, 60)
            if d:
                steps.append((d, y))
        if not steps:
            problems.append(Problem(w, "age_55.career_years", "at least one dated number of years"))
        right = RightRules(
            base_months=_int(br, "base_months", w, problems, 1, 120),
            days_per_extra_month=_int(br, "days_per_extra_month", w, problems, 1, 10_000),
            max_extra_months=_int(br, "max_extra_months", w, problems, 0, 120),
            base_ref=_ref(br.get("base_ref"), f"{w}: base_ref", problems),
            extension_ref=_ref(br.get("extension_ref"), f"{w}: extension_ref", problems),
            used_for_admission_ref=_ref(br.get("used_for_admission_ref"), f"{w}: used_for_admission_ref", problems),
            unlimited=unlimited, age_55=_int(a55, "age", f"{w}: age_55", problems, 15, 100),
            career_years=tuple(sorted(steps)), age_55_ref=_ref(a55, f"{w}: age_55", problems))
    dispense_ref = _ref(raw["dispense"], f"{where}: dispense", problems) if raw.get("dispense") is not None else None
    sub = raw.get("subsidy")
    if not isinstance(sub, Mapping):
        raise InputError([Problem(where, "subsidy", "required: the federal subsidy limit and its reference")])
    federal = _ref(sub.get("federal"), f"{where}: subsidy.federal", problems)
    regions = {}
    for reg, spec in (sub.get("regions") or {}).items():
        w = f"{where}: subsidy.regions.{reg}"
        if reg not in REGIONS:
            problems.append(Problem(w, "(region)", "unknown region (one of: " + ", ".join(REGIONS) + ")"))
            continue
        if not isinstance(spec, Mapping) or spec.get("limit") not in REGION_LIMITS:
            problems.append(Problem(w, "limit", "must be one of: " + ", ".join(REGION_LIMITS)))
            continue
        years = _int(spec, "years", w, problems, 1, 10) if spec["limit"] == "years" else None
        vf = _date(spec["valid_from"], w, "valid_from", problems) if spec.get("valid_from") is not None else None
        regions[reg] = RegionLimit(reg, spec["limit"], years, vf, _ref(spec, w, problems))
    if problems:
        raise InputError(problems)
    return BesideRules(right, dispense_ref, federal, regions)


# ---------------------------------------------------------------------------- the right

def right_end(request: date, months: int, month_end: str = "clip") -> date:
    """Last day of a right of ``months`` months counted date to date from ``request``:
    the day before ``request + months``. When that day number does not exist in the
    target month, the same reading as for the reference window decides (option
    ``month_end``): ``clip`` takes the month's last day (a right from 31 March for 11
    months ends on 27 February), ``next_day`` the first day of the next month (it ends on
    28 February); ``refuse`` reads as ``clip`` here."""
    target = request + relativedelta(months=months)
    if month_end == "next_day" and target.day != request.day:
        target += timedelta(days=1)
    return target - timedelta(days=1)


@dataclass(frozen=True)
class BenefitRight:
    """The right a request on ``request_date`` opens (art. 114)."""

    request_date: date
    computed: bool  # False: not computed under the rules in force at the request
    limited: Optional[bool] = None
    end: Optional[date] = None
    base_months: int = 0
    extra_months: int = 0
    past_days: int = 0  # professional past acquired at the request (whole career)
    days_for_admission: int = 0  # the days the admission required (312)
    days_used_before: int = 0  # already used to lengthen a right at an earlier admission
    days_for_extension: int = 0  # past - admission - used before, at least 0
    exemption: Optional[str] = None  # why the right is not limited in time
    age: Optional[int] = None
    career_years_needed: Optional[int] = None  # 55 or over: years of past required
    career_years_missing: bool = False  # 55 or over, but the case does not give the years
    continues_previous: bool = False  # dispense: the earlier right goes on

    @property
    def months(self) -> Optional[int]:
        return self.base_months + self.extra_months if self.limited else None

    def as_dict(self) -> dict:
        d = {"computed": self.computed, "request_date": self.request_date.isoformat()}
        if not self.computed:
            return d
        d.update({"limited": self.limited, "end": self.end.isoformat() if self.end else None,
                  "continues_previous_right": self.continues_previous})
        if self.continues_previous:
            return d
        d.update({"months": self.months, "base_months": self.base_months, "extra_months": self.extra_months,
                  "professional_past_days": self.past_days, "days_for_admission": self.days_for_admission,
                  "days_used_before": self.days_used_before, "days_for_extension": self.days_for_extension,
                  "exemption": self.exemption, "age": self.age,
                  "career_years_needed": self.career_years_needed})
        return d


def benefit_right(rules: BesideRules, request: date, birth_date: date, past_days: int, days_for_admission: int,
                  days_used_before: float = 0, exemption: Optional[str] = None,
                  career_years: Optional[float] = None, month_end: str = "clip") -> BenefitRight:
    """The right opened by an admission on ``request`` (see the module docstring).

    ``past_days``: work and assimilated days of the whole career up to the day before
    the request, counted as for the admission (whole days); ``days_for_admission``: the
    days the admission required.
    """
    rr = rules.right
    if rr is None:
        return BenefitRight(request, computed=False)
    age = age_on(birth_date, request)
    need = rr.career_years_needed(request) if age >= rr.age_55 else None
    used = int(days_used_before or 0)
    spare = max(0, past_days - days_for_admission - used)
    extra = min(rr.max_extra_months, spare // rr.days_per_extra_month)
    why = exemption
    if why is None and need is not None and career_years is not None and career_years >= need:
        why = "age_55_career"
    common = dict(base_months=rr.base_months, extra_months=extra, past_days=past_days,
                  days_for_admission=days_for_admission, days_used_before=used, days_for_extension=spare,
                  age=age, career_years_needed=need,
                  career_years_missing=need is not None and career_years is None and exemption is None)
    if why is not None:
        return BenefitRight(request, True, False, None, exemption=why, **common)
    return BenefitRight(request, True, True, right_end(request, rr.base_months + extra, month_end), **common)


# ---------------------------------------------------------------------------- dispense

@dataclass(frozen=True)
class Dispense:
    """A request on ``request_date`` inside a right that runs until ``previous_right_end``."""

    request_date: date
    previous_right_end: date
    ref: Ref


def dispense(rules: BesideRules, request: date, previous_right_end: Optional[date]) -> Optional[Dispense]:
    """The dispense from the stage (art. 42) for a request on ``request``, or None."""
    if rules.dispense_ref is None or previous_right_end is None or request > previous_right_end:
        return None
    return Dispense(request, previous_right_end, rules.dispense_ref)


# ---------------------------------------------------------------------------- subsidy

@dataclass(frozen=True)
class Subsidy:
    """How long the subsidy of the contract may run, against the planned end."""

    covered_until: Optional[date]  # the end date: the federal subsidy stops there
    planned_end: Optional[date]
    region: Optional[str] = None
    region_limit: Optional[RegionLimit] = None
    region_until: Optional[date] = None  # last day the regional scheme allows

    @property
    def days_beyond(self) -> Optional[int]:
        """Calendar days the planned contract runs past the end date (0 if not)."""
        if self.planned_end is None or self.covered_until is None:
            return None
        return max(0, (self.planned_end - self.covered_until).days)

    @property
    def end_beyond_region(self) -> bool:
        """The end date itself lies after what a regional scheme of fixed length allows
        (a limit at the end date is met by definition)."""
        return (self.region_limit is not None and self.region_limit.limit == "years"
                and self.covered_until is not None and self.covered_until > self.region_until)

    @property
    def planned_beyond_region(self) -> bool:
        """The planned end lies after what a regional scheme of fixed length allows (a
        limit at the end date is the federal warning's)."""
        return (self.region_limit is not None and self.region_limit.limit == "years"
                and self.planned_end is not None and self.planned_end > self.region_until)

    def as_dict(self) -> dict:
        return {"covered_until": self.covered_until.isoformat() if self.covered_until else None,
                "planned_end": self.planned_end.isoformat() if self.planned_end else None,
                "days_beyond_end_date": self.days_beyond, "region": self.region,
                "region_limit_end": self.region_until.isoformat() if self.region_until else None,
                "end_date_beyond_region_limit": self.end_beyond_region,
                "planned_end_beyond_region_limit": self.planned_beyond_region}


def subsidy(rules: BesideRules, contract_start: date, end_date: Optional[date], planned_end: Optional[date] = None,
            region: Optional[str] = None, work_experience_start: Optional[date] = None) -> Subsidy:
    """The subsidy limits for a contract from ``contract_start`` whose end date (the
    last day needed to open the right) is ``end_date``."""
    lim = rules.regions.get(region) if region else None
    if lim is not None and lim.valid_from is not None and contract_start < lim.valid_from \
            and (end_date is None or end_date < lim.valid_from):
        lim = None
    until = None
    if lim is not None and lim.limit == "years":
        until = add_years(work_experience_start or contract_start, lim.years) - timedelta(days=1)
    elif lim is not None:
        until = end_date
    return Subsidy(end_date, planned_end, region, lim, until)


# ---------------------------------------------------------------------------- together

@dataclass(frozen=True)
class Beside:
    right: Optional[BenefitRight]
    dispense: Optional[Dispense]
    subsidy: Subsidy
    federal_ref: Ref

    def as_dict(self) -> dict:
        return {"right": self.right.as_dict() if self.right else None,
                "dispense_de_stage": self.dispense is not None,
                "subsidy": self.subsidy.as_dict()}


def professional_past_days(case, rs: RuleSet, request: date, options) -> int:
    """Work and assimilated days of the whole career (and the contract) up to the day
    before ``request``, counted by the crediting of the admission (whole days)."""
    from .admissibility import case_ledger
    from .credit import counted_days

    led = case_ledger(case, rs, options.crediting)
    first = min([l.start for l in case.career] + [case.contract.start]).toordinal()
    D = request.toordinal()
    units = led.credit(first, D - 1, options.rounding, abroad_ok=led.abroad_ok(D, options.rounding)).units
    return counted_days(units, options.rounding)


def dispense_for_case(case, book) -> Optional[Dispense]:
    """The dispense at the contract start (the earliest request the case can make)."""
    start = case.contract.start
    return dispense(beside_rules(book.for_date(start)), start, case.person.previous_right_end)


def beside_for_plan(case, book, options, request: Optional[date], end_date: Optional[date],
                    days_for_admission: Optional[int], disp: Optional[Dispense] = None) -> Beside:
    """The three figures for a planned case: ``request``/``end_date`` from the plan
    (``request`` None when no end date exists), ``days_for_admission`` the days the
    condition that holds required."""
    p, c = case.person, case.contract
    if disp is not None:
        rules = beside_rules(book.for_date(disp.request_date))
        right = BenefitRight(disp.request_date, True, True, disp.previous_right_end, continues_previous=True)
        sub = subsidy(rules, c.start, None, c.planned_end, c.region, c.work_experience_start)
        return Beside(right, disp, sub, rules.federal_ref)
    if request is None:
        rules = beside_rules(book.for_date(c.start))
        return Beside(None, None, subsidy(rules, c.start, None, c.planned_end, c.region, c.work_experience_start),
                      rules.federal_ref)
    rs = book.for_date(request)
    rules = beside_rules(rs)
    right = BenefitRight(request, computed=False)
    if rules.right is not None:
        right = benefit_right(rules, request, p.birth_date, professional_past_days(case, rs, request, options),
                              days_for_admission, p.days_used_for_extension, p.right_exemption, p.career_years,
                              options.month_end)
    sub = subsidy(rules, c.start, end_date, c.planned_end, c.region, c.work_experience_start)
    return Beside(right, None, sub, rules.federal_ref)
