"""The calendar of the compiled kernel: days as proleptic Gregorian ordinals.

Conversions between ordinals and (year, month, day) (:func:`ymd`, :func:`ordinal`),
month and year arithmetic as :mod:`dateutil` does it (the day clipped to the month's
last day, or the first day of the next month under the month-end reading ``next_day``:
:func:`add_months`, :func:`add_years`, :func:`months_days_between`), ages, calendar
quarters and crediting periods (a quarter, ``PM`` = 3 months, or a month, ``PM`` = 1),
the days of a weekly pattern (a weekday mask, bit 0 = Monday) in a span of days
(:func:`count_pattern`) and the public holidays among them (:func:`holidays_in`, from
the holiday table ``hc`` built by :func:`art60kit.batch.book.holiday_table`).

Tables held as globals (:data:`QSTARTS`, :data:`POP`, :data:`REST`) are frozen into the
compiled code as constants: they are pure functions of the calendar.
"""
from __future__ import annotations

import numpy as np

from .base import EPOCH_ORD, leaf


@leaf
def ymd(o):
    z = o - EPOCH_ORD + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    return y, m, d


@leaf
def ordinal(y, m, d):
    if m <= 2:
        y -= 1
    era = y // 400
    yoe = y - era * 400
    mp = m - 3 if m > 2 else m + 9
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468 + EPOCH_ORD


@leaf
def is_leap(y):
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0


@leaf
def month_days(y, m):
    if m == 2:
        return 29 if is_leap(y) else 28
    if m == 4 or m == 6 or m == 9 or m == 11:
        return 30
    return 31


@leaf
def add_months(o, n, next_day):
    """Same day ``n`` months later (negative: earlier), clipped to the month's last
    day (``next_day``: first day of the following month instead)."""
    y, m, d = ymd(o)
    t = y * 12 + (m - 1) + n
    y2 = t // 12
    m2 = t % 12 + 1
    last = month_days(y2, m2)
    if d <= last:
        return ordinal(y2, m2, d)
    if next_day:
        return ordinal(y2, m2, last) + 1
    return ordinal(y2, m2, last)


@leaf
def add_years(o, n):
    y, m, d = ymd(o)
    y2 = y + n
    if m == 2 and d == 29 and not is_leap(y2):
        d = 28
    return ordinal(y2, m, d)


@leaf
def age_on(birth, on):
    by, _, _ = ymd(birth)
    oy, _, _ = ymd(on)
    a = oy - by
    if on < add_years(birth, a):
        a -= 1
    return a


@leaf
def quarter_start(o):
    y, m, _ = ymd(o)
    return ordinal(y, (m - 1) // 3 * 3 + 1, 1)


def _quarter_starts():
    """First day (ordinal) of every quarter from 1900 to 2200: QSTARTS[i] starts
    quarter number QBASE + i (quarter number = year * 4 + quarter index)."""
    from datetime import date

    return np.array([date(y, m, 1).toordinal() for y in range(1900, 2201) for m in (1, 4, 7, 10)], np.int64)


QSTARTS = _quarter_starts()
QBASE = 1900 * 4


@leaf
def quarter_no(o):
    """Quarter number (year * 4 + quarter index) of day ``o``: a table lookup between
    1900 and 2200 from an estimate at 365.25 / 4 days a quarter, corrected."""
    if o >= QSTARTS[0] and o < QSTARTS[QSTARTS.shape[0] - 1]:
        i = (o - QSTARTS[0]) * 16 // 1461
        while QSTARTS[i] > o:
            i -= 1
        while QSTARTS[i + 1] <= o:
            i += 1
        return QBASE + i
    y, m, _ = ymd(o)
    return y * 4 + (m - 1) // 3


@leaf
def period_start(o, PM):
    """First day of the crediting period holding day ``o``: its calendar quarter
    (``PM`` = 3 months) or its month (``PM`` = 1)."""
    y, m, _ = ymd(o)
    return ordinal(y, (m - 1) // PM * PM + 1, 1)


@leaf
def period_no(o, PM):
    """A number per crediting period (quarter or month, ``PM`` = 3 or 1), consecutive."""
    y, m, _ = ymd(o)
    return (y * 12 + m - 1) // PM


def _pattern_tables():
    """``(POP, REST)``: days of weekday mask ``m`` in a week, and in the first ``r``
    days (r < 7) of a run starting on weekday ``w`` (0 = Monday): REST[m, w, r]."""
    pop = np.zeros(128, np.int64)
    rest = np.zeros((128, 7, 7), np.int64)
    for m in range(128):
        pop[m] = bin(m).count("1")
        for w in range(7):
            for r in range(1, 7):
                rest[m, w, r] = rest[m, w, r - 1] + ((m >> ((w + r - 1) % 7)) & 1)
    return pop, rest


# Global arrays are frozen into the compiled code as constants (numba): they are pure
# functions of the calendar, so the cached machine code stays valid.
POP, REST = _pattern_tables()


@leaf
def popcount(x):
    return POP[x & 127]


@leaf
def count_pattern(a, b, mask):
    """Days of weekday ``mask`` (bit 0 = Monday) in [a, b]; 0 when b < a
    (dates.count_pattern_ordinals)."""
    if b < a:
        return 0
    n = b - a + 1
    weeks = n // 7
    return weeks * POP[mask] + REST[mask, (a - 1) % 7, n - weeks * 7]


@leaf
def holidays_in(a, b, mask, hc, hbase):
    if b < a:
        return 0
    mi = popcount(mask) - 1
    n = hc.shape[1] - 1
    lo = min(max(a - hbase, 0), n)
    hi = min(max(b - hbase + 1, 0), n)
    return hc[mi, hi] - hc[mi, lo]


@leaf
def weekday_mask(r):
    n = int(np.ceil(r - 1e-9))
    n = min(7, max(1, n))
    return (1 << n) - 1


@leaf
def qstart(qn):
    """First day of quarter number ``qn`` (year * 4 + quarter index)."""
    i = qn - QBASE
    if i >= 0 and i < QSTARTS.shape[0]:
        return QSTARTS[i]
    return ordinal(qn // 4, (qn % 4) * 3 + 1, 1)


@leaf
def months_days_between(a, b1):
    """dateutil's ``relativedelta(b1, a)`` for ``a <= b1`` as (months, days): the most
    whole months from ``a`` (day clipped to the month's end) not passing ``b1``, then
    the days left."""
    y1, m1, _ = ymd(b1)
    y0, m0, _ = ymd(a)
    months = (y1 - y0) * 12 + (m1 - m0)
    while months > 0 and add_months(a, months, False) > b1:
        months -= 1
    return months, b1 - add_months(a, months, False)
