"""Policy-monitoring figures computed from the register's versions frame.

Pure pandas, no widgets. Every function returns counts of **persons** (one request is
one person) next to each figure, already through the disclosure control of
:mod:`.suppress` (counts of 1 to 4 hidden, other counts randomly rounded to a multiple
of 5, fixed by the persons' keys: ``rkey`` per request and ``vkey`` per version,
made by :func:`build_facts`).

Vocabulary
----------
* a *request* counts in the month its first version was sent to ONEM;
* a *modification* is a version of kind ``modification`` that was sent; a *second
  calculation* is a sent modification carrying events during the contract (absences,
  sickness: the end-of-contract recalculation);
* the *ONEM delay* is calendar days from sending a version to ONEM's answer;
* the *backlog* at the end of a month is the sent versions not answered by that day;
* ONEM's answer and the toolkit *differ* when the end date or the days to work differ.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np
import pandas as pd

from .labels import age_categories
from .suppress import KEY_MODULUS, MIN_PERSONS, protect_count, protect_counts
from .suppress import suppress_small_cells as _suppress_cells


def suppress_small_cells(df: pd.DataFrame, count_col: str, value_cols=None, threshold: int = MIN_PERSONS,
                         **kw) -> pd.DataFrame:
    """:func:`.suppress.suppress_small_cells`, and when the whole table rests on fewer
    than ``threshold`` persons every cell goes, zeros included (a zero next to a
    suppressed total says something about each of those few persons)."""
    total = pd.to_numeric(df[count_col], errors="coerce").fillna(0).sum() if len(df) else 0
    if 0 < total < threshold:
        kw["suppress_zero"] = True
    return _suppress_cells(df, count_col, value_cols, threshold=threshold, **kw)


@dataclass(frozen=True)
class Filters:
    """What the user selected; ``None`` means all."""

    months: Optional[tuple[str, str]] = None  # ("2025-01", "2026-10") inclusive
    region: Optional[str] = None  # NIS code
    province: Optional[str] = None  # NIS code; "" for Brussels-Capital (no province)
    cpas: Optional[str] = None  # NIS code
    rules: Optional[str] = None  # ar1991 / reform2026


@dataclass
class Facts:
    """The frames the dashboard works on (built once per kernel)."""

    versions: pd.DataFrame  # one row per version (register's versions frame + derived)
    requests: pd.DataFrame  # one row per request that was sent at least once
    months: list[str] = field(default_factory=list)
    #: the current version of each request never sent (drafts; derived once: the
    #: status chart counts them beside the selection's requests)
    unsent: Optional[pd.DataFrame] = None
    #: the rows of the last selections (:func:`filter_requests`, :func:`filter_versions`):
    #: one update asks for the same selection several times (figures, headline
    #: figures, comparisons), and a return to a selection asks again
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    #: ``{(frame, column): {code: row positions}}`` of :func:`_area_rows` (built once
    #: per frame and level: a selection of one CPAS takes its few rows directly
    #: instead of comparing every row of the register)
    rows: dict = field(default_factory=dict, repr=False, compare=False)


#: selections whose rows :class:`Facts` keeps
MEMO_KEPT = 48
#: columns of the register's versions frame that no figure reads (dropped once)
_UNUSED_VERSION_COLUMNS = ("parent_version_no", "age_at_start", "n_career_lines", "plan_ok", "plan_days_required",
                           "onem_end_date", "onem_days_to_work", "case_sha256")


#: multiplier giving each version of a request its own key (odd, so versions differ)
_VERSION_STEP = 2654435761


def build_facts(versions: pd.DataFrame, flags: Optional[pd.DataFrame] = None) -> Facts:
    """Derive the request-level frame from the versions frame (and the cache's flags).
    The persons' record keys are the register's own
    (:func:`art60kit.register.frames.person_keys`, from each request's first case
    hash): a count the register's aggregates also show is rounded the same way."""
    from ..register.frames import first_hashes, person_keys
    v = versions.copy()
    ids = pd.unique(v["request_id"])
    keys = pd.Series(person_keys(ids, first_hashes(v) if "case_sha256" in v.columns else {}), index=ids)
    v["rkey"] = v["request_id"].map(keys).astype("int64")
    v["vkey"] = (v["rkey"] + v["version_no"].astype("int64") * _VERSION_STEP) % KEY_MODULUS
    v["province_nis"] = v["province_nis"].fillna("")
    v["sent"] = v["sent_at"].notna()
    v["is_modification"] = v["kind"].eq("modification") & v["sent"]
    v["is_second_calc"] = v["is_modification"] & (v["n_events"].fillna(0) > 0)
    v["contract_days"] = ((v["plan_end_date"] - v["contract_start"]).dt.days + 1).astype("Int64")
    v["month"] = v["sent_at"].dt.strftime("%Y-%m")
    sent = v[v["sent"]].sort_values(["request_id", "version_no"])
    g = sent.groupby("request_id", sort=True)
    first = g.head(1).set_index("request_id")
    last = g.tail(1).set_index("request_id")
    cur = v[v["is_current"]].set_index("request_id")
    req = pd.DataFrame({
        "first_sent_at": first["sent_at"],
        "month": first["month"],
        "cpas_nis": first["cpas_nis"], "cpas_fr": first["cpas_fr"], "cpas_nl": first["cpas_nl"],
        "province_nis": first["province_nis"], "province_fr": first["province_fr"],
        "province_nl": first["province_nl"],
        "region_nis": first["region_nis"], "region_fr": first["region_fr"], "region_nl": first["region_nl"],
        "rules": last["plan_rules"],
        "age_category": last["plan_age_category"],
        "days_to_work": last["plan_days_to_work"],
        "contract_days": last["contract_days"],
        "agrees": last["agrees"],
        "end_date_diff_days": last["end_date_diff_days"],
        "n_modifications": g["is_modification"].sum(),
        "has_second_calc": g["is_second_calc"].any(),
        "status": cur["status"].reindex(first.index),
        "rkey": first["rkey"],
    })
    req["is_disagree"] = req["agrees"].eq(False).fillna(False).astype(bool)
    req["is_pending"] = req["status"].eq("sent").fillna(False).astype(bool)
    req.index.name = "request_id"
    req = req.reset_index()
    if flags is not None and len(flags):
        req = req.merge(flags[["request_id", "incomplete_data"]], on="request_id", how="left")
        req["incomplete_data"] = req["incomplete_data"].astype("boolean")
    else:
        req["incomplete_data"] = pd.array([pd.NA] * len(req), dtype="boolean")
    months = sorted(m for m in v["month"].dropna().unique())
    unsent = v[v["is_current"] & ~v["request_id"].isin(req["request_id"])]
    unsent = unsent.assign(created_month=unsent["created_at"].dt.strftime("%Y-%m"))
    v = v.drop(columns=[c for c in _UNUSED_VERSION_COLUMNS if c in v.columns])
    return Facts(_plain_text(v), _plain_text(req), months, _plain_text(unsent))


def _memo(facts: Facts, key: tuple, make):
    """``make()``, kept in ``facts.memo`` under ``key`` (the last :data:`MEMO_KEPT`
    kept). The frames returned are shared: callers derive new frames from them and
    never assign into them."""
    hit = facts.memo.pop(key, None)
    if hit is None:
        hit = make()
    facts.memo[key] = hit
    while len(facts.memo) > MEMO_KEPT:
        del facts.memo[next(iter(facts.memo))]
    return hit


def _plain_text(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its text columns as plain Python objects: every filter update takes
    rows of these frames by mask, which costs several times more on Arrow-backed text
    (one call per column) than on an object array."""
    cols = {c: df[c].astype(object) for c in df.columns if pd.api.types.is_string_dtype(df[c].dtype)
            and not isinstance(df[c].dtype, pd.CategoricalDtype) and df[c].dtype != object}
    return df.assign(**cols) if cols else df


def _area_mask(df: pd.DataFrame, f: Filters) -> pd.Series:
    m = pd.Series(True, index=df.index)
    if f.region:
        m &= df["region_nis"].eq(f.region)
    if f.province is not None:
        m &= df["province_nis"].eq(f.province)
    if f.cpas:
        m &= df["cpas_nis"].eq(f.cpas)
    return m


#: the area levels of a selection, largest first (a province "" is Brussels-Capital)
_AREA_COLUMNS = ("region_nis", "province_nis", "cpas_nis")


def _area_index(facts: Facts, name: str, col: str) -> dict:
    """``{code: row positions}`` of ``facts.<name>`` for the area level ``col``, made
    once per frame."""
    df = getattr(facts, name)
    index = facts.rows.get((name, col))
    if index is None or index[0] is not df:
        index = (df, df.groupby(col, sort=False, dropna=True).indices)
        facts.rows[(name, col)] = index
    return index[1]


def _area_rows(facts: Facts, name: str, f: Filters) -> pd.DataFrame:
    """The rows of ``facts.<name>`` in the area of ``f`` (region, province, CPAS), in
    their order: the same rows as ``df[_area_mask(df, f)]``, found through a position
    index per area level made once per frame."""
    df = getattr(facts, name)
    pos = None
    for col, code in zip(_AREA_COLUMNS, (f.region or None, f.province, f.cpas or None)):
        if code is None:
            continue
        here = _area_index(facts, name, col).get(code, np.empty(0, dtype="int64"))
        pos = here if pos is None else np.intersect1d(pos, here, assume_unique=True)
    return df if pos is None else df.take(np.sort(pos))


def index_areas(facts: Facts) -> None:
    """Make the position indexes of :func:`_area_rows` now (every frame, every area
    level; a few tens of milliseconds), so that no filter update pays for them."""
    for name in ("requests", "versions", "unsent"):
        if getattr(facts, name) is not None:
            for col in _AREA_COLUMNS:
                _area_index(facts, name, col)


def filter_requests(facts: Facts, f: Filters) -> pd.DataFrame:
    return _memo(facts, ("requests", f), lambda: _filter_requests(facts, f))


def _filter_requests(facts: Facts, f: Filters) -> pd.DataFrame:
    r = _area_rows(facts, "requests", f)
    if not (f.months or f.rules):
        return r
    m = np.ones(len(r), dtype=bool)
    if f.months:
        m &= r["month"].between(f.months[0], f.months[1]).to_numpy(dtype=bool)
    if f.rules:
        m &= r["rules"].eq(f.rules).to_numpy(dtype=bool)
    return r[m]


def filter_versions(facts: Facts, f: Filters, sent_only: bool = True) -> pd.DataFrame:
    return _memo(facts, ("versions", f, sent_only), lambda: _filter_versions(facts, f, sent_only))


def _filter_versions(facts: Facts, f: Filters, sent_only: bool) -> pd.DataFrame:
    v = _area_rows(facts, "versions", f)
    m = np.ones(len(v), dtype=bool)
    if sent_only:
        m &= v["sent"].to_numpy(dtype=bool)
    if f.months:
        m &= v["month"].between(f.months[0], f.months[1]).to_numpy(dtype=bool)
    if f.rules:
        m &= v["plan_rules"].eq(f.rules).to_numpy(dtype=bool)
    return v[m]


#: Quantiles are values observed in the data (the lower one where the rank falls
#: between two), never interpolated: an interpolated median of whole days ends in ,5
#: exactly when the count is even, and an interpolated 90th percentile's decimals
#: give the count modulo 10 — beside a count rounded to 5, that is the exact count.
QUANTILE_METHOD = "lower"


def _q(s: pd.Series, q: float) -> float:
    """The ``q`` quantile of ``s`` as a value of ``s`` (:data:`QUANTILE_METHOD`).

    >>> _q(pd.Series([1, 2, 3, 4]), 0.5), _q(pd.Series([3, 1, 2]), 0.5), _q(pd.Series([], dtype=float), 0.5)
    (2.0, 2.0, nan)
    """
    s = pd.to_numeric(s, errors="coerce").dropna().astype("float64")
    return float(np.quantile(s, q, method=QUANTILE_METHOD)) if len(s) else float("nan")


def _gq(g, col: str, q: float) -> pd.Series:
    """Per-group :func:`_q` of ``col`` (float; NaN where a group has no value)."""
    return g[col].quantile(q, interpolation=QUANTILE_METHOD).astype("float64")


def kpis(req: pd.DataFrame, ver: pd.DataFrame, threshold: int = MIN_PERSONS) -> dict:
    """Headline figures; each is None when it rests on fewer than ``threshold`` persons."""
    n = len(req)
    answered = ver[ver["answered_on"].notna()]
    n_ans_persons = answered["request_id"].nunique()
    known_flags = req["incomplete_data"].dropna()
    disagree = req["agrees"].eq(False).fillna(False)
    n_agree_known = int(req["agrees"].notna().sum())
    mods = req["n_modifications"].gt(0)

    def ok(count, value):
        return None if (0 < count < threshold) else value

    # one row per request (the request frame): the persons of a mask are its rows
    rkey = req["rkey"].to_numpy(dtype="int64")
    unique = req["request_id"].is_unique

    def shown(sub: pd.DataFrame):
        """The protected count of the persons of ``sub`` (request rows or versions:
        each person once)."""
        sub = sub.drop_duplicates("request_id")
        if 0 < n < threshold:
            return None
        return protect_count(len(sub), int(sub["rkey"].sum()) % KEY_MODULUS, threshold)

    def count(mask):
        if not unique:
            return shown(req[mask.fillna(False).astype(bool)])
        if 0 < n < threshold:
            return None
        m = mask.fillna(False).to_numpy(dtype=bool)
        return protect_count(int(m.sum()), int(rkey[m].sum()) % KEY_MODULUS, threshold)

    def share(num, den):
        return None if num is None or not den else num / den

    return {
        "n_requests": shown(req),
        # the same population as the status chart's "sent" bar: current version sent, unanswered
        "n_pending": count(req["is_pending"]),
        "delay_median": ok(n_ans_persons, _q(answered["delay_days"], 0.5) if n_ans_persons else None),
        "delay_p90": ok(n_ans_persons, _q(answered["delay_days"], 0.9) if n_ans_persons else None),
        "n_incomplete": count(req["incomplete_data"].eq(True)) if len(known_flags) else None,
        # shares are ratios of the shown (protected) counts: nothing finer leaks through them
        "share_incomplete": share(count(req["incomplete_data"].eq(True)), count(req["incomplete_data"].notna()))
        if len(known_flags) and n >= threshold else None,
        "n_modified": count(mods),
        "n_second_calc": count(req["has_second_calc"]),
        "n_disagree": count(disagree),
        "share_disagree": (share(count(disagree), count(req["agrees"].notna()))
                           if n_agree_known >= threshold else None),
        "flags_known": bool(len(known_flags)),
    }


def per_month(req: pd.DataFrame, months: Sequence[str]) -> pd.DataFrame:
    """Requests first sent per month (every month of ``months`` present)."""
    g = req.groupby("month")
    c = g.size().reindex(list(months), fill_value=0)
    k = g["rkey"].sum().reindex(list(months), fill_value=0)
    df = pd.DataFrame({"month": c.index, "n": c.to_numpy(), "k": k.to_numpy()})
    return suppress_small_cells(df, "n", key_col="k")


def by_area(req: pd.DataFrame, level: str, lang: str = "fr", top: Optional[int] = None) -> pd.DataFrame:
    """Requests (and their median days to work, share with incomplete data, number
    where ONEM differs) by ``region``, ``province`` or ``cpas``; largest first."""
    key, name = f"{level}_nis", f"{level}_{'nl' if lang == 'nl' else 'fr'}"
    w = req.assign(
        _inc=req["incomplete_data"].eq(True).fillna(False).astype(bool),
        _known=req["incomplete_data"].notna().astype(bool))
    for flag in ("_inc", "_known", "is_disagree", "is_pending"):
        w[f"k{flag}"] = w["rkey"].where(w[flag], 0)
    g = w.groupby([key, name], dropna=False, sort=False)
    df = pd.DataFrame({
        "n": g.size(),
        "k": g["rkey"].sum(),
        "days_median": _gq(g, "days_to_work", 0.5),
        "share_incomplete": 0.0,
        "_n_incomplete": g["_inc"].sum(), "_k_incomplete": g["k_inc"].sum(),
        "_n_known": g["_known"].sum(), "_k_known": g["k_known"].sum(),
        "n_disagree": g["is_disagree"].sum(), "_k_disagree": g["kis_disagree"].sum(),
        "n_pending": g["is_pending"].sum(), "_k_pending": g["kis_pending"].sum(),
    }).reset_index().rename(columns={key: "key", name: "name"})
    # counts inside a row are protected like any count (hidden below 5, rounded)
    for c, kc in (("n_disagree", "_k_disagree"), ("n_pending", "_k_pending"),
                  ("_n_incomplete", "_k_incomplete"), ("_n_known", "_k_known")):
        df[c] = protect_counts(df[c], df[kc])
    df["share_incomplete"] = df["_n_incomplete"] / df["_n_known"].where(df["_n_known"] > 0) * 100
    df = df.drop(columns=["_k_disagree", "_k_pending", "_k_incomplete", "_k_known", "_n_known"])
    out = suppress_small_cells(df, "n", ["days_median", "share_incomplete", "n_disagree", "n_pending", "_n_incomplete"],
                               key_col="k")
    # shown cells largest first; hidden ones after, by name only (their order by size
    # would rank counts that are not shown)
    out = out.sort_values(["suppressed", "n", "name"], ascending=[True, False, True],
                          na_position="last").reset_index(drop=True)
    if top:
        out = out.head(top)
    # a share whose numerator is hidden (1 to 4 persons) is hidden too
    out["share_incomplete"] = out["share_incomplete"].mask(out["_n_incomplete"].isna())
    return out.drop(columns=["_n_incomplete"])


def pipeline(facts: Facts, f: Filters) -> pd.DataFrame:
    """Requests by the status of their current version: the requests of the selection
    (first sent in the period, as every other figure), plus drafts never sent, counted
    in the month they were created. The "sent" bar is the "awaiting ONEM" figure."""
    req = filter_requests(facts, f)
    c = req.groupby("status").size()
    if facts.unsent is None:  # Facts made by hand
        v = facts.versions
        never = v[v["is_current"] & ~v["request_id"].isin(facts.requests["request_id"])]
        never = never.assign(created_month=never["created_at"].dt.strftime("%Y-%m"))
        never = never[_area_mask(never, f)]
    else:
        never = _area_rows(facts, "unsent", f)
    if f.months:
        never = never[never["created_month"].between(f.months[0], f.months[1])]
    if f.rules:
        never = never[never["plan_rules"].eq(f.rules)]
    order = ["draft", "sent", "calculated"]
    c = c.add(never.groupby("status").size(), fill_value=0).reindex(order, fill_value=0)
    k = (req.groupby("status")["rkey"].sum().add(never.groupby("status")["rkey"].sum(), fill_value=0)
         .reindex(order, fill_value=0))
    return suppress_small_cells(pd.DataFrame({"status": c.index, "n": c.to_numpy().astype(int),
                                              "k": k.to_numpy().astype("int64")}), "n", key_col="k")


def backlog(ver: pd.DataFrame, months: Sequence[str]) -> pd.DataFrame:
    """Sent versions not yet answered at the end of each month."""
    sent = ver["sent_at"].dt.normalize().to_numpy()
    ans = ver["answered_on"].to_numpy()
    vkey = ver["vkey"].to_numpy()
    rows = []
    for m in months:
        end = (pd.Period(m, "M").end_time).normalize()
        waiting = (sent <= end) & (pd.isna(ans) | (ans > end))
        rows.append((m, int(waiting.sum()), int(vkey[waiting].sum())))
    return suppress_small_cells(pd.DataFrame(rows, columns=["month", "n", "k"]), "n", key_col="k")


def delays_by_month(ver: pd.DataFrame, months: Sequence[str]) -> pd.DataFrame:
    """Median and 90th percentile of ONEM's delay by month of sending."""
    a = ver[ver["answered_on"].notna()]
    g = a.groupby("month")
    persons = a.drop_duplicates(["month", "request_id"]).groupby("month")["rkey"].sum()
    df = pd.DataFrame({
        "n": g["request_id"].nunique(),
        "k": persons,
        "median": _gq(g, "delay_days", 0.5),
        "p90": _gq(g, "delay_days", 0.9),
    }).reindex(list(months)).fillna({"n": 0, "k": 0}).reset_index(names="month")
    df["n"] = df["n"].astype(int)
    return suppress_small_cells(df, "n", ["median", "p90"], key_col="k")


def by_map_area(req: pd.DataFrame, area_of: dict, areas: Sequence[str]) -> pd.DataFrame:
    """Requests per map area (``area_of``: CPAS NIS code -> area key), every area of
    ``areas`` present (0 where none)."""
    w = req.assign(_area=req["cpas_nis"].map(area_of))
    g = w.groupby("_area")
    c = g.size().reindex(list(areas), fill_value=0)
    k = g["rkey"].sum().reindex(list(areas), fill_value=0)
    df = pd.DataFrame({"key": list(areas), "n": c.to_numpy().astype(int), "k": k.to_numpy()})
    return suppress_small_cells(df, "n", key_col="k")


#: the age categories of the rule sets (from the rule data), then "none": plans under
#: a rule set without categories
AGE_ORDER = (*age_categories(), "none")


def by_age(req: pd.DataFrame) -> pd.DataFrame:
    """Days to work and contract length (calendar days) by the plan's age category,
    over the persons who need a contract (days to work > 0): median and interquartile
    range; ``none`` for plans under the 2026 rules (no
    categories)."""
    # one population for both measures: persons who need a contract (already admissible
    # persons have 0 days to work and no contract; they would pull one median to 0)
    r = req[req["days_to_work"].notna() & req["contract_days"].notna() & req["days_to_work"].gt(0)]
    cat = r["age_category"].fillna("none")
    g = r.groupby(cat)
    df = pd.DataFrame({
        "n": g.size(),
        "k": g["rkey"].sum(),
        "days_median": _gq(g, "days_to_work", 0.5),
        "days_q1": _gq(g, "days_to_work", 0.25),
        "days_q3": _gq(g, "days_to_work", 0.75),
        "contract_median": _gq(g, "contract_days", 0.5),
        "contract_q1": _gq(g, "contract_days", 0.25),
        "contract_q3": _gq(g, "contract_days", 0.75),
    }).reindex(list(AGE_ORDER)).fillna({"n": 0, "k": 0}).reset_index(names="age_category")
    df["n"] = df["n"].astype(int)
    return suppress_small_cells(df, "n", key_col="k")


def disagreement_bins(req: pd.DataFrame) -> pd.DataFrame:
    """Requests where ONEM's end date differs from the toolkit's, by difference in
    days (bins ..., -3, -2, -1, +1, ..., with the tails grouped)."""
    r = req[req["agrees"].eq(False).fillna(False).astype(bool)]
    d = pd.to_numeric(r["end_date_diff_days"], errors="coerce")
    r = r.assign(_bin=d.clip(-10, 10))[d.notna()]
    g = r.groupby(r["_bin"].astype(int))
    c, k = g.size().sort_index(), g["rkey"].sum().sort_index()
    df = pd.DataFrame({"diff": c.index.astype(int), "n": c.to_numpy(), "k": k.to_numpy()})
    return suppress_small_cells(df, "n", value_cols=[], key_col="k")
