"""Errors raised by the register.

Each error is one line a user can act on, available in French, Dutch and English
(``err.message("nl")``); ``str(err)`` is the English line. Bad case data is reported
with :class:`art60kit.errors.InputError` (one line per problem), like everywhere else
in the toolkit.
"""
from __future__ import annotations

from .labels import message


class RegisterError(Exception):
    """Base class: ``code`` names the message in :data:`labels.MESSAGES`."""

    code = "bad_input"

    def __init__(self, **params: object):
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return message(self.code, lang, **self.params)


class ReasonRequired(RegisterError):
    """A read without a stated reason is refused (and the refusal is audited)."""
    code = "reason_required"


class BadReason(ReasonRequired):
    """The reason given is not one (invisible characters, one letter, not text...)."""
    code = "bad_reason"


class AuditUnprotected(RegisterError):
    """The audit log's guards are missing and this connection may not restore them."""
    code = "audit_unprotected"


class AccessDenied(RegisterError):
    """The user's CPAS does not own the request, or the role forbids the action."""
    code = "access_denied"


class RoleDenied(AccessDenied):
    code = "role_denied"


class UnknownUser(AccessDenied):
    code = "unknown_user"


class NotFound(RegisterError):
    code = "not_found"


class VersionConflict(RegisterError):
    """Optimistic check failed: someone else wrote the request since the caller read it."""
    code = "conflict"


class InvalidTransition(RegisterError):
    """The lifecycle forbids this action in the request's current status."""
    code = "bad_transition"


class AttachmentConflict(RegisterError):
    """Same file name, different content: attachments are never silently replaced."""
    code = "attachment_conflict"


class CorruptBlob(RegisterError):
    code = "corrupt_blob"


class AnswerExists(RegisterError):
    code = "answer_exists"


class SchemaTooNew(RegisterError):
    code = "schema_too_new"


class BadInput(RegisterError):
    """A register argument (not the case itself) is invalid."""
    code = "bad_input"


class NotEmpty(RegisterError):
    code = "not_empty"
