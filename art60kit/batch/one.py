"""The compiled search for one case: what the per-case planner calls.

:func:`encode_case` writes one validated :class:`~art60kit.model.Case` into the
arrays the kernel reads, with numpy only (planning one case loads neither pandas nor
pyarrow), making the same line-level decisions as the population encoder through the
same functions (:mod:`art60kit.batch.book`). :func:`search` runs the kernel's search
(:func:`art60kit.batch.kernel.plan_block`, through :func:`art60kit.batch.run.run_kernel`)
on it: the earliest admissible request day, the contract's days, the naive end.

So the end date of ``art60kit plan``, of the explanation and of the population engine
come from one implementation of the search.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from datetime import date
from functools import lru_cache
from typing import Optional

import numpy as np

from ..model import SITUATIONS, Case, Options
from ..rules import RuleBook
from . import kernel as K
from .book import EncodedBook, dec_rational, encode_book, extension_flags, extension_starts
from .run import run_kernel

_NAN = float("nan")


@lru_cache(maxsize=16)
def encoded_book(book: RuleBook) -> EncodedBook:
    """The rule book's arrays, built once per rule book."""
    return encode_book(book)


def _num(x) -> float:
    return _NAN if x is None else float(x)


def _mask(days_per_week: float) -> int:
    return (1 << min(7, max(1, math.ceil(days_per_week - 1e-9)))) - 1


