"""Immutable value types of a case: who the person is, what they did before, and the
art. 60, § 7 contract being planned.

The fields mirror the public case format (``shared/domain/case-format.md``). Values are
validated by :mod:`art60kit.caseio`; the types here only hold them. Dates are
:class:`datetime.date`; every period is inclusive of both ends.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Optional

#: Kinds of career lines and contract events (case-format.md, plus ``apprenticeship``
#: from issue 2 and ``unmapped`` for import lines whose source code has no mapping).
KINDS: tuple[str, ...] = (
    "work", "work_abroad", "student_contract", "apprenticeship", "not_covered_work",
    "self_employed_main", "paid_holiday", "compensatory_rest", "sickness_guaranteed_wage",
    "sickness_indemnified", "work_accident", "maternity", "temporary_unemployment",
    "unpaid_absence", "unpaid_leave", "unjustified_absence", "strike", "training",
    "career_break", "detention", "force_majeure", "child_care", "full_time_studies",
    "unmapped",
)

DEFAULT_FULL_TIME_HOURS = 38.0
DEFAULT_DAYS_PER_WEEK = 5.0


@dataclass(frozen=True)
class Options:
    """Interpretation choices where the sources are unsure (design.md, rules.md Part 2
    "Open points"). Each has a default; the explanation says when another value would
    have changed the result.

    - ``month_end``: the window start ``D - N months`` when that day does not exist
      (request on the 29th-31st): ``clip`` to the last day of the shorter month
      (default, dateutil's reading), ``next_day`` (first day of the following month) or
      ``refuse`` (stop and ask when the two readings give different results).
    - ``extension_shift``: an extending event moves the window start back by its number
      of calendar ``days`` (art. 30 text, default) or by its length in years/months/days
      ``ymd`` (union training practice, rules.md Q3).
    - ``crediting``: full-time work over a whole calendar quarter = 78 (``quarter78``,
      AM 26/11/1991 art. 7 al. 1, default) or over a whole calendar month = 26
      (``month26``, ONEM practice); A x 6/R elsewhere, at most 78 a quarter either way.
    - ``rounding``: ``onem`` (4 decimals per occupation, total rounded up: ONEM schéma
      2E, default) or ``exact`` (no rounding up: the days must really be reached).
    """

    month_end: str = "clip"
    extension_shift: str = "days"
    crediting: str = "quarter78"
    rounding: str = "onem"

    CHOICES = {
        "month_end": ("clip", "next_day", "refuse"),
        "extension_shift": ("days", "ymd"),
        "crediting": ("quarter78", "month26"),
        "rounding": ("onem", "exact"),
    }

    def with_(self, **changes) -> "Options":
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.CHOICES}


@dataclass(frozen=True)
class Person:
    birth_date: date
    #: last admission to benefits; from 1 March 2026 days before it do not count (art. 30 al. 2)
    prior_admission: Optional[date] = None


@dataclass(frozen=True)
class CareerLine:
    """One period of the past career (or an import line).

    The measure is one of: a regime (``days_per_week`` and optionally Q/S as
    ``weekly_hours``/``full_time_hours``), total ``hours`` (with ``full_time_hours``),
    or ``days`` worked in a regime of ``days_per_week``. Lines without a measure
    (extensions, absences) use the defaults (5 days a week, full time) where a measure
    is needed.
    """

    kind: str
    start: date
    end: date
    employer: Optional[str] = None
    days_per_week: Optional[float] = None
    weekly_hours: Optional[float] = None
    full_time_hours: Optional[float] = None
    hours: Optional[float] = None
    days: Optional[float] = None
    child_birth_date: Optional[date] = None
    source: Optional[str] = None
    source_ref: Optional[str] = None
    note: Optional[str] = None

    @property
    def measure(self) -> str:
        if self.hours is not None:
            return "hours"
        if self.days is not None:
            return "days"
        return "regime"


@dataclass(frozen=True)
class Event:
    """Something that happened during the contract (absence, sickness, ...)."""

    kind: str
    start: date
    end: date
    note: Optional[str] = None


@dataclass(frozen=True)
class Contract:
    start: date
    days_per_week: float = DEFAULT_DAYS_PER_WEEK
    weekly_hours: Optional[float] = None  # Q; None means full time (Q = S)
    full_time_hours: float = DEFAULT_FULL_TIME_HOURS  # S
    events: tuple[Event, ...] = ()

    @property
    def q(self) -> float:
        return self.full_time_hours if self.weekly_hours is None else self.weekly_hours

    @property
    def full_time(self) -> bool:
        return self.q >= self.full_time_hours


@dataclass(frozen=True)
class Case:
    case_id: str
    person: Person
    contract: Contract
    career: tuple[CareerLine, ...] = ()
    comment: Optional[str] = None
    options: Options = field(default_factory=Options)
    #: where the case was read from, for messages
    source: str = "<case>"
    #: warnings found when the case was read (overlaps, lines after the contract start, ...)
    warnings: tuple = field(default=(), compare=False)

    def with_options(self, **changes) -> "Case":
        return replace(self, options=self.options.with_(**changes))

    def with_contract(self, **changes) -> "Case":
        return replace(self, contract=replace(self.contract, **changes))
