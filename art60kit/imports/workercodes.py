"""DmfA worker codes (annex 2 of the DmfA glossary) and whether the work they declare
counts for admissibility.

A DmfA ``WorkerRecord`` carries a ``WorkerCode`` ("code travailleur", zone 00037). With
the employer category it fixes which social-security contributions are due, and so
which **sectors** the work is insured for. Only work on which contributions *including
the unemployment sector* were withheld counts as work for admissibility (AR 25/11/1991
art. 37, § 1; ONEM comment 5 on art. 37: "provided unemployment-sector contributions
were withheld"). The service code (:mod:`.servicecodes`) says *what* the days were; the
worker code says whether those days were insured for unemployment at all.

Each entry gives:

- ``code`` and the annex-2 French description, with the annex-2 contribution type
  ("Cotisation ordinaire", "Cotisation spéciale étudiant", ...);
- ``sectors``: the sectors the contributions cover, as far as the annex says;
- ``effect``: ``counts`` (ordinary contributions, all sectors including unemployment),
  ``does_not_count`` (no unemployment-sector contribution: the description says so),
  or ``ask`` (the annex does not settle it: the lines are kept, count nothing, and an
  expert decides);
- ``kind``: for ``does_not_count``, the case-format kind the lines become
  (``not_covered_work`` — an occupation not subject to unemployment-sector social
  security, which may extend the reference window; ``student_contract``;
  ``apprenticeship``);
- ``reason``: one sentence a user reads in the career line's note (why it does or
  does not count), in English; the import's warnings give it in the reader's
  language (``reason_key``, catalog ``import.worker.reason.*``);
- ``confidence`` and ``source`` of the reading: ``high`` when the annex's own words
  settle it (the description or the contribution type says which contributions are
  due: "soumis uniquement à l'assurance soins de santé", "exclusivement soumis à la
  cotisation de pension du secteur public", "Cotisation spéciale étudiant", "non
  assujetties"); ``medium`` when it rests on the contribution type plus a general rule
  the annex does not restate per code (an ordinary contribution covers every sector,
  unemployment included; an apprentice's allowance is not remuneration, AR art. 37,
  § 3); ``low`` when nothing settles it, and then the effect is always ``ask``: the
  import warns, naming the code and why, and the lines count nothing until an expert
  decides.

Source: **ONSS, DmfA glossary, annex 2 "Codes travailleurs" (AN2022-2-FR2, version
2022/2)**, as republished in the public repository chrdebru/dmfa_pub
(``Annexes/Annex2/AN2022-2-FR2.xml``); validity quarters as in the annex. Codes absent
from the table are ``ask``. The entries 010-043, 495-499, 671-677, 840-841 and the
contribution types of 676 and 690 were read again against the annex's own text: 675
"Travailleurs soumis uniquement à l'assurance Soins de Santé", 671 "... soumis uniquement
à l'assurance Soins de Santé et aux allocations familiales", 840/841 "Cotisation spéciale
étudiant", 676/690 "exclusivement soumis à la cotisation de pension du secteur public";
the annex says nothing of the sectors of 404-407, 488, 493, 497, 498, 673 and 677
(hence ``ask``), and it declares apprentices from the year they turn 19 under the
ordinary codes (015, 495, ...), their allowance being the question, not the code.

>>> lookup_worker(495).effect, lookup_worker(675).effect, lookup_worker(840).kind
('counts', 'does_not_count', 'student_contract')
>>> lookup_worker(999).known
False
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WorkerCode", "WORKER_CODES", "lookup_worker", "SOURCE_NAME", "EFFECTS"]

SOURCE_NAME = "ONSS, DmfA glossary, annex 2 (worker codes), 2022/2"
EFFECTS = ("counts", "does_not_count", "ask")

_ALL = "all sectors including unemployment"
_ORD = "Cotisation ordinaire"
_ART37 = "AR 25/11/1991 art. 37, § 1; ONEM comment 5"


@dataclass(frozen=True)
class WorkerCode:
    """How the work declared under one DmfA worker code is treated."""

    code: int
    label_fr: str
    contribution: str
    sectors: str
    effect: str
    kind: str = ""
    reason: str = ""
    valid_from: tuple[int, int] = (2003, 1)
    valid_to: tuple[int, int] = (9999, 4)
    known: bool = True
    confidence: str = "low"
    source: str = ""
    reason_key: str = "not_in_table"

    @property
    def reason_msg(self):
        """The reason as a message of the catalog (read in the reader's language)."""
        from .texts import msg

        return msg(f"worker.reason.{self.reason_key}")

    def valid_in(self, year: int, quarter: int) -> bool:
        return self.valid_from <= (year, quarter) <= self.valid_to

    def effect_text(self, lang: str = "fr") -> str:
        """The effect in ``lang``: counts, does not count, or to be decided by an expert."""
        from ..i18n import text

        return text(f"import.worker.{self.effect}", lang)

    @property
    def short(self) -> str:
        """``worker code 675, does not count`` for a career line's reference (the
        reason is in the line's note and in the import's warnings)."""
        if self.effect == "counts":
            return f"worker code {self.code:03d}"
        return f"worker code {self.code:03d}, " + ("does not count" if self.effect == "does_not_count"
                                                  else "to be decided")


#: Reason (its first words) -> catalog key of the reason in the reader's language.
_REASON_KEYS = (
    ("ordinary contributions", "ordinary"), ("annex 2 does not say", "annex_silent"),
    ("contributions for health care and family", "health_family_only"),
    ("statutory staff: contributions for health care", "statutory_health"),
    ("statutory staff: public-sector pension", "statutory_pension"),
    ("exempt from social-security", "exempt_pension"), ("student contract", "student_solidarity"),
    ("not subject to social security", "not_subject"), ("apprentice", "apprentice"), ("flexi-job", "flexi"),
)

#: Confidence of each reading that is not the plain reading of the annex's words
#: (see the module's docstring); every other ``counts`` entry is ``medium`` and every
#: other ``does_not_count`` entry ``high``.
_MEDIUM_NOT_COUNTED = {35, 439, 19, 499}


def _c(code, label, effect, reason="", kind="", sectors=_ALL, contribution=_ORD,
       valid_from=(2003, 1), valid_to=(9999, 4)) -> WorkerCode:
    if effect == "counts" and not reason:
        reason = "ordinary contributions, unemployment sector included"
    key = next(k for start, k in _REASON_KEYS if reason.startswith(start))
    if effect == "ask":
        confidence, why = "low", "the annex names the workers, not the sectors their contributions cover"
    elif effect == "counts":
        confidence, why = "medium", (f"contribution type '{contribution}'; that an ordinary contribution covers "
                                     "every sector, unemployment included, is the general rule, not restated per code")
    elif code in _MEDIUM_NOT_COUNTED:
        confidence, why = "medium", ("the annex describes apprentices; that their allowance is not remuneration is "
                                     "AR 25/11/1991 art. 37, § 3 (ONEM comment 4), not the annex")
    else:
        confidence, why = "high", f"the annex's own words: '{label}' / '{contribution}'"
    return WorkerCode(code, label, contribution, sectors, effect, kind, reason, valid_from, valid_to,
                      confidence=confidence, source=f"{SOURCE_NAME}: {why}", reason_key=key)


_ASK_REASON = ("annex 2 does not say whether unemployment-sector contributions are due: "
               "counts nothing until an expert decides")

_TABLE: tuple[WorkerCode, ...] = (
    # -- ordinary contributions: every sector, unemployment included -----------------
    _c(10, "Ouvriers temporaires dans l'horticulture et l'agriculture", "counts"),
    _c(11, "Ouvriers de catégorie spéciale déclarés sur base de rémunérations forfaitaires", "counts"),
    _c(12, "Ouvriers handicapés (ateliers protégés)", "counts"),
    _c(13, "Chauffeurs de taxi; ouvriers contractuels hors régime des vacances (cat. 040)", "counts"),
    _c(14, "Ouvriers de catégorie ordinaire, cotisation au Fonds Forestier", "counts",
       valid_to=(2019, 1)),
    _c(15, "Ouvriers de catégorie ordinaire", "counts"),
    _c(16, "Mineurs travaillant en surface", "counts"),
    _c(17, "Mineurs travaillant en sous-sol", "counts"),
    _c(21, "Ouvriers contractuels remplaçants dans le secteur public", "counts", valid_from=(2014, 1)),
    _c(24, "Contractuels subventionnés, travailleurs manuels (rémunération réelle)", "counts"),
    _c(25, "Contractuels subventionnés, travailleurs manuels handicapés (ateliers protégés)", "counts"),
    _c(29, "Contractuels subventionnés, travailleurs manuels (rémunération forfaitaire, pouvoirs publics)",
       "counts"),
    _c(43, "Personnel de maison, travailleurs manuels", "counts", valid_from=(2010, 3)),
    _c(45, "Domestiques", "counts"),
    _c(46, "Artistes", "counts", valid_from=(2003, 3)),
    _c(90, "Travailleurs manuels engagés dans le cadre de l'art. 60 § 7 de la loi organique des CPAS",
       "counts", valid_from=(2022, 1)),
    _c(400, "Travailleurs intellectuels engagés dans le cadre de l'art. 60 § 7 de la loi organique des CPAS",
       "counts", valid_from=(2022, 1)),
    _c(454, "Sportifs rémunérés relevant de la CP 329", "counts", valid_from=(2022, 1)),
    _c(481, "Employés contractuels remplaçants dans le secteur public", "counts", valid_from=(2014, 1)),
    _c(484, "Contractuels subventionnés, travailleurs intellectuels (pouvoirs publics)", "counts"),
    _c(485, "Contractuels subventionnés, travailleurs intellectuels handicapés (ateliers protégés)", "counts"),
    _c(486, "Élèves-employés occasionnels (Horeca, rémunérations forfaitaires)", "counts",
       valid_from=(2007, 3)),
    _c(491, "Personnel non administratif et technique des universités libres, tous régimes", "counts",
       valid_from=(2015, 1)),
    _c(492, "Employés handicapés (ateliers protégés)", "counts"),
    _c(494, "Sportifs rémunérés", "counts", valid_from=(2008, 1)),
    _c(495, "Employés de catégorie ordinaire", "counts"),
    _c(496, "Employés occasionnels (Horeca, rémunérations forfaitaires)", "counts", valid_from=(2007, 3)),
    # -- no unemployment-sector contribution: does not count -------------------------
    _c(671, "Travailleurs engagés après le 31/12/1998 soumis uniquement à l'assurance soins de santé "
            "et aux allocations familiales", "does_not_count",
       "contributions for health care and family allowances only, no unemployment sector "
       f"({_ART37})", "not_covered_work", "health care, family allowances", valid_to=(2014, 4)),
    _c(675, "Travailleurs soumis uniquement à l'assurance soins de santé (statutaires)", "does_not_count",
       f"statutory staff: contributions for health care only, no unemployment sector ({_ART37})",
       "not_covered_work", "health care"),
    _c(676, "Travailleurs statutaires avec lieu d'affectation à l'étranger", "does_not_count",
       f"statutory staff: public-sector pension contribution only, no unemployment sector ({_ART37})",
       "not_covered_work", "public-sector pension",
       "Cotisation membre du personnel statutaire exclusivement soumis à la cotisation de pension du "
       "secteur public", valid_from=(2015, 1)),
    _c(690, "Médecins définitifs exonérés des cotisations de sécurité sociale (pension publique)",
       "does_not_count",
       f"exempt from social-security contributions, public pension only; no unemployment sector ({_ART37})",
       "not_covered_work", "public-sector pension",
       "Cotisation membre du personnel statutaire exclusivement soumis à la cotisation de pension du "
       "secteur public", valid_from=(2022, 1)),
    _c(840, "Travailleurs étudiants-ouvriers (cotisation de solidarité)", "does_not_count",
       "student contract: solidarity contribution only, which is no social-security deduction "
       f"({_ART37})", "student_contract", "solidarity contribution only", "Cotisation spéciale étudiant"),
    _c(841, "Travailleurs étudiants-employés (cotisation de solidarité)", "does_not_count",
       "student contract: solidarity contribution only, which is no social-security deduction "
       f"({_ART37})", "student_contract", "solidarity contribution only", "Cotisation spéciale étudiant",
       valid_from=(2004, 3)),
    _c(848, "Personnes-ouvriers en formation pour un travail rémunéré, non assujetties à la sécurité sociale",
       "does_not_count", f"not subject to social security at all ({_ART37})", "not_covered_work",
       "none", "Stagiaires", valid_from=(2020, 1)),
    _c(849, "Personnes-employés en formation pour un travail rémunéré, non assujetties à la sécurité sociale",
       "does_not_count", f"not subject to social security at all ({_ART37})", "not_covered_work",
       "none", "Stagiaires", valid_from=(2020, 1)),
    _c(35, "Apprentis et assimilés travailleurs manuels jusqu'au 31 décembre de l'année de leurs 18 ans",
       "does_not_count",
       "apprentice: an apprentice's allowance is not remuneration (AR 25/11/1991 art. 37, § 3; ONEM comment 4)",
       "apprenticeship", "limited (apprentices)"),
    _c(439, "Apprentis et assimilés travailleurs intellectuels jusqu'au 31 décembre de l'année de leurs 18 ans",
       "does_not_count",
       "apprentice: an apprentice's allowance is not remuneration (AR 25/11/1991 art. 37, § 3; ONEM comment 4)",
       "apprenticeship", "limited (apprentices)"),
    _c(19, "Apprentis et assimilés travailleurs manuels (secteur public, à partir de 19 ans)",
       "does_not_count",
       "apprentice: an apprentice's allowance is not remuneration (AR 25/11/1991 art. 37, § 3; ONEM comment 4)",
       "apprenticeship", "limited (apprentices)", valid_from=(2005, 3), valid_to=(2019, 4)),
    _c(499, "Apprentis et assimilés travailleurs intellectuels (secteur public, à partir de 19 ans)",
       "does_not_count",
       "apprentice: an apprentice's allowance is not remuneration (AR 25/11/1991 art. 37, § 3; ONEM comment 4)",
       "apprenticeship", "limited (apprentices)", valid_from=(2005, 3), valid_to=(2019, 4)),
    # -- the annex does not settle it: ask ------------------------------------------
    # Annex 2 lists code 020 twice: 2003/3 to 2007/2 and from 2013/4 (pupils of the
    # special category, then occasional ones); the gap 2007/3-2013/3 is not flagged.
    _c(20, "Élèves ouvriers (occasionnels) de catégorie spéciale (Horeca) jusqu'à 18 ans", "ask",
       _ASK_REASON, sectors="reduced (pupils)", valid_from=(2003, 3)),
    _c(22, "Élèves-ouvriers stagiaires de catégorie spéciale jusqu'à 18 ans", "ask", _ASK_REASON,
       sectors="reduced (pupils)"),
    _c(26, "Élèves ouvriers et stagiaires (Fonds Forestier) jusqu'à 18 ans", "ask", _ASK_REASON,
       sectors="reduced (pupils)", valid_to=(2019, 1)),
    _c(27, "Élèves ouvriers et stagiaires de catégorie ordinaire jusqu'à 18 ans", "ask", _ASK_REASON,
       sectors="reduced (pupils)"),
    _c(44, "Personnel de maison, élèves ouvriers jusqu'à 18 ans", "ask", _ASK_REASON,
       sectors="reduced (pupils)", valid_from=(2010, 3)),
    _c(47, "Artistes - élèves à temps partiel jusqu'à 18 ans", "ask", _ASK_REASON,
       sectors="reduced (pupils)", valid_from=(2003, 3)),
    _c(50, "Travailleurs manuels occupés dans le cadre d'un flexijob", "ask",
       "flexi-job: special employer contribution; whether it opens unemployment rights must be checked",
       sectors="special flexi-job contribution", valid_from=(2015, 4)),
    _c(450, "Travailleurs intellectuels occupés dans le cadre d'un flexijob", "ask",
       "flexi-job: special employer contribution; whether it opens unemployment rights must be checked",
       sectors="special flexi-job contribution", valid_from=(2015, 4)),
    _c(404, "Mandataires locaux non protégés", "ask", _ASK_REASON, sectors="not stated",
       valid_from=(2022, 1)),
    _c(405, "Mandataires locaux protégés", "ask", _ASK_REASON, sectors="not stated", valid_from=(2022, 1)),
    _c(406, "Membre d'un parlement fédéral ou régional", "ask", _ASK_REASON, sectors="not stated",
       valid_from=(2019, 1)),
    _c(407, "Membre d'un gouvernement fédéral ou régional", "ask", _ASK_REASON, sectors="not stated",
       valid_from=(2019, 1)),
    _c(487, "Élèves employés et stagiaires jusqu'à 18 ans", "ask", _ASK_REASON, sectors="reduced (pupils)"),
    _c(488, "Bénéficiaires d'une bourse de (post)doctorat (cotisations Fedris dues)", "ask", _ASK_REASON,
       sectors="not stated", valid_from=(2020, 2)),
    _c(493, "Personnel académique et scientifique des universités; contractuels hors régime des vacances",
       "ask", _ASK_REASON, sectors="not stated"),
    _c(497, "Gardiens ou gardiennes d'enfants reconnus", "ask", _ASK_REASON, sectors="not stated",
       valid_from=(2003, 2)),
    _c(498, "Bénéficiaires d'une bourse de (post)doctorat hors Espace économique européen", "ask",
       _ASK_REASON, sectors="not stated", valid_from=(2003, 3)),
    _c(673, "Mandataires ou ayant une fonction de staff dans les services publics", "ask", _ASK_REASON,
       sectors="not stated"),
    _c(677, "Stagiaires en vue d'une nomination définitive (administration provinciale ou locale)", "ask",
       _ASK_REASON, sectors="not stated", valid_from=(2022, 1)),
)

#: Worker code -> treatment (annex 2, ordinary and special contributions of a person).
WORKER_CODES: dict[int, WorkerCode] = {w.code: w for w in _TABLE}


def lookup_worker(code: int) -> WorkerCode:
    """The treatment of worker code ``code``; a code absent from the table is ``ask``
    with ``known`` False (kept, counts nothing, reported)."""
    w = WORKER_CODES.get(code)
    if w is not None:
        return w
    return WorkerCode(code, "", "", "unknown", "ask", "",
                      "worker code not in the table: counts nothing until an expert decides", known=False,
                      confidence="low", source="not in the table", reason_key="not_in_table")
