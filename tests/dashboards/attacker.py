"""An attacker with every figure an analyst can see on the policy dashboard, trying to
recover a count of fewer than 5 persons by combining them (used by
``test_disclosure.py`` on the test register and by
``benchmarks/attack_disclosure.py`` on the bundled 20,000-request register).

Figures, for each filter setting given: headline counts, shares and delays (median,
90th percentile), bars per month, status, region/province/CPAS (with their counts of
disagreements and pending requests, median days to work and share with incomplete
data), map areas, backlog per month, answered persons and ONEM's delay (median, 90th
percentile) per month, age categories (median and quartiles of days to work and of
contract length) and disagreement bins — each as the dashboard shows it (a download
of the same screen holds the same figures, with the measures' full decimals).

What the attacker knows:

* **counts** — each counts a known population (a set of requests, or of versions).
  A shown count ``r`` says the true count lies in ``[max(5, r - 4), r + 4]``, "< 5"
  in ``[0, 4]`` (against the old method: exact counts, "< 5" as ``[1, 4]``);
* **shares** — the ratio of two shown (protected) counts: each shown denominator the
  counts allow gives a shown numerator, hence bounds for both populations;
* **measures** — a median, quartile or percentile of whole days over a population:
  with linear interpolation its decimals restrict the count (an interpolated median
  ends in ,5 only for an even count, a 90th percentile's decimals depend on the count
  modulo 10); a mean's decimals give its count's divisors. The attacker keeps, per
  population, the set of counts every measure allows.

It then forms "a view's total minus all its bars but one" and, for **every pair** of
populations differing by 1 to 4 persons (one inside the other: a total and a bar, two
slider positions, a map area and a table row...), bounds the difference. A count is
recovered when only one value from 1 to 4 is left.
"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np
import pandas as pd

from art60kit.dashboards import aggregates as A
from art60kit.dashboards.suppress import MIN_PERSONS


def _bits(n_before: int, positions, size: int) -> int:
    b = np.zeros(size, dtype=bool)
    b[np.asarray(list(positions), dtype=int)] = True
    return int.from_bytes(np.packbits(b, bitorder="little").tobytes(), "little") << n_before


def popcount(x: int) -> int:
    return x.bit_count()


class Figures:
    """Every figure shown: counts (population bitmask -> true count, shown value or
    None), shares and measures."""

    def __init__(self, facts: A.Facts):
        self.facts = facts
        every = pd.unique(facts.versions["request_id"])  # drafts never sent included
        self.n_req = len(every)
        self.n_ver = len(facts.versions)
        self.req_pos = pd.Series(np.arange(self.n_req), index=every)
        self.vpos = pd.Series(np.arange(self.n_ver), index=facts.versions.index)
        self.views: list[list[tuple[int, int, object]]] = []
        #: (numerator population, denominator population, shown share, scale, largest
        #: denominator the shown figures allow: a containing population's shown count + 4)
        self.shares: list[tuple[int, int, float, float, int]] = []
        #: (population, values, quantile q or "mean", shown value)
        self.measures: list[tuple[int, np.ndarray, object, float]] = []
        self.kinds: dict[str, int] = {}

    def persons(self, ids) -> int:
        """The persons of ``ids`` (request ids; a Series of them is faster)."""
        ids = ids if isinstance(ids, pd.Series) else pd.Series(list(ids), dtype=object)
        pos = self.req_pos.index.get_indexer(ids.to_numpy())
        return _bits(0, pos[pos >= 0], self.n_req)

    def versions(self, index) -> int:
        """The versions of the versions frame's ``index`` labels."""
        return _bits(self.n_req, self.vpos[index].to_numpy(), self.n_ver)

    def view(self, kind: str, rows) -> None:
        """One table or chart: [(population, shown)]; checks the shown figures against
        the populations (so the attacker's populations are the dashboard's)."""
        rows = [(pop, popcount(pop), shown) for pop, shown in rows]
        for pop, t, shown in rows:
            if shown is None:
                assert t < MIN_PERSONS, (kind, t, shown)
            else:
                assert t >= MIN_PERSONS and shown % 5 == 0 and abs(shown - t) <= 4, (kind, t, shown)
        self.views.append(rows)
        self.kinds[kind] = self.kinds.get(kind, 0) + len(rows)

    def share(self, kind: str, num: int, den: int, shown, within, scale: float = 1.0) -> None:
        """A shown share ``num``/``den`` (times ``scale``); ``within`` is the shown count
        of a population containing ``den`` (what bounds it for the attacker)."""
        if shown is None or (isinstance(shown, float) and math.isnan(shown)) or within is None:
            return
        assert num & ~den == 0 and popcount(den) <= within + 4
        self.shares.append((num, den, float(shown), scale, int(within) + 4))
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def measure(self, kind: str, pop: int, values, q, shown) -> None:
        if shown is None or (isinstance(shown, float) and math.isnan(shown)):
            return
        vals = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(dtype="float64")
        assert len(vals) == popcount(pop), (kind, len(vals), popcount(pop))
        assert len(vals) >= MIN_PERSONS or kind.startswith("kpi"), (kind, len(vals))
        self.measures.append((pop, vals, q, float(shown)))
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    @property
    def n_figures(self) -> int:
        return sum(len(v) for v in self.views) + len(self.shares) + len(self.measures)


