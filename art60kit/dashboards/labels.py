"""What a dashboard user reads: a thin view of the one catalog (:mod:`art60kit.i18n`).

Dashboard texts live under ``dash.`` in ``art60kit/locale/*.yaml``; :func:`label` takes
the short key used by the dashboards' code.
"""
from __future__ import annotations

from functools import lru_cache

import re

from ..formats import _locale, format_month, format_number
from ..i18n import DEFAULT_LANG, LANGS, entries, placeholders, text  # noqa: F401

#: The dashboards' language selector: (button text, language), English left out
#: because CPAS@ONEM users read French, Dutch or German (English stays reachable by ?lang=en).
LANG_OPTIONS = (("FR", "fr"), ("NL", "nl"), ("DE", "de"))
SELECTABLE_LANGS = tuple(code for _, code in LANG_OPTIONS)


def label(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """The text of ``key`` in ``lang`` (catalog fallback rule: French if missing).

    >>> label("region", "nl"), label("fig.by_cpas", "fr", n=15), label("cpas", "de")
    ('Gewest', 'Demandes par CPAS (les 15 premiers)', 'ÖSHZ')
    """
    return text("dash." + key, lang, **params)


#: ``{short key: {lang: text}}``, a read view built from the catalog.
LABELS: dict[str, dict[str, str]] = entries("dash.")


def number(v: float, lang: str = DEFAULT_LANG, fmt: str = "{:.0f}") -> str:
    """A figure as a person reads it, in the Belgian format of ``lang`` (Babel, via
    :mod:`art60kit.formats`): ``fmt`` is a Python format whose decimals (``.1f``) and
    sign (``+``: a plus before positive values) are kept; grouping always follows the
    locale (a narrow space in French, a dot in Dutch and German).

    >>> number(18945, "fr"), number(18945, "nl"), number(2.25, "de", "{:.1f}"), number(-12, "nl", "{:+.0f}")
    ('18\u202f945', '18.945', '2,2', '-12')
    >>> number(18, "fr", "{:.1f}"), number(1234.5, "nl", "{:.2f}")
    ('18,0', '1.234,50')
    >>> number(30, "fr", "{:+,.0f}"), number(0, "fr", "{:+.0f}")
    ('+30', '0')
    """
    return _number(float(v), lang, fmt)


@lru_cache(maxsize=8192)
def _number(v: float, lang: str, fmt: str) -> str:
    """:func:`number`, kept: a page writes the same few hundred figures again at each
    update, and each Babel call costs about 0.3 ms."""
    m = re.search(r"\.(\d+)f", fmt)
    decimals = int(m.group(1)) if m else 0
    s = format_number(v, lang, decimals=decimals)
    if decimals:  # as many decimals on every row of a column: 18,0 beside 15,8, not 18
        from babel.numbers import get_decimal_symbol
        mark = get_decimal_symbol(_locale(lang))
        whole, _, frac = s.partition(mark)
        s = f"{whole}{mark}{frac.ljust(decimals, '0')}"
    if "+" in fmt and v > 0:
        return "+" + s
    return s



def month(period: str, lang: str = DEFAULT_LANG) -> str:
    """A month of the register (ISO ``YYYY-MM``) as a person reads it: ``01/2025``."""
    return format_month(period, lang)


def rule_sets() -> tuple:
    """The rule sets of the rule book in force (:func:`art60kit.rules.default_rulebook`),
    oldest first: the dashboards list and compare these, never a fixed pair."""
    from ..rules import default_rulebook

    return tuple(sorted(default_rulebook().rule_sets, key=lambda rs: rs.valid_from))


def rule_set_title(rule_set, lang: str = DEFAULT_LANG) -> str:
    """A rule set's title in the reader's language (French when it has none in it).

    >>> rule_set_title(rule_sets()[-1], "nl")[:33]
    'Programmawet van 18 juli 2025, re'
    """
    t = rule_set.title
    if isinstance(t, dict):
        return t.get(lang) or t.get(DEFAULT_LANG) or rule_set.id
    return str(t or rule_set.id)


def age_categories() -> tuple[str, ...]:
    """The age categories of every rule set, youngest first, each once (a rule set
    without categories adds none); the dashboards' rows and filters follow them.

    >>> age_categories()
    ('under_36', '36_49', '50_plus')
    """
    seen: dict[str, int] = {}
    for rs in rule_sets():
        for cat, from_age in rs.age_categories:
            seen.setdefault(cat, from_age)
    return tuple(sorted(seen, key=lambda c: seen[c]))


def in_sentence(text_: str, lang: str = DEFAULT_LANG) -> str:
    """A label written inside a sentence: lower-case first letter, except in German,
    whose nouns keep their capital.

    >>> in_sentence("Anträge", "de"), in_sentence("Demandes", "fr"), in_sentence("Contrat (jours)", "nl")
    ('Anträge', 'demandes', 'contrat (jours)')
    """
    return text_ if lang == "de" else text_.lower()
