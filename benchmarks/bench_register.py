"""Register throughput on SQLite: API inserts, API reads, bulk load and aggregates.

Run: ``.venv/bin/python -m pytest benchmarks/bench_register.py --benchmark-only -q``
(``-p no:cacheprovider`` to keep the tree clean). pytest-benchmark prints the figures.
"""
from __future__ import annotations

import itertools

import pytest

from art60kit.register import Register, User
from art60kit.register.build import load_synthetic
from art60kit.register.cpas import belgian_cpas
from art60kit.register.synth import SynthConfig, generate


def _planner(case):
    return {"end_date": "2026-09-01", "request_date": "2026-09-02", "rules": "reform2026",
            "days_required": 312, "days_to_work": 300, "age_category": None}


CASE = {"case_id": "bench", "person": {"birth_date": "1990-05-02"},
        "contract": {"start": "2025-09-01"},
        "career": [{"kind": "work", "start": f"2023-{m:02d}-02", "end": f"2023-{m:02d}-12",
                    "employer": "Interim Sambre", "days": 8, "days_per_week": 5} for m in range(1, 13)]}


@pytest.fixture
def reg(tmp_path):
    r = Register.open(str(tmp_path / "bench.sqlite"), planner=_planner)
    r.add_cpas(c for c in belgian_cpas() if c.nis == "52011")
    r.add_user(User("a1", "A1", "cpas_agent", "52011"))
    yield r
    r.close()


def test_insert_create_and_send(benchmark, reg):
    me = reg.as_user("a1")

    def create_send():
        r = me.create_request(CASE)
        me.send(r.request_id, expected_revision=r.revision)

    benchmark(create_send)


def test_read_request(benchmark, reg):
    me = reg.as_user("a1")
    ids = itertools.cycle([me.create_request(CASE).request_id for _ in range(50)])
    benchmark(lambda: me.get_request(next(ids), reason="benchmark"))


@pytest.fixture(scope="module")
def synthetic():
    return generate(SynthConfig(size=5000, seed=1), planner=_planner)


def test_bulk_load_5000_requests(benchmark, synthetic, tmp_path_factory):
    def setup():
        path = tmp_path_factory.mktemp("bulk") / "r.sqlite"
        return (Register.open(str(path), planner=None, validator=None),), {}

    benchmark.pedantic(lambda r: load_synthetic(r, synthetic), setup=setup, rounds=3)


def test_aggregate_month_region_5000(benchmark, synthetic, tmp_path):
    r = Register.open(str(tmp_path / "agg.sqlite"), planner=None, validator=None)
    load_synthetic(r, synthetic)
    onem = r.as_user("onem-01")
    out = benchmark(lambda: onem.aggregate(by=("month", "region"), reason="benchmark"))
    assert out["n_versions_sent"].sum() > 0
