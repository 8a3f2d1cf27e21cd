"""Read Dimona declarations (immediate declarations of employment) into career lines
whose working time is unknown: the "Dimona only" case.

A Dimona (official schema ``Dimona_20231.xsd``) says that an employment relation starts
(``DimonaIn``: ``StartingDate``, optional ``EndingDate``, the employer, the worker, the
worker type) and, for some worker types, the planned hours; it never says how many days
or hours were worked. Each ``DimonaIn`` becomes one career line:

- ``kind`` from the Dimona worker type (zone 00655), consistent with the worker-code
  table: ``STU`` (student) ``student_contract``; ``A17``, ``O17``, ``S17``, ``T17``
  (activities under art. 17 of the AR of 28 November 1969, exempt from social-security
  contributions) ``not_covered_work``; ``FLX`` (flexi-job) ``unmapped``, as the
  flexi-job worker codes: an expert decides; any other type ``work``;
- ``start`` / ``end``: the Dimona period; an open-ended Dimona (no ``EndingDate``) ends
  on ``as_of`` (the reading date unless given), and its doubt says so;
- the measure is a regime whose weekly hours are **unknown** (``weekly_hours:
  unknown`` out of ``full_time_hours`` 38): anything from nothing to full time over the
  period, which is what the planner's treatment of uncertain values expects;
- ``doubt``: "Dimona only: ..." (the source of the doubt), ``source: dimona``,
  ``source_ref``: ``Dimona employer E from 2024-09-02`` (plus the planned hours in the
  note, when declared).

``DimonaOut``, ``DimonaUpdate`` and ``DimonaCancel`` refer to a Dimona period by the
number ONSS gave it (``DimonaPeriodId``), which a ``DimonaIn`` does not carry: they are
reported, not applied. A person with impossible data (no INSS, an end before the start,
dates outside 1900-2100) is refused with one line per problem; the others are read.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from ..errors import InputError, Problem
from .dmfa import YEARS, DmfaImport, Refusal, _local, _persons, malformed, mask_inss, unreadable
from .texts import Num, msg, problem

__all__ = ["read_dimona", "SOURCE", "WORKER_TYPES"]

SOURCE = "dimona"
#: Dimona worker types (zone 00655) that change the kind of the line, and why.
WORKER_TYPES: dict[str, tuple[str, str]] = {
    "STU": ("student_contract", "student: solidarity contribution only, which does not count"),
    "A17": ("not_covered_work", "art. 17 activity, exempt from social-security contributions"),
    "O17": ("not_covered_work", "art. 17 activity, exempt from social-security contributions"),
    "S17": ("not_covered_work", "art. 17 activity, exempt from social-security contributions"),
    "T17": ("not_covered_work", "art. 17 activity, exempt from social-security contributions"),
    "FLX": ("unmapped", "flexi-job: whether it opens unemployment rights must be checked by an expert"),
}
FULL_TIME_HOURS = 38.0  # S unknown: 38, as ONEM does (schéma 2D)


def _text(el, name: str) -> Optional[str]:
    for c in el.iter():
        if _local(c.tag) == name and c.text and c.text.strip():
            return c.text.strip()
    return None


def read_dimona(src, *, inss: Optional[str] = None, name: str = "<dimona>",
                as_of: Optional[date] = None, lang: str = "en") -> DmfaImport:
    """Read a Dimona file (path or binary file object) into "Dimona only" lines; each
    line's ``doubt`` (the source of the doubt, shown with an uncertain plan) is written
    in ``lang``."""
    from lxml import etree

    as_of = as_of or date.today()
    lines: dict[str, list[dict]] = {}
    warnings: dict[str, list[Problem]] = {}
    file_warnings: list[Problem] = []
    refused: list[Refusal] = []
    read = 0
    n_forms = 0
    try:
        for _ev, form in etree.iterparse(src, events=("end",), tag="{*}Form", resolve_entities=False,
                                         no_network=True, huge_tree=False):
            n_forms += 1
            line_no = form.sourceline or "?"
            for el in form:
                tag = _local(el.tag)
                if tag in ("DimonaOut", "DimonaUpdate", "DimonaCancel"):
                    period = _text(el, "DimonaPeriodId") or "?"
                    file_warnings.append(problem(name, el.sourceline, tag,
                                                 msg("dimona.refers_period", period=period[:12]), "warning"))
                elif tag == "DimonaIn":
                    got = _dimona_in(el, name, as_of, lang)
                    who, line, problems, warns = got
                    if inss is not None and who != inss:
                        continue
                    if problems:
                        refused.append(Refusal(name, mask_inss(who), tuple(problems)))
                        continue
                    read += 1
                    lines.setdefault(who, []).append(line)
                    warnings.setdefault(who, []).extend(warns)
            form.clear()
            parent = form.getparent()
            if parent is not None:
                while form.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as e:
        raise InputError([malformed(name, e)]) from None
    except OSError as e:
        raise InputError([unreadable(name, e)]) from None
    if n_forms == 0:
        raise InputError([problem(name, 1, "", msg("dimona.no_form"))])
    if read == 0 and refused:
        raise InputError([*(p for r in refused for p in r.problems),
                          problem(name, None, "", msg("file.all_refused", n=len(refused)))])
    if refused:
        file_warnings.insert(0, problem(name, None, "", msg("file.some_refused", n=len(refused), read=read),
                                        "warning"))
    return DmfaImport((name,), _persons(lines, warnings), tuple(file_warnings), "dimona", read, tuple(refused))


def _dimona_in(el, name: str, as_of: date, lang: str = "en"):
    """(INSS, line, errors, warnings) of one ``DimonaIn``."""
    line_no = el.sourceline or "?"
    who = _text(el, "INSS")
    errors: list[Problem] = []
    warns: list[Problem] = []
    masked = mask_inss(who)

    def err(zone: str, key: str, **values) -> None:
        errors.append(problem(name, line_no, f"DimonaIn/{zone}", msg(key, **values), worker=masked))

    if who is None or not (len(who) == 11 and who.isascii() and who.isdigit()):
        err("NaturalPerson/INSS", "dimona.bad_inss")
    dates = {}
    for zone in ("StartingDate", "EndingDate"):
        t = None
        for c in el:
            if _local(c.tag) == zone and c.text:
                t = c.text.strip()
        if t is None:
            dates[zone] = None
            continue
        try:
            d = date.fromisoformat(t) if len(t) == 10 else None
            if d is None:
                raise ValueError("expected YYYY-MM-DD")
        except ValueError:
            err(zone, "value.bad_date", value=repr(t[:40]))
            dates[zone] = None
            continue
        if not YEARS[0] <= d.year <= YEARS[1]:
            err(zone, "value.date_years", value=repr(t), lo=Num(YEARS[0]), hi=Num(YEARS[1]))
            dates[zone] = None
            continue
        dates[zone] = d
    start, end = dates["StartingDate"], dates["EndingDate"]
    if start is None and "DimonaIn/StartingDate" not in [e.zone for e in errors]:
        err("StartingDate", "zone.missing")
    company = _text(el, "CompanyID")
    noss = _text(el, "NOSSRegistrationNbr")
    if company and company.isdigit() and int(company):
        employer = f"{int(company):010d}"
    elif noss and noss.isdigit():
        employer = f"ONSS {int(noss):09d}"
    else:
        employer = None
    worker_type = (_text(el, "WorkerType") or "OTH")[:3]
    planned = _text(el, "PlannedHoursNbr")
    from ..i18n import text
    from ..formats import format_date

    doubt = text("import.doubt.dimona_only", lang)
    if start is not None and end is None:
        end = max(start, as_of)
        doubt = text("import.doubt.dimona_open", lang, end=format_date(end, lang))
        warns.append(problem(name, line_no, "DimonaIn", msg("dimona.open_ended", start=start, end=end), "warning"))
    if start is not None and end is not None and end < start:
        err("EndingDate", "dimona.ends_before", end=end, start=start)
    if errors:
        return who, None, errors, []
    kind, why = WORKER_TYPES.get(worker_type, ("work", ""))
    note = f"Dimona worker type {worker_type}" + (f" ({why})" if why else "")
    if planned and planned.isdigit():
        note += f"; {int(planned)} planned hours (not hours worked)"
    ref = f"Dimona employer {employer or 'unknown'} from {start.isoformat()}" + (
        f" (worker type {worker_type}, " + ("does not count" if kind != "unmapped" else "to be decided") + ")"
        if why else "")
    line = {"kind": kind, "start": start, "end": end, "employer": employer, "source": SOURCE, "source_ref": ref,
            "doubt": doubt, "note": note}
    if kind != "not_covered_work":
        # A period that counts nothing needs no measure; the others: anything from nothing
        # to full time.
        line.update(weekly_hours="unknown", full_time_hours=FULL_TIME_HOURS)
    warns.append(problem(name, line_no, "DimonaIn", msg("dimona.only", start=start, end=end), "warning"))
    return who, line, [], warns
