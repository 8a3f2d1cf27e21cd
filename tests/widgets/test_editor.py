"""Driving the case editor changes the case (and the plan); invalid input keeps the
previous valid case and shows the CLI's message."""
import subprocess
import sys
from datetime import date

from art60kit.caseio import load_case
from art60kit.planner import plan
from art60kit.widgets import CaseEditor

from .conftest import ROOT


def test_round_trip_keeps_the_case(demo):
    ed = CaseEditor(demo)
    assert ed.valid and ed.errors == []
    assert ed.case.career == demo.career and ed.case.contract == demo.contract and ed.case.person == demo.person


def test_edits_change_the_plan(demo):
    ed = CaseEditor(demo)
    before = plan(ed.case, sensitivity=False)
    ed.set_contract(weekly_hours="19")
    assert ed.valid and ed.case.contract.q == 19
    after = plan(ed.case, sensitivity=False)
    assert after.end_date > before.end_date
    i = ed.add_line(kind="work", start="2024-09-02", end="2024-12-20", employer="Commune", days_per_week="5")
    assert ed.valid and len(ed.case.career) == len(demo.career) + 1
    assert ed.case.career[i].employer == "Commune"
    assert plan(ed.case, sensitivity=False).end_date < after.end_date
    ed.remove_line(i)
    assert len(ed.case.career) == len(demo.career)
    ed.lines[0].remove.click()  # the button does the same
    assert len(ed.case.career) == len(demo.career) - 1
    ed.set_event(0, end="2025-11-28")
    assert ed.case.contract.events[0].end == date(2025, 11, 28)
    ed.remove_event(0)
    assert ed.case.contract.events == ()


def test_invalid_entry_shows_cli_message_and_keeps_case(demo, tmp_path):
    ed = CaseEditor(demo)
    good = ed.case
    ed.set_line(1, end="2024-02-30")
    assert not ed.valid and ed.case is good
    # in the editor's language, the field in words, no file path
    assert ed.errors == ["Ligne 2 de la carrière, Fin : date non valable : '2024-02-30' (attendu JJ/MM/AAAA)"]
    assert "2024-02-30" in ed.messages.value and "conservé" in ed.messages.value
    # the same message as the CLI for the same file content
    bad = tmp_path / "bad.yaml"
    ed.source = str(bad)
    ed.apply()
    import yaml

    bad.write_text(yaml.safe_dump(ed.to_dict()), encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "art60kit", "plan", str(bad)], capture_output=True, text=True)
    assert cli.returncode == 2  # the CLI's file-based form: FILE: field.path: the same message
    assert cli.stderr.strip().splitlines() == [f"{bad}: career[1].end: " + ed.errors[0].split(" : ", 1)[1]]
    # fixing it makes the case valid again
    ed.set_line(1, end="2024-03-29")
    assert ed.valid and ed.errors == [] and ed.case.career[1].end == date(2024, 3, 29)


def test_q_above_s_and_bad_number(demo):
    ed = CaseEditor(demo)
    good = ed.case
    ed.set_contract(weekly_hours="45")
    assert ed.errors == ["Contrat, Q (h/sem.) : Q (45 h) dépasse S, les heures d'un temps plein (38 h)"]
    assert ed.case is good
    ed.set_contract(weekly_hours="abc")
    assert ed.errors == ["Contrat, Q (h/sem.) : pas un nombre : 'abc'"]
    ed.set_contract(weekly_hours="30,5")  # a decimal comma is accepted, as in case files
    assert ed.valid and ed.case.contract.q == 30.5


def test_load_and_save(tmp_path, demo):
    ed = CaseEditor(lang="nl")
    assert ed.load(ROOT / "examples" / "expert-complex.yaml")
    assert ed.case == load_case(ROOT / "examples" / "expert-complex.yaml").__class__(**{
        **ed.case.__dict__}) and ed.case.case_id == "expert-complex"
    out = tmp_path / "saved.yaml"
    ed.set_person(birth_date="1988-11-15")
    assert ed.save(out)
    again = load_case(out)
    assert again.person.birth_date == date(1988, 11, 15) and again.career == ed.case.career
    # a file that does not parse leaves the editor as it was
    broken = tmp_path / "broken.yaml"
    broken.write_text("case_id: [unclosed\n", encoding="utf-8")
    before = ed.case
    assert not ed.load(broken)
    assert ed.case is before and ed.errors and ed.errors[0].startswith(f"{broken}: line")
    assert not ed.load(tmp_path / "missing.yaml") and ed.case is before


def test_observe_gets_each_valid_case(demo):
    seen = []
    ed = CaseEditor(demo)
    ed.observe(seen.append)
    ed.set_contract(start="2025-10-06")
    ed.set_contract(start="2025-13-01")
    assert [c.contract.start for c in seen] == [date(2025, 10, 6)]


def test_belgian_dates_and_decimal_commas_are_accepted(demo):
    ed = CaseEditor(demo, lang="fr")
    ed.set_person(birth_date="14/11/1988")
    assert ed.valid and ed.case.person.birth_date == date(1988, 11, 14)
    assert ed.person["birth_date"].value == "14/11/1988"
    i = ed.add_line(kind="work", start="02/09/2024", end="20/12/2024", days_per_week="4,5")
    assert ed.valid and ed.case.career[i].start == date(2024, 9, 2) and ed.case.career[i].days_per_week == 4.5
    ed.set_line(i, end="31/02/2024")  # impossible day: validation names the field, case kept
    assert not ed.valid and ed.case.career[i].end == date(2024, 12, 20)
    assert ed.errors == [f"Ligne {i + 1} de la carrière, Fin : date non valable : '31/02/2024' (attendu JJ/MM/AAAA)"]
