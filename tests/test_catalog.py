"""The one catalog of user-facing text: complete in fr, nl, de, en; same placeholders;
every literal key used in the code exists; French, Dutch and German texts are not
English left untranslated; the fallback rule and the language rule hold."""
import ast
import re
from pathlib import Path

import pytest

from art60kit import i18n
from art60kit.i18n import LANGS, catalog, keys, placeholders, text

ROOT = Path(i18n.__file__).parent

#: Texts that are legitimately the same in a language and in English (names, symbols,
#: words shared by the languages). Anything else equal to English is an untranslated text.
SAME_AS_ENGLISH = {
    "fr": {"import.ref.occupation", "sheet.col.source", "sheet.cpas", "sheet.page", "sheet.request_value", "val.where.options", "ref.act_article", "ref.art", "ref.on_article", "kind.force_majeure", "col.reference", "dash.suppressed", "dash.cpas", "dash.region",
           "dash.province", "dash.explorer.onem", "dash.explorer.version", "dash.explorer.col_version",
           "dash.explorer.kind.modification", "dash.kpi.modifications", "dash.explorer.col_note",
           "dash.median", "register.role.system", "widget.field.note", "widget.editor.person",
           "widget.field.days_per_week", "fig.outcome.ok", "dash.explorer.request",
           "dash.explorer.versions"},
    "nl": {"part.contract", "sheet.measure.regime", "sheet.section.contract", "val.where.contract", "ref.act_article", "ref.art", "ref.on_article", "dash.suppressed", "dash.explorer.version", "dash.explorer.col_version", "dash.explorer.col_status",
           "widget.field.case_id", "widget.field.days_per_week"},
    "de": {"sheet.region", "sheet.section.person", "val.where.person", "ref.act_article", "ref.on_article", "dash.suppressed", "dash.region", "dash.explorer.col_status", "widget.editor.person",
           "register.role.system", "widget.field.days_per_week"},
}


def test_every_key_in_every_language():
    ref = list(catalog("fr"))
    assert len(ref) > 300
    for lang in LANGS:
        got = catalog(lang)
        missing = [k for k in ref if k not in got]
        extra = [k for k in got if k not in ref]
        assert not missing and not extra, (lang, missing, extra)
        assert all(v for v in got.values()), lang  # never empty (a separator may be a space)


def test_same_placeholders_in_every_language():
    for key in keys():
        ph = {lang: placeholders(catalog(lang)[key]) for lang in LANGS}
        assert len({frozenset(p) for p in ph.values()}) == 1, (key, ph)


def test_no_english_left_in_french_dutch_german():
    en = catalog("en")
    for lang in ("fr", "nl", "de"):
        same = {k for k, v in catalog(lang).items()
                if v == en[k] and re.search(r"[A-Za-z]{3}", re.sub(r"\{[^}]*\}", "", v))}
        assert same <= SAME_AS_ENGLISH[lang], (lang, sorted(same - SAME_AS_ENGLISH[lang]))


def test_no_internal_names_in_any_text():
    bad = re.compile(r"rules\.md|design\.md|Part [123]|\bR-[A-Z]\d|\bar1991\b|\breform2026\b|\[[CIU]\]")
    for lang in LANGS:
        for k, v in catalog(lang).items():
            assert not bad.search(v), (lang, k, v)


def test_duplicate_key_is_refused(tmp_path):
    with pytest.raises(ValueError, match="duplicate key 'a'"):
        import yaml

        yaml.load("a: x\nb: y\na: z\n", Loader=i18n._UniqueKeyLoader)


def test_language_and_fallback_rules(monkeypatch):
    assert text("days", "DE", n=2) == "2 Tage" and text("days", "nl_BE", n=2) == "2 dagen"
    with pytest.raises(ValueError, match="unknown language"):
        text("days", "es", n=2)
    with pytest.raises(KeyError):
        text("no.such.key", "fr")
    # a key missing in one language is read in French (the one fallback rule)
    partial = {k: v for k, v in catalog("de").items() if k != "days"}
    real = i18n.catalog

    def fake(lang):
        return partial if i18n.normalize_lang(lang) == "de" else real(lang)

    monkeypatch.setattr(i18n, "catalog", fake)
    assert text("days", "de", n=2) == "2 jours"


def _literal_keys():
    """(file, key) for every literal key passed to a lookup function in the package."""
    calls = {"t": "", "text": "", "label": None, "status_label": "register.status.", "message": None}
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                continue
            fn = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else None)
            if fn not in calls:
                continue
            key = node.args[0].value
            rel = path.relative_to(ROOT).as_posix()
            if fn == "label":
                if not rel.startswith(("viz/", "widgets/", "dashboards/")):
                    continue
                if rel.startswith("dashboards/"):
                    yield rel, "dash." + key
                else:
                    from art60kit.viz.labels import catalog_key

                    yield rel, catalog_key(key)
            elif fn == "message":
                if rel.startswith("register/") and key.islower() and len(key) > 2:
                    yield rel, "register.error." + key
            elif fn in ("t", "text") and "." in key or key in ("days", "none"):
                yield rel, calls[fn] + key if calls[fn] is not None else key


def test_every_literal_key_in_the_code_exists():
    known = set(keys())
    missing = sorted({(f, k) for f, k in _literal_keys() if k not in known})
    assert not missing, missing