def _rationals(values: list, floats: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(num, den, ok) of figures as the case holds them: a number is the decimal it was
    typed as (:func:`~art60kit.batch.book.dec_rational`); a fraction (the hours of a
    line the law adds, art60kit.derived_lines) is kept exact. ``ok`` False where the
    kernel cannot hold the figure exactly."""
    num, den, ok = dec_rational(floats)
    for i, x in enumerate(values):
        if isinstance(x, Fraction):
            num[i], den[i] = x.numerator, x.denominator
            ok[i] = abs(x.numerator) < (1 << 31) and x.denominator < (1 << 31)
    return num, den, ok


def _wide_rationals(values: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(num, den, ok) of figures read exactly, whatever their size or number of
    decimals, as Python integers (arrays of objects, for the interpreted kernel): a
    number is the decimal it was typed as, a fraction is kept; a missing figure 0/1."""
    fr = [Fraction(0) if x is None else x if isinstance(x, Fraction) else Fraction(str(float(x))) for x in values]
    return (np.array([f.numerator for f in fr] or [], object), np.array([f.denominator for f in fr] or [], object),
            np.ones(len(fr), bool))


def encode_case(case: Case, eb: EncodedBook, wide: bool = False) -> dict:
    """The kernel's arrays for one validated case (no interval left: see
    :mod:`art60kit.uncertain`). Career lines keep the case's order; contract events are
    taken by start, then end. A figure the compiled kernel cannot hold exactly (more
    than six decimals, or too large) sets ``c_skip``; ``wide``: every figure read
    exactly, its fractions as Python integers, for the interpreted kernel
    (:mod:`art60kit.batch.exact`), which then plans the case like any other."""
    p, c = case.person, case.contract
    S = float(c.full_time_hours)
    Qe = S if c.weekly_hours is None else float(c.weekly_hours)
    dpw = float(c.days_per_week)
    if wide:
        (r_n, s_n, q_n), (r_d, s_d, q_d), _ = _wide_rationals(
            [c.days_per_week, c.full_time_hours, c.full_time_hours if c.weekly_hours is None else c.weekly_hours])
        ok_r = ok_q = ok_s = True
    else:
        (r_n,), (r_d,), (ok_r,) = dec_rational(np.array([dpw]))
        (q_n,), (q_d,), (ok_q,) = dec_rational(np.array([Qe]))
        (s_n,), (s_d,), (ok_s,) = dec_rational(np.array([S]))
    i64 = lambda v: np.array(v, np.int64)  # noqa: E731
    frac = (lambda v: np.array(v, object)) if wide else i64  # noqa: E731
    car = case.career
    n = len(car)
    employers: dict[str, int] = {}
    emp = []
    for line in car:
        e = line.employer
        if e and line.kind != "work_abroad":  # foreign work never groups with another line
            emp.append(employers.setdefault(e.strip().lower(), len(employers)))
        else:
            emp.append(-1)
    code = eb.kind_code
    kind = i64([code[x.kind] for x in car])
    la = i64([x.start.toordinal() for x in car])
    lb = i64([x.end.toordinal() for x in car])
    child = i64([x.child_birth_date.toordinal() if x.child_birth_date else -1 for x in car])
    sit = i64([SITUATIONS.index(x.situation) if x.situation else -1 for x in car])
    names = ("days_per_week", "weekly_hours", "full_time_hours", "hours", "days")
    cols = {name: np.array([_num(getattr(x, name)) for x in car], float) for name in names}
    rat = {name: (_wide_rationals([getattr(x, name) for x in car]) if wide
                  else _rationals([getattr(x, name) for x in car], cols[name])) for name in names}
    exact = ok_r and ok_q and ok_s and all(r[2].all() for r in rat.values())
    evs = sorted(c.events, key=lambda e: (e.start, e.end))
    a = dict(
        c_birth=i64([p.birth_date.toordinal()]),
        c_prior=i64([p.prior_admission.toordinal() if p.prior_admission else -1]),
        c_s0=i64([c.start.toordinal()]), c_r_n=frac([r_n]), c_r_d=frac([r_d]), c_q_n=frac([q_n]), c_q_d=frac([q_d]),
        c_s_n=frac([s_n]), c_s_d=frac([s_d]), c_ft=np.array([Qe >= S]), c_mask=i64([_mask(dpw)]),
        c_lo=i64([0]), c_hi=i64([n]), c_elo=i64([0]), c_ehi=i64([len(evs)]),
        # a figure the kernel cannot hold exactly: the search answers FALLBACK
        c_skip=np.array([not exact]),
        l_kind=kind, l_a=la, l_b=lb, l_emp=i64(emp),
        l_msr=i64([1 if x.hours is not None else 2 if x.days is not None else 0 for x in car]),
        l_r=cols["days_per_week"], l_rf_n=rat["days_per_week"][0], l_rf_d=rat["days_per_week"][1],
        l_q=cols["weekly_hours"], l_q_n=rat["weekly_hours"][0], l_q_d=rat["weekly_hours"][1],
        l_s=cols["full_time_hours"], l_s_n=rat["full_time_hours"][0], l_s_d=rat["full_time_hours"][1],
        l_h_n=rat["hours"][0], l_h_d=rat["hours"][1], l_d_n=rat["days"][0], l_d_d=rat["days"][1],
        l_child=child,
        e_kind=i64([code[e.kind] for e in evs]), e_a=i64([e.start.toordinal() for e in evs]),
        e_b=i64([e.end.toordinal() for e in evs]),
    )
    a["l_xno"] = extension_flags(eb, kind, la, lb, sit, a["c_lo"], a["c_hi"])
    a["l_xa"] = extension_starts(eb, kind, la, child)
    return a


@dataclass(frozen=True)
class Found:
    """What the compiled search found for one case. ``status``: ``kernel.OK``,
    ``kernel.FALLBACK`` (neither the compiled search nor its interpreted copy could
    plan the case: none is known; the caller plans it otherwise) or
    ``kernel.ERROR_NO_RULES``. Days are ordinals."""

    status: int
    request: Optional[int]
    end: Optional[int]
    already: bool
    reachable: bool
    days: int
    units: int
    naive_end: Optional[int]
    evaluations: int


def search(case: Case, book: RuleBook, options: Options, arrays: Optional[dict] = None) -> Found:
    """The earliest admissible request day for ``case`` (see :mod:`art60kit.planner`).
    ``arrays``: the case already encoded (:func:`encode_case`), to plan it again under
    other options. A case whose figures or sums do not fit the compiled search's 64-bit
    integers is searched by the same source run by the interpreter
    (:mod:`art60kit.batch.exact`)."""
    eb = encoded_book(book)
    a = arrays if arrays is not None else encode_case(case, eb)
    out = np.zeros((1, K.O_NFIELDS), np.int64)
    # one case on this thread (kernel.plan_range): waking the kernel's other threads
    # for it would cost far more than its search (~40 us), most of all on a busy machine
    run_kernel(1, a, eb, options, out, threads=False)
    o = out[0]
    status = int(o[K.O_STATUS])
    if status == K.FALLBACK:
        # figures or sums beyond the compiled search's 64-bit integers: the same search,
        # run by the interpreter with unbounded integers (a figure the compiled kernel
        # could not hold read again exactly)
        from .exact import search_exact

        o = search_exact(encode_case(case, eb, wide=True) if a["c_skip"][0] else a, eb, options)
        status = int(o[K.O_STATUS])
    if status != K.OK:
        return Found(status, None, None, False, False, 0, 0, None, 0)
    already = bool(o[K.O_ALREADY])
    end = int(o[K.O_END])
    request = case.contract.start.toordinal() if already else (end + 1 if end >= 0 else None)
    naive = int(o[K.O_NAIVE])
    return Found(status, request, end if end >= 0 else None, already, bool(o[K.O_REACH]), int(o[K.O_DAYS]),
                 int(o[K.O_CUNITS]), naive if naive >= 0 else None, int(o[K.O_EVALS]))
