"""The population as two tables, and converters from/to case-format dicts.

Schemas (one row per case / one row per line, keyed by ``case_id``):

``cases``: ``case_id`` (text, unique), ``birth_date`` (date, required),
``prior_admission`` (date or null), ``contract_start`` (date, required),
``days_per_week`` (number or null = 5), ``weekly_hours`` (null = full time),
``full_time_hours`` (null = 38); any other column (``region``, ``province``, ``cpas``, ...)
is carried through to the results unchanged. Optional columns beside the end date
(:data:`BESIDE_COLUMNS`: ``previous_right_end``, ``right_exemption``, ``career_years``,
``days_used_for_extension``, ``planned_end``, ``contract_region``,
``work_experience_start``) are the case-format fields of the same names
(``contract_region`` is ``contract.region``).

``lines``: ``case_id``, ``line_no`` (integer, unique within a case: the order of the
career lines and the number quoted in error messages), ``record`` (``career`` for a past
line, ``event`` for something that happened during the contract), ``kind``, ``start``,
``end`` (dates, inclusive), ``employer``, ``days_per_week``, ``weekly_hours``,
``full_time_hours``, ``hours``, ``days`` (career lines only; null when not given),
``child_birth_date`` (``child_care`` lines), ``situation`` (the person's situation when
the period began: ``employment``, ``full_unemployment``, ``neither`` or null) and
``end_reason`` (how a job ended, for the public holidays paid after it: ``term``,
``dismissal``, ``resignation``, ``mutual_agreement``, ``serious_cause`` or null).

Dates may be ``datetime64`` columns, :class:`datetime.date` objects or ISO strings;
numbers may be floats or integers (null = not given). A table row maps one to one to a
field of the case format (case-format.md), so ``tables_to_dicts`` followed by
:func:`art60kit.caseio.case_from_dict` is the per-case reading of the same data.
"""
from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

import numpy as np
import pandas as pd

from ..caseio import case_to_dict

CASE_COLUMNS = ("case_id", "birth_date", "prior_admission", "contract_start", "days_per_week",
                "weekly_hours", "full_time_hours")
LINE_COLUMNS = ("case_id", "line_no", "record", "kind", "start", "end", "employer", "days_per_week",
                "weekly_hours", "full_time_hours", "hours", "days", "child_birth_date", "situation", "end_reason")
CASE_DATES = ("birth_date", "prior_admission", "contract_start")
#: optional case columns beside the end date (art60kit.right): ``person.*`` and
#: ``contract.*`` fields of the case format; ``contract_region`` is ``contract.region``
#: (a ``region`` column is carried through unchanged)
BESIDE_PERSON = ("previous_right_end", "right_exemption", "career_years", "days_used_for_extension")
BESIDE_CONTRACT = {"planned_end": "planned_end", "contract_region": "region",
                   "work_experience_start": "work_experience_start"}
BESIDE_COLUMNS = BESIDE_PERSON + tuple(BESIDE_CONTRACT)
LINE_DATES = ("start", "end", "child_birth_date")
CASE_NUMBERS = ("days_per_week", "weekly_hours", "full_time_hours")
LINE_NUMBERS = ("days_per_week", "weekly_hours", "full_time_hours", "hours", "days")

TableLike = Union[pd.DataFrame, str, Path]


def read_table(t: TableLike, columns: Optional[Iterable[str]] = None) -> pd.DataFrame:
    """A DataFrame as given, or a Parquet (``.parquet``/``.pq``) or CSV file."""
    if isinstance(t, pd.DataFrame):
        return t
    p = Path(t)
    if p.suffix.lower() == ".csv":
        return pd.read_csv(p, dtype={"case_id": str})
    return pd.read_parquet(p, columns=list(columns) if columns else None)


def _iso(v) -> Optional[str]:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, (date, np.datetime64)):
        return pd.Timestamp(v).date().isoformat()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def _num(v):
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return v
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


def case_dict_from_rows(case_row: dict, line_rows: Iterable[dict]) -> tuple[dict, list]:
    """One case-format mapping from a cases row and its lines rows.

    Returns ``(mapping, line_nos)`` where ``line_nos[i]`` is the ``line_no`` of
    ``career[i]`` (events are listed after, as ``("event", line_no)``), so that a
    :class:`~art60kit.errors.Problem` on ``career[i]`` can be reported by line number.
    Values are passed through unchanged (no validation here): ``case_from_dict``
    validates them.
    """
    contract = {"start": _iso(case_row.get("contract_start"))}
    for k in CASE_NUMBERS:
        v = _num(case_row.get(k))
        if v is not None:
            contract[k] = v
    person = {"birth_date": _iso(case_row.get("birth_date"))}
    pa = _iso(case_row.get("prior_admission"))
    if pa is not None:
        person["prior_admission"] = pa
    for col in BESIDE_COLUMNS:
        v = case_row.get(col)
        v = _iso(v) if col in ("previous_right_end", "planned_end", "work_experience_start") else _num(v)
        if v is not None:
            if col in BESIDE_CONTRACT:
                contract[BESIDE_CONTRACT[col]] = v
            else:
                person[col] = v
    career, events, career_nos, event_nos = [], [], [], []
    for r in sorted(line_rows, key=lambda r: (_num(r.get("line_no")) if _num(r.get("line_no")) is not None else 0)):
        rec = r.get("record") or "career"
        d = {"kind": r.get("kind"), "start": _iso(r.get("start")), "end": _iso(r.get("end"))}
        if isinstance(d["kind"], float) and math.isnan(d["kind"]):
            d["kind"] = None
        if rec == "event":
            events.append(d)
            event_nos.append(_num(r.get("line_no")))
            continue
        emp = r.get("employer")
        if emp is not None and not (isinstance(emp, float) and math.isnan(emp)) and emp is not pd.NA:
            d["employer"] = str(emp)
        for k in LINE_NUMBERS:
            v = _num(r.get(k))
            if v is not None:
                d[k] = v
        cb = _iso(r.get("child_birth_date"))
        if cb is not None:
            d["child_birth_date"] = cb
        sit = r.get("situation")
        if isinstance(sit, str):
            d["situation"] = sit
        why = r.get("end_reason")
        if why is not None and not (isinstance(why, float) and math.isnan(why)) and why is not pd.NA:
            d["end_reason"] = why if isinstance(why, str) else str(why)
        career.append(d)
        career_nos.append(_num(r.get("line_no")))
    if events:
        contract["events"] = events
    out = {"case_id": str(case_row.get("case_id")), "person": person, "contract": contract, "career": career}
    return out, career_nos + [("event", n) for n in event_nos]


