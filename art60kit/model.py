"""Immutable value types of a case: who the person is, what they did before, and the
art. 60, § 7 contract being planned.

The fields mirror the public case format (``docs/case-format.md``). Values are
validated by :mod:`art60kit.caseio`; the types here only hold them. Dates are
:class:`datetime.date`; every period is inclusive of both ends.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Optional, Union

#: Kinds of career lines and contract events (case-format.md, plus ``apprenticeship``
#: and ``unmapped`` for import lines whose source code has no mapping).
KINDS: tuple[str, ...] = (
    "work", "work_abroad", "student_contract", "apprenticeship", "not_covered_work",
    "self_employed_main", "paid_holiday", "compensatory_rest", "sickness_guaranteed_wage",
    "sickness_indemnified", "work_accident", "maternity", "temporary_unemployment",
    "unpaid_absence", "unpaid_leave", "unjustified_absence", "strike", "training",
    "career_break", "detention", "force_majeure", "child_care", "full_time_studies",
    "unmapped",
)

#: what a case may say about the person's situation when a period began
#: (``CareerLine.situation``)
SITUATIONS: tuple[str, ...] = ("employment", "full_unemployment", "neither")

#: how a job ended (``CareerLine.end_reason``): the term of a fixed-term (or interim)
#: contract, a dismissal by the employer, the worker's resignation, a mutual agreement,
#: a dismissal for serious cause
END_REASONS: tuple[str, ...] = ("term", "dismissal", "resignation", "mutual_agreement", "serious_cause")

DEFAULT_FULL_TIME_HOURS = 38.0
DEFAULT_DAYS_PER_WEEK = 5.0


@dataclass(frozen=True)
class Interval:
    """A value that is not known exactly: somewhere in ``[lo, hi]``, both included.

    Written ``{min: X, max: Y}`` in a case file, or ``unknown`` for a field with natural
    bounds (then ``unknown`` is True and the bounds are those natural bounds: 1 to 6
    days a week, 0 to the full-time hours S a week, 0 to the calendar days of the
    period). ``lo`` and ``hi`` are numbers for a measure, dates for ``start``/``end``.
    Only :mod:`art60kit.uncertain` resolves an interval into plain values; the core
    planner never sees one.

    >>> Interval(15.0, 38.0).contains(20.0), Interval(15.0, 38.0).exact
    (True, False)
    """

    lo: Union[float, date]
    hi: Union[float, date]
    unknown: bool = False

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def contains(self, v) -> bool:
        return self.lo <= v <= self.hi


#: Fields of a career line that may hold an :class:`Interval` (and of an event: the dates).
UNCERTAIN_LINE_FIELDS: tuple[str, ...] = ("start", "end", "days_per_week", "weekly_hours", "hours", "days")
UNCERTAIN_EVENT_FIELDS: tuple[str, ...] = ("start", "end")

#: A number or date as entered: plain, or an interval when uncertain.
MaybeFloat = Union[float, Interval, None]
MaybeDate = Union[date, Interval]


def lower(v):
    """The lower bound of a possibly uncertain value (the value itself when plain)."""
    return v.lo if isinstance(v, Interval) else v


def upper(v):
    """The upper bound of a possibly uncertain value (the value itself when plain)."""
    return v.hi if isinstance(v, Interval) else v


@dataclass(frozen=True)
class Options:
    """Interpretation choices where the sources are unsure (the options table of the
    README). Each has a default; the explanation says when another value would
    have changed the result.

    - ``month_end``: the window start ``D - N months`` when that day does not exist
      (request on the 29th-31st): ``clip`` to the last day of the shorter month
      (default, dateutil's reading), ``next_day`` (first day of the following month) or
      ``refuse`` (stop and ask when the two readings give different results).
    - ``extension_shift``: an extending event moves the window start back by its number
      of calendar ``days`` (art. 30 text, default) or by its length in years/months/days
      ``ymd`` (union training practice: the CSC training on art. 30-37-38, FLT 04.11.2022).
    - ``crediting``: full-time work over a whole calendar quarter = 78 (``quarter78``,
      AM 26/11/1991 art. 7 al. 1, default) or over a whole calendar month = 26
      (``month26``, ONEM practice); A x 6/R elsewhere, at most 78 a quarter either way.
      ``mon_sat``: as ``quarter78``, with the contract's own days read as ONEM reads a
      quarter not yet declared in the DmfA (every day Monday to Saturday full time;
      calendar days x Q/7 x 6/S part time), so that a contract can end on a Saturday.
    - ``rounding``: ``onem`` (4 decimals per occupation, total rounded up: ONEM schéma
      2E, default) or ``exact`` (no rounding up: the days must really be reached).
    - ``student_quota``: the yearly quota of student hours from 2025: the rule data's
      value (``reverted``, default) or the higher quota of 2023-2024 kept (``kept``);
      the sources disagree (:mod:`art60kit.derived_lines`).
    - ``holidays_after_end``: public holidays the employer pays after a fixed-term
      contract or a dismissal are ``ignored`` (default) or ``assimilated`` days after
      the job's end (art. 38 § 1, 2°; :mod:`art60kit.derived_lines`).
    """

    month_end: str = "clip"
    extension_shift: str = "days"
    crediting: str = "quarter78"
    rounding: str = "onem"
    student_quota: str = "reverted"
    holidays_after_end: str = "ignored"

    CHOICES = {
        "month_end": ("clip", "next_day", "refuse"),
        "extension_shift": ("days", "ymd"),
        "crediting": ("quarter78", "month26", "mon_sat"),
        "rounding": ("onem", "exact"),
        "student_quota": ("reverted", "kept"),
        "holidays_after_end": ("ignored", "assimilated"),
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
    #: last day of a right to benefits opened earlier (art. 114, possibly extended): a
    #: request up to that day needs no stage (art. 42)
    previous_right_end: Optional[date] = None
    #: a category whose right is not limited in time (art. 114, § 2; art60kit.right.EXEMPTIONS)
    right_exemption: Optional[str] = None
    #: years of professional past as ONEM counts them (art. 119, 3°), for the 55+ exemption
    career_years: Optional[float] = None
    #: days of professional past already used to lengthen a right at an earlier admission
    days_used_for_extension: Optional[float] = None


@dataclass(frozen=True)
class CareerLine:
    """One period of the past career (or an import line).

    The measure is one of: a regime (``days_per_week`` and optionally Q/S as
    ``weekly_hours``/``full_time_hours``), total ``hours`` (with ``full_time_hours``),
    or ``days`` worked in a regime of ``days_per_week``. Lines without a measure
    (extensions, absences) use the defaults (5 days a week, full time) where a measure
    is needed.

    The dates and measures named in :data:`UNCERTAIN_LINE_FIELDS` may be an
    :class:`Interval` when they are not known exactly; ``doubt`` says why (e.g.
    "Dimona only"). Such a line is planned by :mod:`art60kit.uncertain`.
    """

    kind: str
    start: MaybeDate
    end: MaybeDate
    employer: Optional[str] = None
    days_per_week: MaybeFloat = None
    weekly_hours: MaybeFloat = None
    full_time_hours: Optional[float] = None
    hours: MaybeFloat = None
    days: MaybeFloat = None
    child_birth_date: Optional[date] = None
    #: the person's situation when the period began (``employment``,
    #: ``full_unemployment`` or ``neither``), for periods that extend the window only
    #: in some situations (detention from 1 March 2026); None = not stated
    situation: Optional[str] = None
    #: how the job ended (:data:`END_REASONS`), for the public holidays the employer
    #: pays after it (option ``holidays_after_end``); None = not stated
    end_reason: Optional[str] = None
    source: Optional[str] = None
    source_ref: Optional[str] = None
    note: Optional[str] = None
    doubt: Optional[str] = None
    #: a line the toolkit added (:mod:`art60kit.derived_lines`): the index of the
    #: career line it comes from; None for a line of the case file
    derived_from: Optional[int] = None

    @property
    def uncertain_fields(self) -> tuple[str, ...]:
        """Names of the fields holding an :class:`Interval`, in a fixed order."""
        return tuple(f for f in UNCERTAIN_LINE_FIELDS if isinstance(getattr(self, f), Interval))

    @property
    def measure(self) -> str:
        if self.hours is not None:
            return "hours"
        if self.days is not None:
            return "days"
        return "regime"


@dataclass(frozen=True)
class Event:
    """Something that happened during the contract (absence, sickness, ...). Its dates
    may be an :class:`Interval` (``doubt`` says why)."""

    kind: str
    start: MaybeDate
    end: MaybeDate
    note: Optional[str] = None
    doubt: Optional[str] = None

    @property
    def uncertain_fields(self) -> tuple[str, ...]:
        return tuple(f for f in UNCERTAIN_EVENT_FIELDS if isinstance(getattr(self, f), Interval))


@dataclass(frozen=True)
class Contract:
    start: date
    days_per_week: float = DEFAULT_DAYS_PER_WEEK
    weekly_hours: Optional[float] = None  # Q; None means full time (Q = S)
    full_time_hours: float = DEFAULT_FULL_TIME_HOURS  # S
    events: tuple[Event, ...] = ()
    #: the end the CPAS planned (or wrote in the contract), checked against the end date
    planned_end: Optional[date] = None
    #: region of the CPAS, for the regional subsidy limit (art60kit.right.REGIONS)
    region: Optional[str] = None
    #: Flanders: first day of the temporary work experience (stage before the contract included)
    work_experience_start: Optional[date] = None

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
    #: the career lines the law adds to the case (:func:`art60kit.derived_lines.derive`):
    #: the case as read and notes for the explanation; None for a case as read
    derivation: Optional[object] = field(default=None, compare=False, repr=False)

    @property
    def uncertain(self) -> tuple[tuple[str, Interval], ...]:
        """Every uncertain value as ``(field path, interval)``, e.g.
        ``("career[2].weekly_hours", Interval(0.0, 38.0, True))``; empty for a case
        known exactly."""
        out = []
        for i, line in enumerate(self.career):
            out += [(f"career[{i}].{f}", getattr(line, f)) for f in line.uncertain_fields]
        for j, ev in enumerate(self.contract.events if self.contract else ()):
            out += [(f"contract.events[{j}].{f}", getattr(ev, f)) for f in ev.uncertain_fields]
        return tuple(out)

    def with_options(self, **changes) -> "Case":
        return replace(self, options=self.options.with_(**changes))

    def with_contract(self, **changes) -> "Case":
        return replace(self, contract=replace(self.contract, **changes))
