"""Export and import of a whole register, without loss.

Format: gzip-compressed JSON Lines. The first line is a header
``{"format": "art60kit-register", "format_version": 1, "schema_version": N, ...}``;
every other line is ``{"table": NAME, "row": {...}}``, tables in dependency order, rows
in primary-key order. Dates and times are ISO strings, binary content base64, typed
back from the schema on import, so ``import(export(r))`` holds the same rows — ids,
versions, plans, answers, attachments' bytes and the audit log included.

An export is a read of every request: it needs a reason, is allowed to ONEM and
``system`` only, and is audited (one entry per request). The file is created readable
by its owner only (0600). A partial export (``tables=``: e.g. the versions and
comments without the audit log) is the same read; its header lists its tables, and it
is never imported.

An import is done by a ``system`` user into a register without requests (its CPAS and
users may already be there: identical rows are kept, different ones refused). The
whole file is checked before anything is kept — format and schema version, every
column's type and size, roles, CPAS, references between rows, the SHA-256 of every case
and attachment, the audit log's hash chain — and a bad or tampered file is refused
with one line per problem (:class:`art60kit.errors.InputError`), nothing imported. The
imported audit entries are appended to the target's own chain (new ids and hashes;
the import's own entry names the file's chain head), then one ``import`` entry.
"""
from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import math
import os
import zlib
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Iterator, Optional, Sequence

from sqlalchemy import (
    Boolean, Date, DateTime, Float, Integer, LargeBinary, String, func, insert, select, text,
)

from ..errors import InputError, Problem
from . import audit as A
from . import schema as S
from .cpas import DATA_CREDIT
from .errors import NotEmpty
from .types import ROLES, STATUSES

if TYPE_CHECKING:  # pragma: no cover
    from .store import Register, RegisterSession

FORMAT = "art60kit-register"
FORMAT_VERSION = 1


def _encode(table, row) -> dict[str, Any]:
    out = {}
    for col in table.columns:
        v = row[col.name]
        if v is None:
            out[col.name] = None
        elif isinstance(col.type, LargeBinary):
            out[col.name] = base64.b64encode(bytes(v)).decode("ascii")
        elif isinstance(v, (date, datetime)):
            out[col.name] = v.isoformat()
        else:
            out[col.name] = v
    return out


