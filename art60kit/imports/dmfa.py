"""Read DmfA declarations (ONSS/RSZ quarterly declarations) into career lines.

Structure read (official schema ``DmfAOriginal_20223.xsd``; element names only, any
XML namespace or none)::

    DmfAOriginal / Form* / EmployerDeclaration      Quarter (YYYYQ), NOSSRegistrationNbr, CompanyID
      / NaturalPerson*                              INSS
        / WorkerRecord*                             WorkerCode, NOSSQuarterStartingDate/EndingDate
          / Occupation*                             OccupationSequenceNbr, OccupationStartingDate,
                                                    OccupationEndingDate, WorkingDaysSystem (R),
                                                    ContractType, MeanWorkingHours (Q),
                                                    RefMeanWorkingHours (S), Apprenticeship
            / Service*                              ServiceCode, ServiceNbrDays, ServiceNbrHours

Semantics (each is a choice; the reasons are the sources cited):

- **One career line per Service line.** A DmfA gives totals per quarter, occupation and
  service code; it does not say on which days. The line's period is the occupation's
  span inside the declared quarter: ``max(OccupationStartingDate, quarter start)`` to
  ``min(OccupationEndingDate, quarter end)`` (rules.md Part 2 Q2: quarter data that
  cannot be placed in time is handled by the core's quarter rules). The lines of one
  occupation share that period and together describe it.
- **Units.** ``WorkingDaysSystem``, ``MeanWorkingHours``, ``RefMeanWorkingHours``,
  ``ServiceNbrDays`` and ``ServiceNbrHours`` are hundredths (500 = 5 days a week,
  3800 = 38 hours, 06600 = 66 days): ``dmfa/README.md``.
- **Measure.** Full time (``ContractType`` 0, or Q = S): ``days`` in a regime of
  ``days_per_week`` = R, credited A x 6/R (AM 26/11/1991 art. 7; ONEM schéma 2A).
  Part time (``ContractType`` 1 or Q < S): ``hours`` with ``full_time_hours`` = S,
  credited hours x 6/S (AM art. 7; ONEM schéma 2D). A part-time service without hours is
  estimated as days x Q/R and reported.
- **R unknown or zero** (reorganisation measures declare 0): R = 5, as ONEM does when R
  is unknown (ONEM commentary on AM art. 7, legal/texts.md), reported. R above 6 or
  below 1 (the case format allows 1-6) is rewritten to an equivalent credit (days x 6/R
  in a 6-day or 1-day regime) and reported.
- **Kinds** come from :mod:`art60kit.imports.servicecodes` (code, annex-8 label, rule,
  confidence). Student worker codes make every line ``student_contract`` and an
  ``Apprenticeship`` zone makes it ``apprenticeship`` (rules.md R-B2): neither counts.
- **Unmapped codes** (known but without a faithful kind, or absent from annex 8) become
  ``unmapped`` lines with the code in ``source_ref`` and a warning: never dropped.
- **Provenance.** Each line has ``source: dmfa`` and ``source_ref`` =
  ``DmfA 2024Q3 employer 0123456789 occupation 1 service 001`` (the service code), and
  a ``note`` with the mapping reference shown by the explanation.
- **Errors.** Malformed XML, a missing required zone or an unreadable value raise
  :class:`~art60kit.errors.InputError` naming the file and line; then nothing is
  returned (no partial import). Suspicious but usable data gives warnings in the
  import's ``problems`` (a :class:`~art60kit.errors.Problem` with severity "warning").
- **Streaming.** The file is read with ``lxml.etree.iterparse``; each ``NaturalPerson``
  is converted and cleared as soon as it is complete, so memory does not grow with the
  file.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO, Iterable, Optional, Union

from ..errors import InputError, Problem
from .servicecodes import STUDENT_WORKER_CODES, ServiceCodeMapping, lookup

__all__ = ["DmfaImport", "PersonCareer", "read_dmfa", "read_dmfa_files", "SOURCE", "group_key"]

SOURCE = "dmfa"
DEFAULT_R = 5.0  # ONEM: "Si le facteur R n'est pas connu, on part alors de R = 5"
DEFAULT_S = 38.0  # ONEM schéma 2D: "Si S n'est pas connu [...] S = 38"

Source = Union[str, "os.PathLike[str]", bytes, IO[bytes]]


@dataclass(frozen=True)
class PersonCareer:
    """The career lines of one person (one INSS) read from DmfA declarations.

    ``lines`` are case-format career-line mappings (dates as :class:`datetime.date`),
    sorted by start, employer, occupation and code; ``problems`` are the warnings about
    this person's data (unmapped codes, defaults used, ...).
    """

    inss: str
    lines: tuple[dict, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def unmapped(self) -> tuple[dict, ...]:
        """The lines whose service code has no kind: they count nothing until an expert
        retypes them."""
        return tuple(l for l in self.lines if l["kind"] == "unmapped")

    @property
    def quarters(self) -> tuple[str, ...]:
        """The quarters declared, as ``2024Q3``, sorted."""
        return tuple(sorted({l["source_ref"].split()[1] for l in self.lines}))


@dataclass(frozen=True)
class DmfaImport:
    """Everything read from one or more DmfA files: careers by INSS, and warnings.

    INSS numbers are personal data: they key the careers but are never copied into the
    career lines (``source_ref`` names the quarter, employer, occupation and code only).
    """

    files: tuple[str, ...]
    persons: tuple[PersonCareer, ...]
    problems: tuple[Problem, ...] = ()

    def person(self, inss: Optional[str] = None) -> PersonCareer:
        """The career of ``inss``; without it, the only person in the files."""
        if inss is None:
            if len(self.persons) != 1:
                raise KeyError(f"{len(self.persons)} persons in the DmfA files: give an INSS")
            return self.persons[0]
        for p in self.persons:
            if p.inss == inss:
                return p
        raise KeyError(f"no declaration for INSS {_mask(inss)} in {', '.join(self.files)}")

    def career(self, inss: Optional[str] = None) -> list[dict]:
        """The case-format career lines of one person (fresh copies, safe to edit)."""
        return [dict(l) for l in self.person(inss).lines]

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """All warnings: file-level ones, then each person's."""
        return self.problems + tuple(p for c in self.persons for p in c.problems)


