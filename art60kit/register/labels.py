"""What a register user reads, in French, Dutch and English.

Identifiers stay English in code and in the database (``draft``, ``sent``,
``calculated``); these dicts give the words the CPAS@ONEM application shows
("Brouillon", "Envoyée", "Calculé par l'ONEM" / "Ontwerp", "Verzonden",
"Berekend door de RVA").
"""
from __future__ import annotations

LANGS = ("fr", "nl", "en")

STATUS_LABELS: dict[str, dict[str, str]] = {
    "draft": {"fr": "Brouillon", "nl": "Ontwerp", "en": "Draft"},
    "sent": {"fr": "Envoyée", "nl": "Verzonden", "en": "Sent"},
    "calculated": {"fr": "Calculé par l'ONEM", "nl": "Berekend door de RVA", "en": "Calculated by ONEM"},
}

ROLE_LABELS: dict[str, dict[str, str]] = {
    "cpas_agent": {"fr": "Agent du CPAS", "nl": "Medewerker van het OCMW", "en": "CPAS agent"},
    "onem": {"fr": "Agent de l'ONEM", "nl": "Medewerker van de RVA", "en": "ONEM agent"},
    "analyst": {"fr": "Analyste (agrégats seulement)", "nl": "Analist (enkel totalen)", "en": "Analyst (aggregates only)"},
    "system": {"fr": "Système", "nl": "Systeem", "en": "System"},
}

VERSION_KIND_LABELS: dict[str, dict[str, str]] = {
    "created": {"fr": "Création", "nl": "Aanmaak", "en": "Created"},
    "edited": {"fr": "Brouillon modifié", "nl": "Ontwerp gewijzigd", "en": "Draft edited"},
    "modification": {"fr": "Modifier une demande", "nl": "Een aanvraag wijzigen", "en": "Modification of a sent request"},
}

#: Error messages, keyed by error code; ``{placeholders}`` are filled from the error's params.
MESSAGES: dict[str, dict[str, str]] = {
    "reason_required": {
        "fr": "une raison est obligatoire pour consulter des données (action {action})",
        "nl": "een reden is verplicht om gegevens te raadplegen (actie {action})",
        "en": "a reason is required to read data (action {action})",
    },
    "access_denied": {
        "fr": "accès refusé : {user} ne peut pas {action} la demande {request_id}",
        "nl": "toegang geweigerd: {user} mag aanvraag {request_id} niet {action}",
        "en": "access denied: {user} may not {action} request {request_id}",
    },
    "role_denied": {
        "fr": "accès refusé : le rôle {role} ne permet pas l'action {action}",
        "nl": "toegang geweigerd: de rol {role} laat de actie {action} niet toe",
        "en": "access denied: role {role} does not allow action {action}",
    },
    "unknown_user": {
        "fr": "utilisateur inconnu : {user}",
        "nl": "onbekende gebruiker: {user}",
        "en": "unknown user: {user}",
    },
    "not_found": {
        "fr": "{what} introuvable : {key}",
        "nl": "{what} niet gevonden: {key}",
        "en": "{what} not found: {key}",
    },
    "conflict": {
        "fr": "conflit : la demande {request_id} a été modifiée entre-temps (révision attendue {expected}, actuelle {actual}) ; rechargez-la et recommencez",
        "nl": "conflict: aanvraag {request_id} werd intussen gewijzigd (verwachte revisie {expected}, huidige {actual}); laad ze opnieuw en probeer opnieuw",
        "en": "conflict: request {request_id} was changed meanwhile (expected revision {expected}, current {actual}); reload it and try again",
    },
    "bad_transition": {
        "fr": "impossible de {action} la demande {request_id} dans l'état « {status} »",
        "nl": "aanvraag {request_id} kan niet {action} in de status \"{status}\"",
        "en": "cannot {action} request {request_id} in status '{status}'",
    },
    "attachment_conflict": {
        "fr": "la demande {request_id} a déjà une annexe « {filename} » au contenu différent ; indiquez replaces={existing} pour en ajouter une nouvelle version",
        "nl": "aanvraag {request_id} heeft al een bijlage \"{filename}\" met andere inhoud; geef replaces={existing} op om een nieuwe versie toe te voegen",
        "en": "request {request_id} already has an attachment '{filename}' with different content; pass replaces={existing} to add a new version of it",
    },
    "corrupt_blob": {
        "fr": "le contenu de l'annexe {attachment_id} ne correspond plus à son empreinte {sha256}",
        "nl": "de inhoud van bijlage {attachment_id} komt niet meer overeen met de vingerafdruk {sha256}",
        "en": "the content of attachment {attachment_id} no longer matches its hash {sha256}",
    },
    "answer_exists": {
        "fr": "la version {version_no} de la demande {request_id} a déjà une réponse de l'ONEM",
        "nl": "versie {version_no} van aanvraag {request_id} heeft al een antwoord van de RVA",
        "en": "version {version_no} of request {request_id} already has an ONEM answer",
    },
    "schema_too_new": {
        "fr": "la base de données est au schéma {found}, plus récent que celui de ce logiciel ({known}) : mettez art60kit à jour",
        "nl": "de databank heeft schema {found}, nieuwer dan dat van deze software ({known}): werk art60kit bij",
        "en": "the database is at schema {found}, newer than this software's ({known}): upgrade art60kit",
    },
    "bad_input": {
        "fr": "donnée invalide : {detail}",
        "nl": "ongeldige gegevens: {detail}",
        "en": "invalid input: {detail}",
    },
    "not_empty": {
        "fr": "import refusé : le registre de destination n'est pas vide",
        "nl": "import geweigerd: het doelregister is niet leeg",
        "en": "import refused: the target register is not empty",
    },
}


def status_label(status: str, lang: str = "fr") -> str:
    """The label of a request status as the CPAS@ONEM application shows it.

    >>> status_label("calculated", "nl")
    'Berekend door de RVA'
    >>> status_label("sent", "fr")
    'Envoyée'
    """
    return STATUS_LABELS[status][lang]


def message(code: str, lang: str = "en", **params: object) -> str:
    """One error message in ``lang`` (fr, nl, en).

    >>> message("not_found", "fr", what="demande", key="R1")
    'demande introuvable : R1'
    """
    return MESSAGES[code][lang].format(**params)
