"""Fuzz every reader of untrusted input, with a time and memory bound per input.

Readers: the case loader (YAML and JSON text), the reform file of ``batch --rules``,
the register's export import (gzip JSON Lines), the career CSV reader and the ONSS
reader (DmfA, modifications, Dimona). Inputs are valid seeds changed by random byte
edits, hostile tokens (aliases, huge numbers, entities, quotes, CR, NUL...) and
structural edits (a value replaced, a line removed, duplicated or moved).

Each input runs in a worker process limited to ``--memory`` MB of address space
(RLIMIT_AS) with a ``--seconds`` deadline (SIGALRM in the worker; the parent kills a
worker that does not answer in twice that time). Outcomes:

* ``ok``: accepted; ``refused``: the project's input error, one line per problem;
* ``crash``: any other exception (what a user would see as a traceback, exit 1);
* ``timeout`` / ``killed``: the deadline passed or the worker died (memory, signal);
  the deadline counts the input's own work: each worker first reads one input untimed,
  so loading the reader's modules is not charged to the first input;
* ``lost``: accepted, but rows of the input are missing from the result (case lines,
  imported register rows, CSV lines read back from the reader's own export).

Run::

    python benchmarks/fuzz_inputs.py --per-target 400 --seed 18 --out benchmarks/results/fuzz_inputs.txt

The summary lists, per reader, inputs tried and each outcome; crashes are printed with
the input's seed so they can be replayed (``--replay TARGET:SEED``).
"""
from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKENS = [
    b"*a", b"&a ", b"<<: *a", b"!!python/object:os.system", b"!!binary", b"~", b"1e999", b"-1",
    b"9" * 5000, b"-" + b"9" * 30, b"2024-02-30", b"9999-12-31", b"0000-00-00", b"\x00", b"\r",
    b"\r\n", b'"', b"'", b"{", b"[", b"]", b"}", b":", b",", b";", b"=HYPERLINK(\"x\")", b"+cmd|",
    b"NaN", b"inf", b"\xff\xfe", b"\xe2\x80\x8b", b"<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\">]>",
    b"&x;", b"<![CDATA[", b"]]>", b"<a>", b"</a>", b"true", b"null", b"[[[[[[[[[[", b"{\"a\":" * 50,
]
INTERESTING = [None, True, -1, 0, 10 ** 40, -(10 ** 40), 1.5e308, float("nan"), "", "x" * 5000,
               "9999-12-31", "1900-01-01", "2024-02-30", "\u200b", [], {}, [1, [2, [3]]],
               {"a": {"b": {"c": 1}}}, "=cmd|' /C calc'!A0", "\r\n", "\x00"]


# --- mutation -----------------------------------------------------------------------------

def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        i = rng.randrange(len(b) + 1) if b else 0
        if op == 0 and b:
            b[min(i, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[i:i] = rng.choice(TOKENS)
        elif op == 2 and b:
            del b[i:i + rng.randint(1, 40)]
        elif op == 3 and b:
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randint(1, 200)]
        elif op == 4:
            b = b[:i]
        elif op == 5 and b:
            digits = [k for k in range(len(b)) if 48 <= b[k] <= 57]
            if digits:  # a plausible typo: keeps the structure, changes a figure
                b[rng.choice(digits)] = rng.randrange(48, 58)
        else:
            b[i:i] = rng.choice(TOKENS) * rng.randint(2, 50)
    return bytes(b)


def mutate_tree(value, rng: random.Random):
    """A copy of JSON-like ``value`` with one leaf or list changed."""
    value = json.loads(json.dumps(value))
    paths = []

    def walk(v, path):
        paths.append(path)
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, path + [k])
        elif isinstance(v, list):
            for k, x in enumerate(v):
                walk(x, path + [k])
    walk(value, [])
    path = rng.choice(paths[1:] or [[]])
    if not path:
        return rng.choice(INTERESTING)
    parent = value
    for k in path[:-1]:
        parent = parent[k]
    k = path[-1]
    op = rng.randrange(4)
    if op == 0 and isinstance(parent, dict):
        del parent[k]
    elif op == 1 and isinstance(parent, list):
        parent.insert(k, parent[k])
    else:
        parent[k] = rng.choice(INTERESTING)
    return value


# --- targets ------------------------------------------------------------------------------
# Each target: seeds(rng) -> list of seed values; make(seed_value, rng) -> input bytes;
# run(data, workdir) -> ("ok" | "lost" | "refused", detail). Any exception but
# InputError is a crash.

