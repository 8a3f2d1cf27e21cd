"""Tables, engine set-up and schema migrations of the register.

One schema for SQLite (the embedded default, a single file) and PostgreSQL (through a
URL), written with SQLAlchemy 2 Core so the same statements run on both.

Migrations are numbered steps in :data:`MIGRATIONS`; ``schema_info.schema_version``
records the last one applied. Opening a register applies the missing steps in one
transaction, and refuses a database written by a newer art60kit
(:class:`~art60kit.register.errors.SchemaTooNew`) rather than guess.
"""
from __future__ import annotations

import os
from typing import Callable

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Float, ForeignKey, ForeignKeyConstraint, Index,
    Integer, LargeBinary, MetaData, PrimaryKeyConstraint, String, Table, Text, create_engine,
    event, inspect, select, text,
)
from sqlalchemy.engine import Connection, Engine

from .errors import SchemaTooNew

metadata = MetaData()

schema_info = Table(
    "schema_info", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

cpas = Table(
    "cpas", metadata,
    Column("nis", String(5), primary_key=True),
    Column("name_fr", Text, nullable=False),
    Column("name_nl", Text, nullable=False),
    Column("province_nis", String(5)),
    Column("province_fr", Text),
    Column("province_nl", Text),
    Column("region_nis", String(5), nullable=False),
    Column("region_fr", Text, nullable=False),
    Column("region_nl", Text, nullable=False),
)

users = Table(
    "users", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("cpas_nis", String(5), ForeignKey("cpas.nis")),
)

requests = Table(
    "requests", metadata,
    Column("request_id", String(40), primary_key=True),
    Column("cpas_nis", String(5), ForeignKey("cpas.nis"), nullable=False),
    Column("person_ref", String(64)),
    Column("status", String(12), nullable=False),
    Column("current_version", Integer, nullable=False),
    # every write bumps it; writes carry the value they read (optimistic check)
    Column("revision", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(64), ForeignKey("users.user_id"), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_requests_cpas", "cpas_nis"),
    Index("ix_requests_status", "status"),
)

versions = Table(
    "request_versions", metadata,
    Column("request_id", String(40), ForeignKey("requests.request_id"), nullable=False),
    Column("version_no", Integer, nullable=False),
    Column("parent_version_no", Integer),
    Column("kind", String(16), nullable=False),
    Column("change_note", Text),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(64), ForeignKey("users.user_id"), nullable=False),
    Column("case_json", Text, nullable=False),
    Column("case_sha256", String(64), nullable=False),
    # derived from the case at save time so aggregates never parse JSON
    Column("contract_start", Date),
    Column("age_at_start", Integer),
    Column("n_career_lines", Integer),
    Column("n_events", Integer),
    Column("status", String(12), nullable=False),
    Column("sent_at", DateTime),
    Column("sent_by", String(64), ForeignKey("users.user_id")),
    PrimaryKeyConstraint("request_id", "version_no"),
)

plans = Table(
    "plans", metadata,
    Column("request_id", String(40), nullable=False),
    Column("version_no", Integer, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("error", Text),
    Column("end_date", Date),
    Column("days_to_work", Integer),
    Column("days_required", Float),
    Column("rules", String(32)),
    Column("age_category", String(16)),
    Column("toolkit_version", String(32)),
    Column("computed_at", DateTime),
    Column("plan_json", LargeBinary),  # zlib-compressed JSON of the full plan
    PrimaryKeyConstraint("request_id", "version_no"),
    ForeignKeyConstraint(["request_id", "version_no"],
                         ["request_versions.request_id", "request_versions.version_no"]),
)

answers = Table(
    "onem_answers", metadata,
    Column("request_id", String(40), nullable=False),
    Column("version_no", Integer, nullable=False),
    Column("days_to_work", Integer, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("answered_on", Date, nullable=False),
    Column("answered_by", String(64), ForeignKey("users.user_id"), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("note", Text),
    PrimaryKeyConstraint("request_id", "version_no"),
    ForeignKeyConstraint(["request_id", "version_no"],
                         ["request_versions.request_id", "request_versions.version_no"]),
)

comments = Table(
    "comments", metadata,
    Column("comment_id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(40), ForeignKey("requests.request_id"), nullable=False),
    Column("version_no", Integer),
    Column("author", String(64), ForeignKey("users.user_id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_comments_request", "request_id"),
)

blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

attachments = Table(
    "attachments", metadata,
    Column("attachment_id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(40), ForeignKey("requests.request_id"), nullable=False),
    Column("version_no", Integer),
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
    Column("filename", Text, nullable=False),
    Column("media_type", String(128), nullable=False),
    Column("size", Integer, nullable=False),
    Column("added_by", String(64), ForeignKey("users.user_id"), nullable=False),
    Column("added_at", DateTime, nullable=False),
    Column("replaces", Integer, ForeignKey("attachments.attachment_id")),
    Index("ix_attachments_request", "request_id"),
)

audit = Table(
    "audit_log", metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    # not a foreign key: refused attempts by unknown users are logged too
    Column("user_id", String(64), nullable=False),
    Column("role", String(16)),
    Column("action", String(32), nullable=False),
    Column("request_id", String(40)),
    Column("reason", Text),
    Column("outcome", String(32), nullable=False),
    Column("detail", Text),
    # SHA-256 chaining the entry to the previous one (see audit.py)
    Column("row_hash", String(64)),
    Index("ix_audit_request", "request_id"),
    Index("ix_audit_user", "user_id"),
)

#: Tables in dependency order (export/import and clean-up follow it).
TABLES = (cpas, users, requests, versions, plans, answers, comments, blobs, attachments, audit)
#: Tables with an integer identity whose sequence must follow explicit ids on PostgreSQL.
IDENTITY_TABLES = {"comments": "comment_id", "attachments": "attachment_id", "audit_log": "entry_id"}


# --- migrations -------------------------------------------------------------------------

def _m1_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=[schema_info, *TABLES])


def _m2_append_only_audit(conn: Connection) -> None:
    # The audit log must stay append-only even against a careless SQL client, so the
    # database itself refuses UPDATE and DELETE, not only the Python API.
    if conn.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER audit_log_no_{op.lower()} BEFORE {op} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql")
        conn.exec_driver_sql(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")


def _m3_fact_indexes(conn: Connection) -> None:
    # Dashboards filter sent versions by date; the audit dashboard by time.
    conn.exec_driver_sql("CREATE INDEX ix_versions_sent_at ON request_versions (sent_at)")
    conn.exec_driver_sql("CREATE INDEX ix_audit_at ON audit_log (at)")


def _m4_audit_chain(conn: Connection) -> None:
    # Hash chain over the entries logged so far (in id order), then the full set of
    # guards: UPDATE, DELETE, REPLACE/UPSERT and TRUNCATE refused, reason and hash required.
    from . import audit as A
    if "row_hash" not in {c["name"] for c in inspect(conn).get_columns("audit_log")}:
        conn.exec_driver_sql("ALTER TABLE audit_log ADD COLUMN row_hash VARCHAR(64)")
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    cols = [audit.c[k] for k in A.HASHED]
    prev, updates = A.GENESIS, []
    for row in conn.execute(select(*cols).order_by(audit.c.entry_id)).mappings():
        prev = A.entry_hash(prev, row)
        updates.append({"eid": row["entry_id"], "h": prev})
    if updates:
        conn.execute(text("UPDATE audit_log SET row_hash = :h WHERE entry_id = :eid"), updates)
    A.protect(conn)


def _m5_attachment_names(conn: Connection) -> None:
    # One live attachment per name: two first attachments under one name, or two
    # replacements of one attachment, are refused by the database even when two writers
    # race past the application's check (PostgreSQL READ COMMITTED).
    conn.exec_driver_sql("CREATE UNIQUE INDEX IF NOT EXISTS ux_attachments_first_name "
                         "ON attachments (request_id, filename) WHERE replaces IS NULL")
    conn.exec_driver_sql("CREATE UNIQUE INDEX IF NOT EXISTS ux_attachments_replaces "
                         "ON attachments (replaces) WHERE replaces IS NOT NULL")


#: (number, description, step). Append new steps; never edit a released one.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "tables", _m1_tables),
    (2, "append-only audit log", _m2_append_only_audit),
    (3, "indexes for aggregates", _m3_fact_indexes),
    (4, "audit hash chain and full append-only guards", _m4_audit_chain),
    (5, "one live attachment per name", _m5_attachment_names),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_schema_version(conn: Connection) -> int:
    """0 for an empty database."""
    if not conn.dialect.has_table(conn, "schema_info"):
        return 0
    row = conn.execute(text("SELECT value FROM schema_info WHERE key = 'schema_version'")).first()
    return int(row[0]) if row else 0


def migrate(engine: Engine, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema to ``target``; return the version found before. Idempotent."""
    with engine.begin() as conn:
        found = current_schema_version(conn)
        if found > SCHEMA_VERSION:
            raise SchemaTooNew(found=found, known=SCHEMA_VERSION)
        for number, _description, step in MIGRATIONS:
            if found < number <= target:
                step(conn)
        if target > found:
            if found == 0:
                conn.execute(schema_info.insert().values(key="schema_version", value=str(target)))
            else:
                conn.execute(schema_info.update().where(schema_info.c.key == "schema_version")
                             .values(value=str(target)))
    return found


# --- engine -----------------------------------------------------------------------------

def create_private_file(path: str) -> None:
    """Create ``path`` readable and writable by its owner only (0600) unless it exists:
    a register holds personal data, whatever the process umask. SQLite gives its
    ``-wal`` and ``-shm`` files the mode of the database file."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def make_engine(url: str) -> Engine:
    """An engine for a SQLAlchemy URL or a plain file path (taken as a SQLite file).

    SQLite is set up for several writer processes on one file: WAL journal (readers
    never block the writer), a busy timeout instead of immediate "database is locked",
    and ``BEGIN IMMEDIATE`` so a transaction takes the write lock when it starts — every
    register transaction writes (reads are audited), and taking the lock late is what
    makes two SQLite writers deadlock.
    """
    if "://" not in url:
        url = "sqlite:///" + url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:" and not path.startswith("file:"):
            create_private_file(path)
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised via every test
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            cur = dbapi_conn.cursor()
            if url not in ("sqlite://", "sqlite:///:memory:"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)
