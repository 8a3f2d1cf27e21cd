"""The same population planned under the last two rule sets of the rule book (today: the
rules before and from 1 March 2026).

Each case is planned twice by the calculation core (:func:`art60kit.planner.plan`) with
a rule book holding a single rule set made to apply at every date. The two rule sets
are the last two of the rule book in force (:func:`compared_rule_sets`): today the
rules of the royal decree of 25 November 1991 before the reform (age categories,
312/468/624 days), ``valid_until`` lifted, and the loi-programme of 18 July 2025 (312
days in 36 months, "new days" rule), ``valid_from`` moved back to the first day
modelled.

So the comparison isolates the rules: same person, same career, same contract start,
same events. Nothing here re-implements a rule; the rule books are built with
:meth:`art60kit.rules.RuleBook.with_changes`.
"""
from __future__ import annotations

import os
import random
from datetime import timedelta
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import Any, Iterable, Mapping, Optional

import pandas as pd

#: fewest cases worth reading in worker processes
PARALLEL_MIN = 2000
RESULT_COLUMNS = ("request_id", "version_no", "contract_start",
                  "old_end_date", "old_days_to_work", "old_age_category", "old_error",
                  "new_end_date", "new_days_to_work", "new_age_category", "new_error")


@lru_cache(maxsize=1)
def compared_rule_sets() -> tuple:
    """(the rule set before the last one, the last one) of the rule book in force,
    by date of entry into force: the "before" and "after" of the comparison."""
    from ..rules import default_rulebook

    sets = sorted(default_rulebook().rule_sets, key=lambda rs: rs.valid_from)
    return tuple(sets[-2:]) if len(sets) > 1 else (sets[0], sets[0])


@lru_cache(maxsize=1)
def single_rule_books():
    """``{"old": RuleBook, "new": RuleBook}`` of :func:`compared_rule_sets`, each with
    one rule set that applies at every date."""
    from ..rules import RuleBook, default_rulebook

    book = default_rulebook()
    old_id, new_id = (rs.id for rs in compared_rule_sets())
    first = min(rs.valid_from for rs in book.rule_sets)
    old = book.with_changes({old_id: {"valid_from": first.isoformat(), "valid_until": None}}).get(old_id)
    new = book.with_changes({new_id: {"valid_from": first.isoformat()}}).get(new_id)
    return {"old": RuleBook((old,)), "new": RuleBook((new,))}


def plan_both(case: Mapping[str, Any]) -> dict:
    """Plan one case-format dict under both rule sets (no sensitivity analysis).

    Returns the end date, days to work and age category (None under rules without
    categories) under each, or the planner's message where it could not plan.
    """
    from ..caseio import case_from_dict
    from ..planner import plan

    out: dict[str, Any] = {}
    books = single_rule_books()
    try:
        c = case_from_dict(dict(case))
    except Exception as exc:  # an invalid case cannot be planned under either rule set
        msg = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        return {"old_error": msg, "new_error": msg}
    for prefix in ("old", "new"):
        try:
            p = plan(c, books[prefix], sensitivity=False)
            if p.already_admissible:
                # admissible before the first contract day: a contract of no day
                out[f"{prefix}_end_date"] = c.contract.start - timedelta(days=1)
                out[f"{prefix}_days_to_work"] = 0
            elif p.end_date is None:
                out[f"{prefix}_error"] = "unreachable"
            else:
                out[f"{prefix}_end_date"] = p.end_date
                out[f"{prefix}_days_to_work"] = p.days_to_work
            out[f"{prefix}_age_category"] = p.age_category
        except Exception as exc:
            out[f"{prefix}_error"] = (str(exc).splitlines() or [type(exc).__name__])[0][:300]
    return out


def _plan_chunk(items: list[tuple[str, int, dict]]) -> list[dict]:
    rows = []
    for rid, vno, case in items:
        row = {"request_id": rid, "version_no": vno,
               "contract_start": (case.get("contract") or {}).get("start")}
        row.update(plan_both(case))
        rows.append(row)
    return rows