def _decode(table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for col in table.columns:
        if col.name not in row:
            raise BadInput(detail=f"{table.name}: missing column {col.name}")
        v = row[col.name]
        if v is not None:
            if isinstance(col.type, LargeBinary):
                v = base64.b64decode(v)
            elif isinstance(col.type, DateTime):
                v = datetime.fromisoformat(v)
            elif isinstance(col.type, Date):
                v = date.fromisoformat(v)
        out[col.name] = v
    return out


def export_jsonl(register: "Register", path: str, *, actor: str, reason: str,
                 session: Optional["RegisterSession"] = None,
                 tables: Optional[Sequence[str]] = None) -> int:
    """Write the whole register to ``path``; return the number of rows written.
    ``tables``: only these tables (a partial export, for reading: its header lists
    them and an import refuses it), e.g. the versions and comments a report needs
    without the audit log."""
    if session is None:
        session = register.as_user(actor)
    unknown = sorted(set(tables or ()) - {t.name for t in S.TABLES})
    if unknown:
        raise ValueError(f"no such table in the register: {', '.join(unknown)}")
    chosen = [t for t in S.TABLES if tables is None or t.name in set(tables)]

    def fn(conn, ctx) -> int:
        n = 0
        with _private_gzip(path) as f:
            header = {"format": FORMAT, "format_version": FORMAT_VERSION,
                      "schema_version": S.current_schema_version(conn), "credit": DATA_CREDIT}
            if tables is not None:
                header["tables"] = [t.name for t in chosen]
            f.write(json.dumps(header, ensure_ascii=False) + "\n")
            for table in chosen:
                q = select(table).order_by(*table.primary_key.columns)
                for row in conn.execute(q).mappings():
                    f.write(json.dumps({"table": table.name, "row": _encode(table, row)},
                                       ensure_ascii=False, sort_keys=True) + "\n")
                    n += 1
        ctx.request_ids = list(conn.execute(select(S.requests.c.request_id)
                                            .order_by(S.requests.c.request_id)).scalars())
        ctx.detail = f"export {n} rows" + ("" if tables is None else f" of {', '.join(t.name for t in chosen)}")
        return n

    return session._run("export", "export", fn, reason=reason, is_read=True)


def _private_gzip(path: str):
    """A new gzip text file at ``path``, readable by its owner only (0600), whatever the
    umask; an existing file is emptied and narrowed to 0600 first."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return gzip.open(os.fdopen(fd, "wb"), "wt", encoding="utf-8", compresslevel=6)


#: Longest line read from an export (an attachment's bytes are on one line, base64).
MAX_LINE_CHARS = 96 * 1024 * 1024
#: Largest decompressed plan accepted (plans are zlib-compressed JSON).
MAX_PLAN_BYTES = 16 * 1024 * 1024
#: Problems listed before the rest are only counted.
MAX_PROBLEMS = 100
_INT_RANGE = (-2 ** 31, 2 ** 31 - 1)  # PostgreSQL INTEGER
_KINDS = ("created", "edited", "modification")


class _Problems:
    def __init__(self, path: str):
        self.path, self.items, self.count = path, [], 0

    def add(self, where: str, message: str) -> None:
        self.count += 1
        if self.count <= MAX_PROBLEMS:
            self.items.append(Problem(self.path, where, message))

    def raise_if_any(self) -> None:
        if self.count:
            out = list(self.items)
            if self.count > MAX_PROBLEMS:
                out.append(Problem(self.path, "(file)", f"{self.count - MAX_PROBLEMS} more problems"))
            raise InputError(out)


def _lines(path: str, problems: _Problems) -> Iterator[tuple[int, str]]:
    """Numbered text lines of the gzip file; a damaged file becomes a problem."""
    lineno = 0
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            while True:
                line = f.readline(MAX_LINE_CHARS + 1)
                if not line:
                    return
                lineno += 1
                if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
                    problems.add(f"line {lineno}", f"longer than {MAX_LINE_CHARS} characters")
                    return
                yield lineno, line
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        problems.add(f"line {lineno + 1}" if lineno else "(file)",
                     f"not a readable register export (gzip JSON Lines): {type(exc).__name__}: "
                     f"{str(exc)[:120]}")


def _typed(table, row: Any, where: str, problems: _Problems) -> Optional[dict[str, Any]]:
    """The row with Python values for its columns, or None after reporting each problem."""
    if not isinstance(row, dict):
        problems.add(where, "row: must be an object of columns")
        return None
    names = {c.name for c in table.columns}
    bad = False
    extra = sorted(str(k)[:40] for k in row if k not in names)
    if extra:
        problems.add(where, f"unknown column(s): {', '.join(extra[:5])}")
        bad = True
    out: dict[str, Any] = {}
    for col in table.columns:
        here = f"{where}: {table.name}.{col.name}"
        if col.name not in row:
            problems.add(here, "missing")
            bad = True
            continue
        v, t = row[col.name], col.type
        try:
            if v is None:
                if not col.nullable:
                    raise ValueError("required")
            elif isinstance(t, LargeBinary):
                if not isinstance(v, str):
                    raise ValueError("expected base64 text")
                v = base64.b64decode(v, validate=True)
            elif isinstance(t, DateTime):
                if not isinstance(v, str) or len(v) > 32:
                    raise ValueError("expected an ISO date and time")
                v = datetime.fromisoformat(v)
                if v.tzinfo is not None:
                    raise ValueError("expected a time without time zone (UTC)")
            elif isinstance(t, Date):
                if not isinstance(v, str) or len(v) != 10:
                    raise ValueError("expected an ISO date YYYY-MM-DD")
                v = date.fromisoformat(v)
            elif isinstance(t, Boolean):
                if not isinstance(v, bool):
                    raise ValueError("expected true or false")
            elif isinstance(t, Integer):
                if isinstance(v, bool) or not isinstance(v, int) or not _INT_RANGE[0] <= v <= _INT_RANGE[1]:
                    raise ValueError("expected a whole number within 32 bits")
            elif isinstance(t, Float):
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
                        or abs(v) > 1e15:
                    raise ValueError("expected a finite number")
                v = float(v)
            else:  # String(n) or Text
                if not isinstance(v, str):
                    raise ValueError("expected text")
                if isinstance(t, String) and t.length and len(v) > t.length:
                    raise ValueError(f"longer than {t.length} characters")
                if "\x00" in v:
                    raise ValueError("contains a NUL character")
        except (ValueError, binascii.Error) as exc:
            problems.add(here, str(exc).splitlines()[0][:120] if str(exc) else "invalid")
            bad = True
            continue
        out[col.name] = v
    return None if bad else out


class _Checker:
    """Cross-row checks of one import: keys seen, references, hashes, the audit chain."""

    def __init__(self, conn, problems: _Problems):
        self.p = problems
        self.cpas = {r["nis"]: dict(r) for r in conn.execute(select(S.cpas)).mappings()}
        self.users = {r["user_id"]: dict(r) for r in conn.execute(select(S.users)).mappings()}
        self.requests: dict[str, int] = {}  # id -> current version
        self.versions: set[tuple[str, int]] = set()
        self.plans: set[tuple[str, int]] = set()
        self.answers: set[tuple[str, int]] = set()
        self.comments: set[int] = set()
        self.blobs: dict[str, int] = {}
        self.attachments: dict[int, str] = {}
        self.audit_prev_id, self.audit_prev_hash = 0, A.GENESIS
        self.new_users: dict[str, str] = {}  # user id -> where it was read
        self.in_file: set[tuple[str, str]] = set()  # CPAS and users read from the file
        self.user_entries: dict[str, str] = {}  # user id -> detail of its last add_user entry

    def _ref(self, where, ok: bool, what: str) -> bool:
        if not ok:
            self.p.add(where, what)
        return ok

    def check(self, name: str, r: dict, where: str) -> Optional[str]:
        """Check one typed row; return "insert", "skip" (already there, identical) or None."""
        u, okref = self.users, self._ref
        if name in ("cpas", "users"):
            key = (name, r["nis"] if name == "cpas" else r["user_id"])
            if key in self.in_file:
                self.p.add(f"{where}: {name}", f"{key[1]}: duplicate")
                return None
            self.in_file.add(key)
        if name == "cpas":
            if not (r["nis"].isdigit() and len(r["nis"]) == 5):
                self.p.add(f"{where}: cpas.nis", "expected a 5-digit NIS code")
                return None
            if r["nis"] in self.cpas:
                if self.cpas[r["nis"]] != r:
                    self.p.add(f"{where}: cpas.nis", f"{r['nis']} exists in the register with other values")
                    return None
                return "skip"
            self.cpas[r["nis"]] = r
            return "insert"
        if name == "users":
            ok = okref(f"{where}: users.role", r["role"] in ROLES,
                       f"unknown role {r['role'][:16]!r} (one of {', '.join(ROLES)})")
            if r["role"] == "cpas_agent":
                ok &= okref(f"{where}: users.cpas_nis", r["cpas_nis"] in self.cpas,
                            "a CPAS agent needs a CPAS of the register")
            else:
                ok &= okref(f"{where}: users.cpas_nis", r["cpas_nis"] is None,
                            "only a CPAS agent has a CPAS")
            if not ok:
                return None
            if r["user_id"] in u:
                if u[r["user_id"]] != r:
                    self.p.add(f"{where}: users.user_id",
                               f"{r['user_id']} exists in the register with another name, role or CPAS")
                    return None
                return "skip"
            u[r["user_id"]] = r
            self.new_users[r["user_id"]] = where
            return "insert"
        if name == "requests":
            rid = r["request_id"]
            ok = okref(f"{where}: requests.request_id", rid not in self.requests, "duplicate")
            ok &= okref(f"{where}: requests.cpas_nis", r["cpas_nis"] in self.cpas, "unknown CPAS")
            ok &= okref(f"{where}: requests.request_id", rid.startswith(f"{r['cpas_nis']}-"),
                        "does not start with its CPAS's NIS code")
            ok &= okref(f"{where}: requests.created_by", r["created_by"] in u, "unknown user")
            ok &= okref(f"{where}: requests.status", r["status"] in STATUSES, "unknown status")
            if not ok:
                return None
            self.requests[rid] = r["current_version"]
            return "insert"
        if name == "request_versions":
            key = (r["request_id"], r["version_no"])
            ok = okref(f"{where}: request_versions", key not in self.versions, "duplicate version")
            ok &= okref(f"{where}: request_versions.request_id", r["request_id"] in self.requests,
                        "unknown request")
            ok &= okref(f"{where}: request_versions.created_by", r["created_by"] in u, "unknown user")
            ok &= okref(f"{where}: request_versions.sent_by", r["sent_by"] is None or r["sent_by"] in u,
                        "unknown user")
            ok &= okref(f"{where}: request_versions.status", r["status"] in STATUSES, "unknown status")
            ok &= okref(f"{where}: request_versions.kind", r["kind"] in _KINDS, "unknown kind")
            ok &= okref(f"{where}: request_versions.case_sha256",
                        hashlib.sha256(r["case_json"].encode("utf-8")).hexdigest() == r["case_sha256"],
                        "does not match the case (the case was changed)")
            try:
                ok &= okref(f"{where}: request_versions.case_json",
                            isinstance(json.loads(r["case_json"]), dict), "not a case object")
            except (ValueError, RecursionError):
                ok = okref(f"{where}: request_versions.case_json", False, "not valid JSON")
            if not ok:
                return None
            self.versions.add(key)
            return "insert"
        if name in ("plans", "onem_answers"):
            key = (r["request_id"], r["version_no"])
            seen = self.plans if name == "plans" else self.answers
            ok = okref(f"{where}: {name}", key not in seen, "duplicate")
            ok &= okref(f"{where}: {name}.version_no", key in self.versions, "unknown version")
            if name == "onem_answers":
                ok &= okref(f"{where}: onem_answers.answered_by", r["answered_by"] in u, "unknown user")
            elif r["plan_json"] is not None:
                ok &= okref(f"{where}: plans.plan_json", _plan_ok(r["plan_json"]),
                            f"not a compressed JSON plan of at most {MAX_PLAN_BYTES // 2 ** 20} MB")
            if not ok:
                return None
            seen.add(key)
            return "insert"
        if name == "comments":
            ok = okref(f"{where}: comments.comment_id", r["comment_id"] not in self.comments, "duplicate")
            ok &= okref(f"{where}: comments.request_id", r["request_id"] in self.requests, "unknown request")
            ok &= okref(f"{where}: comments.author", r["author"] in u, "unknown user")
            if not ok:
                return None
            self.comments.add(r["comment_id"])
            return "insert"
        if name == "blobs":
            c = r["content"]
            ok = okref(f"{where}: blobs.sha256", r["sha256"] not in self.blobs, "duplicate")
            ok &= okref(f"{where}: blobs.sha256", hashlib.sha256(c).hexdigest() == r["sha256"],
                        "does not match the content (the file was changed)")
            ok &= okref(f"{where}: blobs.size", r["size"] == len(c), "does not match the content")
            if not ok:
                return None
            self.blobs[r["sha256"]] = len(c)
            return "insert"
        if name == "attachments":
            aid = r["attachment_id"]
            ok = okref(f"{where}: attachments.attachment_id", aid not in self.attachments, "duplicate")
            ok &= okref(f"{where}: attachments.request_id", r["request_id"] in self.requests,
                        "unknown request")
            ok &= okref(f"{where}: attachments.sha256", r["sha256"] in self.blobs, "unknown content")
            ok &= okref(f"{where}: attachments.size", self.blobs.get(r["sha256"]) == r["size"],
                        "does not match the content")
            ok &= okref(f"{where}: attachments.added_by", r["added_by"] in u, "unknown user")
            ok &= okref(f"{where}: attachments.replaces",
                        r["replaces"] is None or self.attachments.get(r["replaces"]) == r["request_id"],
                        "not an earlier attachment of the same request")
            ok &= okref(f"{where}: attachments.filename",
                        bool(r["filename"].strip()) and "/" not in r["filename"] and "\\" not in r["filename"],
                        "not a plain file name")
            if not ok:
                return None
            self.attachments[aid] = r["request_id"]
            return "insert"
        if name == "audit_log":
            eid = r["entry_id"]
            if self.audit_prev_hash == "broken":  # the first break was reported
                self.audit_prev_id = max(eid, self.audit_prev_id)
                return None
            if eid <= self.audit_prev_id:
                self.p.add(f"{where}: audit_log.entry_id", "out of order or duplicate")
                return None
            if r["row_hash"] != A.entry_hash(self.audit_prev_hash, r):
                self.p.add(f"{where}: audit_log.row_hash", f"entry {eid} was altered, or an entry "
                           "before it was removed or inserted (the hash chain breaks here)")
                # report the first break only: later entries would all break too
                self.audit_prev_hash = "broken"
                self.audit_prev_id = eid
                return None
            self.audit_prev_id, self.audit_prev_hash = eid, r["row_hash"]
            if r["action"] == "add_user" and r["outcome"] == "ok" and r["detail"]:
                self.user_entries[r["detail"].split(" ", 1)[0]] = r["detail"]
            return "audit"
        return None  # pragma: no cover - every table is handled above

    def finish(self) -> None:
        # A user's role and CPAS must be those its creation logged: the users table is
        # not chained, the log is (an agent promoted to system, or moved to another
        # CPAS, in the file shows here).
        if self.audit_prev_hash != "broken":
            for uid, where in self.new_users.items():
                r = self.users[uid]
                logged = self.user_entries.get(uid)
                if logged != f"{uid} {r['role']} {r['cpas_nis'] or ''}".strip():
                    self.p.add(f"{where}: users.role", f"{uid}: role or CPAS differ from the "
                               "user's creation in the audit log" if logged else
                               f"{uid}: no creation of this user in the audit log")
        for rid, n in self.requests.items():
            if (rid, n) not in self.versions:
                self.p.add(f"requests.current_version", f"{rid}: version {n} is missing")


def _plan_ok(blob: bytes) -> bool:
    try:
        d = zlib.decompressobj()
        raw = d.decompress(blob, MAX_PLAN_BYTES + 1)
        if len(raw) > MAX_PLAN_BYTES or d.unconsumed_tail:
            return False
        return isinstance(json.loads(raw.decode("utf-8")), dict)
    except (zlib.error, ValueError, RecursionError):
        return False


def import_jsonl(register: "Register", path: str, *, actor: str = "system",
                 reason: str = "import of a register export",
                 session: Optional["RegisterSession"] = None) -> int:
    """Load an export into a register without requests (see the module docstring);
    return the number of rows read from the file. Needs a ``system`` user."""
    if session is None:
        session = register.as_user(actor)
    by_name = {t.name: t for t in S.TABLES}
    order = [t.name for t in S.TABLES]

    def fn(conn, ctx) -> int:
        problems = _Problems(str(path))
        for table in S.TABLES:
            if table.name not in ("cpas", "users", "audit_log") and \
                    conn.execute(select(func.count()).select_from(table)).scalar():
                raise NotEmpty()
        ck = _Checker(conn, problems)
        n, current, pending = 0, -1, []
        audit_rows: list[dict] = []
        header_seen = False

        def flush() -> None:
            if pending and not problems.count:
                conn.execute(insert(by_name[order[current]]), pending)
            pending.clear()

        for lineno, line in _lines(str(path), problems):
            where = f"line {lineno}"
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError):
                problems.add(where, "not valid JSON")
                continue
            if not header_seen:
                header_seen = True
                if not isinstance(rec, dict) or rec.get("format") != FORMAT:
                    problems.add(where, "not a register export (no art60kit-register header)")
                    break
                if rec.get("format_version") != FORMAT_VERSION:
                    problems.add(where, f"format version {str(rec.get('format_version'))[:20]}: "
                                        f"this art60kit reads version {FORMAT_VERSION}")
                if rec.get("schema_version") != S.SCHEMA_VERSION:
                    problems.add(where, f"schema version {str(rec.get('schema_version'))[:20]}: "
                                        f"this art60kit imports schema {S.SCHEMA_VERSION} only")
                if "tables" in rec:
                    problems.add(where, "a partial export (some tables only): only a whole export can be imported")
                    break
                continue
            if not isinstance(rec, dict) or set(rec) != {"table", "row"}:
                problems.add(where, 'expected {"table": NAME, "row": {...}}')
                continue
            name = rec["table"]
            if name not in by_name:
                problems.add(where, f"unknown table {str(name)[:40]!r}")
                continue
            n += 1
            idx = order.index(name)
            if idx < current:
                problems.add(where, f"table {name} after {order[current]} (tables must come in "
                                    "dependency order)")
                continue
            if idx != current:
                flush()
                current = idx
            row = _typed(by_name[name], rec["row"], where, problems)
            if row is None:
                continue
            verdict = ck.check(name, row, where)
            if verdict == "insert":
                pending.append(row)
                if len(pending) >= 2000:
                    flush()
            elif verdict == "audit":
                audit_rows.append(row)
            if problems.count > 10 * MAX_PROBLEMS:
                break  # enough to refuse the file; reading on would only count more
        if not header_seen and not problems.count:
            problems.add("(file)", "empty: not a register export")
        flush()
        ck.finish()
        problems.raise_if_any()  # rolls back everything written in this transaction
        if conn.dialect.name == "postgresql":
            # explicit ids were inserted: move each identity sequence past them
            for tname, col in S.IDENTITY_TABLES.items():
                if tname == "audit_log":
                    continue  # audit ids are taken by audit.append
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{tname}', '{col}'), "
                    f"COALESCE((SELECT MAX({col}) FROM {tname}), 0) + 1, false)"))
        A.append(conn, [{k: (v if k != "reason" or v else "(none recorded)")
                         for k, v in r.items() if k not in ("entry_id", "row_hash")}
                        for r in audit_rows])
        ctx.request_ids = []
        ctx.detail = (f"{n} rows from {os.path.basename(str(path))[:100]}; imported log head "
                      f"{ck.audit_prev_id}:{ck.audit_prev_hash[:16]}")
        return n

    return session._run("import", "import", fn, reason=reason)
