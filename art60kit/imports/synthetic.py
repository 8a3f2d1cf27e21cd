"""Synthetic DmfA declarations: small, realistic, generated, never real people.

Tests, the benchmark and the teaching notebook need DmfA files that have the real
structure (they validate against the official ``DmfAOriginal_20223.xsd``) without any
personal data. This module builds them from a short description:

>>> from datetime import date
>>> xml = build_dmfa([Declaration(2024, 1, company_id=company_id(1), workers=[
...     Worker(inss(date(1990, 6, 15), 1), [
...         Occupation(start=date(2023, 9, 1), services=[Service(1, 60), Service(2, 5)])])])])
>>> xml[:38]
b"<?xml version='1.0' encoding='UTF-8'?>"

Numbers are written as the DmfA writes them: hundredths (``Service(1, 60)`` is
``ServiceNbrDays`` 6000). Identifiers are made valid but meaningless: INSS numbers get a
correct modulo-97 check (``inss``) on made-up birth dates, company numbers a correct
check (``company_id``).

Only the zones the calculation reads, plus those the schema requires, are written.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Optional, Sequence

__all__ = [
    "Service", "Occupation", "Worker", "Declaration", "build_dmfa", "inss", "company_id",
    "quarter_bounds", "random_declarations", "strip_namespace", "WorkerUpdate", "UpdateDeclaration",
    "build_dmfa_update", "DimonaIn", "build_dimona", "build_dmfa_pid", "random_updates",
]


def inss(birth: date, serial: int) -> str:
    """A Belgian national number (INSS/NISS) with a valid check: ``YYMMDD`` + a
    3-digit serial + ``97 - (n mod 97)`` where ``n`` is the first nine digits, prefixed
    with ``2`` for births from 2000 on.

    >>> inss(date(1990, 6, 15), 1)
    '90061500126'
    >>> check = 97 - int("2" + inss(date(2001, 2, 3), 7)[:9]) % 97
    >>> int(inss(date(2001, 2, 3), 7)[9:]) == check
    True
    """
    if not 1 <= serial <= 998:
        raise ValueError("serial must be 1..998")
    first9 = f"{birth:%y%m%d}{serial:03d}"
    n = int(("2" if birth.year >= 2000 else "") + first9)
    return f"{first9}{97 - n % 97:02d}"


def company_id(n: int) -> int:
    """A 10-digit Belgian company number (BCE/KBO) starting with 0 and with a valid
    check (last two digits = 97 - first eight mod 97), numbered ``n``.

    >>> f"{company_id(1):010d}"
    '0200000142'
    """
    first8 = 2_000_000 + n  # 02000001.. : a made-up range, within the schema's bounds
    return first8 * 100 + (97 - first8 % 97)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of calendar quarter ``(year, quarter)``."""
    start = date(year, 3 * quarter - 2, 1)
    nxt = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


@dataclass(frozen=True)
class Service:
    """A ``Service`` line: code, days (and hours for part time), in plain units."""

    code: int
    days: float
    hours: Optional[float] = None
    flight_minutes: Optional[int] = None


@dataclass(frozen=True)
class Occupation:
    """An ``Occupation``: dates (start may precede the quarter; end only if it ends in
    it), regime R (days a week), Q and S (hours), the services declared."""

    start: Optional[date]
    end: Optional[date] = None
    days_per_week: float = 5.0
    weekly_hours: Optional[float] = 38.0
    full_time_hours: Optional[float] = 38.0
    services: Sequence[Service] = ()
    contract_type: Optional[int] = None  # 0 full time, 1 part time; None: from Q/S
    joint_committee: str = "200"
    apprenticeship: Optional[int] = None


@dataclass(frozen=True)
class Worker:
    inss: str
    occupations: Sequence[Occupation]
    worker_code: int = 495  # white-collar worker
    employer_class: int = 0
    #: further worker records of the same person in the quarter (a worker-code change):
    #: ``(worker code, occupations)``
    more_records: Sequence[tuple[int, Sequence["Occupation"]]] = ()


@dataclass(frozen=True)
class Declaration:
    """One employer's declaration for one quarter (a ``Form``)."""

    year: int
    quarter: int
    company_id: int
    workers: Sequence[Worker] = ()
    noss: Optional[int] = None


def _hundredths(x: float) -> str:
    return str(int(round(x * 100)))


