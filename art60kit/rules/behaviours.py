"""Named behaviours: what rule data cannot express as plain values.

A rule set names a behaviour in its YAML (a condition's ``kind``, an extending kind's
``only_if``); the loader looks the name up here and refuses a name it does not know, so
a rule set can never name a behaviour that no engine implements. Each behaviour is one
pure function, registered under its family and name with :func:`register`; the
per-case core and the population engine both call it (the population engine through
the encoder, which maps each name to the compiled code it selects).

Families:

- ``condition``: how a condition's figures decide it. The function takes the condition,
  the whole days counted in its window, those counted in its professional-past period
  (0 when it has none) and the days that period must hold (the condition's
  ``past_days``, or what ``past_requirement`` gives) and returns
  ``(required, satisfied, reachable)``: the days it demands now, whether it holds, and
  whether more recent days alone can make it hold (False when a past-work part fails
  and only time can fix it).
- ``past_requirement``: the professional past a career that began inside the past
  period needs (a condition's ``past.career_began_inside``). The function takes that
  rule's figures, the condition's ``past_days``, the career's first day and the past
  period's first and last day (ordinals), and returns ``(days required, working days
  counted)``, or None when the career did not begin inside the period.
- ``extension_condition``: when an extending period may extend the window at all. The
  function takes the period's first and last day, what the case says about the person's
  situation at its start (``employment``, ``full_unemployment``, ``neither`` or None),
  the case's other lines as ``(first day, last day, treatment)`` under the rule set, and
  returns True (extends), False (does not) or None (the case cannot tell: the planner
  plans both readings and reports the range).
- ``crediting``: a reading of the full-period rule of the six-day regime. The function
  takes the rule set's counting figures and returns a :class:`Reading`: the calendar
  period (``quarter`` or ``month``), the days a full period credits, and how the
  article 60 contract's own days are read (``pattern``: its regime's days at
  6/R × Q/S like any line; ``mon_sat``: every calendar day Monday to Saturday, see
  :func:`mon_sat_reading`).

Adding a behaviour means adding one function here; a test enumerates this registry and
checks that every name the shipped rule sets use is in it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple, Optional

FAMILIES = ("condition", "past_requirement", "extension_condition", "crediting")


@dataclass(frozen=True)
class Behaviour:
    family: str
    name: str
    fn: Callable
    doc: str


_REGISTRY: dict[tuple[str, str], Behaviour] = {}


def register(family: str, name: str) -> Callable:
    """Decorator: register ``fn`` as behaviour ``name`` of ``family`` (its docstring
    states the legal semantics and is required)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown behaviour family {family!r}")

    def deco(fn: Callable) -> Callable:
        if (family, name) in _REGISTRY:
            raise ValueError(f"behaviour {family}.{name} registered twice")
        if not (fn.__doc__ or "").strip():
            raise ValueError(f"behaviour {family}.{name} needs a docstring stating its semantics")
        _REGISTRY[(family, name)] = Behaviour(family, name, fn, fn.__doc__.strip())
        return fn

    return deco


def names(family: str) -> tuple[str, ...]:
    """Registered names of a family, in registration order."""
    return tuple(n for (f, n) in _REGISTRY if f == family)


def get(family: str, name: str) -> Behaviour:
    """The behaviour ``name`` of ``family``; KeyError if none is registered."""
    return _REGISTRY[(family, name)]


def registered() -> tuple[Behaviour, ...]:
    return tuple(_REGISTRY.values())


# ---------------------------------------------------------------------------- conditions

@register("condition", "recent")
def recent(c, counted: int, past_counted: int, past_required) -> tuple[int, bool, bool]:
    """``days`` days in the ``months`` months before the request (AR art. 30)."""
    return c.days, counted >= c.days, True


@register("condition", "past_work")
def past_work(c, counted: int, past_counted: int, past_required: int) -> tuple[int, bool, bool]:
    """``days`` days in the window and ``past_required`` days (``past.days``, or less for
    a career that began inside the period) in the ``past.years`` years before it (old
    AR art. 32, (c)). When the past part fails, no recent day can help."""
    reachable = past_counted >= past_required
    return c.days, reachable and counted >= c.days, reachable


