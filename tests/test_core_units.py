"""Unit tests of single rules: each names the rule it pins."""
from datetime import date

import pytest

from art60kit import case_from_dict, check, plan
from art60kit.credit import UNIT
from art60kit.ledger import build_ledger
from art60kit.rules import default_rulebook

BOOK = default_rulebook()
OLD, NEW = BOOK.get("ar1991"), BOOK.get("reform2026")


def make(career=(), birth="1995-01-01", start="2030-01-07", events=(), **kw):
    return case_from_dict({"person": {"birth_date": birth, **kw}, "contract": {"start": start, "events": list(events)},
                           "career": list(career)})


def credit(case, rs, a, b, crediting="quarter78", **opt):
    led = build_ledger(case, rs, crediting)
    return led.credit(date.fromisoformat(a).toordinal(), date.fromisoformat(b).toordinal(), **opt).units / UNIT


def test_full_quarter_starting_after_new_year_holiday_is_78():
    # AM art. 7 al. 1; coverage ignores public holidays (1 January 2024 is a Monday)
    c = make([{"kind": "work", "start": "2024-01-02", "end": "2024-03-31", "days_per_week": 5}])
    assert credit(c, OLD, "2024-01-01", "2024-03-31") == 78


def test_partial_quarter_is_a_x_6_over_r_capped_at_78():
    c = make([{"kind": "work", "start": "2024-10-01", "end": "2024-12-30", "days_per_week": 5}])  # 65 weekdays
    assert credit(c, OLD, "2024-10-01", "2024-12-31") == 78
    c = make([{"kind": "work", "start": "2024-10-01", "end": "2024-12-27", "days_per_week": 5}])
    assert credit(c, OLD, "2024-10-01", "2024-12-31") == pytest.approx(64 * 1.2)


def test_overlapping_occupations_are_capped_at_78_a_quarter():
    lines = [{"kind": "work", "start": "2024-04-01", "end": "2024-06-30", "days_per_week": 5, "employer": "A"},
             {"kind": "work", "start": "2024-05-01", "end": "2024-05-31", "days_per_week": 5, "employer": "B"}]
    assert credit(make(lines), OLD, "2024-04-01", "2024-06-30") == 78


def test_same_employer_consecutive_lines_make_one_full_quarter():
    # schéma 2B step 1: weekly interim contracts with the same agency are one occupation
    # Q1 2022 has 64 weekdays: 64 x 6/5 = 76.8 unless the quarter is one full-time occupation
    lines = [{"kind": "work", "start": f"2022-{m:02d}-01", "end": f"2022-{m:02d}-{d}", "days_per_week": 5,
              "employer": "Interim X"} for m, d in ((1, 31), (2, 28), (3, 31))]
    assert credit(make(lines), OLD, "2022-01-01", "2022-03-31") == 78
    no_emp = [{k: v for k, v in l.items() if k != "employer"} for l in lines]
    assert credit(make(no_emp), OLD, "2022-01-01", "2022-03-31") == pytest.approx(64 * 1.2)


def test_month26_option():
    c = make([{"kind": "work", "start": "2024-05-01", "end": "2024-06-30", "days_per_week": 5}])
    assert credit(c, OLD, "2024-05-01", "2024-06-30", crediting="month26") == 52


def test_unpaid_absence_capped_at_12_a_calendar_year_before_2026_and_nothing_after():
    # old art. 38 § 1, 10° (schéma 2A): at most 12 six-day-regime days a calendar year
    lines = [{"kind": "unpaid_absence", "start": "2024-03-04", "end": "2024-03-29", "days_per_week": 5},
             {"kind": "unpaid_absence", "start": "2025-03-03", "end": "2025-03-07", "days_per_week": 5}]
    c = make(lines)
    assert credit(c, OLD, "2024-01-01", "2025-12-31") == 12 + 6
    assert credit(c, NEW, "2024-01-01", "2025-12-31") == 0


def test_rounding_per_occupation_and_total_rounded_up():
    # 311.2 rounds up to 312 (ONEM, schéma 2E); 'exact' does not
    c = make([{"kind": "work", "start": "2024-01-01", "end": "2024-01-01", "hours": 1, "full_time_hours": 38}])
    assert credit(c, OLD, "2024-01-01", "2024-01-01") == 0.1579  # 6/38 = 0.157894..., half up
    assert credit(c, OLD, "2024-01-01", "2024-01-01", rounding="exact") == 0.1578
    full = plan(make(birth="2000-01-01", start="2024-01-08"), sensitivity=False)
    exact = plan(make(birth="2000-01-01", start="2024-01-08").with_options(rounding="exact"), sensitivity=False)
    assert exact.end_date >= full.end_date


def test_extensions_chain():
    # an event in the part added by another extension extends further (CSC trainings of 2022,
    # "Art. 30-37-38" and "Niveau 2": "Principes de prolongation")
    lines = [{"kind": "detention", "start": "2019-06-01", "end": "2020-05-31"},
             {"kind": "force_majeure", "start": "2018-03-01", "end": "2018-09-30"}]
    v = check(make(lines, start="2021-01-04"), date(2021, 1, 4))
    w = v.closest.window
    assert [e.kind for e in w.used] == ["detention", "force_majeure"]
    assert w.extended_by_days == 366 + 214


def test_extension_not_counted_twice_where_periods_overlap():
    lines = [{"kind": "detention", "start": "2020-01-01", "end": "2020-06-30"},
             {"kind": "force_majeure", "start": "2020-04-01", "end": "2020-09-30"}]
    w = check(make(lines, start="2021-01-04"), date(2021, 1, 4)).closest.window
    assert w.extended_by_days == (date(2020, 9, 30) - date(2020, 1, 1)).days + 1


