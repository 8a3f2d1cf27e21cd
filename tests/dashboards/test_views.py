"""The dashboards' views without a browser: figures and downloads from the same
suppressed frames, one population per chart, the status chart and the KPI agree,
the explorer's search over the whole register, permalinks."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from art60kit.dashboards import aggregates as A
from art60kit.dashboards import source
from art60kit.dashboards.downloads import render, table
from art60kit.dashboards.explorer import PAGE_SIZE, CaseExplorer, request_index, search, valid_reason
from art60kit.dashboards.policy import PolicyDashboard

COUNTED = ("n", "n_pending", "n_disagree", "old", "new")


@pytest.fixture(scope="module")
def policy(dashboard_register):
    return PolicyDashboard("fr", dashboard_register)


def _small_cpas(register: str) -> list[str]:
    req = A.build_facts(source.versions(register)).requests
    c = req.groupby("cpas_nis").size()
    return list(c[(c > 0) & (c < 5)].index[:3]) + list(c[c >= 5].index[:1])


def test_downloads_never_carry_a_count_under_five(policy, dashboard_register):
    for nis in [None, *_small_cpas(dashboard_register)]:
        policy.apply_query({"cpas": nis} if nis else {"cpas": "*"})
        assert policy.shown, "nothing drawn"
        for key, shown in policy.shown.items():
            t = table(shown, "fr")
            for col, head in shown.columns.items():
                if col in COUNTED:
                    nums = [v for v in t[head] if isinstance(v, (int, float))]
                    assert not any(0 < v < 5 for v in nums), (nis, key, head, nums)
            name, data = render(shown, "xlsx", "fr", shown.title)
            assert name.endswith(".xlsx") and data[:2] == b"PK"
            csv = render(shown, "csv", "fr", shown.title)[1].decode("utf-8-sig")
            assert csv.splitlines()[0].count(";") == len(shown.columns) - 1
            if shown.svg is not None:
                assert shown.svg.startswith("<svg") and "<title>" in shown.svg
                # the SVG shows the same hidden cells as the download
                if (t == "< 5").any().any():
                    assert "&lt; 5" in shown.svg or "< 5" in shown.svg


def test_status_chart_and_pending_kpi_count_the_same_requests(policy):
    policy.apply_query({"cpas": "*", "region": "*"})
    facts, f = policy.facts, policy.filters()
    pl = A.pipeline(facts, f)
    k = A.kpis(A.filter_requests(facts, f), A.filter_versions(facts, f))
    assert int(pl.loc[pl["status"] == "sent", "n"].iloc[0]) == k["n_pending"]


def test_age_chart_has_one_population(policy):
    req = policy.facts.requests
    ag = A.by_age(req)
    need = req[req["days_to_work"].gt(0) & req["contract_days"].notna()]
    assert len(need) < len(req)  # some persons need no contract ...
    pd.testing.assert_frame_equal(ag, A.by_age(need))  # ... and both measures leave them out
    assert (ag["days_median"].dropna() > 0).all()


def test_search_reaches_every_request_and_pages(dashboard_register):
    ix = request_index(source.versions(dashboard_register))
    last = ix["request_id"].iloc[-1]
    assert search(ix, last)["request_id"].tolist() == [last]
    reg = source.open_register(dashboard_register)
    e = CaseExplorer(source.service_session(reg), "fr", dashboard_register)
    assert len(e.results) == len(ix) and e.pages() == -(-len(ix) // PAGE_SIZE)
    e.show_page(e.pages() - 1)
    assert last in [v for _, v in e.w_results.options]
    assert e.w_reason.value == ""
    assert not e.open(last) and e.request_id is None  # no reason: nothing read
    e.w_reason.value = " \t "
    assert not e.open(last)
    e.w_reason.value = "vérification d'un écart signalé"
    assert e.open(last) and e.request_id == last and e.w_reason.value == ""
    reg.close()


def test_valid_reason():
    assert valid_reason(None) is None and valid_reason("  ..  ") is None
    assert valid_reason("  contrôle   annuel ") == "contrôle annuel"
    # the register's own rule: what the explorer lets through, the register accepts
    from art60kit.register.audit import MIN_REASON_CHARS, reason_problem
    for text in ("abc", "r1 ?", "\u200b\u200bx\u200b", "a" * (MIN_REASON_CHARS - 1), "x" * 600, "dossier 12"):
        assert (valid_reason(text) is not None) == (reason_problem(" ".join(text.split())) is None)
    assert valid_reason("abcd") == "abcd" and valid_reason("abc") is None


def test_permalink_round_trip_in_kernel(policy):
    policy.apply_query({"lang": "nl", "region": "03000", "from": policy.facts.months[2], "rules": "ar1991"})
    q = policy.query()
    assert "lang=nl" in q and "region=03000" in q and "rules=ar1991" in q and "from=" in q
    from urllib.parse import parse_qsl
    other = PolicyDashboard("fr", policy.location)
    other.apply_query(dict(parse_qsl(q[1:])))
    assert other.query() == q and other.w_kpis.value == policy.w_kpis.value
    policy.apply_query({"lang": "fr", "region": "*", "from": policy.facts.months[0], "rules": "*"})


def test_request_index_flags_each_request_from_its_versions(dashboard_register):
    v = source.versions(dashboard_register)
    ix = request_index(v).set_index("request_id")
    assert list(ix.index) == sorted(v["request_id"].unique())
    for rid, part in v.groupby("request_id"):
        assert ix.at[rid, "disagree"] == bool((part["agrees"] == False).fillna(False).any())  # noqa: E712
        assert ix.at[rid, "modified"] == bool((part["kind"] == "modification").any())
    assert ix["disagree"].any() and ix["modified"].any() and not ix["disagree"].all()
    assert request_index(v) is request_index(v)  # the kernel's frame is indexed once


def test_regions_drawn_ahead_show_what_a_fresh_draw_shows(dashboard_register):
    d = PolicyDashboard("fr", dashboard_register)
    first = d.w_region.value
    regions = [v for _, v in d.w_region.options if v != first]
    before = len(d._drawn)
    d.draw_ahead()
    assert len(d._drawn) == before + len(regions) and d.w_region.value == first

    def recomputed(*a):
        raise AssertionError("a region drawn ahead was computed again")
    d._compute = recomputed
    fresh = PolicyDashboard("fr", dashboard_register)
    for r in regions:
        d.w_region.value = r
        fresh.w_region.value = r
        assert d.w_kpis.value == fresh.w_kpis.value and d.w_table.value == fresh.w_table.value
        # the same figures (a hatching pattern's id is numbered per drawing)
        assert [_no_ids(b.value) for b in d.img.values()] == [_no_ids(b.value) for b in fresh.img.values()]
        assert d.w_status.value.split("data-seconds")[0] == fresh.w_status.value.split("data-seconds")[0]


def _no_ids(svg: str) -> str:
    import re
    return re.sub(r"(id='|url\(#)([a-z_-]+?)\d+", r"\1\2", svg)


@pytest.mark.parametrize("lang,written", [("fr", "1\u202f234"), ("nl", "1.234")])
def test_explorer_page_count_in_belgian_numbers(dashboard_register, lang, written):
    reg = source.open_register(dashboard_register)
    e = CaseExplorer(source.service_session(reg), lang, dashboard_register)
    e.pages = lambda: 1234
    e.show_page(0)
    assert written in e.w_page.value and "1234" not in e.w_page.value
    reg.close()


def test_selections_take_the_rows_a_full_comparison_takes(policy):
    """The rows of a selection, found through the area index, are the rows (in their
    order) that comparing every row of the register with the filters finds."""
    facts = policy.facts
    r = facts.requests
    months = facts.months
    picks = [A.Filters()]
    picks += [A.Filters(region=x) for x in r["region_nis"].unique()]
    picks += [A.Filters(region=a, province=p) for a, p in r[["region_nis", "province_nis"]].drop_duplicates().values]
    picks += [A.Filters(cpas=c) for c in r["cpas_nis"].unique()[::7]]
    picks += [A.Filters(region=r["region_nis"].iloc[0], cpas=r["cpas_nis"].iloc[-1]),  # an empty intersection
              A.Filters(cpas=r["cpas_nis"].iloc[0], months=(months[2], months[-3]), rules="reform2026"),
              A.Filters(region=r["region_nis"].iloc[0], months=(months[0], months[5])), A.Filters(cpas="00000")]
    for f in picks:
        want_r = r[A._area_mask(r, f) & (r["month"].between(*f.months) if f.months else True)
                   & (r["rules"].eq(f.rules) if f.rules else True)]
        v = facts.versions
        want_v = v[A._area_mask(v, f) & v["sent"] & (v["month"].between(*f.months) if f.months else True)
                   & (v["plan_rules"].eq(f.rules) if f.rules else True)]
        pd.testing.assert_frame_equal(A._filter_requests(facts, f), want_r)
        pd.testing.assert_frame_equal(A._filter_versions(facts, f, True), want_v)
        u = facts.unsent
        pd.testing.assert_frame_equal(A._area_rows(facts, "unsent", f), u[A._area_mask(u, f)])