def _case_seeds():
    from art60kit.caseio import parse_text  # dates stay text
    return [parse_text((ROOT / "examples" / p).read_text(), p) for p in
            sorted(os.listdir(ROOT / "examples")) if p.endswith(".yaml")]


def _case_make(seed, rng):
    if rng.random() < 0.5:
        tree = mutate_tree(seed, rng)
        try:
            text = json.dumps(tree, ensure_ascii=False)
        except ValueError:
            text = json.dumps(seed)
        return (b"J" if rng.random() < 0.5 else b"Y") + text.encode("utf-8", "surrogatepass")
    import yaml
    return b"Y" + mutate_bytes(yaml.safe_dump(seed, allow_unicode=True).encode(), rng)


def _case_run(data, workdir):
    from art60kit.caseio import case_from_dict, parse_text
    fmt = "json" if data[:1] == b"J" else "yaml"
    try:
        text = data[1:].decode("utf-8")
    except UnicodeDecodeError:
        return "refused", "not UTF-8"
    raw = parse_text(text, f"c.{fmt}", fmt)
    case = case_from_dict(raw, source=f"c.{fmt}")
    n_in = len(raw.get("career") or []) if isinstance(raw, dict) else 0
    return ("ok" if len(case.career) == n_in else "lost"), f"{len(case.career)} of {n_in} lines"


def _reform_seeds():
    return [{"reform2026": {"days_required": 234}}, {"ar1991": {"valid_from": "1991-01-01"}}]


def _reform_make(seed, rng):
    import yaml
    if rng.random() < 0.5:
        return yaml.safe_dump(mutate_tree(seed, rng)).encode()
    return mutate_bytes(yaml.safe_dump(seed).encode(), rng)


def _reform_run(data, workdir):
    from art60kit.batch.variants import load_reform
    p = Path(workdir) / "reform.yaml"
    p.write_bytes(data)
    load_reform(p)
    return "ok", ""


_EXPORT: dict = {}


def _export_seed(workdir):
    """An export of a small register and a template register to import into."""
    if _EXPORT:
        return _EXPORT
    from datetime import date
    from art60kit.register import Register, User
    sys.path.insert(0, str(ROOT / "tests"))
    from register.conftest import case, fake_planner, populate
    src = populate(Register.open(os.path.join(workdir, "src.sqlite"), planner=fake_planner))
    a1, onem = src.as_user("a1"), src.as_user("onem1")
    for i in range(2):
        r = a1.create_request(case(case_id=f"c{i}", comment="Dimona seule"), person_ref=f"P{i}")
        r = a1.send(r.request_id, expected_revision=r.revision)
        r = onem.record_answer(r.request_id, days_to_work=300, end_date=date(2026, 8, 20),
                               answered_on=date(2025, 9, 1), expected_revision=r.revision)
        a1.add_comment(r.request_id, "Engagement reporté")
        a1.add_attachment(r.request_id, "paie.pdf", b"%PDF-1.4 " + bytes([i]))
        onem.get_request(r.request_id, reason="contrôle du calcul")
    path = os.path.join(workdir, "e.jsonl.gz")
    src.as_user("sys").export_jsonl(path, reason="sauvegarde mensuelle")
    src.close()
    tpl = Register.open(os.path.join(workdir, "template.sqlite"), planner=None)
    tpl.add_user(User("sys", "System", "system"))
    tpl.close()
    _EXPORT["lines"] = gzip.open(path, "rt", encoding="utf-8").read().splitlines()
    _EXPORT["template"] = os.path.join(workdir, "template.sqlite")
    return _EXPORT


def _jsonl_make(seed, rng):
    lines = list(seed)
    op = rng.randrange(6)
    if op == 0:
        i = rng.randrange(1, len(lines))
        rec = json.loads(lines[i])
        rec["row"] = mutate_tree(rec["row"], rng)
        lines[i] = json.dumps(rec, ensure_ascii=False)
    elif op == 1:
        del lines[rng.randrange(len(lines))]
    elif op == 2:
        i = rng.randrange(len(lines))
        lines.insert(rng.randrange(len(lines)), lines[i])
    elif op == 3:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    text = ("\n".join(lines) + "\n").encode()
    if op == 4:
        text = mutate_bytes(text, rng)
    blob = gzip.compress(text)
    if op == 5:
        blob = mutate_bytes(blob, rng)
    return blob


