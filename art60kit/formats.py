"""Belgian formats for what a person reads and types: dates, numbers, percentages.

Formatting goes through Babel with the Belgian locale of the reader's language
(``fr_BE``, ``nl_BE``, ``de_BE``, ``en_BE``): dates DD/MM/YYYY in every language,
numbers with the locale's decimal comma and grouping mark (a narrow space in French,
a dot in Dutch, German and Belgian English), percentages with the locale's sign.

Parsing accepts what people type in a form or a notebook:

* dates as DD/MM/YYYY (also D/M/YYYY, DD.MM.YYYY, DD-MM-YYYY) or ISO YYYY-MM-DD;
* numbers with a decimal comma or point, grouping by spaces, and the dot grouping of
  French/Dutch/German when it is unambiguous (``1.560,5``, ``12.000.000``).

A number such as ``1.560`` is ambiguous (one thousand five hundred and sixty to a
Belgian reader, one point five six to a calculator): it is refused with a message
saying so rather than read one way silently.

>>> format_date(date(2026, 3, 1), "nl"), format_number(17500.25, "de"), format_percent(0.165, "fr")
('01/03/2026', '17.500,25', '16,5\\xa0%')
>>> format_percent(35 / 475, "fr"), format_percent(0.5, "nl")
('7,4\\xa0%', '50%')
>>> parse_date("14/11/1988"), parse_date("1988-11-14"), parse_number("7,5"), parse_number("1 560")
(datetime.date(1988, 11, 14), datetime.date(1988, 11, 14), 7.5, 1560.0)
"""
from __future__ import annotations

import re
from fractions import Fraction
from datetime import date
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

#: The Babel locale used for each reader's language.
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en_BE"}

#: What an absent date or figure shows.
MISSING = "—"


def _locale(lang: str) -> str:
    from .i18n import normalize_lang  # late: i18n imports this module

    return LOCALES[normalize_lang(lang)]


def format_date(d: date | None, lang: str = "fr") -> str:
    """A date as DD/MM/YYYY (every language: the Belgian form); ``None`` gives "—"."""
    if d is None:
        return MISSING
    return _babel_date(d, "dd/MM/yyyy", locale=_locale(lang))


def weekday_name(index: int, lang: str = "fr") -> str:
    """The name of a weekday (0 Monday .. 6 Sunday) in the reader's language."""
    from babel.dates import get_day_names

    return str(get_day_names("wide", locale=_locale(lang))[index])


def format_date_long(d: date | None, lang: str = "fr") -> str:
    """A date written out, as in a letter: "1 mars 2026", "1 maart 2026", "1. März 2026"."""
    if d is None:
        return MISSING
    return _babel_date(d, "long", locale=_locale(lang))


def format_month(month: str | date | None, lang: str = "fr") -> str:
    """A calendar month as MM/YYYY, the Belgian numeric form (every language), from a
    date or an ISO ``YYYY-MM`` period; anything else is returned unchanged.

    >>> format_month("2025-01"), format_month(date(2026, 3, 14), "nl"), format_month("-")
    ('01/2025', '03/2026', '-')
    """
    if month is None:
        return MISSING
    if isinstance(month, date):
        return f"{month.month:02d}/{month.year:04d}"
    m = re.match(r"^(\d{4})-(\d{2})$", str(month))
    return f"{m.group(2)}/{m.group(1)}" if m else str(month)


def format_number(x: float | int | None, lang: str = "fr", decimals: int = 4) -> str:
    """A number with at most ``decimals`` decimals (trailing zeros dropped), the locale's
    decimal mark and grouping: ``47,8421``, ``1 560`` (fr), ``1.560`` (nl, de, en)."""
    if x is None:
        return MISSING
    if isinstance(x, Fraction):  # an exact figure (hours of a derived line): shown rounded
        x = float(x)
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return _babel_decimal(x, format=pattern, locale=_locale(lang))


def format_integer(x: int | None, lang: str = "fr") -> str:
    """A whole number with the locale's grouping: ``17 500`` (fr), ``17.500`` (nl)."""
    return format_number(x, lang, decimals=0)


def format_percent(x: float | None, lang: str = "fr", decimals: int = 1) -> str:
    """A fraction as a percentage with the locale's sign and spacing: 0.165 →
    ``16,5 %`` (fr), ``16,5%`` (nl)."""
    if x is None:
        return MISSING
    # the rounded percentage as a decimal: a float such as 0.074 would show every
    # digit of 0.07400000000000001 (no quantization keeps the decimals actually there)
    scaled = Decimal(str(round(float(x) * 100, decimals))) / 100
    return _babel_percent(scaled, locale=_locale(lang), decimal_quantization=False)


class ParseError(ValueError):
    """What a person typed cannot be read; ``key`` names the catalog message that says
    why in the reader's language, ``value`` is what was typed."""

    def __init__(self, key: str, value: str):
        super().__init__(f"{key}: {value!r}")
        self.key = key
        self.value = value

    def message(self, lang: str = "fr") -> str:
        """The message in ``lang``; an ambiguous number names its two readings, as the
        person should type each (``1.560``: ``1560`` or ``1,56``)."""
        from .i18n import text

        extra = {}
        if self.key == "format.ambiguous_number":
            whole, _, frac = self.value.strip().partition(".")
            extra = {"whole": whole + frac, "decimal": whole + "," + (frac.rstrip("0") or "0")}
        return text(self.key, lang, value=self.value, **extra)


_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_date(value: str | date) -> date:
    """A date typed as DD/MM/YYYY (or D/M/YYYY, DD.MM.YYYY, DD-MM-YYYY) or ISO YYYY-MM-DD.

    A ``date`` is returned as is. Two-digit years are refused (1988 or 2088?). Raises
    :class:`ParseError` (``format.bad_date``) for anything else, including impossible
    days such as 31/02/2026.
    """
    if isinstance(value, date):
        return value
    s = str(value)
    m = _ISO.match(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DMY.match(s)
        if not m:
            raise ParseError("format.bad_date", s)
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        raise ParseError("format.bad_date", s) from None


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_DOT_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_COMMA_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$")
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_number(value: str | int | float) -> float:
    """A number typed with a decimal comma or point, grouped or not.

    ``7,5`` and ``7.5`` are 7.5; ``1 560``, ``1.560,5`` and ``12.000.000`` are read with
    their grouping; ``1,560.5`` (English grouping) too. A single dot followed by exactly
    three digits after a non-zero whole part (``1.560``) is refused as ambiguous
    (``format.ambiguous_number``), anything else unreadable as ``format.bad_number``.
    """
    if isinstance(value, bool):
        raise ParseError("format.bad_number", str(value))
    if isinstance(value, (int, float)):
        return float(value)
    raw = str(value)
    s = _SPACES.sub("", raw)
    if not s:
        raise ParseError("format.bad_number", raw)
    if _DOT_GROUPED.match(s):
        whole, _, frac = s.partition(",")
        if s.count(".") == 1 and not frac:
            if whole.lstrip("+-").startswith("0."):
                return float(s)  # 0.125: a decimal point, no whole part to group
            raise ParseError("format.ambiguous_number", raw)
        return float(whole.replace(".", "") + ("." + frac if frac else ""))
    if _COMMA_GROUPED.match(s):
        return float(s.replace(",", ""))
    if _PLAIN.match(s):
        return float(s.replace(",", "."))
    raise ParseError("format.bad_number", raw)
