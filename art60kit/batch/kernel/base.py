"""What every module of the compiled kernel shares: the two ways a function is
compiled, the kernel's units and limits, its statuses and codes, and small integer
helpers.

**Compilation.** :data:`leaf` compiles without numba's reference counting
(``_nrt=False``). Every array argument of a compiled call is otherwise incremented and
decremented atomically on entry and exit; the credit and search functions read dozens
of arrays and run millions of times, and those atomic operations were ~40 % of the
kernel's time (perf: NRT_incref / NRT_decref). Safe because these functions neither
allocate nor keep an array beyond the call (numba refuses to compile an allocation
without the runtime). Functions that allocate (the workspace, the direct window credit,
the block loop) keep it, and say so explicitly (:data:`alloc`): numba compiles a callee
that does not set the option with its caller's, and the direct credit is also called
from leaf functions. A named structure of arrays (:mod:`.structs`) passed to a leaf
function costs nothing more than its arrays.

**Units.** Credits are integers in units of 1/10,000 day (:data:`UNIT`, as in
:mod:`art60kit.credit`); the search looks at most :data:`HORIZON_DAYS` past the
contract start. Days are proleptic Gregorian ordinals (``date.toordinal()``).
"""
from __future__ import annotations

from numba import njit

#: compiled without reference counting: neither allocates nor keeps an array
leaf = njit(cache=True, _nrt=False)
#: compiled with reference counting: allocates arrays
alloc = njit(cache=True, _nrt=True)

UNIT = 10_000
HORIZON_DAYS = 366 * 12
EPOCH_ORD = 719163  # date(1970, 1, 1).toordinal()
BIG = 1 << 62
#: The limits within which a case's sums stay exact in 64-bit integers: a calendar
#: year's common denominator (:func:`.ledger.year_den`) and a rate's numerator at most
#: ``YEAR_DEN_MAX``, a rate at most ``RATE_MAX`` days a day, a line's rate denominator
#: times its pattern days at most ``LINE_DEN_MAX``. A case beyond them gets the status
#: ``FALLBACK``. The same source run by the interpreter with unbounded integers
#: (:mod:`art60kit.batch.exact`) lifts them. :func:`beyond` reads the first two.
YEAR_DEN_MAX = 1 << 31
RATE_MAX = 100
LINE_DEN_MAX = 1 << 40

#: a case's status: planned, to be planned otherwise (figures beyond the kernel's exact
#: 64-bit range), no rule set in force at a request day
OK, FALLBACK, ERROR_NO_RULES = 0, 1, 2
#: treatments of a kind of line under a rule set (rule book ``treat``)
T_COUNTED, T_ASSIM, T_CAPPED, T_EXTENDS, T_EXCLUDED, T_NEUTRAL = 0, 1, 2, 3, 4, 5
#: kinds of condition: a plain window, with a professional past, the 8-for-1 alternative
C_PLAIN, C_PAST, C_841 = 0, 1, 2


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
def beyond(num, den):
    """Whether a rate of ``num / den`` days a day lies beyond the exact sums' limits."""
    return num > YEAR_DEN_MAX or num > RATE_MAX * den


@leaf
def round_units(num, den, onem):
    """``num / den`` in whole units: half up under the rounding reading ``onem``,
    truncated otherwise."""
    if onem:
        return (2 * num + den) // (2 * den)
    return num // den


@leaf
def units_short(days, units, onem):
    """The units a credit of ``units`` lacks before it counts ``days`` days: under the
    rounding reading ``onem`` a credit above ``days - 1`` days counts ``days`` (the
    total is rounded up), otherwise it must reach them. Zero or less: it counts them."""
    if onem:
        return (days - 1) * UNIT + 1 - units
    return days * UNIT - units
