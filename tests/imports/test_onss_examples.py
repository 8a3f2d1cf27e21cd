"""Declarations as ONSS publishes and employers send them (tests/imports/examples):
written by hand on the model of the DmfA glossary's example declaration (its layout,
leading zeros, user-reference, remuneration and contribution blocks, a statutory worker
under a reorganisation measure, a student declared by its student block), with fictional
people and employers. Each validates against its official schema (lxml), and the careers
read from them are stated line by line."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from art60kit.imports.dmfa import read_dmfa, read_dmfa_files
from art60kit.imports.merge import merge

from .conftest import DMFA_DIR

EXAMPLES = Path(__file__).parent / "examples"
SCHEMAS = {
    "cpas_2024Q1_original.xml": "DmfAOriginal_20223.xsd",
    "shop_2024_original.xml": "DmfAOriginal_20223.xsd",
    "glossary_style_2022Q2.xml": "DmfAOriginal_20223.xsd",
    "cpas_2024Q1_modification.xml": "DmfAUpdate_20223.xsd",
    "dimona_2024.xml": "Dimona_20231.xsd",
}
ART60, CIVIL, PART, STUDENT = "87041208156", "69110308293", "95022008365", "04083008458"
CPAS, SHOP, THIRD = "0200008159", "0200008258", "0200008357"


def _measure(l):
    if l.get("weekly_hours") == "unknown":
        return "unknown"
    if l.get("hours") is not None:
        return f"{l['hours']:g} h/S{l['full_time_hours']:g}"
    if l.get("days") is not None:
        return f"{l['days']:g} d/R{l['days_per_week']:g}"
    return "-"


def _career(lines):
    return [(l["kind"], l["start"].isoformat(), l["end"].isoformat(), l["employer"], _measure(l)) for l in lines]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_example_is_valid_against_its_official_schema(name):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(DMFA_DIR / SCHEMAS[name])))
    assert schema.validate(etree.parse(str(EXAMPLES / name))), schema.error_log


def test_cpas_original_alone():
    imp = read_dmfa(EXAMPLES / "cpas_2024Q1_original.xml")
    assert imp.workers_read == 3 and not imp.refused
    assert _career(imp.person(ART60).lines) == [("work", "2024-01-08", "2024-03-31", CPAS, "55 d/R5")]
    # Statutory (worker code 675): one status line, no unemployment-sector insurance.
    assert _career(imp.person(CIVIL).lines) == [("not_covered_work", "2024-01-01", "2024-03-31", CPAS, "-")]
    # Part time 19/38 in 2.5 days a week: hours against S, sickness beside the work.
    assert _career(imp.person(PART).lines) == [
        ("work", "2024-01-01", "2024-03-31", CPAS, "197.6 h/S38"),
        ("sickness_indemnified", "2024-01-01", "2024-03-31", CPAS, "38 h/S38")]


def test_every_file_together_gives_the_corrected_careers():
    files = [EXAMPLES / n for n in ("cpas_2024Q1_original.xml", "shop_2024_original.xml",
                                    "cpas_2024Q1_modification.xml", "dimona_2024.xml")]
    imp = read_dmfa_files(files, as_of=date(2024, 9, 30))
    assert imp.workers_read == 4 and not imp.refused
    assert _career(imp.person(ART60).lines) == [
        ("work", "2024-01-08", "2024-03-31", CPAS, "52 d/R5"),          # corrected 55 -> 52
        ("work", "2024-01-08", "2024-03-31", CPAS, "3 d/R5"),           # paid educational leave, added
        ("work", "2024-04-08", "2024-06-30", SHOP, "264 h/S38"),
        ("temporary_unemployment", "2024-04-08", "2024-06-30", SHOP, "24 h/S38"),
        ("work", "2024-07-01", "2024-09-30", THIRD, "unknown"),         # Dimona only, open-ended
    ]
    assert imp.person(CIVIL).lines == ()  # the statutory record was cancelled
    # The student block (no occupation, solidarity contribution): kept, counts nothing.
    assert _career(imp.person(STUDENT).lines) == [("student_contract", "2024-01-01", "2024-03-31", SHOP, "105 h/S38")]
    assert [w.msg.key for w in imp.person(STUDENT).problems] == ["wcode.does_not_count"]
    assert sorted((c.action, c.ref.rsplit(" ", 1)[1]) for c in imp.changes) == [
        ("added", "005"), ("cancelled", "all"), ("corrected", "001")]
    # Action 0's meaning is not established by the sources: applied, and said so.
    (ask,) = [w for w in imp.warnings if w.msg.key == "update.ask_action"]
    assert "update action 0" in ask.message and "worker code 400" in ask.message
    # The career merges: the Dimona period lies after the declared quarters.
    merged = merge(imp.career(ART60))
    assert len(merged.lines) == 5


def test_glossary_style_declaration_imports_two_workers_and_refuses_two():
    imp = read_dmfa(EXAMPLES / "glossary_style_2022Q2.xml", name="example.xml")
    assert imp.workers_read == 2 and len(imp.refused) == 2
    assert _career(imp.person(CIVIL).lines) == [("not_covered_work", "2022-04-01", "2022-06-30",
                                                 "ONSS 199999934", "-")]
    assert imp.person(PART).lines == ()  # reorganisation measure, no services: nothing declared
    zones = [(p.zone, p.worker[-5:]) for p in imp.refusal_problems]
    assert zones == [("Occupation/Apprenticeship", ART60[-5:]), ("Service/ServiceNbrHours", ART60[-5:]),
                     ("Service/ServiceNbrDays", STUDENT[-5:]), ("Service/ServiceNbrHours", STUDENT[-5:]),
                     ("Service/FlightNbrMinutes", STUDENT[-5:])]
    appr = imp.refusal_problems[0]
    assert "value 5 not allowed in quarter 2022/2 (allowed: 1" in appr.message
    assert "waarde 5 niet toegelaten in kwartaal 2022/2" in appr.text("nl")
    report = imp.report("de")
    assert "2 Arbeitnehmer eingelesen, 2 abgelehnt" in report.splitlines()[0]
    assert ART60 not in report and STUDENT not in report
