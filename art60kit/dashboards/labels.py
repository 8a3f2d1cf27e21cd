"""What a dashboard user reads: a thin view of the one catalog (:mod:`art60kit.i18n`).

Dashboard texts live under ``dash.`` in ``art60kit/locale/*.yaml``; :func:`label` takes
the short key used by the dashboards' code.
"""
from __future__ import annotations

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
