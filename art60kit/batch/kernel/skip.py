"""The search's skip bounds: the request days it can prove inadmissible without
evaluating them.

At a request day whose verdict fails, :func:`earliest` gives a later day before which
no condition of that rule set and category can hold; the search (:mod:`.search`)
skips to it. Every bound is an upper bound of what can be gained, so the search never
skips a day where a condition could hold:

- **days still missing in the window**: only days from the request day on can add to
  it; :func:`cum_bound` is the cumulative upper bound of what the days from the
  contract start can credit (every pattern day of every piece at its per-day bound
  ``ceil(rate * UNIT) + 1``, :func:`post_pieces`; work known only by its total up
  to the end of the quarter a window ends in), with a margin (one unit per
  occupation and capped piece, plus three: the rounding of the quarter caps) and, per crediting period, what completing
  it full time can add (:func:`quarter_bonus`); :func:`by_contract` finds the first
  day it can reach the need;
- **a professional past** grows only by the days sliding into it: the smaller of a
  case-blind bound read from the rule book (the quarter cap for each quarter the slide
  can meet, :func:`art60kit.batch.bounds.past_gain_bound`, as the table ``pgb``) and
  :func:`slide_gain`, from the case's own pieces; a period whose career began inside
  it needs its end to reach the career's first day (:func:`past_end_floor`);
- **the 8-for-1 alternative** combines both.

The base start of a window moves at most :data:`MONTH_END_SLACK` days more than the
request day (month ends). The bound tables are built from the rule book by
:mod:`art60kit.batch.bounds` (:func:`past_gain_table`, :func:`min_pattern_days_table`)
and passed in the rule book's structure rather than read as globals.
"""
from __future__ import annotations

import numpy as np

from .base import BIG, C_841, C_PAST, HORIZON_DAYS, UNIT, leaf, units_short
from .calendar import count_pattern, period_no, qstart, quarter_no
from .conditions import CR_CI, CR_COUNTED, CR_PCOUNTED, CR_PUNITS, CR_REACH, CR_SAT, CR_UNITS, CR_WBASE, CR_WSTART


@leaf
def post_pieces(k, s0, led, pcs):
    """The pieces of ledger ``k`` with pattern days from the contract start on, each with
    its per-day bound ``ceil(rate * UNIT) + 1`` (credit.contract_daily_units): the only
    terms of :func:`cum_bound`, gathered once per case."""
    n = 0
    for o in range(led.n_occ[k]):
        if led.o_num[k, o] == 0:
            continue
        per = np.int64(np.ceil((led.o_num[k, o] / led.o_den[k, o]) * UNIT)) + 1
        for pi in range(led.o_pstart[k, o], led.o_pend[k, o]):
            if led.p_b[k, pi] >= s0:
                pcs.a[k, n] = max(led.p_a[k, pi], s0)
                pcs.b[k, n] = led.p_b[k, pi]
                pcs.per[k, n] = per
                pcs.mask[k, n] = led.o_mask[k, o]
                pcs.ext[k, n] = led.o_deem[k, o]
                n += 1
    for ci in range(led.n_cap[k]):
        if led.cp_num[k, ci] == 0 or led.cp_b[k, ci] < s0:
            continue
        pcs.a[k, n] = max(led.cp_a[k, ci], s0)
        pcs.b[k, n] = led.cp_b[k, ci]
        pcs.per[k, n] = np.int64(np.ceil((led.cp_num[k, ci] / led.cp_den[k, ci]) * UNIT)) + 1
        pcs.mask[k, n] = led.cp_mask[k, ci]
        pcs.ext[k, n] = False
        n += 1
    pcs.n[k] = n


