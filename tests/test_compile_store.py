"""The compiled population kernel kept in a per-user store and reused by another
checkout: keyed by the exact sources of every kernel module, copied whole or not at
all, off when asked; a checkout's own cache cleared when any kernel module changed."""
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
    (first / "search.plan_chunk-1.py311.nbi").write_bytes(b"index")
    (first / "search.plan_chunk-1.py311.1.nbc").write_bytes(b"code")
    (first / "other.f-1.py311.nbi").write_bytes(b"not the kernel")
    (first / C.STAMP).write_text(C.sources_digest(), encoding="utf-8")  # compiled from these sources
    assert not C.seed_from_store()  # nothing stored yet
    C.save_to_store()
    store = C.store_dir()
    assert (store / "complete").exists()
    assert sorted(p.name for p in store.iterdir()) == ["complete", "search.plan_chunk-1.py311.1.nbc",
                                                       "search.plan_chunk-1.py311.nbi"]
    second = caches("second")
    assert C.seed_from_store()
    assert (second / "search.plan_chunk-1.py311.nbi").read_bytes() == b"index"
    assert (second / "search.plan_chunk-1.py311.1.nbc").read_bytes() == b"code"
    assert (second / C.STAMP).read_text(encoding="utf-8") == C.sources_digest()  # the store's key holds it


def _changed(tmp_path, i: int) -> tuple:
    """The kernel's sources with source ``i`` replaced by a copy with one comment more."""
    src = C._SOURCES[i]
    changed = tmp_path / "changed" / src.name
    changed.parent.mkdir(exist_ok=True)
    changed.write_text(src.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    return C._SOURCES[:i] + (changed,) + C._SOURCES[i + 1:]


def test_the_sources_are_every_kernel_module():
    names = {p.name for p in C._SOURCES}
    for module in ("calendar", "ledger", "credit", "window", "conditions", "skip", "search", "structs", "base"):
        assert f"{module}.py" in names
    assert "bounds.py" in names  # its constant is compiled into the search


def test_store_key_follows_every_source_and_can_be_turned_off(caches, monkeypatch, tmp_path):
    key = C.store_dir()
    keys = {key}
    for i in range(len(C._SOURCES)):
        with monkeypatch.context() as m:
            m.setattr(C, "_SOURCES", _changed(tmp_path, i))
            keys.add(C.store_dir())
    assert len(keys) == len(C._SOURCES) + 1  # a change in any module is another key
    monkeypatch.setenv(C.STORE_ENV, "")
    assert C.store_dir() is None and not C.seed_from_store()


def test_a_change_in_any_kernel_module_clears_the_compiled_code(tmp_path, monkeypatch):
    """numba checks only a function's own file on loading it; the stamp of every source's
    digest beside the cache clears the kernel's compiled code when any of them changed
    (a caller's machine code holds its callees from the other modules)."""
    cache = tmp_path / "cache"
    cache.mkdir()

    def compiled():
        for name in ("search.plan_chunk-1.py311.nbi", "search.plan_chunk-1.py311.1.nbc",
                     "credit.window_credit-2.py311.nbi"):
            (cache / name).write_bytes(b"code")
        (cache / "elsewhere.f-1.py311.nbi").write_bytes(b"not the kernel")

    compiled()
    assert C.clear_stale_cache(cache)  # no stamp: code of unknown sources
    assert sorted(p.name for p in cache.iterdir()) == ["elsewhere.f-1.py311.nbi", C.STAMP]
    compiled()
    assert not C.clear_stale_cache(cache)  # same sources: kept
    assert (cache / "search.plan_chunk-1.py311.nbi").exists()
    monkeypatch.setattr(C, "_SOURCES", _changed(tmp_path, [p.name for p in C._SOURCES].index("credit.py")))
    assert C.clear_stale_cache(cache)  # a callee's module changed: the caller's code goes too
    assert sorted(p.name for p in cache.iterdir()) == ["elsewhere.f-1.py311.nbi", C.STAMP]
    assert (cache / C.STAMP).read_text(encoding="utf-8") == C.sources_digest()


def test_the_kernel_package_guards_its_cache():
    """Importing the kernel stamped numba's cache folder of its modules with the digest of
    the present sources."""
    from art60kit.batch import kernel as K

    cache = Path(K.plan_chunk._cache._cache_path)
    assert (cache / C.STAMP).read_text(encoding="utf-8") == C.sources_digest()
    from art60kit.batch.kernel import calendar, credit

    # one folder, so one stamp, for every module's compiled code
    for f in (K.plan_range, credit.window_credit, calendar.ymd):
        assert Path(f._cache._cache_path) == cache


def test_a_half_written_store_is_not_used(caches):
    caches("first")
    store = C.store_dir()
    store.mkdir(parents=True)
    (store / "search.plan_chunk-1.py311.nbi").write_bytes(b"index")  # no "complete" mark
    target = caches("second")
    assert not C.seed_from_store()
    assert not target.exists() or not any(target.iterdir())


def test_code_compiled_from_other_sources_is_not_stored(caches):
    """A cache stamped with another digest (a source edited while it compiled) or not
    stamped at all is never kept under the present sources' key."""
    first = caches("first")
    first.mkdir(parents=True)
    (first / "search.plan_chunk-1.py311.nbi").write_bytes(b"index")
    C.save_to_store()
    assert not C.store_dir().exists()
    (first / C.STAMP).write_text("0" * 64, encoding="utf-8")
    C.save_to_store()
    assert not C.store_dir().exists()
    (first / C.STAMP).write_text(C.sources_digest(), encoding="utf-8")
    C.save_to_store()
    assert (C.store_dir() / "complete").exists()
