"""The register keeps the range with the version; the policy dashboard counts requests
with uncertain values as requests with incomplete data."""
import sys
from pathlib import Path

from art60kit.caseio import data_is_uncertain
from art60kit.register import Register, User
from art60kit.register.cpas import belgian_cpas

sys.path.insert(0, str(Path(__file__).parent))
from test_range import DIMONA  # noqa: E402


def test_register_stores_the_range_with_the_version(tmp_path):
    reg = Register.open(f"sqlite:///{tmp_path / 'r.sqlite'}")  # the toolkit's own planner
    try:
        reg.add_cpas(c for c in belgian_cpas() if c.nis == "52011")
        reg.add_user(User("a1", "Agent A1", "cpas_agent", "52011"))
        r = reg.as_user("a1").create_request(DIMONA, person_ref="P1", reason="test")
        plan = r.current.plan
        assert plan.ok, plan
        u = plan.data["uncertain"]
        assert plan.end_date.isoformat() == u["end_date"]["max"] > u["end_date"]["min"]
        assert u["comment"] and u["values"][0]["doubt"] == "Dimona only"
    finally:
        reg.close()


def test_incomplete_data_flag_counts_uncertain_values():
    assert data_is_uncertain(DIMONA)
    exact = {**DIMONA, "career": [{"kind": "work", "start": "2025-01-06", "end": "2025-06-27"}]}
    assert not data_is_uncertain(exact)
    ev = {**exact, "contract": {"start": "2025-09-01", "events": [
        {"kind": "unpaid_leave", "start": "2025-10-01", "end": {"min": "2025-10-03", "max": "2025-10-09"}}]}}
    assert data_is_uncertain(ev)
