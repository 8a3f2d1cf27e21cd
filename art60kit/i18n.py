"""The one catalog of user-facing text, in French, Dutch, German and English.

Every sentence, label and message a person reads lives in ``art60kit/locale/<lang>.yaml``
(one file per language, the same keys in each, the same ``{placeholders}`` in each:
tested). Code names a text by its key and asks for it with :func:`text`::

    text("days", "de", n=3)  ->  '3 Tage'

Keys are grouped by where the text appears: no prefix for the explanation and the CLI,
``fig.`` for figures, ``widget.`` for notebook widgets, ``dash.`` for dashboards,
``register.`` for the register, ``format.`` and ``validation.`` for input messages,
``sheet.`` for the printable answer sheet, ``ref.`` for legal references.

**Languages**: ``fr``, ``nl``, ``de``, ``en``; a tag such as ``nl-BE`` or ``DE`` is
read as its language. Any other language is a :class:`ValueError`.

**Fallback rule** (the only one): a key missing from a language's file is read in
French, the catalog's reference language. The shipped files miss nothing (the
completeness test fails otherwise), so the rule only matters for a locale file added
later and still incomplete. A key unknown in French too is a :class:`KeyError`: it is
a programming error, never shown to a person as a raw key.

Dates and numbers in these texts are formatted by :mod:`art60kit.formats` (Babel,
Belgian conventions); :func:`fmt_date` and :func:`fmt_num` are its short names.

>>> t("days", "fr", n=3), t("days", "nl-BE", n=3), t("days", "de", n=3)
('3 jours', '3 dagen', '3 Tage')
"""
from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

import yaml

from .formats import format_date, format_number

#: The languages a person can read the toolkit in.
LANGS = ("fr", "nl", "de", "en")
#: The catalog's reference language, and the language of the fallback rule.
DEFAULT_LANG = "fr"


def normalize_lang(lang: str | None) -> str:
    """``fr``/``nl``/``de``/``en`` from a language or locale tag (``nl-BE``, ``DE``, ``fr_BE``).

    >>> normalize_lang("nl-BE"), normalize_lang("DE")
    ('nl', 'de')
    """
    code = str(lang or "").strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGS:
        raise ValueError(f"unknown language {lang!r}: one of {', '.join(LANGS)}")
    return code


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML loader that refuses a key written twice (PyYAML keeps the last silently).
    Parsed by libyaml when PyYAML has it (the catalogs are read at every start)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"duplicate key {key!r} (line {key_node.start_mark.line + 1})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@lru_cache(maxsize=None)
def catalog(lang: str) -> Mapping[str, str]:
    """All texts of one language, read once from ``locale/<lang>.yaml`` (read-only)."""
    code = normalize_lang(lang)
    raw = resources.files("art60kit").joinpath("locale", f"{code}.yaml").read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=_UniqueKeyLoader) or {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"locale/{code}.yaml: every entry must be key: text")
    return MappingProxyType({str(k): v for k, v in data.items()})


#: names of the kinds of line that rule sets add to the case format's list, by kind and
#: language: they come with the rule data (``kinds.<kind>.label``), not with the catalog
_DATA_KINDS: dict[str, Mapping[str, str]] = {}


def add_kind_names(kind: str, names: Mapping[str, str]) -> None:
    """Name a kind of line that a rule set adds (called by the rule loader): its key
    ``kind.<kind>`` then reads like the catalog's own kinds. A kind the catalog already
    names keeps the catalog's names."""
    _DATA_KINDS[kind] = MappingProxyType(dict(names))


def template(key: str, lang: str = DEFAULT_LANG) -> str:
    """The unfilled text of ``key`` in ``lang``, French if that language lacks it."""
    texts = catalog(lang)
    if key in texts:
        return texts[key]
    base = catalog(DEFAULT_LANG)
    if key not in base and key.startswith("kind.") and key[5:] in _DATA_KINDS:
        names = _DATA_KINDS[key[5:]]
        return names.get(normalize_lang(lang)) or names[DEFAULT_LANG]
    return base[key]  # the fallback rule; KeyError if unknown everywhere


def text(key: str, lang: str = DEFAULT_LANG, /, **values) -> str:
    """The text ``key`` in ``lang`` with its ``{placeholders}`` filled from ``values``."""
    tpl = template(key, lang)
    return tpl.format(**values) if values or "{" in tpl else tpl


def t(key: str, lang: str = "en", /, **values) -> str:
    """:func:`text` with the explanation's historical default language (English)."""
    return text(key, lang, **values)


def has(key: str) -> bool:
    """Whether the catalog (or a rule set, for a kind it adds) knows ``key``."""
    return key in catalog(DEFAULT_LANG) or (key.startswith("kind.") and key[5:] in _DATA_KINDS)


def keys(prefix: str = "") -> list[str]:
    """The catalog's keys (in file order) that start with ``prefix``."""
    return [k for k in catalog(DEFAULT_LANG) if k.startswith(prefix)]


def entries(prefix: str, strip: bool = True) -> dict[str, dict[str, str]]:
    """``{key: {lang: text}}`` for the keys under ``prefix`` (prefix removed if ``strip``):
    a read view of the catalog for code that lists choices (statuses, roles)."""
    return {(k[len(prefix):] if strip else k): {lang: template(k, lang) for lang in LANGS}
            for k in keys(prefix)}


def placeholders(template_text: str) -> set[str]:
    """The names of the ``{placeholders}`` of a text."""
    return {f.split("!")[0].split(".")[0].split("[")[0]
            for _, f, _, _ in string.Formatter().parse(template_text) if f}


def fmt_date(d, lang: str = DEFAULT_LANG) -> str:
    """A date as the reader writes it: DD/MM/YYYY (Belgian form, every language)."""
    return format_date(d, lang)


def fmt_num(x: float, lang: str = DEFAULT_LANG, decimals: int = 4) -> str:
    """Up to 4 decimals with the locale's decimal comma and grouping.

    >>> fmt_num(47.8421, "fr"), fmt_num(36.0, "en"), fmt_num(1560, "nl")
    ('47,8421', '36', '1.560')
    """
    return format_number(x, lang, decimals)


#: Read view kept for code written against the former per-language table:
#: ``MESSAGES[key][lang]``. Built from the catalog, never edited.
class _MessagesView(Mapping):
    def __getitem__(self, key):
        if not has(key):
            raise KeyError(key)
        return {lang: template(key, lang) for lang in LANGS}

    def __iter__(self):
        return iter(keys())

    def __len__(self):
        return len(catalog(DEFAULT_LANG))


MESSAGES: Mapping[str, dict[str, str]] = _MessagesView()
