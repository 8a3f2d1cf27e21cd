"""Per-request flags the dashboards need and the register's frames do not carry.

"Incomplete data" comments: CPAS staff write, in the case's ``comment`` field or in a
comment on the request, that part of the career is unknown or uncertain (Dimona only,
regime unknown, missions forgotten, data to be checked in the authentic sources). The
questions and answers of the UVCW webinar on the CPAS/ONEM collaboration for art. 60, § 7
(Fédération des CPAS, 2023) show these are the requests ONEM must look at by hand. The test
is a word list in French and Dutch, deliberately simple and visible.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Optional

#: Words that mark a comment about incomplete or uncertain data (accents removed,
#: lower case). French and Dutch.
INCOMPLETE_PATTERNS = (
    r"\bincomplet", r"\binconnu", r"\bmanquant", r"\bne se souvient pas", r"\ba verifier\b",
    r"\bdimona (uniquement|seule)", r"\bsources? authentiques?",
    r"\bonvolledig", r"\bonbekend", r"\bontbrek", r"\bherinnert zich niet", r"\bna te (gaan|kijken)",
    r"\benkel dimona", r"\bauthentieke bronnen",
)
_RX = re.compile("|".join(INCOMPLETE_PATTERNS))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def is_incomplete_data_comment(text: Optional[str]) -> bool:
    """Whether a comment says that data are incomplete or uncertain.

    >>> is_incomplete_data_comment("Dimona uniquement pour 2022 : durées inconnues")
    True
    >>> is_incomplete_data_comment("Onvolledige gegevens voor 2020-2021: graag de authentieke bronnen nakijken")
    True
    >>> is_incomplete_data_comment("Régime de travail inconnu pour les missions intérim de 2021")
    True
    >>> is_incomplete_data_comment("Fiches de paie ajoutées en annexe"), is_incomplete_data_comment(None)
    (False, False)
    """
    return bool(text) and _RX.search(_fold(text)) is not None


def any_incomplete(texts: Iterable[Optional[str]]) -> bool:
    return any(is_incomplete_data_comment(t) for t in texts)
