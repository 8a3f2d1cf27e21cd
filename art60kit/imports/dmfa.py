"""Read DmfA declarations (ONSS/RSZ quarterly declarations) into career lines.

Messages recognised (by their root element, any XML namespace or none):

- ``DmfAOriginal`` — an original declaration (official schema ``DmfAOriginal_20223.xsd``);
- ``DmfAUpdate`` — a **modification** declaration (``DmfAUpdate_20223.xsd``): read into
  :class:`Modification` records, applied to the originals by :func:`read_dmfa_files`
  (see :mod:`.modifications`); read alone, it is imported as what it states, with a
  warning that its original is missing;
- ``Dimona`` — an immediate declaration of employment (``Dimona_20231.xsd``): read by
  :mod:`.dimona` into career lines whose working time is unknown ("Dimona only");
- any other message (``DmfAPID``, notifications, acknowledgements, ...) is refused with
  one line naming what it is: it declares no work.

Structure read from a declaration of work::

    DmfAOriginal / Form* / EmployerDeclaration      Quarter (YYYYQ), NOSSRegistrationNbr, CompanyID
      / NaturalPerson*                              INSS
        / WorkerRecord*                             WorkerCode, NOSSQuarterStartingDate/EndingDate
          / Occupation*                             OccupationSequenceNbr, OccupationStartingDate,
                                                    OccupationEndingDate, WorkingDaysSystem (R),
                                                    ContractType, MeanWorkingHours (Q),
                                                    RefMeanWorkingHours (S), Apprenticeship
            / Service*                              ServiceCode, ServiceNbrDays, ServiceNbrHours,
                                                    FlightNbrMinutes

(``DmfAUpdate``: ``EmployerDeclarationUpdate / NaturalPersonUpdate / WorkerRecordUpdate /
[LastSituationWR] + WorkerRecordUpdateAction / OccupationUpdate / Service``, same zones.)

Semantics (each is a choice; the reasons are the sources cited):

- **One career line per Service line.** A DmfA gives totals per quarter, occupation and
  service code; it does not say on which days. The line's period is the occupation's
  span inside the declared quarter. The lines of one occupation share that period and
  together describe it.
- **Units.** ``WorkingDaysSystem``, ``MeanWorkingHours``, ``RefMeanWorkingHours``,
  ``ServiceNbrDays`` and ``ServiceNbrHours`` are hundredths (500 = 5 days a week,
  3800 = 38 hours, 06600 = 66 days). ``FlightNbrMinutes`` (flying staff) are minutes:
  a service without ``ServiceNbrHours`` uses minutes / 60 as its hours (reported).
- **Measure.** Full time (``ContractType`` 0, or Q = S): ``days`` in a regime of
  ``days_per_week`` = R, credited A x 6/R (AM 26/11/1991 art. 7; ONEM schéma 2A).
  Part time (``ContractType`` 1 or Q < S): ``hours`` with ``full_time_hours`` = S,
  credited hours x 6/S (AM art. 7; ONEM schéma 2D). A part-time service without hours is
  estimated as days x Q/R and reported.
- **R unknown or zero**: R = 5, as ONEM does when R is unknown, reported. R above 6 is
  rewritten to an equivalent credit in a 6-day regime and reported.
- **Worker codes** (:mod:`.workercodes`): only work with unemployment-sector
  contributions counts. A code that does not count turns the record's lines into
  ``not_covered_work`` (one line per occupation), ``student_contract`` or
  ``apprenticeship``; a code the table cannot settle makes them ``unmapped`` (kept,
  counts nothing, reported). The line's ``source_ref`` says why.
- **Service codes** (:mod:`.servicecodes`) give the kind; unmapped codes are kept as
  ``unmapped`` lines, never dropped.
- **Provenance.** ``source: dmfa``; ``source_ref`` =
  ``DmfA 2024Q3 employer 0123456789 worker 495 occupation 1 service 001``: unique per
  declaration, worker record (a second record with the same worker code adds
  ``record 2``), occupation and service code (a repeated code adds ``#2``).
- **Bounds at import.** Every quantity is checked against what a quarter can hold:
  days of a service and of an occupation at most the quarter's calendar days, hours at
  most 24 a declared day and 24 a calendar day, flight minutes likewise, R at most 7,
  Q and S within the schema's 0-60 hours, dates within 1900-2100, the ``Apprenticeship``
  value within the set allowed for the quarter (:data:`APPRENTICESHIP_VALUES`, dated
  from the DmfA glossary: 1 to 5 before 2019/4, only 1 from 2019/4).
- **Messages.** Every refusal and warning is an
  :class:`~art60kit.imports.texts.ImportProblem`: one line naming the file, the source
  line, the zone, the value and the masked worker, written in the reader's language
  from the text catalog (``problem.text("nl")``); ``str(problem)`` is the English line.
- **Per-worker import.** A worker (``NaturalPerson``) whose data is impossible is
  refused with one line per problem (file, line, zone, value, masked INSS) and nothing
  of that worker is kept; every other worker of the file is imported. The import says
  how many workers were read and refused (:attr:`DmfaImport.refused`). A file that
  cannot be read at all (malformed XML, not a declaration of work, no worker that could
  be imported) raises :class:`~art60kit.errors.InputError`: nothing is imported.
- **Streaming.** ``lxml.etree.iterparse``; each person is converted and cleared as soon
  as it is complete, so memory does not grow with the file.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO, Iterable, Optional, Union

from ..errors import InputError, Problem
from .servicecodes import ServiceCodeMapping, lookup
from .texts import ImportProblem, Msg, Num, Quarter, Ref, msg, problem, unreadable
from .workercodes import WorkerCode, lookup_worker

__all__ = ["DmfaImport", "PersonCareer", "Refusal", "Modification", "read_dmfa", "read_dmfa_files",
           "SOURCE", "group_key", "message_type", "MESSAGES", "APPRENTICESHIP_VALUES", "ApprenticeshipValues",
           "apprenticeship_allowed", "mask_inss"]

SOURCE = "dmfa"
DEFAULT_R = 5.0  # ONEM: "Si le facteur R n'est pas connu, on part alors de R = 5"
DEFAULT_S = 38.0  # ONEM schéma 2D: "Si S n'est pas connu [...] S = 38"
MAX_R = 7.0  # WorkingDaysSystem <= 700 (schema): at most 7 days a week
MAX_HOURS_WEEK = 60.0  # MeanWorkingHours / RefMeanWorkingHours <= 6000 (schema)
YEARS = (1900, 2100)  # dates outside are typing errors, never a career

#: Root elements of ONSS messages and what they are, for a user who gave the wrong file.
MESSAGES: dict[str, tuple[str, str]] = {
    "DmfAOriginal": ("original", "a DmfA original declaration"),
    "DmfAUpdate": ("modification", "a DmfA modification declaration"),
    "Dimona": ("dimona", "a Dimona declaration"),
    "DmfAPID": ("other", "a DmfA PID notification (identifiers ONSS gives back), not a declaration of work"),
    "DmfAUpdateNotification": ("other", "a DmfA modification notification, not a declaration of work"),
    "DmfANotification": ("other", "a DmfA notification (acknowledgement of a declaration), not a declaration of work"),
    "DmfAPPLNotification": ("other", "a DmfAPPL notification, not a declaration of work"),
    "DimonaAcknowledgement": ("other", "a Dimona acknowledgement, not a declaration of work"),
    "DimonaNotification": ("other", "a Dimona notification, not a declaration of work"),
    "DmfARequest": ("other", "a DmfA request, not a declaration of work"),
    "DmfAPPL": ("other", "a DmfAPPL declaration (provincial and local administrations, "
                         "before 2017), not read by this version"),
}


@dataclass(frozen=True)
class ApprenticeshipValues:
    """The values of the ``Apprenticeship`` zone (00055, "type d'apprentissage") allowed
    from quarter ``first`` to quarter ``last`` (inclusive), with their meaning and the
    glossary version that states them."""

    first: tuple[int, int]
    last: tuple[int, int]
    values: tuple[tuple[int, str], ...]
    version: str
    source: str
    note: str = ""

    @property
    def allowed(self) -> frozenset[int]:
        return frozenset(v for v, _ in self.values)


_GLOSSARY_00055 = ("ONSS, DmfA glossary 2022/3 (published 30/08/2022), zone 00055 'TYPE D'APPRENTISSAGE', "
                   "domain of definition (VersCpltdmfa20223FR.xml, as republished in chrdebru/dmfa_pub)")

#: The dated code list of the ``Apprenticeship`` zone. The glossary 2022/3 gives the
#: domain in two parts: "À partir du trimestre 2019/4: 1 = apprenti - formation en
#: alternance" and "Avant le trimestre 2019/4: 1 = apprenti agréé des classes moyennes,
#: 2 = apprenti avec contrat d'apprentissage industriel, 3 = apprenti en formation de
#: chef d'entreprise, 4 = élève avec convention d'insertion socio-professionnelle
#: reconnue par les Communautés et Régions, 5 = stagiaire en convention d'immersion
#: professionnelle". The official schema (DmfAOriginal_20223.xsd) accepts 1 to 5 in
#: every quarter: the schema is shared by all quarters, the glossary is what dates the
#: values. The glossary does not say when the pre-2019/4 values began: they are taken
#: from the first DmfA quarter (2003/1); whether values 4 and 5 were already allowed
#: in the first quarters is not stated by the sources at hand (older glossaries were not
#: found), so a value 4 or 5 in an early quarter is accepted, not refused.
APPRENTICESHIP_VALUES: tuple[ApprenticeshipValues, ...] = (
    ApprenticeshipValues((2003, 1), (2019, 3), (
        (1, "apprenti agréé des classes moyennes"),
        (2, "apprenti avec contrat d'apprentissage industriel"),
        (3, "apprenti en formation de chef d'entreprise"),
        (4, "élève avec convention d'insertion socio-professionnelle reconnue par les Communautés et Régions"),
        (5, "stagiaire en convention d'immersion professionnelle"),
    ), "2022/3", _GLOSSARY_00055,
        "start not stated by the glossary: taken from the first DmfA quarter, 2003/1"),
    ApprenticeshipValues((2019, 4), (9999, 4), (
        (1, "apprenti - formation en alternance"),
    ), "2022/3", _GLOSSARY_00055),
)

Source = Union[str, "os.PathLike[str]", bytes, IO[bytes]]


def mask_inss(inss: Optional[str]) -> str:
    """An INSS shown in messages: birth-date part hidden (privacy).

    >>> mask_inss("90061500126")
    'INSS ******00126'
    """
    if inss and len(inss) == 11 and inss.isdigit():
        return f"INSS ******{inss[6:]}"
    return "INSS ***********"  # unreadable: nothing of it is shown


_mask = mask_inss


@dataclass(frozen=True)
class PersonCareer:
    """The career lines of one person (one INSS) read from DmfA declarations.

    ``lines`` are case-format career-line mappings (dates as :class:`datetime.date`),
    sorted by start, employer and reference; ``problems`` are the warnings about this
    person's data (unmapped codes, defaults used, corrections applied, ...).
    """

    inss: str
    lines: tuple[dict, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def unmapped(self) -> tuple[dict, ...]:
        """The lines that count nothing until an expert retypes them."""
        return tuple(l for l in self.lines if l["kind"] == "unmapped")

    @property
    def quarters(self) -> tuple[str, ...]:
        """The quarters declared, as ``2024Q3``, sorted."""
        return tuple(sorted({l["source_ref"].split()[1] for l in self.lines
                             if l.get("source") == SOURCE}))


@dataclass(frozen=True)
class Refusal:
    """A worker refused: nothing of them was imported. ``worker`` is masked."""

    file: str
    worker: str
    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        from ..i18n import text

        return f"{self.file}: " + text("import.report.refused", lang, worker=self.worker, n=len(self.problems))

    def lines(self, lang: str = "en") -> list[str]:
        """One line per problem of this worker, in ``lang``."""
        return [_line(p, lang) for p in self.problems]


@dataclass(frozen=True)
class Modification:
    """One worker record of a DmfA modification declaration.

    ``key`` identifies the record in the original: (employer, ``2024Q3``, INSS, worker
    code before the modification). ``action`` is the ``UpdateAction`` zone (00618):
    ``9`` cancels the worker record; ``1`` adds it; ``0`` and ``3`` give its
    occupations as they now stand (each ``OccupationUpdate`` replaces the original's
    occupation with the same sequence number; identical figures change nothing).
    ``occupations`` maps an occupation sequence number to its new lines.
    """

    file: str
    reference: str
    created: str
    key: tuple[str, str, str, int]
    worker_code: int
    action: int
    occupations: tuple[tuple[int, tuple[dict, ...]], ...]
    line: int
    order: int = 0

    @property
    def inss(self) -> str:
        return self.key[2]

    @property
    def label(self) -> str:
        """How the modification is named to a user: its ONSS reference, else the file."""
        ref = f"reference {self.reference}" if self.reference else os.path.basename(self.file)
        when = f" of {self.created}" if self.created else ""
        return f"DmfA modification {ref}{when}"

    @property
    def label_msg(self) -> Msg:
        """:attr:`label` as a message (the reader's words and date format)."""
        ref = (msg("mod.reference", reference=self.reference) if self.reference
               else msg("mod.file", file=os.path.basename(self.file)))
        when = ""
        if self.created:
            try:
                when = msg("mod.of", date=date.fromisoformat(self.created))
            except ValueError:
                when = msg("mod.of", date=self.created)
        return msg("mod.label", reference=ref, when=when)


@dataclass(frozen=True)
class DmfaImport:
    """Everything read from one or more files: careers by INSS, warnings, refusals.

    INSS numbers are personal data: they key the careers but are never copied into the
    career lines. ``message`` is ``original``, ``modification``, ``dimona`` or
    ``mixed``; ``workers_read`` counts the workers (natural persons of each declaration)
    imported and ``refused`` those refused; ``changes`` lists what modifications
    changed (:class:`~art60kit.imports.modifications.Change`).
    """

    files: tuple[str, ...]
    persons: tuple[PersonCareer, ...]
    problems: tuple[Problem, ...] = ()
    message: str = "original"
    workers_read: int = 0
    refused: tuple[Refusal, ...] = ()
    modifications: tuple[Modification, ...] = ()
    changes: tuple = ()

    def person(self, inss: Optional[str] = None) -> PersonCareer:
        """The career of ``inss``; without it, the only person in the files."""
        if inss is None:
            if len(self.persons) != 1:
                raise KeyError(f"{len(self.persons)} persons in the DmfA files: give an INSS")
            return self.persons[0]
        for p in self.persons:
            if p.inss == inss:
                return p
        raise KeyError(f"no declaration for {_mask(inss)} in {', '.join(self.files)}")

    def career(self, inss: Optional[str] = None) -> list[dict]:
        """The case-format career lines of one person (fresh copies, safe to edit)."""
        return [dict(l) for l in self.person(inss).lines]

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """All warnings: file-level ones, then each person's."""
        return self.problems + tuple(p for c in self.persons for p in c.problems)

    @property
    def refusal_problems(self) -> tuple[Problem, ...]:
        """One line per problem of every refused worker."""
        return tuple(p for r in self.refused for p in r.problems)

    def report(self, lang: str = "en") -> str:
        """The import in a few lines (``lang``): workers read and refused, and one line
        per problem of each refused worker."""
        from ..i18n import text

        out = [text("import.report.summary", lang, files=", ".join(self.files), read=self.workers_read,
                    refused=len(self.refused))]
        if self.changes:
            out.append(text("import.report.changes", lang, n=len(self.changes)))
        out.extend(_line(p, lang) for p in self.refusal_problems)
        return "\n".join(out)

    def warning_lines(self, lang: str = "en") -> list[str]:
        """Every warning of the import, one line each, in ``lang``."""
        return [_line(p, lang) for p in self.warnings]

    def change_lines(self, lang: str = "en") -> list[str]:
        """Every figure a modification changed, one line each, in ``lang``."""
        return [c.text(lang) for c in self.changes]


def group_key(line: dict) -> Optional[str]:
    """The DmfA occupation-quarter a line belongs to (``source_ref`` without the
    service part), or None for a line that is not from a DmfA. Lines of one group share
    a period and together describe it; the merge never compares them with each other.

    >>> group_key({"source": "dmfa", "source_ref": "DmfA 2024Q3 employer 0200000142 worker 495 occupation 1 service 002"})
    'DmfA 2024Q3 employer 0200000142 worker 495 occupation 1'
    """
    ref = line.get("source_ref")
    if line.get("source") != SOURCE or not isinstance(ref, str) or " service " not in ref:
        return None
    return ref.split(" service ", 1)[0]


def _short(label: str, n: int = 60) -> str:
    """A label quoted from an annex, cut at a word (never inside one) when long."""
    if len(label) <= n:
        return label
    return label[:n].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _line(p: Problem, lang: str) -> str:
    """A problem as a person reads it: in ``lang`` when it knows how, else as written."""
    return p.text(lang) if isinstance(p, ImportProblem) else str(p)


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _quarter_bounds(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    nxt = date(year + (q == 4), (3 * q) % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def apprenticeship_allowed(year: int, q: int) -> tuple[frozenset[int], str]:
    """The ``Apprenticeship`` values allowed in quarter ``(year, q)`` and the version of
    the glossary that states them.

    >>> sorted(apprenticeship_allowed(2019, 3)[0]), sorted(apprenticeship_allowed(2019, 4)[0])
    ([1, 2, 3, 4, 5], [1])
    """
    for row in APPRENTICESHIP_VALUES:
        if row.first <= (year, q) <= row.last:
            return row.allowed, row.version
    return frozenset(), APPRENTICESHIP_VALUES[-1].version


@dataclass
class _Decl:
    year: int
    q: int
    employer: str

    @property
    def quarter(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def q_(self) -> Quarter:
        """The quarter as a message value (``2024/3`` with the reader's word)."""
        return Quarter(self.year, self.q)


class _Reader:
    """One pass over one declaration file. A problem inside a person refuses that
    person only; a problem outside any person concerns the file."""

    def __init__(self, name: str, message: str):
        self.name = name
        self.message = message
        self.errors: list[Problem] = []  # file-level errors
        self.warnings: list[Problem] = []
        self.lines: dict[str, list[dict]] = {}
        self.person_warnings: dict[str, list[Problem]] = {}
        self.refused: list[Refusal] = []
        self.refused_inss: dict[str, int] = {}  # INSS -> index of its refusal
        self.modifications: list[Modification] = []
        self.workers_read = 0
        self.namespaces: set[str] = set()
        self._kids: dict = {}
        self._worker: Optional[str] = None  # masked INSS of the person being read
        self._read_inss: set[str] = set()
        self._person_errors: Optional[list[Problem]] = None
        self.form_ref = ""
        self.form_created = ""

    # -- problems --------------------------------------------------------------------
    def err(self, el, zone: str, key: str, **values) -> None:
        """An error at ``el``'s line, zone ``zone``: the catalog's ``import.<key>``."""
        line = getattr(el, "sourceline", None) or "?"
        if self._person_errors is not None:
            self._person_errors.append(problem(self.name, line, zone, msg(key, **values), worker=self._worker))
        else:
            self.errors.append(problem(self.name, line, zone, msg(key, **values)))

    def warn(self, inss: Optional[str], el, zone: str, key: str, **values) -> None:
        p = problem(self.name, getattr(el, "sourceline", None) or "?", zone, msg(key, **values), "warning")
        (self.person_warnings.setdefault(inss, []) if inss else self.warnings).append(p)

    # -- value helpers -----------------------------------------------------------------
    def _index(self, el) -> dict:
        idx = self._kids.get(el)
        if idx is None:
            idx = {}
            for c in el:
                tag = c.tag
                if isinstance(tag, str):
                    idx.setdefault(tag.rpartition("}")[2], []).append(c)
            self._kids[el] = idx
        return idx

    def child(self, el, name: str):
        found = self._index(el).get(name)
        return found[0] if found else None

    def children(self, el, name: str):
        return self._index(el).get(name, [])

    def text(self, el, name: str, path: str, required: bool) -> Optional[str]:
        c = self.child(el, name)
        if c is None or c.text is None or not c.text.strip():
            if required:
                self.err(el, f"{path}/{name}", "zone.missing")
            return None
        return c.text.strip()

    def integer(self, el, name: str, path: str, required: bool = False,
                bounds: Optional[tuple[int, int]] = None, unit: Optional[Msg] = None) -> Optional[int]:
        """A whole-number zone, bounded. Codes and identifiers are shown as typed
        (:class:`Num`), quantities with the reader's grouping (``unit`` given)."""
        t = self.text(el, name, path, required)
        if t is None:
            return None
        if not (t.isascii() and (t.isdigit() or (t[0] in "+-" and t[1:].isdigit()))) or len(t) > 15:
            self.err(self.child(el, name), f"{path}/{name}", "value.not_integer", value=repr(t[:40]))
            return None
        v = int(t)
        if bounds is not None and not bounds[0] <= v <= bounds[1]:
            if unit is None:
                self.err(self.child(el, name), f"{path}/{name}", "value.outside", value=t, lo=Num(bounds[0]),
                         hi=Num(bounds[1]))
            else:
                self.err(self.child(el, name), f"{path}/{name}", "value.outside_unit", value=v, lo=bounds[0],
                         hi=bounds[1], unit=unit)
            return None
        return v

    def hundredths(self, el, name: str, path: str, required: bool = False,
                   bounds: Optional[tuple[float, float]] = None, unit: Optional[Msg] = None) -> Optional[float]:
        v = self.integer(el, name, path, required)
        if v is None:
            return None
        x = v / 100
        if bounds is not None and not bounds[0] - 1e-9 <= x <= bounds[1] + 1e-9:
            self.err(self.child(el, name), f"{path}/{name}", "value.outside_hundredths", raw=Num(v), x=x,
                     lo=bounds[0], hi=bounds[1], unit=unit)
            return None
        return x

    def date_(self, el, name: str, path: str, required: bool = False) -> Optional[date]:
        t = self.text(el, name, path, required)
        if t is None:
            return None
        try:
            if len(t) != 10:
                raise ValueError("expected YYYY-MM-DD")
            d = date.fromisoformat(t)
        except ValueError:
            self.err(self.child(el, name), f"{path}/{name}", "value.bad_date", value=repr(t[:40]))
            return None
        if not YEARS[0] <= d.year <= YEARS[1]:
            self.err(self.child(el, name), f"{path}/{name}", "value.date_years", value=repr(t), lo=Num(YEARS[0]),
                     hi=Num(YEARS[1]))
            return None
        return d

    # -- structure ---------------------------------------------------------------------
    def declaration(self, emp) -> Optional[_Decl]:
        """Quarter and employer of an EmployerDeclaration(Update)."""
        path = _local(emp.tag)
        quarter = self.text(emp, "Quarter", path, True)
        year = q = None
        if quarter is not None:
            if (len(quarter) == 5 and quarter.isascii() and quarter.isdigit() and quarter[4] in "1234"
                    and 2003 <= int(quarter[:4]) <= YEARS[1]):
                year, q = int(quarter[:4]), int(quarter[4])
            else:
                self.err(self.child(emp, "Quarter"), f"{path}/Quarter", "decl.bad_quarter", value=repr(quarter[:40]))
        company = self.integer(emp, "CompanyID", path, bounds=(0, 9_999_999_999))
        noss = self.integer(emp, "NOSSRegistrationNbr", path, bounds=(0, 999_999_999))
        if company:
            employer = f"{company:010d}"
        elif noss is not None:
            employer = f"ONSS {noss:09d}"
        else:
            self.err(emp, path, "decl.no_employer")
            employer = None
        if year is None or employer is None:
            return None
        return _Decl(year, q, employer)

    def person(self, np, decl: Optional[_Decl], decl_line) -> None:
        """Read one NaturalPerson(Update): all of it, or nothing of it."""
        update = _local(np.tag) == "NaturalPersonUpdate"
        path = _local(np.tag)
        c = self.child(np, "INSS")
        raw = c.text.strip() if c is not None and c.text else None
        self._worker = _mask(raw)
        self._person_errors = []
        inss = self.text(np, "INSS", path, True)
        if inss is not None and not (len(inss) == 11 and inss.isascii() and inss.isdigit()):
            self.err(self.child(np, "INSS"), f"{path}/INSS", "worker.bad_inss")
            inss = None
        if decl is None:
            self.err(np, path, "worker.no_declaration", line=decl_line or "?")
        lines: list[dict] = []
        mods: list[Modification] = []
        warnings_before = len(self.person_warnings.get(inss, [])) if inss else 0
        if decl is not None and inss is not None:
            records = self.children(np, "WorkerRecordUpdate" if update else "WorkerRecord")
            if not records:
                self.err(np, path, "worker.no_record")
            seen_codes: dict[int, int] = {}
            for rec in records:
                if update:
                    m = self.record_update(rec, inss, decl, seen_codes)
                    if m is not None:
                        mods.append(m)
                else:
                    lines.extend(self.record(rec, rec, inss, decl, seen_codes)[1])
        errors, self._person_errors = self._person_errors, None
        if errors:
            if inss and inss in self.person_warnings:
                del self.person_warnings[inss][warnings_before:]
                if not self.person_warnings[inss]:
                    del self.person_warnings[inss]
            if inss is not None and inss in self.refused_inss:
                k = self.refused_inss[inss]
                r = self.refused[k]
                self.refused[k] = Refusal(r.file, r.worker, r.problems + tuple(errors))
            else:
                if inss is not None:
                    self.refused_inss[inss] = len(self.refused)
                self.refused.append(Refusal(self.name, self._worker, tuple(errors)))
            return
        self.workers_read += 1
        self._read_inss.add(inss)
        if update:
            self.modifications.extend(mods)
        elif lines:
            self.lines.setdefault(inss, []).extend(lines)
        else:
            self.person_warnings.setdefault(inss, [])

    def record(self, rec, action, inss: str, decl: _Decl, seen_codes: dict[int, int]
               ) -> tuple[int, list[dict], dict[int, list[dict]]]:
        """One worker record: (worker code, lines, lines by occupation). ``action`` is
        the element holding the record's zones (the record itself in an original, its
        WorkerRecordUpdateAction in a modification)."""
        path = _local(action.tag)
        code = self.integer(action, "WorkerCode", path, True, (0, 999))
        if code is None:
            return -1, [], {}
        n = seen_codes.get(code, 0) + 1
        seen_codes[code] = n
        worker_ref = f"worker {code:03d}" + (f" record {n}" if n > 1 else "")
        wc = lookup_worker(code)
        if not wc.known or wc.effect != "counts" or not wc.valid_in(decl.year, decl.q):
            self._warn_worker(inss, action, path, decl, wc)
        cal_start, cal_end = _quarter_bounds(decl.year, decl.q)
        q_start = self.date_(action, "NOSSQuarterStartingDate", path) or cal_start
        q_end = self.date_(action, "NOSSQuarterEndingDate", path) or cal_end
        if q_end < q_start:
            self.err(action, path, "record.ends_before", end=q_end, start=q_start)
            return code, [], {}
        if q_start < cal_start - timedelta(days=31) or q_end > cal_end + timedelta(days=31):
            self.err(action, f"{path}/NOSSQuarterStartingDate", "record.quarter_mismatch", start=q_start, end=q_end,
                     quarter=decl.q_)
            return code, [], {}
        occ_tag = "OccupationUpdate" if path == "WorkerRecordUpdateAction" else "Occupation"
        occupations = self.children(action, occ_tag)
        student = self.child(action, "StudentContribution")
        if student is not None and not occupations:
            line = self.student_line(student, decl, worker_ref, q_start, q_end)
            return code, [line] if line else [], {0: [line]} if line else {}
        if not occupations and _local(action.tag) != "WorkerRecordUpdateAction":
            self.warn(inss, rec, path, "record.no_occupation", code=f"{code:03d}", quarter=decl.q_)
        by_occ: dict[int, list[dict]] = {}
        seen_seq: set[int] = set()
        for occ in occupations:
            seq, occ_lines = self.occupation(occ, inss, decl, worker_ref, wc, q_start, q_end)
            if seq is None:
                continue
            if seq in seen_seq:
                self.err(occ, f"{occ_tag}/OccupationSequenceNbr", "occ.twice", seq=Num(seq))
                continue
            seen_seq.add(seq)
            by_occ[seq] = occ_lines
        return code, [l for ls in by_occ.values() for l in ls], by_occ

    def student_line(self, st, decl: _Decl, worker_ref: str, q_start: date, q_end: date) -> Optional[dict]:
        """The student block of a worker record (``StudentContribution``: work under a
        student contract with the solidarity contribution, declared without occupation):
        one ``student_contract`` line over the quarter with its hours
        (``StudentHoursNbr``, whole hours, 0-999) or days (``StudentNbrDays``, whole
        days, 0-50) as the schema bounds them. It counts nothing (a solidarity
        contribution is no social-security deduction); it is kept so the career shows it."""
        path = "StudentContribution"
        hours = self.integer(st, "StudentHoursNbr", path, bounds=(0, 999))
        days = self.integer(st, "StudentNbrDays", path, bounds=(0, 50))
        if hours is None and days is None:
            if self.child(st, "StudentHoursNbr") is None and self.child(st, "StudentNbrDays") is None:
                self.err(st, path, "zone.missing")
            return None
        line: dict = {"kind": "student_contract", "start": q_start, "end": q_end, "employer": decl.employer}
        if hours is not None:
            line.update(hours=float(hours), full_time_hours=DEFAULT_S)
            what = f"{hours} hours"
        else:
            line.update(days=float(days), days_per_week=DEFAULT_R)
            what = f"{days} days"
        line.update(source=SOURCE, source_ref=f"DmfA {decl.quarter} employer {decl.employer} {worker_ref} student",
                    note=f"student block: {what} under the solidarity contribution (no social-security "
                         "deduction: does not count)")
        return line

    def _warn_worker(self, inss, el, path, decl: _Decl, wc: WorkerCode) -> None:
        where = dict(quarter=decl.q_, employer=decl.employer, code=f"{wc.code:03d}")
        if not wc.known:
            self.warn(inss, el, f"{path}/WorkerCode", "wcode.unknown", **where)
        elif wc.effect == "does_not_count":
            self.warn(inss, el, f"{path}/WorkerCode", "wcode.does_not_count", **where, label=_short(wc.label_fr),
                      reason=wc.reason_msg)
        elif wc.effect == "ask":
            self.warn(inss, el, f"{path}/WorkerCode", "wcode.ask", **where, label=_short(wc.label_fr),
                      reason=wc.reason_msg)
        if wc.known and not wc.valid_in(decl.year, decl.q):
            self.warn(inss, el, f"{path}/WorkerCode", "wcode.invalid_quarter", code=f"{wc.code:03d}",
                      quarter=decl.q_, first=Quarter(*wc.valid_from), last=Quarter(*wc.valid_to))

    def record_update(self, rec, inss: str, decl: _Decl, seen_codes: dict[int, int]) -> Optional[Modification]:
        action_el = self.child(rec, "WorkerRecordUpdateAction")
        if action_el is None:
            self.err(rec, "WorkerRecordUpdate", "update.no_action")
            return None
        last = self.child(rec, "LastSituationWR")
        old_code = self.integer(last, "WorkerCode", "LastSituationWR", True, (0, 999)) if last is not None else None
        action = self.integer(action_el, "UpdateAction", "WorkerRecordUpdateAction", True)
        if action is not None and action not in (0, 1, 3, 9):
            self.err(self.child(action_el, "UpdateAction"), "WorkerRecordUpdateAction/UpdateAction",
                     "update.bad_action", value=Num(action))
            action = None
        code, _lines, by_occ = self.record(rec, action_el, inss, decl, seen_codes)
        if code < 0 or action is None:
            return None
        return Modification(self.name, self.form_ref, self.form_created,
                            (decl.employer, decl.quarter, inss, old_code if old_code is not None else code),
                            code, action, tuple(sorted((k, tuple(v)) for k, v in by_occ.items())),
                            rec.sourceline or 0)

    def occupation(self, occ, inss, decl: _Decl, worker_ref: str, wc: WorkerCode, q_start, q_end
                   ) -> tuple[Optional[int], list[dict]]:
        path = _local(occ.tag)
        year, q, employer = decl.year, decl.q, decl.employer
        seq = self.integer(occ, "OccupationSequenceNbr", path, True, (1, 99))
        o_start = self.date_(occ, "OccupationStartingDate", path)
        o_end = self.date_(occ, "OccupationEndingDate", path)
        r = self.hundredths(occ, "WorkingDaysSystem", path, True, (0, MAX_R), msg("unit.days_week"))
        contract_type = self.integer(occ, "ContractType", path, bounds=(0, 1))
        qh = self.hundredths(occ, "MeanWorkingHours", path, bounds=(0, MAX_HOURS_WEEK), unit=msg("unit.hours_week"))
        s = self.hundredths(occ, "RefMeanWorkingHours", path, bounds=(0.01, MAX_HOURS_WEEK),
                            unit=msg("unit.hours_week"))
        appr = self.integer(occ, "Apprenticeship", path)
        services = self.children(occ, "Service")
        if appr is not None:
            allowed, version = apprenticeship_allowed(year, q)
            if appr not in allowed:
                self.err(self.child(occ, "Apprenticeship"), f"{path}/Apprenticeship", "appr.not_allowed",
                         value=Num(appr), quarter=decl.q_,
                         allowed=", ".join(map(str, sorted(allowed))) if allowed else msg("appr.none"),
                         source=msg("appr.source", version=version))
        if o_start and o_end and o_end < o_start:
            self.err(occ, f"{path}/OccupationEndingDate", "occ.ends_before", end=o_end, start=o_start)
            return None, []
        if seq is None or r is None:
            return seq, []
        group = f"DmfA {year}Q{q} employer {employer} {worker_ref} occupation {seq}"
        where = msg("where.occ", quarter=decl.q_, employer=employer, seq=Num(seq))
        start = max(o_start, q_start) if o_start else q_start
        end = min(o_end, q_end) if o_end else q_end
        if o_start is None:
            self.warn(inss, occ, path, "occ.no_start", where=where)
        if start > end:
            self.warn(inss, occ, path, "occ.outside_quarter", where=where, start=o_start, end=o_end,
                      q_start=q_start, q_end=q_end)
            start, end = q_start, q_end
        qspan = (q_end - q_start).days + 1
        if not services:
            self.warn(inss, occ, path, "occ.no_services", where=where)
            return seq, []
        notes = []
        if r == 0:
            notes.append(f"R declared 0, R = {DEFAULT_R:g} used (ONEM: R unknown -> 5)")
            self.warn(inss, occ, f"{path}/WorkingDaysSystem", "occ.r_zero", where=where, r=DEFAULT_R)
            r = DEFAULT_R
        part_time = contract_type == 1 or (qh is not None and s is not None and qh < s)
        if part_time and s is None:
            notes.append(f"S missing, S = {DEFAULT_S:g} used")
            self.warn(inss, occ, f"{path}/RefMeanWorkingHours", "occ.no_s", where=where, s=DEFAULT_S)
            s = DEFAULT_S
        if qh is not None and s is not None:
            notes.append(f"Q/S {qh:g}/{s:g}")
        notes.append(f"R {r:g}")
        apprentice = appr is not None
        if apprentice:
            notes.append(f"apprenticeship (type {appr})")
        # Every quantity of the occupation is read and bounded before any line is made.
        parsed = []
        total_days = 0.0
        seen_refs: dict[str, int] = {}
        for sv in services:
            p = self.service_values(sv, where, qspan)
            if p is not None:
                parsed.append((sv, *p))
                total_days += p[1]
        if total_days > qspan + 1e-9:
            self.err(occ, f"{path}/Service/ServiceNbrDays", "occ.too_many_days", days=total_days, seq=Num(seq),
                     n=qspan)
            return seq, []
        if wc.effect == "does_not_count" and wc.kind == "not_covered_work":
            # The occupation was not insured for unemployment: one status line for its
            # period (it may extend the reference window), its services in the note.
            detail = ", ".join(f"code {c:03d} {d:g} days" for _sv, c, d, _h, _m in parsed)
            line = {"kind": "not_covered_work", "start": start, "end": end, "employer": employer,
                    "source": SOURCE, "source_ref": f"{group} service all ({wc.short})",
                    "note": f"{wc.short}: {wc.reason}; {detail}"}
            return seq, [line]
        lines = []
        for sv, code, days, hours, minutes in parsed:
            line = self.service_line(sv, inss, decl, seq, group, where, start, end, q_start, q_end, r, qh, s,
                                     part_time, wc, apprentice, notes, seen_refs, code, days, hours, minutes)
            if line is not None:
                lines.append(line)
        return seq, lines

    def service_values(self, sv, where: str, qspan: int):
        """(code, days, hours, flight minutes) of a Service, each bounded, or None."""
        path = "Service"
        code = self.integer(sv, "ServiceCode", path, True, (0, 999))
        days = self.hundredths(sv, "ServiceNbrDays", path, True, (0, qspan), msg("unit.days_quarter", n=qspan))
        hours = self.hundredths(sv, "ServiceNbrHours", path, bounds=(0, 24 * qspan),
                                unit=msg("unit.hours_quarter", n=qspan))
        minutes = self.integer(sv, "FlightNbrMinutes", path, bounds=(0, 24 * 60 * qspan),
                               unit=msg("unit.minutes_quarter", n=qspan))
        if code is None or days is None:
            return None
        if hours is not None and hours > 24 * days + 1e-9:
            self.err(self.child(sv, "ServiceNbrHours"), f"{path}/ServiceNbrHours", "service.hours_per_day",
                     hours=hours, days=days)
            return None
        if minutes is not None and minutes > 24 * 60 * max(days, 1) + 1e-9:
            self.err(self.child(sv, "FlightNbrMinutes"), f"{path}/FlightNbrMinutes", "service.minutes_per_day",
                     minutes=minutes, days=days)
            return None
        return code, days, hours, minutes

    def service_line(self, sv, inss, decl: _Decl, seq, group, where, start, end, q_start, q_end, r, qh, s,
                     part_time, wc: WorkerCode, apprentice, occ_notes, seen_refs, code, days, hours, minutes):
        path = "Service"
        year, q, employer = decl.year, decl.q, decl.employer
        mapping: ServiceCodeMapping = lookup(code)
        ref = f"{group} service {code:03d}"
        n = seen_refs.get(ref, 0) + 1
        seen_refs[ref] = n
        if n > 1:
            ref = f"{ref} #{n}"
            self.warn(inss, sv, path, "service.repeated", where=where, code=f"{code:03d}", n=n)
        kind = mapping.kind
        notes = list(occ_notes)
        if not mapping.known:
            self.warn(inss, sv, f"{path}/ServiceCode", "service.not_in_annex", where=where, code=str(code), days=days)
        elif kind == "unmapped":
            self.warn(inss, sv, f"{path}/ServiceCode", "service.no_kind", where=where, code=str(code),
                      label=_short(mapping.label_fr), days=days)
        elif not mapping.valid_in(year, q):
            self.warn(inss, sv, f"{path}/ServiceCode", "service.invalid_quarter", where=where, code=str(code),
                      quarter=decl.q_, first=Quarter(*mapping.valid_from), last=Quarter(*mapping.valid_to))
        if kind != "unmapped":
            if wc.effect == "does_not_count":
                kind = wc.kind
                ref = f"{ref} ({wc.short})"
            elif wc.effect == "ask":
                kind = "unmapped"
                ref = f"{ref} ({wc.short})"
            elif apprentice:
                kind = "apprenticeship"
        if minutes is not None:
            if hours is None:
                hours = round(minutes / 60, 2)
                notes.append(f"{minutes} flight minutes = {hours:g} h")
                self.warn(inss, sv, f"{path}/FlightNbrMinutes", "service.flight_minutes", where=where,
                          code=f"{code:03d}", minutes=minutes, hours=hours)
            else:
                notes.append(f"{minutes} flight minutes")
        line_start, line_end = start, end
        span = (end - start).days + 1
        if days > span:
            # Days that do not fit the occupation's dates: the quarter holds them.
            self.warn(inss, sv, f"{path}/ServiceNbrDays", "service.days_beyond_span", where=where, days=days, n=span)
            line_start, line_end = q_start, q_end
            span = (q_end - q_start).days + 1
        line: dict = {"kind": kind, "start": line_start, "end": line_end, "employer": employer}
        if part_time:
            if hours is None:
                per_day = (qh if qh is not None else s) / r
                hours = round(days * per_day, 2)
                notes.append(f"hours estimated as days x Q/R = {days:g} x {per_day:.4g}")
                self.warn(inss, sv, f"{path}/ServiceNbrHours", "service.hours_estimated", where=where,
                          code=f"{code:03d}", days=days, hours=hours)
            line.update(hours=hours, full_time_hours=s)
            if 1 <= r <= 6:
                line["days_per_week"] = r
        elif 1 <= r <= 6:
            line.update(days=days, days_per_week=r)
        else:
            # The case format takes regimes of 1 to 6 days: same credit days x 6/R.
            r2 = 6.0 if r > 6 else 1.0
            eq = round(days * r2 / r, 4)
            notes.append(f"R {r:g} outside 1-6: {days:g} days x 6/{r:g} written as {eq:g} days in R{r2:g}")
            self.warn(inss, sv, f"{path}/ServiceNbrDays", "service.regime", where=where, r=r, eq=eq, r2=r2)
            if eq > span:
                line_start, line_end = q_start, q_end
                line.update(start=q_start, end=q_end)
            line.update(days=eq, days_per_week=r2)
        line["source"] = SOURCE
        line["source_ref"] = ref
        if mapping.known:
            label = mapping.label_fr if len(mapping.label_fr) <= 40 else mapping.label_fr[:39] + "…"
            rule = f" ({mapping.public_rule})" if mapping.public_rule else ""
            head = f"code {code:03d} '{label}' -> {kind} [{mapping.confidence}]{rule}"
        else:
            head = f"code {code:03d} not in annex 8 -> unmapped"
        if wc.effect != "counts":
            notes.append(f"{wc.short}: {wc.reason}")
        line["note"] = "; ".join([head, *notes])
        return line


def _open(source: Source) -> tuple[object, str]:
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(bytes(source)), "<dmfa>"
    if hasattr(source, "read"):
        name = getattr(source, "name", "<dmfa>")
        try:
            source.seek(source.tell())  # the message type is read first, then the file again
            return source, name
        except (OSError, ValueError, AttributeError):
            return io.BytesIO(source.read()), name  # a pipe: read once, kept in memory
    return os.fspath(source), os.fspath(source)


def message_type(source: Source, *, name: Optional[str] = None) -> tuple[str, str]:
    """``(type, root element)`` of an ONSS message: type is ``original``,
    ``modification``, ``dimona``, ``other`` (a known message that declares no work) or
    ``unknown``. Reads only up to the root element. Raises :class:`InputError` for a
    file that is not XML."""
    from lxml import etree

    src, default_name = _open(source)
    fname = name or default_name
    pos = src.tell() if hasattr(src, "tell") else None
    try:
        for _ev, el in etree.iterparse(src, events=("start",), resolve_entities=False, no_network=True,
                                       huge_tree=False):
            root = _local(el.tag)
            return MESSAGES.get(root, ("unknown", ""))[0], root
    except etree.XMLSyntaxError as e:
        raise InputError([malformed(fname, e)]) from None
    except OSError as e:
        raise InputError([unreadable(fname, e)]) from None
    finally:
        if pos is not None:
            src.seek(pos)
    raise InputError([problem(fname, 1, "", msg("file.empty"))])


def malformed(fname: str, e) -> ImportProblem:
    """The one line for a file that is not well-formed XML (lxml's own wording, in
    English, is left out: the line number says where)."""
    if not e.lineno:  # libxml2 says line 0 for a document without any content
        return problem(fname, 1, "", msg("file.empty"))
    return problem(fname, e.lineno, "", msg("file.malformed"))





def read_dmfa(source: Source, *, inss: Optional[str] = None, name: Optional[str] = None,
              as_of: Optional[date] = None, lang: str = "en") -> DmfaImport:
    """Read one ONSS file (path, bytes or binary file object) into careers.

    An original declaration gives careers; a modification gives its
    :attr:`~DmfaImport.modifications` and, read alone, the careers it states (with a
    warning); a Dimona gives "Dimona only" lines (``as_of`` closes open-ended ones).
    ``inss`` keeps only that person; ``lang`` is the language of the text a
    line carries for a person (a Dimona line's doubt). Workers with impossible data are refused one by
    one (:attr:`DmfaImport.refused`); :class:`InputError` is raised only when nothing
    can be imported (malformed XML, another message, no worker readable).
    """
    src, default_name = _open(source)
    fname = name or default_name
    if isinstance(src, str) and not os.path.exists(src):
        raise InputError([problem(fname, None, "", msg("file.missing"))])
    kind, root = message_type(src, name=fname)
    if kind == "dimona":
        from .dimona import read_dimona

        return read_dimona(src, inss=inss, name=fname, as_of=as_of, lang=lang)
    if kind == "other":
        raise InputError([problem(fname, 1, root, msg("file.other_message", what=msg(f"message.{root}")))])
    if kind == "unknown":
        raise InputError([problem(fname, 1, "", msg("file.unknown_message", root=root or "-"))])
    return _read_declaration(src, fname, kind, inss)


def _read_declaration(src, fname: str, message: str, inss: Optional[str]) -> DmfaImport:
    from lxml import etree

    rd = _Reader(fname, message)
    update = message == "modification"
    emp_tag = "EmployerDeclarationUpdate" if update else "EmployerDeclaration"
    np_tag = "NaturalPersonUpdate" if update else "NaturalPerson"
    wanted = ("Quarter", "CompanyID", "NOSSRegistrationNbr", np_tag, "Form", emp_tag, "ReferenceNbr",
              "FormCreationDate")
    n_forms = 0
    emp_zones: dict[str, object] = {}
    decl: Optional[_Decl] = None
    decl_line = None
    try:
        ctx = etree.iterparse(src, events=("end",), tag=[f"{{*}}{t}" for t in wanted],
                              resolve_entities=False, no_network=True, huge_tree=False)
        for _event, el in ctx:
            tag = _local(el.tag)
            parent = el.getparent()
            ptag = _local(parent.tag) if parent is not None else ""
            if tag in ("Quarter", "CompanyID", "NOSSRegistrationNbr") and ptag == emp_tag:
                emp_zones[tag] = el
                if tag == "CompanyID":
                    decl = rd.declaration(parent)
                    decl_line = parent.sourceline
            elif tag == "ReferenceNbr" and ptag == "Reference":
                rd.form_ref = (el.text or "").strip()[:20]
            elif tag == "FormCreationDate" and ptag == "Form":
                rd.form_created = (el.text or "").strip()[:10]
            elif tag == np_tag:
                if ptag != emp_tag:
                    rd.err(el, np_tag, "decl.misplaced", inside=ptag or "-", expected=emp_tag)
                elif decl is None and "CompanyID" not in emp_zones:
                    decl = rd.declaration(parent)
                    decl_line = parent.sourceline
                if inss is None or rd.text(el, "INSS", np_tag, False) == inss:
                    rd.person(el, decl, decl_line)
                el.clear()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
            elif tag == emp_tag:
                if "CompanyID" not in emp_zones:
                    rd.declaration(el)
                emp_zones.clear()
                decl = None
            elif tag == "Form":
                n_forms += 1
                rd.form_ref = rd.form_created = ""
                el.clear()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
            if isinstance(el.tag, str) and el.tag.startswith("{"):
                rd.namespaces.add(el.tag[1:].split("}", 1)[0])
            rd._kids.clear()  # the child index only lives for one element's handling
    except etree.XMLSyntaxError as e:
        raise InputError([malformed(fname, e)]) from None
    except OSError as e:
        raise InputError([unreadable(fname, e)]) from None
    if n_forms == 0:
        raise InputError([problem(fname, 1, "", msg("file.no_form"))])
    # Nothing of a refused person is kept, not even their other declarations in the file.
    for who in rd.refused_inss:
        rd.lines.pop(who, None)
        rd.person_warnings.pop(who, None)
        rd.modifications = [m for m in rd.modifications if m.inss != who]
    rd.workers_read = len(rd._read_inss - set(rd.refused_inss))
    refused_lines = [p for r in rd.refused for p in r.problems]
    if rd.workers_read == 0 and (rd.errors or rd.refused):
        head = problem(fname, None, "", msg("file.all_refused", n=len(rd.refused)))
        raise InputError([*rd.errors, *refused_lines, head])
    problems = list(rd.errors)
    for i, p in enumerate(problems):  # declaration-level errors that did not stop every worker
        problems[i] = problem(p.file, p.line, p.zone, msg("file.workers_refused", problem=p.msg))
    if rd.refused:
        problems.append(problem(fname, None, "", msg("file.some_refused", n=len(rd.refused), read=rd.workers_read),
                                "warning"))
    if rd.namespaces:
        problems.append(problem(fname, None, "", msg("file.namespaces", ns=", ".join(sorted(rd.namespaces))),
                                "warning"))
    problems.extend(rd.warnings)
    persons = _persons(rd.lines, rd.person_warnings)
    mods = tuple(rd.modifications)
    if update:
        # Read alone, a modification is imported as what it states, with a warning.
        from .modifications import apply_modifications

        persons, changes, extra = apply_modifications({}, mods, {})
        problems.extend(extra)
        return DmfaImport((fname,), persons, tuple(problems), message, rd.workers_read, tuple(rd.refused),
                          mods, changes)
    if inss is not None and not persons:
        problems.append(problem(fname, None, "", msg("file.no_declaration", worker=_mask(inss)), "warning"))
    return DmfaImport((fname,), persons, tuple(problems), message, rd.workers_read, tuple(rd.refused))


def _sort_key(l: dict):
    return (l["start"] if isinstance(l["start"], date) else date.min, l.get("employer") or "", l["source_ref"])


def _persons(lines: dict[str, list[dict]], warnings: dict[str, list[Problem]]) -> tuple[PersonCareer, ...]:
    out = []
    for who in sorted(set(lines) | set(warnings)):
        ls = sorted(lines.get(who, []), key=_sort_key)
        out.append(PersonCareer(who, tuple(ls), tuple(warnings.get(who, ()))))
    return tuple(out)


def read_dmfa_files(sources: Iterable[Source], *, inss: Optional[str] = None,
                    as_of: Optional[date] = None, lang: str = "en") -> DmfaImport:
    """Read several files (originals of several employers and quarters, their
    modifications, Dimona declarations) into one import.

    Originals give the careers; modifications are then applied in the order of their
    creation date (then the order given) to the original lines they match (employer,
    quarter, worker, occupation), each change listed in :attr:`DmfaImport.changes` and
    shown in the corrected line's ``source_ref``; Dimona lines are added as they are
    (the merge decides what the declared figures already cover). A worker refused in
    one file is refused for that file only (their other files, e.g. a modification that
    corrects the impossible figure, are still read; the refusal is in the report). A line read twice
    (same ``source_ref`` and values) is kept once and reported. Any file that cannot be
    read at all stops everything (:class:`InputError` listing every problem).
    """
    from .modifications import apply_modifications

    imports, errors = [], []
    for s in sources:
        try:
            imports.append(read_dmfa(s, inss=inss, as_of=as_of, lang=lang))
        except InputError as e:
            errors.extend(e.problems)
    if errors:
        raise InputError(errors)
    by_person: dict[str, list[dict]] = {}
    person_problems: dict[str, list[Problem]] = {}
    file_problems: list[Problem] = []
    seen: dict[tuple[str, str], tuple[dict, str]] = {}
    mods: list[Modification] = []
    for imp in imports:
        file_problems.extend(imp.problems)
        if imp.message == "modification":
            mods.extend(imp.modifications)
            continue
        for pc in imp.persons:
            person_problems.setdefault(pc.inss, []).extend(pc.problems)
            for l in pc.lines:
                key = (pc.inss, l["source_ref"])
                if key in seen:
                    first, first_file = seen[key]
                    same = first == l
                    person_problems[pc.inss].append(problem(
                        imp.files[0], None, "", msg("files.same" if same else "files.differ",
                                                    ref=Ref(l["source_ref"]), other=first_file), "warning"))
                    if same:
                        continue
                seen.setdefault(key, (l, imp.files[0]))
                by_person.setdefault(pc.inss, []).append(l)
    persons, changes, extra = apply_modifications(by_person, tuple(mods), person_problems)
    messages = {i.message for i in imports}
    message = messages.pop() if len(messages) == 1 else "mixed"
    read = {p.inss for p in persons}  # a person declared in several files counts once
    return DmfaImport(tuple(f for i in imports for f in i.files), persons, tuple(file_problems + list(extra)),
                      message, len(read),
                      tuple(r for i in imports for r in i.refused), tuple(mods), changes)
