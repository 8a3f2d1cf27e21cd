"""Rule variants: the same population under two (or more) rule books.

A variant is declared as data, like an OpenFisca reform: a mapping
``{rule_set_id: {changes}}`` given to :meth:`art60kit.rules.RuleBook.with_changes`
(deep merge; conditions merged by id), or a YAML/JSON file holding that mapping::

    # reform-24-months.yaml: 312 days in 24 months from 1 March 2026
    reform2026:
      conditions:
        d312_m36: {months: 24}
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Optional, Union

import numpy as np
import pandas as pd

from ..caseio import parse_text, read_text_file
from ..errors import InputError, Problem
from ..model import Options
from ..rules import RuleBook, default_rulebook
from .engine import plan_population
from .tables import TableLike

SUMMARY_BY = ("age_category", "region", "rules")


def load_reform(path: Union[str, Path], book: Optional[RuleBook] = None) -> RuleBook:
    """A rule book changed by the reform file at ``path`` (YAML or JSON mapping
    ``{rule_set_id: changes}``); bad files give an :class:`InputError`."""
    text = read_text_file(path)  # bounded: a device or a huge file is refused
    data = parse_text(text, str(path))
    if not isinstance(data, Mapping):
        raise InputError([Problem(str(path), "(top)", "a reform is a mapping {rule_set_id: changes}")])
    try:
        return (book or default_rulebook()).with_changes(data)
    except InputError as e:
        # messages cut short: a rule's message may quote the value it refuses
        raise InputError([Problem(str(path), p.path[:200], " ".join(p.message.split())[:300])
                          for p in e.problems]) from None
    except (KeyError, TypeError, ValueError) as e:
        raise InputError([Problem(str(path), "(reform)", f"not a valid change: {' '.join(str(e).split())[:300]}")]) from None


def compare_variants(cases: TableLike, lines: TableLike, base: Optional[RuleBook] = None,
                     variant: Optional[RuleBook] = None, options: Optional[Options] = None,
                     names: tuple[str, str] = ("base", "variant"), by=SUMMARY_BY, **kw) -> dict:
    """Plan the population under ``base`` and ``variant``.

    Returns ``{"base": results, "variant": results, "diff": per-case differences,
    "summary": {column: table}}``. ``diff`` has, per case, both end dates and days to
    work, ``delta_days_to_work`` (variant - base), ``delta_end_days`` (calendar days) and
    ``changed`` (end date, days, condition or reachability differ). Each summary table
    counts cases, changed cases and mean/median deltas by one of ``by`` (columns that
    exist in the results only; ``rules`` is the base's rule set at the request date).
    """
    base = base or default_rulebook()
    if variant is None:
        raise ValueError("compare_variants needs a variant rule book")
    a = plan_population(cases, lines, base, options, **kw)
    b = plan_population(cases, lines, variant, options, **kw)
    n0, n1 = names
    keep = ["case_id", "rules", "end_date", "days_to_work", "days_required", "condition_id", "reachable",
            "age_category", "error"]
    extra = [c for c in a.columns if c in ("region", "province", "cpas")]
    d = a[keep + extra].merge(b[keep], on="case_id", suffixes=(f"_{n0}", f"_{n1}"))
    d["delta_days_to_work"] = d[f"days_to_work_{n1}"] - d[f"days_to_work_{n0}"]
    e0 = pd.to_datetime(d[f"end_date_{n0}"])
    e1 = pd.to_datetime(d[f"end_date_{n1}"])
    d["delta_end_days"] = (e1 - e0).dt.days
    ch = np.zeros(len(d), bool)
    for c in ("end_date", "days_to_work", "condition_id", "reachable"):
        x, y = d[f"{c}_{n0}"], d[f"{c}_{n1}"]
        ch |= ~((x == y) | (x.isna() & y.isna())).fillna(False).to_numpy(dtype=bool)
    d["changed"] = ch
    d = d.rename(columns={f"age_category_{n0}": "age_category", f"rules_{n0}": "rules"})
    summary = {}
    for col in by:
        if col not in d.columns:
            continue
        g = d.groupby(d[col].fillna("(none)"), dropna=False)
        summary[col] = pd.DataFrame({
            "cases": g.size(), "changed": g["changed"].sum(),
            "mean_delta_days_to_work": g["delta_days_to_work"].mean(),
            "median_delta_days_to_work": g["delta_days_to_work"].median(),
            "mean_delta_end_days": g["delta_end_days"].mean(),
            f"unreachable_{n0}": g[f"reachable_{n0}"].apply(lambda s: int((~s.astype(bool)).sum())),
            f"unreachable_{n1}": g[f"reachable_{n1}"].apply(lambda s: int((~s.astype(bool)).sum())),
        }).reset_index()
    return {n0: a, n1: b, "diff": d, "summary": summary}
