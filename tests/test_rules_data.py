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
