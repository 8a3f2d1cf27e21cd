"""The case explorer offers the printable answer sheet of the version shown, read through
the person's session (audited), in the explorer's language."""
import base64
import re
from pathlib import Path

from art60kit.caseio import case_to_dict, load_case
from art60kit.register import Register, User
from art60kit.register.cpas import belgian_cpas

ROOT = Path(__file__).resolve().parents[2]


def test_explorer_offers_the_sheet_of_the_version(tmp_path):
    from art60kit.dashboards.explorer import CaseExplorer

    path = tmp_path / "r.sqlite"
    reg = Register.open(str(path))
    try:
        reg.add_cpas(c for c in belgian_cpas() if c.nis == "52011")
        reg.add_user(User("a1", "Agent A1", "cpas_agent", "52011"))
        a1 = reg.as_user("a1")
        r = a1.create_request(case_to_dict(load_case(ROOT / "examples" / "demo-001.yaml")))
        ex = CaseExplorer(a1, "de", str(path), request_id=r.request_id)
        assert ex.request_id is None  # found, not read: a reading needs a stated reason
        ex.w_reason.value = "Prüfung des Berechnungsblatts"
        assert ex.open(r.request_id)
        assert ex.w_sheet_button.description == "Berechnungsblatt (PDF)" and ex.w_sheet.value == ""
        pdf = ex.make_sheet()
        assert pdf.startswith(b"%PDF")
        link = re.search(r"href='data:application/pdf;base64,([^']+)'", ex.w_sheet.value)
        assert link and base64.b64decode(link.group(1)) == pdf and "herunterladen" in ex.w_sheet.value
    finally:
        reg.close()