def _known_case(read_cases: Mapping[str, Any], key: str, case: dict):
    """The case already read for the same content (its canonical JSON's hash), under
    this item's id; None when there is none."""
    import dataclasses

    from ..register.casedata import canonical_json, sha256_text
    known = read_cases.get(sha256_text(canonical_json(case)))
    return None if known is None else dataclasses.replace(known, case_id=key)


def _read_cases(items: list[tuple[str, dict]]) -> list:
    """Each case read by the case reader: the case, or None where it is not valid."""
    from ..caseio import case_from_dict
    out = []
    for key, case in items:
        try:
            out.append(case_from_dict(dict(case, case_id=key)))
        except Exception:  # noqa: BLE001 - planned alone below, which says what is wrong
            out.append(None)
    return out


def _simulate_batch(items: list[tuple[str, int, dict]], processes: Optional[int] = None,
                    read_cases: Optional[Mapping[str, Any]] = None) -> Optional[pd.DataFrame]:
    """Both rule sets through the population engine (``art60kit.batch``: the same
    figures as the per-case planner, checked by its tests); None when it is not
    installed. Each case is read once (in ``processes`` worker processes when there
    are many: reading is most of the time); cases the reader refuses are planned by
    :func:`plan_both`, which says what is wrong. ``read_cases``: cases already read,
    keyed by the hash of their canonical JSON (the register build's,
    :func:`art60kit.register.synth.generate`): those are not read again."""
    try:
        from ..batch.engine import plan_population
        from ..batch.tables import cases_to_tables
    except ImportError:
        return None
    rows = {}
    keyed = []
    for rid, vno, case in items:
        key = f"{rid}#{vno}"
        rows[key] = {"request_id": rid, "version_no": vno, "contract_start": (case.get("contract") or {}).get("start")}
        keyed.append((key, case))
    known = [_known_case(read_cases, key, case) for key, case in keyed] if read_cases else [None] * len(keyed)
    todo = [kc for kc, c in zip(keyed, known) if c is None]
    procs = processes or os.cpu_count() or 1
    if procs > 1 and len(todo) >= PARALLEL_MIN:
        size = -(-len(todo) // (procs * 4))
        with ProcessPoolExecutor(max_workers=procs) as ex:
            fresh = [c for part in ex.map(_read_cases, [todo[i:i + size] for i in range(0, len(todo), size)])
                     for c in part]
    else:
        fresh = _read_cases(todo)
    fresh_iter = iter(fresh)
    read = [c if c is not None else next(fresh_iter) for c in known]
    good = []
    for (key, case), c in zip(keyed, read):
        if c is None:
            rows[key].update(plan_both(case))
        else:
            good.append(c)
    if good:
        cases_df, lines_df = cases_to_tables(good)
        for prefix in ("old", "new"):
            res = plan_population(cases_df, lines_df, book=single_rule_books()[prefix], progress=False)
            for r in res.to_dict("records"):
                row = rows[r["case_id"]]
                err = r.get("error")
                if isinstance(err, str) and err:
                    row[f"{prefix}_error"] = err.splitlines()[0][:300]
                elif bool(r["already_admissible"]):
                    row[f"{prefix}_end_date"] = pd.Timestamp(row["contract_start"]).date() - timedelta(days=1)
                    row[f"{prefix}_days_to_work"] = 0
                elif pd.isna(r["end_date"]):
                    row[f"{prefix}_error"] = "unreachable"
                else:
                    row[f"{prefix}_end_date"] = pd.Timestamp(r["end_date"]).date()
                    row[f"{prefix}_days_to_work"] = int(r["days_to_work"])
                cat = r.get("age_category")
                row[f"{prefix}_age_category"] = None if cat is None or pd.isna(cat) or cat in ("", "None") else cat
    return pd.DataFrame([rows[f"{rid}#{vno}"] for rid, vno, _ in items])


def simulate(items: Iterable[tuple[str, int, Mapping[str, Any]]], processes: Optional[int] = None,
             chunk: int = 25, progress=None, engine: str = "auto",
             read_cases: Optional[Mapping[str, Any]] = None) -> pd.DataFrame:
    """Plan ``(request_id, version_no, case)`` items under both rule sets; one row each
    (:data:`RESULT_COLUMNS`), in input order. ``engine``: ``batch`` (the population
    engine), ``planner`` (per-case, in processes) or ``auto`` (batch when installed).
    ``read_cases``: cases the caller has already read (:func:`_simulate_batch`)."""
    items = [(r, v, dict(c)) for r, v, c in items]
    df = _simulate_batch(items, processes, read_cases) if engine in ("auto", "batch") and items else None
    if df is not None:
        if progress:
            progress(len(items), len(items))
        return _typed(df)
    chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
    procs = processes or os.cpu_count() or 1
    rows: list[dict] = []
    if procs <= 1 or len(chunks) <= 1:
        for ch in chunks:
            rows += _plan_chunk(ch)
            if progress:
                progress(len(rows), len(items))
    else:
        with ProcessPoolExecutor(max_workers=procs) as ex:
            for part in ex.map(_plan_chunk, chunks):
                rows += part
                if progress:
                    progress(len(rows), len(items))
    return _typed(pd.DataFrame(rows))


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for c in RESULT_COLUMNS:
        if c not in df.columns:
            df[c] = None
    df = df[list(RESULT_COLUMNS)]
    for c in ("contract_start", "old_end_date", "new_end_date"):
        df[c] = pd.to_datetime(df[c])
    for c in ("old_days_to_work", "new_days_to_work", "version_no"):
        df[c] = pd.to_numeric(df[c]).astype("Int64")
    return df


def sample_ids(ids: Iterable[str], size: Optional[int], seed: int = 2026) -> list[str]:
    """A reproducible random sample (all of them when ``size`` is None or large enough).

    >>> sample_ids(["a", "b", "c"], None)
    ['a', 'b', 'c']
    >>> len(sample_ids([str(i) for i in range(100)], 10)), sample_ids(["x", "y"], 5)
    (10, ['x', 'y'])
    """
    ids = sorted(set(ids))
    if size is None or size >= len(ids):
        return ids
    return sorted(random.Random(seed).sample(ids, size))


def with_effects(sim: pd.DataFrame) -> pd.DataFrame:
    """Add contract lengths (calendar days, start to end inclusive) under both rule sets
    and the differences ``delta_contract_days``/``delta_days_to_work`` (new minus old:
    negative = the reform saves days). Rows that could not be planned under both rule
    sets are dropped.

    >>> s = pd.DataFrame({"contract_start": pd.to_datetime(["2025-09-01"]),
    ...     "old_end_date": pd.to_datetime(["2026-08-31"]), "new_end_date": pd.to_datetime(["2026-06-30"]),
    ...     "old_days_to_work": pd.array([312], "Int64"), "new_days_to_work": pd.array([260], "Int64")})
    >>> with_effects(s)[["old_contract_days", "new_contract_days", "delta_contract_days", "delta_days_to_work"]].values.tolist()
    [[365, 303, -62, -52]]
    """
    ok = sim["old_end_date"].notna() & sim["new_end_date"].notna() & sim["contract_start"].notna()
    out = sim[ok].copy()
    out["old_contract_days"] = (out["old_end_date"] - out["contract_start"]).dt.days + 1
    out["new_contract_days"] = (out["new_end_date"] - out["contract_start"]).dt.days + 1
    out["delta_contract_days"] = out["new_contract_days"] - out["old_contract_days"]
    out["delta_days_to_work"] = (out["new_days_to_work"] - out["old_days_to_work"]).astype("Int64")
    for c in ("old_contract_days", "new_contract_days", "delta_contract_days"):
        out[c] = out[c].astype("int64")
    return out
