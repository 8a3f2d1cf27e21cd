"""Window credit: the days a window of request days credits under one ledger
(read for one case by :meth:`art60kit.ledger.Ledger.credit`), in units of 1/10,000 day.

Each occupation credits its pattern days in the window at its exact rate, except a
crediting period (a calendar quarter, or a month under the month reading) lying wholly
in the window that a full-time occupation completes: it credits the rule set's
full-period figure ``FU[k]`` (the pattern days that are public holidays need not be
covered). Capped absences add, per cap group and calendar year, at most the group's
yearly cap (:func:`year_allowance`: the allowance counts toward its quarters' cap in
date order). In a reference period, work known only by its total follows the quarter-edge rule
(:func:`piece_span`, :func:`edge_cut`: its whole first and last quarters count, the
first at most its days Monday to Saturday from the window's start). Each quarter then
credits at most the rule set's quarter cap ``QCAP[k]``;
the excess is removed, rounded half up. Per-occupation sums are rounded once (half up
under ``onem``, else truncated); sums over occupations and capped pieces are exact over
the per-year common denominators ``L`` (:func:`.ledger.year_den`).

Two implementations of the same integer arithmetic: :func:`window_credit_slow`, the
direct transcription, period by period from the pieces (ledgers with foreign work,
whose counting depends on the request day; the month reading; the oracle), and
:func:`window_credit_fast`, which reads the quarters lying wholly in the window from
per-quarter prefix sums built once per ledger (:func:`build_tables`) and recomputes
only the quarters at the two ends. :func:`window_credit` chooses; with ``chk[0]`` set
(tests) it computes every credit both ways and counts the differences.
"""
from __future__ import annotations

import numpy as np

from .base import BIG, UNIT, alloc, leaf, round_units
from .calendar import add_months, count_pattern, holidays_in, ordinal, period_start, qstart, quarter_no
from .ledger import year_den


