"""The rule data: every value carries its reference, source and confidence; every kind
has a treatment in every rule set; the sets tile the calendar."""
from datetime import date, timedelta

import pytest

from art60kit.errors import InputError
from art60kit.i18n import LANGS, t
from art60kit.model import KINDS
from art60kit.rules import RuleBook, default_rulebook, rule_set_from_mapping

BOOK = default_rulebook()


def test_rule_sets_tile_the_calendar():
    sets = BOOK.rule_sets
    assert [rs.id for rs in sets] == ["ar1991", "reform2026"]
    for a, b in zip(sets, sets[1:]):
        assert a.valid_until + timedelta(days=1) == b.valid_from
    assert BOOK.boundaries() == (date(2026, 3, 1),)


@pytest.mark.parametrize("rs", BOOK.rule_sets, ids=lambda r: r.id)
def test_every_kind_has_a_sourced_treatment(rs):
    assert set(rs.kinds) == set(KINDS)
    for k in rs.kinds.values():
        assert k.ref.reference and k.ref.source and k.ref.confidence in "CIU"
    for c in rs.conditions:
        assert c.ref.reference and c.ref.source and c.ref.confidence in "CIU"
    assert rs.counting.ref.reference


def test_old_regime_table_t31():
    rs = BOOK.get("ar1991")
    got = {cat: sorted((c.days, c.months, c.past_days, c.eight_for_one_target) for c in rs.conditions_for(cat))
           for cat in ("under_36", "36_49", "50_plus")}
    assert got["under_36"] == [(312, 21, None, None), (468, 33, None, None), (624, 42, None, None)]
    assert got["36_49"] == [(234, 33, 1560, None), (312, 33, None, 468), (468, 33, None, None), (624, 42, None, None)]
    assert got["50_plus"] == [(312, 42, 1560, None), (416, 42, None, 624), (624, 42, None, None)]


def test_reform_single_condition_and_closed_extension_list():
    rs = BOOK.get("reform2026")
    assert [(c.days, c.months, c.categories) for c in rs.conditions] == [(312, 36, None)]
    assert rs.new_days_rule
    extending = sorted(k for k, r in rs.kinds.items() if r.treatment == "extends")
    assert extending == ["career_break", "detention", "not_covered_work", "self_employed_main",
                         "sickness_indemnified", "work_accident"]
    assert rs.kind("self_employed_main").min_months == 3 and rs.kind("self_employed_main").max_years == 15
    assert BOOK.get("ar1991").kind("self_employed_main").min_months == 6
    assert BOOK.get("ar1991").kind("sickness_indemnified").treatment == "assimilated"


def test_reform_variant_is_data():
    v = BOOK.with_changes({"reform2026": {"conditions": {"d312_m36": {"months": 24}}}})
    assert v.get("reform2026").conditions[0].months == 24
    assert BOOK.get("reform2026").conditions[0].months == 36  # the original is untouched
    with pytest.raises(InputError):
        BOOK.with_changes({"reform2026": {"conditions": {"nope": {"months": 24}}}})
    with pytest.raises(InputError):
        BOOK.with_changes({"reform2026": {"kinds": {"work": {"treatment": "sometimes"}}}})


def test_rule_data_needs_references():
    raw = dict(BOOK.get("reform2026").raw)
    raw["kinds"] = dict(raw["kinds"])
    raw["kinds"]["work"] = {"treatment": "counted"}
    with pytest.raises(InputError, match="reference"):
        rule_set_from_mapping(raw, "x.yaml")


def test_no_rule_set_before_2012_11():
    with pytest.raises(InputError, match="no rule set in force on 2012-10-31"):
        BOOK.for_date(date(2012, 10, 31))


def test_every_kind_and_treatment_has_a_label():
    for k in KINDS:
        for lang in LANGS:
            assert t(f"kind.{k}", lang)