def _jsonl_run(data, workdir):
    from sqlalchemy import func, select
    from art60kit.register import Register
    from art60kit.register import schema as S
    seed = _export_seed(workdir)
    target = os.path.join(workdir, "t.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(target + suffix):
            os.unlink(target + suffix)
    shutil.copy(seed["template"], target)
    p = os.path.join(workdir, "in.jsonl.gz")
    with open(p, "wb") as f:
        f.write(data)
    reg = Register.open(target, planner=None, validator=None)
    try:
        n = reg.import_jsonl(p, actor="sys")
        # rows lost: every row of the file is in the register (users: "sys" was there)
        recs = [json.loads(x) for x in gzip.open(p, "rt").read().splitlines()[1:]]
        rows = Counter(r["table"] for r in recs)
        # the importer "sys" was in the register already: counted once, file or not
        rows["users"] = len({r["row"]["user_id"] for r in recs if r["table"] == "users"} | {"sys"})
        with reg.engine.connect() as conn:
            got = {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in S.TABLES}
        want = dict(rows)
        want["audit_log"] = rows["audit_log"] + 2  # the importer's creation and the import
        lost = {k: (got.get(k, 0), v) for k, v in want.items() if got.get(k, 0) != v}
        return ("lost" if lost or n != len(recs) else "ok"), str(lost)[:200]
    finally:
        reg.close()


def _csv_seeds():
    from art60kit.caseio import load_case
    from art60kit.imports.career_csv import career_csv_text
    out = []
    for p in sorted((ROOT / "examples").glob("*.yaml")):
        case = load_case(p)
        if case.career:
            out.append(career_csv_text(case.career).encode())
    return out


def _csv_make(seed, rng):
    return mutate_bytes(seed, rng)


def _csv_run(data, workdir):
    from art60kit.imports.career_csv import career_csv_text, read_career_csv
    got = read_career_csv(data, name="c.csv")
    again = read_career_csv(career_csv_text(got.lines).encode(), name="again.csv")
    strip = lambda ls: [{k: v for k, v in dict(x).items() if k != "source_ref"} for x in ls]
    same = strip(again.lines) == strip(got.lines)
    return ("ok" if same else "lost"), f"{len(got.lines)} lines"


def _dmfa_seeds():
    from datetime import date
    from art60kit.imports.synthetic import (DimonaIn, build_dimona, build_dmfa, random_declarations)
    decls = random_declarations(4, [(2024, 1), (2024, 2)], n_employers=2, seed=3)
    w = decls[0].workers[0]
    return [build_dmfa(decls),
            build_dimona([DimonaIn(w.inss, decls[0].company_id, date(2024, 4, 1))])]


def _dmfa_make(seed, rng):
    return mutate_bytes(seed, rng)


def _dmfa_run(data, workdir):
    from art60kit.imports.dmfa import read_dmfa
    read_dmfa(data, name="d.xml")
    return "ok", ""


TARGETS: dict[str, tuple[Callable, Callable, Callable]] = {
    "case": (lambda wd: _case_seeds(), _case_make, _case_run),
    "reform": (lambda wd: _reform_seeds(), _reform_make, _reform_run),
    "register-import": (lambda wd: [_export_seed(wd)["lines"]], _jsonl_make, _jsonl_run),
    "career-csv": (lambda wd: _csv_seeds(), _csv_make, _csv_run),
    "dmfa": (lambda wd: _dmfa_seeds(), _dmfa_make, _dmfa_run),
}


# --- worker -------------------------------------------------------------------------------

class _Deadline(Exception):
    pass


def _on_alarm(*_):
    raise _Deadline()


def _worker(conn, target: str, memory_mb: int, seconds: float, workdir: str) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2 ** 20, memory_mb * 2 ** 20))
    signal.signal(signal.SIGALRM, _on_alarm)
    seeds_fn, make, run = TARGETS[target]
    from art60kit.errors import InputError
    seeds = seeds_fn(workdir)
    # one untimed run first: the reader's modules and tables are loaded once per
    # worker, and their loading is not the input's time
    try:
        run(make(seeds[0], random.Random(0)), workdir)
    except BaseException:  # noqa: BLE001 - only a warm-up; every input is judged below
        pass
    while True:
        msg = conn.recv()
        if msg is None:
            return
        rng = random.Random(msg)
        try:
            data = make(rng.choice(seeds), rng)
        except Exception as exc:  # the generator's own limits, not the reader's
            conn.send(("skipped", f"{type(exc).__name__}: {exc}"[:200]))
            continue
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            outcome, detail = run(data, workdir)
        except _Deadline:
            outcome, detail = "timeout", f"over {seconds} s"
        except InputError as exc:
            lines = [str(p) for p in exc.problems]
            ok = lines and all("\n" not in x and len(x) < 2000 for x in lines)
            outcome, detail = ("refused", lines[0][:120]) if ok else ("crash", "malformed input error")
        except MemoryError:
            outcome, detail = "killed", "out of memory"
        except BaseException as exc:  # what a user would see as a traceback
            outcome = "crash"
            detail = f"{type(exc).__name__}: {str(exc)[:200]} | " + traceback.format_exc().splitlines()[-3][:200]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        conn.send((outcome, detail))


