"""Every worked example and expert scenario of tests/worked_examples/*.yaml.

A failing example names its id and source, so that an expert can see which published
figure the toolkit no longer reproduces.
"""
from datetime import date
from pathlib import Path

import pytest

from art60kit.admissibility import check
from art60kit.caseio import case_from_dict, parse_text
from art60kit.credit import UNIT, counted_days
from art60kit.ledger import build_ledger
from art60kit.model import Case, Options
from art60kit.planner import plan
from art60kit.rules import default_rulebook

HERE = Path(__file__).parent / "worked_examples"


def _examples():
    for f in sorted(HERE.glob("*.yaml")):
        data = parse_text(f.read_text(encoding="utf-8"), str(f))
        for ex in data["examples"]:
            # pending: a published figure the toolkit does not reproduce yet; the test
            # fails as soon as it does, so that the mark is removed
            marks = [pytest.mark.xfail(strict=True, reason=ex["pending"])] if ex.get("pending") else []
            yield pytest.param(f.name, ex, id=f"{f.stem}:{ex['id']}", marks=marks)


def _d(v):
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        return date.fromisoformat(v)
    return v


def _case(ex) -> Case:
    case = case_from_dict(ex["case"], source=ex["id"])
    if ex.get("options"):
        case = case.with_options(**ex["options"])
    return case


@pytest.mark.parametrize("fname,ex", list(_examples()))
def test_worked_example(fname, ex):
    case = _case(ex)
    exp = ex["expect"]
    where = f"{ex['id']} ({ex['source']})"
    book = default_rulebook()
    opts = case.options
    if "line_credits" in exp or "total_days" in exp:
        rs = book.get(ex["rules"])
        if "line_credits" in exp:
            for i, (line, want) in enumerate(zip(case.career, exp["line_credits"])):
                one = Case(case.case_id, case.person, case.contract, (line,), options=opts)
                led = build_ledger(one, rs, opts.crediting)
                got = led.credit(line.start.toordinal(), line.end.toordinal(), opts.rounding).units
                assert got / UNIT == pytest.approx(want, abs=1e-9), f"{where}: line {i + 1} credits {got / UNIT}, expected {want}"
        if "total_days" in exp:
            led = build_ledger(case, rs, opts.crediting)
            a = min(l.start for l in case.career).toordinal()
            b = max(l.end for l in case.career).toordinal()
            units = led.credit(a, b, opts.rounding).units
            assert counted_days(units, opts.rounding) == exp["total_days"], f"{where}: total {units / UNIT}"
    if "check" in exp:
        c = exp["check"]
        v = check(case, _d(c["date"]))
        # a window length picks that condition's window (a person may use several)
        if "of" in c:  # a condition's own figures, named by its id
            r = next(r for r in v.results if r.condition.id == c["of"])
        elif "months" in c:
            r = next(r for r in v.results if r.condition.months == c["months"])
        else:
            r = v.closest
        got = {"admissible": v.admissible, "months": r.condition.months, "window_start": date.fromordinal(r.window.start),
               "window_end": date.fromordinal(r.window.end), "extended_by_days": r.window.extended_by_days,
               "days_counted": r.counted, "days_required": r.required, "condition": r.condition.id,
               "age_category": v.category, "rules": v.rules.id, "satisfied": r.satisfied,
               "past_counted": r.past_counted, "past_required": r.past_required,
               "past_working_days": r.working_days,
               "career_start": date.fromordinal(r.career_start) if r.career_start else None,
               "past_end": date.fromordinal(r.past_end) if r.past_end else None}
        for k, want in c.items():
            if k in ("date", "of"):
                continue
            assert got[k] == _d(want), f"{where}: check.{k} = {got[k]}, expected {want}"
    if "plan" in exp:
        p = plan(case, sensitivity=False)
        got = {"end_date": p.end_date, "days_to_work": p.days_to_work, "days_required": p.days_required,
               "rules": p.rules, "age_category": p.age_category, "condition": p.verdict.closest.condition.id,
               "already_admissible": p.already_admissible, "dispense_de_stage": p.dispense_de_stage,
               "subsidy_days_beyond": p.beside.subsidy.days_beyond}
        for k, want in exp["plan"].items():
            assert got[k] == _d(want), f"{where}: plan.{k} = {got[k]}, expected {want}"
    if "right" in exp:
        # the right a request on `date` opens (art. 114), the days counted as for the admission
        from art60kit.right import benefit_right, beside_rules, professional_past_days

        c = exp["right"]
        D = _d(c["date"])
        rs = book.for_date(D)
        r = benefit_right(beside_rules(rs), D, case.person.birth_date, professional_past_days(case, rs, D, opts),
                          c.get("days_for_admission", 312), case.person.days_used_for_extension,
                          case.person.right_exemption, case.person.career_years, opts.month_end)
        got = {"end": r.end, "limited": r.limited, "extra_months": r.extra_months, "months": r.months,
               "professional_past_days": r.past_days, "days_for_extension": r.days_for_extension,
               "exemption": r.exemption, "computed": r.computed}
        for k, want in c.items():
            if k in ("date", "days_for_admission"):
                continue
            assert got[k] == _d(want), f"{where}: right.{k} = {got[k]}, expected {want}"
    if "plan_alternative" in exp:
        # facts the case does not state: the other reading is planned too
        p = plan(case, sensitivity=False)
        assert len(p.alternatives) == 1, f"{where}: {len(p.alternatives)} alternative plans"
        alt = p.alternatives[0].as_dict()
        for k, want in exp["plan_alternative"].items():
            assert alt[k] == (want.isoformat() if isinstance(want, date) else want), \
                f"{where}: plan_alternative.{k} = {alt[k]}, expected {want}"
