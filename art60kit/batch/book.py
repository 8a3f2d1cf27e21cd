"""The rule book and a case's line-level decisions as flat arrays for the compiled kernel.

Numpy only (no pandas or pyarrow): the per-case planner encodes one case with it
(:mod:`art60kit.batch.one`), the population engine a table of cases
(:mod:`art60kit.batch.encode`). What a rule set says is read here once, from the same
rule objects the reference engine reads: treatments and caps of each kind of line,
conditions (by their registered kind), the crediting readings (by their registered
name: which calendar period a full period is, and the figure it credits), the quarter
cap of each rule set.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..model import KINDS, SITUATIONS
from ..rules import RuleBook, behaviours
from .bounds import limits
from . import kernel as K

EPOCH_ORD = date(1970, 1, 1).toordinal()
_TREAT = {"counted": K.T_COUNTED, "assimilated": K.T_ASSIM, "assimilated_capped": K.T_CAPPED,
          "extends": K.T_EXTENDS, "excluded": K.T_EXCLUDED, "neutral": K.T_NEUTRAL}
#: codes of the case format's kinds (a rule book may add kinds after them: EncodedBook.kind_code)
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}


def dec_rational(x: np.ndarray, max_decimals: int = 6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(num, den, ok)``: the decimal a float was typed as (``Fraction(str(x))`` in
    credit.py), reduced; ``ok`` False where none with at most ``max_decimals`` decimals
    gives back the same float, or the value is too large. NaN gives (0, 1, True)."""
    x = np.asarray(x, dtype=float)
    num = np.zeros(len(x), np.int64)
    den = np.ones(len(x), np.int64)
    ok = np.isnan(x)
    # only the values not yet matched are tried with one more decimal
    todo = np.nonzero(np.isfinite(x) & (np.abs(x) < 1e7))[0]
    for k in range(max_decimals + 1):
        if not len(todo):
            break
        p = 10 ** k
        xs = x[todo]
        n = np.round(xs * p)
        hit = n / p == xs
        idx = todo[hit]
        num[idx] = n[hit].astype(np.int64)
        den[idx] = p
        ok[idx] = True
        todo = todo[~hit]
    # reduced where there is a fraction to reduce (a whole number has 1 for denominator)
    red = np.nonzero(den > 1)[0]
    if len(red):
        g = np.gcd(num[red], den[red])
        num[red] //= g
        den[red] //= g
    return num, den, ok


@dataclass(frozen=True, eq=False)
class EncodedBook:
    ids: tuple
    cat_ids: tuple  # per rule set: tuple of category ids
    cond_ids: tuple  # per rule set: tuple of condition ids
    cond_days: tuple
    cond_months: tuple
    arrays: dict
    first_valid: date
    #: the rule book's figures the search bounds rest on (planner.limits)
    limits: object = None
    #: per rule set: {kind code: name of its registered extension condition}
    extension_conditions: tuple = ()
    #: per rule set: the treatment of each kind, by kind code
    treatments: tuple = ()
    #: per rule set: each kind's rule (rules.KindRule), by kind code
    kind_rules: tuple = ()
    #: every kind of line a case may use with the book (RuleBook.kinds), by kind code
    kinds: tuple = KINDS

    @property
    def kind_code(self) -> dict:
        return {k: i for i, k in enumerate(self.kinds)}


#: months in each crediting period a registered crediting reading names
_PERIOD_MONTHS = {"quarter": 3, "month": 1}

#: the kernel's code for each registered kind of condition (rules.behaviours)
_COND_CODE = {"recent": K.C_PLAIN, "past_work": K.C_PAST, "eight_for_one": K.C_841}

#: the registered readings of a career that began inside a professional-past period the
#: kernel has a compiled form of (kernel.past_required)
_LATE_CODE = ("share_of_working_days",)


