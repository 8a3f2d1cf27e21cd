"""Immutable values the register returns.

Nothing returned by the register is a live database object: every value is a frozen
dataclass built from one read, so a caller can keep it, compare it, and pass its
``revision`` back to a write to prove it saw the latest state (optimistic check).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping, Optional

from .labels import STATUS_LABELS

#: Lifecycle of one version: draft -> sent -> calculated (CPAS@ONEM statuses).
STATUSES = ("draft", "sent", "calculated")
#: Roles: a CPAS agent sees its own CPAS; ONEM sees everything; an analyst sees only
#: aggregates (no request-level data); ``system`` is for bulk builds and imports.
ROLES = ("cpas_agent", "onem", "analyst", "system")


@dataclass(frozen=True)
class Cpas:
    """A CPAS / OCMW: one per municipality, keyed by the municipality's REFNIS (NIS) code."""

    nis: str
    name_fr: str
    name_nl: str
    province_nis: Optional[str]  # None for the 19 CPAS of the Brussels-Capital Region
    province_fr: Optional[str]
    province_nl: Optional[str]
    region_nis: str
    region_fr: str
    region_nl: str

    def name(self, lang: str = "fr") -> str:
        return self.name_nl if lang == "nl" else self.name_fr


@dataclass(frozen=True)
class User:
    """Someone who uses the register: ``cpas_nis`` is set exactly for CPAS agents."""

    user_id: str
    name: str
    role: str
    cpas_nis: Optional[str] = None


@dataclass(frozen=True)
class PlanSummary:
    """The toolkit's own plan for one version (computed when the version was saved).

    ``ok`` is False when the planner refused the case; ``error`` then holds its
    message. ``data`` is the full ``plan --json`` dict (may be empty when the register
    was built without the explanation steps).
    """

    ok: bool
    end_date: Optional[date] = None
    days_to_work: Optional[int] = None
    days_required: Optional[float] = None
    rules: Optional[str] = None
    age_category: Optional[str] = None
    error: Optional[str] = None
    toolkit_version: Optional[str] = None
    computed_at: Optional[datetime] = None
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class OnemAnswer:
    """ONEM's answer to one sent version: days to work, end date, and when it answered."""

    days_to_work: int
    end_date: date
    answered_on: date
    answered_by: str
    note: Optional[str] = None


@dataclass(frozen=True)
class Version:
    """One immutable version of a request's case.

    ``kind`` says how it came to be: ``created`` (first version), ``edited`` (a new save
    of a draft: the earlier draft is kept, never overwritten) or ``modification`` (the
    editable copy made from a sent or calculated version, ``parent_version_no``).
    ``status`` only moves forward: draft -> sent -> calculated.
    """

    request_id: str
    version_no: int
    parent_version_no: Optional[int]
    kind: str
    status: str
    case: Mapping[str, Any] = field(repr=False)
    case_sha256: str = ""
    created_at: Optional[datetime] = None
    created_by: Optional[str] = None
    change_note: Optional[str] = None
    sent_at: Optional[datetime] = None
    sent_by: Optional[str] = None
    plan: Optional[PlanSummary] = None
    answer: Optional[OnemAnswer] = None

    def status_label(self, lang: str = "fr") -> str:
        return STATUS_LABELS[self.status][lang]

    @property
    def agrees(self) -> Optional[bool]:
        """Whether ONEM's answer equals the toolkit's plan (end date and days); None
        when either is missing."""
        if self.answer is None or self.plan is None or not self.plan.ok:
            return None
        return (self.answer.end_date == self.plan.end_date
                and self.answer.days_to_work == self.plan.days_to_work)


@dataclass(frozen=True)
class Request:
    """A request (dossier) with its current version.

    ``revision`` counts every write to the request; pass it back as
    ``expected_revision`` to the next write. ``status`` is the current version's.
    """

    request_id: str
    cpas_nis: str
    person_ref: Optional[str]
    status: str
    current_version: int
    revision: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    current: Optional[Version] = None

    def status_label(self, lang: str = "fr") -> str:
        return STATUS_LABELS[self.status][lang]


@dataclass(frozen=True)
class Comment:
    comment_id: int
    request_id: str
    version_no: Optional[int]
    author: str
    created_at: datetime
    text: str


@dataclass(frozen=True)
class Attachment:
    """An attached file: stored once by SHA-256 of its content, with its name, media type
    and size. A new file under an existing name must say which attachment it
    ``replaces``; the replaced one stays readable."""

    attachment_id: int
    request_id: str
    version_no: Optional[int]
    sha256: str
    filename: str
    media_type: str
    size: int
    added_by: str
    added_at: datetime
    replaces: Optional[int] = None


@dataclass(frozen=True)
class AuditEntry:
    """One line of the append-only audit log. ``outcome`` is ``ok`` or ``refused``."""

    entry_id: int
    at: datetime
    user_id: str
    role: Optional[str]
    action: str
    request_id: Optional[str]
    reason: Optional[str]
    outcome: str
    detail: Optional[str] = None
    row_hash: Optional[str] = None  # the entry's link in the hash chain (audit.py)
