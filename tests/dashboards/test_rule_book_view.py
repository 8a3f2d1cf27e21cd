"""The reform-impact dashboard follows the rule book, not a fixed pair of rule sets:
with the test-only fictional rule set added to the book (tests/data/fictional2027.yaml),
the set-up plans the population under the last two rule sets, and the page lists every
rule set of the book, says which two it compares and dates the reform from the data."""
from __future__ import annotations

import html
import json
import sqlite3

import pytest

from art60kit import rules
from art60kit.dashboards import reform as R
from art60kit.dashboards import source
from art60kit.dashboards.labels import label, rule_set_title, rule_sets
from art60kit.dashboards.prepare import build_cache
from art60kit.dashboards.reform_app import ReformDashboard


@pytest.fixture
def fictional(monkeypatch):
    """The shipped rule book with the fictional 2027 rule set after the reform."""
    from test_fictional_rules import fictional_book
    book = fictional_book()
    monkeypatch.setattr(rules, "default_rulebook", lambda: book)
    R.compared_rule_sets.cache_clear()
    R.single_rule_books.cache_clear()
    yield book
    R.compared_rule_sets.cache_clear()
    R.single_rule_books.cache_clear()


def test_the_reform_page_lists_and_compares_a_rule_set_added_to_the_book(dashboard_register, tmp_path, fictional):
    reg = str(tmp_path / "register.sqlite")
    src, dst = sqlite3.connect(dashboard_register), sqlite3.connect(reg)
    src.backup(dst)
    src.close(), dst.close()
    build_cache(reg, sample=60, processes=1)
    meta = json.loads((source.cache_dir(reg) / source.REFORM_META).read_text(encoding="utf-8"))
    assert meta["compared"] == ["reform2026", "fictional2027"]
    assert [rs.id for rs in rule_sets()] == ["ar1991", "reform2026", "fictional2027"]
    for lang in ("fr", "nl"):
        d = ReformDashboard(lang, reg)
        sep = " :" if lang == "fr" else ":"
        listed = d.w_rule_sets.value
        for rs, role in ((fictional.get("fictional2027"), "reform.new"), (fictional.get("reform2026"), "reform.old"),
                         (fictional.get("ar1991"), "reform.not_compared")):
            item = f"<li><b>{html.escape(label(role, lang))}</b>{sep} {html.escape(rule_set_title(rs, lang))}</li>"
            assert item in listed, (lang, item)
        assert "01/01/2027" in d.w_title.value
        assert html.escape(rule_set_title(fictional.get("fictional2027"), lang)) in d.w_intro.value
        # the population planned under both: the fictional rule set's shorter condition shows
        assert len(d.df) >= 40
        assert (d.df["delta_days_to_work"] < 0).any()
        assert "<svg" in d.img["dist"].value


def test_a_cache_made_for_other_rule_sets_is_made_again(dashboard_register, tmp_path, monkeypatch):
    reg = str(tmp_path / "register.sqlite")
    src, dst = sqlite3.connect(dashboard_register), sqlite3.connect(reg)
    src.backup(dst)
    src.close(), dst.close()
    build_cache(reg, sample=20, processes=1)
    meta_path = source.cache_dir(reg) / source.REFORM_META
    assert json.loads(meta_path.read_text(encoding="utf-8"))["compared"] == ["ar1991", "reform2026"]
    first = meta_path.stat().st_mtime_ns
    build_cache(reg, sample=20, processes=1)
    assert meta_path.stat().st_mtime_ns == first  # up to date: kept
    from test_fictional_rules import fictional_book
    book = fictional_book()
    monkeypatch.setattr(rules, "default_rulebook", lambda: book)
    R.compared_rule_sets.cache_clear()
    R.single_rule_books.cache_clear()
    try:
        build_cache(reg, sample=20, processes=1)
        assert json.loads(meta_path.read_text(encoding="utf-8"))["compared"] == ["reform2026", "fictional2027"]
    finally:
        R.compared_rule_sets.cache_clear()
        R.single_rule_books.cache_clear()


@pytest.mark.parametrize("lang,written", [("fr", "12\u202f345"), ("nl", "12.345"), ("de", "12.345")])
def test_the_reform_page_writes_its_population_in_belgian_numbers(dashboard_register, lang, written):
    d = ReformDashboard(lang, dashboard_register)
    d.meta = dict(d.meta, n_failed=12345)
    d._texts()
    assert written in d.w_intro.value and "12345" not in d.w_intro.value


def test_the_reform_intro_shows_its_counts_as_every_figure_is_shown(dashboard_register):
    """The population written in the introduction is the rounded figure of the headline
    count (same persons, same figure), never the exact count beside it; the requests
    without a plan are rounded or "< 5" too."""
    import re

    from art60kit.dashboards.suppress import KEY_MODULUS

    d = ReformDashboard("fr", dashboard_register)
    headline = re.search(r"a60-kpi-n'><b>([^<]+)</b>", d.w_kpis.value).group(1)
    n = len(d.df)
    assert html.escape(headline) in d.w_intro.value
    assert int(headline.replace("\u202f", "")) % 5 == 0 and abs(int(headline.replace("\u202f", "")) - n) <= 4
    if n % 5:
        assert f">{n} " not in d.w_intro.value and f" {n} " not in d.w_intro.value
    for failed, key, shown in ((146, 0, "150"), (146, KEY_MODULUS - 1, "145"), (3, 0, "&lt; 5"), (0, 0, "&lt; 5")):
        d.meta = dict(d.meta, n_failed=failed, k_failed=key)
        d._texts()
        assert f"({shown} " in d.w_intro.value, (failed, key, d.w_intro.value)
        assert "146" not in d.w_intro.value
    # a sample: both of its counts rounded too
    d.meta = dict(d.meta, sample=150, planned=151, k_planned=0, population=599, k_population=KEY_MODULUS - 1)
    d._texts()
    assert "155 demandes sur 595" in d.w_intro.value