def iter_case_dicts(cases: pd.DataFrame, lines: pd.DataFrame) -> Iterator[tuple[dict, list]]:
    """``(mapping, line_nos)`` for every row of ``cases``, in table order."""
    groups = {}
    if len(lines):
        recs = lines.to_dict("records")
        for r in recs:
            groups.setdefault(str(r["case_id"]), []).append(r)
    for row in cases.to_dict("records"):
        yield case_dict_from_rows(row, groups.get(str(row["case_id"]), []))


def cases_to_tables(cases: Iterable, extra: Optional[Iterable[dict]] = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tables from :class:`~art60kit.model.Case` objects or case-format mappings
    (``extra``: optional per-case mappings of carried-through columns such as region)."""
    from ..caseio import case_from_dict
    from ..model import Case

    crow, lrows = [], []
    extra = list(extra) if extra is not None else None
    for i, c in enumerate(cases):
        d = case_to_dict(c) if isinstance(c, Case) else case_to_dict(case_from_dict(c))
        con = d["contract"]
        row = {"case_id": d["case_id"], "birth_date": d["person"]["birth_date"],
               "prior_admission": d["person"].get("prior_admission"), "contract_start": con["start"],
               "days_per_week": con.get("days_per_week"), "weekly_hours": con.get("weekly_hours"),
               "full_time_hours": con.get("full_time_hours")}
        for col in BESIDE_COLUMNS:
            v = con.get(BESIDE_CONTRACT[col]) if col in BESIDE_CONTRACT else d["person"].get(col)
            if v is not None:
                row[col] = v
        if extra is not None:
            row.update(extra[i])
        crow.append(row)
        n = 0
        for l in d.get("career", []):
            n += 1
            lrows.append({"case_id": d["case_id"], "line_no": n, "record": "career", "kind": l["kind"],
                          "start": l["start"], "end": l["end"], "employer": l.get("employer"),
                          **{k: l.get(k) for k in LINE_NUMBERS}, "child_birth_date": l.get("child_birth_date"),
                          "situation": l.get("situation"), "end_reason": l.get("end_reason")})
        for e in con.get("events", []):
            n += 1
            lrows.append({"case_id": d["case_id"], "line_no": n, "record": "event", "kind": e["kind"],
                          "start": e["start"], "end": e["end"], "employer": None,
                          **{k: None for k in LINE_NUMBERS}, "child_birth_date": None, "situation": None,
                          "end_reason": None})
    cases_df = normalise_cases(pd.DataFrame(crow, columns=list(CASE_COLUMNS) + (sorted({k for r in crow for k in r} - set(CASE_COLUMNS)))))
    lines_df = normalise_lines(pd.DataFrame(lrows, columns=list(LINE_COLUMNS)))
    return cases_df, lines_df


def tables_to_cases(cases: TableLike, lines: TableLike) -> list:
    """The per-case reading: validated :class:`~art60kit.model.Case` objects (raises
    :class:`~art60kit.errors.InputError` on the first bad case)."""
    from ..caseio import case_from_dict

    out = []
    for d, _ in iter_case_dicts(read_table(cases), read_table(lines)):
        out.append(case_from_dict(d, source=f"case {d['case_id']}"))
    return out


def _to_date_col(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.astype("datetime64[s]") if s.dt.tz is None else s.dt.tz_localize(None).astype("datetime64[s]")
    return s  # left as is; the encoder parses strings and reports bad ones


#: pandas copies on write: a table's columns can be shared with the caller's, never changed
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True


def normalise_cases(df: pd.DataFrame) -> pd.DataFrame:
    """Missing optional columns added (null); ``case_id`` as text."""
    df = df.copy(deep=not _COPY_ON_WRITE)
    for c in CASE_COLUMNS:
        if c not in df.columns:
            df[c] = None
    df["case_id"] = df["case_id"].astype(str)
    for c in CASE_DATES + ("previous_right_end", "planned_end", "work_experience_start"):
        if c in df.columns:
            df[c] = _to_date_col(df[c])
    return df


def normalise_lines(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy(deep=not _COPY_ON_WRITE)
    for c in LINE_COLUMNS:
        if c not in df.columns:
            df[c] = None
    df["case_id"] = df["case_id"].astype(str)
    for c in LINE_DATES:
        df[c] = _to_date_col(df[c])
    return df
