"""The calculation engine compiled in another process while the dashboards' set-up does
other work: the kernel's first use in the set-up waits for the one-case entry (compiled
first), plans a population on its own thread with it while the population entry is
still being compiled (the same figures as over the kernel's threads), and over the
threads once the compilation has ended; an interrupted set-up ends the compilation."""
from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("numba")

from art60kit import compile as C  # noqa: E402
from art60kit.batch import kernel as K  # noqa: E402
from art60kit.batch.engine import plan_population  # noqa: E402
from art60kit.batch.synth import population  # noqa: E402


def _sleeping(seconds: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"])


@pytest.fixture
def background(monkeypatch):
    """Pretend a compilation runs in another process (a sleeping one) and say whether
    the one-case entry is in the cache; give the real state back afterwards."""
    monkeypatch.setattr(C, "_BACKGROUND", None)
    ready = {"plan_range": True}
    monkeypatch.setattr(C, "_entry_cached", lambda name: ready.get(name, False))

    def start(seconds: float) -> subprocess.Popen:
        proc = _sleeping(seconds)
        monkeypatch.setattr(C, "_BACKGROUND", (proc, 0.0))
        return proc
    yield start, ready
    C.stop_background()


def test_nothing_compiling_nothing_waited():
    assert C._BACKGROUND is None
    assert C.wait_for_background(True) is True
    assert C.wait_for_background(False) is False


def test_while_the_population_entry_compiles_the_one_case_entry_plans_on_this_thread(background):
    start, ready = background
    proc = start(60)
    assert C.wait_for_background(True) is False  # one-case entry ready, the other not yet
    assert proc.poll() is None and C._BACKGROUND is not None  # not waited for, not ended
    C.stop_background()
    assert proc.poll() is not None and C._BACKGROUND is None


def test_the_first_use_waits_for_the_one_case_entry(background, capsys):
    start, ready = background
    ready["plan_range"] = False
    proc = start(1.5)  # "compiles" both entries, then ends
    assert C.wait_for_background(True) is True  # waited for the end: threads again
    assert proc.returncode == 0 and C._BACKGROUND is None
    err = capsys.readouterr().err
    assert "waiting for the calculation engine" in err and "ready after" in err


def test_a_population_planned_on_one_thread_meanwhile_has_the_same_figures(background):
    cases, lines = population(300, seed=5)
    over_threads = plan_population(cases, lines, progress=False)
    start, ready = background
    start(60)
    calls = []
    real = K.plan_range

    class Spy:
        def __call__(self, *a):
            calls.append(a[1] - a[0])
            return real(*a)
    K.plan_range = Spy()
    try:
        on_one_thread = plan_population(cases, lines, progress=False)
    finally:
        K.plan_range = real
    assert sum(calls) == len(cases)  # every case through the one-case entry
    assert on_one_thread.equals(over_threads)


def test_an_interrupted_wait_ends_the_compilation(background, monkeypatch):
    start, ready = background
    ready["plan_range"] = False
    proc = start(60)

    real_sleep = C.time.sleep
    interrupted = []

    def interrupt(seconds):  # Ctrl-C during the first pause of the wait
        if not interrupted:
            interrupted.append(seconds)
            raise KeyboardInterrupt
        real_sleep(seconds)
    monkeypatch.setattr(C.time, "sleep", interrupt)
    with pytest.raises(KeyboardInterrupt):
        C.wait_for_background(True)
    assert proc.poll() is not None and C._BACKGROUND is None


def test_compiled_code_in_the_store_is_taken_without_another_process(monkeypatch):
    import art60kit.batch.run as R
    state = {"compiled": False}
    monkeypatch.setattr(C, "_BACKGROUND", None)
    monkeypatch.setattr(R, "kernel_compiled", lambda: state["compiled"])
    monkeypatch.setattr(C, "seed_from_store", lambda: state.update(compiled=True) or True)
    started = []
    monkeypatch.setattr(C.subprocess, "Popen", lambda *a, **k: started.append(a))
    assert C.compile_in_background() is False
    assert not started and C._BACKGROUND is None and state["compiled"]