def encode_book(book: RuleBook) -> EncodedBook:
    rsets = book.rule_sets
    Kn = len(rsets)
    all_kinds = book.kinds
    nk = len(all_kinds)
    groups = sorted({g for rs in rsets for g in rs.caps})
    gi = {g: i for i, g in enumerate(groups)}
    a = {
        "rk_treat": np.full((Kn, nk), K.T_NEUTRAL, np.int64), "rk_group": np.zeros((Kn, nk), np.int64),
        "rk_minm": np.zeros((Kn, nk), np.int64), "rk_maxy": np.zeros((Kn, nk), np.int64),
        "rk_child": np.zeros((Kn, nk), np.int64), "rk_abneed": np.zeros((Kn, nk), np.int64),
        # the kinds of line whose total the quarter-edge rule reads, and the weekdays of
        # its start-quarter cap (0: the rule set has no such rule)
        "rk_deem": np.zeros((Kn, nk), np.bool_), "EWD": np.zeros(Kn, np.int64),
        "rk_def_r": np.zeros(Kn), "rk_def_r_n": np.zeros(Kn, np.int64), "rk_def_r_d": np.ones(Kn, np.int64),
        "rk_def_s": np.zeros(Kn), "rk_def_s_n": np.zeros(Kn, np.int64), "rk_def_s_d": np.ones(Kn, np.int64),
        "rs_from": np.zeros(Kn, np.int64), "rs_until": np.zeros(Kn, np.int64), "rs_newdays": np.zeros(Kn, np.bool_),
        "ra_n": np.zeros(Kn, np.int64),
        "rc_n": np.zeros(Kn, np.int64),
        "cap_units": np.zeros((Kn, max(1, len(groups))), np.int64),
        # per rule set: the quarter cap, and per crediting reading the full-period figure
        # with the period's length in months (rules.behaviours, family "crediting")
        "QCAP": np.zeros(Kn, np.int64),
        "FU": {name: np.zeros(Kn, np.int64) for name in behaviours.names("crediting")},
        "PM": {},
        # per crediting reading: how it reads the contract's days (rules.behaviours.Reading)
        "CW": {},
    }
    maxc = max(len(rs.conditions) for rs in rsets)
    maxa = max(1, max(len(rs.age_categories) for rs in rsets))
    for name in ("rc_days", "rc_months", "rc_type", "rc_pdays", "rc_pyears", "rc_target", "rc_ratio", "rc_catmask"):
        a[name] = np.zeros((Kn, maxc), np.int64)
    a["rc_ratio"][:] = 1
    # per condition: the rule for a career that began inside the professional-past
    # period, as (numerator, denominator, weekday mask) of its registered reading; 0: none
    a["rc_late"] = np.zeros((Kn, maxc, 3), np.int64)
    a["rc_late"][:, :, 1] = 1
    a["rc_all"] = np.zeros((Kn, maxc), np.bool_)
    a["ra_from"] = np.zeros((Kn, maxa), np.int64)
    for k, rs in enumerate(rsets):
        for i, kd in enumerate(all_kinds):
            kr = rs.kind(kd)
            a["rk_treat"][k, i] = _TREAT[kr.treatment]
            a["rk_group"][k, i] = gi.get(kr.cap_group, 0)
            a["rk_minm"][k, i] = kr.min_months or 0
            a["rk_maxy"][k, i] = kr.max_years or 0
            a["rk_child"][k, i] = kr.until_child_age or 0
            # foreign work (ledger.Ledger.abroad): counted once followed by this much
            # Belgian work, in units
            a["rk_abneed"][k, i] = int((kr.requires_belgian_work_after or 0) * K.UNIT)
            a["rk_deem"][k, i] = rs.quarter_edges is not None and kd in rs.quarter_edges.kinds
        if rs.quarter_edges is not None:
            a["EWD"][k] = (1 << rs.quarter_edges.week_days) - 1
        cnt = rs.counting
        for nm, v in (("r", cnt.default_days_per_week), ("s", cnt.default_full_time_hours)):
            n, d, _ = dec_rational(np.array([v]))
            a[f"rk_def_{nm}"][k], a[f"rk_def_{nm}_n"][k], a[f"rk_def_{nm}_d"][k] = v, n[0], d[0]
        for name in behaviours.names("crediting"):
            r = behaviours.get("crediting", name).fn(cnt)
            a["FU"][name][k] = r.days * K.UNIT
            months = _PERIOD_MONTHS[r.period]
            if a["PM"].setdefault(name, months) != months or a["CW"].setdefault(name, r.contract_week) != r.contract_week:
                raise ValueError(f"rule set {rs.id}: the crediting reading {name!r} credits another period "
                                 f"or reads the contract otherwise than in the other rule sets of the book")
        a["QCAP"][k] = cnt.quarter_cap * K.UNIT
        a["rs_from"][k] = rs.valid_from.toordinal()
        a["rs_until"][k] = rs.valid_until.toordinal() if rs.valid_until else K.BIG
        a["rs_newdays"][k] = rs.new_days_rule
        a["ra_n"][k] = len(rs.age_categories)
        for j, (_, fa) in enumerate(rs.age_categories):
            a["ra_from"][k, j] = fa
        cats = [cid for cid, _ in rs.age_categories]
        a["rc_n"][k] = len(rs.conditions)
        for j, c in enumerate(rs.conditions):
            a["rc_days"][k, j] = c.days
            a["rc_months"][k, j] = c.months
            if c.kind not in _COND_CODE:
                raise ValueError(f"rule set {rs.id}: the population engine has no compiled form of the "
                                 f"condition kind {c.kind!r}")
            a["rc_type"][k, j] = _COND_CODE[c.kind]
            a["rc_pdays"][k, j] = c.past_days or 0
            a["rc_pyears"][k, j] = c.past_years or 0
            a["rc_target"][k, j] = c.eight_for_one_target or 0
            a["rc_ratio"][k, j] = c.eight_for_one_ratio or 1
            a["rc_all"][k, j] = c.categories is None
            if c.late_start is not None:
                if c.late_start.by not in _LATE_CODE:
                    raise ValueError(f"rule set {rs.id}: the population engine has no compiled form of the "
                                     f"professional-past reading {c.late_start.by!r}")
                a["rc_late"][k, j] = (c.late_start.numerator, c.late_start.denominator,
                                      (1 << c.late_start.week_days) - 1)
            m = 0
            for cat in c.categories or ():
                if cat in cats:
                    m |= 1 << cats.index(cat)
            a["rc_catmask"][k, j] = m
        for g, (v, _) in rs.caps.items():
            a["cap_units"][k, gi[g]] = int(v * K.UNIT)
    a["stops_rules"] = np.array([d.toordinal() for d in book.boundaries()], np.int64)
    a["ages"] = np.array(sorted({x for rs in rsets for x in rs.age_thresholds()}), np.int64)
    return EncodedBook(tuple(rs.id for rs in rsets),
                       tuple(tuple(c for c, _ in rs.age_categories) for rs in rsets),
                       tuple(tuple(c.id for c in rs.conditions) for rs in rsets),
                       tuple(tuple(c.days for c in rs.conditions) for rs in rsets),
                       tuple(tuple(c.months for c in rs.conditions) for rs in rsets),
                       a, min(rs.valid_from for rs in rsets), limits(book),
                       tuple({all_kinds.index(kd): kr.only_if for kd, kr in rs.kinds.items() if kr.only_if}
                             for rs in rsets),
                       tuple(tuple(rs.kind(kd).treatment for kd in all_kinds) for rs in rsets),
                       tuple(tuple(rs.kind(kd) for kd in all_kinds) for rs in rsets), all_kinds)


