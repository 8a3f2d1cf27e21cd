"""The per-case planner runs the compiled search (art60kit.batch.one): one case is
encoded with numpy only, planned on the calling thread, and gives the reference
engine's figures; a case beyond the compiled search's exact integer range is planned by
the same search run by the interpreter with unbounded integers."""
from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("numba")

from art60kit.batch import kernel as K  # noqa: E402
from art60kit.batch.one import encode_case, encoded_book, search  # noqa: E402
from art60kit.caseio import case_from_dict  # noqa: E402
from art60kit.model import Options  # noqa: E402
from art60kit.planner import plan  # noqa: E402
from art60kit.reference import reference_plan  # noqa: E402
from art60kit.rules import default_rulebook  # noqa: E402

BOOK = default_rulebook()


def _case(career, start="2026-04-01", **contract):
    return case_from_dict({"case_id": "c", "person": {"birth_date": "1992-03-15"},
                           "contract": dict({"start": start}, **contract), "career": career})


def test_one_case_is_planned_by_the_compiled_search():
    case = _case([{"kind": "work", "start": "2024-01-08", "end": "2025-06-30", "employer": "A",
                   "days_per_week": 4}])
    f = search(case, BOOK, case.options)
    assert f.status == K.OK and f.evaluations >= 1
    p = plan(case, sensitivity=False)
    assert p.request_date.toordinal() == f.request and p.days_to_work == f.days
    r = reference_plan(case)
    assert (p.end_date, p.days_to_work) == (r.end_date, r.days_to_work)


@pytest.mark.parametrize("crediting", ["quarter78", "month26", "mon_sat"])
def test_every_option_reading_per_case(crediting):
    """Each crediting reading, with each rounding and month-end reading, equals the
    reference engine for one case (the sensitivity analysis uses the same calls)."""
    case = _case([{"kind": "work", "start": "2023-11-06", "end": "2025-12-31", "employer": "A",
                   "weekly_hours": 19, "full_time_hours": 38},
                  {"kind": "work", "start": "2024-02-01", "end": "2024-04-30", "employer": "B"}],
                 start="2026-01-31")
    for rounding in ("onem", "exact"):
        for month_end in ("clip", "next_day"):
            o = Options(crediting=crediting, rounding=rounding, month_end=month_end)
            p, r = plan(case, options=o, sensitivity=False), reference_plan(case, options=o)
            assert (p.end_date, p.days_to_work) == (r.end_date, r.days_to_work), o


def test_encoding_one_case_loads_neither_pandas_nor_pyarrow():
    import subprocess
    import sys

    code = ("import sys; from art60kit.caseio import load_case; from art60kit.planner import plan; "
            "plan(load_case('examples/demo-001.yaml')); "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_figures_beyond_the_compiled_integers_are_searched_by_the_interpreted_kernel():
    """Working times with six decimals on several lines of one year give a year
    denominator beyond what the compiled search holds exactly: the compiled search says
    so (FALLBACK), and the same search run by the interpreter with unbounded integers
    plans the case, with the reference engine's answer."""
    import numpy as np

    from art60kit.batch.run import run_kernel

    career = [{"kind": "work", "start": "2025-01-06", "end": "2025-12-19", "employer": e,
               "weekly_hours": q, "full_time_hours": s}
              for e, q, s in (("A", 19.123457, 38.765431), ("B", 7.654323, 37.123451), ("C", 3.111119, 38.987653))]
    case = _case(career, start="2026-03-02")
    a = encode_case(case, encoded_book(BOOK))
    out = np.zeros((1, K.O_NFIELDS), np.int64)
    run_kernel(1, a, encoded_book(BOOK), case.options, out, threads=False)
    assert out[0, K.O_STATUS] == K.FALLBACK
    f = search(case, BOOK, case.options, a)
    assert f.status == K.OK
    p, r = plan(case, sensitivity=False), reference_plan(case)
    assert p.end_date is not None and p.end_date.toordinal() == f.end
    assert (p.end_date, p.days_to_work, p.request_date) == (r.end_date, r.days_to_work, r.request_date)
    assert p.verdict.admissible and p.verdict.request_date == r.request_date
