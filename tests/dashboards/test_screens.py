"""What a person reads on the dashboards, without a browser: Belgian numbers and
months on every figure, table and download, age rows that are never empty, the
before/after 1 March 2026 view with the same small-cell protection as the headline
figures, the rule sets and age categories taken from the rule data, and the
definitions panels in every language."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from art60kit.dashboards import aggregates as A
from art60kit.dashboards import svgchart as S
from art60kit.dashboards.downloads import render, table
from art60kit.dashboards.labels import age_categories, label, rule_set_title, rule_sets
from art60kit.dashboards.policy import PolicyDashboard
from art60kit.dashboards.reform_app import ReformDashboard, group_table
from art60kit.i18n import LANGS

ISO_MONTH = re.compile(r"\b20\d\d-(0[1-9]|1[0-2])\b")
VIEWS = ("policy.py", "reform_app.py", "reform.py", "explorer.py", "page.py", "svgchart.py", "downloads.py", "figures.py",
         "aggregates.py")


@pytest.fixture(scope="module")
def policy(dashboard_register):
    return PolicyDashboard("fr", dashboard_register)


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize("lang,expected", [("fr", "18\u202f945"), ("nl", "18.945"), ("de", "18.945")])
def test_figure_numbers_have_the_belgian_grouping(lang, expected):
    horizontal = S.bars(["a", "b"], [18945, 1200], [False, False], "t", lang, "h", horizontal=True)
    vertical = S.bars(["a", "b"], [18945, 1200], [False, False], "t", lang, "v")
    ranges = S.ranges(["a"], [("p", [18945.0], [100.0], [20000.0], S.BLUE)], [False], "t", lang, "r")
    for svg in (horizontal, vertical, ranges):
        texts = _texts(svg)
        assert expected in texts, texts
        assert not any(re.fullmatch(r"\d{4,}", t) for t in texts), texts  # no 18945, no 20000
    assert "+1.200" in _texts(S.bars(["a"], [1200], [False], "t", "nl", "s", value_fmt="{:+.0f}", horizontal=True))


def test_months_are_written_mm_yyyy_on_screen_and_in_downloads(policy):
    policy.apply_query({"lang": "nl", "cpas": "*", "region": "*", "rules": "*"})
    assert [lab for lab, _ in policy.w_period.options][:2] == ["01/2025", "02/2025"]
    assert not ISO_MONTH.search(policy.w_status.value) and "01/2025" in policy.w_status.value
    assert not ISO_MONTH.search(policy.w_compare.value)
    for key, box in policy.img.items():
        assert not ISO_MONTH.search(" ".join(_texts(box.value))), key
        assert not ISO_MONTH.search(re.search(r"aria-label='([^']*)'", box.value).group(1)), key
    for key, shown in policy.shown.items():
        t = table(shown, "nl")
        cells = " ".join(map(str, t.columns)) + " " + " ".join(str(v) for v in t.to_numpy().ravel())
        assert not ISO_MONTH.search(cells), (key, cells[:300])
    months = table(policy.shown["month"], "nl").iloc[:, 0].tolist()
    assert months[0] == "01/2025"
    policy.apply_query({"lang": "fr"})


def test_age_rows_are_never_empty(policy):
    """Each age row of the selection shows figures or "< 5" (a category with 0 persons
    included); a category the selected rule set does not have is left out."""
    for rules in ("*", *(rs.id for rs in rule_sets())):
        for cpas in ("*", policy.w_cpas.options[-1][1]):
            policy.apply_query({"rules": rules, "cpas": cpas})
            s = policy.shown["age"]
            t = table(s, "fr")
            for row, sup in zip(t.itertuples(index=False), s.frame["suppressed"]):
                shown = [v for v in row[1:] if v is not None]
                assert shown, (rules, cpas, row)  # never an empty row
                assert sup or all(v != "< 5" for v in shown[:1])
            names = [label(f"age.{c}", "fr") for c in (
                [c for c, _ in next(rs for rs in rule_sets() if rs.id == rules).age_categories] or ["none"]
                if rules != "*" else list(age_categories()) + ["none"])]
            assert t.iloc[:, 0].tolist() == names, (rules, t.iloc[:, 0].tolist())
            for name in names:  # the figure draws each row: a value or "< 5" beside its label
                assert name in _texts(s.svg)
    policy.apply_query({"rules": "*", "cpas": "*"})


def test_before_after_view_lists_every_rule_set_with_the_headline_protection(policy):
    for cpas in ("*", *policy.facts.requests.groupby("cpas_nis").size().sort_values().index[:4]):
        policy.apply_query({"lang": "nl", "cpas": cpas})
        s = policy.shown["compare_rules"]
        assert list(s.columns)[1:] == [rs.id for rs in rule_sets()]
        assert [s.columns[rs.id] for rs in rule_sets()] == [rule_set_title(rs, "nl") for rs in rule_sets()]
        f = policy.filters()
        for rs in rule_sets():
            fr = A.Filters(months=f.months, region=f.region, province=f.province, cpas=f.cpas, rules=rs.id)
            k = A.kpis(A.filter_requests(policy.facts, fr), A.filter_versions(policy.facts, fr))
            col = s.frame[rs.id]
            assert (k["n_requests"] is None and col.isna().iloc[0]) or col.iloc[0] == k["n_requests"]
            counts = col.iloc[[0, 1, 4, 5]].dropna()
            assert not ((counts > 0) & (counts < 5)).any(), (cpas, rs.id, counts.tolist())
        t = table(s, "nl")
        for v in t.iloc[:, 1:].to_numpy().ravel():
            assert not (isinstance(v, (int, float)) and 0 < v < 5)
        for rs in rule_sets():
            assert rule_set_title(rs, "nl") in policy.w_rules_compare.value.replace("&#x27;", "'")
        assert render(s, "csv", "nl", s.title)[1].decode("utf-8-sig").count("\n") == 7
    policy.apply_query({"lang": "fr", "cpas": "*"})


def test_rule_sets_and_age_categories_come_from_the_rule_data(dashboard_register):
    d = ReformDashboard("de", dashboard_register)
    assert [v for _, v in d.w_age.options][1:] == list(age_categories())
    for rs in rule_sets():
        assert rule_set_title(rs, "de") in d.w_rule_sets.value
    p = PolicyDashboard("nl", dashboard_register)
    assert [lab for lab, _ in p.w_rules.options][1:] == [rule_set_title(rs, "nl") for rs in rule_sets()]
    # no rule set id or age category written into the view code
    folder = Path(__file__).resolve().parents[2] / "art60kit" / "dashboards"
    literals = {rs.id for rs in rule_sets()} | set(age_categories())
    for name in VIEWS:
        src = (folder / name).read_text(encoding="utf-8")
        found = [x for x in literals if re.search(rf"['\"]{re.escape(x)}['\"]", src)]
        assert not found, (name, found)


def test_reform_shares_never_give_back_a_small_count(dashboard_register):
    d = ReformDashboard("fr", dashboard_register)
    df = d.df
    for by in ("old_age_category", "region_nis"):
        tb = group_table(df, by, "contract_days", "fr")
        for r, (_, part) in zip(tb.itertuples(), df.groupby(by, dropna=False)):
            delta = part["delta_contract_days"]
            few = any(0 < int(m.sum()) < 5 for m in (delta < 0, delta == 0, delta > 0))
            if few and not r.suppressed:
                assert pd.isna(r.shorter) and pd.isna(r.same) and pd.isna(r.longer)


def test_reform_medians_are_observed_values(dashboard_register):
    """The reform page's medians (headline figures and group table) are values found in
    the data, never the mean of two middle values: a median of whole days ending in ,5
    would tell that the selection's count is even."""
    d = ReformDashboard("fr", dashboard_register)
    df = d.df
    for by in ("old_age_category", "region_nis"):
        tb = group_table(df, by, "contract_days", "fr")
        for r, (_, part) in zip(tb.itertuples(), df.groupby(by, dropna=False)):
            if r.suppressed:
                continue
            for col, med in (("old_contract_days", r.old_median), ("new_contract_days", r.new_median),
                             ("delta_contract_days", r.delta_median)):
                if pd.notna(med):
                    assert med in set(part[col].dropna()), (by, col, med)
    even = pd.DataFrame({"g": ["a"] * 6, "rkey": [1] * 6, "old_contract_days": [10, 20, 30, 40, 50, 60],
                         "new_contract_days": [11, 21, 31, 41, 51, 61], "delta_contract_days": [1] * 6})
    tb = group_table(even, "g", "contract_days", "fr")
    assert tb["old_median"].iloc[0] == 30 and tb["new_median"].iloc[0] == 31


