"""A short run of the input fuzzer (benchmarks/fuzz_inputs.py): every reader of
untrusted input, mutated inputs, a memory and time bound per input; no crash, no
timeout, no row lost. The long run's figures are in benchmarks/results/fuzz_inputs.txt."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import fuzz_inputs  # noqa: E402


@pytest.mark.parametrize("target", sorted(fuzz_inputs.TARGETS))
def test_short_fuzz_run(target):
    found = []
    counts = fuzz_inputs.fuzz(target, 12, seed=7, memory_mb=1536, seconds=60, log=found.append)
    assert found == [] and sum(counts.values()) - counts["skipped"] == 12
    assert set(counts) <= {"ok", "refused", "skipped"}
