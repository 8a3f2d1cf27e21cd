"""The reference window at a request date and its extensions.

Semantics (AR 25/11/1991 art. 30; ONEM comment 3 on art. 30; the CSC trainings on
art. 30-37-38 of 2022, slides "Fixation de la période de référence" and "Principes de
prolongation"):

- The window for ``N`` months at request date ``D`` runs **date to date**:
  ``[D - N months, D - 1 day]`` (worked examples E8, E11, E12 in tests/worked_examples).
  When ``D - N months`` does not exist, the ``month_end`` option decides (:func:`art60kit.dates.minus_months`).
- An extending period that has **at least one day** in the window, or in the part already
  added by another extension, extends it by its **whole capped length**, even if it
  starts before the window (example E14: one that ends before the window does nothing). Caps are
  counted from the period's first day (example E16: 15 years of self-employment; if the capped
  period ends before the window, nothing is extended). Extensions chain until no new
  period qualifies.
- ``extension_shift=days`` (default, the text of art. 30): the start moves back by the
  number of calendar days of the qualifying periods, each day counted once even where
  periods overlap. A period still running on the request date counts up to the day
  before it. ``extension_shift=ymd`` (union training practice): the start moves
  back in years, months and days. A day of extending period extends the window only
  once in this reading too: the qualifying periods (each up to the day before the
  request) are merged into maximal spans of consecutive days, and the start moves
  back from the unextended start by each merged span's years, months and days, the
  latest span first. Two identical or overlapping periods therefore shift as one, and
  so do periods that follow each other without a gap (a five-year period and the
  next child's period starting the next day shift as one span). Each time a further
  period qualifies, the start is computed again from the unextended start.

>>> from datetime import date
>>> w = reference_window(date(2022, 11, 28).toordinal(), 21, ())
>>> date.fromordinal(w.start), date.fromordinal(w.end), w.extended_by_days
(datetime.date(2021, 2, 28), datetime.date(2022, 11, 27), 0)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .credit import Extension
from .dates import minus_months


@dataclass(frozen=True)
class Window:
    start: int  # ordinal, possibly extended
    end: int
    base_start: int  # before extensions
    months: int
    used: tuple[Extension, ...]  # qualifying periods, in the order they extended
    month_end_adjusted: bool

    @property
    def extended_by_days(self) -> int:
        return self.base_start - self.start

    def as_dict(self) -> dict:
        return {"start": date.fromordinal(self.start).isoformat(),
                "end": date.fromordinal(self.end).isoformat(),
                "extended_by_days": self.extended_by_days}


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
                     month_end: str = "clip", shift: str = "days") -> Window:
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
