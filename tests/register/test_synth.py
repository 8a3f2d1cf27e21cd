"""The synthetic register: deterministic, realistic orders of magnitude, valid cases."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from art60kit.caseio import case_from_dict
from art60kit.register import Register
from art60kit.register.build import load_synthetic
from art60kit.register.casedata import canonical_json
from art60kit.register.synth import SynthConfig, generate

from .conftest import fake_planner


def _dump(s):
    return canonical_json([[r.request_id, r.created_at, r.created_by, r.comments, r.reads,
                            [[v.version_no, v.kind, v.case, v.sent_at, v.answer, v.plan] for v in r.versions]]
                           for r in s.requests])


@pytest.fixture(scope="module")
def synth():
    return generate(SynthConfig(size=3000, seed=11), planner=fake_planner)


def test_deterministic():
    a = generate(SynthConfig(size=150, seed=5), planner=fake_planner)
    b = generate(SynthConfig(size=150, seed=5), planner=fake_planner)
    c = generate(SynthConfig(size=150, seed=6), planner=fake_planner)
    assert _dump(a) == _dump(b) and _dump(a) != _dump(c)


def test_same_register_whatever_the_worker_processes(monkeypatch):
    """Requests generated and cases read for the population engine in worker
    processes give the same register as in one process."""
    import art60kit.register.synth as SY
    monkeypatch.setattr(SY, "PARALLEL_MIN", 10)
    one = generate(SynthConfig(size=60, seed=5), planner=fake_planner)
    two = generate(SynthConfig(size=60, seed=5), planner=fake_planner, processes=2)
    assert _dump(one) == _dump(two)
    items = sorted({canonical_json(c): c for c in one.cases()}.items())[:40]
    a_cases, a_lines = SY._tables(items, 1)
    b_cases, b_lines = SY._tables(items, 2)
    assert a_cases.equals(b_cases) and a_lines.equals(b_lines)
    assert len(a_cases) == 40 and len(a_lines) > 40


def test_every_generated_case_is_valid(synth):
    for case in synth.cases():
        case_from_dict(case, source=case["case_id"])  # raises InputError otherwise


def test_distributions_within_stated_ranges(synth):
    region = {c.nis: c.region_nis for c in synth.cpas}
    province = {c.nis: c.province_nis for c in synth.cpas}
    n = len(synth.requests)
    by_region = Counter(region[r.cpas_nis] for r in synth.requests)
    assert len(synth.cpas) == 565
    assert 0.42 <= by_region["03000"] / n <= 0.54          # Wallonia
    assert 0.22 <= by_region["04000"] / n <= 0.32          # Brussels
    hainaut = sum(province[r.cpas_nis] == "50000" for r in synth.requests)
    assert hainaut / by_region["03000"] > 0.5               # "more than half in Hainaut"
    # default size: Wallonia about 5,000 new requests a year (10,000 workers with 1-2 year contracts)
    cfg = SynthConfig()
    years = (cfg.as_of - cfg.first_day).days / 365.25
    assert 4000 <= by_region["03000"] / n * cfg.size / years <= 7000
    ages = []
    lines = Counter()
    for r in synth.requests:
        c = r.versions[0].case
        b, s = date.fromisoformat(c["person"]["birth_date"]), date.fromisoformat(c["contract"]["start"])
        ages.append(s.year - b.year - ((s.month, s.day) < (b.month, b.day)))
        for l in c["career"]:
            lines["interim" if str(l.get("employer", "")).startswith("Interim") else l["kind"]] += 1
        assert date(2024, 1, 1) <= s <= date(2026, 12, 31)
    assert min(ages) >= 18 and max(ages) <= 64
    assert 0.5 <= sum(a < 36 for a in ages) / n <= 0.7 and 0.07 <= sum(a >= 50 for a in ages) / n <= 0.17
    assert lines["interim"] > sum(v for k, v in lines.items() if k != "interim")  # interim-heavy
    for kind in ("paid_holiday", "sickness_guaranteed_wage", "self_employed_main", "sickness_indemnified", "detention"):
        assert lines[kind] > 0, kind
    versions = [v for r in synth.requests for v in r.versions]
    assert 1.3 <= len(versions) / n <= 1.8
    kinds = Counter(v.kind for v in versions)
    assert kinds["modification"] / n >= 0.2 and kinds["edited"] / n >= 0.05
    sent = [v for v in versions if v.sent_at]
    before = sum(v.sent_at.date() < date(2026, 3, 1) for v in sent) / len(sent)
    assert 0.4 <= before <= 0.8
    answered = [v for v in versions if v.answer]
    assert 0.8 <= len(answered) / len(sent) < 1
    dis = sum(v.answer["end_date"].isoformat() != v.plan["end_date"] for v in answered) / len(answered)
    assert 0.02 <= dis <= 0.12
    delays = sorted((v.answer["answered_on"] - v.sent_at.date()).days for v in answered)
    assert 5 <= delays[len(delays) // 2] <= 14 and delays[int(len(delays) * 0.9)] <= 40
    assert any(v.case["contract"].get("events") for v in versions)
    assert sum(bool(r.comments) for r in synth.requests) / n >= 0.2
    assert sum(bool(r.attachments) for r in synth.requests) / n >= 0.05
    assert not any("niss" in canonical_json(c).lower() for c in list(synth.cases())[:200])


def test_real_planner_on_a_sample():
    s = generate(SynthConfig(size=6, seed=3))  # the toolkit's own planner
    assert s.stats()["plan_errors"] == 0
    for v in (v for r in s.requests for v in r.versions if v.answer and not v.disagreement):
        if v.plan["end_date"] is not None:
            assert v.answer["end_date"].isoformat() == v.plan["end_date"]
            assert v.answer["days_to_work"] == v.plan["days_to_work"]


def test_load_into_register(tmp_path):
    s = generate(SynthConfig(size=300, seed=2), planner=fake_planner)
    reg = Register.open(str(tmp_path / "syn.sqlite"), planner=None, validator=None)
    load_synthetic(reg, s)
    onem = reg.as_user("onem-01")
    agg = onem.aggregate(by=("region",), reason="monitoring")
    st = s.stats()
    assert agg["n_versions_sent"].sum() == st["sent"] and agg["n_calculated"].sum() == st["answered"]
    assert agg["n_disagree"].sum() == st["disagreements"]
    r = s.requests[0]
    got = onem.history(r.request_id, reason="contrôle")
    assert [v.case for v in got] == [v.case for v in r.versions]
    # a loaded request goes on through the normal API
    agent = reg.as_user(r.created_by)
    head = agent.get_request(r.request_id, reason="suivi")
    if head.status in ("sent", "calculated"):
        assert agent.modify(r.request_id, expected_revision=head.revision).status == "draft"
    reg.close()