def group_key(line: dict) -> Optional[str]:
    """The DmfA occupation-quarter a line belongs to (``source_ref`` without the
    service part), or None for a line that is not from a DmfA. Lines of one group share
    a period and together describe it; the merge never compares them with each other.

    >>> group_key({"source": "dmfa", "source_ref": "DmfA 2024Q3 employer 0200000142 occupation 1 service 002"})
    'DmfA 2024Q3 employer 0200000142 occupation 1'
    """
    ref = line.get("source_ref")
    if line.get("source") != SOURCE or not isinstance(ref, str) or " service " not in ref:
        return None
    return ref.rsplit(" service ", 1)[0]


def _mask(inss: str) -> str:
    """An INSS shown in messages: birth-date part hidden (privacy)."""
    return f"******{inss[6:]}" if len(inss) == 11 else "***"


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _quarter_bounds(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    nxt = date(year + (q == 4), (3 * q) % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


class _Reader:
    """One pass over one file. Collects errors (fatal) and warnings."""

    def __init__(self, name: str):
        self.name = name
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.lines: dict[str, list[dict]] = {}
        self.person_warnings: dict[str, list[Problem]] = {}
        self.namespaces: set[str] = set()
        self._kids: dict = {}

    # -- value helpers -------------------------------------------------------------
    def err(self, el, path: str, msg: str) -> None:
        self.errors.append(Problem(self.name, f"line {el.sourceline}: {path}", msg))

    def warn(self, inss: Optional[str], el, path: str, msg: str) -> None:
        p = Problem(self.name, f"line {el.sourceline}: {path}", msg, "warning")
        (self.person_warnings.setdefault(inss, []) if inss else self.warnings).append(p)

    def _index(self, el) -> dict:
        # Zones are looked up by local name many times per element: index each
        # element's children once (the cache is emptied after each person).
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
                self.err(el, f"{path}/{name}", "required zone missing or empty")
            return None
        return c.text.strip()

    def integer(self, el, name: str, path: str, required: bool = False) -> Optional[int]:
        t = self.text(el, name, path, required)
        if t is None:
            return None
        try:
            return int(t)
        except ValueError:
            self.err(self.child(el, name), f"{path}/{name}", f"not a whole number: {t!r}")
            return None

    def hundredths(self, el, name: str, path: str, required: bool = False) -> Optional[float]:
        v = self.integer(el, name, path, required)
        return None if v is None else v / 100

    def date_(self, el, name: str, path: str, required: bool = False) -> Optional[date]:
        t = self.text(el, name, path, required)
        if t is None:
            return None
        try:
            if len(t) != 10:
                raise ValueError("expected YYYY-MM-DD")
            return date.fromisoformat(t)
        except ValueError as e:
            self.err(self.child(el, name), f"{path}/{name}", f"not a valid date: {t!r} ({e})")
            return None

    # -- structure -----------------------------------------------------------------
    def declaration(self, emp) -> Optional[tuple[int, int, str]]:
        """Quarter and employer of an EmployerDeclaration, from its first zones."""
        path = "EmployerDeclaration"
        quarter = self.text(emp, "Quarter", path, True)
        year = q = None
        if quarter is not None:
            if len(quarter) == 5 and quarter.isdigit() and quarter[4] in "1234":
                year, q = int(quarter[:4]), int(quarter[4])
            else:
                self.err(self.child(emp, "Quarter"), f"{path}/Quarter",
                         f"not a quarter YYYYQ: {quarter!r}")
        company = self.integer(emp, "CompanyID", path)
        noss = self.integer(emp, "NOSSRegistrationNbr", path)
        if company:
            employer = f"{company:010d}"
        elif noss is not None:
            employer = f"ONSS {noss:09d}"
        else:
            self.err(emp, path, "no CompanyID nor NOSSRegistrationNbr: the employer is unknown")
            employer = None
        if year is None or employer is None:
            return None
        return year, q, employer

    def person(self, np, decl: Optional[tuple[int, int, str]]) -> None:
        path = "NaturalPerson"
        inss = self.text(np, "INSS", path, True)
        if inss is not None and not (len(inss) == 11 and inss.isdigit()):
            self.err(self.child(np, "INSS"), f"{path}/INSS", "not an 11-digit INSS number")
            inss = None
        if decl is None or inss is None:
            return
        year, q, employer = decl
        records = self.children(np, "WorkerRecord")
        if not records:
            self.err(np, path, "no WorkerRecord")
        for rec in records:
            self.record(rec, inss, year, q, employer)

    def record(self, rec, inss: str, year: int, q: int, employer: str) -> None:
        path = "WorkerRecord"
        worker_code = self.integer(rec, "WorkerCode", path, True)
        cal_start, cal_end = _quarter_bounds(year, q)
        q_start = self.date_(rec, "NOSSQuarterStartingDate", path) or cal_start
        q_end = self.date_(rec, "NOSSQuarterEndingDate", path) or cal_end
        if q_end < q_start:
            self.err(rec, path, f"quarter ends before it starts ({q_end} < {q_start})")
            return
        occupations = self.children(rec, "Occupation")
        if not occupations:
            # Contribution-only records (students' solidarity contribution, early
            # retirement, indemnities) declare no working time.
            self.warn(inss, rec, path, f"worker record without Occupation (worker code "
                      f"{worker_code}) in {year}Q{q}: no working time declared, nothing imported")
        student = worker_code in STUDENT_WORKER_CODES
        seen_refs: dict[str, int] = {}
        for occ in occupations:
            self.occupation(occ, inss, year, q, employer, q_start, q_end, student, seen_refs)

    def occupation(self, occ, inss, year, q, employer, q_start, q_end, student, seen_refs) -> None:
        path = "Occupation"
        seq = self.integer(occ, "OccupationSequenceNbr", path, True)
        o_start = self.date_(occ, "OccupationStartingDate", path)
        o_end = self.date_(occ, "OccupationEndingDate", path)
        r = self.hundredths(occ, "WorkingDaysSystem", path, True)
        contract_type = self.integer(occ, "ContractType", path)
        qh = self.hundredths(occ, "MeanWorkingHours", path)
        s = self.hundredths(occ, "RefMeanWorkingHours", path)
        apprentice = self.child(occ, "Apprenticeship") is not None
        services = self.children(occ, "Service")
        if seq is None:
            return
        where = f"{year}Q{q} employer {employer} occupation {seq}"
        start = max(o_start, q_start) if o_start else q_start
        end = min(o_end, q_end) if o_end else q_end
        if o_start is None:
            self.warn(inss, occ, path, f"{where}: no OccupationStartingDate; the whole quarter is used")
        if start > end:
            self.warn(inss, occ, path, f"{where}: occupation dates {o_start}..{o_end} fall outside "
                      f"the quarter {q_start}..{q_end}; the whole quarter is used")
            start, end = q_start, q_end
        if not services:
            self.warn(inss, occ, path, f"{where}: occupation without Service lines: no working time declared")
            return
        notes = []
        if r is None:
            return
        if r == 0:
            notes.append(f"R declared 0, R = {DEFAULT_R:g} used (ONEM: R unknown -> 5)")
            self.warn(inss, occ, f"{path}/WorkingDaysSystem",
                      f"{where}: WorkingDaysSystem 0 (e.g. a reorganisation measure); "
                      f"R = {DEFAULT_R:g} used, as ONEM does when R is unknown")
            r = DEFAULT_R
        part_time = contract_type == 1 or (qh is not None and s is not None and qh < s)
        if part_time and s is None:
            notes.append(f"S missing, S = {DEFAULT_S:g} used")
            self.warn(inss, occ, f"{path}/RefMeanWorkingHours",
                      f"{where}: part-time occupation without S; S = {DEFAULT_S:g} used (ONEM schéma 2D)")
            s = DEFAULT_S
        if qh is not None and s is not None:
            notes.append(f"Q/S {qh:g}/{s:g}")
        notes.append(f"R {r:g}")
        if student:
            notes.append("student worker code: student contract")
        if apprentice:
            notes.append("apprenticeship")
        for sv in services:
            self.service(sv, inss, year, q, employer, seq, start, end, q_start, q_end,
                         r, qh, s, part_time, student, apprentice, notes, seen_refs)

    def service(self, sv, inss, year, q, employer, seq, start, end, q_start, q_end,
                r, qh, s, part_time, student, apprentice, occ_notes, seen_refs) -> None:
        path = "Service"
        code = self.integer(sv, "ServiceCode", path, True)
        days = self.hundredths(sv, "ServiceNbrDays", path, True)
        hours = self.hundredths(sv, "ServiceNbrHours", path)
        if code is None or days is None:
            return
        if days < 0 or (hours is not None and hours < 0):
            self.err(sv, path, "negative number of days or hours")
            return
        mapping: ServiceCodeMapping = lookup(code)
        where = f"{year}Q{q} employer {employer} occupation {seq}"
        ref = f"DmfA {year}Q{q} employer {employer} occupation {seq} service {code:03d}"
        n = seen_refs.get(ref, 0) + 1
        seen_refs[ref] = n
        if n > 1:
            ref = f"{ref} #{n}"
            self.warn(inss, sv, path, f"{where}: service code {code:03d} declared {n} times; lines kept apart")
        kind = mapping.kind
        notes = list(occ_notes)
        if not mapping.known:
            self.warn(inss, sv, f"{path}/ServiceCode",
                      f"{where}: service code {code} is not in annex 8: kept as an unmapped line "
                      f"({days:g} days), it counts nothing until it is retyped")
        elif kind == "unmapped":
            self.warn(inss, sv, f"{path}/ServiceCode",
                      f"{where}: service code {code} ({mapping.label_fr[:60]}) has no kind: "
                      f"kept as an unmapped line ({days:g} days). {mapping.note}")
        elif not mapping.valid_in(year, q):
            self.warn(inss, sv, f"{path}/ServiceCode",
                      f"{where}: service code {code} is not valid in {year}Q{q} according to annex 8 "
                      f"({mapping.valid_from[0]}/{mapping.valid_from[1]}-"
                      f"{mapping.valid_to[0]}/{mapping.valid_to[1]}); mapped anyway")
        if kind != "unmapped" and student:
            kind = "student_contract"
        elif kind != "unmapped" and apprentice:
            kind = "apprenticeship"
        line_start, line_end = start, end
        span = (end - start).days + 1
        if days > span:
            # Days that do not fit the occupation's dates: the dates are likely wrong
            # (e.g. an interim ending date); the quarter holds them (rules.md Part 2 Q2).
            qspan = (q_end - q_start).days + 1
            self.warn(inss, sv, f"{path}/ServiceNbrDays",
                      f"{where}: {days:g} days declared in an occupation of {span} calendar days; "
                      f"the whole quarter is used as the period")
            line_start, line_end, span = q_start, q_end, qspan
            if days > qspan:
                self.err(sv, f"{path}/ServiceNbrDays", f"{days:g} days in a quarter of {qspan} days")
                return
        line: dict = {"kind": kind, "start": line_start, "end": line_end, "employer": employer}
        if part_time:
            if hours is None:
                per_day = (qh if qh is not None else s) / r
                hours = round(days * per_day, 2)
                notes.append(f"hours estimated as days x Q/R = {days:g} x {per_day:.4g}")
                self.warn(inss, sv, f"{path}/ServiceNbrHours",
                          f"{where}: part-time service {code:03d} without hours; estimated as "
                          f"{days:g} days x Q/R = {hours:g} h")
            line.update(hours=hours, full_time_hours=s)
            if 1 <= r <= 6:
                line["days_per_week"] = r
        else:
            if 1 <= r <= 6:
                line.update(days=days, days_per_week=r)
            else:
                # The case format takes regimes of 1 to 6 days; keep the same credit
                # days x 6/R in the nearest allowed regime.
                r2 = 6.0 if r > 6 else 1.0
                eq = round(days * r2 / r, 4)
                notes.append(f"R {r:g} outside 1-6: {days:g} days x 6/{r:g} written as {eq:g} days in R{r2:g}")
                self.warn(inss, sv, f"{path}/ServiceNbrDays",
                          f"{where}: regime of {r:g} days a week; written as {eq:g} days in a "
                          f"{r2:g}-day regime (same credit)")
                if eq > span:
                    line_start, line_end = q_start, q_end
                line.update(days=eq, days_per_week=r2)
        line["source"] = SOURCE
        line["source_ref"] = ref
        if mapping.known:
            label = mapping.label_fr if len(mapping.label_fr) <= 40 else mapping.label_fr[:39] + "…"
            head = f"code {code:03d} '{label}' -> {kind} [{mapping.confidence}] ({mapping.rule})"
        else:
            head = f"code {code:03d} not in annex 8 -> unmapped"
        line["note"] = "; ".join([head, *notes])
        self.lines.setdefault(inss, []).append(line)


def _open(source: Source) -> tuple[object, str]:
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(source), "<dmfa>"
    if hasattr(source, "read"):
        return source, getattr(source, "name", "<dmfa>")
    return os.fspath(source), os.fspath(source)


def read_dmfa(source: Source, *, inss: Optional[str] = None, name: Optional[str] = None) -> DmfaImport:
    """Read one DmfA file (path, bytes or binary file object) into careers.

    ``inss`` keeps only that person (the others are skipped without being converted).
    Raises :class:`InputError` (file, line, problem) for malformed XML or unreadable
    zones: then nothing is imported. Warnings are returned with the import.
    """
    from lxml import etree

    src, default_name = _open(source)
    fname = name or default_name
    rd = _Reader(fname)
    if isinstance(src, str) and not os.path.exists(src):
        raise InputError([Problem(fname, "(file)", "no such file")])
    wanted = ("Quarter", "CompanyID", "NOSSRegistrationNbr", "NaturalPerson", "Form",
              "EmployerDeclaration")
    n_forms = 0
    emp_zones: dict[str, object] = {}
    decl = None
    try:
        ctx = etree.iterparse(src, events=("end",), tag=[f"{{*}}{t}" for t in wanted],
                              resolve_entities=False, no_network=True, huge_tree=False)
        for _event, el in ctx:
            tag = _local(el.tag)
            parent = el.getparent()
            ptag = _local(parent.tag) if parent is not None else ""
            if tag in ("Quarter", "CompanyID", "NOSSRegistrationNbr") and ptag == "EmployerDeclaration":
                emp_zones[tag] = el
                if tag == "CompanyID":
                    # The identifying zones come before the first NaturalPerson.
                    decl = rd.declaration(parent)
            elif tag == "NaturalPerson":
                if ptag != "EmployerDeclaration":
                    rd.err(el, "NaturalPerson", f"inside {ptag or 'the root'}, expected inside EmployerDeclaration")
                elif decl is None and "CompanyID" not in emp_zones:
                    decl = rd.declaration(parent)
                if inss is None or rd.text(el, "INSS", "NaturalPerson", False) == inss:
                    rd.person(el, decl)
                el.clear()
                while el.getprevious() is not None:
                    del parent[0]
            elif tag == "EmployerDeclaration":
                if "CompanyID" not in emp_zones:
                    decl = rd.declaration(el)
                emp_zones.clear()
                decl = None
            elif tag == "Form":
                n_forms += 1
                el.clear()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
            if isinstance(el.tag, str) and el.tag.startswith("{"):
                rd.namespaces.add(el.tag[1:].split("}", 1)[0])
            rd._kids.clear()  # the child index only lives for one element's handling
        root = ctx.root
    except etree.XMLSyntaxError as e:
        line = e.lineno if e.lineno is not None else "?"
        msg = e.msg if hasattr(e, "msg") and e.msg else str(e)
        raise InputError([Problem(fname, f"line {line}", f"malformed XML, nothing imported: {msg}")]) from None
    except OSError as e:
        raise InputError([Problem(fname, "(file)", f"cannot be read: {e}")]) from None
    if root is None or n_forms == 0:
        rtag = _local(root.tag) if root is not None else "(none)"
        raise InputError([Problem(fname, f"line {getattr(root, 'sourceline', 1)}",
                                  f"no DmfA Form found (root element {rtag}); is this a DmfA declaration?")])
    if rd.errors:
        head = Problem(fname, "(file)", f"{len(rd.errors)} problem(s): nothing imported")
        raise InputError([*rd.errors, head])
    if rd.namespaces:
        rd.warnings.append(Problem(fname, "(file)", "XML namespace(s) " + ", ".join(sorted(rd.namespaces))
                                   + " ignored: elements are read by name", "warning"))
    persons = []
    for who, lines in rd.lines.items():
        lines.sort(key=lambda l: (l["start"], l["employer"], l["source_ref"]))
        persons.append(PersonCareer(who, tuple(lines), tuple(rd.person_warnings.get(who, ()))))
    for who, ws in rd.person_warnings.items():
        if who not in rd.lines:
            persons.append(PersonCareer(who, (), tuple(ws)))
    persons.sort(key=lambda p: p.inss)
    if inss is not None and not persons:
        rd.warnings.append(Problem(fname, "(file)", f"no declaration for INSS {_mask(inss)}", "warning"))
    return DmfaImport((fname,), tuple(persons), tuple(rd.warnings))


def read_dmfa_files(sources: Iterable[Source], *, inss: Optional[str] = None) -> DmfaImport:
    """Read several DmfA files (several employers, quarters) into one import.

    All files are read before anything is returned; any error in any file raises one
    :class:`InputError` listing every problem (no partial import). A line read twice
    (same ``source_ref`` and values, e.g. the same declaration in two files) is kept
    once and reported.
    """
    imports, errors = [], []
    for s in sources:
        try:
            imports.append(read_dmfa(s, inss=inss))
        except InputError as e:
            errors.extend(e.problems)
    if errors:
        raise InputError(errors)
    by_person: dict[str, list[dict]] = {}
    person_problems: dict[str, list[Problem]] = {}
    file_problems: list[Problem] = []
    seen: dict[tuple[str, str], tuple[dict, str]] = {}
    for imp in imports:
        file_problems.extend(imp.problems)
        for pc in imp.persons:
            person_problems.setdefault(pc.inss, []).extend(pc.problems)
            for l in pc.lines:
                key = (pc.inss, l["source_ref"])
                if key in seen:
                    first, first_file = seen[key]
                    same = first == l
                    person_problems[pc.inss].append(Problem(
                        imp.files[0], "(file)",
                        f"{l['source_ref']} also declared in {first_file}"
                        + (": identical, kept once" if same else ": values differ, both kept (check for a correction)"),
                        "warning"))
                    if same:
                        continue
                seen.setdefault(key, (l, imp.files[0]))
                by_person.setdefault(pc.inss, []).append(l)
    persons = []
    for who in sorted(set(by_person) | set(person_problems)):
        lines = sorted(by_person.get(who, []), key=lambda l: (l["start"], l["employer"], l["source_ref"]))
        persons.append(PersonCareer(who, tuple(lines), tuple(person_problems.get(who, ()))))
    return DmfaImport(tuple(f for i in imports for f in i.files), tuple(persons), tuple(file_problems))