@leaf
def year_allowance(raw, cap, L, onem):
    """One cap group's capped absences in one calendar year (ledger.Ledger.credit,
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


@leaf
def capped_year(k, g, y, a, b, only_contract, L, led, ybuf):
    """Cap group ``g``'s capped pieces of ledger ``k`` on the days of calendar year ``y``
    in ``[a, b]``, quarter by quarter: ``ybuf[qq]`` is what they credit in the year's
    quarter ``qq`` (units over the year's denominator ``year_den(L, y)``), the input of
    :func:`year_allowance`. ``only_contract``: the contract's events only. Returns
    whether any day was credited."""
    for qq in range(4):
        ybuf[qq] = 0
    ja = max(a, qstart(y * 4))
    jb = min(b, qstart(y * 4 + 4) - 1)
    anyq = False
    for ci in range(led.n_cap[k]):
        if led.cp_group[k, ci] != g:
            continue
        if led.cp_b[k, ci] < ja or led.cp_a[k, ci] > jb or (only_contract and led.cp_career[k, ci]):
            continue
        mulL = led.cp_num[k, ci] * (year_den(L, y) // led.cp_den[k, ci])
        for qq in range(4):
            xa = max(ja, led.cp_a[k, ci], qstart(y * 4 + qq))
            xb = min(jb, led.cp_b[k, ci], qstart(y * 4 + qq + 1) - 1)
            n = count_pattern(xa, xb, led.cp_mask[k, ci])
            if n > 0:
                ybuf[qq] += n * mulL * UNIT
                anyq = True
    return anyq


@alloc
def window_credit_slow(k, a, b, only_contract, onem, PM, L, led, crd, qbuf, ybuf, ab_mode, edges):
    """Units credited in [a, b] under ledger ``k`` (ledger.Ledger.credit), crediting
    period by crediting period (``PM`` months) from the pieces: the direct
    transcription, used for ledgers with foreign work and for the month reading, and the
    oracle of :func:`window_credit_fast` in the tests. ``L``: the per-year common
    denominators (:func:`.ledger.year_den`); ``qbuf``, ``ybuf``: scratch.

    ``edges``: 1 for a reference period, whose first and last quarters follow the
    quarter-edge rule (:func:`piece_span`, :func:`edge_cut`); 2 the same without the
    start-quarter cap (the parts of a credit the explanation states); 0 none.

    Foreign work (``led.o_isab[k, o]``) counts only when ``ab_mode`` is 1 and
    ``led.ab_ok[o]`` holds (ledger.Ledger.credit's ``abroad_ok``; ``ab_mode`` 0 is the
    empty set)."""
    if b < a:
        return 0
    q0 = quarter_no(a)
    nq = quarter_no(b) - q0 + 1
    if nq > qbuf.shape[0]:
        qbuf = np.zeros(nq, np.int64)
    for i in range(nq):
        qbuf[i] = 0
    total = 0
    dq = 0  # what work known only by its total credits for the quarter of a
    for o in range(led.n_occ[k]):
        if only_contract and o != led.contract_occ[k]:
            continue
        if led.o_isab[k, o] > 0 and (ab_mode == 0 or not led.ab_ok[o]):
            continue
        deem = edges > 0 and led.o_deem[k, o]
        if deem:
            # the quarters of a and b are read whole: piece_span keeps what is deemed inside
            oa = max(qstart(q0), led.o_first[k, o])
            ob = min(qstart(q0 + nq) - 1, led.o_lastb[k, o])
        else:
            oa = max(a, led.o_first[k, o])
            ob = min(b, led.o_lastb[k, o])
        if ob < oa:
            continue
        mask = led.o_mask[k, o]
        num = led.o_num[k, o]
        den = led.o_den[k, o]
        n_days = 0
        n_full = 0
        pa = period_start(oa, PM)
        while pa <= ob:
            pb = add_months(pa, PM, False) - 1
            qn = quarter_no(pa)
            qi = qn - q0
            Lq = year_den(L, qn // 4)
            full = False
            if led.o_ft[k, o] and pa >= a and pb <= b:
                need = count_pattern(pa, pb, mask) - holidays_in(pa, pb, mask, crd.hc, crd.hbase)
                have = 0
                for pi in range(led.o_pstart[k, o], led.o_pend[k, o]):
                    if led.p_b[k, pi] < pa or led.p_a[k, pi] > pb:
                        continue
                    xa = max(led.p_a[k, pi], pa)
                    xb = min(led.p_b[k, pi], pb)
                    have += count_pattern(xa, xb, mask) - holidays_in(xa, xb, mask, crd.hc, crd.hbase)
                # credit._period_info: a period with no pattern day of the occupation is never full
                nq_ = 0
                for pi in range(led.o_pstart[k, o], led.o_pend[k, o]):
                    if led.p_b[k, pi] < pa or led.p_a[k, pi] > pb:
                        continue
                    nq_ += count_pattern(max(led.p_a[k, pi], pa), min(led.p_b[k, pi], pb), mask)
                full = nq_ > 0 and have >= need
            if full:
                n_full += 1
                qbuf[qi] += crd.FU[k] * Lq
            else:
                n = 0
                for pi in range(led.o_pstart[k, o], led.o_pend[k, o]):
                    if led.p_b[k, pi] < pa or led.p_a[k, pi] > pb:
                        continue
                    xa, xb = piece_span(led.p_a[k, pi], led.p_b[k, pi], a, b, pa, pb, deem)
                    n += count_pattern(xa, xb, mask)
                n_days += n
                qbuf[qi] += n * (num * (Lq // den)) * UNIT
                if deem and qi == 0:
                    dq += n * (num * (Lq // den)) * UNIT
            pa = pb + 1
        if n_days == 0 and n_full == 0:
            continue
        total += n_full * crd.FU[k] + round_units(n_days * num * UNIT, den, onem)
    if edges == 1:
        cut = edge_cut(a, q0, dq, L, crd, k)
        if cut > 0:
            total -= round_units(cut, year_den(L, q0 // 4), True)
            qbuf[0] -= cut
    if led.n_cap[k] > 0:
        # per cap group and calendar year: capped at cap_units; the allowance is part
        # of the quarter's total for the quarter cap, allocated to the year's quarters
        # in date order (ledger.Ledger.credit, schéma 2A)
        y0 = quarter_no(a) // 4
        y1 = quarter_no(b) // 4
        for g in range(crd.cap_units.shape[1]):
            for y in range(y0, y1 + 1):
                if not capped_year(k, g, y, a, b, only_contract, L, led, ybuf):
                    continue
                allow, t0, t1, t2, t3 = year_allowance(ybuf, crd.cap_units[k, g], year_den(L, y), onem)
                total += allow
                for qq, take in enumerate((t0, t1, t2, t3)):
                    if take > 0:
                        qbuf[y * 4 + qq - q0] += take
    for i in range(nq):
        Lq = year_den(L, (q0 + i) // 4)
        if qbuf[i] > crd.QCAP[k] * Lq:
            total -= round_units(qbuf[i] - crd.QCAP[k] * Lq, Lq, True)
    return total


@leaf
def piece_span(p_a, p_b, a, b, pa, pb, deem):
    """The days of a piece ``[p_a, p_b]`` that a window ``[a, b]`` credits in the
    crediting period ``[pa, pb]``: those inside all three; for work known only by its
    total (``deem``: an occupation ``o_deem`` in a reference period), a piece holding
    the window's first day and the day before it counts from the period's start, and
    one holding its last day and the day after it up to the period's end: such work
    cannot be placed on either side of the window's edge, and is deemed inside it for
    the whole quarter (royal decree of 25 November 1991, art. 37, § 1, al. 2). The
    window credit reads the periods of the quarters of ``a`` and ``b`` for these
    occupations. An empty span has its end before its start."""
    xa = max(p_a, pa, a)
    xb = min(p_b, pb, b)
    if deem:
        if p_a < a and a <= p_b:
            xa = max(p_a, pa)
        if p_a <= b and b < p_b:
            xb = min(p_b, pb)
    return xa, xb


@leaf
def edge_cut(a, q0, dq, L, crd, k):
    """What the start-quarter cap of the quarter-edge rule removes (units over the
    quarter's year denominator, exact) when the lines of work known only by their total
    credit ``dq`` for the quarter ``q0`` of the window's first day ``a``: their days for
    that quarter are at most its days of weekday ``crd.EWD[k]`` (Monday to Saturday)
    from ``a`` to the quarter's end (ministerial decree of 26 November 1991, art. 7).
    0 when the window starts with the quarter."""
    if crd.EWD[k] == 0 or a == qstart(q0) or dq <= 0:
        return 0
    most = count_pattern(a, qstart(q0 + 1) - 1, crd.EWD[k]) * UNIT * year_den(L, q0 // 4)
    return dq - most if dq > most else 0


@leaf
def table_spans(K, led, tab):
    """Quarter span of each occupation (``o_lo``: its first quarter number, ``o_span``:
    its quarters) and the offset ``o_pb`` of its prefix sums in the flat tables; returns
    the table length needed (the largest over the ledgers)."""
    need = 1
    for k in range(K):
        t = 0
        for o in range(led.n_occ[k]):
            lo = quarter_no(led.o_first[k, o])
            hi = quarter_no(led.o_lastb[k, o])
            tab.o_lo[k, o] = lo
            tab.o_span[k, o] = max(0, hi - lo + 1)
            tab.o_pb[k, o] = t
            t += tab.o_span[k, o] + 1
        need = max(need, t)
    return need


@leaf
def build_tables(k, onem, L, crd, led, tab, ybuf):
    """Per-quarter tables of ledger ``k`` for :func:`window_credit_fast`:

    - per occupation ``o``, over its own quarters (``o_lo[k, o]`` .. + ``o_span[k, o]``),
      prefix sums at ``o_pb[k, o]``: ``PF`` counts the quarters it completes full time
      (``FU``), ``PD`` the pattern days of the others, as ledger.Ledger.credit reads a
      quarter lying wholly in the window;
    - over quarters ``QA .. QA + nQ - 1`` (QA a first quarter, nQ a multiple of 4):
      ``YAa``/``YAc``, prefix sums over calendar years of the capped allowance of a whole
      year (per cap group; ``c``: the contract's events only), and ``EXa``/``EXc``,
      prefix sums of what the quarter cap removes from a quarter lying wholly in
      the window, its year's allowance allocated in date order.

    The allowance and the cap depend on the window only through the quarters of a year
    it cuts, which :func:`window_credit_fast` recomputes; every other quarter's figures
    are the same for every window that holds it."""
    QA = tab.qspan[0]
    nQ = tab.qspan[1]
    for i in range(nQ):
        tab.qa_buf[i] = 0
        tab.qc_buf[i] = 0
    for o in range(led.n_occ[k]):
        mask = led.o_mask[k, o]
        ft = led.o_ft[k, o]
        base = tab.o_pb[k, o]
        tab.PF[k, base] = 0
        tab.PD[k, base] = 0
        q0 = tab.o_lo[k, o]
        for i in range(tab.o_span[k, o]):
            pa = qstart(q0 + i)
            pb = qstart(q0 + i + 1) - 1
            tf = 0
            tn = 0
            have = 0
            for pi in range(led.o_pstart[k, o], led.o_pend[k, o]):
                if led.p_b[k, pi] < pa or led.p_a[k, pi] > pb:
                    continue
                xa = max(led.p_a[k, pi], pa)
                xb = min(led.p_b[k, pi], pb)
                cnt = count_pattern(xa, xb, mask)
                tn += cnt
                if ft:
                    have += cnt - holidays_in(xa, xb, mask, crd.hc, crd.hbase)
            # credit._period_info: full when the pieces cover every pattern day that is
            # not a public holiday; a quarter without a pattern day is never full
            if ft and tn > 0:
                need = count_pattern(pa, pb, mask) - holidays_in(pa, pb, mask, crd.hc, crd.hbase)
                if have >= need:
                    tf = 1
            tab.PF[k, base + i + 1] = tab.PF[k, base + i] + tf
            tab.PD[k, base + i + 1] = tab.PD[k, base + i] + (0 if tf else tn)
            Lq = year_den(L, (q0 + i) // 4)
            v = crd.FU[k] * Lq if tf else tn * (led.o_num[k, o] * (Lq // led.o_den[k, o])) * UNIT
            tab.qa_buf[q0 + i - QA] += v
            if o == led.contract_occ[k]:
                tab.qc_buf[q0 + i - QA] += v
    nY = nQ // 4
    Y0 = QA // 4
    for yi in range(nY + 1):
        tab.YAa[k, yi] = 0
        tab.YAc[k, yi] = 0
    if led.n_cap[k] > 0:
        ylo = BIG
        yhi = -BIG
        for ci in range(led.n_cap[k]):
            ylo = min(ylo, quarter_no(led.cp_a[k, ci]) // 4)
            yhi = max(yhi, quarter_no(led.cp_b[k, ci]) // 4)
        for y in range(max(ylo, Y0), min(yhi, Y0 + nY - 1) + 1):
            yi = y - Y0
            ja = ordinal(y, 1, 1)
            jb = ordinal(y, 12, 31)
            for g in range(crd.cap_units.shape[1]):
                if capped_year(k, g, y, ja, jb, False, L, led, ybuf):
                    allow, t0, t1, t2, t3 = year_allowance(ybuf, crd.cap_units[k, g], year_den(L, y), onem)
                    tab.YAa[k, yi + 1] += allow
                    for qq, take in enumerate((t0, t1, t2, t3)):
                        tab.qa_buf[4 * yi + qq] += take
                if capped_year(k, g, y, ja, jb, True, L, led, tab.ycon):
                    allow, t0, t1, t2, t3 = year_allowance(tab.ycon, crd.cap_units[k, g], year_den(L, y), onem)
                    tab.YAc[k, yi + 1] += allow
                    for qq, take in enumerate((t0, t1, t2, t3)):
                        tab.qc_buf[4 * yi + qq] += take
        for yi in range(nY):
            tab.YAa[k, yi + 1] += tab.YAa[k, yi]
            tab.YAc[k, yi + 1] += tab.YAc[k, yi]
    tab.EXa[k, 0] = 0
    tab.EXc[k, 0] = 0
    for i in range(nQ):
        Lq = year_den(L, (QA + i) // 4)
        capL = crd.QCAP[k] * Lq
        tab.EXa[k, i + 1] = tab.EXa[k, i] + (round_units(tab.qa_buf[i] - capL, Lq, True) if tab.qa_buf[i] > capL else 0)
        tab.EXc[k, i + 1] = tab.EXc[k, i] + (round_units(tab.qc_buf[i] - capL, Lq, True) if tab.qc_buf[i] > capL else 0)


@leaf
def _clip(x, lo, hi):
    return min(max(x, lo), hi)


@leaf
def window_credit_fast(k, a, b, only_contract, onem, L, led, crd, tab, ybuf, edges):
    """:func:`window_credit_slow` from the tables of :func:`build_tables`: the quarters
    lying wholly in the window (and, when the ledger has capped pieces, in calendar years
    lying wholly in it) are read from prefix sums; only the (at most 8) quarters at the
    two ends are recomputed from the pieces, where the quarter-edge rule acts
    (``edges`` as there). Same integer arithmetic, same result (the tests compare the
    two on generated windows)."""
    QA = tab.qspan[0]
    nQ = tab.qspan[1]
    if b < a:
        return 0
    qa = quarter_no(a)
    qb = quarter_no(b)
    t0 = qa if a == qstart(qa) else qa + 1
    t1 = qb if b == qstart(qb + 1) - 1 else qb - 1
    hascap = led.n_cap[k] > 0
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
            tab.eq[ne] = q
            ne += 1
    else:
        for q in range(qa, t0):
            tab.eq[ne] = q
            ne += 1
        for q in range(t1 + 1, qb + 1):
            tab.eq[ne] = q
            ne += 1
    for j in range(ne):
        tab.qv[j] = 0
        tab.eqa[j] = qstart(tab.eq[j])
        tab.eqb[j] = qstart(tab.eq[j] + 1) - 1
    if t0 <= t1:
        lo_i = _clip(t0 - QA, 0, nQ)
        hi_i = _clip(t1 + 1 - QA, 0, nQ)
    else:
        lo_i = 0
        hi_i = 0
    total = 0
    dq = 0  # what work known only by its total credits for the quarter of a
    for o in range(led.n_occ[k]):
        if only_contract and o != led.contract_occ[k]:
            continue
        if led.o_lastb[k, o] < a or led.o_first[k, o] > b:
            continue
        deem = edges > 0 and led.o_deem[k, o]
        nf = 0
        nd = 0
        base = tab.o_pb[k, o]
        span = tab.o_span[k, o]
        if t0 <= t1:
            i0 = _clip(t0 - tab.o_lo[k, o], 0, span)
            i1 = _clip(t1 + 1 - tab.o_lo[k, o], 0, span)
            if i1 > i0:
                nf = tab.PF[k, base + i1] - tab.PF[k, base + i0]
                nd = tab.PD[k, base + i1] - tab.PD[k, base + i0]
        num = led.o_num[k, o]
        den = led.o_den[k, o]
        mask = led.o_mask[k, o]
        for j in range(ne):
            q = tab.eq[j]
            pa = tab.eqa[j]
            pb = tab.eqb[j]
            if pb < led.o_first[k, o] or pa > led.o_lastb[k, o]:
                continue
            Lq = year_den(L, q // 4)
            if pa >= a and pb <= b:
                ti = q - tab.o_lo[k, o]
                if ti < 0 or ti >= span:
                    continue
                if tab.PF[k, base + ti + 1] > tab.PF[k, base + ti]:
                    nf += 1
                    tab.qv[j] += crd.FU[k] * Lq
                else:
                    n = tab.PD[k, base + ti + 1] - tab.PD[k, base + ti]
                    nd += n
                    tab.qv[j] += n * (num * (Lq // den)) * UNIT
            else:
                sa = max(pa, a)
                sb = min(pb, b)
                n = 0
                for pi in range(led.o_pstart[k, o], led.o_pend[k, o]):
                    if led.p_a[k, pi] > sb:
                        break  # an occupation's pieces are sorted and disjoint
                    if led.p_b[k, pi] < sa:
                        continue
                    xa, xb = piece_span(led.p_a[k, pi], led.p_b[k, pi], a, b, pa, pb, deem)
                    n += count_pattern(xa, xb, mask)
                nd += n
                tab.qv[j] += n * (num * (Lq // den)) * UNIT
                if deem and q == qa:
                    dq += n * (num * (Lq // den)) * UNIT
        if nd == 0 and nf == 0:
            continue
        total += nf * crd.FU[k] + round_units(nd * num * UNIT, den, onem)
    if edges == 1:
        cut = edge_cut(a, qa, dq, L, crd, k)
        if cut > 0:
            # the window starts inside its first quarter: that quarter is tab.eq[0]
            total -= round_units(cut, year_den(L, qa // 4), True)
            tab.qv[0] -= cut
    if hi_i > lo_i:
        if only_contract:
            total -= tab.EXc[k, hi_i] - tab.EXc[k, lo_i]
        else:
            total -= tab.EXa[k, hi_i] - tab.EXa[k, lo_i]
    if hascap:
        nY = nQ // 4
        Y0 = QA // 4
        if fy0 <= fy1:
            ly = _clip(fy0 - Y0, 0, nY)
            hy = _clip(fy1 + 1 - Y0, 0, nY)
            if only_contract:
                total += tab.YAc[k, hy] - tab.YAc[k, ly]
            else:
                total += tab.YAa[k, hy] - tab.YAa[k, ly]
        # the years the window cuts: as ledger.Ledger.credit, on the window's part
        for y in range(ya, yb + 1):
            if fy0 <= y and y <= fy1:
                continue
            if y != ya and y != yb:
                continue
            for g in range(crd.cap_units.shape[1]):
                if not capped_year(k, g, y, a, b, only_contract, L, led, ybuf):
                    continue
                allow, t0, t1, t2, t3 = year_allowance(ybuf, crd.cap_units[k, g], year_den(L, y), onem)
                total += allow
                for qq, take in enumerate((t0, t1, t2, t3)):
                    if take > 0:
                        q = y * 4 + qq
                        for j in range(ne):
                            if tab.eq[j] == q:
                                tab.qv[j] += take
                                break
    for j in range(ne):
        Lq = year_den(L, tab.eq[j] // 4)
        if tab.qv[j] > crd.QCAP[k] * Lq:
            total -= round_units(tab.qv[j] - crd.QCAP[k] * Lq, Lq, True)
    return total


@leaf
def window_credit(k, a, b, only_contract, L, opts, crd, led, tab, qbuf, ybuf, ab_mode, edges):
    """Units credited in [a, b] under ledger ``k`` (ledger.Ledger.credit): from the
    quarter tables (``tab``, :func:`build_tables`) unless the ledger has foreign work
    whose counting depends on the request day (then period by period). ``edges``: 1
    for a reference period (the quarter-edge rule, :func:`window_credit_slow`)."""
    # the quarter tables hold quarters: a month reading (PM == 1) is credited period by
    # period
    if (tab.fast_ok[k] or only_contract) and opts.PM == 3:
        r = window_credit_fast(k, a, b, only_contract, opts.onem, L, led, crd, tab, ybuf, edges)
        chk = tab.chk
        if chk[0]:
            # self-check (tests): the table-driven credit against the direct one
            r2 = window_credit_slow(k, a, b, only_contract, opts.onem, 3, L, led, crd, qbuf, ybuf, ab_mode, edges)
            chk[1] += 1
            if r2 != r:
                chk[2] += 1
        return r
    return window_credit_slow(k, a, b, only_contract, opts.onem, opts.PM, L, led, crd, qbuf, ybuf, ab_mode, edges)