@pytest.mark.parametrize("lang", LANGS)
def test_every_dashboard_has_a_definitions_panel_in_every_language(lang):
    from art60kit.dashboards.policy import definitions_html
    for key in ("defs.policy", "defs.reform", "defs.explorer"):
        panel = definitions_html(key, lang, "01/03/2026")
        assert panel.count("<li>") >= 5 and "01/03/2026" in panel
    explorer = label("defs.explorer", lang)
    assert explorer != label("defs.explorer", "fr") or lang == "fr"  # written in the language, not the fallback
    for key in ("compare_rules.title", "compare_rules.note", "reform.rule_sets", "reform.not_compared"):
        assert label(key, lang, since="01/03/2026") != label(key, "fr", since="01/03/2026") or lang == "fr", key


def test_download_selector_always_has_a_choice_in_the_page_language(dashboard_register):
    d = PolicyDashboard("fr", dashboard_register)
    assert d.downloads.w_what.value == "month" and d.downloads.w_what.label == label("fig.per_month", "fr")
    d.set_lang("nl")
    d.refresh()  # outside a kernel the redraw runs at once; in Voila it follows the settling delay
    assert d.downloads.w_what.value == "month" and d.downloads.w_what.label == label("fig.per_month", "nl")
    d.downloads.w_what.value = "age"
    d.set_lang("de")
    d.refresh()
    assert d.downloads.w_what.value == "age" and d.downloads.w_what.label == label("fig.by_age", "de")


