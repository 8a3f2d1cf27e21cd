"""The compiled population kernel kept in a per-user store and reused by another
checkout: keyed by the exact source, copied whole or not at all, off when asked."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("numba")

from art60kit import compile as C  # noqa: E402


@pytest.fixture
def caches(tmp_path, monkeypatch):
    from numba.core import config
    monkeypatch.setenv(C.STORE_ENV, str(tmp_path / "store"))

    def use(name: str) -> Path:
        monkeypatch.setattr(config, "CACHE_DIR", str(tmp_path / name))
        return C._cache_dir()
    return use


def test_compiled_code_goes_to_the_store_and_back(caches):
    first = caches("first")
    first.mkdir(parents=True)
    (first / "kernel.plan_chunk-1.py311.nbi").write_bytes(b"index")
    (first / "kernel.plan_chunk-1.py311.1.nbc").write_bytes(b"code")
    (first / "other.f-1.py311.nbi").write_bytes(b"not the kernel")
    assert not C.seed_from_store()  # nothing stored yet
    C.save_to_store()
    store = C.store_dir()
    assert (store / "complete").exists()
    assert sorted(p.name for p in store.iterdir()) == ["complete", "kernel.plan_chunk-1.py311.1.nbc",
                                                       "kernel.plan_chunk-1.py311.nbi"]
    second = caches("second")
    assert C.seed_from_store()
    assert (second / "kernel.plan_chunk-1.py311.nbi").read_bytes() == b"index"
    assert (second / "kernel.plan_chunk-1.py311.1.nbc").read_bytes() == b"code"


def test_store_key_follows_the_source_and_can_be_turned_off(caches, monkeypatch, tmp_path):
    key = C.store_dir()
    changed = tmp_path / "kernel.py"
    changed.write_text(C._SOURCES[0].read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(C, "_SOURCES", (changed, C._SOURCES[1]))
    assert C.store_dir() != key
    monkeypatch.setenv(C.STORE_ENV, "")
    assert C.store_dir() is None and not C.seed_from_store()


def test_a_half_written_store_is_not_used(caches):
    caches("first")
    store = C.store_dir()
    store.mkdir(parents=True)
    (store / "kernel.plan_chunk-1.py311.nbi").write_bytes(b"index")  # no "complete" mark
    target = caches("second")
    assert not C.seed_from_store()
    assert not target.exists() or not any(target.iterdir())
