"""The ledger the explanation reads (art60kit.ledger): the compiled kernel's credits and
windows for one case, against the day-by-day reference engine (hypothesis), and the
parts of a credit re-adding to it."""
from datetime import date
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from art60kit.caseio import case_from_dict
from art60kit.derived_lines import derive
from art60kit.ledger import DayByDayLedger, build_ledger
from art60kit.model import Options
from art60kit.rules import default_rulebook

from strategies import cases, late_career_cases, overlapping_extension_cases

BOOK = default_rulebook()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
READINGS = st.builds(Options, crediting=st.sampled_from(["quarter78", "month26", "mon_sat"]),
                     rounding=st.sampled_from(["onem", "exact"]), month_end=st.sampled_from(["clip", "next_day"]),
                     extension_shift=st.sampled_from(["days", "ymd"]))


def _check(case, opts, k, back, length, months):
    case = derive(case, BOOK, opts)
    D = case.contract.start.toordinal() + k
    rs = BOOK.for_date(date.fromordinal(D))
    led, ref = build_ledger(case, rs, opts.crediting), DayByDayLedger(case, rs, opts.crediting)
    assert led is not None
    a = D - back
    b = min(D - 1, a + length)
    got = led.credit(a, b, opts.rounding, detail=True, abroad_ok=led.abroad_ok(D, opts.rounding))
    assert got.units == ref.credit(a, b, opts.rounding, abroad_ok=ref.abroad_ok(D, opts.rounding)).units
    # the parts re-add to the total: each occupation, the capped absences, minus what
    # passes the quarter cap
    assert sum(p.units for p in got.occupations) + got.capped_units - got.quarter_excess_units == got.units
    contract = led.contract_credit(D - 1, opts.rounding, detail=True)
    assert contract.units == ref.contract_credit(D - 1, opts.rounding).units
    w, rw = led.window(D, months, opts.month_end, opts.extension_shift), \
        ref.window(D, months, opts.month_end, opts.extension_shift)
    assert (w.start, w.end, w.base_start, w.month_end_adjusted) == \
        (rw.start, rw.end, rw.base_start, rw.month_end_adjusted)
    if opts.extension_shift == "days":  # each day of the periods used extends once
        assert sum(min(e.b, D - 1) - e.a + 1 for e in w.used) >= w.extended_by_days >= 0


@SETTINGS
@given(st.one_of(cases(), late_career_cases(), overlapping_extension_cases()), READINGS, st.integers(0, 700),
       st.integers(1, 4000), st.integers(0, 1200), st.sampled_from([12, 18, 21, 24, 33]))
def test_credits_and_windows_equal_the_reference_engine(case, opts, k, back, length, months):
    _check(case, opts, k, back, length, months)


def test_parts_of_a_credit():
    """Two lines of one employer are one occupation; a whole quarter of full-time work
    counts as a full period, the days of a part-time line at its rate."""
    case = case_from_dict({
        "person": {"birth_date": "1990-01-01"}, "contract": {"start": "2025-09-01"},
        "career": [{"kind": "work", "start": "2025-01-01", "end": "2025-02-14", "employer": "A"},
                   {"kind": "work", "start": "2025-02-15", "end": "2025-03-31", "employer": "A"},
                   {"kind": "work", "start": "2025-04-07", "end": "2025-04-11", "weekly_hours": 19}]})
    rs = BOOK.for_date(date(2025, 9, 1))
    led = build_ledger(case, rs)
    assert [o.key for o in led.occupations] == ["career[0,1]", "career[2]", "contract"]
    wc = led.credit(date(2025, 1, 1).toordinal(), date(2025, 6, 30).toordinal(), detail=True)
    a, b = wc.occupations
    assert (a.key, a.full_periods, a.pattern_days) == ("career[0,1]", 1, 0)
    assert (b.key, b.full_periods, b.pattern_days, b.units) == ("career[2]", 0, 5, 30_000)
    assert wc.units == a.units + b.units and wc.capped_units == wc.quarter_excess_units == 0
    assert led.occupations[1].rate == Fraction(6 * 19, 5 * 38)  # 6/R x Q/S
    assert led.line_figures(2) == (Fraction(6 * 19, 5 * 38), 0b0011111)  # Monday to Friday
    assert date.fromordinal(led.window(date(2025, 9, 1).toordinal(), 18).start) == date(2024, 3, 1)


def test_sums_beyond_the_compiled_integers_are_the_interpreted_kernels():
    """Working times with six decimals on several lines of one year: their sum over a
    quarter does not fit the compiled kernel's exact integers. The ledger is built,
    credited and judged by the same functions run by the interpreter with unbounded
    integers: totals equal to the reference engine's, each occupation's part, parts
    that re-add, the verdict at a request day."""
    career = [{"kind": "work", "start": "2025-01-06", "end": "2025-12-19", "employer": e,
               "weekly_hours": q, "full_time_hours": s}
              for e, q, s in (("A", 19.123457, 38.765431), ("B", 7.654323, 37.123451), ("C", 3.111119, 38.987653))]
    case = case_from_dict({"person": {"birth_date": "1990-01-01"}, "contract": {"start": "2026-03-02"},
                           "career": career})
    rs = BOOK.for_date(date(2026, 3, 2))
    led, ref = build_ledger(case, rs), DayByDayLedger(case, rs, "quarter78")
    assert led._w["K"].__name__.endswith("kernel_interpreted")
    a, b = date(2025, 1, 1).toordinal(), date(2026, 5, 29).toordinal()
    wc = led.credit(a, b, detail=True)
    assert wc.units == ref.credit(a, b).units
    assert [p.key for p in wc.occupations] == ["career[0]", "career[1]", "career[2]", "contract"]
    assert sum(p.units for p in wc.occupations) + wc.capped_units - wc.quarter_excess_units == wc.units
    assert led.contract_credit(b).units == ref.contract_credit(b).units
    assert led.line_figures(0)[0] == Fraction(6, 5) * Fraction("19.123457") / Fraction("38.765431")
    cat, rows = led.conditions(b + 1, date(1990, 1, 1).toordinal(), -1, "onem", "clip", "days")
    assert len(rows) >= 1
    w, rw = led.window(b + 1, 24), ref.window(b + 1, 24)
    assert (w.start, w.end) == (rw.start, rw.end)
