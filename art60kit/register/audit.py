"""The audit log: append-only in the database, chained by hashes, with stated reasons.

Three guards, each against a different threat:

* **The database refuses changes.** Triggers refuse ``UPDATE`` and ``DELETE`` on
  ``audit_log`` on SQLite and PostgreSQL; an ``INSERT`` that reuses an existing entry id
  (SQLite ``INSERT OR REPLACE`` / ``REPLACE INTO``, ``INSERT ... ON CONFLICT DO UPDATE``)
  is refused too, and PostgreSQL refuses ``TRUNCATE``. Opening a register checks the
  triggers (:func:`check_protection`): a missing, altered or disabled trigger is
  re-created when the connection may do so (and the repair is logged), otherwise the
  register refuses to open. On PostgreSQL the application connects with a role that does
  not own the tables (:func:`grant_application_role`), so it can neither drop nor
  disable a trigger.
* **A hash chain shows any rewrite.** Each entry stores ``row_hash`` = SHA-256 of the
  previous entry's hash and of its own fields (id included). :func:`verify` recomputes
  the chain and names the first entry that does not match — an edited, deleted,
  inserted or reordered entry breaks it from there on. Whoever can rewrite the whole
  table could recompute the chain too: keep the head (last id and hash, printed by
  ``python -m art60kit.register verify``) outside the database now and then, and check
  it later with ``--head ID:HASH``.
* **Every entry states a reason.** Reads need one with at least
  :data:`MIN_REASON_CHARS` letters or digits (invisible characters, spaces and
  punctuation do not count); writes without one record what was written
  (``write: create``). No entry has an empty reason.

Entries are appended only through :func:`append`, which takes the next id and the
previous hash under a lock (SQLite: the writer lock every register transaction takes;
PostgreSQL: a transaction-level advisory lock), so concurrent writers extend one chain.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping, Optional, Sequence

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection

from . import schema as S
from .errors import AuditUnprotected

#: ``row_hash`` of the (virtual) entry before the first one.
GENESIS = "0" * 64
#: Fields covered by an entry's hash, in this order.
HASHED = ("entry_id", "at", "user_id", "role", "action", "request_id", "reason", "outcome",
          "detail")
#: Letters or digits a reason needs (``"r1"``, ``"x"``, a zero-width space: refused).
MIN_REASON_CHARS = 4
#: Longest reason kept (a reason is a sentence, not a document).
MAX_REASON_CHARS = 500
#: Advisory lock key serialising audit appends on PostgreSQL ("a60audit" as a number).
_PG_LOCK = 0x6136_3061_7564


# --- reasons ------------------------------------------------------------------------------

def reason_problem(reason: Any) -> Optional[str]:
    """Why ``reason`` is not an acceptable reason to read personal data, or None.

    >>> reason_problem("suivi du dossier") is None
    True
    >>> reason_problem("\\u200b\\u200b x"), reason_problem(["suivi"])
    ('has 1 letter or digit (at least 4 needed)', 'must be text, not list')
    """
    if not isinstance(reason, str):
        return f"must be text, not {type(reason).__name__}"
    if len(reason) > MAX_REASON_CHARS:
        return f"longer than {MAX_REASON_CHARS} characters"
    n = sum(1 for ch in reason if unicodedata.category(ch)[0] in "LN")
    if n < MIN_REASON_CHARS:
        return f"has {n} letter{'s' if n != 1 else ''} or digit{'s' if n != 1 else ''} (at least {MIN_REASON_CHARS} needed)"
    return None


def stored_reason(reason: Any) -> str:
    """The text kept in the log for a reason that was refused (never empty, bounded)."""
    if reason is None:
        return "(none)"
    if not isinstance(reason, str):
        return f"(not text: {type(reason).__name__})"
    visible = reason.strip()
    return (visible[:MAX_REASON_CHARS] or "(blank)") if visible else f"(blank: {len(reason)} characters)"


# --- the chain ----------------------------------------------------------------------------

def _field(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def entry_hash(previous: str, entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the previous entry's hash and this entry's :data:`HASHED` fields."""
    body = json.dumps([previous] + [_field(entry.get(k)) for k in HASHED], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
    # SQLite: every register transaction starts with BEGIN IMMEDIATE (the writer lock)


def head(conn: Connection) -> tuple[int, str]:
    """Last entry id and hash (0 and :data:`GENESIS` for an empty log)."""
    row = conn.execute(select(S.audit.c.entry_id, S.audit.c.row_hash)
                       .order_by(S.audit.c.entry_id.desc()).limit(1)).first()
    if row is None:
        return 0, GENESIS
    return row[0], row[1] or GENESIS


def chain(entries: Iterable[Mapping[str, Any]], last_id: int, last_hash: str) -> list[dict]:
    """``entries`` with consecutive ids after ``last_id`` and their hashes."""
    out = []
    for e in entries:
        row = dict(e)
        last_id += 1
        row["entry_id"] = last_id
        if not row.get("reason"):
            raise ValueError("audit entry without a reason")  # a programming error, never data
        last_hash = row["row_hash"] = entry_hash(last_hash, row)
        out.append(row)
    return out


def append(conn: Connection, entries: Sequence[Mapping[str, Any]], chunk: int = 5000) -> int:
    """Append ``entries`` (dicts of the audit columns but id and hash) to the chain in
    ``conn``'s transaction; return how many were added."""
    if not entries:
        return 0
    _lock(conn)
    last_id, last_hash = head(conn)
    rows = chain(entries, last_id, last_hash)
    for i in range(0, len(rows), chunk):
        conn.execute(insert(S.audit), rows[i:i + chunk])
    return len(rows)


@dataclass(frozen=True)
class Verification:
    """Result of :func:`verify`. ``first_bad`` is the id of the first entry whose hash
    does not follow from the entries before it (None when the chain holds); ``why``
    says what is wrong there."""

    entries: int
    head_id: int
    head_hash: str
    first_bad: Optional[int] = None
    why: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.first_bad is None


def verify(conn: Connection, expect_head: Optional[tuple[int, str]] = None,
           batch: int = 10_000) -> Verification:
    """Recompute the hash chain of the whole log (streamed, oldest first).

    ``expect_head`` (id, hash) is a head noted earlier: it must still be in the chain
    with the same hash (catches a rewrite of the whole table, or lost last entries).
    """
    prev_id, prev_hash, n = 0, GENESIS, 0
    bad: Optional[tuple[int, str]] = None
    seen_expected = expect_head is None
    cols = [S.audit.c[k] for k in HASHED] + [S.audit.c.row_hash]
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(
        select(*cols).order_by(S.audit.c.entry_id))
    for row in result.mappings():
        n += 1
        eid = row["entry_id"]
        # ids may have gaps (entries logged before the chain existed): a deleted entry
        # shows as the next entry's hash not following from the one before
        if bad is None:
            if row["row_hash"] is None:
                bad = (eid, "no hash")
            elif row["row_hash"] != entry_hash(prev_hash, row):
                bad = (eid, "altered, or an entry before it was removed or inserted: its hash "
                            "does not follow from its content and the previous entry")
        if expect_head is not None and eid == expect_head[0]:
            seen_expected = True
            if row["row_hash"] != expect_head[1] and bad is None:
                bad = (eid, "differs from the head noted earlier")
        prev_id, prev_hash = eid, row["row_hash"] or ""
    if not seen_expected and bad is None:
        bad = (expect_head[0], "the head noted earlier is no longer in the log")
    return Verification(n, prev_id, prev_hash or GENESIS, bad[0] if bad else None,
                        bad[1] if bad else None)


def verify_rows(rows: Sequence[Mapping[str, Any]]) -> Optional[tuple[int, str]]:
    """The chain check of :func:`verify` over rows in memory (an import file's log):
    (id, what is wrong) of the first bad row, or None."""
    prev_id, prev_hash = 0, GENESIS
    for row in rows:
        eid = row.get("entry_id")
        if not isinstance(eid, int) or eid <= prev_id:
            return eid, "entry ids out of order"
        if row.get("row_hash") != entry_hash(prev_hash, row):
            return eid, ("altered, or an entry before it was removed or inserted: its hash "
                         "does not follow from its content and the previous entry")
        prev_id, prev_hash = eid, row["row_hash"]
    return None


# --- protection in the database -----------------------------------------------------------

_SQLITE_TRIGGERS = {
    "audit_log_no_update":
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "audit_log_no_delete":
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    # REPLACE and UPSERT first look like an INSERT of an id that exists
    "audit_log_no_replace":
        "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
        "WHEN EXISTS (SELECT 1 FROM audit_log WHERE entry_id = NEW.entry_id) "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "audit_log_reason_hash":
        "CREATE TRIGGER audit_log_reason_hash BEFORE INSERT ON audit_log "
        "WHEN NEW.reason IS NULL OR NEW.reason = '' OR NEW.row_hash IS NULL "
        "BEGIN SELECT RAISE(ABORT, 'audit_log entries need a reason and a hash'); END",
}

_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql")
_PG_TRIGGERS = {
    "audit_log_append_only":
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "audit_log_no_truncate":
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
}


def protect(conn: Connection) -> None:
    """Create (or re-create) the triggers that make the log append-only."""
    if conn.dialect.name == "sqlite":
        for name, sql in _SQLITE_TRIGGERS.items():
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
            conn.exec_driver_sql(sql)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_FUNCTION)
        for name, sql in _PG_TRIGGERS.items():
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON audit_log")
            conn.exec_driver_sql(sql)
        conn.exec_driver_sql(
            "ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_reason_hash")
        # NOT VALID: entries written before reasons were required stay as they are
        conn.exec_driver_sql(
            "ALTER TABLE audit_log ADD CONSTRAINT audit_log_reason_hash CHECK "
            "(reason IS NOT NULL AND reason <> '' AND row_hash IS NOT NULL) NOT VALID")


