"""A case whose sums do not fit the compiled kernel's 64-bit integers is searched,
credited and explained by the kernel's own source run by the interpreter with unbounded
integers (art60kit.batch.exact): the same answers as the compiled kernel wherever the
compiled kernel holds the figures, and the reference engine's where it does not."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from art60kit.batch import kernel as K  # noqa: E402
from art60kit.batch.exact import interpreted, search_exact  # noqa: E402
from art60kit.batch.one import encode_case, encoded_book  # noqa: E402
from art60kit.batch.run import run_kernel  # noqa: E402
from art60kit.caseio import case_from_dict  # noqa: E402
from art60kit.derived_lines import derive  # noqa: E402
from art60kit.model import Options  # noqa: E402
from art60kit.planner import plan  # noqa: E402
from art60kit.reference import reference_plan  # noqa: E402
from art60kit.rules import default_rulebook  # noqa: E402

from strategies import cases  # noqa: E402

BOOK = default_rulebook()
EB = encoded_book(BOOK)
READINGS = st.builds(Options, crediting=st.sampled_from(["quarter78", "month26", "mon_sat"]),
                     rounding=st.sampled_from(["onem", "exact"]), month_end=st.sampled_from(["clip", "next_day"]),
                     extension_shift=st.sampled_from(["days", "ymd"]))


@st.composite
def hours_heavy_cases(draw):
    """Careers of interim work declared by its total hours, with one decimal, over
    periods of odd lengths, several in one year: each line's rate has a denominator of
    its own (its hours over its pattern days), and their common denominator soon
    exceeds what the compiled kernel's exact sums hold."""
    start = draw(st.dates(date(2024, 1, 8), date(2027, 6, 30)))
    year = start.year - draw(st.integers(0, 1))
    career = []
    for _ in range(draw(st.integers(4, 7))):
        a = date(year - 1, 12, 1) + timedelta(days=draw(st.integers(0, 330)))
        b = a + timedelta(days=draw(st.integers(6, 140)))
        b = min(b, start - timedelta(days=1))
        if b < a:
            continue
        S = draw(st.sampled_from([38, 40, 36, 37.5]))
        weeks = (b - a).days // 7 + 1
        line = {"kind": "work", "start": a.isoformat(), "end": b.isoformat(), "full_time_hours": S,
                "hours": draw(st.integers(10, int(S * weeks * 10))) / 10}
        employer = draw(st.sampled_from([None, "Interim A", "Interim B", "Ville"]))
        if employer:
            line["employer"] = employer
        career.append(line)
    if draw(st.booleans()):
        career.append({"kind": "work", "start": (start - timedelta(days=700)).isoformat(),
                       "end": (start - timedelta(days=500)).isoformat(), "days_per_week": 5})
    data = {"case_id": "hours", "person": {"birth_date": "1990-05-17"}, "contract": {"start": start.isoformat()},
            "career": career}
    return case_from_dict(data, source="generated")


def _compiled(a, options):
    out = np.zeros((1, K.O_NFIELDS), np.int64)
    run_kernel(1, a, EB, options, out, threads=False)
    return out[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), READINGS)
def test_the_interpreted_kernel_is_the_compiled_one(case, options):
    """Wherever the compiled kernel holds the figures, its interpreted copy gives every
    figure of the search identically: the request day, the end, the condition, the
    units, the evaluations made."""
    case = derive(case, BOOK, options)
    a = encode_case(case, EB)
    compiled = _compiled(a, options)
    event("compiled kernel: " + {K.OK: "planned", K.FALLBACK: "beyond", K.ERROR_NO_RULES: "no rules"}[
        int(compiled[K.O_STATUS])])
    if compiled[K.O_STATUS] == K.FALLBACK:
        return
    assert [int(x) for x in search_exact(a, EB, options)] == [int(x) for x in compiled]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours_heavy_cases(), READINGS)
def test_beyond_the_compiled_integers_the_reference_engines_answer(case, options):
    """Cases with many hours-measured lines in a year: where the compiled kernel answers
    that it cannot hold the figures, the interpreted kernel plans them, with the
    reference engine's end date, days and request day; where it can, both agree."""
    case = derive(case, BOOK, options)
    a = encode_case(case, EB)
    compiled = _compiled(a, options)
    got = search_exact(a, EB, options)
    assert got[K.O_STATUS] == K.OK
    if compiled[K.O_STATUS] == K.OK:
        event("within the compiled integers")
        assert [int(x) for x in got] == [int(x) for x in compiled]
        return
    event("beyond the compiled integers")
    p, r = plan(case, options=options, sensitivity=False), reference_plan(case, BOOK, options)
    assert (p.end_date, p.days_to_work, p.request_date) == (r.end_date, r.days_to_work, r.request_date)