@leaf
def cum_bound(kk, k, s0, pp, ext):
    """Element ``kk`` of the cumulative upper bound of what the days from the contract
    start can credit (credit.contract_daily_units), by formula instead of an array.
    ``ext``: the pieces of work known only by its total count to the end of the
    quarter of the last day (a window ending inside a quarter counts such work to its
    end: :func:`.credit.piece_span`); the search's gain from day ``D`` to a later day
    is the extended bound at the later day less the plain one at ``D``."""
    last = min(s0 + HORIZON_DAYS + 1, s0 + kk - 1)
    qlast = qstart(quarter_no(last) + 1) - 1
    tot = 0
    for i in range(pp.n[k]):
        e = qlast if ext and pp.ext[k, i] else last
        tot += pp.per[k, i] * count_pattern(pp.a[k, i], min(pp.b[k, i], e), pp.mask[k, i])
    return tot


@leaf
def bisect_cum(target, k0, k, s0, pp):
    """The least kk in [k0, HORIZON_DAYS + 3) with cum_bound(kk) >= target (else the end)."""
    lo = k0
    hi = HORIZON_DAYS + 3  # len(cum)
    while lo < hi:
        mid = (lo + hi) // 2
        if cum_bound(mid, k, s0, pp, True) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


#: slack of the sliding bound and of the 8-for-1 bound: the base start of a window
#: moves at most 3 days more than the request date (month ends)
MONTH_END_SLACK = 3

#: the search range of slide_days_needed (days); the table below has one more entry
from ..bounds import SLIDE_SEARCH_DAYS, min_pattern_days, past_gain_bound  # noqa: E402


def min_pattern_days_table(period: str = "quarter") -> np.ndarray:
    """bounds.min_pattern_days(mask, period) for mask = 0 .. 127 (0 for mask 0): the
    fewest pattern days a whole crediting period
    (``"quarter"`` or ``"month"``) can hold."""
    t = _MPD.get(period)
    if t is None:
        t = _MPD[period] = np.array([0] + [min_pattern_days(m, period) for m in range(1, 128)], np.int64)
    return t


_MPD: dict = {}


def past_gain_table(lim) -> np.ndarray:
    """bounds.past_gain_bound(d, lim) for d = 0 .. SLIDE_SEARCH_DAYS, computed by that
    function from the rule book's figures (``lim``: bounds.limits(book)),
    so that the kernel takes them (the quarter cap, the yearly caps) from the rule data
    through one function. Passed to the kernel as an argument rather than read as a
    global: numba's cache would not see a change in another module."""
    t = _PGB.get(lim)
    if t is None:
        t = _PGB[lim] = np.array([past_gain_bound(d, lim) for d in range(SLIDE_SEARCH_DAYS + 1)], np.int64)
    return t


_PGB: dict = {}


@leaf
def past_gain(pgb, slide_days):
    """bounds.past_gain_bound(slide_days), from its table ``pgb`` (index = days);
    -1 when the table is too short (the case gets the status FALLBACK)."""
    if slide_days <= 0:
        return 0
    if slide_days >= pgb.shape[0]:
        return -1
    return pgb[slide_days]


@leaf
def slide_days_needed(pgb, missing_units):
    """The fewest days that must slide into a period before it can gain
    ``missing_units``: the least d in [1, len(pgb) - 1) with past_gain_bound(d) >=
    missing_units, else len(pgb) - 1 (SLIDE_SEARCH_DAYS)."""
    if missing_units <= 0:
        return 0
    lo = 1
    hi = pgb.shape[0] - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if pgb[mid] >= missing_units:
            hi = mid
        else:
            lo = mid + 1
    return lo


@leaf
def by_contract(D, need, s0, margin, per, cum0, memo, k, pp, PM):
    """First day D' at which the credit of days D..D'-1 can
    reach ``need``. ``cum0`` = cum[D - s0]; ``memo``: (need, result) pairs of this D."""
    if need <= margin:
        return D + 1
    nm = memo[0, 0]
    for i in range(1, nm + 1):
        if memo[i, 0] == need:
            return memo[i, 1]
    k0 = D - s0
    target = cum0 + need - margin
    kk = bisect_cum(target, k0, k, s0, pp)
    if kk > k0 + 1:
        nper = period_no(s0 + kk, PM) - period_no(D, PM) + 1
        kk = bisect_cum(target - per * nper, k0, k, s0, pp)
    r = s0 + max(kk, k0 + 1)
    if nm + 1 < memo.shape[0]:
        memo[nm + 1, 0] = need
        memo[nm + 1, 1] = r
        memo[0, 0] = nm + 1
    return r


