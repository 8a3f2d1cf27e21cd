"""A case seen through one rule set, built, credited and judged by the compiled kernel.

The explanation, the verdicts it states, the right and the views read the ledger, the
window, the window credits and the conditions at one request day from here. Nothing is
computed in this module: it encodes the case (:func:`art60kit.batch.one.encode_case`)
for a rule book holding the one rule set, calls the kernel's own functions
(:func:`~art60kit.batch.kernel.build_ledgers`, :func:`~art60kit.batch.kernel.window_credit_slow`,
:func:`~art60kit.batch.kernel.ref_window`, :func:`~art60kit.batch.kernel.evaluate`), the
same that the end-date search runs, and gives their figures as the value types the
explanation states (:class:`~art60kit.credit.WindowCredit`,
:class:`~art60kit.window.Window`, rates as exact fractions ``6/R x Q/S``).

The parts of a credit (each occupation's units, the pattern days credited at its daily
rate and the whole periods credited as such, the capped absences, what passes the
quarter cap) are the same credit function over the ledger restricted to that part:
one occupation alone without the quarter cap is that occupation's units; at a rate of
one day a pattern day and a full-period figure of one unit, its pattern days (the whole
days) and its whole periods (the units left: a window holds far fewer than ten
thousand periods). What passes the quarter cap
is what the parts add beyond the total.

:func:`build_ledger` builds every case with the kernel's functions. A case whose figures
or sums do not fit the compiled kernel's 64-bit integers (a year's common denominator,
with hours spread over odd numbers of days on several lines; a figure with more than six
decimals) is built, credited and judged by the same functions run by the interpreter
with unbounded integers (:mod:`art60kit.batch.exact`), as the search plans it: its
ledger, windows, totals and parts are the kernel's like any other. It returns None only
for a case the kernel cannot build at all (none is known: :class:`DayByDayLedger`, the
reference engine's totals, then stands in).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Optional

import numpy as np
from dateutil.relativedelta import relativedelta

from .credit import (REASON_CONDITION_FAILS, REASON_SITUATION_UNKNOWN, UNIT, Extension, OccupationCredit,
                     WindowCredit, extension_holds)
from .model import Case
from .rules import RuleBook, RuleSet



@dataclass(frozen=True)
class _Alone(RuleBook):
    """A rule book of one rule set, knowing the kinds of line a case names that other
    rule sets add (the rule set reads them as neutral: :meth:`RuleSet.kind`)."""

    extra: tuple = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        own = super().kinds
        return own + tuple(k for k in self.extra if k not in own)


@lru_cache(maxsize=64)
def _encoded(rs: RuleSet, kinds: tuple):
    from .batch.one import encoded_book

    return encoded_book(_Alone((rs,), kinds))


@dataclass(frozen=True)
class Occupation:
    """The unit of rounding: one or more career lines of the same employer and regime
    (``lines``, career indexes), or the contract (``(-1,)``). ``rate``: the credit of a
    pattern day, exact."""

    key: str
    lines: tuple[int, ...]
    rate: Fraction
    mask: int
    full_time: bool


@dataclass(frozen=True)
class AbroadLine:
    """Foreign work that counts only once enough Belgian work follows it."""

    occupation: int
    line: int
    end: int
    needed_units: int


@dataclass(frozen=True, eq=False)
class Ledger:
    """The case seen through rule set ``rules_id`` under one crediting reading, as the
    compiled kernel built it; its credits and windows are the kernel's."""

    rules_id: str
    crediting: str
    occupations: tuple[Occupation, ...]
    extensions: tuple[Extension, ...]
    abroad: tuple[AbroadLine, ...]
    contract_index: int
    contract_start: int
    line_treatment: tuple[str, ...]
    event_treatment: tuple[str, ...]
    #: career start (first day of the working life under the rule set), ordinal
    career_start: int
    _w: dict = field(repr=False)
    #: kernel index of each extension of ``extensions``
    _xi: tuple = field(repr=False, default=())

    @property
    def contract(self) -> Occupation:
        return self.occupations[self.contract_index]

    @property
    def abroad_occupations(self) -> frozenset:
        return frozenset(ab.occupation for ab in self.abroad)

    def line_figures(self, i: int) -> Optional[tuple[Fraction, int]]:
        """The credit of a pattern day of career line ``i`` (exact: ``6/R x Q/S``, or its
        total spread over its pattern days) and its pattern (a weekday mask), as the
        kernel computed them; None for a line that credits nothing."""
        grp, led = self._w["grp"], self._w["led"]
        if grp.line_occ[i] >= 0:
            return Fraction(int(grp.ln_num[i]), int(grp.ln_den[i])), int(grp.ln_mask[i])
        if self.line_treatment[i] != "assimilated_capped":
            return None
        j = sum(1 for t in self.line_treatment[:i] if t == "assimilated_capped")
        return Fraction(int(led.cp_num[0, j]), int(led.cp_den[0, j])), int(led.cp_mask[0, j])

    # ------------------------------------------------------------------ credits

    def _credit(self, a: int, b: int, rounding: str, only_contract: bool, ab_ok, ab_mode: int,
                isab=None, num=None, den=None, FU=None, QCAP=None, n_cap=None, L=None, edges: int = 0) -> int:
        w = self._w
        K = w["K"]
        led = w["led"]._replace(ab_ok=ab_ok)
        if isab is not None:
            led = led._replace(o_isab=isab)
        if num is not None:
            led = led._replace(o_num=num)
        if den is not None:
            led = led._replace(o_den=den)
        if n_cap is not None:
            led = led._replace(n_cap=n_cap)
        crd = w["crd"]
        if FU is not None:
            crd = crd._replace(FU=FU)
        if QCAP is not None:
            crd = crd._replace(QCAP=QCAP)
        return int(K.window_credit_slow(0, a, b, only_contract, rounding == "onem", w["PM"],
                                        w["L"] if L is None else L, led, crd,
                                        w["qbuf"], w["ybuf"], ab_mode, edges))

    def _ab(self, abroad_ok: Optional[frozenset]):
        ab_ok = self._w["wide"](np.zeros(self._w["led"].o_isab.shape[1], np.bool_))
        for o in abroad_ok or ():
            ab_ok[o] = True
        return ab_ok, (0 if abroad_ok is None else 1)

    def abroad_ok(self, request: int, rounding: str) -> frozenset:
        """Foreign work whose follow-up condition (enough Belgian work after it, before
        the request) holds at ``request``: its occupations."""
        ok = set()
        none = self._w["wide"](np.zeros(self._w["led"].o_isab.shape[1], np.bool_))
        for ab in self.abroad:
            if ab.occupation not in ok and self._credit(ab.end + 1, request - 1, rounding, False, none, 0) \
                    >= ab.needed_units:
                ok.add(ab.occupation)
        return frozenset(ok)

    def credit(self, a: int, b: int, rounding: str = "onem", detail: bool = False,
               abroad_ok: Optional[frozenset] = None, only_contract: bool = False,
               edges: bool = False) -> WindowCredit:
        """Days credited in ``[a, b]`` (ordinals), in units. ``abroad_ok``: occupations
        of foreign work whose follow-up condition holds (foreign work not in it credits
        nothing). ``only_contract``: the contract and its events only. ``edges``: a
        reference period, whose first and last quarters follow the quarter-edge rule.
        ``detail``: with each occupation's credit in parts (work known only by its total
        with the days that rule deems inside), the capped absences, what the rule's
        start-quarter cap removes and what passes the quarter cap."""
        if b < a:
            return WindowCredit(0)
        ab_ok, mode = self._ab(abroad_ok)
        w = self._w
        total = self._credit(a, b, rounding, only_contract, ab_ok, mode, edges=1 if edges else 0)
        if not detail:
            return WindowCredit(total)
        n = int(w["led"].n_occ[0])
        wide = w["wide"]
        alone = np.ones_like(w["led"].o_isab)  # every occupation off unless named in ``one``
        no_q = w["no_q"]  # a quarter cap that never binds
        zero = wide(np.zeros(1, np.int64))
        parts, contract_units = [], 0
        fu = int(w["crd"].FU[0])
        part_edges = 2 if edges else 0  # the days deemed inside, without the start-quarter cap
        for o in range(n):
            if only_contract and o != self.contract_index:
                continue
            if w["led"].o_isab[0, o] and not ab_ok[o]:
                continue
            if w["led"].o_lastb[0, o] < a or w["led"].o_first[0, o] > b:
                continue
            one = np.zeros_like(ab_ok)
            one[o] = True
            units = self._credit(a, b, rounding, only_contract, one, 1, alone, QCAP=no_q, n_cap=zero,
                                 edges=part_edges)
            # at a rate of one day a pattern day and a full-period figure of one unit: the
            # whole days are the pattern days, the units left the whole periods
            unit_num, unit_den = w["led"].o_num.copy(), w["led"].o_den.copy()
            unit_num[0, o], unit_den[0, o] = 1, 1
            u = self._credit(a, b, rounding, only_contract, one, 1, alone, unit_num, unit_den,
                             wide(np.ones(1, np.int64)), no_q, zero, edges=part_edges)
            pattern, full = divmod(u, UNIT)
            if pattern == 0 and full == 0:
                continue
            occ = self.occupations[o]
            parts.append(OccupationCredit(occ.key, units, pattern, full,
                                          full * fu + Fraction(pattern * UNIT) * occ.rate))
            if o == self.contract_index:
                contract_units = units
        none = np.zeros_like(ab_ok)
        capped = self._credit(a, b, rounding, only_contract, none, 1, alone, QCAP=no_q) \
            if w["led"].n_cap[0] else 0
        edge_cut = 0
        if edges and any(w["led"].o_deem[0, :n]):
            # the start-quarter cap alone: every occupation, no quarter cap, with and without it
            edge_cut = (self._credit(a, b, rounding, only_contract, ab_ok, mode, QCAP=no_q, n_cap=zero, edges=2)
                        - self._credit(a, b, rounding, only_contract, ab_ok, mode, QCAP=no_q, n_cap=zero, edges=1))
        excess = sum(p.units for p in parts) + capped - edge_cut - total
        return WindowCredit(total, tuple(parts), capped, excess, contract_units, edge_cut)

    def contract_credit(self, end: int, rounding: str = "onem", detail: bool = False) -> WindowCredit:
        """The contract's own credit from its start to ``end`` (an ordinal): days to
        work. Counted as inside a window that began before the contract
        (:data:`~art60kit.credit.CONTRACT_LEAD_DAYS`), so that a quarter the contract
        covers completely counts in full even when it starts after a public holiday on
        the quarter's first working day (as it does in the window)."""
        from .credit import CONTRACT_LEAD_DAYS

        return self.credit(self.contract_start - CONTRACT_LEAD_DAYS, end, rounding, detail, only_contract=True)

    # ------------------------------------------------------------------ window

    def window(self, request: int, months: int, month_end: str = "clip", shift: str = "days"):
        """The (extended) window of ``months`` months before request day ``request``."""
        from .dates import minus_months
        from .window import Window

        w = self._w
        K = w["K"]
        ev = w["ev"]
        start, base = K.ref_window(request, months, month_end == "next_day", shift == "ymd", 0, w["ext"], ev.used,
                                   ev.ua, ev.ub)
        # in the order they extended: the latest first
        order = sorted((j for j, i in enumerate(self._xi) if ev.used[i]), key=lambda j: (-self.extensions[j].b, j))
        used = [self.extensions[j] for j in order]
        adjusted = minus_months(date.fromordinal(request), months)[1]
        return Window(int(start), request - 1, int(base), months, tuple(used), adjusted)

    # ------------------------------------------------------------------ conditions

    def conditions(self, request: int, birth: int, prior: int, rounding: str, month_end: str, shift: str):
        """The kernel's verdict at ``request``: ``(category, rows)``, one row per
        condition tried (kernel.CR_* columns); None when the rule set is not in force."""
        w = self._w
        K = w["K"]
        conds = w["conds"]
        nc = conds.rc_days.shape[1]
        res = w["wide"](np.zeros(K.R_NFIELDS, np.int64))
        cr = w["wide"](np.zeros((nc + 1, K.CR_NFIELDS), np.int64))
        ev = w["ev"]._replace(res=res, cr=cr)
        led = w["led"]
        opts = K.Opts(rounding == "onem", month_end == "next_day", shift == "ymd", w["PM"], False)
        ok = K.evaluate(request, birth, prior, w["L"], opts, conds, w["crd"], led, w["ext"], w["abr"], w["tab"], ev)
        if not ok:
            return None
        return int(res[K.R_CAT]), cr[:int(res[K.R_NCOND])]


