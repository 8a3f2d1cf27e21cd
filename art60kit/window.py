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

The window is computed by the compiled kernel (:func:`art60kit.batch.kernel.ref_window`),
the same function the end-date search runs; :meth:`art60kit.ledger.Ledger.window` gives
it as a :class:`Window` with the extending periods it used.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .credit import Extension


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
