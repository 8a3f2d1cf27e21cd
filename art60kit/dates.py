"""Calendar arithmetic for the calculation: date-to-date months, weekday patterns,
calendar quarters and Belgian public holidays.

Semantics (stated once, used everywhere):

- Periods are inclusive: ``[start, end]`` contains both days.
- ``minus_months(d, n)`` is the same day number ``n`` months earlier. When that day does
  not exist (31 May - 3 months -> 31 February), the month-end policy decides:
  ``clip`` gives the last day of the shorter month (as ``dateutil.relativedelta``),
  ``next_day`` gives the first day of the following month. The function reports whether
  the day had to be adjusted, so that the explanation can say so.
- A *weekday pattern* is the set of weekdays a regime of R days a week works: the first
  ``ceil(R)`` days from Monday (R = 5: Monday to Friday). Sources do not locate work
  days inside a week; Monday-first is the usual schedule and it makes a week that ends on
  a Friday complete (VVSG's example, worked example E1: Monday 3 July to Friday 11 August
  2006, 30 days x 6/5 = 36).

Public holidays come from the maintained ``holidays`` package (Belgium), never from a
hand-written list. Sources: Belgian law of 4 January 1974 on public holidays, as
implemented by ``holidays.BE``.

>>> from datetime import date
>>> minus_months(date(2022, 11, 28), 21)
(datetime.date(2021, 2, 28), False)
>>> minus_months(date(2022, 11, 30), 21)
(datetime.date(2021, 2, 28), True)
>>> minus_months(date(2022, 11, 30), 21, "next_day")
(datetime.date(2021, 3, 1), True)
>>> count_pattern_days(date(2006, 7, 3), date(2006, 8, 11), weekday_mask(5))
30
>>> quarter_bounds(date(2024, 5, 17))
(datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=65536)
def minus_months(d: date, months: int, month_end: str = "clip") -> tuple[date, bool]:
    """``d`` minus ``months`` calendar months, date to date; returns ``(day, adjusted)``.

    ``adjusted`` is True when the same day number does not exist in the target month.
    """
    target = d - relativedelta(months=months)
    adjusted = target.day != d.day
    if adjusted and month_end == "next_day":
        target = target + ONE_DAY
    return target, adjusted


def add_years(d: date, years: int) -> date:
    """``d`` plus ``years`` years; 29 February becomes 28 February in common years.

    >>> add_years(date(2000, 2, 29), 1)
    datetime.date(2001, 2, 28)
    """
    return d + relativedelta(years=years)


def age_on(birth: date, on: date) -> int:
    """Age in whole years on day ``on``. A person born on 29 February has their
    birthday on 28 February in common years (relativedelta's reading).

    >>> age_on(date(1990, 6, 15), date(2026, 6, 14)), age_on(date(1990, 6, 15), date(2026, 6, 15))
    (35, 36)
    """
    return relativedelta(on, birth).years


def birthday(birth: date, age: int) -> date:
    """The day a person born on ``birth`` reaches ``age``."""
    return add_years(birth, age)


@lru_cache(maxsize=None)
def weekday_mask(days_per_week: float) -> int:
    """Bit mask of worked weekdays (bit 0 = Monday) for a regime of R days a week.

    >>> bin(weekday_mask(5)), bin(weekday_mask(2.25)), bin(weekday_mask(6))
    ('0b11111', '0b111', '0b111111')
    """
    n = min(7, max(1, math.ceil(days_per_week - 1e-9)))
    return (1 << n) - 1


def count_pattern_days(start: date, end: date, mask: int) -> int:
    """Number of days in ``[start, end]`` whose weekday is in ``mask``; 0 if empty."""
    return count_pattern_ordinals(start.toordinal(), end.toordinal(), mask)


_POP = [bin(m).count("1") for m in range(128)]


def count_pattern_ordinals(a: int, b: int, mask: int) -> int:
    """Same as :func:`count_pattern_days` on proleptic ordinals (fast path)."""
    if b < a:
        return 0
    n = b - a + 1
    weeks, rest = divmod(n, 7)
    total = weeks * _POP[mask]
    wd = (a - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
    for i in range(rest):
        if mask >> ((wd + i) % 7) & 1:
            total += 1
    return total


def quarter_bounds(d: date) -> tuple[date, date]:
    """First and last day of the calendar quarter containing ``d``."""
    q0 = (d.month - 1) // 3 * 3 + 1
    first = date(d.year, q0, 1)
    last = (first + relativedelta(months=3)) - ONE_DAY
    return first, last


@lru_cache(maxsize=4096)
def _quarter_ord(year: int, q: int) -> tuple[int, int]:
    first = date(year, 3 * q + 1, 1)
    last = first + relativedelta(months=3) - ONE_DAY
    return first.toordinal(), last.toordinal()


def quarters_ordinals(a: int, b: int) -> list[tuple[int, int]]:
    """The calendar quarters meeting ``[a, b]`` (ordinals), each as its full bounds."""
    out = []
    if b < a:
        return out
    d = date.fromordinal(a)
    y, q = d.year, (d.month - 1) // 3
    while True:
        qa, qb = _quarter_ord(y, q)
        if qa > b:
            break
        out.append((qa, qb))
        q += 1
        if q == 4:
            y, q = y + 1, 0
    return out


@lru_cache(maxsize=4096)
def _month_ord(year: int, month: int) -> tuple[int, int]:
    first = date(year, month, 1)
    last = first + relativedelta(months=1) - ONE_DAY
    return first.toordinal(), last.toordinal()


def months_ordinals(a: int, b: int) -> list[tuple[int, int]]:
    """The calendar months meeting ``[a, b]`` (ordinals), each as its full bounds."""
    out = []
    if b < a:
        return out
    d = date.fromordinal(a)
    y, m = d.year, d.month
    while True:
        ma, mb = _month_ord(y, m)
        if ma > b:
            break
        out.append((ma, mb))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


#: the years :func:`holiday_ordinals` covers
HOLIDAY_YEARS = (1950, 2100)


def _disk_table(name: str, build, parse, dump):
    """A table derived from the ``holidays`` package, kept on disk once built: beside
    numba's cache (``NUMBA_CACHE_DIR``) or in the package's ``__pycache__``, in a file
    named after ``name`` and the ``holidays`` version (a new version is read again).
    Reading the package for :data:`HOLIDAY_YEARS` costs more than planning a case. A
    folder that cannot be written, or a damaged file, only means building it again."""
    import os
    from importlib.metadata import version
    from pathlib import Path

    folder = Path(os.environ.get("NUMBA_CACHE_DIR") or Path(__file__).parent / "__pycache__")
    y0, y1 = HOLIDAY_YEARS
    path = folder / f"art60kit-holidays-{version('holidays')}-{y0}-{y1}{name}"
    try:
        table = parse(path.read_text(encoding="utf-8"))
        if table:
            return table
    except (OSError, ValueError):
        pass
    table = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(dump(table), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return table


@lru_cache(maxsize=1)
def holiday_ordinals() -> tuple[int, ...]:
    """Ordinals of the Belgian public holidays of :data:`HOLIDAY_YEARS`, every weekday,
    sorted (kept on disk, see :func:`_disk_table`)."""
    y0, y1 = HOLIDAY_YEARS
    return _disk_table(
        ".txt",
        lambda: tuple(sorted(d.toordinal() for y in range(y0, y1 + 1) for d in _holidays_for_year(y, "fr"))),
        lambda text: tuple(int(x) for x in text.split()),
        lambda days: "\n".join(map(str, days)))


@lru_cache(maxsize=None)
def _holiday_names(language: str) -> dict[int, str]:
    """The names, in ``language``, of the Belgian public holidays of
    :data:`HOLIDAY_YEARS`, by ordinal (kept on disk, see :func:`_disk_table`): an
    explanation names the holidays its lines meet without loading the ``holidays``
    package, whose country modules take longer to import than the plan takes."""
    y0, y1 = HOLIDAY_YEARS

    def parse(text: str) -> dict[int, str]:
        out = {}
        for row in text.splitlines():
            o, name = row.split("\t", 1)
            out[int(o)] = name
        return out

    return _disk_table(
        f"-{language}.tsv",
        lambda: {d.toordinal(): n for y in range(y0, y1 + 1) for d, n in _holidays_for_year(y, language).items()},
        parse,
        lambda names: "\n".join(f"{o}\t{n}" for o, n in sorted(names.items())))


@lru_cache(maxsize=None)
def _holiday_rows(language: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """:func:`_holiday_names` as two aligned tuples sorted by day."""
    rows = sorted(_holiday_names(language).items())
    return tuple(o for o, _ in rows), tuple(n for _, n in rows)


@lru_cache(maxsize=None)
def _holidays_for_year(year: int, language: str) -> dict:
    import holidays  # imported lazily: loading the package costs a few ms

    lang = {"en": "en_US"}.get(language, language)
    return dict(holidays.BE(years=year, language=lang))


@lru_cache(maxsize=8192)
def public_holidays(start: date, end: date, language: str = "fr") -> list[tuple[date, str]]:
    """Belgian public holidays in ``[start, end]`` with their names in ``language``
    (fr, nl, de or en), from the ``holidays`` package (for :data:`HOLIDAY_YEARS`, from
    its table kept on disk).

    >>> public_holidays(date(2006, 7, 3), date(2006, 8, 11))
    [(datetime.date(2006, 7, 21), 'Fête nationale')]
    >>> public_holidays(date(2006, 7, 3), date(2006, 8, 11), "nl")
    [(datetime.date(2006, 7, 21), 'Nationale feestdag')]
    """
    y0, y1 = HOLIDAY_YEARS
    if y0 <= start.year and end.year <= y1:
        ords, names = _holiday_rows(language)
        i, j = bisect_left(ords, start.toordinal()), bisect_right(ords, end.toordinal())
        return [(date.fromordinal(o), n) for o, n in zip(ords[i:j], names[i:j])]
    out = []
    for y in range(start.year, end.year + 1):
        for d, name in _holidays_for_year(y, language).items():
            if start <= d <= end:
                out.append((d, name))
    return sorted(out)


def is_public_holiday(d: date) -> bool:
    return d in _holidays_for_year(d.year, "fr")