def _holiday_days() -> np.ndarray:
    """Ordinals of the Belgian public holidays 1950-2100, every weekday
    (:func:`art60kit.dates.holiday_ordinals`, kept on disk once read)."""
    from ..dates import holiday_ordinals

    return np.array(holiday_ordinals(), np.int64)


@lru_cache(maxsize=1)
def holiday_table() -> tuple[np.ndarray, int]:
    """Cumulative counts of Belgian public holidays on the pattern days of each regime
    (row n-1: the first n weekdays, Monday first), 1950-2100, from
    :func:`art60kit.dates.holiday_ordinals`."""
    base = date(1950, 1, 1).toordinal()
    n = date(2101, 1, 1).toordinal() - base
    days = _holiday_days()
    days = days[(days >= base) & (days < base + n)]
    weekday = (days - 1) % 7  # 0 = Monday, as date.weekday()
    hc = np.zeros((7, n + 1), np.int64)
    for i in range(7):
        h = np.zeros(n, np.int64)
        np.add.at(h, days[weekday <= i] - base, 1)
        hc[i, 1:] = np.cumsum(h)
    return hc, base


def extension_starts(book: EncodedBook, kind, a, child) -> np.ndarray:
    """Per career line (kernel order) and rule set, the first day the line's extending
    period can extend: the child's birth for inactivity to raise a child entered from
    an earlier day, else the line's start. Decided by the per-case ledger's own
    function (credit.extension_start), for the extending lines that give a child's
    birth date (without one, the function keeps the line's start)."""
    from ..credit import extension_start

    xa = np.repeat(a[:, None], len(book.ids), axis=1)
    for k, rules in enumerate(book.kind_rules):
        treat = book.treatments[k]
        for j in np.nonzero(child >= 0)[0]:
            rule = rules[int(kind[j])]
            if treat[kind[j]] == "extends":
                xa[j, k] = extension_start(rule, int(a[j]), int(child[j]))
    return np.ascontiguousarray(xa)


def extension_flags(book: EncodedBook, kind, a, b, sit, c_lo, c_hi) -> np.ndarray:
    """Per career line (kernel order), bit ``k`` set when the line's extending period
    does not meet its kind's extension condition under rule set ``k``, or the case
    cannot tell (the kernel then plans it as not extending, like the per-case planner).
    Decided by the registered behaviour itself (credit.extension_holds builds the same
    arguments from a case), for the few lines whose kind has such a condition."""
    from ..rules import behaviours

    xno = np.zeros(len(kind), np.int64)
    if not any(book.extension_conditions):
        return xno
    owner = np.repeat(np.arange(len(c_lo)), c_hi - c_lo)
    for k, conds in enumerate(book.extension_conditions):
        if not conds:
            continue
        treat = book.treatments[k]
        for j in np.nonzero(np.isin(kind, list(conds)))[0]:
            c = owner[j]
            others = tuple((int(a[x]), int(b[x]), treat[kind[x]]) for x in range(c_lo[c], c_hi[c]) if x != j)
            fn = behaviours.get("extension_condition", conds[int(kind[j])]).fn
            if fn(int(a[j]), int(b[j]), SITUATIONS[sit[j]] if sit[j] >= 0 else None, others) is not True:
                xno[j] |= 1 << k
    return xno
