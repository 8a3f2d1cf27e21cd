"""An attacker with every figure an analyst can see on the policy dashboard — counts,
shares, medians, quartiles and percentiles, for every view kind and many positions of
the filters and the period slider — tries to recover a count of fewer than 5 persons
by combining them (:mod:`attacker` says what it knows and how it reasons). With the
old method (exact counts, only cells under 5 hidden) it recovers many; with the
disclosure control, none. The same attacker runs on the bundled 20,000-request
register in ``benchmarks/attack_disclosure.py``.
"""
from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from art60kit.dashboards import aggregates as A
from art60kit.dashboards import geo, source


def _attacker():
    name = "art60kit_disclosure_attacker"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("attacker.py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


AT = _attacker()
collect, attack = AT.collect, AT.attack


@pytest.fixture(scope="module")
def analyst_figures(dashboard_register):
    facts = A.build_facts(source.versions(dashboard_register), source.read_flags(dashboard_register))
    months = facts.months
    req = facts.requests
    # slider positions: every period starting at the first month, ending at the last,
    # or of one month, for the country; every period from the first month for each
    # region and the largest CPAS; every province and rule set over all months (more
    # CPAS and the bundled register: benchmarks/attack_disclosure.py)
    prefixes = [(months[0], m) for m in months]
    periods = sorted(set(prefixes + [(m, months[-1]) for m in months] + [(m, m) for m in months]))
    filters = [A.Filters(months=p) for p in periods]
    for area in ([{"region": r} for r in sorted(req["region_nis"].dropna().unique())]
                 + [{"cpas": c} for c in req["cpas_nis"].value_counts().index[:1]]):
        filters += [A.Filters(months=p, **area) for p in prefixes]
    filters += [A.Filters(province=p) for p in sorted(req["province_nis"].fillna("").unique())]
    filters += [A.Filters(rules=r) for r in sorted(req["rules"].dropna().unique())]
    t = time.perf_counter()
    F = collect(facts, filters, geo.arrondissement_of_cpas(), sorted(set(geo.arrondissement_of_cpas().values())))
    print(f"\n[disclosure] {len(filters)} filter settings, {F.n_figures} figures "
          f"({len(F.shares)} shares, {len(F.measures)} medians, quartiles and percentiles) "
          f"collected in {time.perf_counter() - t:.1f} s")
    return F


def test_no_pair_of_figures_recovers_a_small_count(analyst_figures):
    t = time.perf_counter()
    figures, tried, recovered = attack(analyst_figures, exact=False)
    print(f"[disclosure] protected: {figures} distinct populations, {tried} pairs tried, "
          f"{recovered} counts under 5 recovered ({time.perf_counter() - t:.1f} s)")
    # every view kind took part, shares and measures included
    assert set(analyst_figures.kinds) >= {"kpi", "kpi share", "kpi delay", "months", "status", "areas", "area counts",
                                          "area median", "area share", "map", "backlog", "delay persons", "delay",
                                          "age", "age measures", "bins"}
    assert tried > 1000
    assert recovered == 0


def test_measures_are_observed_values(analyst_figures):
    """A median, quartile or percentile shown is one of the values it summarises (never
    interpolated), so its decimals restrict no count; the attacker's reasoning about
    interpolated ones is sound (it keeps the true count) and narrower."""
    assert analyst_figures.measures
    for pop, vals, q, shown in analyst_figures.measures:
        assert shown in set(vals.tolist())
    allowed = [AT.allowed_counts(float(np.quantile(vals, q)), q, 5, 5 + 40)
               for _, vals, q, _ in analyst_figures.measures]
    assert any(a is not None for a in allowed)  # interpolation would have told something


def test_the_attacker_breaks_plain_suppression(analyst_figures):
    """The same attacker against exact counts with only cells under 5 hidden (the old
    method): it does recover hidden counts, so the zero above means something."""
    figures, tried, recovered = attack(analyst_figures, exact=True)
    print(f"[disclosure] plain suppression: {tried} pairs tried, {recovered} counts under 5 recovered")
    assert recovered > 0


def test_same_persons_same_figure(analyst_figures):
    """Consistency: a population shown in several places always shows one value (the
    rounding cannot be averaged away by asking again)."""
    seen: dict[int, object] = {}
    for rows in analyst_figures.views:
        for pop, t, shown in rows:
            if shown is not None and pop in seen:
                assert seen[pop] == shown
            if shown is not None:
                seen[pop] = shown
    assert len(seen) > 100


def test_dashboard_and_register_api_together(analyst_figures, dashboard_register, logins):
    """An analyst who also calls the register's aggregate API (every grouping of one or
    two dimensions) adds those figures to the dashboard's: a population shown in both
    shows one value, and combining them recovers no count under 5."""
    import itertools
    from types import SimpleNamespace

    from art60kit.register.frames import DIMENSIONS

    reg = source.open_register(dashboard_register)
    try:
        dims = list(DIMENSIONS)
        settings = [((), None, None)] + [((d,), None, None) for d in dims]
        settings += [(pair, None, None) for pair in itertools.combinations(dims, 2)]
        views = AT.register_views(reg.as_user(logins["analyst"][0]), reg.as_user(logins["onem"][0]), settings,
                                  persons=analyst_figures.persons)
    finally:
        reg.close()
    both = SimpleNamespace(views=analyst_figures.views + views, shares=analyst_figures.shares,
                           measures=analyst_figures.measures)
    seen: dict[int, object] = {}
    same = 0
    for rows in both.views:
        for pop, t, shown in rows:
            if shown is not None and pop in seen:
                assert seen[pop] == shown, (t, seen[pop], shown)
                same += 1
            if shown is not None:
                seen[pop] = shown
    figures, tried, recovered = attack(both)
    print(f"[disclosure] dashboard and register API: {sum(map(len, views))} register counts, "
          f"{same} figures shown twice, {tried} pairs tried, {recovered} counts under 5 recovered")
    assert same > 0 and recovered == 0