def test_child_care_capped_at_sixth_birthday_and_min_six_months():
    led = build_ledger(make([{"kind": "child_care", "start": "2015-01-01", "end": "2022-12-31",
                              "child_birth_date": "2014-06-10"}]), OLD)
    e = led.extensions[0]
    assert e.qualifies and date.fromordinal(e.b) == date(2020, 6, 9)
    led = build_ledger(make([{"kind": "child_care", "start": "2020-01-01", "end": "2020-12-31",
                              "child_birth_date": "2014-03-01"}]), OLD)
    assert not led.extensions[0].qualifies  # after the 6th birthday: nothing left


def test_self_employment_minimum_three_months_from_2026():
    line = [{"kind": "self_employed_main", "start": "2025-01-01", "end": "2025-04-30"}]  # 4 months
    assert build_ledger(make(line), NEW).extensions[0].qualifies
    assert not build_ledger(make(line), OLD).extensions[0].qualifies


def test_new_days_rule_from_2026_only():
    career = [{"kind": "work", "start": "2024-01-01", "end": "2025-06-30", "employer": "A", "days_per_week": 5}]
    c = make(career, start="2026-09-01", prior_admission="2025-07-01")
    v = check(c, date(2026, 9, 1))
    assert v.rules.id == "reform2026" and v.closest.counted == 0
    assert date.fromordinal(v.closest.count_from) == date(2025, 7, 1)
    c2 = make(career, start="2025-09-01", prior_admission="2025-07-01")
    assert check(c2, date(2025, 9, 1)).closest.counted > 300  # old rules: no new-days rule


def test_window_month_end_options():
    led = build_ledger(make(), OLD)
    w = led.window(date(2023, 5, 31).toordinal(), 3)
    assert date.fromordinal(w.base_start) == date(2023, 2, 28) and w.month_end_adjusted
    w = led.window(date(2023, 5, 31).toordinal(), 3, month_end="next_day")
    assert date.fromordinal(w.base_start) == date(2023, 3, 1)


def test_age_categories_at_request_date():
    c = make(birth="1988-03-15", start="2024-01-08")
    assert check(c, date(2024, 3, 14)).category == "under_36"
    assert check(c, date(2024, 3, 15)).category == "36_49"


def test_eight_for_one_effective_requirement():
    # art. 32: 312 days in 33 months plus 8 past days for each day missing to 468
    career = [{"kind": "work", "start": "2008-01-01", "end": "2013-12-31", "employer": "Old", "days_per_week": 6},
              {"kind": "work", "start": "2020-03-02", "end": "2021-06-30", "employer": "New", "days_per_week": 6}]
    c = make(career, birth="1975-01-01", start="2022-09-05")
    v = check(c, date(2022, 9, 5))
    r = {x.condition.id: x for x in v.results}["d312_m33_8for1"]
    assert r.past_counted > 1000
    assert r.required == max(312, 468 - r.past_counted // 8)


def test_holiday_list_kept_on_disk_is_the_packages(tmp_path, monkeypatch):
    """The Belgian public holidays are read from the ``holidays`` package once and kept
    on disk; the kept list is the package's, and a damaged file is read again."""
    from art60kit import dates

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    dates.holiday_ordinals.cache_clear()
    try:
        got = dates.holiday_ordinals()
        files = list(tmp_path.glob("art60kit-holidays-*.txt"))
        assert len(files) == 1
        direct = sorted(d.toordinal() for y in range(1950, 2101) for d in dates._holidays_for_year(y, "fr"))
        assert list(got) == direct and date(2026, 7, 21).toordinal() in got
        files[0].write_text("not a number")
        dates.holiday_ordinals.cache_clear()
        assert list(dates.holiday_ordinals()) == direct
    finally:
        dates.holiday_ordinals.cache_clear()


def test_holiday_names_are_kept_on_disk_in_each_language(tmp_path, monkeypatch):
    """The explanation names the public holidays a line meets from a table kept on disk
    per language (the ``holidays`` package is not loaded then); the table gives exactly
    what the package gives, and a damaged file is read from the package again."""
    from art60kit import dates

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    for f in (dates._holiday_names, dates._holiday_rows, dates.public_holidays):
        f.cache_clear()
    try:
        for lang in ("fr", "nl", "de", "en"):
            a, b = date(1999, 12, 25), date(2031, 5, 1)
            got = dates.public_holidays(a, b, lang)
            direct = sorted((d, n) for y in range(a.year, b.year + 1)
                            for d, n in dates._holidays_for_year(y, lang).items() if a <= d <= b)
            assert got == direct and got[0][0] == a and got[-1][0] == b
        assert len(list(tmp_path.glob("art60kit-holidays-*-*.tsv"))) == 4
        nl = next(tmp_path.glob("art60kit-holidays-*-nl.tsv"))
        assert "Nationale feestdag" in nl.read_text(encoding="utf-8")
        nl.write_text("damaged", encoding="utf-8")
        for f in (dates._holiday_names, dates._holiday_rows, dates.public_holidays):
            f.cache_clear()
        assert dates.public_holidays(date(2026, 7, 21), date(2026, 7, 21), "nl") == [
            (date(2026, 7, 21), "Nationale feestdag")]
        # outside the kept years: from the package
        assert dates.public_holidays(date(1940, 7, 20), date(1940, 7, 22), "fr") == [
            (date(1940, 7, 21), "Fête nationale")]
    finally:
        for f in (dates._holiday_names, dates._holiday_rows, dates.public_holidays):
            f.cache_clear()
