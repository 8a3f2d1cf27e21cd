"""The conditions at one request day: admissibility as
:func:`art60kit.admissibility.evaluate` states it.

At request day ``D`` the rule set in force is the first whose validity holds ``D``;
the person's age category is the last whose threshold the age reaches. Each condition
of that rule set that applies to the category (``rc_all`` or its ``rc_catmask``) is
tried in order: the days its window credits (:func:`.window.ref_window`,
:func:`.credit.window_credit`, from the previous admission under a rule set that counts
only new days, under the quarter-edge rule) against its required days; a condition with a professional past
(``C_PAST``) needs the past period before the window (``rc_pyears`` years) to hold
its days (:func:`past_required`: fewer when the career began inside it, the registered
``share_of_working_days``); the 8-for-1 alternative (``C_841``) lowers the requirement
by the past period's days over ``rc_ratio``. Foreign work counts once enough Belgian
work followed it. Windows of the same length, and equal credited spans, are computed
once per request day.

The verdict is the first satisfied condition, else the closest (reachable first, then
fewest days missing); the matrix ``cr`` keeps what the search's skip bounds read of
every condition tried (``CR_*`` columns).
"""
from __future__ import annotations

from .base import BIG, C_PAST, C_PLAIN, UNIT, leaf, units_short
from .calendar import add_years, age_on, count_pattern
from .credit import window_credit, window_credit_slow
from .window import ref_window

# fields of the result vector of evaluate()
R_ADM, R_NEED, R_K, R_CAT, R_COND, R_REQ, R_COUNTED, R_UNITS, R_SAT, R_MISS, R_WSTART, R_WEND, R_WBASE, \
    R_PSTART, R_PEND, R_PCOUNTED, R_REACH, R_NCOND, R_NFIELDS = range(19)
# columns of the per-condition matrix of evaluate() (what earliest() reads of each result)
# and the figures the explanation states: the requirement in force (8-for-1: the
# effective one), the professional past's requirement and, when the career began inside
# that past period, the working days counted from its start (else -1)
CR_CI, CR_UNITS, CR_COUNTED, CR_SAT, CR_REACH, CR_PUNITS, CR_PCOUNTED, CR_WSTART, CR_WBASE, CR_REQ, CR_PREQ, \
    CR_WDAYS, CR_NFIELDS = range(13)


