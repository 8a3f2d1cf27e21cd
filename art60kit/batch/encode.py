"""Tables -> flat arrays for the kernel, with a vectorised screen of the input.

The screen is deliberately wider than :mod:`art60kit.caseio`'s validation: any case it
flags (a missing or unparsable value, a range error, overlapping events, a number the
kernel cannot hold as an exact decimal fraction...) goes to the per-case path, which
reads it with ``case_from_dict`` and either plans it or reports caseio's own messages,
with the line numbers of the table. So a malformed row never reaches the kernel and the
messages are the same as for a case file.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model import KINDS, SITUATIONS
from .book import (EPOCH_ORD, EncodedBook, _KIND_CODE, dec_rational, encode_book, extension_flags,  # noqa: F401
                   extension_starts, holiday_table)
from .tables import CASE_COLUMNS, CASE_NUMBERS, LINE_NUMBERS


def _ordinals(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ordinal or -1, present, bad): bad = given but not a valid date in 1900-2100."""
    present = s.notna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(s):
        dt = s
    else:
        txt0 = s.astype("string").str.strip()
        dt = pd.to_datetime(txt0, errors="coerce", format="ISO8601")
        if not pd.api.types.is_datetime64_any_dtype(dt):
            dt = pd.to_datetime(dt, errors="coerce")
    days = dt.to_numpy().astype("datetime64[D]")
    good = ~np.isnat(days)
    o = np.where(good, days.astype(np.int64) + EPOCH_ORD, -1)
    bad = present & ~good
    if not pd.api.types.is_datetime64_any_dtype(s):
        # caseio wants exactly YYYY-MM-DD for text dates
        bad |= (txt0.notna() & (txt0.str.len() != 10)).fillna(False).to_numpy(dtype=bool)
    bad |= good & ((days < np.datetime64("1900-01-01")) | (days > np.datetime64("2100-12-31")))
    return np.where(bad, -1, o), present & ~bad, bad


