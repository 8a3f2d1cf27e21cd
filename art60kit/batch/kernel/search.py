"""The end-date search: the earliest admissible request day of each case, the
contract's days to that day, and the naive end.

For each case (:func:`plan_block`) the kernel builds its ledger under every rule set
of the book (:func:`.ledger.build_ledgers`), then walks request days from the contract
start: at each day it evaluates the conditions (:func:`.conditions.evaluate`) and, when
none holds, skips to the first day the skip bounds cannot exclude
(:func:`.skip.earliest`). It never skips past a rule change, a birthday at an age
threshold or the day a foreign-work line starts to count (stops), and walks the days of
an extending period one by one. The case's answer is the first admissible request day
(its end date is the day before), the contract's credit up to that day, and the naive
end: the first day the contract alone would credit what the first request day's closest
condition missed (a gallop, then a bisection).

Cases are planned in blocks sharing one workspace (:func:`new_workspace`, sized for the
block's largest case by :func:`block_sizes` and reset case after case by
:func:`reset_case`): :func:`plan_chunk` hands blocks to the kernel's threads,
:func:`plan_range` plans one block on the calling thread (the per-case planner calls it
directly, so that planning one case never starts the threads). Everything under
:func:`plan_block` is compiled without reference counting (:data:`.base.leaf`).

Exactness: a case with a year whose common denominator or rates do not fit comfortably
in 64-bit integers (:func:`.base.beyond`) gets the status ``FALLBACK``; the per-case
planner then runs this same search interpreted, with unbounded integers
(:mod:`art60kit.batch.exact`). No rule set in force at a request day gives
``ERROR_NO_RULES``.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from .base import (BIG, ERROR_NO_RULES, FALLBACK, HORIZON_DAYS, OK, UNIT, alloc, beyond,
                   fill1, fill2, leaf, sort_head, units_short)
from .calendar import add_years, quarter_no
from .conditions import CR_NFIELDS, R_ADM, R_CAT, R_COND, R_COUNTED, R_K, R_MISS, R_NCOND, R_NFIELDS, R_REQ, \
    R_SAT, R_UNITS, R_WBASE, R_WEND, R_WSTART, evaluate
from .credit import build_tables, table_spans, window_credit, window_credit_slow
from .ledger import build_ledgers, widen_year_dens
from .skip import by_contract, earliest, post_pieces, quarter_bonus
from .structs import Abroad, Book, Bounds, Ext, Grouping, Ledger, Pieces, Scratch, Tables, Verdict, Workspace

# output columns (int64 matrix), one row per case
(O_STATUS, O_ALREADY, O_REACH, O_END, O_K, O_CAT, O_COND, O_REQ, O_COUNTED, O_UNITS, O_SAT, O_MISS, O_WSTART,
 O_WEND, O_WBASE, O_DAYS, O_CUNITS, O_PAST, O_NAIVE, O_EVALS, O_CHECKED, O_MISMATCH, O_NFIELDS) = range(23)


@leaf
def block_sizes(c0, c1, cases, lines):
    """The sizes a workspace needs for cases ``c0 .. c1 - 1``: the most career lines and
    contract events of a case, and the most quarters and calendar years (plus one) its
    credit tables can cover (whole years from its first line, event or contract day to
    the last of them or the search's horizon)."""
    MM = 0
    NE = 0
    nQ = 4
    nL = 2
    for c in range(c0, c1):
        lo = cases.c_lo[c]
        hi = cases.c_hi[c]
        elo = cases.c_elo[c]
        ehi = cases.c_ehi[c]
        MM = max(MM, hi - lo)
        NE = max(NE, ehi - elo)
        s0 = cases.c_s0[c]
        first = s0
        last = s0 + HORIZON_DAYS
        for j in range(lo, hi):
            first = min(first, lines.l_a[j])
            last = max(last, lines.l_b[j])
        for j in range(elo, ehi):
            first = min(first, lines.e_a[j])
            last = max(last, lines.e_b[j])
        y0 = quarter_no(first) // 4
        y1 = quarter_no(last) // 4
        nQ = max(nQ, 4 * (y1 - y0 + 1))
        nL = max(nL, y1 - y0 + 2)
    return MM, NE, nQ, nL


@alloc
def new_workspace(K, NC, MM, NE, nstops, tlen, nQ, nL):
    """One workspace for cases of at most ``MM`` career lines and ``NE`` contract events
    under ``K`` rule sets of at most ``NC`` conditions, with ``nstops`` stops: quarter
    tables of ``tlen`` entries per ledger over ``nQ`` quarters, ``nL`` entries of
    per-year denominators. Arrays are allocated, not set: :func:`reset_case` sets what
    a case reads before writing it, and the rest is written in full before it is read."""
    MO = MM + 1  # occupations: one per line, and the contract
    MP = MM + 2 * NE + 2  # pieces: the lines', and the contract split by its events
    MC = MM + NE + 1  # capped pieces, extending periods
    led = Ledger(
        np.empty((K, MO), np.int64), np.empty((K, MO), np.int64), np.empty((K, MO), np.int64),  # o_num o_den o_mask
        np.empty((K, MO), np.bool_), np.empty((K, MO), np.int64), np.empty((K, MO), np.int64),  # o_ft o_first o_lastb
        np.empty((K, MO), np.int64), np.empty((K, MO), np.int64),  # o_pstart o_pend
        np.empty(K, np.int64), np.empty(K, np.int64),  # n_occ contract_occ
        np.empty((K, MP), np.int64), np.empty((K, MP), np.int64),  # p_a p_b
        np.empty((K, MC), np.int64), np.empty((K, MC), np.int64), np.empty((K, MC), np.int64),  # cp_a cp_b cp_mask
        np.empty((K, MC), np.int64), np.empty((K, MC), np.int64), np.empty((K, MC), np.int64),  # cp_num cp_den cp_group
        np.empty((K, MC), np.bool_), np.empty(K, np.int64),  # cp_career n_cap
        np.empty((K, MO), np.bool_), np.empty(MO, np.bool_), np.empty(K, np.int64),  # o_isab ab_ok cst
        np.empty((K, MO), np.bool_))  # o_deem
    ext = Ext(np.empty((K, MC), np.int64), np.empty((K, MC), np.int64), np.empty((K, MC), np.bool_),
              np.empty(K, np.int64))
    abr = Abroad(np.empty((K, MO), np.int64), np.empty((K, MO), np.int64), np.empty((K, MO), np.int64),
                 np.empty(K, np.int64))
    bnd = Bounds(Pieces(np.empty((K, MP + MC), np.int64), np.empty((K, MP + MC), np.int64),
                        np.empty((K, MP + MC), np.int64), np.empty((K, MP + MC), np.int64),
                        np.empty((K, MP + MC), np.bool_), np.empty(K, np.int64)),
                 Pieces(np.empty((K, MP + MC), np.int64), np.empty((K, MP + MC), np.int64),
                        np.empty((K, MP + MC), np.int64), np.empty((K, MP + MC), np.int64),
                        np.empty((K, MP + MC), np.bool_), np.empty(K, np.int64)),
                 np.empty(K, np.int64))
    tab = Tables(
        np.zeros(2, np.int64), np.empty(K, np.bool_), np.empty(K, np.bool_),  # qspan fast_ok built
        np.empty((K, MO), np.int64), np.empty((K, MO), np.int64), np.empty((K, MO), np.int64),  # o_lo o_span o_pb
        np.empty((K, tlen), np.int64), np.empty((K, tlen), np.int64),  # PF PD
        np.empty((K, nQ + 1), np.int64), np.empty((K, nQ + 1), np.int64),  # EXa EXc
        np.empty((K, nQ // 4 + 1), np.int64), np.empty((K, nQ // 4 + 1), np.int64),  # YAa YAc
        np.empty(nQ, np.int64), np.empty(nQ, np.int64), np.empty(4, np.int64),  # qa_buf qc_buf ycon
        np.empty(3, np.int64),  # chk
        np.empty(16, np.int64), np.empty(16, np.int64), np.empty(16, np.int64), np.empty(16, np.int64))  # eq qv eqa eqb
    ev = Verdict(
        np.empty(R_NFIELDS, np.int64), np.empty((NC + 1, CR_NFIELDS), np.int64),  # res cr
        np.empty(MC, np.bool_), np.empty(MC, np.int64), np.empty(MC, np.int64),  # used ua ub
        np.empty(NC, np.int64), np.empty(NC, np.int64), np.empty(NC, np.int64),  # wm ws wbw
        np.empty((2 * NC + 2, 3), np.int64), np.empty(200, np.int64), np.empty(4, np.int64))  # cache qbuf ybuf
    grp = Grouping(
        np.empty(MO, np.int64), np.empty(MO, np.int64), np.empty(MO, np.int64), np.empty(MO, np.int64),  # g_*
        np.empty(MO, np.bool_), np.empty(MO, np.bool_),  # g_ft g_deem
        np.empty(MO, np.int64), np.empty(MO, np.int64), np.empty(MO, np.int64), np.empty(MO, np.int64))  # line_occ ln_*
    scr = Scratch(
        grp, np.empty(R_NFIELDS, np.int64), np.empty((2 * NC + 2, 2), np.int64),  # first memo
        np.empty(nL, np.int64), np.empty(nstops + K * MO, np.int64),  # Lw stw
        np.empty(K * MC, np.int64), np.empty(K * MC, np.int64),  # wa wb
        np.empty(200, np.int64), np.empty(4, np.int64), np.zeros(3, np.int64))  # qb2 yb2 need
    return Workspace(led, ext, abr, bnd, tab, ev, scr)


@leaf
def reset_case(work, check):
    """Set every array a case reads before it writes it to the value a fresh
    allocation for this case would hold (the ledger, the bounds' pieces, the tables'
    spans and flags, the self-check counters, the verdict and the search's memo)."""
    led = work.led
    fill2(led.o_num, 0)
    fill2(led.o_den, 1)
    fill2(led.o_mask, 0)
    fill2(led.o_ft, False)
    fill2(led.o_deem, False)
    fill2(led.o_first, 0)
    fill2(led.o_lastb, 0)
    fill2(led.o_pstart, 0)
    fill2(led.o_pend, 0)
    fill1(led.n_occ, 0)
    fill1(led.contract_occ, 0)
    fill2(led.p_a, 0)
    fill2(led.p_b, 0)
    fill2(led.cp_a, 0)
    fill2(led.cp_b, 0)
    fill2(led.cp_mask, 0)
    fill2(led.cp_num, 0)
    fill2(led.cp_den, 1)
    fill2(led.cp_group, 0)
    fill2(led.cp_career, False)
    fill1(led.n_cap, 0)
    ext = work.ext
    fill2(ext.x_a, 0)
    fill2(ext.x_b, 0)
    fill2(ext.x_q, False)
    fill1(ext.n_ext, 0)
    fill2(led.o_isab, False)
    abr = work.abr
    fill2(abr.ab_occ, 0)
    fill2(abr.ab_end, 0)
    fill2(abr.ab_need, 0)
    fill1(abr.n_ab, 0)
    fill1(led.ab_ok, False)
    bnd = work.bnd
    fill2(bnd.pp.a, 0)
    fill2(bnd.pp.b, 0)
    fill2(bnd.pp.per, 0)
    fill2(bnd.pp.mask, 0)
    fill2(bnd.pp.ext, False)
    fill1(bnd.pp.n, 0)
    fill2(bnd.ap.a, 0)
    fill2(bnd.ap.b, 0)
    fill2(bnd.ap.per, 0)
    fill2(bnd.ap.mask, 0)
    fill2(bnd.ap.ext, False)
    fill1(bnd.ap.n, 0)
    fill1(bnd.bonus_all, 0)
    tab = work.tab
    fill2(tab.o_lo, 0)
    fill2(tab.o_span, 0)
    fill2(tab.o_pb, 0)
    fill1(tab.fast_ok, False)
    fill1(tab.built, False)
    tab.chk[0] = check
    tab.chk[1] = 0
    tab.chk[2] = 0
    ev = work.ev
    scr = work.scr
    fill1(ev.used, False)
    fill1(ev.ua, 0)
    fill1(ev.ub, 0)
    fill1(ev.res, 0)
    fill1(scr.first, 0)
    fill2(ev.cr, 0)
    fill2(scr.memo, 0)


@leaf
def plan_block(c_from, c_to, cases, lines, book, opts, work, out):
    """Plan cases ``c_from .. c_to - 1`` into ``out`` (one row of ``O_NFIELDS`` per
    case) with the workspace ``work`` (compiled without reference counting, like every
    function it calls, so no call in the search pays for its array arguments). Returns
    ``c_to``, or the first case for which the workspace is too small: ``work.scr.need``
    then holds the sizes it needs (0 tables' length, 1 quarters, 2 the year table), and
    the case is planned again from its start once grown."""
    kinds = book.kinds
    conds = book.conds
    crd = book.credit
    srch = book.search
    led = work.led
    ext = work.ext
    abr = work.abr
    bnd = work.bnd
    tab = work.tab
    ev = work.ev
    scr = work.scr
    K = conds.rs_from.shape[0]
    for c in range(c_from, c_to):
        out[c, O_STATUS] = FALLBACK
        if cases.c_skip[c]:
            continue
        lo = cases.c_lo[c]
        hi = cases.c_hi[c]
        s0 = cases.c_s0[c]
        reset_case(work, opts.check)
        ok = build_ledgers(c, K, cases, lines, kinds, led, ext, abr, scr.grp)
        if not ok:
            continue
        horizon = s0 + HORIZON_DAYS
        # the days the tables cover: whole years from the first credited day
        first_day = s0
        last_day = horizon
        for k in range(K):
            for o in range(led.n_occ[k]):
                first_day = min(first_day, led.o_first[k, o])
                last_day = max(last_day, led.o_lastb[k, o])
            for ci in range(led.n_cap[k]):
                first_day = min(first_day, led.cp_a[k, ci])
                last_day = max(last_day, led.cp_b[k, ci])
        # common denominator of every rate crediting a day of each calendar year (all
        # ledgers; year_den). Sums stay below 2**63 while a year's denominator and the
        # rates stay within the limits of base.beyond: otherwise the status is FALLBACK.
        y_first = quarter_no(first_day) // 4
        nL = quarter_no(last_day) // 4 - y_first + 2
        if nL > scr.Lw.shape[0]:
            scr.need[2] = nL
            return c  # plan_range grows the workspace and plans this case again
        L = scr.Lw[:nL]
        fill1(L, 1)
        L[0] = y_first
        big = False
        for k in range(K):
            for o in range(led.n_occ[k]):
                d = led.o_den[k, o]
                num = led.o_num[k, o]
                if beyond(num, d) or not widen_year_dens(L, led.o_first[k, o], led.o_lastb[k, o], d):
                    big = True
            for ci in range(led.n_cap[k]):
                d = led.cp_den[k, ci]
                num = led.cp_num[k, ci]
                if beyond(num, d) or not widen_year_dens(L, led.cp_a[k, ci], led.cp_b[k, ci], d):
                    big = True
        if big:
            continue
        # quarter tables (window_credit_fast): whole years from the first credited day
        QA = quarter_no(first_day) // 4 * 4
        nQ = (quarter_no(last_day) // 4 * 4 + 4) - QA
        tab.qspan[0] = QA
        tab.qspan[1] = nQ
        tlen = table_spans(K, led, tab)
        # the tables are written in full by build_tables before they are read: the
        # workspace's are used as they are, or grown by plan_range when too small
        if tlen > tab.PF.shape[1] or nQ > tab.qa_buf.shape[0]:
            scr.need[0] = tlen
            scr.need[1] = nQ
            return c
        # stops: rule changes and birthdays at an age threshold; walked ranges: extensions
        # walked day by day, and the day each foreign-work line starts to count
        nab = 0
        for k in range(K):
            nab += abr.n_ab[k]
        ns = srch.stops_rules.shape[0] + srch.ages.shape[0]
        stops = scr.stw  # room for every rule change, age threshold and foreign-work line
        for i in range(srch.stops_rules.shape[0]):
            stops[i] = srch.stops_rules[i]
        for i in range(srch.ages.shape[0]):
            stops[srch.stops_rules.shape[0] + i] = add_years(cases.c_birth[c], srch.ages[i])
        if nab:
            for k in range(K):
                for j in range(abr.n_ab[k]):
                    a0 = abr.ab_end[k, j] + 1
                    lo_ = max(s0, a0)
                    hi_ = s0 + HORIZON_DAYS
                    u = window_credit_slow(k, a0, hi_ - 1, False, opts.onem, opts.PM, L, led, crd, scr.qb2, scr.yb2, 0, 0)
                    if u < abr.ab_need[k, j]:
                        continue
                    while lo_ < hi_:
                        mid = (lo_ + hi_) // 2
                        u = window_credit_slow(k, a0, mid - 1, False, opts.onem, opts.PM, L, led, crd, scr.qb2,
                                               scr.yb2, 0, 0)
                        if u >= abr.ab_need[k, j]:
                            hi_ = mid
                        else:
                            lo_ = mid + 1
                    stops[ns] = lo_
                    ns += 1
        sort_head(stops, ns)
        nw = 0
        for k in range(K):
            for i in range(ext.n_ext[k]):
                if ext.x_q[k, i] and ext.x_b[k, i] >= s0:
                    scr.wa[nw] = max(ext.x_a[k, i], s0) + 1
                    scr.wb[nw] = ext.x_b[k, i] + 1
                    nw += 1
        D = s0
        evals = 0
        found = False
        failed = False
        fallback = False
        while D <= horizon:
            kD = -1
            for i in range(K):
                if conds.rs_from[i] <= D and D <= conds.rs_until[i]:
                    kD = i
                    break
            if kD >= 0 and not tab.built[kD]:
                # a ledger's bounds and tables are built when the search first meets a
                # request day under its rule set (most cases never leave one rule set)
                k = kD
                post_pieces(k, s0, led, bnd.pp)
                post_pieces(k, -BIG, led, bnd.ap)
                bnd.bonus_all[k] = quarter_bonus(k, -BIG, led, srch.mpd, crd.FU)
                build_tables(k, opts.onem, L, crd, led, tab, ev.ybuf)
                tab.fast_ok[k] = abr.n_ab[k] == 0 and opts.PM == 3
                tab.built[k] = True
            if not evaluate(D, cases.c_birth[c], cases.c_prior[c], L, opts, conds, crd, led, ext, abr, tab, ev):
                failed = True
                break
            evals += 1
            if evals == 1:
                for i in range(R_NFIELDS):
                    scr.first[i] = ev.res[i]
            if ev.res[R_ADM]:
                found = True
                break
            k = ev.res[R_K]
            nxt = earliest(D, s0, k, ev.res[R_NCOND], ev.cr, scr.memo, opts, conds, srch, crd.FU, led, ext, bnd)
            if nxt < 0:
                fallback = True
                break
            for i in range(ns):
                if stops[i] > D and stops[i] > s0 and stops[i] <= horizon:
                    nxt = min(nxt, stops[i])
                    break
            for i in range(nw):
                if (scr.wa[i] <= D + 1 and D + 1 <= scr.wb[i]) or (D < scr.wa[i] and scr.wa[i] <= nxt):
                    nxt = min(nxt, max(D + 1, scr.wa[i]))
            D = max(D + 1, nxt)
        if fallback:
            continue  # status FALLBACK
        if failed:
            out[c, O_STATUS] = ERROR_NO_RULES
            continue
        out[c, O_STATUS] = OK
        out[c, O_EVALS] = evals
        out[c, O_CHECKED] = tab.chk[1]
        out[c, O_MISMATCH] = tab.chk[2]
        src = ev.res if found else scr.first
        out[c, O_K] = src[R_K]
        out[c, O_CAT] = src[R_CAT]
        out[c, O_COND] = src[R_COND]
        out[c, O_REQ] = src[R_REQ]
        out[c, O_COUNTED] = src[R_COUNTED]
        out[c, O_UNITS] = src[R_UNITS]
        out[c, O_SAT] = src[R_SAT]
        out[c, O_MISS] = src[R_MISS]
        out[c, O_WSTART] = src[R_WSTART]
        out[c, O_WEND] = src[R_WEND]
        out[c, O_WBASE] = src[R_WBASE]
        already = found and evals == 1
        out[c, O_ALREADY] = already
        out[c, O_REACH] = found
        out[c, O_NAIVE] = -1
        out[c, O_END] = -1
        out[c, O_DAYS] = 0
        out[c, O_CUNITS] = 0
        if already:
            out[c, O_PAST] = max(0, src[R_UNITS])
            continue
        # naive end date: the first verdict's closest condition, contract days only: the
        # first last day x in [s0, s0 + HORIZON_DAYS) whose contract credit reaches needn
        # (a bisection). The credit grows with x, so any day before a
        # lower bound fails: the search starts at the cumulative bound's first possible
        # day (as the request-day search) and gallops, then bisects the last step; the
        # day found is the same as a bisection over the whole range, in ~5 credits, not 13.
        kf = scr.first[R_K]
        needn = units_short(scr.first[R_REQ], scr.first[R_UNITS], opts.onem)
        hi_ = s0 + HORIZON_DAYS
        scr.memo[0, 0] = 0
        perf = quarter_bonus(kf, s0, led, srch.mpd, crd.FU)
        # a request day before by_contract's answer cannot see the need met: last day - 1
        x0 = by_contract(s0, needn, s0, led.n_occ[kf] + led.n_cap[kf] + 3, perf, 0, scr.memo, kf, bnd.pp, opts.PM) - 1
        lo_ = min(max(s0, x0), hi_)
        step = 1
        x = lo_
        while x < hi_:
            u = window_credit(kf, s0 - srch.lead, x, True, L, opts, crd, led, tab, ev.qbuf, ev.ybuf, 0, 0)
            if u >= needn:
                hi_ = x
                break
            lo_ = x + 1
            x = lo_ + step
            step *= 2
        while lo_ < hi_:
            mid = (lo_ + hi_) // 2
            u = window_credit(kf, s0 - srch.lead, mid, True, L, opts, crd, led, tab, ev.qbuf, ev.ybuf, 0, 0)
            if u >= needn:
                hi_ = mid
            else:
                lo_ = mid + 1
        out[c, O_NAIVE] = lo_ if lo_ < s0 + HORIZON_DAYS else -1
        out[c, O_CHECKED] = tab.chk[1]
        out[c, O_MISMATCH] = tab.chk[2]
        if not found:
            out[c, O_PAST] = max(0, src[R_UNITS])
            continue
        end = D - 1
        k = ev.res[R_K]
        cu = window_credit(k, s0 - srch.lead, end, True, L, opts, crd, led, tab, ev.qbuf, ev.ybuf, 0, 0)
        out[c, O_END] = end
        out[c, O_CUNITS] = cu
        out[c, O_CHECKED] = tab.chk[1]
        out[c, O_MISMATCH] = tab.chk[2]
        out[c, O_DAYS] = -((-cu) // UNIT) if opts.onem else cu // UNIT
        out[c, O_PAST] = max(0, src[R_UNITS] - cu)
    return c_to


@alloc
def plan_range(c0, c1, cases, lines, kinds, conds, crd, srch, opts, out):
    """Plan cases ``c0 .. c1 - 1`` into ``out`` with one workspace (a block of
    :func:`plan_chunk`, or one case for the per-case planner, which calls it directly
    so that planning one case never starts the kernel's threads), under the rule book
    given in its four parts (:class:`.structs.Book`)."""
    book = Book(kinds, conds, crd, srch)
    K = conds.rs_from.shape[0]
    NC = conds.rc_days.shape[1]
    nstops = srch.stops_rules.shape[0] + srch.ages.shape[0]
    MM, NE, nQ, nL = block_sizes(c0, c1, cases, lines)
    tlen = (MM + 1) * (nQ + 1)  # every occupation over every quarter, and a leading 0
    work = new_workspace(K, NC, MM, NE, nstops, tlen, nQ, nL)
    c = c0
    while c < c1:
        c = plan_block(c, c1, cases, lines, book, opts, work, out)
        if c < c1:
            # a case needs larger tables than the block's: grow them, plan it again
            need = work.scr.need
            tlen = max(tlen, need[0])
            nQ = max(nQ, need[1])
            nL = max(nL, need[2])
            work = new_workspace(K, NC, MM, NE, nstops, tlen, nQ, nL)


@njit(parallel=True, cache=True, nogil=True, _nrt=True)
def plan_chunk(n, cases, lines, kinds, conds, crd, srch, opts, block, out):
    """Plan cases ``0..n-1`` into ``out``, ``block`` cases at a time per thread
    (:func:`plan_range`). A block's cases share one workspace, sized for its largest
    case and reset (not reallocated) case after case: allocating some hundred small
    arrays per case was ~10 % of the kernel's time. The rule book comes in its four
    parts: numba's parallel loop takes flat structures only."""
    nblk = (n + block - 1) // block
    for bi in prange(nblk):
        c0 = bi * block
        c1 = min(n, c0 + block)
        plan_range(c0, c1, cases, lines, kinds, conds, crd, srch, opts, out)
