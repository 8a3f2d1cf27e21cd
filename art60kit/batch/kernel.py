"""The compiled search (numba): the earliest admissible request day, on flat arrays.

It is the one implementation of the end-date search: the per-case planner runs it for
one case on the calling thread (:func:`plan_range`, through :mod:`art60kit.batch.one`),
the population engine for chunks of cases over its threads (:func:`plan_chunk`).

For each case and each rule set of the book it builds the ledger (occupations grouped
by employer+rate+pattern+full-time, foreign work alone, the contract split by its
events, capped pieces, extensions with their caps: the grouping of
:func:`art60kit.credit.build_ledger`), then walks request days from the contract start
and skips only days it can prove are not admissible (:func:`plan_block`). It stops at
every rule change, birthday at an age threshold and day a foreign-work line starts to
count, walks extending periods day by day, and skips with three bounds: the cumulative
upper bound of what the days from the contract start can credit (with a margin and, for
each crediting period, what completing it full time can add), the sliding bound of a
professional-past condition, and the 8-for-1 bound. The growth of a professional-past
period while days slide into it is bounded by the smaller of a case-blind bound (the
quarter cap for each quarter the slide can meet, :mod:`art60kit.batch.bounds`) and
:func:`slide_gain`, computed from the case's own pieces. Both are upper bounds, so the
search never skips a request day where a condition could hold. The day-by-day reference
engine checks it (hypothesis), ``tests/batch`` checks the verdict figures against the
per-case verdicts, and ``benchmarks/planner_reference.py --compare`` does on the 100k
reference population.

Options are plain arguments: rounding (``onem``), month end (``next_day``), extension
shift (``ymd_shift``), and the crediting reading as its period in months (``PM``: 3 for
quarters, 1 for months) with each rule set's full-period figure (``FU[k]``) and quarter
cap (``QCAP[k]``), all read from the rule book (:mod:`art60kit.batch.book`).

Window credits come from per-quarter tables built once per case
(:func:`build_tables`, read by :func:`window_credit_fast`); the direct transcription
:func:`window_credit_slow` serves ledgers with foreign work (whose counting depends on
the request day), the month reading of the crediting, and is the tables' oracle:
``plan_chunk(..., check=True)`` computes every credit both ways and counts the
differences (the tests require none).

Figures of the search itself (not of the law): the bound tables are built from the rule
book by :mod:`art60kit.batch.bounds` and passed in as arguments (numba's cache would not
see a change in another module); the margin ``occupations + capped + 2``, the month-end
slack of 3 days (:data:`MONTH_END_SLACK`), the binary search range
(:data:`SLIDE_SEARCH_DAYS`), ``UNIT`` and ``HORIZON_DAYS`` as in :mod:`art60kit.credit`.

Exactness. Credits are integers in units of 1/10,000 day as in :mod:`art60kit.credit`.
Per-occupation figures use the occupation's own rate ``num/den``; sums over occupations
(quarter cap) and over capped pieces (yearly caps) are kept as integers over a common
denominator per calendar year (:func:`year_den`: the lcm of the denominators of the
rates crediting a day of that year; the argument ``L`` of the credit functions is that
per-year table), so the half-up rounding of the excess is exact. A case with a year
whose denominator or rates do not fit comfortably in 64-bit integers gets the status
``FALLBACK``: the per-case planner then plans it with the reference engine's exact
fractions.

Cost. Cases are planned in blocks (:func:`plan_chunk` hands a block to a thread,
:func:`plan_range` allocates its workspace once; :func:`plan_block` plans the block's
cases with it, resetting each array to the value a fresh allocation gives). Everything
under :func:`plan_range` is compiled without numba's reference counting (:data:`leaf`):
with it, every call paid an atomic increment and decrement per array argument, which
with the per-case allocations was about half of the kernel's time (measured with perf).

Not covered here: input the screen of :mod:`art60kit.batch.encode` flags (the
population engine sends it to the per-case path, which reports caseio's messages).
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

#: Decorator of the kernel's leaf functions: compiled without numba's reference
#: counting (``_nrt=False``). Every array argument of a compiled call is otherwise
#: incremented and decremented atomically on entry and exit; the credit and search
#: functions take dozens of arrays and run millions of times, and those atomic
#: operations were ~40 % of the kernel's time (perf: NRT_incref / NRT_decref). Safe
#: because these functions neither allocate nor keep an array beyond the call (numba
#: refuses to compile an allocation without the runtime). Functions that allocate
#: (the ledger, the tables, the direct credit, the chunk loop) keep it, and say so
#: explicitly (``alloc``): numba compiles a callee that does not set the option with
#: its caller's, and the direct credit is also called from leaf functions.
leaf = njit(cache=True, _nrt=False)
alloc = njit(cache=True, _nrt=True)

UNIT = 10_000
HORIZON_DAYS = 366 * 12
EPOCH_ORD = 719163  # date(1970, 1, 1).toordinal()

OK, FALLBACK, ERROR_NO_RULES = 0, 1, 2
T_COUNTED, T_ASSIM, T_CAPPED, T_EXTENDS, T_EXCLUDED, T_NEUTRAL = 0, 1, 2, 3, 4, 5
C_PLAIN, C_PAST, C_841 = 0, 1, 2
BIG = 1 << 62


# ------------------------------------------------------------------ calendar

@leaf
def ymd(o):
    z = o - EPOCH_ORD + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    return y, m, d


@leaf
def ordinal(y, m, d):
    if m <= 2:
        y -= 1
    era = y // 400
    yoe = y - era * 400
    mp = m - 3 if m > 2 else m + 9
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468 + EPOCH_ORD


@leaf
def is_leap(y):
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0


@leaf
def month_days(y, m):
    if m == 2:
        return 29 if is_leap(y) else 28
    if m == 4 or m == 6 or m == 9 or m == 11:
        return 30
    return 31


@leaf
def add_months(o, n, next_day):
    """Same day ``n`` months later (negative: earlier), clipped to the month's last
    day (``next_day``: first day of the following month instead)."""
    y, m, d = ymd(o)
    t = y * 12 + (m - 1) + n
    y2 = t // 12
    m2 = t % 12 + 1
    last = month_days(y2, m2)
    if d <= last:
        return ordinal(y2, m2, d)
    if next_day:
        return ordinal(y2, m2, last) + 1
    return ordinal(y2, m2, last)


@leaf
def add_years(o, n):
    y, m, d = ymd(o)
    y2 = y + n
    if m == 2 and d == 29 and not is_leap(y2):
        d = 28
    return ordinal(y2, m, d)


@leaf
def age_on(birth, on):
    by, _, _ = ymd(birth)
    oy, _, _ = ymd(on)
    a = oy - by
    if on < add_years(birth, a):
        a -= 1
    return a


@leaf
def quarter_start(o):
    y, m, _ = ymd(o)
    return ordinal(y, (m - 1) // 3 * 3 + 1, 1)


def _quarter_starts():
    """First day (ordinal) of every quarter from 1900 to 2200: QSTARTS[i] starts
    quarter number QBASE + i (quarter number = year * 4 + quarter index)."""
    from datetime import date

    return np.array([date(y, m, 1).toordinal() for y in range(1900, 2201) for m in (1, 4, 7, 10)], np.int64)


QSTARTS = _quarter_starts()
QBASE = 1900 * 4


@leaf
def quarter_no(o):
    """Quarter number (year * 4 + quarter index) of day ``o``: a table lookup between
    1900 and 2200 from an estimate at 365.25 / 4 days a quarter, corrected."""
    if o >= QSTARTS[0] and o < QSTARTS[QSTARTS.shape[0] - 1]:
        i = (o - QSTARTS[0]) * 16 // 1461
        while QSTARTS[i] > o:
            i -= 1
        while QSTARTS[i + 1] <= o:
            i += 1
        return QBASE + i
    y, m, _ = ymd(o)
    return y * 4 + (m - 1) // 3


@leaf
def period_start(o, PM):
    """First day of the crediting period holding day ``o``: its calendar quarter
    (``PM`` = 3 months) or its month (``PM`` = 1)."""
    y, m, _ = ymd(o)
    return ordinal(y, (m - 1) // PM * PM + 1, 1)


@leaf
def period_no(o, PM):
    """A number per crediting period (quarter or month, ``PM`` = 3 or 1), consecutive."""
    y, m, _ = ymd(o)
    return (y * 12 + m - 1) // PM


def _pattern_tables():
    """``(POP, REST)``: days of weekday mask ``m`` in a week, and in the first ``r``
    days (r < 7) of a run starting on weekday ``w`` (0 = Monday): REST[m, w, r]."""
    pop = np.zeros(128, np.int64)
    rest = np.zeros((128, 7, 7), np.int64)
    for m in range(128):
        pop[m] = bin(m).count("1")
        for w in range(7):
            for r in range(1, 7):
                rest[m, w, r] = rest[m, w, r - 1] + ((m >> ((w + r - 1) % 7)) & 1)
    return pop, rest


# Global arrays are frozen into the compiled code as constants (numba): they are pure
# functions of the calendar, so the cached machine code stays valid.
POP, REST = _pattern_tables()


@leaf
def popcount(x):
    return POP[x & 127]


@leaf
def count_pattern(a, b, mask):
    """Days of weekday ``mask`` (bit 0 = Monday) in [a, b]; 0 when b < a
    (dates.count_pattern_ordinals)."""
    if b < a:
        return 0
    n = b - a + 1
    weeks = n // 7
    return weeks * POP[mask] + REST[mask, (a - 1) % 7, n - weeks * 7]


@leaf
def holidays_in(a, b, mask, hc, hbase):
    if b < a:
        return 0
    mi = popcount(mask) - 1
    n = hc.shape[1] - 1
    lo = min(max(a - hbase, 0), n)
    hi = min(max(b - hbase + 1, 0), n)
    return hc[mi, hi] - hc[mi, lo]


@leaf
def weekday_mask(r):
    n = int(np.ceil(r - 1e-9))
    n = min(7, max(1, n))
    return (1 << n) - 1


@leaf
def gcd(a, b):
    a = abs(a)
    b = abs(b)
    while b:
        a, b = b, a % b
    return a


@leaf
def reduce(n, d):
    if n == 0:
        return 0, 1
    g = gcd(n, d)
    return n // g, d // g


@leaf
def round_units(num, den, onem):
    if onem:
        return (2 * num + den) // (2 * den)
    return num // den


# ------------------------------------------------------------------ ledger

class Led:
    pass


@leaf
def _rate_of(msr, has_r, r_n, r_d, has_s, s_n, s_d, has_q, q_n, q_d, hrs_n, hrs_d, dys_n, dys_d,
             def_r_n, def_r_d, def_s_n, def_s_d, npat):
    """Exact credit per pattern day (num, den) of a career line; ok=False on overflow."""
    rn, rd = (r_n, r_d) if has_r else (def_r_n, def_r_d)
    sn, sd = (s_n, s_d) if has_s else (def_s_n, def_s_d)
    if msr == 1 or msr == 2:
        if npat == 0:
            return 0, 1, True
        if msr == 1:
            n, d = reduce(hrs_n * 6 * sd, hrs_d * sn)
        else:
            n, d = reduce(dys_n * 6 * rd, dys_d * rn)
        if d > (1 << 40) // max(npat, 1):
            return 0, 1, False
        n, d = reduce(n, d * npat)
        return n, d, True
    qn, qd = (q_n, q_d) if has_q else (sn, sd)
    n, d = reduce(6 * rd * qn * sd, rn * qd * sn)
    return n, d, True


@leaf
def build_ledgers(c, lo, hi, elo, ehi, s0, c_r_n, c_r_d, c_q_n, c_q_d, c_s_n, c_s_d, c_ft, c_mask,
                  l_kind, l_a, l_b, l_emp, l_msr, l_r, l_rf_n, l_rf_d, l_q, l_q_n, l_q_d, l_s, l_s_n, l_s_d,
                  l_h_n, l_h_d, l_d_n, l_d_d, l_child, l_xno, l_xa,
                  e_kind, e_a, e_b,
                  K, rk_treat, rk_group, rk_minm, rk_maxy, rk_child, rk_def_r, rk_def_r_n, rk_def_r_d,
                  rk_def_s, rk_def_s_n, rk_def_s_d,
                  o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart, o_pend, n_occ, contract_occ,
                  p_a, p_b,
                  cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap,
                  x_a, x_b, x_q, n_ext, rk_abneed, o_isab, ab_occ, ab_end, ab_need, n_ab,
                  g_emp, g_num, g_den, g_mask, g_ft, line_occ, ln_num, ln_den, ln_mask):
    """Fill the ledger arrays (first axis: rule set) for one case; False = fallback.
    ``l_xno``: per career line, bit ``k`` set when its extending period does not meet
    its kind's extension condition under rule set ``k`` (credit.extension_holds).
    ``l_xa[i, k]``: the first day line ``i``'s extending period can extend under rule
    set ``k`` (credit.extension_start: the child's birth for inactivity to raise a
    child entered from an earlier day, else the line's start); its caps run from there.
    ``g_*`` (at least m + 1 long) and ``line_occ``, ``ln_*`` (at least m): scratch.

    Foreign work (a credited kind with ``rk_abneed > 0``: credit.Ledger.abroad): one row
    per such line in ``ab_occ`` (its occupation), ``ab_end`` (its last day) and
    ``ab_need`` (the Belgian work it must be followed by, units); ``o_isab`` marks the
    occupations."""
    m = hi - lo
    ne = ehi - elo
    horizon = s0 + HORIZON_DAYS
    for k in range(K):
        # per line: occupation key
        for j in range(m):
            line_occ[j] = -1
            ln_num[j] = 0
            ln_den[j] = 1
            ln_mask[j] = 0
        no = 0
        nc = 0
        nx = 0
        for j in range(m):
            i = lo + j
            kd = l_kind[i]
            t = rk_treat[k, kd]
            if t == T_EXTENDS:
                # from the child's birth for inactivity to raise a child entered from an
                # earlier day: decided by the encoder (credit.extension_start)
                a = l_xa[i, k]
                b = l_b[i]
                cap_end = b
                ok = True
                if rk_child[k, kd] > 0:
                    if l_child[i] < 0:
                        lim = add_years(a, rk_child[k, kd]) - 1
                    else:
                        lim = add_years(l_child[i], rk_child[k, kd]) - 1
                    cap_end = min(cap_end, lim)
                if rk_maxy[k, kd] > 0:
                    cap_end = min(cap_end, add_years(a, rk_maxy[k, kd]) - 1)
                if cap_end < a:
                    ok = False
                    cap_end = b
                elif rk_minm[k, kd] > 0 and cap_end < add_months(a, rk_minm[k, kd], False) - 1:
                    ok = False
                if (l_xno[i] >> k) & 1:
                    # the kind's extension condition fails (or the case cannot tell) under
                    # this rule set: decided by the encoder with the registered behaviour
                    ok = False
                x_a[k, nx] = a
                x_b[k, nx] = cap_end
                x_q[k, nx] = ok
                nx += 1
                continue
            if t != T_COUNTED and t != T_ASSIM and t != T_CAPPED:
                continue
            r = l_r[i] if not np.isnan(l_r[i]) else rk_def_r[k]
            mask = weekday_mask(r)
            msr = l_msr[i]
            npat = count_pattern(l_a[i], l_b[i], mask)
            if (msr == 1 or msr == 2) and npat == 0:
                mask = 127
                npat = count_pattern(l_a[i], l_b[i], mask)
            num, den, ok = _rate_of(msr, not np.isnan(l_r[i]), l_rf_n[i], l_rf_d[i],
                                    not np.isnan(l_s[i]), l_s_n[i], l_s_d[i], not np.isnan(l_q[i]), l_q_n[i], l_q_d[i],
                                    l_h_n[i], l_h_d[i], l_d_n[i], l_d_d[i],
                                    rk_def_r_n[k], rk_def_r_d[k], rk_def_s_n[k], rk_def_s_d[k], npat)
            if not ok:
                return False
            if t == T_CAPPED:
                cp_a[k, nc] = l_a[i]
                cp_b[k, nc] = l_b[i]
                cp_mask[k, nc] = mask
                cp_num[k, nc] = num
                cp_den[k, nc] = den
                cp_group[k, nc] = rk_group[k, kd]
                cp_career[k, nc] = True
                nc += 1
                continue
            s_eff = l_s[i] if not np.isnan(l_s[i]) else rk_def_s[k]
            ft = msr == 0 and (np.isnan(l_q[i]) or l_q[i] >= s_eff)
            ln_num[j] = num
            ln_den[j] = den
            ln_mask[j] = mask
            found = -1
            if l_emp[i] >= 0:
                for g in range(no):
                    if g_emp[g] == l_emp[i] and g_num[g] == num and g_den[g] == den and g_mask[g] == mask and g_ft[g] == ft:
                        found = g
                        break
            if found < 0:
                found = no
                g_emp[no] = l_emp[i] if l_emp[i] >= 0 else -2 - j  # alone
                g_num[no] = num
                g_den[no] = den
                g_mask[no] = mask
                g_ft[no] = ft
                no += 1
            line_occ[j] = found
            if rk_abneed[k, kd] > 0:
                ab_occ[k, n_ab[k]] = found
                ab_end[k, n_ab[k]] = l_b[i]
                ab_need[k, n_ab[k]] = rk_abneed[k, kd]
                n_ab[k] += 1
        # pieces, grouped by occupation (stable order of lines: sorted by start, ties in line order)
        np_ = 0
        for g in range(no):
            o_num[k, g] = g_num[g]
            o_den[k, g] = g_den[g]
            o_mask[k, g] = g_mask[g]
            o_ft[k, g] = g_ft[g]
            o_pstart[k, g] = np_
            first = BIG
            lastb = -BIG
            # pieces sorted by start (stable); lines of one occupation that overlap or
            # touch (the same job declared twice) are merged: they count once (credit.py)
            ps = np_
            for j in range(m):
                if line_occ[j] == g:
                    a_ = l_a[lo + j]
                    b_ = l_b[lo + j]
                    q = np_
                    while q > ps and p_a[k, q - 1] > a_:
                        p_a[k, q] = p_a[k, q - 1]
                        p_b[k, q] = p_b[k, q - 1]
                        q -= 1
                    p_a[k, q] = a_
                    p_b[k, q] = b_
                    np_ += 1
                    if a_ < first:
                        first = a_
                    # credit.Occupation.last: the greatest end of its pieces
                    if b_ > lastb:
                        lastb = b_
            w = ps
            for q in range(ps, np_):
                if w > ps and p_a[k, q] <= p_b[k, w - 1] + 1:
                    p_b[k, w - 1] = max(p_b[k, w - 1], p_b[k, q])
                else:
                    p_a[k, w] = p_a[k, q]
                    p_b[k, w] = p_b[k, q]
                    w += 1
            np_ = w
            o_first[k, g] = first
            o_lastb[k, g] = lastb
            o_pend[k, g] = np_
        # the contract
        g = no
        o_num[k, g], o_den[k, g] = reduce(6 * c_r_d * c_q_n * c_s_d, c_r_n * c_q_d * c_s_n)
        o_mask[k, g] = c_mask
        o_ft[k, g] = c_ft
        o_pstart[k, g] = np_
        cur = s0
        for j in range(ne):
            i = elo + j
            t = rk_treat[k, e_kind[i]]
            ea = e_a[i]
            eb = e_b[i]
            if ea > cur:
                p_a[k, np_] = cur
                p_b[k, np_] = ea - 1
                np_ += 1
            if t == T_COUNTED or t == T_ASSIM:
                p_a[k, np_] = ea
                p_b[k, np_] = eb
                np_ += 1
            elif t == T_CAPPED:
                cp_a[k, nc] = ea
                cp_b[k, nc] = eb
                cp_mask[k, nc] = c_mask
                cp_num[k, nc] = o_num[k, g]
                cp_den[k, nc] = o_den[k, g]
                cp_group[k, nc] = rk_group[k, e_kind[i]]
                cp_career[k, nc] = False
                nc += 1
            elif t == T_EXTENDS:
                x_a[k, nx] = ea
                x_b[k, nx] = eb
                x_q[k, nx] = True
                # contract events have no child birth date: caps from their start
                kd = e_kind[i]
                cap_end = eb
                if rk_child[k, kd] > 0:
                    cap_end = min(cap_end, add_years(ea, rk_child[k, kd]) - 1)
                if rk_maxy[k, kd] > 0:
                    cap_end = min(cap_end, add_years(ea, rk_maxy[k, kd]) - 1)
                if cap_end < ea:
                    x_q[k, nx] = False
                    cap_end = eb
                elif rk_minm[k, kd] > 0 and cap_end < add_months(ea, rk_minm[k, kd], False) - 1:
                    x_q[k, nx] = False
                x_b[k, nx] = cap_end
                nx += 1
            cur = max(cur, eb + 1)
        if cur <= horizon:
            p_a[k, np_] = cur
            p_b[k, np_] = horizon
            np_ += 1
        if np_ == o_pstart[k, g]:
            return False
        o_first[k, g] = p_a[k, o_pstart[k, g]]
        lastb = -BIG
        for pi in range(o_pstart[k, g], np_):
            lastb = max(lastb, p_b[k, pi])
        o_lastb[k, g] = lastb
        o_pend[k, g] = np_
        n_occ[k] = no + 1
        contract_occ[k] = g
        for g2 in range(no + 1):
            o_isab[k, g2] = False
        for j in range(n_ab[k]):
            o_isab[k, ab_occ[k, j]] = True
        n_cap[k] = nc
        n_ext[k] = nx
    return True


# ------------------------------------------------------------------ credit

@leaf
def fill1(a, v):
    for i in range(a.shape[0]):
        a[i] = v


@leaf
def fill2(a, v):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] = v


@leaf
def sort_head(a, n):
    """Sort ``a[:n]`` in place (insertion sort: a case has a handful of stops)."""
    for i in range(1, n):
        v = a[i]
        j = i - 1
        while j >= 0 and a[j] > v:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v


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
        if Ly > (1 << 31):
            ok = False
    return ok


@leaf
def year_allowance(raw, cap, L, onem):
    """One cap group's capped absences in one calendar year (credit.window_credit,
    schéma 2A): ``raw[qq]`` is the credit of the year's quarter ``qq`` (units over the
    case's denominator ``L``). Returns the allowance counted, ``min(cap, rounded total)``,
    and the part of the cap allocated to each quarter in date order (it counts toward
    that quarter's cap)."""
    v = raw[0] + raw[1] + raw[2] + raw[3]
    left = cap * L
    t0 = min(raw[0], left)
    left -= t0
    t1 = min(raw[1], left)
    left -= t1
    t2 = min(raw[2], left)
    left -= t2
    t3 = min(raw[3], left)
    return min(cap, round_units(v, L, onem)), t0, t1, t2, t3


@alloc
def window_credit_slow(k, a, b, only_contract, onem, L, o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart,
                       o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group,
                       cp_career, n_cap, cap_units, FU, QCAP, hc, hbase, qbuf, ybuf, o_abneed, ab_ok, ab_mode, PM):
    """Units credited in [a, b] under ledger ``k`` (credit.window_credit, quarter78),
    quarter by quarter from the pieces: the direct transcription, used for ledgers with
    foreign work and as the oracle of :func:`window_credit_fast` in the tests.

    Foreign work (``o_abneed[k, o] > 0``) counts only when ``ab_mode`` is 1 and
    ``ab_ok[o]`` holds (credit.window_credit's ``abroad_ok``; ``ab_mode`` 0 is the empty
    set)."""
    if b < a:
        return 0
    q0 = quarter_no(a)
    nq = quarter_no(b) - q0 + 1
    if nq > qbuf.shape[0]:
        qbuf = np.zeros(nq, np.int64)
    for i in range(nq):
        qbuf[i] = 0
    total = 0
    for o in range(n_occ[k]):
        if only_contract and o != contract_occ[k]:
            continue
        if o_abneed[k, o] > 0 and (ab_mode == 0 or not ab_ok[o]):
            continue
        oa = max(a, o_first[k, o])
        ob = min(b, o_lastb[k, o])
        if ob < oa:
            continue
        mask = o_mask[k, o]
        num = o_num[k, o]
        den = o_den[k, o]
        n_days = 0
        n_full = 0
        pa = period_start(oa, PM)
        while pa <= ob:
            pb = add_months(pa, PM, False) - 1
            qn = quarter_no(pa)
            qi = qn - q0
            Lq = year_den(L, qn // 4)
            full = False
            if o_ft[k, o] and pa >= a and pb <= b:
                need = count_pattern(pa, pb, mask) - holidays_in(pa, pb, mask, hc, hbase)
                have = 0
                for pi in range(o_pstart[k, o], o_pend[k, o]):
                    if p_b[k, pi] < pa or p_a[k, pi] > pb:
                        continue
                    xa = max(p_a[k, pi], pa)
                    xb = min(p_b[k, pi], pb)
                    have += count_pattern(xa, xb, mask) - holidays_in(xa, xb, mask, hc, hbase)
                # credit._period_info: a period with no pattern day of the occupation is never full
                nq_ = 0
                for pi in range(o_pstart[k, o], o_pend[k, o]):
                    if p_b[k, pi] < pa or p_a[k, pi] > pb:
                        continue
                    nq_ += count_pattern(max(p_a[k, pi], pa), min(p_b[k, pi], pb), mask)
                full = nq_ > 0 and have >= need
            if full:
                n_full += 1
                qbuf[qi] += FU[k] * Lq
            else:
                sa = max(pa, oa)
                sb = min(pb, ob)
                n = 0
                for pi in range(o_pstart[k, o], o_pend[k, o]):
                    if p_b[k, pi] < sa or p_a[k, pi] > sb:
                        continue
                    n += count_pattern(max(p_a[k, pi], sa), min(p_b[k, pi], sb), mask)
                n_days += n
                qbuf[qi] += n * (num * (Lq // den)) * UNIT
            pa = pb + 1
        if n_days == 0 and n_full == 0:
            continue
        total += n_full * FU[k] + round_units(n_days * num * UNIT, den, onem)
    if n_cap[k] > 0:
        # per cap group and calendar year: capped at cap_units; the allowance is part
        # of the quarter's total for the quarter cap, allocated to the year's quarters
        # in date order (credit.window_credit, schéma 2A)
        y0, _, _ = ymd(a)
        y1, _, _ = ymd(b)
        ny = y1 - y0 + 1
        ng = cap_units.shape[1]
        for g in range(ng):
            for y in range(y0, y1 + 1):
                for qq in range(4):
                    ybuf[qq] = 0
                anyq = False
                for ci in range(n_cap[k]):
                    if cp_group[k, ci] != g:
                        continue
                    if cp_b[k, ci] < a or cp_a[k, ci] > b or (only_contract and cp_career[k, ci]):
                        continue
                    sa = max(a, cp_a[k, ci], ordinal(y, 1, 1))
                    sb = min(b, cp_b[k, ci], ordinal(y, 12, 31))
                    if sb < sa:
                        continue
                    mulL = cp_num[k, ci] * (year_den(L, y) // cp_den[k, ci])
                    for qq in range(4):
                        xa = max(sa, ordinal(y, 3 * qq + 1, 1))
                        xb = min(sb, add_months(ordinal(y, 3 * qq + 1, 1), 3, False) - 1)
                        n = count_pattern(xa, xb, cp_mask[k, ci])
                        if n > 0:
                            ybuf[qq] += n * mulL * UNIT
                            anyq = True
                if not anyq:
                    continue
                allow, t0, t1, t2, t3 = year_allowance(ybuf, cap_units[k, g], year_den(L, y), onem)
                total += allow
                for qq, take in enumerate((t0, t1, t2, t3)):
                    if take > 0:
                        qbuf[quarter_no(ordinal(y, 3 * qq + 1, 1)) - q0] += take
    for i in range(nq):
        Lq = year_den(L, (q0 + i) // 4)
        if qbuf[i] > QCAP[k] * Lq:
            total -= round_units(qbuf[i] - QCAP[k] * Lq, Lq, True)
    return total


@leaf
def qstart(qn):
    """First day of quarter number ``qn`` (year * 4 + quarter index)."""
    i = qn - QBASE
    if i >= 0 and i < QSTARTS.shape[0]:
        return QSTARTS[i]
    return ordinal(qn // 4, (qn % 4) * 3 + 1, 1)


@leaf
def table_spans(K, o_first, o_lastb, n_occ, o_lo, o_span, o_pb):
    """Quarter span of each occupation (``o_lo``: its first quarter number, ``o_span``:
    its quarters) and the offset ``o_pb`` of its prefix sums in the flat tables; returns
    the table length needed (the largest over the ledgers)."""
    need = 1
    for k in range(K):
        t = 0
        for o in range(n_occ[k]):
            lo = quarter_no(o_first[k, o])
            hi = quarter_no(o_lastb[k, o])
            o_lo[k, o] = lo
            o_span[k, o] = max(0, hi - lo + 1)
            o_pb[k, o] = t
            t += o_span[k, o] + 1
        need = max(need, t)
    return need


@leaf
def build_tables(k, onem, L, FU, QCAP, o_num, o_den, o_mask, o_ft, o_pstart, o_pend, n_occ,
                 contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap, cap_units,
                 hc, hbase, QA, nQ, o_lo, o_span, o_pb, PF, PD, EXa, EXc, YAa, YAc, qa_buf, qc_buf, ybuf, ycon):
    """Per-quarter tables of ledger ``k`` for :func:`window_credit_fast`:

    - per occupation ``o``, over its own quarters (``o_lo[k, o]`` .. + ``o_span[k, o]``),
      prefix sums at ``o_pb[k, o]``: ``PF`` counts the quarters it completes full time
      (``FU``), ``PD`` the pattern days of the others, as credit.window_credit reads a
      quarter lying wholly in the window;
    - over quarters ``QA .. QA + nQ - 1`` (QA a first quarter, nQ a multiple of 4):
      ``YAa``/``YAc``, prefix sums over calendar years of the capped allowance of a whole
      year (per cap group; ``c``: the contract's events only), and ``EXa``/``EXc``,
      prefix sums of what the quarter cap removes from a quarter lying wholly in
      the window, its year's allowance allocated in date order.

    The allowance and the cap depend on the window only through the quarters of a year
    it cuts, which :func:`window_credit_fast` recomputes; every other quarter's figures
    are the same for every window that holds it."""
    for i in range(nQ):
        qa_buf[i] = 0
        qc_buf[i] = 0
    for o in range(n_occ[k]):
        mask = o_mask[k, o]
        ft = o_ft[k, o]
        base = o_pb[k, o]
        PF[k, base] = 0
        PD[k, base] = 0
        q0 = o_lo[k, o]
        for i in range(o_span[k, o]):
            pa = qstart(q0 + i)
            pb = qstart(q0 + i + 1) - 1
            tf = 0
            tn = 0
            have = 0
            for pi in range(o_pstart[k, o], o_pend[k, o]):
                if p_b[k, pi] < pa or p_a[k, pi] > pb:
                    continue
                xa = max(p_a[k, pi], pa)
                xb = min(p_b[k, pi], pb)
                cnt = count_pattern(xa, xb, mask)
                tn += cnt
                if ft:
                    have += cnt - holidays_in(xa, xb, mask, hc, hbase)
            # credit._period_info: full when the pieces cover every pattern day that is
            # not a public holiday; a quarter without a pattern day is never full
            if ft and tn > 0:
                need = count_pattern(pa, pb, mask) - holidays_in(pa, pb, mask, hc, hbase)
                if have >= need:
                    tf = 1
            PF[k, base + i + 1] = PF[k, base + i] + tf
            PD[k, base + i + 1] = PD[k, base + i] + (0 if tf else tn)
            Lq = year_den(L, (q0 + i) // 4)
            v = FU[k] * Lq if tf else tn * (o_num[k, o] * (Lq // o_den[k, o])) * UNIT
            qa_buf[q0 + i - QA] += v
            if o == contract_occ[k]:
                qc_buf[q0 + i - QA] += v
    nY = nQ // 4
    Y0 = QA // 4
    for yi in range(nY + 1):
        YAa[k, yi] = 0
        YAc[k, yi] = 0
    if n_cap[k] > 0:
        ylo = BIG
        yhi = -BIG
        for ci in range(n_cap[k]):
            ylo = min(ylo, quarter_no(cp_a[k, ci]) // 4)
            yhi = max(yhi, quarter_no(cp_b[k, ci]) // 4)
        for y in range(max(ylo, Y0), min(yhi, Y0 + nY - 1) + 1):
            yi = y - Y0
            ja = ordinal(y, 1, 1)
            jb = ordinal(y, 12, 31)
            for g in range(cap_units.shape[1]):
                for qq in range(4):
                    ybuf[qq] = 0
                    ycon[qq] = 0
                any_a = False
                any_c = False
                for ci in range(n_cap[k]):
                    if cp_group[k, ci] != g or cp_b[k, ci] < ja or cp_a[k, ci] > jb:
                        continue
                    mulL = cp_num[k, ci] * (year_den(L, y) // cp_den[k, ci])
                    for qq in range(4):
                        xa = max(cp_a[k, ci], qstart(y * 4 + qq))
                        xb = min(cp_b[k, ci], qstart(y * 4 + qq + 1) - 1)
                        n = count_pattern(xa, xb, cp_mask[k, ci])
                        if n > 0:
                            ybuf[qq] += n * mulL * UNIT
                            any_a = True
                            if not cp_career[k, ci]:
                                ycon[qq] += n * mulL * UNIT
                                any_c = True
                if any_a:
                    allow, t0, t1, t2, t3 = year_allowance(ybuf, cap_units[k, g], year_den(L, y), onem)
                    YAa[k, yi + 1] += allow
                    for qq, take in enumerate((t0, t1, t2, t3)):
                        qa_buf[4 * yi + qq] += take
                if any_c:
                    allow, t0, t1, t2, t3 = year_allowance(ycon, cap_units[k, g], year_den(L, y), onem)
                    YAc[k, yi + 1] += allow
                    for qq, take in enumerate((t0, t1, t2, t3)):
                        qc_buf[4 * yi + qq] += take
        for yi in range(nY):
            YAa[k, yi + 1] += YAa[k, yi]
            YAc[k, yi + 1] += YAc[k, yi]
    EXa[k, 0] = 0
    EXc[k, 0] = 0
    for i in range(nQ):
        Lq = year_den(L, (QA + i) // 4)
        capL = QCAP[k] * Lq
        EXa[k, i + 1] = EXa[k, i] + (round_units(qa_buf[i] - capL, Lq, True) if qa_buf[i] > capL else 0)
        EXc[k, i + 1] = EXc[k, i] + (round_units(qc_buf[i] - capL, Lq, True) if qc_buf[i] > capL else 0)


@leaf
def _clip(x, lo, hi):
    return min(max(x, lo), hi)


@leaf
def window_credit_fast(k, a, b, only_contract, onem, L, o_num, o_den, o_mask, o_first, o_lastb, o_pstart, o_pend,
                       n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group, cp_career,
                       n_cap, cap_units, FU, QCAP, QA, nQ, o_lo, o_span, o_pb, PF, PD, EXa, EXc, YAa, YAc, eq, qv,
                       ybuf, eqa, eqb, ys):
    """:func:`window_credit_slow` from the tables of :func:`build_tables`: the quarters
    lying wholly in the window (and, when the ledger has capped pieces, in calendar years
    lying wholly in it) are read from prefix sums; only the (at most 8) quarters at the
    two ends are recomputed from the pieces. Same integer arithmetic, same result (the
    tests compare the two on generated windows)."""
    if b < a:
        return 0
    qa = quarter_no(a)
    qb = quarter_no(b)
    t0 = qa if a == qstart(qa) else qa + 1
    t1 = qb if b == qstart(qb + 1) - 1 else qb - 1
    hascap = n_cap[k] > 0
    ya = qa // 4
    yb = qb // 4
    fy0 = ya if a == qstart(ya * 4) else ya + 1
    fy1 = yb if b == qstart(yb * 4 + 4) - 1 else yb - 1
    if hascap:
        t0 = max(t0, fy0 * 4)
        t1 = min(t1, fy1 * 4 + 3)
    ne = 0
    if t0 > t1:
        for q in range(qa, qb + 1):
            eq[ne] = q
            ne += 1
    else:
        for q in range(qa, t0):
            eq[ne] = q
            ne += 1
        for q in range(t1 + 1, qb + 1):
            eq[ne] = q
            ne += 1
    for j in range(ne):
        qv[j] = 0
        eqa[j] = qstart(eq[j])
        eqb[j] = qstart(eq[j] + 1) - 1
    if t0 <= t1:
        lo_i = _clip(t0 - QA, 0, nQ)
        hi_i = _clip(t1 + 1 - QA, 0, nQ)
    else:
        lo_i = 0
        hi_i = 0
    total = 0
    for o in range(n_occ[k]):
        if only_contract and o != contract_occ[k]:
            continue
        if o_lastb[k, o] < a or o_first[k, o] > b:
            continue
        nf = 0
        nd = 0
        base = o_pb[k, o]
        span = o_span[k, o]
        if t0 <= t1:
            i0 = _clip(t0 - o_lo[k, o], 0, span)
            i1 = _clip(t1 + 1 - o_lo[k, o], 0, span)
            if i1 > i0:
                nf = PF[k, base + i1] - PF[k, base + i0]
                nd = PD[k, base + i1] - PD[k, base + i0]
        num = o_num[k, o]
        den = o_den[k, o]
        mask = o_mask[k, o]
        for j in range(ne):
            q = eq[j]
            pa = eqa[j]
            pb = eqb[j]
            if pb < o_first[k, o] or pa > o_lastb[k, o]:
                continue
            Lq = year_den(L, q // 4)
            if pa >= a and pb <= b:
                ti = q - o_lo[k, o]
                if ti < 0 or ti >= span:
                    continue
                if PF[k, base + ti + 1] > PF[k, base + ti]:
                    nf += 1
                    qv[j] += FU[k] * Lq
                else:
                    n = PD[k, base + ti + 1] - PD[k, base + ti]
                    nd += n
                    qv[j] += n * (num * (Lq // den)) * UNIT
            else:
                sa = max(pa, a)
                sb = min(pb, b)
                n = 0
                for pi in range(o_pstart[k, o], o_pend[k, o]):
                    if p_a[k, pi] > sb:
                        break  # an occupation's pieces are sorted and disjoint
                    if p_b[k, pi] < sa:
                        continue
                    n += count_pattern(max(p_a[k, pi], sa), min(p_b[k, pi], sb), mask)
                nd += n
                qv[j] += n * (num * (Lq // den)) * UNIT
        if nd == 0 and nf == 0:
            continue
        total += nf * FU[k] + round_units(nd * num * UNIT, den, onem)
    if hi_i > lo_i:
        if only_contract:
            total -= EXc[k, hi_i] - EXc[k, lo_i]
        else:
            total -= EXa[k, hi_i] - EXa[k, lo_i]
    if hascap:
        nY = nQ // 4
        Y0 = QA // 4
        if fy0 <= fy1:
            ly = _clip(fy0 - Y0, 0, nY)
            hy = _clip(fy1 + 1 - Y0, 0, nY)
            if only_contract:
                total += YAc[k, hy] - YAc[k, ly]
            else:
                total += YAa[k, hy] - YAa[k, ly]
        # the years the window cuts: as credit.window_credit, on the window's part
        for y in range(ya, yb + 1):
            if fy0 <= y and y <= fy1:
                continue
            if y != ya and y != yb:
                continue
            ja = max(a, qstart(y * 4))
            jb = min(b, qstart(y * 4 + 4) - 1)
            for qq in range(5):
                ys[qq] = qstart(y * 4 + qq)
            for g in range(cap_units.shape[1]):
                for qq in range(4):
                    ybuf[qq] = 0
                anyq = False
                for ci in range(n_cap[k]):
                    if cp_group[k, ci] != g:
                        continue
                    if cp_b[k, ci] < ja or cp_a[k, ci] > jb or (only_contract and cp_career[k, ci]):
                        continue
                    mulL = cp_num[k, ci] * (year_den(L, y) // cp_den[k, ci])
                    for qq in range(4):
                        xa = max(ja, cp_a[k, ci], ys[qq])
                        xb = min(jb, cp_b[k, ci], ys[qq + 1] - 1)
                        n = count_pattern(xa, xb, cp_mask[k, ci])
                        if n > 0:
                            ybuf[qq] += n * mulL * UNIT
                            anyq = True
                if not anyq:
                    continue
                allow, t0, t1, t2, t3 = year_allowance(ybuf, cap_units[k, g], year_den(L, y), onem)
                total += allow
                for qq, take in enumerate((t0, t1, t2, t3)):
                    if take > 0:
                        q = y * 4 + qq
                        for j in range(ne):
                            if eq[j] == q:
                                qv[j] += take
                                break
    for j in range(ne):
        Lq = year_den(L, eq[j] // 4)
        if qv[j] > QCAP[k] * Lq:
            total -= round_units(qv[j] - QCAP[k] * Lq, Lq, True)
    return total


@leaf
def window_credit(k, a, b, only_contract, onem, L, o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart, o_pend,
                  n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap,
                  cap_units, FU, QCAP, hc, hbase, qbuf, ybuf, tab, o_isab, ab_ok, ab_mode):
    """Units credited in [a, b] under ledger ``k`` (credit.window_credit, quarter78):
    from the quarter tables (``tab``, :func:`build_tables`) unless the ledger has foreign
    work whose counting depends on the request day (then quarter by quarter)."""
    # the quarter tables hold quarters: a month reading (tab[22] == 1) is credited
    # period by period
    if (tab[0][k] or only_contract) and tab[22] == 3:
        r = window_credit_fast(k, a, b, only_contract, onem, L, o_num, o_den, o_mask, o_first, o_lastb, o_pstart,
                                  o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den,
                                  cp_group, cp_career, n_cap, cap_units, FU, QCAP, tab[1], tab[2], tab[3], tab[4],
                                  tab[5], tab[6], tab[7], tab[8], tab[9], tab[10], tab[11], tab[12], tab[13], ybuf,
                                  tab[14], tab[15], tab[16])
        chk = tab[20]
        if chk[0]:
            # self-check (tests): the table-driven credit against the direct one
            r2 = window_credit_slow(k, a, b, only_contract, onem, L, o_num, o_den, o_mask, o_ft, o_first, o_lastb,
                                    o_pstart, o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num,
                                    cp_den, cp_group, cp_career, n_cap, cap_units, FU, QCAP, hc, hbase, qbuf, ybuf,
                                    o_isab, ab_ok, ab_mode, 3)
            chk[1] += 1
            if r2 != r:
                chk[2] += 1
        return r
    return window_credit_slow(k, a, b, only_contract, onem, L, o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart,
                              o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group,
                              cp_career, n_cap, cap_units, FU, QCAP, hc, hbase, qbuf, ybuf, o_isab, ab_ok, ab_mode,
                              tab[22])


@leaf
def months_days_between(a, b1):
    """dateutil's ``relativedelta(b1, a)`` for ``a <= b1`` as (months, days): the most
    whole months from ``a`` (day clipped to the month's end) not passing ``b1``, then
    the days left."""
    y1, m1, _ = ymd(b1)
    y0, m0, _ = ymd(a)
    months = (y1 - y0) * 12 + (m1 - m0)
    while months > 0 and add_months(a, months, False) > b1:
        months -= 1
    return months, b1 - add_months(a, months, False)


@leaf
def ref_window(D, months, next_day, ymd_shift, k, x_a, x_b, x_q, n_ext, used, ua, ub):
    """(start, base) of the extended window (window.reference_window). The used
    periods (each up to the day before ``D``) are kept in ``ua``/``ub`` merged into
    maximal spans of consecutive days, in date order, so that a day extends once.
    ``ymd_shift`` (option extension_shift=ymd): the start moves back from the base by
    each merged span's years, months and days, the latest span first; otherwise by the
    number of days of the spans."""
    base = add_months(D, -months, next_day)
    end = D - 1
    start = base
    nx = n_ext[k]
    for i in range(nx):
        used[i] = False
    nu = 0
    while True:
        best = -1
        for i in range(nx):
            if used[i] or not x_q[k, i] or x_a[k, i] > end:
                continue
            if x_b[k, i] >= start and (best < 0 or x_b[k, i] > x_b[k, best]):
                best = i
        if best < 0:
            break
        used[best] = True
        a = x_a[k, best]
        b = min(x_b[k, best], end)
        # insert (a, b) in sorted order, then merge overlapping or touching spans in place
        j = nu
        while j > 0 and (ua[j - 1] > a or (ua[j - 1] == a and ub[j - 1] > b)):
            ua[j] = ua[j - 1]
            ub[j] = ub[j - 1]
            j -= 1
        ua[j] = a
        ub[j] = b
        nu += 1
        w = 0
        for j in range(1, nu):
            if ua[j] > ub[w] + 1:
                w += 1
                ua[w] = ua[j]
                ub[w] = ub[j]
            elif ub[j] > ub[w]:
                ub[w] = ub[j]
        nu = w + 1
        start = base
        for j in range(nu - 1, -1, -1):
            if ymd_shift:
                mo, dd = months_days_between(ua[j], ub[j] + 1)
                start = add_months(start, -mo, False) - dd
            else:
                start -= ub[j] - ua[j] + 1
    return start, base


# ------------------------------------------------------------------ verdict and search

# fields of the result vector of evaluate()
R_ADM, R_NEED, R_K, R_CAT, R_COND, R_REQ, R_COUNTED, R_UNITS, R_SAT, R_MISS, R_WSTART, R_WEND, R_WBASE, \
    R_PSTART, R_PEND, R_PCOUNTED, R_REACH, R_NCOND, R_NFIELDS = range(19)
# columns of the per-condition matrix of evaluate() (what earliest() reads of each result)
CR_CI, CR_UNITS, CR_COUNTED, CR_SAT, CR_REACH, CR_PUNITS, CR_PCOUNTED, CR_WSTART, CR_WBASE, CR_NFIELDS = range(10)


@leaf
def past_required(days, num, den, mask, career_start, pstart, pend):
    """The days a professional-past period ``[pstart, pend]`` must hold: ``days``, or,
    when the condition has the rule for a career that began inside the period (``num``
    > 0: rules.behaviours ``share_of_working_days``) and the career's first day
    ``career_start`` lies in it, ``num/den`` of the days of weekday ``mask`` from that
    day to ``pend``, rounded up, if fewer."""
    if num <= 0 or career_start < pstart or career_start > pend:
        return days
    return min(days, -((-count_pattern(career_start, pend, mask) * num) // den))


@leaf
def evaluate(D, birth, prior, onem, next_day, ymd_shift, L, rs_from, rs_until, rs_newdays, ra_n, ra_from,
             rc_n, rc_days, rc_months, rc_type, rc_pdays, rc_pyears, rc_target, rc_ratio, rc_all, rc_catmask,
             rc_late, cst,
             o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart, o_pend, n_occ, contract_occ, p_a, p_b,
             cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap, cap_units, FU, QCAP,
             x_a, x_b, x_q, n_ext, hc, hbase, qbuf, ybuf, used, ua, ub, res, cr, tab, o_isab, ab_ok, ab_occ, ab_end,
             ab_need, n_ab):
    """admissibility.evaluate at request day D; False when no rule set is in force.
    ``res``: the verdict (closest condition); ``cr``: one row per condition tried.
    ``rc_late``/``cst``: a professional past whose career began inside it
    (:func:`past_required`)."""
    k = -1
    for i in range(rs_from.shape[0]):
        if rs_from[i] <= D and D <= rs_until[i]:
            k = i
            break
    if k < 0:
        return False
    res[R_NCOND] = 0
    # admissibility.abroad_ok: foreign work counts once enough Belgian work followed it
    for j in range(n_ab[k]):
        ab_ok[ab_occ[k, j]] = False
    for j in range(n_ab[k]):
        o = ab_occ[k, j]
        if ab_ok[o]:
            continue
        u = window_credit_slow(k, ab_end[k, j] + 1, D - 1, False, onem, L, o_num, o_den, o_mask, o_ft, o_first,
                               o_lastb, o_pstart, o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num,
                               cp_den, cp_group, cp_career, n_cap, cap_units, FU, QCAP, hc, hbase, qbuf, ybuf, o_isab,
                               ab_ok, 0, tab[22])
        ab_ok[o] = u >= ab_need[k, j]
    age = age_on(birth, D)
    cat = -1
    for i in range(ra_n[k]):
        if age >= ra_from[k, i]:
            cat = i
    wm = tab[17]
    ws = tab[18]
    wb = tab[19]
    nw = 0
    cache = tab[21]
    ncache = 0
    best_need = BIG
    have_any = False
    sat_i = -1
    close_i = -1
    close_key = BIG
    for ci in range(rc_n[k]):
        if not rc_all[k, ci]:
            if cat < 0 or not ((rc_catmask[k, ci] >> cat) & 1):
                continue
        months = rc_months[k, ci]
        wi = -1
        for j in range(nw):
            if wm[j] == months:
                wi = j
                break
        if wi < 0:
            st, bs = ref_window(D, months, next_day, ymd_shift, k, x_a, x_b, x_q, n_ext, used, ua, ub)
            wm[nw] = months
            ws[nw] = st
            wb[nw] = bs
            wi = nw
            nw += 1
        start = ws[wi]
        count_from = start
        if rs_newdays[k] and prior >= 0:
            count_from = max(count_from, prior)
        # conditions of the same length share a window, and their past periods too
        # (admissibility.evaluate's ``credits``): each distinct window credited once
        units = -1
        for j in range(ncache):
            if cache[j, 0] == count_from and cache[j, 1] == D - 1:
                units = cache[j, 2]
                break
        if units < 0:
            units = window_credit(k, count_from, D - 1, False, onem, L, o_num, o_den, o_mask, o_ft, o_first,
                                  o_lastb, o_pstart, o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask,
                                  cp_num, cp_den, cp_group, cp_career, n_cap, cap_units, FU, QCAP, hc, hbase, qbuf,
                                  ybuf, tab, o_isab, ab_ok, 1)
            if ncache < cache.shape[0]:
                cache[ncache, 0] = count_from
                cache[ncache, 1] = D - 1
                cache[ncache, 2] = units
                ncache += 1
        counted = -((-units) // UNIT) if onem else units // UNIT
        required = rc_days[k, ci]
        reachable = True
        pstart = 0
        pend = 0
        pcounted = 0
        pu = 0
        t = rc_type[k, ci]
        if t != C_PLAIN:
            pend = start - 1
            pstart = add_years(start, -rc_pyears[k, ci])
            pu = -1
            for j in range(ncache):
                if cache[j, 0] == pstart and cache[j, 1] == pend:
                    pu = cache[j, 2]
                    break
            if pu < 0:
                pu = window_credit(k, pstart, pend, False, onem, L, o_num, o_den, o_mask, o_ft, o_first, o_lastb,
                                   o_pstart, o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num,
                                   cp_den, cp_group, cp_career, n_cap, cap_units, FU, QCAP, hc, hbase, qbuf, ybuf,
                                   tab, o_isab, ab_ok, 1)
                if ncache < cache.shape[0]:
                    cache[ncache, 0] = pstart
                    cache[ncache, 1] = pend
                    cache[ncache, 2] = pu
                    ncache += 1
            pcounted = -((-pu) // UNIT) if onem else pu // UNIT
            if t == C_PAST:
                preq = past_required(rc_pdays[k, ci], rc_late[k, ci, 0], rc_late[k, ci, 1], rc_late[k, ci, 2],
                                     cst[k], pstart, pend)
                reachable = pcounted >= preq
                satisfied = reachable and counted >= rc_days[k, ci]
            else:
                required = max(rc_days[k, ci], rc_target[k, ci] - pcounted // rc_ratio[k, ci])
                satisfied = counted >= required
        else:
            satisfied = counted >= rc_days[k, ci]
        missing = 0 if satisfied else max(0, required - counted)
        if onem:
            need = (rc_days[k, ci] - 1) * UNIT + 1 - units
        else:
            need = rc_days[k, ci] * UNIT - units
        have_any = True
        ri = res[R_NCOND]
        cr[ri, CR_CI] = ci
        cr[ri, CR_UNITS] = units
        cr[ri, CR_COUNTED] = counted
        cr[ri, CR_SAT] = satisfied
        cr[ri, CR_REACH] = reachable
        cr[ri, CR_PUNITS] = pu
        cr[ri, CR_PCOUNTED] = pcounted
        cr[ri, CR_WSTART] = start
        cr[ri, CR_WBASE] = wb[wi]
        res[R_NCOND] = ri + 1
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
            res[R_COND] = ci
            res[R_REQ] = required
            res[R_COUNTED] = counted
            res[R_UNITS] = units
            res[R_SAT] = satisfied
            res[R_MISS] = missing
            res[R_WSTART] = start
            res[R_WEND] = D - 1
            res[R_WBASE] = wb[wi]
            res[R_PSTART] = pstart if t != C_PLAIN else -1
            res[R_PEND] = pend
            res[R_PCOUNTED] = pcounted
            res[R_REACH] = reachable
    res[R_ADM] = sat_i >= 0
    res[R_NEED] = max(best_need, 0) if have_any else 0
    res[R_K] = k
    res[R_CAT] = cat
    return True


@leaf
def post_pieces(k, s0, o_num, o_den, o_mask, o_pstart, o_pend, n_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num,
                cp_den, n_cap, pp_a, pp_b, pp_per, pp_mask, n_pp):
    """The pieces of ledger ``k`` with pattern days from the contract start on, each with
    its per-day bound ``ceil(rate * UNIT) + 1`` (credit.contract_daily_units): the only
    terms of :func:`cum_bound`, gathered once per case."""
    n = 0
    for o in range(n_occ[k]):
        if o_num[k, o] == 0:
            continue
        per = np.int64(np.ceil((o_num[k, o] / o_den[k, o]) * UNIT)) + 1
        for pi in range(o_pstart[k, o], o_pend[k, o]):
            if p_b[k, pi] >= s0:
                pp_a[k, n] = max(p_a[k, pi], s0)
                pp_b[k, n] = p_b[k, pi]
                pp_per[k, n] = per
                pp_mask[k, n] = o_mask[k, o]
                n += 1
    for ci in range(n_cap[k]):
        if cp_num[k, ci] == 0 or cp_b[k, ci] < s0:
            continue
        pp_a[k, n] = max(cp_a[k, ci], s0)
        pp_b[k, n] = cp_b[k, ci]
        pp_per[k, n] = np.int64(np.ceil((cp_num[k, ci] / cp_den[k, ci]) * UNIT)) + 1
        pp_mask[k, n] = cp_mask[k, ci]
        n += 1
    n_pp[k] = n


@leaf
def cum_bound(kk, k, s0, pp_a, pp_b, pp_per, pp_mask, n_pp):
    """Element ``kk`` of the cumulative upper bound of what the days from the contract
    start can credit (credit.contract_daily_units), by formula instead of an array."""
    last = min(s0 + HORIZON_DAYS + 1, s0 + kk - 1)
    tot = 0
    for i in range(n_pp[k]):
        tot += pp_per[k, i] * count_pattern(pp_a[k, i], min(pp_b[k, i], last), pp_mask[k, i])
    return tot


@leaf
def bisect_cum(target, k0, k, s0, pp_a, pp_b, pp_per, pp_mask, n_pp):
    """The least kk in [k0, HORIZON_DAYS + 3) with cum_bound(kk) >= target (else the end)."""
    lo = k0
    hi = HORIZON_DAYS + 3  # len(cum)
    while lo < hi:
        mid = (lo + hi) // 2
        if cum_bound(mid, k, s0, pp_a, pp_b, pp_per, pp_mask, n_pp) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


#: slack of the sliding bound and of the 8-for-1 bound: the base start of a window
#: moves at most 3 days more than the request date (month ends)
MONTH_END_SLACK = 3


#: the search range of slide_days_needed (days); the table below has one more entry
from .bounds import SLIDE_SEARCH_DAYS, min_pattern_days, past_gain_bound  # noqa: E402


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
def by_contract(D, need, s0, margin, per, cum0, memo, k, pp_a, pp_b, pp_per, pp_mask, n_pp, PM):
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
    kk = bisect_cum(target, k0, k, s0, pp_a, pp_b, pp_per, pp_mask, n_pp)
    if kk > k0 + 1:
        nper = period_no(s0 + kk, PM) - period_no(D, PM) + 1
        kk = bisect_cum(target - per * nper, k0, k, s0, pp_a, pp_b, pp_per, pp_mask, n_pp)
    r = s0 + max(kk, k0 + 1)
    if nm + 1 < memo.shape[0]:
        memo[nm + 1, 0] = need
        memo[nm + 1, 1] = r
        memo[0, 0] = nm + 1
    return r


@leaf
def slide_gain(k, x, y, ap_a, ap_b, ap_per, ap_mask, n_ap, bonus_all, margin, PM):
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
    for i in range(n_ap[k]):
        tot += ap_per[k, i] * count_pattern(max(ap_a[k, i], x), min(ap_b[k, i], y), ap_mask[k, i])
    nq = period_no(y, PM) - period_no(x, PM) + 1
    return tot + nq * (bonus_all[k] + 2)


@leaf
def slide_len_needed(k, x, need, ap_a, ap_b, ap_per, ap_mask, n_ap, bonus_all, margin, PM):
    """Fewest days from ``x`` that must slide into the past period before it can gain
    ``need`` units by :func:`slide_gain` (SLIDE_SEARCH_DAYS when never)."""
    if need <= 0:
        return 0
    lo = 1
    hi = SLIDE_SEARCH_DAYS
    while lo < hi:
        mid = (lo + hi) // 2
        if slide_gain(k, x, x + mid - 1, ap_a, ap_b, ap_per, ap_mask, n_ap, bonus_all, margin, PM) >= need:
            hi = mid
        else:
            lo = mid + 1
    return lo


@leaf
def quarter_bonus(k, since, o_ft, o_lastb, o_mask, o_num, o_den, n_occ, mpd, FU):
    """Over the full-time occupations of ledger ``k`` still crediting on or after day
    ``since``: what completing a whole crediting period (quarter or month) can add over
    its day-by-day credit, once a period (the full-period figure ``FU[k]`` less the
    fewest pattern days of a period, ``mpd``, at the occupation's rate, plus one unit).
    Holidays are pattern days in the day-by-day credit, so the fewest pattern days give
    the largest gain."""
    per = 0
    for o in range(n_occ[k]):
        if o_ft[k, o] and o_lastb[k, o] >= since:
            low = mpd[o_mask[k, o]] * o_num[k, o] * UNIT // o_den[k, o]
            per += max(0, FU[k] - low) + 1
    return per


@leaf
def past_end_floor(k, top, x_a, x_b, x_q, n_ext):
    """The earliest end a professional-past period can have at a later request day,
    ``top`` being the end without extension (the base start of today's window, less
    one day and the month-end slack). A window's start moves back only by extending
    periods that reach it, each by at most its length (and the month-end slack under
    the years, months and days reading): starting from no period, the periods that
    reach the floor found are added until no other reaches it."""
    lo = top
    for _ in range(n_ext[k] + 1):
        nxt = top
        for i in range(n_ext[k]):
            if x_q[k, i] and x_b[k, i] > lo:
                nxt -= x_b[k, i] - x_a[k, i] + 1 + MONTH_END_SLACK
        if nxt >= lo:
            break
        lo = nxt
    return lo


@leaf
def past_when(D, preq, onem, punits, wstart, already, pgb, k, ap_a, ap_b, ap_per, ap_mask, n_ap, bonus_all, margin,
              PM):
    """The first request day at which a professional-past period holding ``punits``
    today can hold ``preq`` days: it grows only by the days sliding into it (bounded
    by the smaller of bounds.past_gain_bound and :func:`slide_gain`)."""
    past_need = preq * UNIT - ((UNIT - 1) if onem else 0) - punits
    need_days = slide_days_needed(pgb, past_need)
    need_days = max(need_days, slide_len_needed(k, wstart, past_need, ap_a, ap_b, ap_per, ap_mask, n_ap, bonus_all,
                                                margin, PM))
    return D + max(1, need_days - already - MONTH_END_SLACK)


@leaf
def earliest(D, s0, k, onem, cr, ncond, rc_days, rc_type, rc_pdays, rc_target, rc_ratio, rc_late, cst, x_a, x_b,
             x_q, n_ext, pgb, mpd, memo,
             o_num, o_den, o_mask, o_ft, o_lastb, o_pstart, o_pend, n_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num,
             cp_den, n_cap, pp_a, pp_b, pp_per, pp_mask, n_pp, ap_a, ap_b, ap_per, ap_mask, n_ap, bonus_all, FU, PM):
    """A day before which no condition of the verdict's rule set and category can hold;
    -1: fall back (table too short). For each condition: the days still missing can
    only be credited by the days from ``D`` on (:func:`by_contract`); a professional
    past grows only by the days sliding into it (bounded by the smaller of
    bounds.past_gain_bound and :func:`slide_gain`, the case's own pieces,
    :func:`past_when`); for a career that began inside the period the requirement is
    the share of its working days up to the period's end, which needs that end to have
    reached the career's first day and grows with it (no later day puts the end before
    :func:`past_end_floor`); the 8-for-1 alternative combines both."""
    per = quarter_bonus(k, s0, o_ft, o_lastb, o_mask, o_num, o_den, n_occ, mpd, FU)
    margin = n_occ[k] + n_cap[k] + 2
    cum0 = cum_bound(D - s0, k, s0, pp_a, pp_b, pp_per, pp_mask, n_pp)
    memo[0, 0] = 0
    best = BIG
    for ri in range(ncond):
        ci = cr[ri, CR_CI]
        units = cr[ri, CR_UNITS]
        days = rc_days[k, ci]
        if onem:
            recent_need = (days - 1) * UNIT + 1 - units
        else:
            recent_need = days * UNIT - units
        when = by_contract(D, recent_need, s0, margin, per, cum0, memo, k, pp_a, pp_b, pp_per, pp_mask, n_pp, PM)
        t = rc_type[k, ci]
        already = cr[ri, CR_WBASE] - cr[ri, CR_WSTART]
        if t == C_PAST and not cr[ri, CR_REACH]:
            pw = past_when(D, rc_pdays[k, ci], onem, cr[ri, CR_PUNITS], cr[ri, CR_WSTART], already, pgb, k, ap_a,
                           ap_b, ap_per, ap_mask, n_ap, bonus_all, margin, PM)
            if rc_late[k, ci, 0] > 0:
                # or the career's first day lies in the period at a later day: its end must
                # have reached that day, and the requirement is at least the share of the
                # working days up to the earliest end a later day's period can have
                lo_end = past_end_floor(k, cr[ri, CR_WBASE] - 1 - MONTH_END_SLACK, x_a, x_b, x_q, n_ext)
                preq = min(rc_pdays[k, ci], -((-count_pattern(cst[k], lo_end, rc_late[k, ci, 2])
                                                * rc_late[k, ci, 0]) // rc_late[k, ci, 1]))
                reach = D + cst[k] - (cr[ri, CR_WBASE] - 1) - MONTH_END_SLACK
                pw = min(pw, max(reach, past_when(D, preq, onem, cr[ri, CR_PUNITS], cr[ri, CR_WSTART], already, pgb,
                                                  k, ap_a, ap_b, ap_per, ap_mask, n_ap, bonus_all, margin, PM)))
            when = max(when, pw)
        elif t == C_841 and not cr[ri, CR_SAT] and cr[ri, CR_COUNTED] >= days:
            ratio = rc_ratio[k, ci]
            deficit = (rc_target[k, ci] - cr[ri, CR_PCOUNTED] // ratio - cr[ri, CR_COUNTED]) * UNIT
            d1 = by_contract(D, deficit, s0, margin, per, cum0, memo, k, pp_a, pp_b, pp_per, pp_mask, n_pp, PM)
            slide = d1 - D + already + MONTH_END_SLACK
            gain = past_gain(pgb, slide)
            if gain < 0:
                return -1
            gain = min(gain, slide_gain(k, cr[ri, CR_WSTART], cr[ri, CR_WSTART] + slide - 1, ap_a, ap_b, ap_per,
                                        ap_mask, n_ap, bonus_all, margin, PM))
            when = max(when, by_contract(D, deficit - gain // ratio - UNIT, s0, margin, per, cum0, memo, k, pp_a,
                                         pp_b, pp_per, pp_mask, n_pp, PM))
        if when < best:
            best = when
    return best if best < BIG else D + 1


# output columns (int64 matrix), one row per case
(O_STATUS, O_ALREADY, O_REACH, O_END, O_K, O_CAT, O_COND, O_REQ, O_COUNTED, O_UNITS, O_SAT, O_MISS, O_WSTART,
 O_WEND, O_WBASE, O_DAYS, O_CUNITS, O_PAST, O_NAIVE, O_EVALS, O_CHECKED, O_MISMATCH, O_NFIELDS) = range(23)


@leaf
def plan_block(c_from, c_to,
               onem, next_day, ymd_shift, PM, c_birth, c_prior, c_s0, c_r_n, c_r_d, c_q_n, c_q_d, c_s_n, c_s_d, c_ft, c_mask, c_lo,
               c_hi, c_elo, c_ehi, c_skip, l_kind, l_a, l_b, l_emp, l_msr, l_r, l_rf_n, l_rf_d, l_q, l_q_n, l_q_d,
               l_s, l_s_n, l_s_d, l_h_n, l_h_d, l_d_n, l_d_d, l_child, l_xno, l_xa, e_kind, e_a, e_b, rk_treat, rk_group, rk_minm,
               rk_maxy, rk_child, rk_def_r, rk_def_r_n, rk_def_r_d, rk_def_s, rk_def_s_n, rk_def_s_d, rk_abneed,
               rs_from, rs_until, rs_newdays, ra_n, ra_from, rc_n, rc_days, rc_months, rc_type, rc_pdays, rc_pyears,
               rc_target, rc_ratio, rc_all, rc_catmask, rc_late, cap_units, FU, QCAP, stops_rules, ages, hc, hbase,
               pgb, mpd, lead, check, cst, o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart, o_pend, n_occ, contract_occ, p_a,
               p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap, x_a, x_b, x_q, n_ext, o_isab,
               ab_occ, ab_end, ab_need, n_ab, ab_ok, pp_a, pp_b, pp_per, pp_mask, n_pp, ap_a, ap_b, ap_per, ap_mask,
               n_ap, bonus_all, o_lo, o_span, o_pb, fast_ok, built, used, ua, ub, g_emp, g_num, g_den, g_mask, g_ft,
               line_occ, ln_num, ln_den, ln_mask, ycon, PF, PD, EXa, EXc, YAa, YAc, qa_buf, qc_buf, chk, eq, qv, eqa,
               eqb, ys, wm, ws, wbw, cache, qbuf, ybuf, res, first, cr, memo, Lw, stw, wa, wb_, qb2, yb2, need, out):
    """Plan cases ``c_from .. c_to - 1`` into ``out`` with the block's workspace (the
    arrays :func:`plan_chunk` allocates for the block; compiled without reference
    counting, like every function it calls, so no call in the search pays for its
    array arguments). Returns ``c_to``, or the first case for which the workspace is
    too small: ``need`` then holds the sizes it needs (0 tables' length, 1 quarters,
    2 the year table), and the case is planned again from its start once grown."""
    K = rs_from.shape[0]
    for c in range(c_from, c_to):
        out[c, O_STATUS] = FALLBACK
        if c_skip[c]:
            continue
        lo = c_lo[c]
        hi = c_hi[c]
        elo = c_elo[c]
        ehi = c_ehi[c]
        s0 = c_s0[c]
        # every array is reset to the value a fresh allocation for this case would hold
        fill2(o_num, 0)
        fill2(o_den, 1)
        fill2(o_mask, 0)
        fill2(o_ft, False)
        fill2(o_first, 0)
        fill2(o_lastb, 0)
        fill2(o_pstart, 0)
        fill2(o_pend, 0)
        fill1(n_occ, 0)
        fill1(contract_occ, 0)
        fill2(p_a, 0)
        fill2(p_b, 0)
        fill2(cp_a, 0)
        fill2(cp_b, 0)
        fill2(cp_mask, 0)
        fill2(cp_num, 0)
        fill2(cp_den, 1)
        fill2(cp_group, 0)
        fill2(cp_career, False)
        fill1(n_cap, 0)
        fill2(x_a, 0)
        fill2(x_b, 0)
        fill2(x_q, False)
        fill1(n_ext, 0)
        fill2(o_isab, False)
        fill2(ab_occ, 0)
        fill2(ab_end, 0)
        fill2(ab_need, 0)
        fill1(n_ab, 0)
        fill1(ab_ok, False)
        ok = build_ledgers(c, lo, hi, elo, ehi, s0, c_r_n[c], c_r_d[c], c_q_n[c], c_q_d[c], c_s_n[c], c_s_d[c],
                           c_ft[c], c_mask[c], l_kind, l_a, l_b, l_emp, l_msr, l_r, l_rf_n, l_rf_d, l_q, l_q_n,
                           l_q_d, l_s, l_s_n, l_s_d, l_h_n, l_h_d, l_d_n, l_d_d, l_child, l_xno, l_xa, e_kind, e_a, e_b,
                           K, rk_treat, rk_group, rk_minm, rk_maxy, rk_child, rk_def_r, rk_def_r_n, rk_def_r_d,
                           rk_def_s, rk_def_s_n, rk_def_s_d,
                           o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart, o_pend, n_occ, contract_occ,
                           p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap,
                           x_a, x_b, x_q, n_ext, rk_abneed, o_isab, ab_occ, ab_end, ab_need, n_ab,
                           g_emp, g_num, g_den, g_mask, g_ft, line_occ, ln_num, ln_den, ln_mask)
        if not ok:
            continue
        # per rule set, the career's first day: the first line it counts or assimilates,
        # or the contract (a professional past whose career began inside it)
        for k in range(K):
            v = s0
            for j in range(lo, hi):
                tr = rk_treat[k, l_kind[j]]
                if (tr == T_COUNTED or tr == T_ASSIM or tr == T_CAPPED) and l_a[j] < v:
                    v = l_a[j]
            cst[k] = v
        horizon = s0 + HORIZON_DAYS
        # the days the tables cover: whole years from the first credited day
        first_day = s0
        last_day = horizon
        for k in range(K):
            for o in range(n_occ[k]):
                first_day = min(first_day, o_first[k, o])
                last_day = max(last_day, o_lastb[k, o])
            for ci in range(n_cap[k]):
                first_day = min(first_day, cp_a[k, ci])
                last_day = max(last_day, cp_b[k, ci])
        # common denominator of every rate crediting a day of each calendar year (all
        # ledgers; year_den). Sums stay below 2**63 while a year's denominator is below
        # 2**31 and rates below 100 days a day: otherwise the status is FALLBACK.
        y_first = quarter_no(first_day) // 4
        nL = quarter_no(last_day) // 4 - y_first + 2
        if nL > Lw.shape[0]:
            need[2] = nL
            return c  # plan_chunk grows the workspace and plans this case again
        L = Lw[:nL]
        fill1(L, 1)
        L[0] = y_first
        big = False
        for k in range(K):
            for o in range(n_occ[k]):
                d = o_den[k, o]
                if o_num[k, o] > (1 << 31) or o_num[k, o] > 100 * d or not widen_year_dens(L, o_first[k, o],
                                                                                          o_lastb[k, o], d):
                    big = True
            for ci in range(n_cap[k]):
                d = cp_den[k, ci]
                if cp_num[k, ci] > (1 << 31) or cp_num[k, ci] > 100 * d or not widen_year_dens(L, cp_a[k, ci],
                                                                                             cp_b[k, ci], d):
                    big = True
        if big:
            continue
        fill2(pp_a, 0)
        fill2(pp_b, 0)
        fill2(pp_per, 0)
        fill2(pp_mask, 0)
        fill1(n_pp, 0)
        fill2(ap_a, 0)
        fill2(ap_b, 0)
        fill2(ap_per, 0)
        fill2(ap_mask, 0)
        fill1(n_ap, 0)
        fill1(bonus_all, 0)
        # quarter tables (window_credit_fast): whole years from the first credited day
        QA = quarter_no(first_day) // 4 * 4
        nQ = (quarter_no(last_day) // 4 * 4 + 4) - QA
        fill2(o_lo, 0)
        fill2(o_span, 0)
        fill2(o_pb, 0)
        tlen = table_spans(K, o_first, o_lastb, n_occ, o_lo, o_span, o_pb)
        # the tables are written in full by build_tables before they are read: the
        # workspace's are used as they are, or grown by plan_chunk when too small
        if tlen > PF.shape[1] or nQ > qa_buf.shape[0]:
            need[0] = tlen
            need[1] = nQ
            return c
        fill1(fast_ok, False)
        # a ledger's bounds and tables are built when the search first meets a request
        # day under its rule set (most cases never leave one rule set)
        fill1(built, False)
        chk[0] = check
        chk[1] = 0
        chk[2] = 0
        # ``tab`` carries what window_credit and evaluate need besides the ledger (numba
        # tuples are indexed by position): 0 fast_ok (per ledger: the tables may be used),
        # 1-11 the quarter tables (QA, nQ, o_lo, o_span, o_pb, PF, PD, EXa, EXc, YAa, YAc),
        # 12-16 window_credit_fast's scratch (eq, qv, eqa, eqb, ys), 17-19 evaluate's
        # windows by length (wm, ws, wb), 20 the self-check counters (on, checked,
        # differing), 21 evaluate's credit cache (start, end, units), 22 the crediting
        # period in months (3: quarters, 1: months; the option ``crediting``)
        tab = (fast_ok, QA, nQ, o_lo, o_span, o_pb, PF, PD, EXa, EXc, YAa, YAc, eq, qv, eqa, eqb, ys, wm, ws,
               wbw, chk, cache, PM)
        # stops: rule changes and birthdays at an age threshold; walked ranges: extensions
        # walked day by day, and the day each foreign-work line starts to count
        nab = 0
        for k in range(K):
            nab += n_ab[k]
        ns = stops_rules.shape[0] + ages.shape[0]
        stops = stw  # room for every rule change, age threshold and foreign-work line
        for i in range(stops_rules.shape[0]):
            stops[i] = stops_rules[i]
        for i in range(ages.shape[0]):
            stops[stops_rules.shape[0] + i] = add_years(c_birth[c], ages[i])
        if nab:
            for k in range(K):
                for j in range(n_ab[k]):
                    a0 = ab_end[k, j] + 1
                    lo_ = max(s0, a0)
                    hi_ = s0 + HORIZON_DAYS
                    u = window_credit_slow(k, a0, hi_ - 1, False, onem, L, o_num, o_den, o_mask, o_ft, o_first,
                                           o_lastb, o_pstart, o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b,
                                           cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap, cap_units, FU, QCAP,
                                           hc, hbase, qb2, yb2, o_isab, ab_ok, 0, PM)
                    if u < ab_need[k, j]:
                        continue
                    while lo_ < hi_:
                        mid = (lo_ + hi_) // 2
                        u = window_credit_slow(k, a0, mid - 1, False, onem, L, o_num, o_den, o_mask, o_ft, o_first,
                                               o_lastb, o_pstart, o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b,
                                               cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap, cap_units, FU,
                                               QCAP, hc, hbase, qb2, yb2, o_isab, ab_ok, 0, PM)
                        if u >= ab_need[k, j]:
                            hi_ = mid
                        else:
                            lo_ = mid + 1
                    stops[ns] = lo_
                    ns += 1
        sort_head(stops, ns)
        nw = 0
        for k in range(K):
            for i in range(n_ext[k]):
                if x_q[k, i] and x_b[k, i] >= s0:
                    wa[nw] = max(x_a[k, i], s0) + 1
                    wb_[nw] = x_b[k, i] + 1
                    nw += 1
        fill1(used, False)
        fill1(ua, 0)
        fill1(ub, 0)
        fill1(res, 0)
        fill1(first, 0)
        fill2(cr, 0)
        fill2(memo, 0)
        D = s0
        evals = 0
        found = False
        failed = False
        fallback = False
        while D <= horizon:
            kD = -1
            for i in range(K):
                if rs_from[i] <= D and D <= rs_until[i]:
                    kD = i
                    break
            if kD >= 0 and not built[kD]:
                k = kD
                post_pieces(k, s0, o_num, o_den, o_mask, o_pstart, o_pend, n_occ, p_a, p_b, cp_a, cp_b, cp_mask,
                            cp_num, cp_den, n_cap, pp_a, pp_b, pp_per, pp_mask, n_pp)
                post_pieces(k, -BIG, o_num, o_den, o_mask, o_pstart, o_pend, n_occ, p_a, p_b, cp_a, cp_b, cp_mask,
                            cp_num, cp_den, n_cap, ap_a, ap_b, ap_per, ap_mask, n_ap)
                bonus_all[k] = quarter_bonus(k, -BIG, o_ft, o_lastb, o_mask, o_num, o_den, n_occ, mpd, FU)
                build_tables(k, onem, L, FU, QCAP, o_num, o_den, o_mask, o_ft, o_pstart, o_pend, n_occ,
                             contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap,
                             cap_units, hc, hbase, QA, nQ, o_lo, o_span, o_pb, PF, PD, EXa, EXc, YAa, YAc, qa_buf,
                             qc_buf, ybuf, ycon)
                fast_ok[k] = n_ab[k] == 0 and PM == 3
                built[k] = True
            if not evaluate(D, c_birth[c], c_prior[c], onem, next_day, ymd_shift, L, rs_from, rs_until, rs_newdays, ra_n,
                            ra_from, rc_n, rc_days, rc_months, rc_type, rc_pdays, rc_pyears, rc_target, rc_ratio,
                            rc_all, rc_catmask, rc_late, cst, o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart, o_pend,
                            n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group,
                            cp_career, n_cap, cap_units, FU, QCAP, x_a, x_b, x_q, n_ext, hc, hbase, qbuf, ybuf,
                            used, ua, ub, res, cr, tab, o_isab, ab_ok, ab_occ, ab_end, ab_need, n_ab):
                failed = True
                break
            evals += 1
            if evals == 1:
                for i in range(R_NFIELDS):
                    first[i] = res[i]
            if res[R_ADM]:
                found = True
                break
            k = res[R_K]
            nxt = earliest(D, s0, k, onem, cr, res[R_NCOND], rc_days, rc_type, rc_pdays, rc_target, rc_ratio,
                           rc_late, cst, x_a, x_b, x_q, n_ext, pgb, mpd, memo, o_num, o_den, o_mask, o_ft, o_lastb, o_pstart, o_pend, n_occ, p_a, p_b, cp_a, cp_b,
                           cp_mask, cp_num, cp_den, n_cap, pp_a, pp_b, pp_per, pp_mask, n_pp, ap_a, ap_b, ap_per,
                           ap_mask, n_ap, bonus_all, FU, PM)
            if nxt < 0:
                fallback = True
                break
            for i in range(ns):
                if stops[i] > D and stops[i] > s0 and stops[i] <= horizon:
                    nxt = min(nxt, stops[i])
                    break
            for i in range(nw):
                if (wa[i] <= D + 1 and D + 1 <= wb_[i]) or (D < wa[i] and wa[i] <= nxt):
                    nxt = min(nxt, max(D + 1, wa[i]))
            D = max(D + 1, nxt)
        if fallback:
            continue  # status FALLBACK
        if failed:
            out[c, O_STATUS] = ERROR_NO_RULES
            continue
        out[c, O_STATUS] = OK
        out[c, O_EVALS] = evals
        out[c, O_CHECKED] = chk[1]
        out[c, O_MISMATCH] = chk[2]
        src = res if found else first
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
        kf = first[R_K]
        needn = first[R_REQ] * UNIT - ((UNIT - 1) if onem else 0) - first[R_UNITS]
        hi_ = s0 + HORIZON_DAYS
        memo[0, 0] = 0
        perf = quarter_bonus(kf, s0, o_ft, o_lastb, o_mask, o_num, o_den, n_occ, mpd, FU)
        # a request day before by_contract's answer cannot see the need met: last day - 1
        x0 = by_contract(s0, needn, s0, n_occ[kf] + n_cap[kf] + 2, perf, 0, memo, kf, pp_a, pp_b, pp_per,
                         pp_mask, n_pp, PM) - 1
        lo_ = min(max(s0, x0), hi_)
        step = 1
        x = lo_
        while x < hi_:
            u = window_credit(kf, s0 - lead, x, True, onem, L, o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart,
                              o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group,
                              cp_career, n_cap, cap_units, FU, QCAP, hc, hbase, qbuf, ybuf, tab, o_isab, ab_ok, 0)
            if u >= needn:
                hi_ = x
                break
            lo_ = x + 1
            x = lo_ + step
            step *= 2
        while lo_ < hi_:
            mid = (lo_ + hi_) // 2
            u = window_credit(kf, s0 - lead, mid, True, onem, L, o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart,
                              o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group,
                              cp_career, n_cap, cap_units, FU, QCAP, hc, hbase, qbuf, ybuf, tab, o_isab, ab_ok, 0)
            if u >= needn:
                hi_ = mid
            else:
                lo_ = mid + 1
        out[c, O_NAIVE] = lo_ if lo_ < s0 + HORIZON_DAYS else -1
        out[c, O_CHECKED] = chk[1]
        out[c, O_MISMATCH] = chk[2]
        if not found:
            out[c, O_PAST] = max(0, src[R_UNITS])
            continue
        end = D - 1
        k = res[R_K]
        cu = window_credit(k, s0 - lead, end, True, onem, L, o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart,
                           o_pend, n_occ, contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group,
                           cp_career, n_cap, cap_units, FU, QCAP, hc, hbase, qbuf, ybuf, tab, o_isab, ab_ok, 0)
        out[c, O_END] = end
        out[c, O_CUNITS] = cu
        out[c, O_CHECKED] = chk[1]
        out[c, O_MISMATCH] = chk[2]
        out[c, O_DAYS] = -((-cu) // UNIT) if onem else cu // UNIT
        out[c, O_PAST] = max(0, src[R_UNITS] - cu)
    return c_to


@alloc
def plan_range(
        c0, c1, onem, next_day, ymd_shift, PM, c_birth, c_prior, c_s0, c_r_n, c_r_d, c_q_n, c_q_d, c_s_n,
        c_s_d, c_ft, c_mask, c_lo, c_hi, c_elo, c_ehi, c_skip, l_kind, l_a, l_b, l_emp, l_msr, l_r, l_rf_n,
        l_rf_d, l_q, l_q_n, l_q_d, l_s, l_s_n, l_s_d, l_h_n, l_h_d, l_d_n, l_d_d, l_child, l_xno, l_xa, e_kind,
        e_a, e_b, rk_treat, rk_group, rk_minm, rk_maxy, rk_child, rk_def_r, rk_def_r_n, rk_def_r_d, rk_def_s,
        rk_def_s_n, rk_def_s_d, rk_abneed, rs_from, rs_until, rs_newdays, ra_n, ra_from, rc_n, rc_days,
        rc_months, rc_type, rc_pdays, rc_pyears, rc_target, rc_ratio, rc_all, rc_catmask, rc_late, cap_units, FU,
        QCAP, stops_rules, ages, hc, hbase, pgb, mpd, lead, check, out):
    """Plan cases ``c0 .. c1 - 1`` into ``out`` with one workspace (a block of
    :func:`plan_chunk`, or one case for the per-case planner, which calls it directly
    so that planning one case never starts the kernel's threads)."""
    K = rs_from.shape[0]
    NC = rc_days.shape[1]
    MM = 0
    NE = 0
    for c in range(c0, c1):
        MM = max(MM, c_hi[c] - c_lo[c])
        NE = max(NE, c_ehi[c] - c_elo[c])
    MO = MM + 1
    MP = MM + 2 * NE + 2
    MC = MM + NE + 1
    o_num = np.empty((K, MO), np.int64)
    o_den = np.empty((K, MO), np.int64)
    o_mask = np.empty((K, MO), np.int64)
    o_ft = np.empty((K, MO), np.bool_)
    o_first = np.empty((K, MO), np.int64)
    o_lastb = np.empty((K, MO), np.int64)
    o_pstart = np.empty((K, MO), np.int64)
    o_pend = np.empty((K, MO), np.int64)
    n_occ = np.empty(K, np.int64)
    contract_occ = np.empty(K, np.int64)
    p_a = np.empty((K, MP), np.int64)
    p_b = np.empty((K, MP), np.int64)
    cp_a = np.empty((K, MC), np.int64)
    cp_b = np.empty((K, MC), np.int64)
    cp_mask = np.empty((K, MC), np.int64)
    cp_num = np.empty((K, MC), np.int64)
    cp_den = np.empty((K, MC), np.int64)
    cp_group = np.empty((K, MC), np.int64)
    cp_career = np.empty((K, MC), np.bool_)
    n_cap = np.empty(K, np.int64)
    x_a = np.empty((K, MC), np.int64)
    x_b = np.empty((K, MC), np.int64)
    x_q = np.empty((K, MC), np.bool_)
    n_ext = np.empty(K, np.int64)
    o_isab = np.empty((K, MO), np.bool_)
    ab_occ = np.empty((K, MO), np.int64)
    ab_end = np.empty((K, MO), np.int64)
    ab_need = np.empty((K, MO), np.int64)
    n_ab = np.empty(K, np.int64)
    ab_ok = np.empty(MO, np.bool_)
    pp_a = np.empty((K, MP + MC), np.int64)
    pp_b = np.empty((K, MP + MC), np.int64)
    pp_per = np.empty((K, MP + MC), np.int64)
    pp_mask = np.empty((K, MP + MC), np.int64)
    n_pp = np.empty(K, np.int64)
    ap_a = np.empty((K, MP + MC), np.int64)
    ap_b = np.empty((K, MP + MC), np.int64)
    ap_per = np.empty((K, MP + MC), np.int64)
    ap_mask = np.empty((K, MP + MC), np.int64)
    n_ap = np.empty(K, np.int64)
    bonus_all = np.empty(K, np.int64)
    o_lo = np.empty((K, MO), np.int64)
    o_span = np.empty((K, MO), np.int64)
    o_pb = np.empty((K, MO), np.int64)
    fast_ok = np.empty(K, np.bool_)
    built = np.empty(K, np.bool_)
    used = np.empty(MC, np.bool_)
    ua = np.empty(MC, np.int64)
    ub = np.empty(MC, np.int64)
    g_emp = np.empty(MO, np.int64)
    g_num = np.empty(MO, np.int64)
    g_den = np.empty(MO, np.int64)
    g_mask = np.empty(MO, np.int64)
    g_ft = np.empty(MO, np.bool_)
    line_occ = np.empty(MO, np.int64)
    ln_num = np.empty(MO, np.int64)
    ln_den = np.empty(MO, np.int64)
    ln_mask = np.empty(MO, np.int64)
    ycon = np.empty(4, np.int64)
    PF = np.empty((K, 1), np.int64)
    PD = np.empty((K, 1), np.int64)
    EXa = np.empty((K, 1), np.int64)
    EXc = np.empty((K, 1), np.int64)
    YAa = np.empty((K, 1), np.int64)
    YAc = np.empty((K, 1), np.int64)
    qa_buf = np.empty(0, np.int64)
    qc_buf = np.empty(0, np.int64)
    chk = np.empty(3, np.int64)
    eq = np.empty(16, np.int64)
    qv = np.empty(16, np.int64)
    eqa = np.empty(16, np.int64)
    eqb = np.empty(16, np.int64)
    ys = np.empty(5, np.int64)
    wm = np.empty(NC, np.int64)
    ws = np.empty(NC, np.int64)
    wbw = np.empty(NC, np.int64)
    cache = np.empty((2 * NC + 2, 3), np.int64)
    qbuf = np.empty(200, np.int64)
    ybuf = np.empty(4, np.int64)
    res = np.empty(R_NFIELDS, np.int64)
    first = np.empty(R_NFIELDS, np.int64)
    cr = np.empty((NC + 1, CR_NFIELDS), np.int64)
    memo = np.empty((2 * NC + 2, 2), np.int64)
    Lw = np.empty(64, np.int64)
    stw = np.empty(stops_rules.shape[0] + ages.shape[0] + K * MO, np.int64)
    wa = np.empty(K * MC, np.int64)
    wb_ = np.empty(K * MC, np.int64)
    qb2 = np.empty(200, np.int64)
    yb2 = np.empty(4, np.int64)
    need = np.zeros(3, np.int64)  # read after plan_block returns early: sizes it did not set stay 0
    cst = np.empty(K, np.int64)
    c = c0
    while c < c1:
        c = plan_block(c, c1,
                       onem, next_day, ymd_shift, PM, c_birth, c_prior, c_s0, c_r_n, c_r_d, c_q_n, c_q_d, c_s_n, c_s_d, c_ft,
                       c_mask, c_lo, c_hi, c_elo, c_ehi, c_skip, l_kind, l_a, l_b, l_emp, l_msr, l_r, l_rf_n,
                       l_rf_d, l_q, l_q_n, l_q_d, l_s, l_s_n, l_s_d, l_h_n, l_h_d, l_d_n, l_d_d, l_child, l_xno, l_xa, e_kind,
                       e_a, e_b, rk_treat, rk_group, rk_minm, rk_maxy, rk_child, rk_def_r, rk_def_r_n,
                       rk_def_r_d, rk_def_s, rk_def_s_n, rk_def_s_d, rk_abneed, rs_from, rs_until, rs_newdays,
                       ra_n, ra_from, rc_n, rc_days, rc_months, rc_type, rc_pdays, rc_pyears, rc_target,
                       rc_ratio, rc_all, rc_catmask, rc_late, cap_units, FU, QCAP, stops_rules, ages, hc, hbase,
                       pgb, mpd, lead, check, cst, o_num, o_den, o_mask, o_ft, o_first, o_lastb, o_pstart, o_pend, n_occ,
                       contract_occ, p_a, p_b, cp_a, cp_b, cp_mask, cp_num, cp_den, cp_group, cp_career, n_cap,
                       x_a, x_b, x_q, n_ext, o_isab, ab_occ, ab_end, ab_need, n_ab, ab_ok, pp_a, pp_b, pp_per,
                       pp_mask, n_pp, ap_a, ap_b, ap_per, ap_mask, n_ap, bonus_all, o_lo, o_span, o_pb, fast_ok,
                       built, used, ua, ub, g_emp, g_num, g_den, g_mask, g_ft, line_occ, ln_num, ln_den, ln_mask,
                       ycon, PF, PD, EXa, EXc, YAa, YAc, qa_buf, qc_buf, chk, eq, qv, eqa, eqb, ys, wm, ws, wbw,
                       cache, qbuf, ybuf, res, first, cr, memo, Lw, stw, wa, wb_, qb2, yb2, need, out)
        if c < c1:
            # a case needs larger tables than the block's: grow them, plan it again
            if need[0] > PF.shape[1]:
                PF = np.empty((K, need[0]), np.int64)
                PD = np.empty((K, need[0]), np.int64)
            if need[1] > qa_buf.shape[0]:
                EXa = np.empty((K, need[1] + 1), np.int64)
                EXc = np.empty((K, need[1] + 1), np.int64)
                YAa = np.empty((K, need[1] // 4 + 1), np.int64)
                YAc = np.empty((K, need[1] // 4 + 1), np.int64)
                qa_buf = np.empty(need[1], np.int64)
                qc_buf = np.empty(need[1], np.int64)
            if need[2] > Lw.shape[0]:
                Lw = np.empty(need[2], np.int64)
            need[0] = 0
            need[1] = 0
            need[2] = 0


@njit(parallel=True, cache=True, nogil=True, _nrt=True)
def plan_chunk(n, onem, next_day, ymd_shift, PM,
               c_birth, c_prior, c_s0, c_r_n, c_r_d, c_q_n, c_q_d, c_s_n, c_s_d, c_ft, c_mask, c_lo, c_hi, c_elo,
               c_ehi, c_skip,
               l_kind, l_a, l_b, l_emp, l_msr, l_r, l_rf_n, l_rf_d, l_q, l_q_n, l_q_d, l_s, l_s_n, l_s_d,
               l_h_n, l_h_d, l_d_n, l_d_d, l_child, l_xno, l_xa, e_kind, e_a, e_b,
               rk_treat, rk_group, rk_minm, rk_maxy, rk_child, rk_def_r, rk_def_r_n, rk_def_r_d,
               rk_def_s, rk_def_s_n, rk_def_s_d,
               rk_abneed, rs_from, rs_until, rs_newdays, ra_n, ra_from, rc_n, rc_days, rc_months, rc_type, rc_pdays,
               rc_pyears, rc_target, rc_ratio, rc_all, rc_catmask, rc_late, cap_units, FU, QCAP, stops_rules, ages,
               hc, hbase, pgb, mpd, lead, check, block, out):
    """Plan cases ``0..n-1`` into ``out``, ``block`` cases at a time per thread
    (:func:`plan_range`). ``pgb``: bounds.past_gain_bound(d) for d = 0 .. 366 * 40
    (see :func:`past_gain_table`); ``mpd``: bounds.min_pattern_days per weekday mask
    (:func:`min_pattern_days_table`); ``lead``: credit.CONTRACT_LEAD_DAYS (the contract's
    own credit is counted in a window that began that many days before its start,
    credit.contract_credit)."""
    K = rs_from.shape[0]
    NC = rc_days.shape[1]
    # Cases come in blocks of ``block``; a block's cases share one workspace, sized for
    # its largest case and reset (not reallocated) case after case: allocating some
    # hundred small arrays per case was ~10 % of the kernel's time. Only sizes are set
    # here: plan_block resets every array before a case reads it (or writes it in full
    # first); the quarter tables and the year table only grow.
    nblk = (n + block - 1) // block
    for bi in prange(nblk):
        c0 = bi * block
        c1 = min(n, c0 + block)
        plan_range(
            c0, c1, onem, next_day, ymd_shift, PM, c_birth, c_prior, c_s0, c_r_n, c_r_d, c_q_n, c_q_d, c_s_n,
            c_s_d, c_ft, c_mask, c_lo, c_hi, c_elo, c_ehi, c_skip, l_kind, l_a, l_b, l_emp, l_msr, l_r, l_rf_n,
            l_rf_d, l_q, l_q_n, l_q_d, l_s, l_s_n, l_s_d, l_h_n, l_h_d, l_d_n, l_d_d, l_child, l_xno, l_xa,
            e_kind, e_a, e_b, rk_treat, rk_group, rk_minm, rk_maxy, rk_child, rk_def_r, rk_def_r_n, rk_def_r_d,
            rk_def_s, rk_def_s_n, rk_def_s_d, rk_abneed, rs_from, rs_until, rs_newdays, ra_n, ra_from, rc_n,
            rc_days, rc_months, rc_type, rc_pdays, rc_pyears, rc_target, rc_ratio, rc_all, rc_catmask, rc_late,
            cap_units, FU, QCAP, stops_rules, ages, hc, hbase, pgb, mpd, lead, check, out)