@leaf
def slide_gain(k, x, y, ap, bonus, margin, PM):
    """Most the professional-past period can gain (units) while days ``x .. y`` slide
    into it, from this case's own pieces: every pattern day of every piece (career,
    contract, capped) in [x, y] at its per-day bound (``ceil(rate * UNIT) + 1``), plus,
    for each crediting period the stretch meets, what completing it can add over its
    day-by-day credit (:func:`quarter_bonus`) and a unit of rounding of the quarter
    cap, plus ``margin``. Days leaving at the period's other end only lower its credit.
    A tighter, case-specific companion of bounds.past_gain_bound (the quarter cap for
    every quarter): the search uses the smaller of the two, so it skips more request
    days, never a day where a condition could hold."""
    if y < x:
        return 0
    tot = margin
    for i in range(ap.n[k]):
        tot += ap.per[k, i] * count_pattern(max(ap.a[k, i], x), min(ap.b[k, i], y), ap.mask[k, i])
    nq = period_no(y, PM) - period_no(x, PM) + 1
    return tot + nq * (bonus[k] + 2)


@leaf
def slide_len_needed(k, x, need, ap, bonus, margin, PM):
    """Fewest days from ``x`` that must slide into the past period before it can gain
    ``need`` units by :func:`slide_gain` (SLIDE_SEARCH_DAYS when never)."""
    if need <= 0:
        return 0
    lo = 1
    hi = SLIDE_SEARCH_DAYS
    while lo < hi:
        mid = (lo + hi) // 2
        if slide_gain(k, x, x + mid - 1, ap, bonus, margin, PM) >= need:
            hi = mid
        else:
            lo = mid + 1
    return lo


@leaf
def quarter_bonus(k, since, led, mpd, FU):
    """Over the full-time occupations of ledger ``k`` still crediting on or after day
    ``since``: what completing a whole crediting period (quarter or month) can add over
    its day-by-day credit, once a period (the full-period figure ``FU[k]`` less the
    fewest pattern days of a period, ``mpd``, at the occupation's rate, plus one
    unit). Holidays are pattern days in the day-by-day credit, so the fewest pattern
    days give the largest gain."""
    per = 0
    for o in range(led.n_occ[k]):
        if led.o_ft[k, o] and led.o_lastb[k, o] >= since:
            low = mpd[led.o_mask[k, o]] * led.o_num[k, o] * UNIT // led.o_den[k, o]
            per += max(0, FU[k] - low) + 1
    return per


@leaf
def past_end_floor(k, top, ext):
    """The earliest end a professional-past period can have at a later request day,
    ``top`` being the end without extension (the base start of today's window, less
    one day and the month-end slack). A window's start moves back only by extending
    periods that reach it, each by at most its length (and the month-end slack under
    the years, months and days reading): starting from no period, the periods that
    reach the floor found are added until no other reaches it."""
    lo = top
    for _ in range(ext.n_ext[k] + 1):
        nxt = top
        for i in range(ext.n_ext[k]):
            if ext.x_q[k, i] and ext.x_b[k, i] > lo:
                nxt -= ext.x_b[k, i] - ext.x_a[k, i] + 1 + MONTH_END_SLACK
        if nxt >= lo:
            break
        lo = nxt
    return lo


@leaf
def past_when(D, preq, onem, punits, wstart, already, pgb, k, ap, bonus, margin, PM):
    """The first request day at which a professional-past period holding ``punits``
    today can hold ``preq`` days: it grows only by the days sliding into it (bounded
    by the smaller of bounds.past_gain_bound and :func:`slide_gain`)."""
    past_need = units_short(preq, punits, onem)
    need_days = slide_days_needed(pgb, past_need)
    need_days = max(need_days, slide_len_needed(k, wstart, past_need, ap, bonus, margin, PM))
    return D + max(1, need_days - already - MONTH_END_SLACK)


