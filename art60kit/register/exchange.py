"""Export and import of a whole register, without loss.

Format: gzip-compressed JSON Lines. The first line is a header
``{"format": "art60kit-register", "format_version": 1, "schema_version": N, ...}``;
every other line is ``{"table": NAME, "row": {...}}``, tables in dependency order, rows
in primary-key order. Dates and times are ISO strings, binary content base64, typed
back from the schema on import, so ``import(export(r))`` holds the same rows — ids,
versions, plans, answers, attachments' bytes and the audit log included.

An export is a read of every request: it needs a reason, is allowed to ONEM and
``system`` only, and is audited (one entry per request). An import goes into an empty
register only and appends one ``import`` audit entry after the imported log.
"""
from __future__ import annotations

import base64
import gzip
import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import Date, DateTime, LargeBinary, func, insert, select, text

from . import schema as S
from .cpas import DATA_CREDIT
from .errors import BadInput, NotEmpty

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
                 session: Optional["RegisterSession"] = None) -> int:
    """Write the whole register to ``path``; return the number of rows written."""
    if session is None:
        session = register.as_user(actor)

    def fn(conn, ctx) -> int:
        n = 0
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as f:
            header = {"format": FORMAT, "format_version": FORMAT_VERSION,
                      "schema_version": S.current_schema_version(conn), "credit": DATA_CREDIT}
            f.write(json.dumps(header, ensure_ascii=False) + "\n")
            for table in S.TABLES:
                q = select(table).order_by(*table.primary_key.columns)
                for row in conn.execute(q).mappings():
                    f.write(json.dumps({"table": table.name, "row": _encode(table, row)},
                                       ensure_ascii=False, sort_keys=True) + "\n")
                    n += 1
        ctx.request_ids = list(conn.execute(select(S.requests.c.request_id)
                                            .order_by(S.requests.c.request_id)).scalars())
        ctx.detail = f"export {n} rows"
        return n

    return session._run("export", "export", fn, reason=reason, is_read=True)


def import_jsonl(register: "Register", path: str, *, actor: str = "system",
                 reason: str = "import") -> int:
    """Load an export into an empty register; return the number of rows loaded."""
    by_name = {t.name: t for t in S.TABLES}
    try:
        f = gzip.open(path, "rt", encoding="utf-8")
        header = json.loads(f.readline())
    except (OSError, ValueError) as exc:
        raise BadInput(detail=f"{path}: not a register export ({exc})") from None
    if header.get("format") != FORMAT or header.get("format_version") != FORMAT_VERSION:
        raise BadInput(detail=f"{path}: not a register export of format version {FORMAT_VERSION}")
    n = 0
    with f, register.engine.begin() as conn:
        for table in S.TABLES:
            if conn.execute(select(func.count()).select_from(table)).scalar():
                raise NotEmpty()
        batch: list[dict] = []
        current = None

        def flush() -> None:
            if batch:
                conn.execute(insert(by_name[current]), batch)
                batch.clear()

        for lineno, line in enumerate(f, start=2):
            rec = json.loads(line)
            name = rec.get("table")
            if name not in by_name:
                raise BadInput(detail=f"{path}: line {lineno}: unknown table {name!r}")
            if name != current:
                flush()
                current = name
            batch.append(_decode(by_name[name], rec["row"]))
            n += 1
            if len(batch) >= 5000:
                flush()
        flush()
        if conn.dialect.name == "postgresql":
            # explicit ids were inserted: move each identity sequence past them
            for tname, col in S.IDENTITY_TABLES.items():
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{tname}', '{col}'), "
                    f"COALESCE((SELECT MAX({col}) FROM {tname}), 0) + 1, false)"))
        conn.execute(insert(S.audit).values(
            at=register.clock(), user_id=actor, role="system", action="import", request_id=None,
            reason=reason, outcome="ok", detail=f"{n} rows from {path}"))
    return n
