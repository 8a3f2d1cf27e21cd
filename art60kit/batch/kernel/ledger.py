"""The ledger of a case under each rule set: what its career lines and its contract
credit, grouped as :func:`art60kit.ledger.build_ledger` groups them.

Per rule set ``k`` (first axis of every :class:`~.structs.Ledger` array):

- **occupations**: the counted and assimilated lines grouped by employer, exact rate
  per pattern day, weekday mask, full-time flag and whether it is work known only by
  its total that the quarter-edge rule reads (``o_deem``; foreign work and lines
  without an employer alone), each with its pieces sorted by start, pieces of one occupation that
  overlap or touch merged (the same job declared twice counts once); the contract last,
  split by its events and running to the search's horizon;
- **capped pieces**: lines and contract events of a kind with a yearly cap, with their
  cap group (``cp_career``: from the career, not the contract);
- **extending periods**: lines and contract events of an extending kind, cut by the
  kind's limits (years after the child's birth, most years, fewest months) and by the
  extension condition the encoder decided with the registered behaviour (``l_xno``);
  ``x_q`` says whether the period extends;
- **foreign work**: the occupation of each foreign-work line, its last day and the
  Belgian work that must follow it before it counts.

Rates are exact fractions per pattern day (:func:`rate_of`): a line's own regime, or
the rule set's default regime (6/R x Q/S, a fractional R read on its :func:`week_days`); hours or days declared over a line are spread over its
pattern days. A figure that does not fit the kernel's integers makes the case FALLBACK.
"""
from __future__ import annotations

import numpy as np

from .base import BIG, HORIZON_DAYS, LINE_DEN_MAX, T_ASSIM, T_CAPPED, T_COUNTED, T_EXTENDS, YEAR_DEN_MAX, leaf, reduce
from .base import gcd
from .calendar import add_months, add_years, count_pattern, quarter_no, weekday_mask


@leaf
def rate_of(lines, i, kinds, k, npat):
    """Exact credit per pattern day (num, den) of career line ``i`` under rule set ``k``,
    ``npat`` being its pattern days; ok=False on overflow."""
    msr = lines.l_msr[i]
    if not np.isnan(lines.l_r[i]):
        rn, rd = lines.l_rf_n[i], lines.l_rf_d[i]
    else:
        rn, rd = kinds.rk_def_r_n[k], kinds.rk_def_r_d[k]
    if not np.isnan(lines.l_s[i]):
        sn, sd = lines.l_s_n[i], lines.l_s_d[i]
    else:
        sn, sd = kinds.rk_def_s_n[k], kinds.rk_def_s_d[k]
    if msr == 1 or msr == 2:
        if npat == 0:
            return 0, 1, True
        if msr == 1:
            n, d = reduce(lines.l_h_n[i] * 6 * sd, lines.l_h_d[i] * sn)
        else:
            n, d = reduce(lines.l_d_n[i] * 6 * rd, lines.l_d_d[i] * rn)
        if d > LINE_DEN_MAX // max(npat, 1):
            return 0, 1, False
        n, d = reduce(n, d * npat)
        return n, d, True
    if not np.isnan(lines.l_q[i]):
        qn, qd = lines.l_q_n[i], lines.l_q_d[i]
    else:
        qn, qd = sn, sd
    n, d = reduce(6 * qn * sd, week_days(rn, rd) * qd * sn)
    return n, d, True