def _numbers(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(float or NaN, bad): bad = given but not a finite number."""
    if pd.api.types.is_bool_dtype(s):
        return np.full(len(s), np.nan), s.notna().to_numpy()
    v = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = s.notna().to_numpy() & ~np.isfinite(v)
    return np.where(bad, np.nan, v), bad


def _arrow_text(x) -> pa.Array:
    """Text values as an Arrow string array (zero copy for pandas' Arrow-backed ``str``
    columns; other values through ``astype(str)``, nulls kept)."""
    s = x if isinstance(x, pd.Series) else pd.Series(x, copy=False)
    if s.dtype != "str":
        s = s.astype("str")
    a = pa.array(s)
    return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a


def owner_positions(case_ids, line_case_ids) -> np.ndarray:
    """Position in ``case_ids`` of each line's case (its first row when a case id is
    repeated), -1 for a line whose case is absent. Arrow hash look-ups (``index_in``
    keeps the first occurrence of a repeated value), no per-row Python.

    >>> owner_positions(["b", "a", "b"], ["a", "b", "c", None]).tolist()
    [1, 0, -1, -1]
    """
    ix = pc.index_in(_arrow_text(line_case_ids), value_set=_arrow_text(case_ids))
    return ix.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _text_codes(x, values) -> np.ndarray:
    """Position of each text value in ``values``, -1 when absent or null."""
    ix = pc.index_in(_arrow_text(x), value_set=pa.array(list(values), pa.large_string()))
    return ix.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _in_order(owner: np.ndarray, no: np.ndarray) -> bool:
    """Whether the rows are already by case, then line number (a stable sort by those
    keys would keep them where they are)."""
    o0, o1 = owner[:-1], owner[1:]
    return bool(np.all((o1 > o0) | ((o1 == o0) & (no[1:] >= no[:-1]))))


@dataclass(eq=False)
class Encoded:
    n: int
    case_ids: np.ndarray
    flagged: np.ndarray  # per case: goes to the per-case path (screen or unsupported feature)
    arrays: dict
    line_order: np.ndarray  # positions of career rows in the lines table, kernel order


def encode(cases: pd.DataFrame, lines: pd.DataFrame, book: EncodedBook) -> Encoded:
    n = len(cases)
    cid_s = cases["case_id"] if cases["case_id"].dtype == "str" else cases["case_id"].astype("str")
    cid = cid_s.to_numpy()
    flag = np.zeros(n, bool)
    dup = cid_s.duplicated(keep=False).to_numpy()
    flag |= dup
    birth, bp, bb = _ordinals(cases["birth_date"])
    prior, pp, pb = _ordinals(cases["prior_admission"])
    s0, sp, sb = _ordinals(cases["contract_start"])
    flag |= ~bp | bb | pb | ~sp | sb
    flag |= pp & (prior < birth)
    nums = {}
    for c in CASE_NUMBERS:
        v, b = _numbers(cases[c])
        nums[c] = v
        flag |= b
    dpw = np.where(np.isnan(nums["days_per_week"]), 5.0, nums["days_per_week"])
    S = np.where(np.isnan(nums["full_time_hours"]), 38.0, nums["full_time_hours"])
    Q = nums["weekly_hours"]
    flag |= (dpw < 1) | (dpw > 6) | (S <= 0) | (S > 60) | (~np.isnan(Q) & ((Q <= 0) | (Q > S)))
    # contract before the 15th birthday
    b15 = np.array([0], np.int64)
    if n:
        bdates = pd.to_datetime(np.where(bp & ~bb, birth - EPOCH_ORD, 0), unit="D")
        b15 = (bdates + pd.DateOffset(years=15)).to_numpy().astype("datetime64[D]").astype(np.int64) + EPOCH_ORD
        flag |= sp & bp & (s0 < b15)
    flag |= s0 < book.first_valid.toordinal()
    Qe = np.where(np.isnan(Q), S, Q)
    r_n, r_d, ok1 = dec_rational(dpw)
    q_n, q_d, ok2 = dec_rational(Qe)
    s_n, s_d, ok3 = dec_rational(S)
    flag |= ~(ok1 & ok2 & ok3)

    # lines
    owner = owner_positions(cid_s, lines["case_id"])
    orphan = owner < 0
    if orphan.any():
        lines = lines.loc[~orphan]
        owner = owner[~orphan]
    # record: null = career (caseio's default)
    rec = _text_codes(lines["record"], ("career", "event"))
    rec[lines["record"].isna().to_numpy()] = 0
    bad_l = rec < 0
    kind = _text_codes(lines["kind"], book.kinds)
    bad_l |= kind < 0  # unknown kind (or none): caseio reports it
    kind = np.maximum(kind, 0)
    la, lap, lab = _ordinals(lines["start"])
    lb, lbp, lbb = _ordinals(lines["end"])
    child, cp, cb = _ordinals(lines["child_birth_date"])
    bad_l |= ~lap | lab | ~lbp | lbb | cb | (lb < la)
    lnum = {}
    for c in LINE_NUMBERS:
        v, b = _numbers(lines[c])
        lnum[c] = v
        bad_l |= b
    lno, lnob = _numbers(lines["line_no"])
    bad_l |= lnob | np.isnan(lno)
    ev = rec == 1
    car = ~ev
    r = lnum["days_per_week"]
    q = lnum["weekly_hours"]
    s = lnum["full_time_hours"]
    h = lnum["hours"]
    d = lnum["days"]
    span = (lb - la + 1).astype(float)
    bad_l |= car & (((r < 1) | (r > 6)) | (q <= 0) | (s <= 0) | (s > 60) | (h < 0) | (d < 0))
    bad_l |= car & ~np.isnan(q) & (q > np.where(np.isnan(s), 38.0, s))
    bad_l |= car & ~np.isnan(h) & (~np.isnan(d) | ~np.isnan(q))
    bad_l |= car & ((d > span) | (h > span * 24))
    bad_l |= car & (la < birth[owner])
    # events carry no measure; extra fields are ignored by caseio, but flag them to be safe
    for c in LINE_NUMBERS:
        bad_l |= ev & ~np.isnan(lnum[c])
    bad_l |= ev & (la < s0[owner])
    # employer codes as batch.one.encode_case makes them (stripped, lower case); no employer
    # (null or empty) never groups
    es = _arrow_text(lines["employer"])
    truthy = pc.fill_null(pc.not_equal(es, ""), False).to_numpy(zero_copy_only=False)
    # the few distinct names stripped and lowered, not every line's: codes numbered in
    # order of first appearance, as encoding the stripped names line by line numbers them
    raw = es.dictionary_encode()
    named = pc.utf8_lower(pc.utf8_trim_whitespace(raw.dictionary)).dictionary_encode()
    key = pc.take(named.indices, raw.indices)
    # foreign work is never grouped with another line of its employer (as batch.one.encode_case)
    truthy &= kind != book.kind_code["work_abroad"]
    emp_code = np.where(truthy, pc.fill_null(key, -1).to_numpy(zero_copy_only=False), -1).astype(np.int64)
    sit_col = lines["situation"] if "situation" in lines.columns else pd.Series([None] * len(lines))
    sit_given = sit_col.notna().to_numpy()
    sit = _text_codes(sit_col, SITUATIONS) if sit_given.any() else np.full(len(lines), -1, np.int64)
    bad_l |= (sit < 0) & sit_given  # not a known situation: caseio reports it
    flag[owner[bad_l]] = True
    # duplicate line numbers within a case
    if _in_order(owner, lno):
        by_no = np.arange(len(owner))  # what the stable sort below gives for a table in that order
    else:
        by_no = np.lexsort((lno, owner))  # stable: equal keys keep the table's order
    o_s, n_s = owner[by_no], lno[by_no]
    same_n = (o_s[1:] == o_s[:-1]) & (n_s[1:] == n_s[:-1])
    flag[o_s[1:][same_n]] = True
    # overlapping events (caseio sorts by (start, end) and refuses overlaps)
    eo = np.lexsort((lb[ev], la[ev], owner[ev]))
    e_own, e_a, e_b = owner[ev][eo], la[ev][eo], lb[ev][eo]
    same = e_own[1:] == e_own[:-1]
    ovl = same & (e_a[1:] <= e_b[:-1])
    flag[e_own[1:][ovl]] = True
    # career rows in kernel order: by case, then line number
    co = by_no[car[by_no]]  # the same order as sorting the career rows alone
    # figures of the career rows as exact decimal fractions (an event's are flagged above
    # when given at all)
    r, q, s, h, d = r[co], q[co], s[co], h[co], d[co]
    rf_n, rf_d, okr = dec_rational(r)
    lq_n, lq_d, okq = dec_rational(q)
    ls_n, ls_d, oks = dec_rational(s)
    h_n, h_d, okh = dec_rational(h)
    d_n, d_d, okd = dec_rational(d)
    flag[owner[co][~(okr & okq & oks & okh & okd)]] = True
    msr = np.where(~np.isnan(h), 1, np.where(~np.isnan(d), 2, 0)).astype(np.int64)
    c_lo = np.searchsorted(owner[co], np.arange(n), "left")
    c_hi = np.searchsorted(owner[co], np.arange(n), "right")
    c_elo = np.searchsorted(e_own, np.arange(n), "left")
    c_ehi = np.searchsorted(e_own, np.arange(n), "right")
    arrays = dict(
        c_birth=birth, c_prior=np.where(pp, prior, -1), c_s0=s0, c_r_n=r_n, c_r_d=r_d, c_q_n=q_n, c_q_d=q_d,
        c_s_n=s_n, c_s_d=s_d, c_ft=Qe >= S, c_mask=(np.left_shift(1, np.clip(np.ceil(dpw - 1e-9), 1, 7).astype(np.int64)) - 1).astype(np.int64),
        c_lo=c_lo.astype(np.int64), c_hi=c_hi.astype(np.int64), c_elo=c_elo.astype(np.int64),
        c_ehi=c_ehi.astype(np.int64), c_skip=flag.copy(),
        l_kind=kind[co], l_a=la[co], l_b=lb[co], l_emp=emp_code[co], l_msr=msr, l_r=r, l_rf_n=rf_n,
        l_rf_d=rf_d, l_q=q, l_q_n=lq_n, l_q_d=lq_d, l_s=s, l_s_n=ls_n, l_s_d=ls_d,
        l_h_n=h_n, l_h_d=h_d, l_d_n=d_n, l_d_d=d_d, l_child=np.where(cp, child, -1)[co],
        e_kind=kind[ev][eo], e_a=e_a, e_b=e_b,
    )
    arrays["l_xno"] = extension_flags(book, arrays["l_kind"], arrays["l_a"], arrays["l_b"], sit[co],
                                       arrays["c_lo"], arrays["c_hi"])
    arrays["l_xa"] = extension_starts(book, arrays["l_kind"], arrays["l_a"], arrays["l_child"])
    return Encoded(n, cid, flag, arrays, co)


