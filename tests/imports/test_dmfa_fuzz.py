"""Fuzzing the ONSS readers: mutated valid files never escape as anything but the
project's input error, never import part of a refused worker, and stay bounded in time
and memory."""
from __future__ import annotations

import random
import re
import time
import tracemalloc
from datetime import date

import pytest

from art60kit.errors import InputError
from art60kit.imports.dmfa import mask_inss, read_dmfa
from art60kit.imports.synthetic import (DimonaIn, UpdateDeclaration, WorkerUpdate, Occupation, Service,
                                        build_dimona, build_dmfa, build_dmfa_update, random_declarations)

SEEDS = range(250)


def _valid_files() -> list[bytes]:
    decls = random_declarations(6, [(2024, 1), (2024, 2)], n_employers=2, seed=3)
    w = decls[0].workers[0]
    return [
        build_dmfa(decls),
        build_dmfa_update([UpdateDeclaration(2024, 1, decls[0].company_id, [WorkerUpdate(
            w.inss, [Occupation(date(2020, 1, 1), services=[Service(1, 40), Service(2, 5)])])])]),
        build_dimona([DimonaIn(w.inss, decls[0].company_id, date(2024, 4, 1)),
                      DimonaIn(decls[0].workers[-1].inss, decls[0].company_id, date(2024, 1, 1), date(2024, 2, 1))]),
    ]


FILES = _valid_files()
NUMBER = re.compile(rb">(\d{1,12})<")


def _mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    op = rng.randrange(8)
    if op == 0:  # flip bytes
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(len(b))
            b[i] = rng.randrange(256)
    elif op == 1:  # cut a chunk out
        i = rng.randrange(len(b))
        del b[i:i + rng.randint(1, 200)]
    elif op == 2:  # truncate
        del b[rng.randrange(len(b)):]
    elif op == 3:  # a number becomes absurd, negative, empty or not a number
        nums = list(NUMBER.finditer(data))
        m = rng.choice(nums)
        new = rng.choice([b"99999999999", b"-1", b"", b"12,5", b"0", b"1e9", b"\xc3\xa9", b"36600"])
        b = bytearray(data[:m.start(1)] + new + data[m.end(1):])
    elif op == 4:  # duplicate a chunk (repeated elements)
        i = rng.randrange(len(b))
        j = min(len(b), i + rng.randint(1, 400))
        b[j:j] = b[i:j]
    elif op == 5:  # a date goes wrong
        b = bytearray(re.sub(rb"\d{4}-\d{2}-\d{2}", rng.choice([b"2024-02-30", b"0001-01-01", b"9999-12-31",
                                                                  b"24-1-1"]), data, count=rng.randint(1, 3)))
    elif op == 6:  # entity expansion attempt
        b = bytearray(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "' + b"x" * 1000 + b'"><!ENTITY b "&a;&a;&a;&a;'
                      b'&a;&a;&a;&a;&a;&a;">]>' + data.split(b"?>", 1)[1].replace(b"<INSS>", b"<INSS>&b;", 1))
    else:  # a zone disappears
        tags = re.findall(rb"<(\w+)>[^<]*</\1>", data)
        t = rng.choice(tags)
        b = bytearray(re.sub(rb"<" + t + rb">[^<]*</" + t + rb">", b"", data, count=1))
    return bytes(b)


@pytest.mark.parametrize("seed", SEEDS)
def test_mutated_files_fail_cleanly_or_import_whole_workers(seed):
    rng = random.Random(seed)
    data = _mutate(FILES[seed % len(FILES)], rng)
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        imp = read_dmfa(data, name="fuzz.xml", as_of=date(2024, 12, 31))
    except InputError as e:
        assert e.problems and all(p.file == "fuzz.xml" for p in e.problems)
        assert "Traceback" not in str(e)
        _readable_in_every_language(e.problems)
        return
    finally:
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert elapsed < 5, elapsed
        assert peak < 50 * len(data) + 5_000_000, peak
    _readable_in_every_language(imp.warnings + imp.refusal_problems)
    for c in imp.changes:
        assert all(c.text(lang) for lang in ("fr", "nl", "de", "en"))
    refused = {r.worker for r in imp.refused}
    # Nothing of a refused worker is imported.
    assert not refused & {mask_inss(p.inss) for p in imp.persons if p.lines}
    assert imp.workers_read >= 1
    for p in imp.persons:
        for l in p.lines:
            assert l["source"] in ("dmfa", "dimona") and l["source_ref"]
            if isinstance(l.get("days"), float):
                assert 0 <= l["days"] <= 92
            if isinstance(l.get("hours"), float):
                assert 0 <= l["hours"] <= 24 * 92


def _readable_in_every_language(problems) -> None:
    """Whatever the file holds, each problem writes itself in every language as one
    line naming the file (never a raw key, never a formatting error)."""
    for p in problems:
        for lang in ("fr", "nl", "de", "en"):
            line = p.text(lang)
            assert line.startswith("fuzz.xml: ") and "\n" not in line and "import." not in line, line
