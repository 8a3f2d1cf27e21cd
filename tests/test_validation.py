"""Bad input: every problem reported at once, one line each, FILE: field.path: what is
wrong; exit status 2 and no traceback from the CLI; fuzzing of the loader."""
import copy
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from art60kit.caseio import case_from_dict, load_case, parse_text
from art60kit.errors import InputError

GOOD = {
    "case_id": "v1",
    "person": {"birth_date": "1991-06-15"},
    "contract": {"start": "2025-09-01", "days_per_week": 5, "weekly_hours": 38, "full_time_hours": 38,
                 "events": [{"kind": "unpaid_leave", "start": "2025-11-03", "end": "2025-11-07"}]},
    "career": [
        {"kind": "work", "start": "2023-01-02", "end": "2023-06-30", "days_per_week": 5},
        {"kind": "work", "start": "2024-02-05", "end": "2024-03-29", "hours": 152, "full_time_hours": 38},
    ],
}


def mutate(path, value):
    d = copy.deepcopy(GOOD)
    cur = d
    keys = path.split(".")
    for k in keys[:-1]:
        cur = cur[int(k)] if k.isdigit() else cur[k]
    last = keys[-1]
    if value is KeyError:
        del cur[last]
    else:
        cur[int(last) if last.isdigit() else last] = value
    return d


CASES = [
    ("person.birth_date", KeyError, "person.birth_date", "required"),
    ("person.birth_date", "1991-02-30", "person.birth_date", "not a valid date"),
    ("person.birth_date", "15/06/1991", "person.birth_date", "not a valid date"),
    ("contract.start", "2025-13-01", "contract.start", "not a valid date"),
    ("career.0.end", "2022-12-31", "career[0].end", "ends before it starts"),
    ("career.0.kind", "holiday", "career[0].kind", "unknown kind 'holiday'"),
    ("career.0.days_per_week", 7, "career[0].days_per_week", "between 1 and 6"),
    ("career.0.days_per_week", 0, "career[0].days_per_week", "between 1 and 6"),
    ("contract.days_per_week", 6.5, "contract.days_per_week", "between 1 and 6"),
    ("contract.weekly_hours", 40, "contract.weekly_hours", "more than S"),
    ("career.1.hours", -5, "career[1].hours", "zero or more"),
    ("career.1.hours", "abc", "career[1].hours", "not a number"),
    ("contract.start", "2005-01-01", "contract.start", "15th birthday"),
    ("contract.events.0.kind", "party", "contract.events[0].kind", "unknown kind"),
    ("contract.events.0.start", "2025-08-01", "contract.events[0].start", "before the contract start"),
    ("career.0.start", "1980-01-01", "career[0].start", "before the birth date"),
    ("career.1.days", 10, "career[1]", "one measure"),
    ("career.0.days", 400, "career[0].days", "days worked in a period"),
    ("contract", KeyError, "contract.start", "required"),
    ("career", {"kind": "work"}, "career", "must be a list"),
]


@pytest.mark.parametrize("path,value,where,msg", CASES, ids=[f"{c[0]}={c[1]!r}" for c in CASES])
def test_each_validation_rule(path, value, where, msg):
    with pytest.raises(InputError) as e:
        case_from_dict(mutate(path, value), source="case.yaml")
    lines = str(e.value).splitlines()
    assert any(l.startswith(f"case.yaml: {where}") and msg in l for l in lines), lines


def test_all_problems_reported_at_once():
    d = mutate("person.birth_date", KeyError)
    d["career"][0]["kind"] = "nope"
    d["career"][1]["hours"] = -1
    d["contract"]["days_per_week"] = 9
    with pytest.raises(InputError) as e:
        case_from_dict(d, source="f.json")
    assert len(e.value.problems) == 4
    assert all(str(p).startswith("f.json: ") for p in e.value.problems)


def test_overlapping_full_time_work_is_a_warning():
    d = copy.deepcopy(GOOD)
    d["career"].append({"kind": "work", "start": "2023-03-01", "end": "2023-04-30", "days_per_week": 5})
    case = case_from_dict(d, source="c.yaml")
    w = [str(p) for p in case.warnings]
    assert any("career[2]" in x and "overlaps career[0]" in x for x in w)


def test_unknown_field_is_a_warning_not_an_error():
    d = copy.deepcopy(GOOD)
    d["career"][0]["weekly_hour"] = 30
    case = case_from_dict(d, source="c.yaml")
    assert any("career[0].weekly_hour: warning: unknown field" in str(p) for p in case.warnings)


def test_yaml_impossible_date_is_a_message_not_a_traceback(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("person: {birth_date: 2023-02-30}\ncontract: {start: 2025-01-06}\n")
    with pytest.raises(InputError) as e:
        load_case(f)
    assert "person.birth_date: not a valid date: '2023-02-30'" in str(e.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("person:\n  birth_date: 1990-01-01\ncontract: [start: 2025\n")
    with pytest.raises(InputError) as e:
        load_case(f)
    assert f"{f}: line" in str(e.value) and "not valid YAML" in str(e.value)


def test_cli_bad_input_exit_2_no_traceback(tmp_path):
    f = tmp_path / "case.json"
    f.write_text(json.dumps(mutate("career.0.kind", "holiday")))
    r = subprocess.run([sys.executable, "-m", "art60kit", "plan", str(f), "--lang", "en"], capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.strip() == f"{f}: career[0].kind: unknown kind 'holiday' (one of: " + r.stderr.split("(one of: ")[1].strip()
    r = subprocess.run([sys.executable, "-m", "art60kit", "plan", str(f)], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.startswith(f"{f}: career[0].kind: nature inconnue 'holiday'")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12)
    | st.dates().map(str),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


def _mutations():
    keys = ["case_id", "person", "contract", "career", "birth_date", "start", "end", "kind", "events",
            "days_per_week", "weekly_hours", "full_time_hours", "hours", "days", "options", "prior_admission",
            "child_birth_date", "employer", "month_end", "rounding"]
    return st.lists(st.tuples(st.lists(st.sampled_from(keys + ["0", "1"]), min_size=1, max_size=4), json_values),
                    max_size=4)


def _apply(d, muts):
    d = copy.deepcopy(d)
    for path, value in muts:
        cur = d
        for k in path[:-1]:
            if isinstance(cur, dict) and k in cur:
                cur = cur[k]
            elif isinstance(cur, list) and k.isdigit() and int(k) < len(cur):
                cur = cur[int(k)]
            else:
                break
        last = path[-1]
        if isinstance(cur, dict):
            cur[last] = value
        elif isinstance(cur, list) and last.isdigit() and int(last) < len(cur):
            cur[int(last)] = value
    return d


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations())
def test_fuzz_case_loader_only_raises_input_error(muts):
    d = _apply(GOOD, muts)
    try:
        case = case_from_dict(d, source="fuzz.yaml")
    except InputError as e:
        assert e.problems and all(str(p).startswith("fuzz.yaml: ") for p in e.problems)
        return
    # a case that validates must also plan without any other exception
    from art60kit.planner import plan
    try:
        plan(case, sensitivity=False)
    except InputError:
        pass


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_fuzz_arbitrary_structures(value):
    try:
        case_from_dict(value, source="x")
    except InputError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_arbitrary_text(text):
    for fmt in ("yaml", "json"):
        try:
            case_from_dict(parse_text(text, "t." + fmt), source="t")
        except InputError:
            pass