def build_ledger(case: Case, rs: RuleSet, crediting: str = "quarter78") -> Optional[Ledger]:
    """The ledger of ``case`` under ``rs`` and crediting reading ``crediting`` (whose
    reading of the contract's days it applies), built by the kernel (compiled, or run by
    the interpreter with unbounded integers for a case whose figures or sums do not fit
    64 bits); None for a case the kernel cannot build at all."""
    return _build_cached(case, rs, crediting)


@lru_cache(maxsize=512)
def _build_cached(case: Case, rs: RuleSet, crediting: str) -> Optional[Ledger]:
    from .batch import kernel as K
    from .batch.one import encode_case
    from .batch.run import read_contract_arrays

    kinds = tuple(sorted({l.kind for l in case.career} | {e.kind for e in case.contract.events}))
    eb = _encoded(rs, kinds)
    a = read_contract_arrays(encode_case(case, eb), eb.arrays["CW"][crediting])
    w = None if a["c_skip"][0] else _build(case, eb, a, crediting, K, lambda x: x)
    if w is None:
        # figures or sums beyond the compiled kernel's 64-bit integers: the same
        # functions, run by the interpreter with unbounded integers (a figure the
        # compiled kernel could not hold read again exactly)
        from .batch.exact import UNBOUNDED, interpreted, wide

        if a["c_skip"][0]:
            a = read_contract_arrays(encode_case(case, eb, wide=True), eb.arrays["CW"][crediting])
        w = _build(case, eb, a, crediting, interpreted(), wide)
        if w is not None:
            w["no_q"] = np.array([UNBOUNDED], object)
    return _describe(case, rs, crediting, w) if w is not None else None