def build_dmfa(declarations: Iterable[Declaration], *, namespace: Optional[str] = None,
               created: date = date(2025, 1, 15)) -> bytes:
    """Serialise declarations as one ``DmfAOriginal`` document (UTF-8 bytes).

    ``namespace`` puts every element in that namespace (the official schema has none;
    some exports add one), to test that the reader does not depend on it.
    """
    from lxml import etree

    ns = f"{{{namespace}}}" if namespace else ""
    nsmap = {None: namespace} if namespace else None

    def sub(parent, tag, text=None):
        el = etree.SubElement(parent, ns + tag)
        if text is not None:
            el.text = str(text)
        return el

    root = etree.Element(ns + "DmfAOriginal", nsmap=nsmap)
    for d_index, decl in enumerate(declarations, start=1):
        form = sub(root, "Form")
        sub(form, "Identification", "DMFA")
        sub(form, "FormCreationDate", created.isoformat())
        sub(form, "FormCreationHour", f"10:{d_index % 60:02d}:00.000")
        sub(form, "AttestationStatus", 0)
        sub(form, "TypeForm", "SU")
        emp = sub(form, "EmployerDeclaration")
        sub(emp, "Quarter", f"{decl.year}{decl.quarter}")
        sub(emp, "NOSSRegistrationNbr", decl.noss if decl.noss is not None
            else 100_000_000 + decl.company_id % 99_999_900)
        sub(emp, "Trusteeship", 0)
        sub(emp, "CompanyID", f"{decl.company_id:010d}")
        sub(emp, "NetOwedAmount", 0)
        q_start, q_end = quarter_bounds(decl.year, decl.quarter)
        for p_index, w in enumerate(decl.workers, start=1):
            person = sub(emp, "NaturalPerson")
            sub(person, "NaturalPersonSequenceNbr", p_index)
            sub(person, "INSS", w.inss)
            for code, occs in ((w.worker_code, w.occupations), *w.more_records):
                rec = sub(person, "WorkerRecord")
                sub(rec, "EmployerClass", f"{w.employer_class:03d}")
                sub(rec, "WorkerCode", f"{code:03d}")
                sub(rec, "NOSSQuarterStartingDate", q_start.isoformat())
                sub(rec, "NOSSQuarterEndingDate", q_end.isoformat())
                sub(rec, "Border", 0)
                for o_index, occ in enumerate(occs, start=1):
                    _occupation(sub, sub(rec, "Occupation"), o_index, occ)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _occupation(sub, o, o_index: int, occ: Occupation) -> None:
    """The zones of an Occupation (or OccupationUpdate), in schema order."""
    sub(o, "OccupationSequenceNbr", o_index)
    if occ.start is not None:
        sub(o, "OccupationStartingDate", occ.start.isoformat())
    if occ.end is not None:
        sub(o, "OccupationEndingDate", occ.end.isoformat())
    sub(o, "JointCommissionNbr", occ.joint_committee)
    sub(o, "WorkingDaysSystem", _hundredths(occ.days_per_week))
    ct = occ.contract_type
    if ct is None:
        ct = int(occ.weekly_hours is not None and occ.full_time_hours is not None
                 and occ.weekly_hours < occ.full_time_hours)
    sub(o, "ContractType", ct)
    if occ.full_time_hours is not None:
        sub(o, "RefMeanWorkingHours", _hundredths(occ.full_time_hours))
    if occ.weekly_hours is not None:
        sub(o, "MeanWorkingHours", _hundredths(occ.weekly_hours))
    sub(o, "Retired", 0)
    if occ.apprenticeship is not None:
        sub(o, "Apprenticeship", occ.apprenticeship)
    for s_index, s in enumerate(occ.services, start=1):
        sv = sub(o, "Service")
        sub(sv, "ServiceSequenceNbr", s_index)
        sub(sv, "ServiceCode", f"{s.code:03d}")
        sub(sv, "ServiceNbrDays", f"{int(round(s.days * 100)):05d}")
        if s.hours is not None:
            sub(sv, "ServiceNbrHours", _hundredths(s.hours))
        if s.flight_minutes is not None:
            sub(sv, "FlightNbrMinutes", s.flight_minutes)


def _subber(ns: str):
    from lxml import etree

    def sub(parent, tag, text=None):
        el = etree.SubElement(parent, ns + tag)
        if text is not None:
            el.text = str(text)
        return el

    return sub


def _form_head(sub, form, identification: str, created: date, index: int, attestation: int) -> None:
    sub(form, "Identification", identification)
    sub(form, "FormCreationDate", created.isoformat())
    sub(form, "FormCreationHour", f"10:{index % 60:02d}:00.000")
    sub(form, "AttestationStatus", attestation)
    sub(form, "TypeForm", "SU")


@dataclass(frozen=True)
class WorkerUpdate:
    """One worker record of a modification: ``action`` is the ``UpdateAction`` zone
    (3 = the occupations given replace the original's, 9 = cancel the record, 1 = add
    it); ``last_worker_code`` is the code before the change, when it changes."""

    inss: str
    occupations: Sequence[Occupation] = ()
    worker_code: int = 495
    action: int = 3
    last_worker_code: Optional[int] = None
    employer_class: int = 0
    #: sequence numbers of the occupations, when not 1, 2, ...
    sequence: Optional[Sequence[int]] = None