@leaf
def earliest(D, s0, k, ncond, cr, memo, opts, conds, srch, FU, led, ext, bnd):
    """A day before which no condition of the verdict's rule set (``k``) and category
    can hold (``cr``: the ``ncond`` conditions the verdict tried; ``memo``: the search's memo); -1: fall back
    (table too short). For each condition: the days still missing can only be credited
    by the days from ``D`` on (:func:`by_contract`); a professional past grows only by
    the days sliding into it (bounded by the smaller of bounds.past_gain_bound and
    :func:`slide_gain`, the case's own pieces, :func:`past_when`); for a career that
    began inside the period the requirement is the share of its working days up to the
    period's end, which needs that end to have reached the career's first day and grows
    with it (no later day puts the end before :func:`past_end_floor`); the 8-for-1
    alternative combines both."""
    onem = opts.onem
    PM = opts.PM
    pgb = srch.pgb
    pp = bnd.pp
    ap = bnd.ap
    bonus = bnd.bonus_all
    per = quarter_bonus(k, s0, led, srch.mpd, FU)
    margin = led.n_occ[k] + led.n_cap[k] + 3
    cum0 = cum_bound(D - s0, k, s0, pp, False)
    memo[0, 0] = 0
    best = BIG
    for ri in range(ncond):
        ci = cr[ri, CR_CI]
        units = cr[ri, CR_UNITS]
        days = conds.rc_days[k, ci]
        recent_need = units_short(days, units, onem)
        when = by_contract(D, recent_need, s0, margin, per, cum0, memo, k, pp, PM)
        t = conds.rc_type[k, ci]
        already = cr[ri, CR_WBASE] - cr[ri, CR_WSTART]
        if t == C_PAST and not cr[ri, CR_REACH]:
            pw = past_when(D, conds.rc_pdays[k, ci], onem, cr[ri, CR_PUNITS], cr[ri, CR_WSTART], already, pgb, k, ap,
                           bonus, margin, PM)
            if conds.rc_late[k, ci, 0] > 0:
                # or the career's first day lies in the period at a later day: its end must
                # have reached that day, and the requirement is at least the share of the
                # working days up to the earliest end a later day's period can have
                lo_end = past_end_floor(k, cr[ri, CR_WBASE] - 1 - MONTH_END_SLACK, ext)
                late = conds.rc_late[k, ci]
                preq = min(conds.rc_pdays[k, ci], -((-count_pattern(led.cst[k], lo_end, late[2]) * late[0]) // late[1]))
                reach = D + led.cst[k] - (cr[ri, CR_WBASE] - 1) - MONTH_END_SLACK
                pw = min(pw, max(reach, past_when(D, preq, onem, cr[ri, CR_PUNITS], cr[ri, CR_WSTART], already, pgb,
                                                  k, ap, bonus, margin, PM)))
            when = max(when, pw)
        elif t == C_841 and not cr[ri, CR_SAT] and cr[ri, CR_COUNTED] >= days:
            ratio = conds.rc_ratio[k, ci]
            deficit = (conds.rc_target[k, ci] - cr[ri, CR_PCOUNTED] // ratio - cr[ri, CR_COUNTED]) * UNIT
            d1 = by_contract(D, deficit, s0, margin, per, cum0, memo, k, pp, PM)
            slide = d1 - D + already + MONTH_END_SLACK
            gain = past_gain(pgb, slide)
            if gain < 0:
                return -1
            gain = min(gain, slide_gain(k, cr[ri, CR_WSTART], cr[ri, CR_WSTART] + slide - 1, ap, bonus, margin, PM))
            when = max(when, by_contract(D, deficit - gain // ratio - UNIT, s0, margin, per, cum0, memo, k, pp, PM))
        if when < best:
            best = when
    return best if best < BIG else D + 1
