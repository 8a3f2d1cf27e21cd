"""DmfA import speed: a synthetic file of 100 workers x 12 quarters (issue 6: < 2 s).

Two ways to run it:

    .venv/bin/python -m pytest benchmarks/bench_dmfa_import.py      # pytest-benchmark table
    .venv/bin/python benchmarks/bench_dmfa_import.py [--workers 100 --quarters 12]

The file is generated in a temporary folder (never committed): 5 employers, about a
quarter of the workers part-time, holidays, sickness and temporary unemployment lines;
it is checked against the official schema before timing. The timing covers reading the
file from disk, streaming it, mapping the service codes and building the career lines
of every person; the merge of one person's lines is timed separately.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from art60kit.imports.dmfa import read_dmfa
from art60kit.imports.merge import merge
from art60kit.imports.synthetic import build_dmfa, random_declarations

XSD = Path(__file__).resolve().parents[1].parent / "shared" / "domain" / "dmfa" / "DmfAOriginal_20223.xsd"
LIMIT_SECONDS = 2.0


def quarters(n: int, first_year: int = 2022) -> list[tuple[int, int]]:
    return [(first_year + i // 4, i % 4 + 1) for i in range(n)]


def make_file(folder: Path, workers: int = 100, n_quarters: int = 12, seed: int = 0) -> Path:
    f = folder / f"dmfa_{workers}x{n_quarters}.xml"
    f.write_bytes(build_dmfa(random_declarations(workers, quarters(n_quarters), seed=seed)))
    return f


def check_schema(f: Path) -> None:
    from lxml import etree

    if XSD.exists():
        schema = etree.XMLSchema(etree.parse(str(XSD)))
        schema.assertValid(etree.parse(str(f)))


def test_dmfa_import_100_workers_12_quarters(benchmark, tmp_path):
    f = make_file(tmp_path)
    check_schema(f)
    imp = benchmark.pedantic(read_dmfa, args=(f,), rounds=5, iterations=1, warmup_rounds=1)
    assert len(imp.persons) == 100
    assert all(len(p.quarters) == 12 for p in imp.persons)
    assert benchmark.stats.stats.max < LIMIT_SECONDS


def test_merge_one_person(benchmark, tmp_path):
    f = make_file(tmp_path, workers=10)
    lines = list(read_dmfa(f).persons[0].lines)
    manual = [{"kind": "work", "start": "2024-10-01", "end": "2024-12-31", "days_per_week": 5}]
    r = benchmark(merge, lines, manual)
    assert r.lines


def main() -> None:
    import tempfile

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=100)
    ap.add_argument("--quarters", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        f = make_file(Path(d), a.workers, a.quarters)
        gen = time.perf_counter() - t
        check_schema(f)
        times = []
        for _ in range(a.rounds):
            t = time.perf_counter()
            imp = read_dmfa(f)
            times.append(time.perf_counter() - t)
        n_lines = sum(len(p.lines) for p in imp.persons)
        print(f"file: {a.workers} workers x {a.quarters} quarters, {f.stat().st_size / 1e6:.2f} MB, "
              f"generated in {gen:.2f} s, schema-valid")
        print(f"import: best {min(times):.3f} s, worst {max(times):.3f} s over {a.rounds} rounds; "
              f"{len(imp.persons)} persons, {n_lines} career lines (limit {LIMIT_SECONDS:g} s)")


if __name__ == "__main__":
    main()