@pytest.mark.parametrize("lang", LANGS)
def test_reform_age_filter_when_the_earlier_rules_have_no_age_categories(dashboard_register, monkeypatch, lang):
    """Compared the other way round (the rules without age categories first), the age
    filter offers the later rules' categories and selects by them; a note in the
    page's language names the rules whose categories they are and says the other side
    counts every age together."""
    import art60kit.dashboards.reform_app as R

    df, meta = R.reform_frame(dashboard_register)
    without = next(rs for rs in rule_sets() if not rs.age_categories)
    with_ages = next(rs for rs in rule_sets() if rs.age_categories)
    # the plans as if the later rules were the ones with age categories
    swapped = df.assign(new_age_category=df["old_age_category"], old_age_category=None)
    monkeypatch.setattr(R, "reform_frame", lambda location=None: (swapped, dict(meta, compared=[without.id, with_ages.id])))
    d = ReformDashboard(lang, dashboard_register)
    assert d.compared() == (without, with_ages)
    cats = [c for c, _ in with_ages.age_categories]
    assert [v for _, v in d.w_age.options] == ["*"] + cats and not d.w_age.disabled
    assert [lab for lab, _ in d.w_age.options][1:] == [label(f"age.{c}", lang) for c in cats]
    note = d.w_age_note.value.replace("&#x27;", "'").replace("&quot;", '"')
    assert rule_set_title(with_ages, lang) in note and rule_set_title(without, lang) in note
    assert label("reform.age_of", lang, rules="", other="").split(":")[0] in note
    all_n = len(d.selection())
    for c in cats:
        d.w_age.value = c
        picked = d.selection()
        assert len(picked) == int((swapped["new_age_category"] == c).sum()) and (picked["new_age_category"] == c).all()
    assert "age=" in d.query() and len(picked) < all_n
    d.w_age.value = "*"
    d.refresh()  # grouped by age category: the later rules' categories, in their order
    groups = d.shown["groups"].frame
    assert list(groups["group"]) == [label(f"age.{c}", lang) for c in cats if (swapped["new_age_category"] == c).any()]


def test_reform_age_filter_in_the_rule_book_as_it_is(dashboard_register):
    """Today the earlier rules have the age categories: the filter offers them, and the
    note says the later rules count every age together."""
    d = ReformDashboard("nl", dashboard_register)
    old, new = d.compared()
    assert [v for _, v in d.w_age.options][1:] == [c for c, _ in old.age_categories]
    assert rule_set_title(new, "nl") in d.w_age_note.value.replace("&#x27;", "'") and "alle leeftijden" in d.w_age_note.value