def test_a_future_rule_set_is_just_data():
    import copy
    from art60kit import case_from_dict, plan
    base = BOOK.get("reform2026")
    raw = copy.deepcopy(dict(base.raw))
    raw.update({"id": "future2028", "valid_from": "2028-01-01", "valid_until": None})
    raw["conditions"] = [dict(raw["conditions"][0], id="d390_m36", days=390)]
    old = copy.deepcopy(dict(base.raw))
    old["valid_until"] = "2027-12-31"
    book = RuleBook((BOOK.get("ar1991"), rule_set_from_mapping(old, "reform2026"), rule_set_from_mapping(raw, "future2028")))
    case = case_from_dict({"person": {"birth_date": "1990-01-01"}, "contract": {"start": "2027-06-07"}})
    p = plan(case, book=book, sensitivity=False)
    assert p.rules == "future2028" and p.days_required == 390 and p.days_to_work == 390


# -- the loader refuses what it does not know ----------------------------------------

def _raw(rule_id="reform2026"):
    import copy
    return copy.deepcopy(dict(BOOK.get(rule_id).raw))


def _problems(raw) -> list[str]:
    with pytest.raises(InputError) as e:
        rule_set_from_mapping(raw, "x.yaml")
    return [str(p) for p in e.value.problems]


def test_unknown_keys_are_refused_with_their_path():
    raw = _raw()
    raw["kinds"]["work"]["treatmnt"] = "counted"
    raw["counting"]["quater_cap"] = 78
    raw["valid_form"] = "2026-03-01"
    got = _problems(raw)
    assert any(p.startswith("x.yaml: kinds.work.treatmnt: unknown key") for p in got), got
    assert any(p.startswith("x.yaml: counting.quater_cap: unknown key") for p in got), got
    assert any(p.startswith("x.yaml: valid_form: unknown key") for p in got), got


def test_missing_keys_are_refused_with_their_path():
    raw = _raw("ar1991")
    del raw["counting"]["quarter_cap"]
    del raw["conditions"][1]["months"]
    del raw["caps"]["unpaid"]["reference"]
    got = _problems(raw)
    assert "x.yaml: counting.quarter_cap: missing" in got
    assert "x.yaml: conditions[1].months: missing" in got
    assert "x.yaml: caps.unpaid.reference: missing: every rule value needs a reference" in got


def test_wrong_types_are_refused_all_at_once():
    raw = _raw("ar1991")
    raw["conditions"][0]["days"] = "312"
    raw["counting"]["full_quarter_days"] = True  # YAML's yes: not a number of days
    raw["kinds"]["child_care"]["min_months"] = -1
    raw["new_days_rule"] = "no"
    raw["caps"]["unpaid"]["days_per_calendar_year"] = "twelve"
    raw["valid_from"] = "1 March"
    got = _problems(raw)
    assert "x.yaml: conditions[0].days: must be a whole number >= 1, not '312'" in got
    assert "x.yaml: counting.full_quarter_days: must be a whole number >= 1, not True" in got
    assert "x.yaml: kinds.child_care.min_months: must be a whole number >= 0, not -1" in got
    assert "x.yaml: new_days_rule: must be true or false, not 'no'" in got
    assert "x.yaml: caps.unpaid.days_per_calendar_year: must be a number > 0, not 'twelve'" in got
    assert "x.yaml: valid_from: must be a date (YYYY-MM-DD), not '1 March'" in got


def test_values_the_engines_cannot_apply_are_refused():
    raw = _raw()
    raw["counting"]["decimals"] = 2
    raw["counting"]["six_day_factor"] = 5
    got = _problems(raw)
    assert any(p.startswith("x.yaml: counting.decimals: the engines keep 4 decimals") for p in got), got
    assert any(p.startswith("x.yaml: counting.six_day_factor:") for p in got), got
    raw = _raw()
    raw["regime_follows"] = "contract start"
    assert _problems(raw) == ["x.yaml: regime_follows: must be one of request date, not 'contract start'"]


def test_meaning_is_checked_after_shape():
    raw = _raw("ar1991")
    raw["kinds"]["work"]["min_months"] = 3  # only extending kinds have a minimum length
    raw["kinds"]["unpaid_leave"].pop("cap_group")
    raw["conditions"][3].pop("past")  # a past_work condition without its past figures
    raw["conditions"][0]["id"] = raw["conditions"][1]["id"]
    got = _problems(raw)
    assert "x.yaml: kinds.work.min_months: only for kinds that extend the window" in got
    assert any(p.startswith("x.yaml: kinds.unpaid_leave.cap_group: required for assimilated_capped") for p in got)
    assert "x.yaml: conditions[3].past: missing (conditions of kind past_work need it)" in got
    assert "x.yaml: conditions[1].id: 'd468_m33' used twice" in got


