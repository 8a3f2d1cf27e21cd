"""DmfA import speed: a synthetic file of 100 workers x 12 quarters, with and without a
modification declaration correcting a fifth of the workers (target < 2 s), and the
memory of a 100,000-person file (bounded: the file is streamed).

Two ways to run it:

    .venv/bin/python -m pytest benchmarks/bench_dmfa_import.py      # pytest-benchmark table
    .venv/bin/python benchmarks/bench_dmfa_import.py [--workers 100 --quarters 12] [--people 100000]

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

from art60kit.imports.dmfa import read_dmfa, read_dmfa_files
from art60kit.imports.merge import merge
from art60kit.imports.synthetic import build_dmfa, build_dmfa_update, random_declarations, random_updates

DMFA_DIR = next((p / "shared" / "domain" / "dmfa" for p in Path(__file__).resolve().parents
                 if (p / "shared" / "domain" / "dmfa").is_dir()), Path("shared") / "domain" / "dmfa")
XSD = DMFA_DIR / "DmfAOriginal_20223.xsd"
XSD_UPDATE = DMFA_DIR / "DmfAUpdate_20223.xsd"
LIMIT_SECONDS = 2.0


def quarters(n: int, first_year: int = 2022) -> list[tuple[int, int]]:
    return [(first_year + i // 4, i % 4 + 1) for i in range(n)]


def make_file(folder: Path, workers: int = 100, n_quarters: int = 12, seed: int = 0) -> Path:
    f = folder / f"dmfa_{workers}x{n_quarters}.xml"
    f.write_bytes(build_dmfa(random_declarations(workers, quarters(n_quarters), seed=seed)))
    return f


def make_files_with_update(folder: Path, workers: int = 100, n_quarters: int = 12, seed: int = 0
                           ) -> tuple[Path, Path]:
    """An original file and a modification correcting about a fifth of its workers."""
    decls = random_declarations(workers, quarters(n_quarters), seed=seed)
    f = folder / f"dmfa_{workers}x{n_quarters}.xml"
    f.write_bytes(build_dmfa(decls))
    u = folder / f"dmfa_{workers}x{n_quarters}_update.xml"
    u.write_bytes(build_dmfa_update(random_updates(decls, 0.2, seed=seed)))
    return f, u


def check_schema(f: Path, xsd: Path = XSD) -> None:
    from lxml import etree

    if xsd.exists():
        schema = etree.XMLSchema(etree.parse(str(xsd)))
        schema.assertValid(etree.parse(str(f)))


def make_big_file(path: Path, people: int, chunk: int = 2000) -> None:
    """A one-quarter file of ``people`` workers, written chunk by chunk (the generator
    never holds the whole document)."""
    with open(path, "wb") as out:
        out.write(b"<?xml version='1.0' encoding='UTF-8'?>\n<DmfAOriginal>\n")
        for k in range(0, people, chunk):
            decls = random_declarations(min(chunk, people - k), [(2024, 1)], n_employers=1, seed=k)
            xml = build_dmfa(decls)
            out.write(xml.split(b"<DmfAOriginal>", 1)[1].rsplit(b"</DmfAOriginal>", 1)[0])
        out.write(b"</DmfAOriginal>\n")


def measure_in_fresh_process(path: Path) -> dict:
    """Time and peak memory (resident set) of reading ``path`` in a new interpreter."""
    import json
    import subprocess
    import sys

    code = (
        "import json, resource, sys, time\n"
        "from art60kit.imports.dmfa import read_dmfa\n"
        "t = time.perf_counter()\n"
        "imp = read_dmfa(sys.argv[1])\n"
        "dt = time.perf_counter() - t\n"
        "print(json.dumps({'seconds': dt, 'persons': len(imp.persons), 'refused': len(imp.refused),\n"
        "  'lines': sum(len(p.lines) for p in imp.persons),\n"
        "  'max_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n")
    r = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def test_dmfa_import_100_workers_12_quarters(benchmark, tmp_path):
    f = make_file(tmp_path)
    check_schema(f)
    imp = benchmark.pedantic(read_dmfa, args=(f,), rounds=5, iterations=1, warmup_rounds=1)
    assert len(imp.persons) == 100
    assert all(len(p.quarters) == 12 for p in imp.persons)
    assert benchmark.stats.stats.max < LIMIT_SECONDS


def test_dmfa_import_with_modifications(benchmark, tmp_path):
    f, u = make_files_with_update(tmp_path)
    check_schema(u, XSD_UPDATE)
    imp = benchmark.pedantic(read_dmfa_files, args=([f, u],), rounds=5, iterations=1, warmup_rounds=1)
    assert len(imp.persons) == 100 and imp.changes
    assert all(c.action == "corrected" for c in imp.changes)
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
    ap.add_argument("--people", type=int, default=0, help="also read a one-quarter file of that many people")
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
        f, u = make_files_with_update(Path(d), a.workers, a.quarters)
        check_schema(u, XSD_UPDATE)
        times = []
        for _ in range(a.rounds):
            t = time.perf_counter()
            imp = read_dmfa_files([f, u])
            times.append(time.perf_counter() - t)
        print(f"import with a modification ({u.stat().st_size / 1e6:.2f} MB, {len(imp.changes)} figures "
              f"changed): best {min(times):.3f} s, worst {max(times):.3f} s (limit {LIMIT_SECONDS:g} s)")
        if a.people:
            big = Path(d) / "big.xml"
            t = time.perf_counter()
            make_big_file(big, a.people)
            gen = time.perf_counter() - t
            m = measure_in_fresh_process(big)
            print(f"{a.people} people, one quarter: file {big.stat().st_size / 1e6:.0f} MB (generated in {gen:.0f} s); "
                  f"read in {m['seconds']:.1f} s, {m['persons']} persons, {m['lines']} lines, "
                  f"peak resident memory {m['max_rss_mb']:.0f} MB (fresh process)")


if __name__ == "__main__":
    main()
