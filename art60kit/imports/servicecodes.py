"""DmfA service codes (annex 8 of the DmfA glossary) mapped to kinds of career lines.

Every DmfA ``Service`` line carries a ``ServiceCode`` ("code prestation") that says what
the declared days or hours were: worked, paid holidays, sickness, unpaid absence,
temporary unemployment, ... The calculation core does not know DmfA codes; it knows
*kinds* of career lines (``case-format.md``) and decides per rule set whether a kind
counts, is assimilated, extends the reference window or is neutral. This module is the
one place where a code becomes a kind, and each mapping says:

- ``code`` and the annex-8 French label (``AN2022-2-FR8.xml``, quarter 2022/3, checked
  against the official file by the tests);
- ``kind``: the case-format kind, or ``unmapped`` when no kind fits;
- ``rule``: the legal text or public document the mapping relies on;
- ``confidence``: ``C`` (a source says so), ``I`` (our inference), ``U`` (unclear, or a
  single secondary source);
- ``note``: why, in one or two sentences, when the choice is not obvious.

Sources used below:

- **ONEM comment 5 on AR art. 37** (ONEM's commentary in its RioLex database,
  28/06/2024): "DmfA codes 1 to 5, 10, 12, 13, 20, 21 [...] are taken into account as
  work for admissibility, provided unemployment-sector contributions were withheld".
  Cited below as ``ONEM comment 5``.
- **ONEM schéma 2A** (commentary on AM 26/11/1991 art. 7, 20/02/2015): work days x 6/R
  + indemnified R6 days of temporary unemployment (CT), youth holidays (VJ), sickness
  (AMI), work accident (AO), occupational disease (BZ) + at most 12 R6 days per calendar
  year of unpaid suspension, **including codes 22, 24, 25, 26 and 30**.
- **AR 25/11/1991 art. 38 § 1** as in force from 1 March 2026 (loi-programme of 18 July
  2025) and **art. 30 al. 3** (extensions from 1 March 2026).
- The old assimilations as published: **ONEM leaflet T31** "Avez-vous droit aux
  allocations après une occupation ?" (2023); **Infor Jeunes** "Protection sociale";
  the **City of Antwerp**'s "Berekening einddatum van het traject (artikel 60, §7)";
  the **CSC training** "Admission en chômage complet sur base d'un travail salarié
  « temps plein » – Art. 30-37-38" (FLT 04.11.2022), slide "Jours assimilés – Art. 38";
  and what the reform stopped counting: **Brussels Job Day** "La réforme en bref" (2025)
  and **accorddegouvernement.info** (19.6.2025).

The kind decides the effect per rule set (see ``art60kit/rules/*.yaml``); the mapping
never encodes an effect itself, so a rule change reaches DmfA imports without touching
this table.

Codes that no case-format kind describes faithfully stay ``unmapped`` (the core counts
nothing for them and warns); their ``note`` says what is missing, so an expert can retype
the line by hand. Guessing a kind would silently change a result.

>>> lookup(1).kind, lookup(50).kind, lookup(30).kind
('work', 'sickness_indemnified', 'unpaid_absence')
>>> lookup(999).kind, lookup(999).known
('unmapped', False)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .workercodes import WORKER_CODES

__all__ = [
    "ServiceCodeMapping", "SERVICE_CODES", "lookup", "load_annex8", "STUDENT_WORKER_CODES",
]


@dataclass(frozen=True)
class ServiceCodeMapping:
    """How one DmfA service code becomes a career line.

    ``valid_from`` / ``valid_to`` are the annex-8 validity quarters as ``(year, q)``;
    ``known`` is False for a code absent from annex 8 (then ``kind`` is ``unmapped``).
    """

    code: int
    label_fr: str
    kind: str
    rule: str
    confidence: str
    note: str = ""
    valid_from: tuple[int, int] = (2003, 1)
    valid_to: tuple[int, int] = (9999, 4)
    known: bool = True

    def valid_in(self, year: int, quarter: int) -> bool:
        """Whether annex 8 allows this code in quarter ``(year, quarter)``."""
        return self.valid_from <= (year, quarter) <= self.valid_to

    @property
    def public_rule(self) -> str:
        """``rule`` as a user reads it (:func:`public_reference`)."""
        return public_reference(self.rule)

    @property
    def reference(self) -> str:
        """One line for an explanation:
        ``DmfA code 50 -> sickness_indemnified (ONEM leaflet T31; ...) [C]``."""
        return f"DmfA code {self.code} -> {self.kind} ({self.rule}) [{self.confidence}]"


@lru_cache(maxsize=None)
def public_reference(text: str) -> str:
    """A reference in full: a short ONEM schéma or AR article gets its document's
    name, an aside in parentheses loses them.

    >>> public_reference("schéma 2A (AO); (CSC codes 70-72); art. 30 al. 3, 1°")
    'ONEM schéma 2A (AO); CSC codes 70-72; AR 25/11/1991 art. 30 al. 3, 1°'
    """
    out = []
    for part in text.split(";"):
        p = part.strip(" ,")
        if not p:
            continue
        if p.startswith("schéma"):
            p = "ONEM " + p
        if p.startswith("art. "):
            p = "AR 25/11/1991 " + p
        if p.startswith("(") and p.endswith(")"):
            p = p[1:-1]
        out.append(p)
    return "; ".join(out)


def _m(code, label, kind, rule, confidence, note="", valid_from=(2003, 1), valid_to=(9999, 4)):
    return ServiceCodeMapping(code, label, kind, rule, confidence, note, valid_from, valid_to)


_C5 = "ONEM comment 5 on AR art. 37 (codes 1-5, 10, 12, 13, 20, 21 count as work)"
_CSC = "CSC training 'Art. 30-37-38' (FLT 04.11.2022)"
_ANTW = "City of Antwerp 'Berekening einddatum van het traject'"
_IJ = "Infor Jeunes 'Protection sociale'"
_NONE = "none found in the legal texts or ONEM's documents"
_S2A = f"schéma 2A (codes 22, 24, 25, 26, 30: max 12 R6 days a year); {_IJ} (10 unpaid days a year)"

#: The mapping, one entry per annex-8 code (quarter 2022/3). Labels are annex 8's,
#: verbatim (French), so that an expert recognises them.
SERVICE_CODES: dict[int, ServiceCodeMapping] = {m.code: m for m in (
    _m(1, "toutes les données relatives au temps de travail couvertes par une rémunération "
          "avec cotisations ONSS, à l'exception des vacances légales et complémentaires des "
          "ouvriers",
       "work", f"{_C5}; ONEM leaflet T31; AR art. 37 § 1", "C",
       "Paid working time with ONSS contributions. Also holds paid public holidays and the "
       "first week of guaranteed wage, which are assimilated in both regimes "
       "(art. 38 § 1, 2° and 3°)."),
    _m(2, "vacances légales pour ouvriers",
       "paid_holiday", f"art. 38 § 1, 1°; {_C5}; {_CSC}: legal holidays, code 2", "C"),
    _m(3, "vacances complémentaires pour ouvriers",
       "paid_holiday", f"art. 38 § 1, 1° (CCT holidays); {_C5}", "C"),
    _m(4, "absence premier jour par suite d'intempéries secteur de la construction "
          "(rémunération incomplète)",
       "work", _C5, "C",
       "Counted as work by ONEM (grouped under its work code 00) although no work was done."),
    _m(5, "congé-éducation payé ou congé formation flamand",
       "work", _C5, "C",
       "Paid educational leave is paid with ONSS contributions; ONEM counts it as work. "
       "Not 'training' (the case-format kind for unpaid training, which does not count)."),
    _m(10, "rémunération garantie deuxième semaine, jours fériés et jours de remplacement "
           "pendant la période de chômage temporaire, fonction de juge social",
       "sickness_guaranteed_wage", f"art. 38 § 1, 3° (and 2°, 8°); {_ANTW}; {_C5}", "C",
       "The code also holds paid public holidays during temporary unemployment (art. 38 "
       "§ 1, 2°) and social-judge days (8°); all are assimilated in both regimes, so the "
       "kind chosen does not change the credit."),
    _m(11, "incapacité de travail avec complément ou avance conformément à la CCT 12bis/13bis",
       "sickness_guaranteed_wage", f"art. 38 § 1, 3° (CCT 12bis/13bis top-up); {_ANTW}", "C",
       "From 1.3.2026 these days stay assimilated because of the employer top-up, unlike "
       "plain indemnified sickness (code 50)."),
    _m(12, "vacances en vertu d'une CCT rendue obligatoire ou repos compensatoire "
           "(construction, commerce de combustibles, industrie de l'habillement et de la "
           "confection, industrie et commerce du diamant, batellerie, culture et "
           "transformation primaire du lin et/ou du chanvre)",
       "paid_holiday", f"art. 38 § 1, 1° and 4°; {_C5}", "C"),
    _m(13, "promotion sociale",
       "work", _C5, "C"),
    _m(14, "jours de vacances supplémentaires en cas de début ou de reprise d'activité",
       "paid_holiday", f"art. 38 § 1, 1° (holidays that gave rise to holiday pay); {_IJ}", "I",
       "Not in ONEM comment 5's list; supplementary ('European') holidays are paid from "
       "an advance on holiday pay, read as holiday days.",
       valid_from=(2012, 2)),
    _m(15, "jours de vacances dont le paiement est inclus dans la rémunération flexi",
       "unmapped", "AR art. 37 § 1 (unemployment-sector contributions required)", "U",
       "Flexi-job pay carries no ordinary ONSS contributions; whether these holiday days "
       "count is not stated in any source found. Check and retype by hand.",
       valid_from=(2015, 4)),
    _m(20, "jours de repos compensatoire non rémunérés dans le cadre d'une diminution du "
           "temps de travail avec rémunération horaire majorée",
       "compensatory_rest", f"{_C5}; art. 38 § 1, 4°", "C"),
    _m(21, "les jours de grève/lock-out",
       "strike", f"{_C5}; art. 38 § 1, 7°", "C"),
    _m(22, "mission syndicale",
       "unpaid_absence", _S2A, "C",
       "Unpaid suspension of the contract: assimilated within the 12-day yearly cap before "
       "1.3.2026, no longer counted after (the '10 days without pay' were dropped)."),
    _m(23, "jour de carence",
       "unpaid_absence", "Brussels Job Day 'La réforme en bref' (2025) and accorddegouvernement.info "
       "(2025): carence day counted before 1.3.2026", "U",
       "Conflicts with the City of Antwerp's list (sickness days without pay are not assimilated). "
       "Read as an unpaid absence under the 12-day cap.",
       valid_to=(2013, 4)),
    _m(24, "congé pour raisons impérieuses sans maintien de la rémunération - pour les "
           "gardien(ne)s d'enfants, jours de vacances non rémunérés (maximum 20) et jours "
           "fériés légaux lorsqu'il n'y a pas accueil d'enfants",
       "unpaid_absence", _S2A, "C"),
    _m(25, "devoirs civiques sans maintien de la rémunération, mandat public",
       "unpaid_absence", _S2A, "C"),
    _m(26, "obligations de milice",
       "unpaid_absence", _S2A, "C"),
    _m(30, "toutes les données relatives au temps de travail pour lesquelles l'employeur ne "
           "paye pas de rémunération ni d'indemnité, à l'exception de celles reprises sous "
           "un autre code",
       "unpaid_absence", f"{_S2A}; {_CSC}: code 30, max 12 R6 days a year", "C"),
    _m(31, "jours d'absence totale non rémunérée, assimilée à de l'activité de service, "
           "éventuellement fractionnables (ex.: congé pour des motifs impérieux d'ordre "
           "familial)",
       "unpaid_absence", f"{_S2A}; same nature as code 24, public sector", "I",
       "Public-sector unpaid absence for compelling reasons: read like code 24.",
       valid_from=(2011, 1)),
    _m(32, "jours d'absence totale non rémunérée avec position de non-activité, de "
           "disponibilité sans traitement d'attente ou de non-activité non rémunérée pour "
           "les militaires",
       "unpaid_leave", f"{_ANTW} (unpaid leave, suspension: not counted)", "I",
       "Public-sector non-activity without pay: read as unpaid leave.",
       valid_from=(2011, 1)),
    _m(33, "jours d'absence totale pour congé politique non rémunéré et assimilé à de "
           "l'activité de service",
       "unpaid_absence", f"{_S2A}; same nature as code 25, public mandate", "I",
       "Public-sector unpaid political leave: read like code 25.",
       valid_from=(2011, 1)),
    _m(41, "jours d'absence totale rémunérée avec position de non-activité",
       "unmapped", _NONE, "U",
       "Public-sector position code; statutory staff are usually outside the unemployment "
       "sector. Check the occupation and retype by hand.", valid_from=(2011, 1)),
    _m(42, "jours de disponibilité totale avec traitement d'attente et maintien du droit à "
           "l'avancement",
       "unmapped", _NONE, "U",
       "Public-sector availability with waiting pay: no rule found.", valid_from=(2011, 1)),
    _m(43, "jours de retrait temporaire d'emploi pour motif de santé (militaires)",
       "unmapped", _NONE, "U",
       "Military staff: no rule found.", valid_from=(2011, 1)),
    _m(50, "maladie (maladie ou accident de droit commun)",
       "sickness_indemnified",
       f"ONEM leaflet T31; {_ANTW}; schéma 2A (AMI, old regime); art. 30 al. 3, 1° (extends "
       "from 1.3.2026)", "C"),
    _m(51, "protection de la maternité (= mesure de protection de la maternité, repos de "
           "maternité ou congé de maternité converti en cas de décès ou d'hospitalisation "
           "de la mère) et pauses d'allaitement (CCT n° 80)",
       "maternity", "art. 38 § 1, 6°; art. 30 al. 3, 1° (6° days do not extend)", "C",
       "Breastfeeding breaks (CCT 80) share the code; read as maternity protection."),
    _m(52, "congé de paternité ou de naissance, congé d'adoption et congé parental d'accueil "
           "(seulement les jours à charge du secteur \u201cindemnités\")",
       "maternity", "art. 38 § 1, 6° (paternity, birth, adoption leave)", "C",
       "The case format has one kind for art. 38 § 1, 6° days: 'maternity'."),
    _m(53, "maladie (congé prophylactique)",
       "sickness_indemnified",
       "ONEM leaflet T31 (days indemnified by sickness insurance); art. 30 al. 3, 1°",
       "I", "Prophylactic leave is indemnified by the sickness insurance.",
       valid_from=(2017, 1)),
    _m(60, "accident du travail",
       "work_accident", f"schéma 2A (AO); {_IJ}; art. 30 al. 3, 1°", "C"),
    _m(61, "maladie professionnelle",
       "work_accident", "schéma 2A (BZ); art. 30 al. 3, 1°", "C",
       "No separate kind: occupational disease is treated exactly like a work accident in "
       "both regimes."),
    _m(70, "chômage temporaire autre que les codes 71, 72 et 77",
       "temporary_unemployment",
       f"schéma 2A (CT) and {_CSC}, codes 70, 71, 72, 76, 77; art. 38 § 1, 10°", "C"),
    _m(71, "code spécifique chômage économique",
       "temporary_unemployment", f"{_CSC}, codes 70-72, 76, 77; art. 38 § 1, 10°", "C"),
    _m(72, "code spécifique chômage temporaire pour cause d'intempérie",
       "temporary_unemployment", f"{_CSC}, codes 70-72, 76, 77; art. 38 § 1, 10°", "C"),
    _m(73, "vacances jeunes et vacances seniors",
       "unmapped", "schéma 2A (VJ, old regime); not in the 1.3.2026 list", "I",
       "Assimilated before 1.3.2026, [I] not after: no case-format kind has that profile. "
       "Retype by hand (e.g. as temporary_unemployment for an old-regime request)."),
    _m(74, "manque de prestations d'un gardien ou d'une gardienne d'enfants reconnu, dû à "
           "l'absence d'enfants normalement présents, mais qui sont absents pour des raisons "
           "indépendantes de la volonté du gardien ou de la gardienne d'enfants",
       "unmapped", "ONEM comment 5 (recognised foster-parent status not counted)", "U",
       "Childminder status: no rule found for these days.", valid_from=(2003, 2)),
    _m(75, "jours de soins d'accueil",
       "unmapped", "art. 38 § 1, 9° (assimilated from 1.3.2026)", "I",
       "Foster-care days count from 1.3.2026 but the case format has no kind for them and "
       "the old regime is unknown. Retype by hand.", valid_from=(2008, 4)),
    _m(76, "jours de suspension employés pour manque de travail",
       "temporary_unemployment", f"{_CSC}, codes 70-72, 76, 77; art. 38 § 1, 10°", "C",
       valid_from=(2009, 2)),
    _m(77, "Chômage temporaire pour force majeure Corona ou inondations ou guerre Ukraine",
       "temporary_unemployment", f"{_CSC}, codes 70-72, 76, 77; art. 38 § 1, 10°", "C",
       valid_from=(2020, 2), valid_to=(2022, 2)),
    _m(80, "heures supplémentaires à ne pas récupérer et non soumises aux cotisations de "
           "sécurité sociale",
       "unmapped", "AR art. 37 § 1; AM art. 7 (only hours with unemployment-sector "
                   "contributions count)", "C",
       "Does not count (no contributions); kept as unmapped so that it is visible.",
       valid_from=(2015, 4)),
    _m(101, "Jours de navigation des marins dans le secteur de la marine marchande, des "
            "travaux de dragage ou du remorquage maritime",
       "unmapped", _NONE, "U",
       "Seafarers' days: not in ONEM comment 5's list. Check and retype by hand.",
       valid_from=(2018, 1)),
    _m(102, "Jours de congé des marins dans le secteur de la marine marchande, des travaux de "
            "dragage ou du remorquage maritime",
       "unmapped", _NONE, "U", "Seafarers' leave: no rule found.",
       valid_from=(2018, 1)),
    _m(110, "Prestations d'un membre d'un parlement ou d'un gouvernement fédéral ou régional "
            "ou d'un mandataire local protégé ; jours couverts par une indemnité de sortie "
            "d'un membre d'un parlement, d'un gouvernement, d'une Députation permanente ou "
            "d'un collège provincial",
       "unmapped", _NONE, "U", "Political mandates: no rule found.",
       valid_from=(2019, 1)),
    _m(301, "toutes les données relatives au temps de travail couvertes par une indemnité "
            "exonérée de cotisations de sécurité sociale, à l'exception de celles reprises "
            "sous un autre code",
       "unmapped", "AR art. 37 § 1 (contributions required)", "C",
       "DmfAPPL only (valid until 2021/4); exempt from contributions, so it does not count.",
       valid_to=(2021, 4)),
)}

#: Worker codes of student workers under the solidarity contribution: their lines become
#: ``student_contract``, which never counts. Derived from the worker-code table
#: (:mod:`.workercodes`, annex 2 of the DmfA glossary), which decides every worker code.
STUDENT_WORKER_CODES: frozenset[int] = frozenset(
    c for c, w in WORKER_CODES.items() if w.kind == "student_contract")


def lookup(code: int) -> ServiceCodeMapping:
    """The mapping for ``code``; a code absent from annex 8 gives an ``unmapped``
    entry with ``known=False`` (never an exception: the reader reports it)."""
    found = SERVICE_CODES.get(code)
    if found is not None:
        return found
    return ServiceCodeMapping(
        code, "", "unmapped", "none: code not in annex 8 (2022/3)", "U",
        "Unknown service code: kept as an unmapped line for the expert.", known=False)


def _c1_to_cp1252(text: str) -> str:
    """The file says ISO-8859-1 but holds a few Windows-1252 characters (code 52 has
    a curly quote as byte 0x93, a C1 control character in ISO-8859-1): read them as
    Windows-1252 meant them."""
    return "".join(bytes([ord(c)]).decode("cp1252", errors="replace") if 0x80 <= ord(c) <= 0x9F else c
                   for c in text)


def load_annex8(path: str | Path) -> dict[int, dict[str, Optional[str]]]:
    """Read the official annex-8 list (``AN2022-2-FR8.xml``, ISO-8859-1) as
    ``{code: {"label": ..., "valid_from": "2003/1", "valid_to": "9999/4"}}``.

    Used by the tests to check :data:`SERVICE_CODES` against the published file, and by
    notebooks to show the labels. The XML declares its own encoding, so lxml reads it
    correctly from bytes.
    """
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    out: dict[int, dict[str, Optional[str]]] = {}
    for item in root.iter("ann8"):
        code = int(item.findtext("Code"))
        out[code] = {
            "label": _c1_to_cp1252((item.findtext("Description") or "").strip()),
            "valid_from": item.findtext("Geldig_vanaf"),
            "valid_to": item.findtext("Geldig_tot"),
            "dmfa": item.findtext("DMFA"),
        }
    return out