@dataclass(frozen=True)
class UpdateDeclaration:
    """A DmfA modification of one employer's quarter."""

    year: int
    quarter: int
    company_id: int
    workers: Sequence[WorkerUpdate] = ()
    reference: str = "DMFA-UPD-000001"
    created: date = date(2025, 3, 10)
    pid: int = 12345678901


def build_dmfa_update(updates: Iterable[UpdateDeclaration], *, namespace: Optional[str] = None) -> bytes:
    """Serialise modifications as one ``DmfAUpdate`` document (validates against the
    official ``DmfAUpdate_20223.xsd``)."""
    from lxml import etree

    ns = f"{{{namespace}}}" if namespace else ""
    sub = _subber(ns)
    root = etree.Element(ns + "DmfAUpdate", nsmap={None: namespace} if namespace else None)
    for d_index, u in enumerate(updates, start=1):
        form = sub(root, "Form")
        _form_head(sub, form, "DMFAUPD", u.created, d_index, 1)
        ref = sub(form, "Reference")
        sub(ref, "ReferenceType", 1)
        sub(ref, "ReferenceOrigin", 1)
        sub(ref, "ReferenceNbr", u.reference)
        emp = sub(form, "EmployerDeclarationUpdate")
        sub(emp, "Quarter", f"{u.year}{u.quarter}")
        sub(emp, "NOSSRegistrationNbr", 100_000_000 + u.company_id % 99_999_900)
        sub(emp, "Trusteeship", 0)
        sub(emp, "CompanyID", f"{u.company_id:010d}")
        sub(emp, "EmployerDeclarationPID", u.pid)
        q_start, q_end = quarter_bounds(u.year, u.quarter)
        for p_index, w in enumerate(u.workers, start=1):
            person = sub(emp, "NaturalPersonUpdate")
            sub(person, "NaturalPersonSequenceNbr", p_index)
            sub(person, "INSS", w.inss)
            rec = sub(person, "WorkerRecordUpdate")
            if w.last_worker_code is not None:
                last = sub(rec, "LastSituationWR")
                sub(last, "EmployerClass", f"{w.employer_class:03d}")
                sub(last, "WorkerCode", f"{w.last_worker_code:03d}")
                sub(last, "WorkerRecordVersionNbr", 1)
            act = sub(rec, "WorkerRecordUpdateAction")
            sub(act, "EmployerClass", f"{w.employer_class:03d}")
            sub(act, "WorkerCode", f"{w.worker_code:03d}")
            sub(act, "NOSSQuarterStartingDate", q_start.isoformat())
            sub(act, "NOSSQuarterEndingDate", q_end.isoformat())
            sub(act, "UpdateAction", w.action)
            seqs = list(w.sequence) if w.sequence is not None else list(range(1, len(w.occupations) + 1))
            for seq, occ in zip(seqs, w.occupations):
                _occupation(sub, sub(act, "OccupationUpdate"), seq, occ)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass(frozen=True)
class DimonaIn:
    """A Dimona declaration of the start of an employment (``DimonaIn``): the period
    (``end`` None for an open-ended one), the worker type and, for some types, the
    planned hours. It never says how much was worked."""

    inss: str
    company_id: int
    start: date
    end: Optional[date] = None
    worker_type: str = "OTH"
    joint_committee: Optional[str] = None
    planned_hours: Optional[int] = None