@leaf
def past_required(days, num, den, mask, career_start, pstart, pend):
    """The days a professional-past period ``[pstart, pend]`` must hold: ``days``, or,
    when the condition has the rule for a career that began inside the period (``num``
    > 0: rules.behaviours ``share_of_working_days``) and the career's first day
    ``career_start`` lies in it, ``num/den`` of the days of weekday ``mask`` from that
    day to ``pend``, rounded up, if fewer."""
    if num <= 0 or career_start < pstart or career_start > pend:
        return days
    return min(days, -((-working_days(career_start, pend, mask)) * num // den))


@leaf
def working_days(career_start, pend, mask):
    """The days of weekday ``mask`` from the career's first day to the end of the past
    period: what the share of :func:`past_required` is taken of."""
    return count_pattern(career_start, pend, mask)


@leaf
def cached_credit(k, a, b, edges, ncache, L, opts, crd, led, tab, ev):
    """The credit of ``[a, b]`` under ledger ``k`` (:func:`.credit.window_credit`;
    ``edges``: a reference period, under the quarter-edge rule), computed once per
    request day: ``ev.cache[:ncache]`` holds the spans already credited (windows of
    conditions of the same length, their past periods, which never share a span with a
    window). Returns the units and the cache's new length."""
    for j in range(ncache):
        if ev.cache[j, 0] == a and ev.cache[j, 1] == b:
            return ev.cache[j, 2], ncache
    units = window_credit(k, a, b, False, L, opts, crd, led, tab, ev.qbuf, ev.ybuf, 1, edges)
    if ncache < ev.cache.shape[0]:
        ev.cache[ncache, 0] = a
        ev.cache[ncache, 1] = b
        ev.cache[ncache, 2] = units
        ncache += 1
    return units, ncache


@leaf
def evaluate(D, birth, prior, L, opts, conds, crd, led, ext, abr, tab, ev):
    """admissibility.evaluate at request day ``D`` for a person born on ``birth``
    (``prior``: the previous admission, or -1); False when no rule set is in force.
    ``ev.res``: the verdict (the closest condition); ``ev.cr``: one row per
    condition tried. ``conds.rc_late``/``led.cst``: a professional past whose career
    began inside it (:func:`past_required`). ``L``: the per-year denominators."""
    k = -1
    for i in range(conds.rs_from.shape[0]):
        if conds.rs_from[i] <= D and D <= conds.rs_until[i]:
            k = i
            break
    if k < 0:
        return False
    ev.res[R_NCOND] = 0
    # admissibility.abroad_ok: foreign work counts once enough Belgian work followed it
    for j in range(abr.n_ab[k]):
        led.ab_ok[abr.ab_occ[k, j]] = False
    for j in range(abr.n_ab[k]):
        o = abr.ab_occ[k, j]
        if led.ab_ok[o]:
            continue
        u = window_credit_slow(k, abr.ab_end[k, j] + 1, D - 1, False, opts.onem, opts.PM, L, led, crd, ev.qbuf,
                               ev.ybuf, 0, 0)
        led.ab_ok[o] = u >= abr.ab_need[k, j]
    age = age_on(birth, D)
    cat = -1
    for i in range(conds.ra_n[k]):
        if age >= conds.ra_from[k, i]:
            cat = i
    nw = 0
    ncache = 0
    best_need = BIG
    have_any = False
    sat_i = -1
    close_i = -1
    close_key = BIG
    for ci in range(conds.rc_n[k]):
        if not conds.rc_all[k, ci]:
            if cat < 0 or not ((conds.rc_catmask[k, ci] >> cat) & 1):
                continue
        months = conds.rc_months[k, ci]
        wi = -1
        for j in range(nw):
            if ev.wm[j] == months:
                wi = j
                break
        if wi < 0:
            st, bs = ref_window(D, months, opts.next_day, opts.ymd_shift, k, ext, ev.used, ev.ua, ev.ub)
            ev.wm[nw] = months
            ev.ws[nw] = st
            ev.wbw[nw] = bs
            wi = nw
            nw += 1
        start = ev.ws[wi]
        count_from = start
        if conds.rs_newdays[k] and prior >= 0:
            count_from = max(count_from, prior)
        # conditions of the same length share a window, and their past periods too
        # (admissibility.evaluate's ``credits``): each distinct window credited once
        units, ncache = cached_credit(k, count_from, D - 1, 1, ncache, L, opts, crd, led, tab, ev)
        counted = -((-units) // UNIT) if opts.onem else units // UNIT
        required = conds.rc_days[k, ci]
        reachable = True
        pstart = 0
        pend = 0
        pcounted = 0
        pu = 0
        preq = 0
        wdays = -1
        t = conds.rc_type[k, ci]
        if t != C_PLAIN:
            pend = start - 1
            pstart = add_years(start, -conds.rc_pyears[k, ci])
            pu, ncache = cached_credit(k, pstart, pend, 0, ncache, L, opts, crd, led, tab, ev)
            pcounted = -((-pu) // UNIT) if opts.onem else pu // UNIT
            if t == C_PAST:
                late = conds.rc_late[k, ci]
                preq = past_required(conds.rc_pdays[k, ci], late[0], late[1], late[2], led.cst[k], pstart, pend)
                if late[0] > 0 and pstart <= led.cst[k] and led.cst[k] <= pend:
                    wdays = working_days(led.cst[k], pend, late[2])
                reachable = pcounted >= preq
                satisfied = reachable and counted >= conds.rc_days[k, ci]
            else:
                required = max(conds.rc_days[k, ci], conds.rc_target[k, ci] - pcounted // conds.rc_ratio[k, ci])
                satisfied = counted >= required
        else:
            satisfied = counted >= conds.rc_days[k, ci]
        missing = 0 if satisfied else max(0, required - counted)
        need = units_short(conds.rc_days[k, ci], units, opts.onem)
        have_any = True
        ri = ev.res[R_NCOND]
        ev.cr[ri, CR_CI] = ci
        ev.cr[ri, CR_UNITS] = units
        ev.cr[ri, CR_COUNTED] = counted
        ev.cr[ri, CR_SAT] = satisfied
        ev.cr[ri, CR_REACH] = reachable
        ev.cr[ri, CR_PUNITS] = pu
        ev.cr[ri, CR_PCOUNTED] = pcounted
        ev.cr[ri, CR_WSTART] = start
        ev.cr[ri, CR_WBASE] = ev.wbw[wi]
        ev.cr[ri, CR_REQ] = required
        ev.cr[ri, CR_PREQ] = preq
        ev.cr[ri, CR_WDAYS] = wdays
        ev.res[R_NCOND] = ri + 1
        if need < best_need:
            best_need = need
        pick = False
        if satisfied and sat_i < 0:
            sat_i = ci
            pick = True
        elif sat_i < 0:
            key = (0 if reachable else 1) * BIG // 2 + missing
            if key < close_key:
                close_key = key
                close_i = ci
                pick = True
        if pick:
            ev.res[R_COND] = ci
            ev.res[R_REQ] = required
            ev.res[R_COUNTED] = counted
            ev.res[R_UNITS] = units
            ev.res[R_SAT] = satisfied
            ev.res[R_MISS] = missing
            ev.res[R_WSTART] = start
            ev.res[R_WEND] = D - 1
            ev.res[R_WBASE] = ev.wbw[wi]
            ev.res[R_PSTART] = pstart if t != C_PLAIN else -1
            ev.res[R_PEND] = pend
            ev.res[R_PCOUNTED] = pcounted
            ev.res[R_REACH] = reachable
    ev.res[R_ADM] = sat_i >= 0
    ev.res[R_NEED] = max(best_need, 0) if have_any else 0
    ev.res[R_K] = k
    ev.res[R_CAT] = cat
    return True
