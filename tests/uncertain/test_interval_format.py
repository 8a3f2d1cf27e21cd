"""Uncertain values in the case format: ``{min: X, max: Y}`` or ``unknown`` (where the
field has natural bounds), with ``doubt``; every problem on its own line, exit 2."""
import copy
import subprocess
import sys
from datetime import date

import pytest
import yaml

from art60kit.caseio import case_from_dict, case_to_dict
from art60kit.errors import InputError
from art60kit.model import Interval

BASE = {
    "case_id": "u",
    "person": {"birth_date": "1990-01-01"},
    "contract": {"start": "2025-09-01",
                 "events": [{"kind": "unpaid_leave", "start": "2025-10-06", "end": "2025-10-10"}]},
    "career": [{"kind": "work", "start": "2024-01-01", "end": "2024-06-30", "employer": "A"},
               {"kind": "work", "start": "2023-01-02", "end": "2023-03-31", "days": 20}],
}


def case_with(**changes):
    d = copy.deepcopy(BASE)
    for path, v in changes.items():
        where, _, key = path.rpartition("__")
        cur = d
        for k in where.split("__"):
            cur = cur[int(k)] if k.isdigit() else cur[k]
        cur[key] = v
    return d


def test_unknown_takes_the_natural_bounds_and_doubt_is_kept():
    c = case_from_dict(case_with(career__0__weekly_hours="unknown", career__0__doubt="Dimona only",
                                 career__0__days_per_week="unknown", career__1__days="unknown"))
    line = c.career[0]
    assert line.weekly_hours == Interval(0.0, 38.0, unknown=True)
    assert line.days_per_week == Interval(1.0, 6.0, unknown=True)
    assert c.career[1].days == Interval(0.0, 89.0, unknown=True)  # 2 Jan - 31 Mar: 89 calendar days
    assert line.doubt == "Dimona only"
    assert [p for p, _ in c.uncertain] == ["career[0].days_per_week", "career[0].weekly_hours", "career[1].days"]


def test_bounded_values_and_dates():
    c = case_from_dict(case_with(career__0__weekly_hours={"min": 15, "max": 38},
                                 career__0__end={"min": "2024-05-31", "max": "2024-06-30"},
                                 contract__events__0__end={"min": "2025-10-10", "max": "2025-10-24"},
                                 contract__events__0__doubt="the person does not remember"))
    assert c.career[0].weekly_hours == Interval(15.0, 38.0)
    assert c.career[0].end == Interval(date(2024, 5, 31), date(2024, 6, 30))
    ev = c.contract.events[0]
    assert ev.end == Interval(date(2025, 10, 10), date(2025, 10, 24)) and ev.doubt
    # equal bounds are a plain value
    assert case_from_dict(case_with(career__0__weekly_hours={"min": 20, "max": 20})).career[0].weekly_hours == 20


def test_round_trip_through_the_case_format():
    d = case_with(career__0__weekly_hours="unknown", career__0__doubt="Dimona only",
                  career__0__start={"min": "2023-12-01", "max": "2024-01-01"},
                  career__1__days={"min": 5, "max": 20},
                  contract__events__0__start={"min": "2025-10-01", "max": "2025-10-06"})
    c = case_from_dict(d, source="x.yaml")
    out = case_to_dict(c)
    assert out["career"][0]["weekly_hours"] == "unknown"
    assert out["career"][0]["start"] == {"min": "2023-12-01", "max": "2024-01-01"}
    assert out["career"][1]["days"] == {"min": 5, "max": 20}
    again = case_from_dict(yaml.safe_load(yaml.safe_dump(out)), source="x.yaml")
    assert again == c


BAD = [
    ({"career__0__weekly_hours": {"min": 30, "max": 20}}, "career[0].weekly_hours", "min (30) is more than max (20)"),
    ({"career__0__start": {"min": "2024-02-01", "max": "2024-01-01"}}, "career[0].start", "min (2024-02-01) is after max"),
    ({"career__0__end": "unknown"}, "career[0].end", "'unknown' needs bounds here"),
    ({"contract__events__0__start": "unknown"}, "contract.events[0].start", "'unknown' needs bounds here"),
    ({"career__1__hours": "unknown", "career__1__days": None}, "career[1].hours", "'unknown' needs bounds here"),
    ({"career__0__weekly_hours": {"min": 10}}, "career[0].weekly_hours", "needs both min and max"),
    ({"career__0__weekly_hours": {"min": 10, "max": 20, "mean": 15}}, "career[0].weekly_hours", "only min and max"),
    ({"career__0__weekly_hours": {"min": 10, "max": 45}}, "career[0].weekly_hours", "more than S"),
    ({"career__0__days_per_week": {"min": 0, "max": 5}}, "career[0].days_per_week.min", "between 1 and 6"),
    ({"career__0__weekly_hours": {"min": "x", "max": 5}}, "career[0].weekly_hours.min", "not a number"),
    ({"career__0__start": {"min": "2024-01-01", "max": "2024-03-01"}, "career__0__end": {"min": "2024-02-01", "max": "2024-06-30"}},
     "career[0].end", "the period could be empty"),
    ({"contract__events__0__start": {"min": "2025-08-01", "max": "2025-10-06"}}, "contract.events[0].start", "before the contract start"),
]


@pytest.mark.parametrize("changes,where,msg", BAD, ids=[b[1] + ":" + b[2][:20] for b in BAD])
def test_each_interval_problem_is_one_line(changes, where, msg):
    with pytest.raises(InputError) as e:
        case_from_dict(case_with(**changes), source="c.yaml")
    lines = str(e.value).splitlines()
    assert any(l.startswith(f"c.yaml: {where}") and msg in l for l in lines), lines


def test_cli_reports_every_interval_problem_exit_2(tmp_path):
    d = case_with(career__0__weekly_hours={"min": 30, "max": 20}, career__0__end="unknown",
                  career__1__days={"min": 9, "max": 3})
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump(d))
    r = subprocess.run([sys.executable, "-m", "art60kit", "plan", str(f)], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 3, lines
    assert all(l.startswith(f"{f}: career[") for l in lines)


def test_the_single_end_date_planner_refuses_an_uncertain_case():
    from art60kit.planner import plan
    c = case_from_dict(case_with(career__0__weekly_hours="unknown"), source="c.yaml")
    with pytest.raises(InputError) as e:
        plan(c)
    assert str(e.value).startswith("c.yaml: career[0].weekly_hours: uncertain value")