def test_the_generated_careers_reach_beyond_the_compiled_integers():
    """The strategy above does produce cases the compiled kernel cannot hold (so the
    test exercises the interpreted path): a fixed example of it."""
    career = [{"kind": "work", "start": a, "end": b, "hours": h, "full_time_hours": s, "employer": e}
              for a, b, h, s, e in (("2021-11-01", "2022-03-15", 624.3, 38, "B"), ("2022-07-05", "2022-10-21", 463.9, 38, "C"),
                                    ("2022-07-16", "2022-11-21", 530.9, 40, "A"), ("2023-01-20", "2023-06-24", 235.1, 38, "B"))]
    career.append({"kind": "work", "start": "2021-11-10", "end": "2022-03-09", "days": 62, "days_per_week": 5,
                   "employer": "B"})
    case = case_from_dict({"case_id": "x", "person": {"birth_date": "1967-05-31"},
                           "contract": {"start": "2024-03-10", "days_per_week": 3}, "career": career})
    a = encode_case(case, EB)
    assert _compiled(a, case.options)[K.O_STATUS] == K.FALLBACK
    got = search_exact(a, EB, case.options)
    r = reference_plan(case)
    assert got[K.O_STATUS] == K.OK and date.fromordinal(int(got[K.O_END])) == r.end_date
    assert int(got[K.O_DAYS]) == r.days_to_work


def test_the_interpreted_copy_leaves_the_compiled_kernel_alone():
    """Loading the interpreted copy changes nothing of the compiled kernel: its limits,
    its functions (compiled dispatchers) and numba's setting."""
    from numba.core import config

    from art60kit.batch.kernel import base

    copy = interpreted()
    assert copy is not K and copy.plan_range is not K.plan_range
    assert hasattr(K.plan_range, "py_func") and not hasattr(copy.plan_range, "py_func")
    assert base.YEAR_DEN_MAX == 1 << 31 and not config.DISABLE_JIT
    assert copy.base.YEAR_DEN_MAX > 1 << 1000


def test_a_figure_the_compiled_encoder_cannot_read_is_read_exactly():
    """Hours kept as an exact fraction too large for the compiled kernel's encoder (as
    the lines the law adds keep theirs): the case is flagged (``c_skip``), encoded again
    with every figure exact and planned and explained by the interpreted kernel, with
    the reference engine's answer and totals, each line's exact rate and the parts of
    each credit."""
    from dataclasses import replace
    from fractions import Fraction

    from art60kit.ledger import DayByDayLedger, build_ledger

    career = [{"kind": "work", "start": "2024-09-02", "end": "2025-03-28", "employer": "A",
               "hours": 400, "full_time_hours": 38},
              {"kind": "work", "start": "2025-02-03", "end": "2025-06-27", "employer": "B",
               "weekly_hours": 19, "full_time_hours": 38}]
    case = case_from_dict({"case_id": "x", "person": {"birth_date": "1990-01-01"},
                           "contract": {"start": "2026-01-05"}, "career": career})
    hours = Fraction(400 * 3_000_000_019, 3_000_000_019) - Fraction(1, 3_000_000_019)  # 399.99999...
    case = replace(case, career=(replace(case.career[0], hours=hours),) + case.career[1:])
    assert encode_case(case, EB)["c_skip"][0]
    assert _compiled(encode_case(case, EB), case.options)[K.O_STATUS] == K.FALLBACK
    got = search_exact(encode_case(case, EB, wide=True), EB, case.options)
    p, r = plan(case, sensitivity=False), reference_plan(case)
    assert got[K.O_STATUS] == K.OK and date.fromordinal(int(got[K.O_END])) == p.end_date == r.end_date
    assert (p.days_to_work, p.request_date) == (r.days_to_work, r.request_date)
    rs = BOOK.for_date(p.request_date)
    led, ref = build_ledger(case, rs), DayByDayLedger(case, rs, "quarter78")
    assert led._w["K"].__name__.endswith("kernel_interpreted")
    rate, mask = led.line_figures(0)
    assert rate.denominator > 1 << 31 and mask == 0b0011111
    a, b = date(2024, 1, 1).toordinal(), p.end_date.toordinal()
    wc = led.credit(a, b, detail=True)
    assert wc.units == ref.credit(a, b).units
    assert sum(q.units for q in wc.occupations) + wc.capped_units - wc.quarter_excess_units == wc.units
    assert p.verdict.admissible
