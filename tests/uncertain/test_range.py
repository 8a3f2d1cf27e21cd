"""The range of end dates equals the exhaustive enumeration of the values the
intervals allow (generated cases), and the comment for the request per language."""
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from art60kit.caseio import case_from_dict
from art60kit.model import Interval
from art60kit.uncertain import COMMENT_LANGS, enumerate_all, plan_range, resolve, unknowns

KINDS = ["work", "work", "work", "paid_holiday", "unpaid_absence", "self_employed_main",
         "sickness_indemnified", "student_contract", "work_abroad", "child_care", "career_break"]
EVENT_KINDS = ["unpaid_leave", "sickness_indemnified", "paid_holiday", "strike", "unjustified_absence"]


@st.composite
def uncertain_cases(draw):
    cstart = date(2024, 6, 3) + timedelta(days=draw(st.integers(0, 700)))
    birth = date(draw(st.integers(1960, 2000)), draw(st.integers(1, 12)), 15)
    career, grids = [], {}
    t = cstart - timedelta(days=draw(st.integers(1, 60)))
    n_unc = 0
    for i in range(draw(st.integers(1, 4))):
        length = draw(st.integers(20, 400))
        end = t
        start = end - timedelta(days=length)
        t = start - timedelta(days=draw(st.integers(1, 200)))
        kind = draw(st.sampled_from(KINDS))
        line = {"kind": kind, "start": start.isoformat(), "end": end.isoformat()}
        measure = draw(st.sampled_from(["regime", "regime", "hours", "days"]))
        weeks_min = (end.toordinal() - end.weekday() - (start.toordinal() - start.weekday())) // 7
        if draw(st.booleans()):
            line["employer"] = draw(st.sampled_from(["A", "B"]))
        if measure == "regime":
            line["days_per_week"] = draw(st.sampled_from([3, 5, 6]))
            line["weekly_hours"] = draw(st.sampled_from([19, 30, 38]))
        elif measure == "hours":
            # the loader refuses more hours than full time (38 h) in the calendar weeks
            # the period meets (one fewer when a date is uncertain by up to 6 days)
            line["hours"] = draw(st.integers(10, min(600, 38 * weeks_min)))
        else:
            # ... and more days than R a week (R may be uncertain down to 1)
            line["days"] = draw(st.integers(1, min(60, length, weeks_min)))
        path = f"career[{i}]"
        choice = draw(st.sampled_from(["none", "measure", "start", "end", "dpw"]))
        if choice == "measure" and n_unc < 3:
            f = {"regime": "weekly_hours", "hours": "hours", "days": "days"}[measure]
            lo = draw(st.integers(0, 20))
            hi = lo + draw(st.integers(1, 18))
            if f == "days":  # at most 5 a week (the default regime) in the period's weeks
                lo, hi = min(lo, 5 * weeks_min - 1), min(hi, 5 * weeks_min)
            line[f] = {"min": lo, "max": hi}
            grids[f"{path}.{f}"] = sorted({lo, hi, (lo + hi) // 2, lo + 1})
            n_unc += 1
        elif choice in ("start", "end") and n_unc < 3:
            k = draw(st.integers(1, 6))
            d0 = start if choice == "start" else end - timedelta(days=k)
            line[choice] = {"min": d0.isoformat(), "max": (d0 + timedelta(days=k)).isoformat()}
            grids[f"{path}.{choice}"] = [d0 + timedelta(days=j) for j in range(k + 1)]
            n_unc += 1
        elif choice == "dpw" and n_unc < 3 and measure != "hours":
            lo = draw(st.integers(1, 5))
            hi = draw(st.integers(lo + 1, 6))
            line["days_per_week"] = {"min": lo, "max": hi}
            grids[f"{path}.days_per_week"] = [float(v) for v in range(lo, hi + 1)]
            n_unc += 1
        career.append(line)
    events = []
    if draw(st.booleans()):
        es = cstart + timedelta(days=draw(st.integers(5, 200)))
        ee = es + timedelta(days=draw(st.integers(0, 40)))
        ev = {"kind": draw(st.sampled_from(EVENT_KINDS)), "start": es.isoformat(), "end": ee.isoformat()}
        if n_unc < 3 and draw(st.booleans()):
            k = draw(st.integers(1, 5))
            f = draw(st.sampled_from(["start", "end"]))
            d0 = es if f == "start" else ee
            if f == "start":
                ev["start"] = {"min": (es - timedelta(days=k)).isoformat(), "max": es.isoformat()}
                grids["contract.events[0].start"] = [es - timedelta(days=j) for j in range(k + 1)]
            else:
                ev["end"] = {"min": ee.isoformat(), "max": (ee + timedelta(days=k)).isoformat()}
                grids["contract.events[0].end"] = [ee + timedelta(days=j) for j in range(k + 1)]
        events.append(ev)
    d = {"case_id": "g", "person": {"birth_date": birth.isoformat()},
         "contract": {"start": cstart.isoformat(), "events": events}, "career": career}
    return d, grids


def _key(p):
    if p.already_admissible:
        return (0, 0)
    return (2, 0) if p.end_date is None else (1, p.end_date.toordinal())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(uncertain_cases())
def test_range_equals_exhaustive_enumeration(data):
    d, grids = data
    case = case_from_dict(d)
    assert set(grids) == {p for p, _ in case.uncertain}
    r = plan_range(case)
    plans = enumerate_all(case, grids)
    keys = [_key(p) for p in plans]
    assert _key(r.earliest) == min(keys)
    assert _key(r.latest) == max(keys)
    reach = [p.days_to_work for p in plans if p.end_date is not None or p.already_admissible]
    if reach:
        assert (r.days_min, r.days_max) == (min(reach), max(reach))
    # no value alone moves the end more than the whole range
    span = None if r.latest.end_date is None or r.earliest.end_date is None else \
        (r.latest.end_date - r.earliest.end_date).days
    for imp in r.impacts:
        assert imp.days is None or span is None or 0 <= imp.days <= span


def test_corners_need_far_fewer_plans_than_the_product():
    d = {"person": {"birth_date": "1990-01-01"}, "contract": {"start": "2025-09-01"},
         "career": [{"kind": "work", "start": f"202{y}-01-01", "end": f"202{y}-06-30", "weekly_hours": "unknown"}
                    for y in range(1, 5)]}
    case = case_from_dict(d)
    r = plan_range(case)
    assert r.plans_made <= 2 + 2 * 4  # two corners, then each value alone
    full = enumerate_all(case, {p: [0.0, 38.0] for p, _ in case.uncertain})
    assert r.end_min == min(p.end_date for p in full) and r.end_max == max(p.end_date for p in full)
    assert r.impacts[0].days > 0


DIMONA = {"case_id": "dimona", "person": {"birth_date": "1992-04-10"}, "contract": {"start": "2025-09-01"},
          "career": [{"kind": "work", "start": "2025-01-06", "end": "2025-06-27", "employer": "Titres-services Namur",
                      "days_per_week": 5, "weekly_hours": "unknown", "doubt": "Dimona only"},
                     {"kind": "work", "start": {"min": "2023-10-02", "max": "2023-11-06"}, "end": "2024-03-29",
                      "employer": "Interim Liège", "days_per_week": 5}]}

EXPECTED = {
    "fr": ["Données incomplètes", "Période du 06/01/2025 au 27/06/2025", "heures par semaine (Q) entre 0 et 38 (valeur inconnue)",
           "source du doute : Dimona only", "date de début entre le 02/10/2023 et le 06/11/2023", "au plus tôt le", "ONEM"],
    "nl": ["Onvolledige gegevens", "Periode van 06/01/2025 tot 27/06/2025", "uren per week (Q) tussen 0 en 38 (waarde onbekend)",
           "bron van de twijfel: Dimona only", "begindatum tussen 02/10/2023 en 06/11/2023", "ten vroegste op", "RVA"],
    "de": ["Unvollständige Angaben", "Zeitraum vom 06/01/2025 bis 27/06/2025", "Wochenstunden (Q) zwischen 0 und 38 (Wert unbekannt)",
           "Quelle des Zweifels: Dimona only", "Beginndatum zwischen dem 02/10/2023 und dem 06/11/2023", "frühestens am", "LfA"],
    "en": ["Incomplete data", "Period from 06/01/2025 to 27/06/2025", "hours a week (Q) between 0 and 38 (value unknown)",
           "source of the doubt: Dimona only", "start date between 02/10/2023 and 06/11/2023", "at the earliest on", "ONEM"],
}


@pytest.mark.parametrize("lang", COMMENT_LANGS)
def test_comment_per_language(lang):
    r = plan_range(case_from_dict(DIMONA))
    text = r.comment(lang)
    for part in EXPECTED[lang]:
        assert part in text, (part, text)
    fmt = "%d/%m/%Y"  # Belgian dates in every language
    assert r.end_min.strftime(fmt) in text and r.end_max.strftime(fmt) in text
    assert f"{r.days_min}" in text and f"{r.days_max}" in text
    # never an internal name
    for bad in ("weekly_hours", "career[", "days_per_week", "Interval", "None"):
        assert bad not in text


def test_resolve_keeps_days_within_the_period():
    c = case_from_dict({"person": {"birth_date": "1990-01-01"}, "contract": {"start": "2025-09-01"},
                        "career": [{"kind": "work", "start": {"min": "2024-01-01", "max": "2024-01-20"},
                                    "end": "2024-01-31", "days": "unknown"}]})
    assert c.career[0].days == Interval(0.0, 31.0, unknown=True)
    r = resolve(c, {"career[0].start": date(2024, 1, 20), "career[0].days": 31.0})
    assert r.career[0].days == 12.0


def test_too_many_values_to_try_is_a_clear_input_error():
    from art60kit.errors import InputError
    c = case_from_dict({"person": {"birth_date": "1990-01-01"}, "contract": {"start": "2025-09-01"},
                        "career": [{"kind": "work", "start": {"min": "2020-01-01", "max": "2021-12-31"},
                                    "end": "2023-01-31", "hours": 500}]}, source="c.yaml")
    with pytest.raises(InputError) as e:
        plan_range(c)
    assert str(e.value).startswith("c.yaml: career[0].start: 731 possible values must each be tried")
