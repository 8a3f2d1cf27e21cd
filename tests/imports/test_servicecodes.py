"""The service-code table against the official annex 8 and the case format."""
from __future__ import annotations

import pytest

from art60kit.imports.servicecodes import SERVICE_CODES, STUDENT_WORKER_CODES, load_annex8, lookup
from art60kit.model import KINDS

from pathlib import Path

ANNEX8 = next((p / "shared" / "domain" / "dmfa" / "AN2022-2-FR8.xml" for p in Path(__file__).resolve().parents
               if (p / "shared" / "domain" / "dmfa").is_dir()), Path("shared") / "domain" / "dmfa" / "AN2022-2-FR8.xml")


@pytest.fixture(scope="module")
def annex8():
    return load_annex8(ANNEX8)


def _quarter(s: str) -> tuple[int, int]:
    y, q = s.split("/")
    return int(y), int(q)


def test_every_annex8_code_has_a_mapping(annex8):
    assert set(annex8) == set(SERVICE_CODES)


def test_labels_and_validity_are_annex8s(annex8):
    for code, m in SERVICE_CODES.items():
        assert m.label_fr == annex8[code]["label"], code
        assert m.valid_from == _quarter(annex8[code]["valid_from"]), code
        assert m.valid_to == _quarter(annex8[code]["valid_to"]), code


@pytest.mark.parametrize("code", sorted(SERVICE_CODES))
def test_each_mapping_cites_a_rule_and_a_confidence(code):
    m = SERVICE_CODES[code]
    assert m.kind in KINDS
    assert m.confidence in ("C", "I", "U")
    assert m.rule.strip()
    if m.kind == "unmapped" or m.confidence != "C":
        assert m.note, f"code {code}: a non-obvious choice needs a note saying why"


def test_key_mappings():
    # The key codes, with the rule they rely on.
    assert lookup(1).kind == "work" and "comment 5" in lookup(1).rule
    assert lookup(2).kind == "paid_holiday" and "38 § 1, 1°" in lookup(2).rule
    assert lookup(10).kind == "sickness_guaranteed_wage"
    assert lookup(50).kind == "sickness_indemnified"
    assert lookup(30).kind == "unpaid_absence" and "schéma 2A" in lookup(30).rule
    for code in (22, 24, 25, 26, 30):  # ONEM schéma 2A's list of unpaid suspension codes
        assert lookup(code).kind == "unpaid_absence"
    for code in (70, 71, 72, 76, 77):  # CSC training: indemnified temporary unemployment
        assert lookup(code).kind == "temporary_unemployment"
    for code in (1, 2, 3, 4, 5, 10, 12, 13, 20, 21):  # ONEM comment 5: count as work
        assert lookup(code).kind not in ("unmapped", "unpaid_absence", "unpaid_leave")


def test_unknown_code_is_unmapped_never_an_error():
    m = lookup(999)
    assert (m.kind, m.known, m.confidence) == ("unmapped", False, "U")


def test_validity():
    assert lookup(77).valid_in(2021, 1) and not lookup(77).valid_in(2023, 1)
    assert not lookup(23).valid_in(2014, 1)


def test_student_codes_are_integers():
    assert STUDENT_WORKER_CODES and all(isinstance(c, int) for c in STUDENT_WORKER_CODES)
