"""What a register user reads: a thin view of the one catalog (:mod:`art60kit.i18n`).

Identifiers stay English in code and in the database (``draft``, ``sent``,
``calculated``); the words the CPAS@ONEM application shows ("Brouillon", "Envoyée",
"Calculé par l'ONEM" / "Ontwerp", "Verzonden", "Berekend door de RVA") live under
``register.`` in ``art60kit/locale/*.yaml``.
"""
from __future__ import annotations

from ..i18n import LANGS, entries, text  # noqa: F401

STATUS_LABELS: dict[str, dict[str, str]] = entries("register.status.")
ROLE_LABELS: dict[str, dict[str, str]] = entries("register.role.")
VERSION_KIND_LABELS: dict[str, dict[str, str]] = entries("register.version.")
#: Error messages, keyed by error code; ``{placeholders}`` are filled from the error's params.
MESSAGES: dict[str, dict[str, str]] = entries("register.error.")


def status_label(status: str, lang: str = "fr") -> str:
    """The label of a request status as the CPAS@ONEM application shows it.

    >>> status_label("calculated", "nl")
    'Berekend door de RVA'
    >>> status_label("sent", "de")
    'Versandt'
    """
    return text("register.status." + status, lang)


def message(code: str, lang: str = "en", /, **params: object) -> str:
    """One error message in ``lang`` (fr, nl, de, en).

    >>> message("not_found", "fr", what="demande", key="R1")
    'demande introuvable : R1'
    """
    return text("register.error." + code, lang, **params)