def fuzz(target: str, n: int, seed: int, memory_mb: int = 1024, seconds: float = 10.0,
         log=None) -> Counter:
    """Try ``n`` inputs of ``target``; return the count of each outcome."""
    # spawn, not fork: a fork of a process with threads (a test run, a database pool)
    # can inherit a lock held by another thread and hang
    ctx = mp.get_context("spawn")
    counts: Counter = Counter()
    workdir = tempfile.mkdtemp(prefix=f"fuzz-{target}-")
    proc = parent = None
    try:
        for i in range(n):
            if proc is None or not proc.is_alive():
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_worker, args=(child, target, memory_mb, seconds, workdir),
                                   daemon=True)
                proc.start()
            key = seed * 1_000_003 + i
            parent.send(key)
            # the first input of a worker also builds its seeds: allow for it
            if parent.poll(seconds * 2 + (60 if i == 0 else 0)):
                try:
                    outcome, detail = parent.recv()
                except EOFError:
                    outcome, detail = "killed", "worker died"
            else:
                outcome, detail = "killed", "no answer"
            if outcome == "killed":
                proc.kill()
                proc.join()
                proc = None
            counts[outcome] += 1
            if outcome in ("crash", "timeout", "killed", "lost") and log is not None:
                log(f"{target}:{key}: {outcome}: {detail}")
        if proc is not None:
            parent.send(None)
            proc.join(5)
    finally:
        if proc is not None and proc.is_alive():
            proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    return counts


def replay(target: str, key: str) -> int:
    """Run one input (``TARGET:KEY`` as printed) in this process, without bounds, and
    print its outcome or the traceback."""
    from art60kit.errors import InputError
    seeds_fn, make, run = TARGETS[target]
    workdir = tempfile.mkdtemp(prefix=f"fuzz-{target}-")
    try:
        seeds = seeds_fn(workdir)
        rng = random.Random(int(key))
        data = make(rng.choice(seeds), rng)
        t = time.perf_counter()
        try:
            print(*run(data, workdir), f"({time.perf_counter() - t:.2f} s)")
        except InputError as exc:
            print("refused", *[str(p) for p in exc.problems][:5], f"({time.perf_counter() - t:.2f} s)", sep="\n")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-target", type=int, default=200)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--memory", type=int, default=1024, help="MB of address space per worker")
    ap.add_argument("--seconds", type=float, default=10.0, help="deadline per input")
    ap.add_argument("--targets", nargs="*", default=list(TARGETS))
    ap.add_argument("--out", help="append the summary to this file")
    ap.add_argument("--replay", metavar="TARGET:KEY", help="run the one input printed as TARGET:KEY, in this process")
    args = ap.parse_args(argv)
    if args.replay:
        return replay(*args.replay.rsplit(":", 1))
    lines = [f"fuzz_inputs seed={args.seed} per_target={args.per_target} memory={args.memory} MB "
             f"deadline={args.seconds} s"]
    total: Counter = Counter()
    for t in args.targets:
        t0 = time.perf_counter()
        c = fuzz(t, args.per_target, args.seed, args.memory, args.seconds, log=print)
        total.update(c)
        c.pop("skipped", None)
        lines.append(f"{t:16s} tried {sum(c.values()):5d}  ok {c['ok']:5d}  refused {c['refused']:5d}  "
                     f"crash {c['crash']}  timeout {c['timeout']}  killed {c['killed']}  lost {c['lost']}  "
                     f"({time.perf_counter() - t0:.0f} s)")
    bad = sum(total[k] for k in ("crash", "timeout", "killed", "lost"))
    lines.append(f"{'all':16s} tried {sum(total.values()):5d}  crashes (exit other than 0/2, traceback, "
                 f"kill, timeout) {total['crash'] + total['timeout'] + total['killed']}  rows lost {total['lost']}")
    print("\n".join(lines))
    if args.out:
        with open(args.out, "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
