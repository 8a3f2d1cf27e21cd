"""docs/case-format.md is the public contract: its example is a valid case, it names
every field a case file accepts, and every field of the plan --json result."""
import re
from pathlib import Path

import yaml

from art60kit import caseio
from art60kit.caseio import case_from_dict, parse_text
from art60kit.planner import plan

DOC = Path(__file__).resolve().parents[1] / "docs" / "case-format.md"


def _text():
    return DOC.read_text(encoding="utf-8")


def _names(section: str) -> set:
    """Backticked names in the first column of the tables of ``section``."""
    m = re.search(rf"^#+ {re.escape(section)}\n(.*?)(?=^#+ )", _text(), re.S | re.M)
    assert m, section
    out = set()
    for line in m.group(1).splitlines():
        if line.startswith("| `"):
            out |= set(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return out


def test_example_is_a_valid_case():
    block = re.search(r"```yaml\n(.*?)```", _text(), re.S).group(1)
    case = case_from_dict(parse_text(block, "doc.yaml"), source="doc.yaml")
    assert case.contract.region == "wallonia" and len(case.career) == 4


def test_every_case_field_is_documented():
    assert caseio._PERSON_FIELDS <= _names("`person`")
    assert caseio._CONTRACT_FIELDS <= _names("`contract`")
    documented_lines = _names("`career`")
    assert caseio._LINE_FIELDS <= documented_lines, \
        caseio._LINE_FIELDS - documented_lines


def test_every_plan_json_field_is_documented():
    case = case_from_dict(yaml.safe_load("""
case_id: d
person: {birth_date: '1990-03-10'}
contract: {start: '2026-09-07', planned_end: '2027-12-31', region: flanders}
career: [{kind: work, start: '2025-10-06', end: '2026-06-30'}]
"""))
    d = plan(case).to_dict("fr")
    top = _names("The `plan --json` result")
    assert set(d) - {"uncertain"} <= top, set(d) - top
    assert set(d["right"]) <= _names("`right`: the right the request opens")
    assert set(d["subsidy"]) <= _names("`subsidy`: how long the subsidy may run")
