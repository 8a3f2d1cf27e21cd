"""The right each request opens (art. 114), as columns of the population results.

The population engine's kernel plans the end date only; the right's length needs the
professional past of the whole career, which :func:`art60kit.right.professional_past_days`
counts with the per-case crediting (about 2 ms a case). So these columns are on request
(``plan_population(..., right=True)``, ``art60kit batch --right``), computed for every
row the same way from the row's request date and days required, whichever engine
planned it: the figures are those of ``plan --json``'s ``right``.
"""
from __future__ import annotations

from typing import Optional

import pandas as pd

from ..caseio import case_from_dict
from ..errors import InputError
from ..model import Options
from ..rules import RuleBook

#: result columns added with ``right=True``
RIGHT_COLUMNS = ("right_end", "right_months", "right_extra_months", "right_limited", "right_professional_past_days")


def right_row(case, book: RuleBook, options: Options, request, days_required, dispense: bool) -> dict:
    """The right columns of one planned case (nulls when no right is computed)."""
    from ..right import beside_for_plan, dispense_for_case

    out = dict.fromkeys(RIGHT_COLUMNS)
    if request is None or pd.isna(request):
        return out
    request = pd.Timestamp(request).date()
    disp = dispense_for_case(case, book) if dispense else None
    b = beside_for_plan(case, book, options, request, None, int(days_required), disp)
    r = b.right
    if r is None or not r.computed:
        return out
    out.update(right_end=pd.Timestamp(r.end) if r.end else pd.NaT, right_months=r.months,
               right_extra_months=None if r.continues_previous else r.extra_months, right_limited=r.limited,
               right_professional_past_days=None if r.continues_previous else r.past_days)
    return out


def add_right_columns(res: pd.DataFrame, cases: pd.DataFrame, lines: pd.DataFrame, book: RuleBook,
                      options: Optional[Options]) -> pd.DataFrame:
    """``res`` with :data:`RIGHT_COLUMNS` (rows with an error or no request date: null)."""
    from .tables import iter_case_dicts

    by_id = res.set_index(res["case_id"].astype(str))
    rows = []
    for d, _ in iter_case_dicts(cases, lines):
        cid = str(d["case_id"])
        row = by_id.loc[cid] if cid in by_id.index else None
        if row is None or (isinstance(row.get("error"), str) and row.get("error")):
            rows.append({"case_id": cid, **dict.fromkeys(RIGHT_COLUMNS)})
            continue
        try:
            case = case_from_dict(d, source=f"case {cid}")
        except InputError:
            rows.append({"case_id": cid, **dict.fromkeys(RIGHT_COLUMNS)})
            continue
        rows.append({"case_id": cid, **right_row(case, book, options or case.options, row["request_date"],
                                                  row["days_required"], bool(row["dispense_de_stage"]))})
    cols = pd.DataFrame(rows, columns=["case_id", *RIGHT_COLUMNS])
    cols["right_end"] = pd.to_datetime(cols["right_end"]).astype("datetime64[s]")
    out = res.merge(cols, on="case_id", how="left")
    return out