@leaf
def week_days(rn, rd):
    """The weekdays a regime of ``rn/rd`` days a week is worked on (its pattern: the
    first ones from Monday, :func:`.calendar.weekday_mask`): R rounded up. Each credits
    6 divided by their number (times Q/S), so that a week counts 6 x Q/S days: A/R x 6
    for the R days a week worked on average (ministerial decree of 26 November 1991,
    art. 7); for a whole R, 6/R a day."""
    return min(7, max(1, -(-rn // rd)))


@leaf
def build_ledgers(c, K, cases, lines, kinds, led, ext, abr, grp):
    """Fill the ledger ``led`` (first axis: rule set) of case ``c``; False = fallback.
    ``lines.l_xno``: per career line, bit ``k`` set when its extending period does not
    meet its kind's extension condition under rule set ``k`` (credit.extension_holds).
    ``lines.l_xa[i, k]``: the first day line ``i``'s extending period can extend under
    rule set ``k`` (credit.extension_start: the child's birth for inactivity to raise a
    child entered from an earlier day, else the line's start); its caps run from there.
    Scratch: ``grp.g_*`` (at least m + 1 long), ``grp.line_occ``, ``grp.ln_*`` (at least m).

    ``led.cst[k]``: the first day of the working life under rule set ``k``.

    Foreign work (a credited kind with ``kinds.rk_abneed > 0``: ledger.Ledger.abroad): one
    row per such line in ``abr.ab_occ`` (its occupation), ``abr.ab_end`` (its last day)
    and ``abr.ab_need`` (the Belgian work it must be followed by, units); ``led.o_isab``
    marks the occupations."""
    lo = cases.c_lo[c]
    hi = cases.c_hi[c]
    elo = cases.c_elo[c]
    ehi = cases.c_ehi[c]
    s0 = cases.c_s0[c]
    c_r_n = cases.c_r_n[c]
    c_r_d = cases.c_r_d[c]
    c_q_n = cases.c_q_n[c]
    c_q_d = cases.c_q_d[c]
    c_s_n = cases.c_s_n[c]
    c_s_d = cases.c_s_d[c]
    c_ft = cases.c_ft[c]
    c_mask = cases.c_mask[c]
    m = hi - lo
    ne = ehi - elo
    horizon = s0 + HORIZON_DAYS
    # per rule set, the career's first day (``led.cst``): the first line it counts or
    # assimilates, or the contract (a professional past whose career began inside it)
    for k in range(K):
        v = s0
        for j in range(lo, hi):
            tr = kinds.rk_treat[k, lines.l_kind[j]]
            if (tr == T_COUNTED or tr == T_ASSIM or tr == T_CAPPED) and lines.l_a[j] < v:
                v = lines.l_a[j]
        led.cst[k] = v
    for k in range(K):
        # per line: occupation key
        for j in range(m):
            grp.line_occ[j] = -1
            grp.ln_num[j] = 0
            grp.ln_den[j] = 1
            grp.ln_mask[j] = 0
        no = 0
        nc = 0
        nx = 0
        for j in range(m):
            i = lo + j
            kd = lines.l_kind[i]
            t = kinds.rk_treat[k, kd]
            if t == T_EXTENDS:
                # from the child's birth for inactivity to raise a child entered from an
                # earlier day: decided by the encoder (credit.extension_start)
                a = lines.l_xa[i, k]
                b = lines.l_b[i]
                cap_end = b
                ok = True
                if kinds.rk_child[k, kd] > 0:
                    if lines.l_child[i] < 0:
                        lim = add_years(a, kinds.rk_child[k, kd]) - 1
                    else:
                        lim = add_years(lines.l_child[i], kinds.rk_child[k, kd]) - 1
                    cap_end = min(cap_end, lim)
                if kinds.rk_maxy[k, kd] > 0:
                    cap_end = min(cap_end, add_years(a, kinds.rk_maxy[k, kd]) - 1)
                if cap_end < a:
                    ok = False
                    cap_end = b
                elif kinds.rk_minm[k, kd] > 0 and cap_end < add_months(a, kinds.rk_minm[k, kd], False) - 1:
                    ok = False
                if (lines.l_xno[i] >> k) & 1:
                    # the kind's extension condition fails (or the case cannot tell) under
                    # this rule set: decided by the encoder with the registered behaviour
                    ok = False
                ext.x_a[k, nx] = a
                ext.x_b[k, nx] = cap_end
                ext.x_q[k, nx] = ok
                nx += 1
                continue
            if t != T_COUNTED and t != T_ASSIM and t != T_CAPPED:
                continue
            r = lines.l_r[i] if not np.isnan(lines.l_r[i]) else kinds.rk_def_r[k]
            mask = weekday_mask(r)
            msr = lines.l_msr[i]
            npat = count_pattern(lines.l_a[i], lines.l_b[i], mask)
            if (msr == 1 or msr == 2) and npat == 0:
                mask = 127
                npat = count_pattern(lines.l_a[i], lines.l_b[i], mask)
            num, den, ok = rate_of(lines, i, kinds, k, npat)
            if not ok:
                return False
            if t == T_CAPPED:
                led.cp_a[k, nc] = lines.l_a[i]
                led.cp_b[k, nc] = lines.l_b[i]
                led.cp_mask[k, nc] = mask
                led.cp_num[k, nc] = num
                led.cp_den[k, nc] = den
                led.cp_group[k, nc] = kinds.rk_group[k, kd]
                led.cp_career[k, nc] = True
                nc += 1
                continue
            s_eff = lines.l_s[i] if not np.isnan(lines.l_s[i]) else kinds.rk_def_s[k]
            ft = msr == 0 and (np.isnan(lines.l_q[i]) or lines.l_q[i] >= s_eff)
            # work known only by its total over the line's period, of a kind the
            # quarter-edge rule names: an occupation of its own kind
            deem = (msr == 1 or msr == 2) and kinds.rk_deem[k, kd]
            grp.ln_num[j] = num
            grp.ln_den[j] = den
            grp.ln_mask[j] = mask
            found = -1
            if lines.l_emp[i] >= 0:
                for g in range(no):
                    if (grp.g_emp[g] == lines.l_emp[i] and grp.g_num[g] == num and grp.g_den[g] == den
                            and grp.g_mask[g] == mask and grp.g_ft[g] == ft and grp.g_deem[g] == deem):
                        found = g
                        break
            if found < 0:
                found = no
                grp.g_emp[no] = lines.l_emp[i] if lines.l_emp[i] >= 0 else -2 - j  # alone
                grp.g_num[no] = num
                grp.g_den[no] = den
                grp.g_mask[no] = mask
                grp.g_ft[no] = ft
                grp.g_deem[no] = deem
                no += 1
            grp.line_occ[j] = found
            if kinds.rk_abneed[k, kd] > 0:
                abr.ab_occ[k, abr.n_ab[k]] = found
                abr.ab_end[k, abr.n_ab[k]] = lines.l_b[i]
                abr.ab_need[k, abr.n_ab[k]] = kinds.rk_abneed[k, kd]
                abr.n_ab[k] += 1
        # pieces, grouped by occupation (stable order of lines: sorted by start, ties in line order)
        np_ = 0
        for g in range(no):
            led.o_num[k, g] = grp.g_num[g]
            led.o_den[k, g] = grp.g_den[g]
            led.o_mask[k, g] = grp.g_mask[g]
            led.o_ft[k, g] = grp.g_ft[g]
            led.o_deem[k, g] = grp.g_deem[g]
            led.o_pstart[k, g] = np_
            first = BIG
            lastb = -BIG
            # pieces sorted by start (stable); lines of one occupation that overlap or
            # touch (the same job declared twice) are merged: they count once (credit.py)
            ps = np_
            for j in range(m):
                if grp.line_occ[j] == g:
                    a_ = lines.l_a[lo + j]
                    b_ = lines.l_b[lo + j]
                    q = np_
                    while q > ps and led.p_a[k, q - 1] > a_:
                        led.p_a[k, q] = led.p_a[k, q - 1]
                        led.p_b[k, q] = led.p_b[k, q - 1]
                        q -= 1
                    led.p_a[k, q] = a_
                    led.p_b[k, q] = b_
                    np_ += 1
                    if a_ < first:
                        first = a_
                    # credit.Occupation.last: the greatest end of its pieces
                    if b_ > lastb:
                        lastb = b_
            w = ps
            for q in range(ps, np_):
                if w > ps and led.p_a[k, q] <= led.p_b[k, w - 1] + 1:
                    led.p_b[k, w - 1] = max(led.p_b[k, w - 1], led.p_b[k, q])
                else:
                    led.p_a[k, w] = led.p_a[k, q]
                    led.p_b[k, w] = led.p_b[k, q]
                    w += 1
            np_ = w
            led.o_first[k, g] = first
            led.o_lastb[k, g] = lastb
            led.o_pend[k, g] = np_
        # the contract
        g = no
        led.o_num[k, g], led.o_den[k, g] = reduce(6 * c_q_n * c_s_d, week_days(c_r_n, c_r_d) * c_q_d * c_s_n)
        led.o_mask[k, g] = c_mask
        led.o_ft[k, g] = c_ft
        led.o_deem[k, g] = False
        led.o_pstart[k, g] = np_
        cur = s0
        for j in range(ne):
            i = elo + j
            t = kinds.rk_treat[k, lines.e_kind[i]]
            ea = lines.e_a[i]
            eb = lines.e_b[i]
            if ea > cur:
                led.p_a[k, np_] = cur
                led.p_b[k, np_] = ea - 1
                np_ += 1
            if t == T_COUNTED or t == T_ASSIM:
                led.p_a[k, np_] = ea
                led.p_b[k, np_] = eb
                np_ += 1
            elif t == T_CAPPED:
                led.cp_a[k, nc] = ea
                led.cp_b[k, nc] = eb
                led.cp_mask[k, nc] = c_mask
                led.cp_num[k, nc] = led.o_num[k, g]
                led.cp_den[k, nc] = led.o_den[k, g]
                led.cp_group[k, nc] = kinds.rk_group[k, lines.e_kind[i]]
                led.cp_career[k, nc] = False
                nc += 1
            elif t == T_EXTENDS:
                ext.x_a[k, nx] = ea
                ext.x_b[k, nx] = eb
                ext.x_q[k, nx] = True
                # contract events have no child birth date: caps from their start
                kd = lines.e_kind[i]
                cap_end = eb
                if kinds.rk_child[k, kd] > 0:
                    cap_end = min(cap_end, add_years(ea, kinds.rk_child[k, kd]) - 1)
                if kinds.rk_maxy[k, kd] > 0:
                    cap_end = min(cap_end, add_years(ea, kinds.rk_maxy[k, kd]) - 1)
                if cap_end < ea:
                    ext.x_q[k, nx] = False
                    cap_end = eb
                elif kinds.rk_minm[k, kd] > 0 and cap_end < add_months(ea, kinds.rk_minm[k, kd], False) - 1:
                    ext.x_q[k, nx] = False
                ext.x_b[k, nx] = cap_end
                nx += 1
            cur = max(cur, eb + 1)
        if cur <= horizon:
            led.p_a[k, np_] = cur
            led.p_b[k, np_] = horizon
            np_ += 1
        if np_ == led.o_pstart[k, g]:
            return False
        led.o_first[k, g] = led.p_a[k, led.o_pstart[k, g]]
        lastb = -BIG
        for pi in range(led.o_pstart[k, g], np_):
            lastb = max(lastb, led.p_b[k, pi])
        led.o_lastb[k, g] = lastb
        led.o_pend[k, g] = np_
        led.n_occ[k] = no + 1
        led.contract_occ[k] = g
        for g2 in range(no + 1):
            led.o_isab[k, g2] = False
        for j in range(abr.n_ab[k]):
            led.o_isab[k, abr.ab_occ[k, j]] = True
        led.n_cap[k] = nc
        ext.n_ext[k] = nx
    return True


@leaf
def year_den(LY, y):
    """The common denominator of calendar year ``y``: ``LY[0]`` is the first year of the
    case's table, ``LY[1 + i]`` the lcm of the denominators of every rate (occupations and
    capped pieces, all ledgers) that credits a day of year ``LY[0] + i``; 1 outside it.

    Sums over occupations (the quarter cap) and over capped pieces (the yearly caps)
    never leave a calendar year, so each year's figures can be exact over its own
    denominator: a case whose hours-measured lines each bring their own denominator
    (hours spread over the line's pattern days) keeps small denominators year by year
    where one lcm over the whole career would not fit in 64 bits."""
    i = y - LY[0]
    if i >= 0 and i < LY.shape[0] - 1:
        return LY[1 + i]
    return 1


@leaf
def widen_year_dens(L, a, b, d):
    """Fold the denominator ``d`` of a rate crediting days ``a`` .. ``b`` into the common
    denominator of each of their calendar years (``L`` as in :func:`year_den`); False
    when one of them no longer fits comfortably in 64-bit sums (above 2**31)."""
    ok = True
    for y in range(quarter_no(a) // 4, quarter_no(b) // 4 + 1):
        i = 1 + y - L[0]
        Ly = L[i] // gcd(L[i], d) * d
        L[i] = Ly
        if Ly > YEAR_DEN_MAX:
            ok = False
    return ok