def protection_problems(conn: Connection) -> list[str]:
    """What is missing, altered or disabled in the log's protection (empty: all there)."""
    out = []
    if conn.dialect.name == "sqlite":
        found = dict(conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all())
        for name, sql in _SQLITE_TRIGGERS.items():
            if name not in found:
                out.append(f"trigger {name} missing")
            elif " ".join(found[name].split()) != sql:
                out.append(f"trigger {name} altered")
    elif conn.dialect.name == "postgresql":
        found = dict(conn.exec_driver_sql(
            "SELECT t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = 'audit_log' AND c.relnamespace = to_regnamespace(current_schema()) "
            "AND NOT t.tgisinternal").all())
        for name in _PG_TRIGGERS:
            if name not in found:
                out.append(f"trigger {name} missing")
            elif found[name] not in ("O", "A"):
                out.append(f"trigger {name} disabled")
        body = conn.execute(text(
            "SELECT prosrc FROM pg_proc WHERE proname = 'audit_log_append_only'")).scalar()
        if body is None or "RAISE EXCEPTION" not in body:
            out.append("function audit_log_append_only missing or altered")
        con = conn.execute(text(
            "SELECT 1 FROM pg_constraint WHERE conname = 'audit_log_reason_hash'")).first()
        if con is None:
            out.append("constraint audit_log_reason_hash missing")
    return out