def build_dimona(entries: Iterable[DimonaIn], *, created: date = date(2025, 1, 15)) -> bytes:
    """Serialise Dimona declarations as one ``Dimona`` document (validates against
    the official ``Dimona_20231.xsd``)."""
    from lxml import etree

    sub = _subber("")
    root = etree.Element("Dimona")
    for i, d in enumerate(entries, start=1):
        form = sub(root, "Form")
        _form_head(sub, form, "DIMONA", created, i, 0)
        din = sub(form, "DimonaIn")
        sub(din, "StartingDate", d.start.isoformat())
        if d.end is not None:
            sub(din, "EndingDate", d.end.isoformat())
        if d.planned_hours is not None:
            sub(din, "PlannedHoursNbr", d.planned_hours)
        emp = sub(din, "EmployerId")
        sub(emp, "NOSSRegistrationNbr", 100_000_000 + d.company_id % 99_999_900)
        sub(emp, "CompanyID", f"{d.company_id:010d}")
        person = sub(din, "NaturalPerson")
        sub(person, "INSS", d.inss)
        feat = sub(din, "DimonaFeatures")
        if d.joint_committee is not None:
            sub(feat, "JointCommissionNbr", d.joint_committee)
        sub(feat, "WorkerType", d.worker_type)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_dmfa_pid(year: int, quarter: int, company: int, people: Sequence[str],
                   created: date = date(2025, 2, 1)) -> bytes:
    """A ``DmfAPID`` notification (identifiers ONSS gives back for a declaration):
    a message that declares no work, to test that it is recognised and refused."""
    from lxml import etree

    sub = _subber("")
    root = etree.Element("DmfAPID")
    form = sub(root, "Form")
    _form_head(sub, form, "DMFAPID", created, 1, 0)
    for origin, nbr in ((1, "DMFA-000001"), (2, "PID-000001")):
        ref = sub(form, "Reference")
        sub(ref, "ReferenceType", 1)
        sub(ref, "ReferenceOrigin", origin)
        sub(ref, "ReferenceNbr", nbr)
    emp = sub(form, "IDEmployerDeclaration")
    sub(emp, "Quarter", f"{year}{quarter}")
    sub(emp, "CompanyID", f"{company:010d}")
    sub(emp, "EmployerDeclarationPID", 12345678901)
    for i, p in enumerate(people, start=1):
        np_ = sub(emp, "IDNaturalPerson")
        sub(np_, "INSS", p)
        sub(np_, "NaturalPersonPID", 1000 + i)
        sub(np_, "DeclNaturalPersonPID", 2000 + i)
        sub(np_, "DeclNaturalPersonVersionNbr", 1)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def random_updates(declarations: Sequence[Declaration], share: float = 0.2, *, seed: int = 0
                   ) -> list[UpdateDeclaration]:
    """Modifications of about ``share`` of the workers of ``declarations``: the first
    service of their first occupation loses one day (a typical correction)."""
    rng = random.Random(seed)
    out = []
    for n, d in enumerate(declarations):
        ws = []
        for w in d.workers:
            if rng.random() >= share or not w.occupations or not w.occupations[0].services:
                continue
            occ = w.occupations[0]
            s0 = occ.services[0]
            fixed = Service(s0.code, max(1.0, s0.days - 1),
                            None if s0.hours is None else max(1.0, round(s0.hours - s0.hours / max(s0.days, 1), 2)))
            occ2 = Occupation(occ.start, occ.end, occ.days_per_week, occ.weekly_hours, occ.full_time_hours,
                              [fixed, *occ.services[1:]], occ.contract_type, occ.joint_committee,
                              occ.apprenticeship)
            ws.append(WorkerUpdate(w.inss, [occ2, *w.occupations[1:]], w.worker_code))
        if ws:
            out.append(UpdateDeclaration(d.year, d.quarter, d.company_id, ws, reference=f"UPD-{n:06d}"))
    return out


def strip_namespace(xml: bytes) -> bytes:
    """The same document with every element moved to no namespace (to validate a
    namespaced file against the official, namespace-less schema)."""
    from lxml import etree

    root = etree.fromstring(xml)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = el.tag.split("}", 1)[1]
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _weekdays(start: date, end: date, per_week: int = 5) -> int:
    n = 0
    d = start
    while d <= end:
        if d.weekday() < per_week:
            n += 1
        d += timedelta(days=1)
    return n


def random_declarations(n_workers: int, quarters: Sequence[tuple[int, int]], *,
                        n_employers: int = 5, seed: int = 0) -> list[Declaration]:
    """A reproducible population: ``n_workers`` people spread over ``n_employers``,
    each declared in every quarter of ``quarters``; about a quarter part-time (Q = 19
    or 30.4 of S = 38), with holidays, some sickness and some temporary unemployment.
    """
    rng = random.Random(seed)
    people = [(inss(date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                    1 + rng.randrange(997)), rng.randrange(n_employers)) for _ in range(n_workers)]
    out: list[Declaration] = []
    for (year, q) in quarters:
        q_start, q_end = quarter_bounds(year, q)
        workdays = _weekdays(q_start, q_end)
        for e in range(n_employers):
            workers = []
            for person, employer in people:
                if employer != e:
                    continue
                part = rng.random() < 0.25
                qh = rng.choice((19.0, 30.4)) if part else 38.0
                holiday = rng.randrange(0, 8)
                sick = rng.choice((0, 0, 0, 2, 5))
                unemployed = rng.choice((0, 0, 0, 0, 3))
                worked = workdays - holiday - sick - unemployed
                per_day = qh / 5
                codes = [(1, worked), (2, holiday), (50, sick), (70, unemployed)]
                services = [Service(c, n, round(n * per_day, 2) if part else None)
                            for c, n in codes if n > 0]
                workers.append(Worker(person, [Occupation(
                    start=date(2015, 1, 1) + timedelta(days=rng.randrange(2000)),
                    weekly_hours=qh, services=services)]))
            if workers:
                out.append(Declaration(year, q, company_id(e + 1), workers))
    return out
