"""Read API for dashboards: pandas DataFrames built by the register, never by the caller.

Dashboards read through these functions (no SQL in notebooks). The SQL lives here:
one slim join over versions, requests, CPAS, plans and answers (no case JSON, no
person reference, no birth date), then pandas does the grouping. On the bundled
20,000-request register a call takes well under a second.

Columns of :func:`versions_frame` (one row per version)
    request_id, version_no, parent_version_no, kind, status, is_current,
    cpas_nis, cpas_fr, cpas_nl, province_nis, province_fr, province_nl,
    region_nis, region_fr, region_nl, created_at, sent_at, sent_month (Period[M]),
    contract_start, age_at_start, n_career_lines, n_events,
    plan_ok, plan_end_date, plan_days_to_work, plan_days_required, plan_rules,
    plan_age_category, onem_end_date, onem_days_to_work, answered_on,
    delay_days (calendar days from sending to ONEM's answer),
    agrees (ONEM == toolkit on end date and days; <NA> when either is missing),
    end_date_diff_days (ONEM end date minus toolkit end date).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import and_, select

from . import schema as S
from .errors import AccessDenied, BadInput

if TYPE_CHECKING:  # pragma: no cover
    from .store import RegisterSession, _Ctx

#: Dimensions accepted by :func:`aggregate` and the fact column each one groups on.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "month": ("sent_month",),
    "year": ("sent_year",),
    "cpas": ("cpas_nis", "cpas_fr", "cpas_nl"),
    "province": ("province_nis", "province_fr", "province_nl"),
    "region": ("region_nis", "region_fr", "region_nl"),
    "rules": ("plan_rules",),
    "age_category": ("plan_age_category",),
    "kind": ("kind",),
    "status": ("status",),
    "version": ("version_no",),
}

#: Measures returned by :func:`aggregate`, in order.
MEASURES = (
    "n_versions_sent", "n_requests", "n_first_requests", "n_modifications", "n_calculated",
    "n_pending", "delay_mean_days", "delay_median_days", "delay_p90_days", "n_disagree",
    "share_disagree", "onem_days_mean", "plan_days_mean", "n_with_events",
)


def _facts(conn, cpas_nis: Optional[str] = None, sent_only: bool = False) -> pd.DataFrame:
    v, r, c, p, a = S.versions.c, S.requests.c, S.cpas.c, S.plans.c, S.answers.c
    q = (select(
            v.request_id, v.version_no, v.parent_version_no, v.kind, v.status, v.case_sha256,
            (v.version_no == r.current_version).label("is_current"),
            r.cpas_nis, c.name_fr.label("cpas_fr"), c.name_nl.label("cpas_nl"),
            c.province_nis, c.province_fr, c.province_nl, c.region_nis, c.region_fr,
            c.region_nl, v.created_at, v.sent_at, v.contract_start, v.age_at_start,
            v.n_career_lines, v.n_events, p.ok.label("plan_ok"),
            p.end_date.label("plan_end_date"), p.days_to_work.label("plan_days_to_work"),
            p.days_required.label("plan_days_required"), p.rules.label("plan_rules"),
            p.age_category.label("plan_age_category"), a.end_date.label("onem_end_date"),
            a.days_to_work.label("onem_days_to_work"), a.answered_on)
         .select_from(S.versions
                      .join(S.requests, r.request_id == v.request_id)
                      .join(S.cpas, c.nis == r.cpas_nis)
                      .outerjoin(S.plans, and_(p.request_id == v.request_id, p.version_no == v.version_no))
                      .outerjoin(S.answers, and_(a.request_id == v.request_id, a.version_no == v.version_no)))
         .order_by(v.request_id, v.version_no))
    if cpas_nis is not None:
        q = q.where(r.cpas_nis == cpas_nis)
    if sent_only:
        q = q.where(v.sent_at.is_not(None))
    result = conn.execute(q)
    df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return _typed(df)


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for col in ("created_at", "sent_at"):
        df[col] = pd.to_datetime(df[col])
    for col in ("contract_start", "plan_end_date", "onem_end_date", "answered_on"):
        df[col] = pd.to_datetime(df[col])
    for col in ("age_at_start", "n_career_lines", "n_events", "plan_days_to_work",
                "onem_days_to_work", "parent_version_no"):
        df[col] = df[col].astype("Int64")
    df["is_current"] = df["is_current"].astype(bool)
    df["plan_ok"] = df["plan_ok"].astype("boolean")
    df["sent_month"] = df["sent_at"].dt.to_period("M")
    df["sent_year"] = df["sent_at"].dt.year.astype("Int64")
    df["delay_days"] = (df["answered_on"] - df["sent_at"].dt.normalize()).dt.days.astype("Int64")
    answered = df["onem_end_date"].notna() & df["plan_end_date"].notna()
    same = ((df["onem_end_date"] == df["plan_end_date"])
            & (df["onem_days_to_work"] == df["plan_days_to_work"]))
    agrees = same.fillna(False).astype("boolean")
    agrees[~answered] = pd.NA
    df["agrees"] = agrees
    df["end_date_diff_days"] = (df["onem_end_date"] - df["plan_end_date"]).dt.days.astype("Int64")
    return df


def _scope(session: "RegisterSession", cpas_nis: Optional[str]) -> Optional[str]:
    user = session.user
    if user.role == "cpas_agent":
        if cpas_nis not in (None, user.cpas_nis):
            raise AccessDenied(user=user.user_id, action="read", request_id=f"CPAS {cpas_nis}")
        return user.cpas_nis
    return cpas_nis


def versions_frame(session: "RegisterSession", *, reason: str, cpas_nis: Optional[str] = None,
                   sent_only: bool = False) -> pd.DataFrame:
    def fn(conn, ctx: "_Ctx") -> pd.DataFrame:
        df = _facts(conn, _scope(session, cpas_nis), sent_only)
        ctx.request_ids = list(pd.unique(df["request_id"])) if len(df) else []
        ctx.detail = "versions_frame"
        return df.drop(columns=["sent_year"])
    return session._run("read_frame", "read", fn, reason=reason, is_read=True)


def requests_frame(session: "RegisterSession", *, reason: str,
                   cpas_nis: Optional[str] = None) -> pd.DataFrame:
    """One row per request: the current version's columns plus ``n_versions``,
    ``n_sent``, ``first_sent_at`` and ``last_answered_on``."""
    def fn(conn, ctx: "_Ctx") -> pd.DataFrame:
        df = _facts(conn, _scope(session, cpas_nis))
        ctx.request_ids = list(pd.unique(df["request_id"])) if len(df) else []
        ctx.detail = "requests_frame"
        g = df.groupby("request_id", sort=True)
        counts = pd.DataFrame({
            "n_versions": g.size(),
            "n_sent": g["sent_at"].count(),
            "first_sent_at": g["sent_at"].min(),
            "last_answered_on": g["answered_on"].max(),
        })
        cur = df[df["is_current"]].set_index("request_id").drop(columns=["is_current", "sent_year"])
        return cur.join(counts).reset_index()
    return session._run("read_frame", "read", fn, reason=reason, is_read=True)


def aggregate(session: "RegisterSession", *, by: Sequence[str], reason: str,
              cpas_nis: Optional[str] = None, since: Optional[date] = None,
              until: Optional[date] = None, protected: Optional[bool] = None) -> pd.DataFrame:
    """Measures (:data:`MEASURES`) over *sent* versions, grouped by ``by`` (keys of
    :data:`DIMENSIONS`; empty for one grand total). ``since``/``until`` filter on the
    day the version was sent (inclusive). Delays are calendar days from sending to
    ONEM's answer; ``n_disagree`` counts answered versions where ONEM's end date or
    days differ from the toolkit plan.

    ``protected`` (always for an analyst, who reads no single request; on request for
    the other roles) applies the dashboards' disclosure control
    (:mod:`art60kit.dashboards.suppress`): every count of 1 to 4 is hidden (NaN) with
    the measures resting on it, every other count is randomly rounded to a multiple of
    5, fixed by the persons in the cell (each request's key is derived from its first
    version's content hash, which an analyst cannot read), shares are ratios of the
    rounded counts, medians and 90th percentiles are values observed in the data (never
    interpolated) and means are rounded to whole days, so that no measure's decimals
    tell its count; a column ``suppressed`` marks cells of fewer than 5 requests."""
    protected = session.user.role == "analyst" or bool(protected)
    by = tuple(by)
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise BadInput(detail=f"by: unknown dimension(s) {', '.join(unknown)}; "
                              f"choose among {', '.join(DIMENSIONS)}")

    def fn(conn, ctx: "_Ctx") -> pd.DataFrame:
        df = _facts(conn, _scope(session, cpas_nis), sent_only=True)
        if since is not None:
            df = df[df["sent_at"] >= pd.Timestamp(since)]
        if until is not None:
            df = df[df["sent_at"] < pd.Timestamp(until) + pd.Timedelta(days=1)]
        ctx.detail = (f"aggregate by={','.join(by) or '-'} cpas={cpas_nis or '*'} since={since} until={until} "
                      f"rows={len(df)} protected={protected}")
        if not protected:
            return _measure(df, by)
        return _protected_measure(df.assign(rkey=_record_keys(conn, df)), by)
    return session._run("aggregate", "aggregate", fn, reason=reason, is_read=True)


def _measure(df: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    cols = [c for d in by for c in DIMENSIONS[d]]
    work = df.assign(
        _first=df["version_no"] == 1,
        _mod=df["kind"] == "modification",
        _calc=df["onem_end_date"].notna(),
        _pending=df["onem_end_date"].isna(),
        _disagree=df["agrees"].eq(False).fillna(False),
        _events=df["n_events"].fillna(0) > 0,
        _delay=df["delay_days"].astype("float64"),
        _onem=df["onem_days_to_work"].astype("float64"),
        _plan=df["plan_days_to_work"].astype("float64"),
    )
    keys = cols if cols else (lambda _i: 0)
    g = work.groupby(keys, sort=True, dropna=False, observed=True)
    out = pd.DataFrame({
        "n_versions_sent": g.size(),
        "n_requests": g["request_id"].nunique(),
        "n_first_requests": g["_first"].sum(),
        "n_modifications": g["_mod"].sum(),
        "n_calculated": g["_calc"].sum(),
        "n_pending": g["_pending"].sum(),
        "delay_mean_days": g["_delay"].mean(),
        "delay_median_days": g["_delay"].median(),
        "delay_p90_days": g["_delay"].quantile(0.9),
        "n_disagree": g["_disagree"].sum(),
        "onem_days_mean": g["_onem"].mean(),
        "plan_days_mean": g["_plan"].mean(),
        "n_with_events": g["_events"].sum(),
    })
    out["share_disagree"] = out["n_disagree"] / out["n_calculated"].where(out["n_calculated"] > 0)
    out = out[list(MEASURES)]
    if not cols:
        return out.reset_index(drop=True)
    return out.reset_index()


#: Key of the persons' record keys (public: what no analyst can know is each request's
#: first case hash, which only roles that may read the request see).
PERSON_KEY = b"art60kit-register"


def person_keys(request_ids, first_case_sha256) -> np.ndarray:
    """Each request's key for the disclosure control
    (:func:`art60kit.dashboards.suppress.record_keys`): a keyed hash of the request id
    and the content hash of its first version. The register's aggregates and the
    dashboards draw their roundings from these same keys, so a population shows one
    value wherever an analyst sees it (two independent roundings of one count would
    narrow it down). ``first_case_sha256``: a mapping request id -> hash.

    >>> k = person_keys(["R1", "R2", "R1"], {"R1": "ab", "R2": "cd"})
    >>> bool(k[0] == k[2]), bool(k[0] != k[1]), bool(k[0] != person_keys(["R1"], {"R1": "ff"})[0])
    (True, True, True)
    """
    from ..dashboards.suppress import record_keys
    return record_keys([f"{i}:{first_case_sha256.get(i, '') or ''}" for i in request_ids], PERSON_KEY)


def first_hashes(versions: pd.DataFrame) -> dict:
    """Request id -> content hash of its first version, from a versions frame."""
    first = versions[versions["version_no"] == 1]
    return dict(zip(first["request_id"], first["case_sha256"]))


def _record_keys(conn, df: pd.DataFrame) -> pd.Series:
    """Each row's person key (:func:`person_keys`)."""
    v = S.versions.c
    ids = list(pd.unique(df["request_id"]))
    rows = conn.execute(select(v.request_id, v.case_sha256).where(v.version_no == 1)).all()
    keys = pd.Series(person_keys(ids, {r[0]: r[1] for r in rows}), index=ids, dtype="int64")
    return df["request_id"].map(keys).astype("int64")


#: count measures and the flag column each counts (None: every version)
_COUNTS = {"n_versions_sent": None, "n_first_requests": "_first", "n_modifications": "_mod",
           "n_calculated": "_calc", "n_pending": "_pending", "n_disagree": "_disagree",
           "n_with_events": "_events"}


def _protected_measure(df: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """:func:`_measure` under the disclosure control (see :func:`aggregate`)."""
    from ..dashboards.suppress import KEY_MODULUS, MIN_PERSONS, protect_counts
    out = _measure(df, by)
    cols = [c for d in by for c in DIMENSIONS[d]]
    w = df.assign(
        _first=df["version_no"] == 1, _mod=df["kind"] == "modification",
        _calc=df["onem_end_date"].notna(), _pending=df["onem_end_date"].isna(),
        _disagree=df["agrees"].eq(False).fillna(False), _events=df["n_events"].fillna(0) > 0,
        _vkey=(df["rkey"] + df["version_no"].astype("int64") * 2654435761) % KEY_MODULUS)
    for flag in ("_first", "_mod", "_calc", "_pending", "_disagree", "_events"):
        w[f"k{flag}"] = w["_vkey"].where(w[flag].astype(bool), 0)
    keys = cols if cols else (lambda _i: 0)
    g = w.groupby(keys, sort=True, dropna=False, observed=True)
    persons = w.drop_duplicates([*cols, "request_id"]).groupby(keys, sort=True, dropna=False, observed=True)
    kdf = pd.DataFrame({"n_versions_sent": g["_vkey"].sum(), "n_requests": persons["rkey"].sum(),
                        **{m: g[f"k{flag}"].sum() for m, flag in _COUNTS.items() if flag}})
    kdf = (kdf.reset_index(drop=True) if not cols else kdf.reset_index().drop(columns=cols))
    small = out["n_requests"] < MIN_PERSONS
    answered_small = out["n_calculated"] < MIN_PERSONS
    # measures say nothing about the count they rest on: quantiles are observed values
    # (an interpolated median ends in ,5 exactly for an even count) and means are whole
    # days (the decimals of a mean of whole days give its count away)
    delay = w["delay_days"].astype("float64")
    gd = delay.groupby([w[c] for c in cols] if cols else (lambda _i: 0), sort=True, dropna=False, observed=True)
    for m, q in (("delay_median_days", 0.5), ("delay_p90_days", 0.9)):
        out[m] = gd.quantile(q, interpolation="lower").to_numpy()
    for m in ("delay_mean_days", "onem_days_mean", "plan_days_mean"):
        out[m] = out[m].round(0)
    for m in ("n_requests", *_COUNTS):
        out[m] = protect_counts(out[m], kdf[m]).mask(small)
    for m in ("delay_mean_days", "delay_median_days", "delay_p90_days", "onem_days_mean"):
        out[m] = out[m].mask(small | answered_small)
    out["plan_days_mean"] = out["plan_days_mean"].mask(small)
    out["share_disagree"] = (out["n_disagree"] / out["n_calculated"].where(out["n_calculated"] > 0)).mask(
        small | answered_small)
    out["suppressed"] = small.to_numpy()
    return out


def audit_frame(session: "RegisterSession", *, reason: str,
                since: Optional[datetime] = None) -> pd.DataFrame:
    def fn(conn, ctx: "_Ctx") -> pd.DataFrame:
        q = select(S.audit).order_by(S.audit.c.entry_id)
        if since is not None:
            q = q.where(S.audit.c.at >= since)
        result = conn.execute(q)
        df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        df["at"] = pd.to_datetime(df["at"])
        ctx.detail = f"audit_frame since={since}"
        return df
    return session._run("read_audit", "audit", fn, reason=reason, is_read=True)