def check_protection(engine) -> list[str]:
    """Check the log's protection when a register is opened; restore what is missing
    (returns what was restored, and logs it) or raise :class:`AuditUnprotected` when
    this connection may not restore it."""
    with engine.connect() as conn:
        problems = protection_problems(conn)
    if not problems:
        return []
    try:
        with engine.begin() as conn:
            protect(conn)
            append(conn, [dict(at=_utcnow(), user_id="art60kit", role="system",
                               action="audit_protection_restored", request_id=None,
                               reason="protection of the audit log found missing on opening",
                               outcome="ok", detail="; ".join(problems)[:500])])
    except Exception as exc:  # no right to create triggers: refuse to work unprotected
        raise AuditUnprotected(detail="; ".join(problems) + " — "
                               + (str(exc).splitlines() or [""])[0][:200]) from None
    return problems


def _utcnow() -> datetime:
    from datetime import timezone
    return datetime.now(timezone.utc).replace(tzinfo=None)


# --- PostgreSQL roles ---------------------------------------------------------------------

def grant_application_role(conn: Connection, role: str) -> None:
    """Give ``role`` (an existing PostgreSQL role that does not own the tables) what the
    application needs and nothing more: read and add rows everywhere, update only the
    request and version status columns' tables, never update, delete or truncate the
    audit log, no DDL (so it can neither drop nor disable a trigger)."""
    if not role.replace("_", "").isalnum():
        raise ValueError(f"not a plain role name: {role!r}")
    q = f'"{role}"'
    conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {q}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {q}")
    conn.exec_driver_sql(f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {q}")
    conn.exec_driver_sql(f"GRANT UPDATE ON requests, request_versions TO {q}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {q}")


# --- command line -------------------------------------------------------------------------

def add_commands(sub) -> None:
    """``verify`` and ``grant`` subcommands of ``python -m art60kit.register``."""
    v = sub.add_parser("verify", help="check the audit log's hash chain and guards")
    v.add_argument("register", help="SQLite file or SQLAlchemy URL")
    v.add_argument("--head", help="a head noted earlier, ID:HASH (as printed by verify)")
    g = sub.add_parser("grant", help="PostgreSQL: give an application role the rights it needs "
                                     "(run as the tables' owner)")
    g.add_argument("url", help="URL connecting as the owner of the tables")
    g.add_argument("role", help="existing role the application connects with")


def run_command(args) -> int:
    """Run ``verify`` (exit 0: chain intact; 1: altered, the first bad entry named; 2: bad
    arguments) or ``grant``."""
    import sys

    from sqlalchemy.exc import SQLAlchemyError

    from .errors import RegisterError
    try:
        if args.command == "grant":
            engine = S.make_engine(args.url)
            S.migrate(engine)
            with engine.begin() as conn:
                protect(conn)
                grant_application_role(conn, args.role)
            print(f"{args.role}: may read and add rows, update requests and versions; "
                  "may not change or remove audit entries, nor alter tables")
            return 0
        expect = None
        if args.head:
            hid, _, hh = args.head.partition(":")
            if not hid.isdigit() or len(hh) != 64:
                print(f"art60kit register: --head: expected ID:HASH (64 hex digits), got {args.head[:80]!r}",
                      file=sys.stderr)
                return 2
            expect = (int(hid), hh.lower())
        if "://" not in args.register:
            import os
            if not os.path.isfile(args.register):
                print(f"art60kit register: {args.register}: no such register file", file=sys.stderr)
                return 2
        engine = S.make_engine(args.register)
        with engine.connect() as conn:
            result = verify(conn, expect)
            problems = protection_problems(conn)
        engine.dispose()
    except (RegisterError, SQLAlchemyError, ValueError, OSError) as exc:
        print(f"art60kit register: {(str(exc).splitlines() or [''])[0][:300]}", file=sys.stderr)
        return 2
    for p in problems:
        print(f"warning: {p} (restored the next time the register is opened by its owner)")
    if result.ok:
        print(f"audit log intact: {result.entries} entries; head {result.head_id}:{result.head_hash}")
        return 0
    print(f"audit log ALTERED: entry {result.first_bad}: {result.why} "
          f"({result.entries} entries read)")
    return 1
