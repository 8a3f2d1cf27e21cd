"""An attacker with every figure an analyst can see on the policy dashboard tries to
recover a count of fewer than 5 persons by combining them.

Figures: headline counts, bars per month, status, region/province/CPAS (with their
counts of disagreements and pending requests), map areas, backlog per month, answered
persons per month, age categories and disagreement bins, for the whole country, every
region and province, the three largest CPAS and both rule sets, over the positions
of the period slider that isolate one month by difference (every period starting at the
first month, ending at the last, or of one month), each figure as the dashboard shows it
(a download of the same screen holds the same figures).

Each figure counts a known population (a set of requests, or of versions for the
backlog). A shown count ``r`` tells the attacker the true count lies in
``[max(5, r - 4), r + 4]``, "< 5" in ``[0, 4]``. (Against the old method the attacker
reads exact counts, "< 5" as ``[1, 4]`` and 0 as exact.) The attacker also forms "a view's total minus all its
bars but one" and then, for **every pair** of figures whose populations differ by 1 to
4 persons (one inside the other: a total and a bar, two slider positions, a map area
and a table row...), bounds the difference. A count is recovered when the bounds meet
on one value. With the old method (exact counts, only cells under 5 hidden) the same
attacker recovers many; with the disclosure control, none.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from art60kit.dashboards import aggregates as A
from art60kit.dashboards import geo, source
from art60kit.dashboards.suppress import MIN_PERSONS


def _bits(n_before: int, positions, size: int) -> int:
    b = np.zeros(size, dtype=bool)
    b[np.asarray(list(positions), dtype=int)] = True
    return int.from_bytes(np.packbits(b, bitorder="little").tobytes(), "little") << n_before


class Figures:
    """Every figure shown: population bitmask -> (true count, shown value or None)."""

    def __init__(self, facts: A.Facts):
        self.facts = facts
        every = pd.unique(facts.versions["request_id"])  # drafts never sent included
        self.n_req = len(every)
        self.n_ver = len(facts.versions)
        self.req_pos = pd.Series(np.arange(self.n_req), index=every)
        self.views: list[list[tuple[int, int, object]]] = []

    def persons(self, ids) -> int:
        """The persons of ``ids`` (request ids; a Series of them is faster)."""
        ids = ids if isinstance(ids, pd.Series) else pd.Series(list(ids), dtype=object)
        pos = self.req_pos.index.get_indexer(ids.to_numpy())
        return _bits(0, pos[pos >= 0], self.n_req)

    def versions(self, positions) -> int:
        return _bits(self.n_req, positions, self.n_ver)

    def view(self, rows) -> None:
        """One table or chart: [(population, shown)]; checks the shown figures against
        the populations (so the attacker's populations are the dashboard's)."""
        rows = [(pop, bin(pop).count("1"), shown) for pop, shown in rows]
        total = sum(t for _, t, _ in rows)
        for pop, t, shown in rows:
            if shown is None:
                assert t < MIN_PERSONS, (t, shown)
            else:
                assert t >= MIN_PERSONS and shown % 5 == 0 and abs(shown - t) <= 4, (t, shown)
        self.views.append(rows)


def _shown(v):
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else int(v)


def collect(facts: A.Facts, filters: list[A.Filters], area_of: dict, areas: list[str]) -> Figures:
    F = Figures(facts)
    req_all = facts.requests
    for f in filters:
        req = A.filter_requests(facts, f)
        ver = A.filter_versions(facts, f)
        months = [m for m in facts.months if not f.months or f.months[0] <= m <= f.months[1]]
        k = A.kpis(req, ver)
        sub = {
            "n_requests": req, "n_pending": req[req["is_pending"]],
            "n_modified": req[req["n_modifications"].gt(0)], "n_second_calc": req[req["has_second_calc"].astype(bool)],
            "n_disagree": req[req["is_disagree"]], "n_incomplete": req[req["incomplete_data"].eq(True).fillna(False)],
        }
        for name, s in sub.items():
            if name == "n_incomplete" and not len(req["incomplete_data"].dropna()):
                continue  # not shown when no flag is known
            F.view([(F.persons(s["request_id"]), _shown(k[name]))])
        pm = A.per_month(req, months)
        F.view([(F.persons(req.loc[req["month"] == m, "request_id"]), _shown(v)) for m, v in zip(pm["month"], pm["n"])])
        # status: the selection's requests, plus drafts never sent created in the period
        pl = A.pipeline(facts, f)
        v = facts.versions
        never = v[v["is_current"] & A._area_mask(v, f) & ~v["request_id"].isin(set(req_all["request_id"]))]
        if f.months:
            never = never[never["created_at"].dt.strftime("%Y-%m").between(*f.months)]
        if f.rules:
            never = never[never["plan_rules"].eq(f.rules)]
        F.view([(F.persons(pd.concat([req.loc[req["status"] == s, "request_id"], never.loc[never["status"] == s, "request_id"]])),
                 _shown(n)) for s, n in zip(pl["status"], pl["n"])])
        shown_level = "cpas" if (f.province is not None or f.cpas) else "province" if f.region else "region"
        for level in sorted({shown_level, "cpas"}):  # the chart's level and the CPAS table
            ar = A.by_area(req, level).set_index("key")
            keycol = f"{level}_nis"
            rows, dis, pend = [], [], []
            groups = req.groupby(req[keycol].fillna(""), sort=False)
            for key, r in ar.iterrows():
                pos = groups.indices.get(key if key == key else "")
                g = req.iloc[pos] if pos is not None else req.iloc[:0]
                rows.append((F.persons(g["request_id"]), _shown(r["n"])))
                dis.append((F.persons(g.loc[g["is_disagree"], "request_id"]), _shown(r["n_disagree"])))
                pend.append((F.persons(g.loc[g["is_pending"], "request_id"]), _shown(r["n_pending"])))
            F.view(rows)
            for pop, shown in dis + pend:
                F.view([(pop, shown)])
        mp = A.by_map_area(req, area_of, areas)
        arr = req["cpas_nis"].map(area_of)
        F.view([(F.persons(req.loc[arr == a, "request_id"]), _shown(n)) for a, n in zip(mp["key"], mp["n"])])
        bl = A.backlog(ver, months)
        sent, ans = ver["sent_at"].dt.normalize(), ver["answered_on"]
        vpos = pd.Series(np.arange(len(facts.versions)), index=facts.versions.index)
        rows = []
        for m, n in zip(bl["month"], bl["n"]):
            end = pd.Period(m, "M").end_time.normalize()
            waiting = (sent <= end) & (ans.isna() | (ans > end))
            rows.append((F.versions(vpos[ver.index[waiting.to_numpy()]]), _shown(n)))
        F.view(rows)
        dl = A.delays_by_month(ver, months)
        a = ver[ver["answered_on"].notna()]
        F.view([(F.persons(a.loc[a["month"] == m, "request_id"]), _shown(n)) for m, n in zip(dl["month"], dl["n"])])
        ag = A.by_age(req)
        r = req[req["days_to_work"].notna() & req["contract_days"].notna() & req["days_to_work"].gt(0)]
        cat = r["age_category"].fillna("none")
        F.view([(F.persons(r.loc[cat == c, "request_id"]), _shown(n)) for c, n in zip(ag["age_category"], ag["n"])])
        db = A.disagreement_bins(req)
        d = pd.to_numeric(req["end_date_diff_days"], errors="coerce").clip(-10, 10)
        dis = req["is_disagree"] & d.notna()
        F.view([(F.persons(req.loc[dis & d.eq(b), "request_id"]), _shown(n)) for b, n in zip(db["diff"], db["n"])])
    assert len(req_all)
    return F


def attack(F: Figures, exact: bool) -> tuple[int, int, int]:
    """(figures, pairs tried, counts recovered). ``exact``: the old method (counts shown
    as they are, only 1 to 4 hidden) instead of what the dashboard showed."""
    bounds: dict[int, tuple[int, int]] = {}

    def interval(t, shown, all_hidden):
        if exact:
            shown = None if 0 < t < MIN_PERSONS or (t == 0 and all_hidden) else t
            if shown is not None:
                return shown, shown
        if shown is None:
            return 0, MIN_PERSONS - 1
        return max(MIN_PERSONS, shown - 4), shown + 4

    def add(pop, lo, hi):
        if pop in bounds:
            a, b = bounds[pop]
            lo, hi = max(a, lo), min(b, hi)
        bounds[pop] = (lo, hi)

    for rows in F.views:
        all_hidden = all(s is None for _, _, s in rows) if not exact else sum(t for _, t, _ in rows) < MIN_PERSONS
        iv = [(pop, *interval(t, s, all_hidden)) for pop, t, s in rows]
        for pop, lo, hi in iv:
            add(pop, lo, hi)
        # a view's total minus all its bars but one (parts are disjoint)
        if 1 < len(iv) <= 60:
            whole = (sum(p for p, _, _ in iv), sum(lo for _, lo, _ in iv), sum(hi for _, _, hi in iv))
            add(*whole)
            for pop, lo, hi in iv:
                add(whole[0] ^ pop, whole[1] - lo, whole[2] - hi)
    by_size: dict[int, list[int]] = {}
    for pop in bounds:
        by_size.setdefault(bin(pop).count("1"), []).append(pop)
    tried = recovered = 0
    for x, (xlo, xhi) in bounds.items():
        nx = bin(x).count("1")
        for ny in range(max(0, nx - 4), nx):
            for y in by_size.get(ny, ()):
                if y & ~x:
                    continue
                tried += 1
                ylo, yhi = bounds[y]
                lo, hi = max(0, xlo - yhi), xhi - ylo
                if (x ^ y) in bounds:
                    dlo, dhi = bounds[x ^ y]
                    lo, hi = max(lo, dlo), min(hi, dhi)
                if lo == hi and 0 < lo < MIN_PERSONS:
                    recovered += 1
    return len(bounds), tried, recovered


@pytest.fixture(scope="module")
def analyst_figures(dashboard_register):
    facts = A.build_facts(source.versions(dashboard_register), source.read_flags(dashboard_register),
                          secret=source.disclosure_secret(dashboard_register))
    months = facts.months
    req = facts.requests
    # slider positions: every period starting at the first month, ending at the last,
    # or of one month, for the country; every period from the first month for each
    # region and the three largest CPAS; every province and rule set over all months
    prefixes = [(months[0], m) for m in months]
    periods = sorted(set(prefixes + [(m, months[-1]) for m in months] + [(m, m) for m in months]))
    filters = [A.Filters(months=p) for p in periods]
    for area in ([{"region": r} for r in sorted(req["region_nis"].dropna().unique())]
                 + [{"cpas": c} for c in req["cpas_nis"].value_counts().index[:3]]):
        filters += [A.Filters(months=p, **area) for p in prefixes]
    filters += [A.Filters(province=p) for p in sorted(req["province_nis"].fillna("").unique())]
    filters += [A.Filters(rules=r) for r in sorted(req["rules"].dropna().unique())]
    t = time.perf_counter()
    F = collect(facts, filters, geo.arrondissement_of_cpas(), sorted(set(geo.arrondissement_of_cpas().values())))
    print(f"\n[disclosure] {len(filters)} filter settings, {sum(len(v) for v in F.views)} figures "
          f"collected in {time.perf_counter() - t:.1f} s")
    return F


def test_no_pair_of_figures_recovers_a_small_count(analyst_figures):
    t = time.perf_counter()
    figures, tried, recovered = attack(analyst_figures, exact=False)
    print(f"[disclosure] protected: {figures} distinct populations, {tried} pairs tried, "
          f"{recovered} counts under 5 recovered ({time.perf_counter() - t:.1f} s)")
    assert tried > 1000
    assert recovered == 0


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
