"""The dated code tables the import relies on: each reading with its source and its
confidence, checked against the official schemas where they say something."""
from __future__ import annotations

from datetime import date

import pytest

from art60kit.i18n import has
from art60kit.imports.dmfa import APPRENTICESHIP_VALUES, apprenticeship_allowed, read_dmfa_files
from art60kit.imports.modifications import UPDATE_ACTIONS
from art60kit.imports.synthetic import (Declaration, Occupation, Service, UpdateDeclaration, Worker, WorkerUpdate,
                                        build_dmfa, build_dmfa_update, company_id, inss)
from art60kit.imports.workercodes import WORKER_CODES, lookup_worker

from .conftest import XSD, XSD_UPDATE

CONFIDENCE = {"high", "medium", "low"}


def _enumeration(xsd, element):
    from lxml import etree

    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    el = etree.parse(str(xsd)).find(f"xs:element[@name='{element}']", ns)
    r = el.find(".//xs:restriction", ns)
    enum = [int(e.get("value")) for e in r.findall("xs:enumeration", ns)]
    if enum:
        return set(enum)
    lo, hi = (int(r.find(f"xs:{k}", ns).get("value")) for k in ("minInclusive", "maxInclusive"))
    return set(range(lo, hi + 1))


def test_update_actions_are_the_schema_values_each_with_source_and_confidence():
    assert set(UPDATE_ACTIONS) == _enumeration(XSD_UPDATE, "UpdateAction") == {0, 1, 3, 9}
    for code, a in UPDATE_ACTIONS.items():
        assert a.code == code and a.confidence in CONFIDENCE and "00618" in a.source and a.applied_as
        assert a.ask == (a.confidence == "low")  # an unsettled reading is always reported
        if a.ask:
            assert has(f"import.update.meaning.{code}")


def test_worker_codes_each_with_source_confidence_and_reason():
    for code, w in WORKER_CODES.items():
        assert w.confidence in CONFIDENCE and w.source.startswith("ONSS, DmfA glossary, annex 2"), code
        assert (w.effect == "ask") == (w.confidence == "low"), code
        assert has(f"import.worker.reason.{w.reason_key}"), code
        if w.effect == "does_not_count":
            assert w.kind in ("not_covered_work", "student_contract", "apprenticeship"), code
    assert lookup_worker(675).confidence == "high" and lookup_worker(495).confidence == "medium"
    assert lookup_worker(35).confidence == "medium" and lookup_worker(50).effect == "ask"
    unknown = lookup_worker(999)
    assert not unknown.known and unknown.effect == "ask" and unknown.confidence == "low"


def test_apprenticeship_table_is_dated_without_gaps_and_within_the_schema():
    schema_values = _enumeration(XSD, "Apprenticeship")
    rows = APPRENTICESHIP_VALUES
    assert rows[0].first == (2003, 1) and rows[-1].last == (9999, 4)
    for a, b in zip(rows, rows[1:]):
        nxt = (a.last[0] + (a.last[1] == 4), a.last[1] % 4 + 1)
        assert b.first == nxt  # contiguous, no overlap
    for r in rows:
        assert r.allowed <= schema_values and "zone 00055" in r.source and r.version
    assert apprenticeship_allowed(2019, 3)[0] == frozenset({1, 2, 3, 4, 5})
    assert apprenticeship_allowed(2019, 4)[0] == frozenset({1})


@pytest.mark.parametrize("action, asks", [(0, True), (1, True), (3, True), (9, False)])
def test_an_unsettled_update_action_is_applied_and_reported(action, asks):
    who, shop = inss(date(1990, 1, 1), 91), company_id(91)
    original = build_dmfa([Declaration(2024, 1, shop, [Worker(who, [Occupation(date(2024, 1, 1),
                                                                                services=[Service(1, 60)])])])])
    update = build_dmfa_update([UpdateDeclaration(2024, 1, shop, [WorkerUpdate(
        who, [Occupation(date(2024, 1, 1), services=[Service(1, 50)])] if action != 9 else [],
        action=action)])])
    imp = read_dmfa_files([original, update])
    warned = [w for w in imp.warnings if w.msg.key == "update.ask_action"]
    assert bool(warned) == asks
    if asks:
        assert f"update action {action}" in warned[0].message and "worker code 495" in warned[0].message
        assert warned[0].zone == "WorkerRecordUpdateAction/UpdateAction"
    days = [l.get("days") for l in imp.person(who).lines]
    assert days == ([] if action == 9 else [50])
