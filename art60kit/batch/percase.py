"""The per-case path: the per-case planner on each case, one at a time.

The per-case planner runs the same compiled search as the population engine, and
states its verdicts with the per-case objects the explanation reads. The population
engine sends it the cases whose input its screen flags (so that caseio's own messages
are reported), the cases that use the fields beside the end date, and the cases whose
explanation steps are asked for; the tests compare its figures with the population
engine's. ``plan_row`` flattens :meth:`art60kit.planner.Plan.to_dict` into the columns
of the batch results (:data:`RESULT_COLUMNS`).
"""
from __future__ import annotations

import json
from typing import Optional

import pandas as pd

from ..caseio import case_from_dict
from ..errors import InputError
from ..model import Options
from ..rules import RuleBook, default_rulebook

#: result columns, in order (``plan --json`` fields; nested objects flattened with ``_``)
RESULT_COLUMNS = (
    "case_id", "rules", "end_date", "request_date", "days_required", "days_to_work", "past_days_in_window",
    "age_category", "window_start", "window_end", "window_extended_by_days",
    "condition_id", "condition_days", "condition_months", "condition_counted", "condition_units",
    "condition_satisfied", "condition_missing", "already_admissible", "reachable", "naive_end_date",
    "dispense_de_stage", "subsidy_days_beyond", "subsidy_region_limit_end",
    "engine", "error",
)
#: the figures that must be identical between the batch engine and the per-case planner
KEY_COLUMNS = ("end_date", "days_to_work", "days_required", "condition_id", "rules", "age_category")


def error_text(e: InputError, case_id: str, line_nos: list) -> str:
    """Problems of one case, one per line: ``case ID: line N: field: message``."""
    import re

    out = []
    for p in e.problems:
        path = p.path
        m = re.match(r"career\[(\d+)\](.*)", path)
        if m and int(m.group(1)) < len(line_nos):
            path = f"line {line_nos[int(m.group(1))]}: {m.group(2).lstrip('.') or '(line)'}"
        m = re.match(r"contract\.events\[(\d+)\](.*)", path)
        if m:
            evs = [n for n in line_nos if isinstance(n, tuple)]
            if int(m.group(1)) < len(evs):
                path = f"line {evs[int(m.group(1))][1]}: {m.group(2).lstrip('.') or '(event)'}"
        sev = "" if p.severity == "error" else "warning: "
        out.append(f"case {case_id}: {path}: {sev}{p.message}")
    return "\n".join(out)


def plan_row(plan, steps: bool = False, lang: str = "en") -> dict:
    """One result row from a :class:`~art60kit.planner.Plan`."""
    d = plan.to_dict(lang) if steps else _to_dict_nosteps(plan)
    c = d["condition"]
    row = {
        "case_id": d["case_id"], "rules": d["rules"], "end_date": d["end_date"], "request_date": d["request_date"],
        "days_required": d["days_required"], "days_to_work": d["days_to_work"],
        "past_days_in_window": d["past_days_in_window"], "age_category": d["age_category"],
        "window_start": d["window"]["start"], "window_end": d["window"]["end"],
        "window_extended_by_days": d["window"]["extended_by_days"],
        "condition_id": c["id"], "condition_days": c["days"], "condition_months": c["months"],
        "condition_counted": c["counted"], "condition_units": c["units"], "condition_satisfied": c["satisfied"],
        "condition_missing": c["missing"], "already_admissible": d["already_admissible"],
        "reachable": d["reachable"], "naive_end_date": d["naive_end_date"],
        "dispense_de_stage": d["dispense_de_stage"], "subsidy_days_beyond": d["subsidy"]["days_beyond_end_date"],
        "subsidy_region_limit_end": d["subsidy"]["region_limit_end"], "engine": "planner", "error": None,
    }
    if steps:
        row["steps"] = json.dumps(d["steps"], ensure_ascii=False)
        row["warnings"] = json.dumps(d["warnings"], ensure_ascii=False)
    return row


def _to_dict_nosteps(plan) -> dict:
    # Plan.to_dict builds the explanation when the plan has none; the figures do not
    # depend on it, so a throw-away step tuple avoids that cost.
    from dataclasses import replace

    return replace(plan, steps=(_NoStep(),)).to_dict()


class _NoStep:
    def as_dict(self):
        return {}


def plan_case_dict(d: dict, line_nos: list, book: Optional[RuleBook] = None, options: Optional[Options] = None,
                   steps: bool = False, lang: str = "en") -> dict:
    """Validate and plan one case mapping; bad input gives a row with ``error`` set."""
    from ..planner import plan

    cid = str(d.get("case_id"))
    book = book or default_rulebook()
    try:
        case = case_from_dict(d, source=f"case {cid}", kinds=book.kinds)
        p = plan(case, book, options or case.options, sensitivity=False, lang=lang)
        return plan_row(p, steps, lang)
    except InputError as e:
        return {"case_id": cid, "engine": "planner", "error": error_text(e, cid, line_nos)}
    except Exception as e:  # one broken case must not stop the others
        return {"case_id": cid, "engine": "planner", "error": f"case {cid}: internal error: {type(e).__name__}: {e}"}


def plan_per_case(cases: pd.DataFrame, lines: pd.DataFrame, book: Optional[RuleBook] = None,
                  options: Optional[Options] = None, steps: bool = False, lang: str = "en") -> pd.DataFrame:
    """Plan every case with the core planner (``plan(case, sensitivity=False)``), one
    after the other: the baseline of the benchmark and the batch engine's oracle."""
    from .tables import iter_case_dicts

    rows = [plan_case_dict(d, nos, book, options, steps, lang) for d, nos in iter_case_dicts(cases, lines)]
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS) + (["steps", "warnings"] if steps else []))