@register("condition", "eight_for_one")
def eight_for_one(c, counted: int, past_counted: int, past_required) -> tuple[int, bool, bool]:
    """``days`` days in the window plus one day for each ``ratio`` days of professional
    past (``years`` years before the window) missing to ``target`` (old AR art. 32,
    (d)): equivalent to ``counted >= max(days, target - floor(past / ratio))``."""
    required = max(c.days, c.eight_for_one_target - past_counted // c.eight_for_one_ratio)
    return required, counted >= required, True


# ---------------------------------------------------------------------------- past requirements

@register("past_requirement", "share_of_working_days")
def share_of_working_days(rule, past_days: int, career_start, past_start: int,
                          past_end: int) -> Optional[tuple[int, int]]:
    """A working life that began inside the professional-past period (old AR art. 32, as
    the payment organisations apply it): instead of ``past_days``, ``share`` of the
    working days of the ``week_days``-day regime (Monday to Saturday for 6) from the
    career's first day (the first day of the first period counted or assimilated) to
    the last day of the period, rounded up, if that is fewer. A career that began
    before the period, or after it, keeps ``past_days`` (None)."""
    if career_start is None or not past_start <= career_start <= past_end:
        return None
    from ..dates import count_pattern_ordinals

    n = count_pattern_ordinals(career_start, past_end, (1 << rule.week_days) - 1)
    return min(past_days, -(-n * rule.numerator // rule.denominator)), n


# ---------------------------------------------------------------------------- extension conditions

#: treatments of lines that show an employment relationship on a day
_EMPLOYED = ("counted", "assimilated", "assimilated_capped")


@register("extension_condition", "during_work_or_unemployment")
def during_work_or_unemployment(a: int, b: int, situation: Optional[str],
                                lines: tuple) -> Optional[bool]:
    """The period extends only if it falls during employment or full unemployment (AR
    art. 30 al. 3, 4°, from 1 March 2026: pre-trial detention or deprivation of liberty).
    What the case says wins (``situation``); otherwise the person was employed when a
    line that counts or is assimilated covers the period's first day or the day before
    it (a job ended by the arrest). Otherwise the case cannot tell (None): full
    unemployment is not a career line, and a person on the integration income was
    neither employed nor unemployed."""
    if situation is not None:
        return situation in ("employment", "full_unemployment")
    for la, lb, treatment in lines:
        if treatment in _EMPLOYED and la <= a and lb >= a - 1:
            return True
    return None


# ---------------------------------------------------------------------------- crediting

#: how a crediting reading reads the article 60 contract's own days
CONTRACT_WEEKS = ("pattern", "mon_sat")


class Reading(NamedTuple):
    """A crediting reading: ``period`` (``quarter`` or ``month``), the ``days`` a full
    period of uninterrupted full-time work credits, and ``contract_week``, how the
    contract's days are read (one of :data:`CONTRACT_WEEKS`)."""

    period: str
    days: int
    contract_week: str = "pattern"


@register("crediting", "quarter78")
def quarter_reading(counting) -> Reading:
    """Full-time work over a whole calendar quarter credits the rule set's
    ``full_quarter_days`` (AM 26/11/1991 art. 7 al. 1); elsewhere each day of the
    regime credits 6/R × Q/S."""
    return Reading("quarter", counting.full_quarter_days)


@register("crediting", "month26")
def month_reading(counting) -> Reading:
    """Full-time work over a whole calendar month credits the rule set's
    ``full_month_days`` (ONEM practice)."""
    return Reading("month", counting.full_month_days)


@register("crediting", "mon_sat")
def mon_sat_reading(counting) -> Reading:
    """ONEM's counting of a quarter whose DmfA is not yet declared, applied to the
    article 60 contract: full time, every calendar day Monday to Saturday of the
    contract counts one day (a contract of five days a week can then end on a
    Saturday); part time, every calendar day counts Q/7 × 6/S. Whole quarters and the
    career's lines are credited as under ``quarter78``."""
    return Reading("quarter", counting.full_quarter_days, "mon_sat")
