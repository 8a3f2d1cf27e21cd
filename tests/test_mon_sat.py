"""The crediting reading ``mon_sat``: ONEM's counting of a quarter not yet declared in
the DmfA, applied to the article 60 contract (full time: every calendar day Monday to
Saturday counts one day; part time: calendar days x Q/7 x 6/S). Whole quarters and the
career's lines are credited as under the default reading.

Each figure below is worked by hand in its test; the planner, the population engine
and the reference engine must agree on it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from art60kit.caseio import case_from_dict
from art60kit.credit import UNIT
from art60kit.ledger import build_ledger
from art60kit.explain import plan_steps
from art60kit.model import Options
from art60kit.planner import plan
from art60kit.reference import reference_plan
from art60kit.rules import default_rulebook

BOOK = default_rulebook()
RS = BOOK.for_date(date(2026, 4, 1))
MON_SAT = Options(crediting="mon_sat")


def _case(start="2026-04-13", career=(), **contract):
    return case_from_dict({"case_id": "c", "person": {"birth_date": "1992-03-15"},
                           "contract": dict({"start": start}, **contract), "career": list(career)})


def _contract_units(case, a, b, crediting):
    led = build_ledger(case, RS, crediting)
    return led.credit(a.toordinal(), b.toordinal(), "exact", only_contract=True).units


def test_full_time_counts_every_day_monday_to_saturday():
    """Contract of five days a week from Monday 13/04/2026. Friday 17/04 to Saturday
    25/04 (not a whole quarter): Monday to Saturday = 8 days under ``mon_sat``;
    Monday to Friday = 6 days x 6/5 = 7.2 under the default reading."""
    case = _case(days_per_week=5)
    a, b = date(2026, 4, 17), date(2026, 4, 25)
    assert _contract_units(case, a, b, "mon_sat") == 8 * UNIT
    assert _contract_units(case, a, b, "quarter78") == 72_000
    # a whole week gives six days under both readings
    a, b = date(2026, 4, 13), date(2026, 4, 19)
    assert _contract_units(case, a, b, "mon_sat") == _contract_units(case, a, b, "quarter78") == 6 * UNIT


def test_part_time_counts_calendar_days_at_q_over_7_times_6_over_s():
    """Half time (19 h of 38) over 14 calendar days: 14 x 19/7 x 6/38 = 6 days,
    whatever the days worked in the week."""
    case = _case(days_per_week=3, weekly_hours=19, full_time_hours=38)
    assert _contract_units(case, date(2026, 4, 15), date(2026, 4, 28), "mon_sat") == 6 * UNIT


def test_whole_quarter_still_credits_the_rule_sets_figure():
    """A whole calendar quarter of full-time work credits 78 days under ``mon_sat`` too
    (Q3 2026 has 79 days Monday to Saturday)."""
    case = _case(start="2026-06-01", days_per_week=5)
    assert _contract_units(case, date(2026, 7, 1), date(2026, 9, 30), "mon_sat") == 78 * UNIT


def test_the_verdict_keeps_the_case_as_entered():
    case = _case(days_per_week=5)
    p = plan(case, options=MON_SAT, sensitivity=False)
    assert p.verdict.case.contract.days_per_week == 5


def _ends_by_start(options):
    out = {}
    for k in range(7):
        start = date(2026, 4, 13) + timedelta(days=k)
        case = _case(start=start.isoformat(), days_per_week=5,
                     career=[{"kind": "work", "start": "2025-01-06", "end": "2025-12-31", "employer": "A"}])
        p = plan(case, options=options, sensitivity=False)
        r = reference_plan(case, options=options)
        assert (p.end_date, p.days_to_work) == (r.end_date, r.days_to_work), (start, options)
        out[start] = p
    return out


def test_a_five_day_contract_can_end_on_a_saturday_only_under_mon_sat():
    """Under the default reading a Saturday credits nothing to a contract of five days
    a week, so the earliest end is never a Saturday; under ``mon_sat`` it can be. The
    planner equals the reference engine for each start day of a week."""
    default = _ends_by_start(Options())
    mon_sat = _ends_by_start(MON_SAT)
    assert all(p.end_date.weekday() < 5 for p in default.values())
    assert any(p.end_date.weekday() == 5 for p in mon_sat.values())


def test_sensitivity_and_explanation_name_the_reading():
    """When the reading changes the end date, the plan's sensitivity lists it, and the
    explanation under it says the contract's days run Monday to Saturday, with parts
    that re-add to the contract's total."""
    mon_sat = _ends_by_start(MON_SAT)
    start, p_ms = next((s, p) for s, p in mon_sat.items() if p.end_date.weekday() == 5)
    case = p_ms.case
    p = plan(case)
    alt = [s for s in p.sensitivity if (s.option, s.value) == ("crediting", "mon_sat")]
    assert alt and alt[0].end_date == p_ms.end_date != p.end_date
    steps = {s.id: s for s in plan_steps(plan(case, options=MON_SAT, sensitivity=False), "fr")}
    contract = steps["contract"]
    assert "(jours du lundi au samedi)" in contract.text
    total = contract.values["sum"]
    assert sum(total["parts"]) == pytest.approx(total["total"]) == pytest.approx(contract.values["contract_units"])
    assert "mon_sat" not in contract.text


def test_population_engine_reads_the_contract_the_same_way():
    """The population engine (compiled search over a population) gives the per-case
    planner's figures under ``mon_sat``."""
    pytest.importorskip("numba")
    from art60kit.batch.one import encode_case, encoded_book, search

    for p in _ends_by_start(MON_SAT).values():
        f = search(p.case, BOOK, MON_SAT, encode_case(p.case, encoded_book(BOOK)))
        assert (date.fromordinal(f.end), f.days) == (p.end_date, p.days_to_work)


def test_cli_accepts_the_reading(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "art60kit", "plan", "examples/demo-001.yaml", "--crediting",
                          "mon_sat", "--lang", "nl"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "mon_sat" not in out.stdout
