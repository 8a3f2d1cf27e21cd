"""The reference window of a request day, extended by the periods that extend it
(read for one case by :meth:`art60kit.ledger.Ledger.window`).

A condition of ``months`` months looks at the window that ends the day before the
request day ``D`` and starts ``months`` months earlier (its base start;
:func:`.calendar.add_months` under the month-end reading). Extending periods of the
ledger (``ext.x_*`` with ``x_q`` set: built by :func:`.ledger.build_ledgers` from the
extending lines and contract events, already cut by their kind's limits and
conditions) that reach the window's start move it back: each period only up to the day
before ``D``, overlapping or touching periods merged so that a day extends once, and
the start found again until no other period reaches it. The start moves back by the
merged periods' days, or, under the option ``extension_shift=ymd``, by each merged
period's years, months and days, the latest first.
"""
from __future__ import annotations

from .base import leaf
from .calendar import add_months, months_days_between


@leaf
def ref_window(D, months, next_day, ymd_shift, k, ext, used, ua, ub):
    """(start, base) of the extended window (ledger.Ledger.window for one case). The used
    periods (each up to the day before ``D``) are kept in ``ua``/``ub`` merged into
    maximal spans of consecutive days, in date order, so that a day extends once.
    ``ymd_shift`` (option extension_shift=ymd): the start moves back from the base by
    each merged span's years, months and days, the latest span first; otherwise by the
    number of days of the spans."""
    base = add_months(D, -months, next_day)
    end = D - 1
    start = base
    nx = ext.n_ext[k]
    for i in range(nx):
        used[i] = False
    nu = 0
    while True:
        best = -1
        for i in range(nx):
            if used[i] or not ext.x_q[k, i] or ext.x_a[k, i] > end:
                continue
            if ext.x_b[k, i] >= start and (best < 0 or ext.x_b[k, i] > ext.x_b[k, best]):
                best = i
        if best < 0:
            break
        used[best] = True
        a = ext.x_a[k, best]
        b = min(ext.x_b[k, best], end)
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
