"""Labels of the figures and widgets: a thin view of the one catalog (:mod:`art60kit.i18n`).

Figure labels live under ``fig.`` in ``art60kit/locale/*.yaml``, widget labels under
``widget.``; :func:`label` takes the short key used by the views.

>>> label("lane.work", "nl"), label("lane.work", "de")
('Arbeid', 'Arbeit')
"""
from __future__ import annotations

from ..i18n import LANGS, entries, text  # noqa: F401  (LANGS: the languages the views speak)

_WIDGET_GROUPS = ("editor.", "field.", "whatif.", "ex.")


def catalog_key(key: str) -> str:
    """The catalog key of a view's short key (``lane.work`` → ``fig.lane.work``)."""
    return ("widget." if key.startswith(_WIDGET_GROUPS) else "fig.") + key


def label(key: str, lang: str = "fr", /, **values) -> str:
    """The label ``key`` in ``lang`` with ``values`` filled in (catalog fallback rule)."""
    return text(catalog_key(key), lang, **values)


#: ``{short key: {lang: text}}``, a read view built from the catalog.
LABELS: dict[str, dict[str, str]] = {**entries("fig."), **entries("widget.")}
