"""A fictional future rule set added by data alone (tests/data/fictional2027.yaml): a
shorter window, a new condition, a new yearly cap, and an extending kind with its own
condition. Planned per case, equal to the day-by-day reference engine on generated
cases, explained step by step."""
import copy
from datetime import date, timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings

from art60kit import case_from_dict, plan
from art60kit.reference import reference_plan
from art60kit.rules import RuleBook, default_rulebook, rule_set_from_mapping
from art60kit.rules import _merge

from strategies import cases

DATA = Path(__file__).parent / "data" / "fictional2027.yaml"


def fictional_book() -> RuleBook:
    """The shipped rule sets, the reform ending on 31 December 2026, then the fictional one."""
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    base = default_rulebook()
    new = _merge(copy.deepcopy(dict(base.get(spec["based_on"]).raw)), spec["changes"])
    ended = dict(base.get("reform2026").raw, valid_until=date(2026, 12, 31))
    return RuleBook((base.get("ar1991"), rule_set_from_mapping(ended, "reform2026.yaml"),
                     rule_set_from_mapping(new, DATA.name)))


BOOK = fictional_book()


def test_the_fictional_rule_set_is_data():
    rs = BOOK.get("fictional2027")
    assert [(c.id, c.days, c.months) for c in rs.conditions] == [("d312_m30", 312, 30), ("d260_m24", 260, 24)]
    assert rs.kind("training").treatment == "extends" and rs.kind("training").only_if == "during_work_or_unemployment"
    assert rs.caps["unpaid"][0] == 6 and rs.kind("unpaid_leave").cap_group == "unpaid"
    assert BOOK.for_date(date(2027, 1, 1)).id == "fictional2027"


def _case(**kw):
    d = {"case_id": "f27", "person": {"birth_date": "1990-05-01"}, "contract": {"start": "2027-03-01"},
         "career": [{"kind": "work", "start": "2025-01-06", "end": "2025-12-31", "employer": "A"}]}
    d.update(kw)
    return case_from_dict(d)


def test_a_case_under_the_fictional_rules_is_planned_and_explained():
    # three full quarters of 2025, worth 80 days each under these rules
    career = [{"kind": "work", "start": "2025-04-01", "end": "2025-12-31", "employer": "A"}]
    p = plan(_case(career=career), book=BOOK, lang="fr")
    assert p.past_units == 240 * 10_000
    assert p.rules == "fictional2027"
    # the new condition (260 days in 24 months) is reached before 312 in 30
    assert p.verdict.holds.condition.id == "d260_m24" and p.days_required == 260
    r = reference_plan(_case(career=career), book=BOOK)
    assert (p.end_date, p.days_to_work) == (r.end_date, r.days_to_work)
    texts = " ".join(s.text for s in p.steps)
    assert "Règles fictives de 2027" in texts and "260" in texts


def test_training_extends_only_under_its_condition():
    # training right after a job (employment at its start) extends the window; stated
    # 'neither', it does not
    career = [{"kind": "work", "start": "2022-01-03", "end": "2023-12-29", "employer": "A"},
              {"kind": "training", "start": "2023-12-30", "end": "2026-06-30"}]
    on = plan(_case(career=career), book=BOOK, sensitivity=False)
    off_career = copy.deepcopy(career)
    off_career[1]["situation"] = "neither"
    off = plan(_case(career=off_career), book=BOOK, sensitivity=False)
    assert on.window.extended_by_days > 0 and off.window.extended_by_days == 0
    assert on.end_date is None or off.end_date is None or on.end_date < off.end_date
    for c in (_case(career=career), _case(career=off_career)):
        p, r = plan(c, book=BOOK, sensitivity=False), reference_plan(c, book=BOOK)
        assert (p.end_date, p.days_to_work, p.already_admissible) == (r.end_date, r.days_to_work, r.already_admissible)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(min_start=date(2026, 9, 1), max_start=date(2027, 9, 30)))
def test_fictional_rules_equal_the_reference_engine(case):
    p = plan(case, book=BOOK, sensitivity=False)
    assume(p.request_date is None or p.request_date <= case.contract.start + timedelta(days=366 * 5))
    r = reference_plan(case, book=BOOK)
    assert (p.end_date, p.request_date, p.days_to_work, p.already_admissible) == \
           (r.end_date, r.request_date, r.days_to_work, r.already_admissible)


def test_a_new_kind_of_line_added_by_the_rule_data():
    """job_coaching is not in the case format's list: the fictional rule set adds it
    with its names, its treatment and its condition. A case using it is read with the
    book's kinds, planned (equal to the reference engine), explained with the kind's
    name in each language, and refused by a book that does not know it."""
    import pytest

    from art60kit.errors import InputError

    assert "job_coaching" in BOOK.kinds and "job_coaching" not in default_rulebook().kinds
    d = {"case_id": "coach", "person": {"birth_date": "1990-05-01"}, "contract": {"start": "2027-03-01"},
         "career": [{"kind": "work", "start": "2022-01-03", "end": "2023-12-29", "employer": "A"},
                    {"kind": "job_coaching", "start": "2023-12-30", "end": "2026-06-30"}]}
    case = case_from_dict(d, kinds=BOOK.kinds)
    with pytest.raises(InputError) as e:
        case_from_dict(d)
    assert "career[1].kind" in str(e.value) and "job_coaching" in str(e.value)
    p = plan(case, book=BOOK, sensitivity=False, lang="nl")
    r = reference_plan(case, book=BOOK)
    assert (p.end_date, p.days_to_work, p.already_admissible) == (r.end_date, r.days_to_work, r.already_admissible)
    assert p.window.extended_by_days > 0  # it began right after a job: it extends
    neither = copy.deepcopy(d)
    neither["career"][1]["situation"] = "neither"
    q = plan(case_from_dict(neither, kinds=BOOK.kinds), book=BOOK, sensitivity=False)
    assert q.window.extended_by_days == 0
    for lang, name in (("fr", "accompagnement vers l'emploi (fictif)"), ("nl", "trajectbegeleiding naar werk (fictief)"),
                       ("de", "Begleitung zur Beschäftigung (fiktiv)"), ("en", "job coaching (fictional)")):
        texts = " ".join(s.text for s in plan(case, book=BOOK, sensitivity=False, lang=lang).steps)
        assert name in texts, lang
    # under the rules before 2027 the kind did not exist: neither counted nor extending
    assert BOOK.get("reform2026").kind("job_coaching").treatment == "neutral"


def test_a_new_kind_without_its_names_is_refused():
    import pytest

    from art60kit.errors import InputError

    raw = copy.deepcopy(dict(default_rulebook().get("reform2026").raw))
    raw["kinds"]["job_coaching"] = {"treatment": "extends", "reference": "x", "source": "x", "confidence": "U",
                                    "cite": [{"act": "ar", "art": "30"}]}
    raw["kinds"]["work"] = dict(raw["kinds"]["work"], label={"fr": "x", "nl": "x", "de": "x", "en": "x"})
    with pytest.raises(InputError) as e:
        rule_set_from_mapping(raw, "x.yaml")
    msg = str(e.value)
    assert "x.yaml: kinds.job_coaching.label: a kind the case format does not list needs its name in fr, nl, de, en" in msg
    assert "x.yaml: kinds.work.label: only for a kind the case format does not list" in msg
