"""The earliest contract end date.

The contract's last day ``E`` is the earliest day such that the person is admissible at
request date ``D = E + 1`` (read from the rules, not published by ONEM; docs/design.md).
While the contract runs, old days slide out of the window,
the age category can change (36, 50), the rule set changes on 1 March 2026, and events
during the contract add nothing (non-assimilated absences), count (assimilated ones) or
extend the window. A person already admissible at the contract start needs no contract
(``already_admissible``).

Search. Admissibility is not monotone in ``D`` (a category change or the reform can make
a later date easier *or* harder), so the search walks forward from the contract start
and only skips days it can prove are not admissible. It is written once, compiled
(:func:`art60kit.batch.kernel.plan_block`), and used for one case here and for a
population by :mod:`art60kit.batch.engine`: this module encodes the case
(:mod:`art60kit.batch.one`), reads the request day, the contract's days and the naive
end from it, and takes the verdicts at the contract start and at the request day from
:func:`art60kit.admissibility.evaluate` for the explanation. The day-by-day reference
engine :mod:`art60kit.reference` checks the search on generated cases.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Optional

from .admissibility import Verdict, case_ledger, evaluate
from .credit import HORIZON_DAYS, UNIT
from .derived_lines import OPTIONS as DERIVED_OPTIONS, could_change, derive
from .errors import AmbiguityError, InputError, Problem
from .model import Case, Options
from .rules import RuleBook, default_rulebook



@dataclass(frozen=True)
class Sensitivity:
    option: str
    value: str
    end_date: Optional[date]
    days_to_work: Optional[int]


@dataclass(frozen=True)
class Alternative:
    """The plan under another reading of facts the case does not state: ``assuming``
    maps a field path (``career[2].situation``) to the value assumed."""

    assuming: tuple[tuple[str, str], ...]
    end_date: Optional[date]
    days_to_work: int
    already_admissible: bool

    def as_dict(self) -> dict:
        return {"assuming": dict(self.assuming),
                "end_date": self.end_date.isoformat() if self.end_date else None,
                "days_to_work": self.days_to_work, "already_admissible": self.already_admissible}


@dataclass(frozen=True)
class Plan:
    case: Case
    options: Options
    verdict: Verdict  # at the request date (or at the contract start if already admissible)
    start_verdict: Verdict  # at the contract start, before any contract day
    end_date: Optional[date]
    request_date: Optional[date]
    days_to_work: int
    contract_units: int
    already_admissible: bool
    reachable: bool
    naive_end_date: Optional[date]
    evaluations: int
    sensitivity: tuple[Sensitivity, ...] = ()
    warnings: tuple[str, ...] = ()
    steps: tuple = field(default=(), compare=False)
    #: the rule book the plan was made with (views re-check with the same rules)
    book: Optional[RuleBook] = field(default=None, compare=False, repr=False)
    #: the right the request opens, the dispense, the subsidy limit (art60kit.right)
    beside: Optional[object] = field(default=None, compare=False, repr=False)
    #: the plan under the other reading of facts the case does not state (an extending
    #: period whose condition it cannot decide), when that changes the end date
    alternatives: tuple[Alternative, ...] = ()

    @property
    def dispense_de_stage(self) -> bool:
        """The contract start falls inside a right opened earlier (art. 42): no
        contract is needed to open a right (``end_date`` is None)."""
        return self.beside is not None and self.beside.dispense is not None

    @property
    def rules(self) -> str:
        return self.verdict.rules.id

    @property
    def days_required(self) -> int:
        return self.verdict.closest.required

    @property
    def age_category(self) -> Optional[str]:
        return self.verdict.category

    @property
    def window(self):
        return self.verdict.closest.window

    @property
    def past_units(self) -> int:
        r = self.verdict.closest
        return max(0, r.units - (self.contract_units if self.request_date else 0))

    def to_dict(self, lang: str = "en") -> dict:
        """The ``plan --json`` result (case-format.md)."""
        from .explain import plan_steps, plan_warnings

        r = self.verdict.closest
        steps = self.steps or plan_steps(self, lang)
        d = {
            "case_id": self.case.case_id,
            "rules": self.rules,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "request_date": self.request_date.isoformat() if self.request_date else None,
            "days_required": r.required,
            "days_to_work": self.days_to_work,
            "past_days_in_window": round(self.past_units / UNIT, 4),
            "age_category": self.age_category,
            "window": r.window.as_dict(),
            "condition": r.as_dict(),
            "already_admissible": self.already_admissible,
            "reachable": self.reachable,
            "naive_end_date": self.naive_end_date.isoformat() if self.naive_end_date else None,
            "options": self.options.as_dict(),
            "options_that_mattered": [
                {"option": s.option, "value": s.value,
                 "end_date": s.end_date.isoformat() if s.end_date else None,
                 "days_to_work": s.days_to_work} for s in self.sensitivity],
            "alternatives": [a.as_dict() for a in self.alternatives],
            "steps": [s.as_dict() for s in steps],
            "warnings": plan_warnings(self, lang),
        }
        if self.beside is not None:
            d.update(self.beside.as_dict())
        return d


def _found(case: Case, book: RuleBook, options: Options, arrays: Optional[dict] = None,
           entered: Optional[Case] = None):
    """The compiled search's answer for ``case`` (:func:`art60kit.batch.one.search`).
    (a case whose figures or sums lie beyond the compiled search's 64-bit integers is
    searched by the same source run by the interpreter, :mod:`art60kit.batch.exact`).
    A case neither can plan (none is known) is planned by the day-by-day reference
    engine, which applies the same rules with exact fractions, only more slowly; it
    reads the case as entered (``entered``: before the lines the law adds, which it
    derives its own way)."""
    from .batch import kernel as K
    from .batch.one import Found, search

    f = search(case, book, options, arrays)
    if f.status == K.OK:
        return f
    if f.status == K.ERROR_NO_RULES:
        # the day without a rule set, named as the rule book names it
        s0 = case.contract.start.toordinal()
        for d in range(s0, s0 + HORIZON_DAYS + 1):
            book.for_date(date.fromordinal(d))
    from .reference import reference_plan

    r = reference_plan(entered if entered is not None else case, book, options)
    evaluations = (r.request_date - case.contract.start).days + 1 if r.request_date else HORIZON_DAYS + 1
    if r.already_admissible:
        return Found(K.OK, case.contract.start.toordinal(), None, True, True, 0, 0, None, evaluations)
    if r.request_date is None:
        return Found(K.OK, None, None, False, False, 0, 0, None, evaluations)
    rs = book.for_date(r.request_date)
    units = case_ledger(case, rs, options.crediting).contract_credit(r.end_date.toordinal(), options.rounding).units
    return Found(K.OK, r.request_date.toordinal(), r.end_date.toordinal(), False, True, r.days_to_work, units,
                 None, evaluations)


def _plan_core(case: Case, book: RuleBook, options: Options, arrays: Optional[dict] = None,
               entered: Optional[Case] = None) -> Plan:
    """The plan from the compiled search's answer, with the verdicts at the contract
    start and at the request day that the explanation reads."""
    f = _found(case, book, options, arrays, entered)
    warnings = tuple(str(w) for w in case.warnings)
    first = evaluate(case, case.contract.start, book, options)
    naive = date.fromordinal(f.naive_end) if f.naive_end is not None else None
    if f.already:
        return Plan(case, options, first, first, None, case.contract.start, 0, 0, True, True, None, f.evaluations,
                    warnings=warnings)
    if f.request is None:
        return Plan(case, options, first, first, None, None, 0, 0, False, False, naive, f.evaluations,
                    warnings=warnings)
    request = date.fromordinal(f.request)
    v = evaluate(case, request, book, options)
    return Plan(case, options, v, first, date.fromordinal(f.end), request, f.days, f.units, False, True, naive,
                f.evaluations, warnings=warnings)


def _relevant_alternatives(options: Options, case: Case, book: RuleBook):
    """The other reading of each interpretation option (``refuse`` is planned as both
    month-end readings by :func:`plan` itself). The readings of the career lines the
    law adds (art60kit.derived_lines) only when the case has a line they treat
    differently."""
    alts = []
    if options.month_end != "refuse":
        alts.append(("month_end", "next_day" if options.month_end == "clip" else "clip"))
    for opt, values in Options.CHOICES.items():
        if opt == "month_end" or (opt in DERIVED_OPTIONS and not could_change(case, book, opt)):
            continue
        for value in values:
            if value != getattr(options, opt):
                alts.append((opt, value))
    return alts


def plan(case: Case, book: Optional[RuleBook] = None, options: Optional[Options] = None,
         sensitivity: bool = True, lang: str = "en") -> Plan:
    """Plan the contract: earliest end date, days to work, and (with ``sensitivity``)
    which interpretation options would have changed the result.

    With ``month_end="refuse"``, raises :class:`AmbiguityError` when the two month-end
    readings give different end dates.
    """
    from .explain import plan_steps
    from .right import beside_for_plan, dispense_for_case

    if case.uncertain:  # intervals are resolved by art60kit.uncertain.plan_range, never here
        raise InputError([Problem(case.source, path, "uncertain value: plan the range of end dates "
                                  "(art60kit.uncertain.plan_range) instead of one end date")
                          for path, _ in case.uncertain])
    book = book or default_rulebook()
    options = options or case.options
    entered = case
    case = derive(case, book, options)  # career lines the law adds (art60kit.derived_lines)
    disp = dispense_for_case(case, book)
    if disp is not None:
        # art. 42: a request at the contract start is exempt from the stage; no search
        first = evaluate(case, case.contract.start, book, options)
        result = Plan(case, options, first, first, None, case.contract.start, 0, 0, first.admissible, True, None, 1,
                      warnings=tuple(str(w) for w in case.warnings), book=book,
                      beside=beside_for_plan(case, book, options, None, None, None, disp))
        return replace(result, steps=tuple(plan_steps(result, lang)))
    from .batch.one import encode_case, encoded_book

    arrays = encode_case(case, encoded_book(book))  # once: the options are the search's flags
    if options.month_end == "refuse":
        a = _plan_core(case, book, options.with_(month_end="clip"), arrays, entered)
        b = _plan_core(case, book, options.with_(month_end="next_day"), arrays, entered)
        if a.end_date != b.end_date:
            raise AmbiguityError([Problem(case.source, "options.month_end",
                f"the result depends on the month-end reading of the window (clip: "
                f"{a.end_date}, next_day: {b.end_date}); choose one of clip, next_day")])
        result = replace(a, options=options)
    else:
        result = _plan_core(case, book, options, arrays, entered)
    sens = []
    warnings = list(result.warnings)
    if sensitivity:
        for opt, value in _relevant_alternatives(options, case, book):
            o = options.with_(**{opt: value})
            if opt in DERIVED_OPTIONS:  # other lines: derived again from the case as entered
                c = derive(entered, book, o)
                alt = _found(c, book, o, encode_case(c, encoded_book(book)), entered)
            else:
                alt = _found(case, book, o, arrays, entered)
            alt_end = date.fromordinal(alt.end) if alt.end is not None else None
            if alt_end != result.end_date or alt.already != result.already_admissible:
                sens.append(Sensitivity(opt, value, alt_end, alt.days))
    result = replace(result, sensitivity=tuple(sens), warnings=tuple(warnings), book=book,
                     beside=beside_for_plan(case, book, options, result.request_date, result.end_date,
                                            result.days_required if result.request_date else None),
                     alternatives=_alternatives(case, book, options, result))
    return replace(result, steps=tuple(plan_steps(result, lang)))


def undetermined_lines(case: Case, book: RuleBook) -> tuple[int, ...]:
    """Career lines whose extending period meets a condition the case cannot decide
    under some rule set of ``book`` (e.g. detention without the person's situation)."""
    from .credit import extension_holds

    out = set()
    for rs in book.rule_sets:
        for i, line in enumerate(case.career):
            if rs.kind(line.kind).treatment == "extends" and extension_holds(case, rs, i) is None:
                out.add(i)
    return tuple(sorted(out))


def _alternatives(case: Case, book: RuleBook, options: Options, result: Plan) -> tuple[Alternative, ...]:
    """Plan again assuming the person was employed when each undecided period began
    (the reading under which it extends); kept when the end date differs. The result
    itself assumes the periods do not extend, so the two end dates bound the answer."""
    lines = undetermined_lines(case, book)
    if not lines:
        return ()
    career = list(case.career)
    for i in lines:
        career[i] = replace(career[i], situation="employment")
    alt = _found(replace(case, career=tuple(career)), book, options)
    alt_end = date.fromordinal(alt.end) if alt.end is not None else None
    if alt_end == result.end_date and alt.already == result.already_admissible:
        return ()
    return (Alternative(tuple((f"career[{i}].situation", "employment") for i in lines), alt_end,
                        alt.days, alt.already),)