def test_a_rule_file_with_bad_yaml_names_the_file(tmp_path):
    from art60kit.rules import load_rule_set
    p = tmp_path / "broken.yaml"
    p.write_text("id: x\nkinds: [\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_rule_set(p)
    assert str(e.value.problems[0]).startswith("broken.yaml: line ")


# -- named behaviours ----------------------------------------------------------------

def test_registered_behaviours():
    from art60kit.model import Options
    from art60kit.rules import behaviours
    got = {(b.family, b.name) for b in behaviours.registered()}
    assert got == {("condition", "recent"), ("condition", "past_work"), ("condition", "eight_for_one"),
                   ("past_requirement", "share_of_working_days"),
                   ("extension_condition", "during_work_or_unemployment"),
                   ("crediting", "quarter78"), ("crediting", "month26"), ("crediting", "mon_sat")}
    for b in behaviours.registered():
        assert b.family in behaviours.FAMILIES and len(b.doc) > 40, b
    # the interpretation option offers exactly the registered readings
    assert set(Options.CHOICES["crediting"]) == set(behaviours.names("crediting"))
    # every name the shipped rule sets use is registered
    for rs in BOOK.rule_sets:
        for c in rs.conditions:
            assert c.kind in behaviours.names("condition")
        for k in rs.kinds.values():
            assert k.only_if is None or k.only_if in behaviours.names("extension_condition")
        for c in rs.conditions:
            assert c.late_start is None or c.late_start.by in behaviours.names("past_requirement")
    assert BOOK.get("reform2026").kind("detention").only_if == "during_work_or_unemployment"
    assert BOOK.get("ar1991").kind("detention").only_if is None


def test_a_rule_set_naming_an_unknown_behaviour_is_refused():
    raw = _raw()
    raw["kinds"]["detention"]["only_if"] = "during_holidays"
    raw["conditions"][0]["kind"] = "lottery"
    raw["kinds"]["work"]["only_if"] = "during_work_or_unemployment"  # a counted kind cannot have one
    got = _problems(raw)
    assert any(p.startswith("x.yaml: kinds.detention.only_if: no registered behaviour 'during_holidays' "
                            "(known: during_work_or_unemployment") for p in got), got
    assert any(p.startswith("x.yaml: conditions[0].kind: no registered kind of condition 'lottery'") for p in got), got
    assert "x.yaml: kinds.work.only_if: only an extending kind can have a condition" in got


def test_search_bounds_follow_the_rule_data():
    """The figures the search's skip bounds rest on come from the rule sets: a book
    with a larger quarter cap gets larger bounds (a literal would let the search skip
    the true end date)."""
    from art60kit.batch.bounds import limits, past_gain_bound as _past_gain_bound
    lim = limits(BOOK)
    assert lim.quarter_units == 78 * 10_000 and lim.year_units == 12 * 10_000
    raw = _raw()
    raw["counting"]["quarter_cap"] = 91
    raw["counting"]["full_quarter_days"] = 91
    big = RuleBook((BOOK.get("ar1991"), rule_set_from_mapping(raw, "x.yaml")))
    assert limits(big).quarter_units == 91 * 10_000
    assert _past_gain_bound(400, limits(big)) > _past_gain_bound(400, lim)


# -- old art. 32: the professional-past alternatives -----------------------------------

def test_art32_limits_and_categories():
    """The alternatives with a professional past need at least half of the category's
    requirement in their window (234 = 468 / 2, 312 = 624 / 2), the 8-for-1 alternative
    at least two thirds (312, 416); neither is open to another category, so a person of
    36 to 49 cannot use half of 624 (the 50+ alternative); under 36 none is open. A
    career that began inside the 10 years needs half of its working days (Monday to
    Saturday) up to the end of the 10 years instead of 1,560."""
    rs = BOOK.get("ar1991")
    plain = {c.categories: c.days for c in rs.conditions if c.kind == "recent" and c.months in (33, 42)}
    need = {"36_49": 468, "50_plus": 624}
    for c in rs.conditions:
        if c.kind == "past_work":
            (cat,) = c.categories
            assert c.days * 2 == need[cat] and c.past_days == 1560 and c.past_years == 10
            late = c.late_start
            assert (late.by, late.numerator, late.denominator, late.week_days) == ("share_of_working_days", 1, 2, 6)
            assert late.ref.confidence == "C" and late.ref.cite
        if c.kind == "eight_for_one":
            (cat,) = c.categories
            assert c.days * 3 == need[cat] * 2 and c.eight_for_one_target == need[cat]
    assert all(c.kind == "recent" for c in rs.conditions_for("under_36"))
    assert plain  # the recent conditions are open to younger categories, the art. 32 ones are not
    assert [c.id for c in rs.conditions_for("36_49") if c.uses_past] == ["d234_m33_past1560", "d312_m33_8for1"]


def test_career_began_inside_is_checked():
    raw = _raw("ar1991")
    late = raw["conditions"][3]["past"]["career_began_inside"]
    late["by"] = "quarter_of_days"
    late["share"] = [3, 2]
    late["week_days"] = 8
    late["weekdays"] = 6
    raw["conditions"][5]["past"]["career_began_inside"].pop("cite")
    raw["conditions"][4]["eight_for_one"]["career_began_inside"] = {"by": "share_of_working_days"}
    got = _problems(raw)
    assert any(p.startswith("x.yaml: conditions[3].past.career_began_inside.weekdays: unknown key") for p in got), got
    assert "x.yaml: conditions[5].past.career_began_inside.cite: missing: every rule value needs its citations " \
           "for readers" in got
    assert any(p.startswith("x.yaml: conditions[4].eight_for_one.career_began_inside: unknown key") for p in got), got
    raw = _raw("ar1991")
    late = raw["conditions"][3]["past"]["career_began_inside"]
    late["by"] = "quarter_of_days"
    late["share"] = [3, 2]
    late["week_days"] = 8
    got = _problems(raw)
    assert any(p.startswith("x.yaml: conditions[3].past.career_began_inside.by: no registered reading "
                            "'quarter_of_days' (known: share_of_working_days") for p in got), got
    assert "x.yaml: conditions[3].past.career_began_inside.share: must be [numerator, denominator], " \
           "a share of at most 1" in got
    assert "x.yaml: conditions[3].past.career_began_inside.week_days: a week has 7 days" in got
    raw = _raw("ar1991")
    raw["conditions"][3]["past"]["career_began_inside"]["share"] = ["1", 2]
    assert _problems(raw) == ["x.yaml: conditions[3].past.career_began_inside.share[0]: must be a whole number "
                              ">= 1, not '1'"]


def test_share_of_working_days():
    """The registered reading: half of the Monday-to-Saturday days from the career's
    start to the end of the period, rounded up, never more than the condition's days;
    a career that began before or after the period keeps them."""
    from art60kit.rules import behaviours

    late = BOOK.get("ar1991").conditions[3].late_start
    fn = behaviours.get("past_requirement", "share_of_working_days").fn
    o = date.toordinal
    # Monday 2 January 2023 to Saturday 7 January: 6 working days; to Sunday 8: still 6
    assert fn(late, 1560, o(date(2023, 1, 2)), o(date(2013, 1, 1)), o(date(2023, 1, 7))) == (3, 6)
    assert fn(late, 1560, o(date(2023, 1, 2)), o(date(2013, 1, 1)), o(date(2023, 1, 8))) == (3, 6)
    assert fn(late, 1560, o(date(2023, 1, 3)), o(date(2013, 1, 1)), o(date(2023, 1, 7))) == (3, 5)  # 2.5 up
    assert fn(late, 1560, o(date(2012, 12, 31)), o(date(2013, 1, 1)), o(date(2023, 1, 7))) is None
    assert fn(late, 1560, o(date(2023, 1, 9)), o(date(2013, 1, 1)), o(date(2023, 1, 7))) is None
    # from the period's first day: the half of 10 years (about 1,565) is capped at 1,560
    assert fn(late, 1560, o(date(2013, 1, 1)), o(date(2013, 1, 1)), o(date(2022, 12, 31)))[0] == 1560