def _shown(v):
    return None if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else int(v)


def _val(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else float(v)


def collect(facts: A.Facts, filters: list[A.Filters], area_of: dict, areas: list[str]) -> Figures:
    F = Figures(facts)
    req_all = facts.requests
    for f in filters:
        req = A.filter_requests(facts, f)
        ver = A.filter_versions(facts, f)
        months = [m for m in facts.months if not f.months or f.months[0] <= m <= f.months[1]]
        k = A.kpis(req, ver)
        inc = req["incomplete_data"].eq(True).fillna(False).astype(bool)
        sub = {
            "n_requests": req, "n_pending": req[req["is_pending"]],
            "n_modified": req[req["n_modifications"].gt(0)], "n_second_calc": req[req["has_second_calc"].astype(bool)],
            "n_disagree": req[req["is_disagree"]], "n_incomplete": req[inc],
        }
        for name, s in sub.items():
            if name == "n_incomplete" and not len(req["incomplete_data"].dropna()):
                continue  # not shown when no flag is known
            F.view("kpi", [(F.persons(s["request_id"]), _shown(k[name]))])
        # headline shares: ratios of protected counts over populations not shown elsewhere
        F.share("kpi share", F.persons(req.loc[inc, "request_id"]),
                F.persons(req.loc[req["incomplete_data"].notna(), "request_id"]), _val(k["share_incomplete"]),
                _shown(k["n_requests"]))
        F.share("kpi share", F.persons(req.loc[req["is_disagree"], "request_id"]),
                F.persons(req.loc[req["agrees"].notna(), "request_id"]), _val(k["share_disagree"]),
                _shown(k["n_requests"]))
        answered = ver[ver["answered_on"].notna()]
        if len(answered):
            pop = F.versions(answered.index)
            F.measure("kpi delay", pop, answered["delay_days"], 0.5, _val(k["delay_median"]))
            F.measure("kpi delay", pop, answered["delay_days"], 0.9, _val(k["delay_p90"]))
        pm = A.per_month(req, months)
        F.view("months", [(F.persons(req.loc[req["month"] == m, "request_id"]), _shown(v))
                          for m, v in zip(pm["month"], pm["n"])])
        # status: the selection's requests, plus drafts never sent created in the period
        pl = A.pipeline(facts, f)
        v = facts.versions
        never = v[v["is_current"] & A._area_mask(v, f) & ~v["request_id"].isin(set(req_all["request_id"]))]
        if f.months:
            never = never[never["created_at"].dt.strftime("%Y-%m").between(*f.months)]
        if f.rules:
            never = never[never["plan_rules"].eq(f.rules)]
        F.view("status", [(F.persons(pd.concat([req.loc[req["status"] == s, "request_id"],
                                                never.loc[never["status"] == s, "request_id"]])), _shown(n))
                          for s, n in zip(pl["status"], pl["n"])])
        shown_level = "cpas" if (f.province is not None or f.cpas) else "province" if f.region else "region"
        for level in sorted({shown_level, "cpas"}):  # the chart's level and the CPAS table
            ar = A.by_area(req, level).set_index("key")
            keycol = f"{level}_nis"
            rows, dis, pend = [], [], []
            groups = req.groupby(req[keycol].fillna(""), sort=False)
            for key, r in ar.iterrows():
                pos = groups.indices.get(key if key == key else "")
                g = req.iloc[pos] if pos is not None else req.iloc[:0]
                gp = F.persons(g["request_id"])
                rows.append((gp, _shown(r["n"])))
                dis.append((F.persons(g.loc[g["is_disagree"], "request_id"]), _shown(r["n_disagree"])))
                pend.append((F.persons(g.loc[g["is_pending"], "request_id"]), _shown(r["n_pending"])))
                if _val(r["days_median"]) is not None:  # (hidden measures tell nothing)
                    d = g[g["days_to_work"].notna()]
                    F.measure("area median", F.persons(d["request_id"]), d["days_to_work"], 0.5, _val(r["days_median"]))
                if _val(r["share_incomplete"]) is not None:
                    ginc = g["incomplete_data"].eq(True).fillna(False).astype(bool)
                    F.share("area share", F.persons(g.loc[ginc, "request_id"]),
                            F.persons(g.loc[g["incomplete_data"].notna(), "request_id"]), _val(r["share_incomplete"]),
                            _shown(r["n"]), 100.0)
            F.view("areas", rows)
            for pop, shown in dis + pend:
                F.view("area counts", [(pop, shown)])
        mp = A.by_map_area(req, area_of, areas)
        arr = req["cpas_nis"].map(area_of)
        F.view("map", [(F.persons(req.loc[arr == a, "request_id"]), _shown(n)) for a, n in zip(mp["key"], mp["n"])])
        bl = A.backlog(ver, months)
        sent, ans = ver["sent_at"].dt.normalize(), ver["answered_on"]
        rows = []
        for m, n in zip(bl["month"], bl["n"]):
            end = pd.Period(m, "M").end_time.normalize()
            waiting = (sent <= end) & (ans.isna() | (ans > end))
            rows.append((F.versions(ver.index[waiting.to_numpy()]), _shown(n)))
        F.view("backlog", rows)
        dl = A.delays_by_month(ver, months)
        a = ver[ver["answered_on"].notna()]
        F.view("delay persons", [(F.persons(a.loc[a["month"] == m, "request_id"]), _shown(n))
                                 for m, n in zip(dl["month"], dl["n"])])
        for m, med, p90 in zip(dl["month"], dl["median"], dl["p90"]):
            am = a[a["month"] == m]
            if len(am):
                F.measure("delay", F.versions(am.index), am["delay_days"], 0.5, _val(med))
                F.measure("delay", F.versions(am.index), am["delay_days"], 0.9, _val(p90))
        ag = A.by_age(req)
        r = req[req["days_to_work"].notna() & req["contract_days"].notna() & req["days_to_work"].gt(0)]
        cat = r["age_category"].fillna("none")
        F.view("age", [(F.persons(r.loc[cat == c, "request_id"]), _shown(n)) for c, n in zip(ag["age_category"], ag["n"])])
        for _, row in ag.iterrows():
            rc = r[cat == row["age_category"]]
            pop = F.persons(rc["request_id"])
            for col, q in (("days_median", 0.5), ("days_q1", 0.25), ("days_q3", 0.75)):
                F.measure("age measures", pop, rc["days_to_work"], q, _val(row[col]))
            for col, q in (("contract_median", 0.5), ("contract_q1", 0.25), ("contract_q3", 0.75)):
                F.measure("age measures", pop, rc["contract_days"], q, _val(row[col]))
        db = A.disagreement_bins(req)
        d = pd.to_numeric(req["end_date_diff_days"], errors="coerce").clip(-10, 10)
        dis = req["is_disagree"] & d.notna()
        F.view("bins", [(F.persons(req.loc[dis & d.eq(b), "request_id"]), _shown(n)) for b, n in zip(db["diff"], db["n"])])
    assert len(req_all)
    return F


def allowed_counts(value: float, q, lo: int, hi: int) -> Optional[set]:
    """The counts ``n`` in ``[lo, hi]`` for which a measure over ``n`` whole-day values
    can equal ``value``: None when every one can (no constraint).

    >>> sorted(allowed_counts(31.5, 0.5, 5, 12))  # an interpolated median ending in ,5
    [6, 8, 10, 12]
    >>> allowed_counts(31.0, 0.5, 5, 12) is None
    True
    >>> sorted(allowed_counts(10 / 3, "mean", 5, 12))  # a mean of 10/3
    [6, 9, 12]
    """
    frac = value - math.floor(value)
    if q == "mean":
        out = {n for n in range(lo, hi + 1) if abs(value * n - round(value * n)) < 1e-6 * max(1.0, abs(value) * n)}
        return None if len(out) == hi - lo + 1 else out
    if frac < 1e-9 or frac > 1 - 1e-9:
        return None  # a whole value: any count (two equal middle values, or an observed value)
    out = set()
    for n in range(lo, hi + 1):
        h = (n - 1) * q
        f = h - math.floor(h)
        if f < 1e-9:
            continue  # the quantile is one observed (whole) value
        # some whole gap g between the two neighbouring values gives these decimals
        if any(abs(((f * g) % 1.0) - frac) < 1e-6 for g in range(1, 101)):
            out.add(n)
    return None if len(out) == hi - lo + 1 else out


def attack(F: Figures, exact: bool = False, interpolated: bool = False) -> tuple[int, int, int]:
    """(populations bounded, pairs tried, counts recovered). ``exact``: the old method
    (counts shown as they are, only 1 to 4 hidden) instead of what the dashboard showed.
    ``interpolated``: the measures recomputed with linear interpolation (the method
    the dashboard does not use), to show what their decimals would give away."""
    bounds: dict[int, tuple[int, int]] = {}
    sets: dict[int, set] = {}

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
    if not exact:
        # shares: each shown denominator the bounds allow gives a shown numerator
        for num, den, s, scale, cap in F.shares:
            dlo, dhi = bounds.get(den, (MIN_PERSONS, cap))
            nums, dens = [], []
            for b in range(max(5, -(-(dlo - 4) // 5) * 5), min(dhi, cap) + 4 + 1, 5):
                a = s * b / scale
                ar = round(a)
                if abs(a - ar) < 1e-6 and ar % 5 == 0 and (ar >= 5 or ar == 0):
                    nums.append(ar)
                    dens.append(b)
            if nums:
                add(num, min(max(5, a - 4) for a in nums), max(a + 4 for a in nums))
                add(den, min(max(5, b - 4) for b in dens), max(b + 4 for b in dens))
        # measures: counts their decimals allow
        for pop, vals, q, shown in F.measures:
            if interpolated:
                shown = float(vals.mean()) if q == "mean" else float(np.quantile(vals, q))
            if pop not in bounds:
                continue  # a count nobody sees: nothing to combine the measure with
            allowed = allowed_counts(shown, q, *bounds[pop])
            if allowed is not None:
                sets[pop] = sets[pop] & allowed if pop in sets else allowed
                assert popcount(pop) in sets[pop]  # the attacker reasons soundly

    def possible(pop, lo, hi):
        s = sets.get(pop)
        return [v for v in s if lo <= v <= hi] if s is not None else None

    by_size: dict[int, list[int]] = {}
    for pop in bounds:
        by_size.setdefault(popcount(pop), []).append(pop)
    tried = recovered = 0
    for x, (xlo, xhi) in bounds.items():
        nx = popcount(x)
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
                xs, ys = possible(x, xlo, xhi), possible(y, ylo, yhi)
                if xs is not None or ys is not None:
                    xs = xs if xs is not None else range(xlo, xhi + 1)
                    ys = ys if ys is not None else range(ylo, yhi + 1)
                    diffs = {a - b for a in xs for b in ys if lo <= a - b <= hi}
                    dz = possible(x ^ y, lo, hi)
                    if dz is not None:
                        diffs &= set(dz)
                    if len(diffs) == 1 and 0 < next(iter(diffs)) < MIN_PERSONS:
                        recovered += 1
                elif lo == hi and 0 < lo < MIN_PERSONS:
                    recovered += 1
    return len(bounds), tried, recovered


# -- the register's aggregate API ------------------------------------------------------------

#: count columns of the register's ``aggregate``: ``n_requests`` counts persons, the
#: others count versions (flag column of :func:`register_views`'s frame; None: all)
REGISTER_VERSION_COUNTS = {"n_versions_sent": None, "n_first_requests": "first", "n_modifications": "mod",
                           "n_calculated": "calc", "n_pending": "pending", "n_disagree": "disagree",
                           "n_with_events": "events"}


def register_views(analyst, onem, settings, persons, versions=None, reason: str = "suivi statistique"):
    """Every count the register's ``aggregate`` shows ``analyst`` for each
    ``(by, since, until)`` of ``settings``, as views ``[(population, true count, shown)]``.

    The populations are worked out from ``onem``'s versions frame (every sent version)
    grouped exactly as the API groups, and checked against ``onem``'s unprotected
    figures. ``persons(request_ids)`` and ``versions(frame_rows)`` give a population's
    bitmask; without ``versions`` only the counts of requests are kept. A count of
    versions hidden with its cell (fewer than 5 requests) is left out: it tells
    nothing, and may be 5 or more."""
    from art60kit.register.frames import DIMENSIONS
    vf = onem.versions_frame(reason=reason, sent_only=True).reset_index(drop=True)
    vf["sent_year"] = vf["sent_at"].dt.year.astype("Int64")
    vf = vf.assign(first=vf["version_no"].eq(1), mod=vf["kind"].eq("modification"),
                   calc=vf["onem_end_date"].notna(), pending=vf["onem_end_date"].isna(),
                   disagree=vf["agrees"].eq(False).fillna(False).astype(bool),
                   events=vf["n_events"].fillna(0) > 0)
    views = []
    for by, since, until in settings:
        shown = analyst.aggregate(by=by, reason=reason, since=since, until=until)
        exact = onem.aggregate(by=by, reason=reason, since=since, until=until)
        df = vf
        if since is not None:
            df = df[df["sent_at"] >= pd.Timestamp(since)]
        if until is not None:
            df = df[df["sent_at"] < pd.Timestamp(until) + pd.Timedelta(days=1)]
        cols = [c for d in by for c in DIMENSIONS[d]]
        groups = (list(df.groupby(cols, sort=True, dropna=False, observed=True).indices.values())
                  if cols else [np.arange(len(df))])
        assert len(groups) == len(shown) == len(exact), (by, since, until)
        rows = {m: [] for m in ("n_requests", *(REGISTER_VERSION_COUNTS if versions else ()))}
        for (_, s), (_, e), pos in zip(shown.iterrows(), exact.iterrows(), groups):
            g = df.iloc[pos]
            ids = pd.unique(g["request_id"])
            assert len(ids) == e["n_requests"], (by, since, until)  # the API's own populations
            rows["n_requests"].append((persons(ids), len(ids), _shown(s["n_requests"])))
            if versions is None:
                continue
            for m, flag in REGISTER_VERSION_COUNTS.items():
                v = g if flag is None else g[g[flag].to_numpy(dtype=bool)]
                assert len(v) == e[m], (by, m)
                if len(ids) < MIN_PERSONS and len(v) >= MIN_PERSONS:
                    continue
                rows[m].append((versions(v), len(v), _shown(s[m])))
        for m, r in rows.items():
            for _, t, shown_value in r:
                if shown_value is None:
                    assert t < MIN_PERSONS, (by, m, t)
                else:
                    assert t >= MIN_PERSONS and shown_value % 5 == 0 and abs(shown_value - t) <= 4, (by, m, t)
            if r:
                views.append(r)
    return views
