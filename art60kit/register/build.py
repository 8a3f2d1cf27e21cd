"""Build a register from the synthetic generator, fast: one transaction, bulk inserts.

``build_register("var/register.sqlite")`` makes the bundled 20,000-request register
(the dashboards read it through the register API). It is built at set-up time, not
committed. Command line::

    python -m art60kit.register build [--out var/register.sqlite | --url URL]
                                      [--size 20000] [--seed 607] [--processes N] [--force]

The bulk path writes exactly what the API would have written for the same history:
version rows, plans, answers, comments, attachments, and one audit entry per event
(creation, edit, sending, modification, ONEM read and answer, comments, attachments,
CPAS reads of the answer), at the synthetic times, under the synthetic users.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from sqlalchemy import func, insert, select

from . import audit as A
from . import schema as S
from .casedata import canonical_json, derived_fields, plan_row, sha256_text
from .errors import NotEmpty, RegisterError
from .store import Register, _asdict
from .synth import SynthConfig, SyntheticRegister, generate

DEFAULT_PATH = "var/register.sqlite"
_CHUNK = 5000


@dataclass(frozen=True)
class BuildReport:
    url: str
    requests: int
    versions: int
    answered: int
    audit_entries: int
    seconds_generate: float
    seconds_load: float
    file_bytes: Optional[int]


def load_synthetic(register: Register, synth: SyntheticRegister, *, keep_plan_steps: bool = False,
                   actor: str = "synthetic-generator") -> int:
    """Insert a generated register into an empty one; return the number of audit entries.

    ``keep_plan_steps`` False stores each plan without its explanation steps (the steps
    are recomputed by ``art60kit plan`` when needed) to keep the file small.
    """
    reqs, vers, plans, answers, comments, blobs, atts, audit = [], [], [], [], [], {}, [], []

    def log(at, user, role, action, rid, reason=None, detail=None):
        audit.append(dict(at=at, user_id=user, role=role, action=action, request_id=rid,
                          reason=reason or f"write: {action}", outcome="ok", detail=detail))

    for r in synth.requests:
        revision = 0
        last = r.created_at
        for v in r.versions:
            text = canonical_json(v.case)
            status = "calculated" if v.answer else ("sent" if v.sent_at else "draft")
            vers.append(dict(request_id=r.request_id, version_no=v.version_no,
                             parent_version_no=v.parent_version_no, kind=v.kind,
                             change_note=v.change_note, created_at=v.created_at,
                             created_by=v.created_by, case_json=text, case_sha256=sha256_text(text),
                             status=status, sent_at=v.sent_at, sent_by=v.sent_by,
                             **derived_fields(v.case)))
            row = plan_row(r.request_id, v.version_no, v.case, None, v.created_at,
                           keep_steps=keep_plan_steps, precomputed=v.plan,
                           precomputed_error=v.plan_error)
            if row is not None:
                plans.append(row)
            action = {"created": "create", "edited": "edit", "modification": "modify"}[v.kind]
            log(v.created_at, v.created_by, "cpas_agent", action, r.request_id,
                detail=f"copy of version {v.parent_version_no}" if v.kind == "modification" else None)
            revision += 1
            last = max(last, v.created_at)
            if v.sent_at:
                log(v.sent_at, v.sent_by, "cpas_agent", "send", r.request_id, detail=f"version {v.version_no}")
                revision += 1
                last = max(last, v.sent_at)
            if v.answer:
                a = v.answer
                at = a["answered_on"]
                rec = next((x["at"] for x in r.reads if x["user_id"] == a["answered_by"]), None)
                answers.append(dict(request_id=r.request_id, version_no=v.version_no,
                                    days_to_work=a["days_to_work"], end_date=a["end_date"],
                                    answered_on=at, answered_by=a["answered_by"],
                                    recorded_at=rec, note=None))
                log(rec, a["answered_by"], "onem", "answer", r.request_id, detail=f"version {v.version_no}")
                revision += 1
                last = max(last, rec)
        for x in r.reads:
            log(x["at"], x["user_id"], "onem" if x["user_id"].startswith("onem-") else "cpas_agent",
                "read", r.request_id, reason=x["reason"])
        for c in r.comments:
            comments.append(dict(request_id=r.request_id, **c))
            log(c["created_at"], c["author"], "onem" if c["author"].startswith("onem-") else "cpas_agent",
                "comment", r.request_id)
        for a in r.attachments:
            digest = hashlib.sha256(a["content"]).hexdigest()
            blobs[digest] = dict(sha256=digest, size=len(a["content"]), content=a["content"])
            atts.append(dict(request_id=r.request_id, version_no=a["version_no"], sha256=digest,
                             filename=a["filename"], media_type=a["media_type"], size=len(a["content"]),
                             added_by=a["added_by"], added_at=a["added_at"], replaces=None))
            log(a["added_at"], a["added_by"], "cpas_agent", "attach", r.request_id,
                detail=f"{a['filename']} sha256:{digest[:12]}")
        cur = r.versions[-1]
        reqs.append(dict(request_id=r.request_id, cpas_nis=r.cpas_nis, person_ref=r.person_ref,
                         status="calculated" if cur.answer else ("sent" if cur.sent_at else "draft"),
                         current_version=cur.version_no, revision=revision, created_at=r.created_at,
                         created_by=r.created_by, updated_at=last))
    audit.sort(key=lambda e: (e["at"], e["request_id"] or "", e["action"]))

    with register.engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(S.requests)).scalar():
            raise NotEmpty()
        known = set(conn.execute(select(S.cpas.c.nis)).scalars())
        new_cpas = [_asdict(c) for c in synth.cpas if c.nis not in known]
        known_users = set(conn.execute(select(S.users.c.user_id)).scalars())
        new_users = [_asdict(u) for u in synth.users if u.user_id not in known_users]
        for table, rows in ((S.cpas, new_cpas), (S.users, new_users), (S.requests, reqs),
                            (S.versions, vers), (S.plans, plans), (S.answers, answers),
                            (S.comments, comments), (S.blobs, list(blobs.values())),
                            (S.attachments, atts)):
            for i in range(0, len(rows), _CHUNK):
                conn.execute(insert(table), rows[i:i + _CHUNK])
        # users are created like add_user does it, and logged the same way (the time
        # of the first event, found once: not once per user over every entry)
        first_at = min((e["at"] for e in audit), default=None) or register.clock()
        audit[:0] = [dict(at=first_at,
                          user_id=actor, role="system", action="add_user", request_id=None,
                          reason="write: add_user", outcome="ok",
                          detail=f"{u['user_id']} {u['role']} {u['cpas_nis'] or ''}".strip())
                     for u in new_users]
        audit.append(dict(
            at=register.clock(), user_id=actor, role="system", action="import", request_id=None,
            reason="synthetic register build", outcome="ok",
            detail=f"seed={synth.config.seed} size={synth.config.size} requests={len(reqs)}"))
        A.append(conn, audit, chunk=_CHUNK)  # ids and hash chain
    return len(audit)


def build_register(target: str = DEFAULT_PATH, *, size: int = 20_000, seed: int = SynthConfig.seed,
                   processes: Optional[int] = None, force: bool = False,
                   planner: Any = None, log: Optional[Callable[[str], None]] = None,
                   read_cases: Optional[dict] = None) -> BuildReport:
    """Generate and load a synthetic register at ``target`` (a path or a URL).

    An existing non-empty register is refused unless ``force`` (SQLite files only are
    then deleted and rebuilt). ``processes`` defaults to the number of CPUs. ``log``
    receives a line as each step starts (progress for a person waiting). ``read_cases``:
    a mapping that receives the cases read to plan them, keyed by their content hash
    (:func:`art60kit.register.synth.generate`).
    """
    say = log or (lambda msg: None)
    url = target if "://" in target else None
    path = None if url else Path(target)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and force:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    procs = processes or os.cpu_count() or 1
    t0 = time.perf_counter()
    kwargs = {} if planner is None else {"planner": planner}
    say(f"generating and planning {size} requests ({procs} processes)")
    synth = generate(SynthConfig(size=size, seed=seed), processes=procs, log=say, read_cases=read_cases, **kwargs)
    t1 = time.perf_counter()
    say(f"generated and planned in {t1 - t0:.0f} s; loading them into the register")
    reg = Register.open(url or str(path), planner=None, validator=None)
    try:
        n_audit = load_synthetic(reg, synth)
    finally:
        reg.close()
    t2 = time.perf_counter()
    st = synth.stats()
    return BuildReport(url or str(path), st["requests"], st["versions"], st["answered"], n_audit,
                       round(t1 - t0, 2), round(t2 - t1, 2),
                       path.stat().st_size if path is not None and path.exists() else None)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m art60kit.register",
                                     description="Register tools: build the synthetic register.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate the synthetic register (default: 20,000 requests)")
    where = b.add_mutually_exclusive_group()
    where.add_argument("--out", default=DEFAULT_PATH, help=f"SQLite file (default {DEFAULT_PATH})")
    where.add_argument("--url", help="SQLAlchemy URL, e.g. postgresql://user@host/db")
    b.add_argument("--size", type=int, default=20_000)
    b.add_argument("--seed", type=int, default=SynthConfig.seed)
    b.add_argument("--processes", type=int, default=None)
    b.add_argument("--force", action="store_true", help="rebuild an existing SQLite file")
    from .audit import add_commands, run_command
    add_commands(sub)
    args = parser.parse_args(argv)
    if args.command != "build":
        return run_command(args)
    try:
        report = build_register(args.url or args.out, size=args.size, seed=args.seed,
                                processes=args.processes, force=args.force)
    except (RegisterError, ValueError, OSError) as exc:
        print(f"art60kit register: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    size = f", {report.file_bytes / 1e6:.1f} MB" if report.file_bytes else ""
    print(f"{report.url}: {report.requests} requests, {report.versions} versions, "
          f"{report.answered} ONEM answers, {report.audit_entries} audit entries{size} "
          f"(generated in {report.seconds_generate} s, loaded in {report.seconds_load} s)")
    return 0