def _build(case: Case, eb, a: dict, crediting: str, K, wide) -> Optional[dict]:
    """The kernel's arrays of the case's ledger under ``eb``'s one rule set, built by
    ``K`` (the compiled kernel or its interpreted copy) on arrays passed through
    ``wide``; None when the compiled kernel cannot hold its figures exactly."""
    from .batch.book import holiday_table

    B = eb.arrays
    n, ne = len(case.career), len(case.contract.events)
    MO, MP, MC = n + 1, n + 2 * ne + 2, n + ne + 1
    i8 = lambda *s: wide(np.zeros(s, np.int64))  # noqa: E731
    bl = lambda *s: wide(np.zeros(s, np.bool_))  # noqa: E731
    one = lambda *s: wide(np.ones(s, np.int64))  # noqa: E731
    led = K.Ledger(o_num=i8(1, MO), o_den=one(1, MO), o_mask=i8(1, MO), o_ft=bl(1, MO),
                   o_first=i8(1, MO), o_lastb=i8(1, MO), o_pstart=i8(1, MO), o_pend=i8(1, MO), n_occ=i8(1),
                   contract_occ=i8(1), p_a=i8(1, MP), p_b=i8(1, MP), cp_a=i8(1, MC), cp_b=i8(1, MC),
                   cp_mask=i8(1, MC), cp_num=i8(1, MC), cp_den=one(1, MC), cp_group=i8(1, MC),
                   cp_career=bl(1, MC), n_cap=i8(1), o_isab=bl(1, MO), ab_ok=bl(MO), cst=i8(1), o_deem=bl(1, MO))
    ext = K.Ext(x_a=i8(1, MC), x_b=i8(1, MC), x_q=bl(1, MC), n_ext=i8(1))
    abr = K.Abroad(ab_occ=i8(1, MO), ab_end=i8(1, MO), ab_need=i8(1, MO), n_ab=i8(1))
    grp = K.Grouping(g_emp=i8(MO), g_num=i8(MO), g_den=i8(MO), g_mask=i8(MO), g_ft=bl(MO), g_deem=bl(MO), line_occ=i8(MO),
                     ln_num=i8(MO), ln_den=i8(MO), ln_mask=i8(MO))
    cases = K.Cases(*(wide(a[f]) for f in K.Cases._fields))
    lines = K.Lines(*(wide(a[f]) for f in K.Lines._fields))
    kinds = K.Kinds(*(wide(B[f]) for f in K.Kinds._fields))
    ok = K.build_ledgers(0, 1, cases, lines, kinds, led, ext, abr, grp)
    if not ok:
        return None
    # the common denominator of each calendar year (kernel.year_den), as the search
    # builds it; rates too large for exact 64-bit sums: None, as the search's FALLBACK
    n_occ, n_cap = int(led.n_occ[0]), int(led.n_cap[0])
    first_day = min([int(a["c_s0"][0])] + [int(led.o_first[0, o]) for o in range(n_occ)]
                    + [int(led.cp_a[0, i]) for i in range(n_cap)])
    last_day = max([int(a["c_s0"][0]) + K.HORIZON_DAYS] + [int(led.o_lastb[0, o]) for o in range(n_occ)]
                   + [int(led.cp_b[0, i]) for i in range(n_cap)])
    y_first = K.quarter_no(first_day) // 4

    L = wide(np.ones(K.quarter_no(last_day) // 4 - y_first + 2, np.int64))
    L[0] = y_first
    spans = [(led.o_num[0, o], led.o_den[0, o], led.o_first[0, o], led.o_lastb[0, o]) for o in range(n_occ)] + \
        [(led.cp_num[0, i], led.cp_den[0, i], led.cp_a[0, i], led.cp_b[0, i]) for i in range(n_cap)]
    # the limit's own Python function (a comparison: not worth loading compiled code)
    beyond = getattr(K.beyond, "py_func", K.beyond)
    for num, den, lo, hi in spans:
        if beyond(num, den) or not K.widen_year_dens(L, lo, hi, den):
            return None
    hc, hbase = holiday_table()
    conds = K.Conds(*(wide(B[f]) for f in K.Conds._fields))
    nc = conds.rc_days.shape[1]
    pm = B["PM"][crediting]
    crd = K.CreditRules(wide(B["cap_units"]), wide(B["FU"][crediting]), wide(B["QCAP"]), wide(B["EWD"]), wide(hc),
                        hbase)
    # what kernel.evaluate reads besides the ledger: the quarter tables are not built
    # here (no ledger has them: fast_ok False), so every credit is computed period by
    # period; the verdict's scratch as kernel.search.new_workspace makes it
    tab = K.Tables(qspan=i8(2), fast_ok=bl(1), built=bl(1), o_lo=i8(1, MO), o_span=i8(1, MO), o_pb=i8(1, MO),
                   PF=i8(1, 1), PD=i8(1, 1), EXa=i8(1, 1), EXc=i8(1, 1), YAa=i8(1, 1), YAc=i8(1, 1), qa_buf=i8(0),
                   qc_buf=i8(0), ycon=i8(4), chk=i8(3), eq=i8(16), qv=i8(16), eqa=i8(16), eqb=i8(16))
    ev = K.Verdict(res=i8(K.R_NFIELDS), cr=i8(nc + 1, K.CR_NFIELDS), used=bl(MC), ua=i8(MC), ub=i8(MC), wm=i8(nc),
                   ws=i8(nc), wbw=i8(nc), cache=i8(2 * nc + 2, 3), qbuf=i8(200), ybuf=i8(4))
    # a quarter cap that never binds (the parts of a credit): the largest that keeps
    # the compiled kernel's sums in 64 bits
    no_q = wide(np.array([(1 << 62) // int(max(L[1:]))], np.int64))
    return dict(led=led, ext=ext, abr=abr, grp=grp, L=L, conds=conds, crd=crd, PM=pm, tab=tab, ev=ev,
                qbuf=i8(200), ybuf=i8(4), K=K, wide=wide, no_q=no_q)


def _describe(case: Case, rs: RuleSet, crediting: str, w: dict) -> Ledger:
    """The ledger's descriptive parts from the kernel's arrays: occupations with their
    lines and exact rates, extending periods with the lines they come from."""
    led, ext, abr, grp = w["led"], w["ext"], w["abr"], w["grp"]
    n_occ = int(led.n_occ[0])
    members: dict[int, list[int]] = {}
    for j in range(len(case.career)):
        o = int(grp.line_occ[j])
        if o >= 0:
            members.setdefault(o, []).append(j)
    ci = int(led.contract_occ[0])
    occs = []
    for o in range(n_occ):
        lines = tuple(members.get(o, ())) if o != ci else (-1,)
        key = "contract" if o == ci else "career[" + ",".join(map(str, lines)) + "]"
        occs.append(Occupation(key, lines, Fraction(int(led.o_num[0, o]), int(led.o_den[0, o])),
                               int(led.o_mask[0, o]), bool(led.o_ft[0, o])))
    # extending periods: the kernel lists the career's lines in order, then the
    # contract's events by start and end (batch.one.encode_case)
    sources = [i for i, l in enumerate(case.career) if rs.kind(l.kind).treatment == "extends"]
    evs = sorted(range(len(case.contract.events)),
                 key=lambda j: (case.contract.events[j].start, case.contract.events[j].end))
    sources += [-(j + 1) for j in evs if rs.kind(case.contract.events[j].kind).treatment == "extends"]
    by_source = {}
    for xi, line in enumerate(sources):
        by_source[line] = (xi, _extension(case, rs, line, int(ext.x_a[0, xi]), int(ext.x_b[0, xi]),
                                          bool(ext.x_q[0, xi])))
    order = [i for i in range(len(case.career)) if i in by_source] + \
        [-(j + 1) for j in range(len(case.contract.events)) if -(j + 1) in by_source]
    exts = tuple(by_source[s][1] for s in order)
    xi = tuple(by_source[s][0] for s in order)
    # the kernel's foreign-work rows follow the career's lines
    ab_lines = [i for i, l in enumerate(case.career) if grp.line_occ[i] >= 0
                and rs.kind(l.kind).requires_belgian_work_after]
    abroad = tuple(AbroadLine(int(abr.ab_occ[0, j]), ab_lines[j], int(abr.ab_end[0, j]), int(abr.ab_need[0, j]))
                   for j in range(int(abr.n_ab[0])))
    treat = tuple(rs.kind(l.kind).treatment for l in case.career)
    etreat = tuple(rs.kind(e.kind).treatment for e in case.contract.events)
    cstart = int(w["led"].cst[0])  # the kernel's: the first line counted or assimilated, or the contract
    return Ledger(rs.id, crediting, tuple(occs), exts, abroad, ci, case.contract.start.toordinal(), treat, etreat,
                  cstart, w, xi)


def _extension(case: Case, rs: RuleSet, line: int, a: int, b: int, qualifies: bool) -> Extension:
    """An extending period as the kernel decided it (``[a, b]`` after its caps, whether it
    qualifies), with the words that say why it is cut or does not extend."""
    if line >= 0:
        src = case.career[line]
        kind, a0, b0, birth = src.kind, src.start.toordinal(), src.end.toordinal(), src.child_birth_date
    else:
        src = case.contract.events[-line - 1]
        kind, a0, b0, birth = src.kind, src.start.toordinal(), src.end.toordinal(), None
    rule = rs.kind(kind)
    holds = extension_holds(case, rs, line)
    if holds is None:
        return Extension(kind, a0, b0, a0, b0, line, rule, False, REASON_SITUATION_UNKNOWN, True)
    if not holds:
        return Extension(kind, a0, b0, a0, b0, line, rule, False, REASON_CONDITION_FAILS)
    reasons = []
    if a > a0:
        if a > b0:
            return Extension(kind, a0, b0, a0, b0, line, rule, False,
                             f"ends before the child's birth on {birth.isoformat()}")
        reasons.append(f"from the child's birth on {birth.isoformat()}")
    if not qualifies:
        # the kernel keeps the entered end of a period its caps leave nothing of, and the
        # capped end of one left too short: the words follow which of the two it is
        short = rule.min_months and (b < b0 or date.fromordinal(b0) < date.fromordinal(a) + relativedelta(
            months=rule.min_months) - relativedelta(days=1))
        if not short:
            return Extension(kind, a0, b0, a0, b0, line, rule, False, "entirely after the child's age limit")
        return Extension(kind, a, b, a0, b0, line, rule, False,
                         "; ".join(reasons + [f"shorter than {rule.min_months} months"]))
    if rule.until_child_age and birth is None:
        reasons.append(f"no child_birth_date: capped at {rule.until_child_age} years from its start")
    return Extension(kind, a, b, a0, b0, line, rule, True, "; ".join(reasons))


class DayByDayLedger:
    """The ledger of a case the kernel cannot build at all (none is known; the kernel's
    interpreted copy holds every figure exactly): its credits and windows as the
    day-by-day reference engine computes them, with exact fractions, the way the
    planner then plans such a case. It gives totals, not the parts of a credit, and no
    descriptive list of occupations or extending periods."""

    occupations: tuple = ()
    extensions: tuple = ()
    abroad: tuple = ()
    contract_index = 0

    def __init__(self, case: Case, rs: RuleSet, crediting: str):
        from .reference import _Book

        self.rules_id = rs.id
        self.crediting = crediting
        self.contract_start = case.contract.start.toordinal()
        self.line_treatment = tuple(rs.kind(l.kind).treatment for l in case.career)
        self.event_treatment = tuple(rs.kind(e.kind).treatment for e in case.contract.events)
        # the first day of the working life, read as the reference engine reads it
        self.career_start = min([l.start for l in case.career if rs.kind(l.kind).credits]
                                + [case.contract.start]).toordinal()
        self._book = _Book(case, rs, mon_sat=crediting == "mon_sat")
        c = case.contract
        days = self._book.occs[("contract",)].days
        rate = next(iter(days.values()))[0] if days else Fraction(0)
        self.contract = Occupation("contract", (-1,), rate, 0, c.full_time)

    def line_figures(self, i: int) -> None:
        """Not stated for such a case: its lines' figures are what the kernel cannot hold."""
        return None

    def _options(self, rounding: str):
        from .model import Options

        return Options(crediting=self.crediting, rounding=rounding)

    def credit(self, a: int, b: int, rounding: str = "onem", detail: bool = False,
               abroad_ok: Optional[frozenset] = None, only_contract: bool = False,
               edges: bool = False) -> WindowCredit:
        exact = self._book.credit(date.fromordinal(a), date.fromordinal(b), self._options(rounding),
                                  set(abroad_ok or ()), only_contract, edges=edges)
        return WindowCredit(int(exact * UNIT))

    def contract_credit(self, end: int, rounding: str = "onem", detail: bool = False) -> WindowCredit:
        from .credit import CONTRACT_LEAD_DAYS

        return self.credit(self.contract_start - CONTRACT_LEAD_DAYS, end, rounding, only_contract=True)

    def abroad_ok(self, request: int, rounding: str) -> frozenset:
        opts = self._options(rounding)
        return frozenset(key for key, end, need in self._book.abroad
                         if self._book.credit(end + date.resolution, date.fromordinal(request - 1), opts, set()) >= need)

    def window(self, request: int, months: int, month_end: str = "clip", shift: str = "days"):
        from .dates import minus_months
        from .model import Options
        from .reference import _window
        from .window import Window

        D = date.fromordinal(request)
        start, end = _window(D, months, self._book.exts, Options(month_end=month_end, extension_shift=shift))
        base, adjusted = minus_months(D, months, "next_day" if month_end == "next_day" else "clip")
        return Window(start.toordinal(), end.toordinal(), base.toordinal(), months, (), adjusted)
