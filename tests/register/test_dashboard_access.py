"""The dashboards' kernels read the register as the person behind the page, on SQLite
and on a real PostgreSQL server: nobody verified reads nothing, an analyst opens only
the aggregate dashboards, the case explorer offers an agent only their CPAS's requests
and refuses the others, and the audit log names the person, their role and the reason
they typed."""
from __future__ import annotations

import os

import pytest

from art60kit.dashboards import identity as ID
from art60kit.dashboards import source
from art60kit.dashboards.access import Refused, person_access
from art60kit.dashboards.explorer import CaseExplorer

from .conftest import case

SECRET = "test-secret"
WHY = "contrôle du dossier"


@pytest.fixture
def as_person(monkeypatch):
    """Kernel-side code run as if the server had signed ``user_id``'s identity."""
    monkeypatch.setenv("VOILA_KERNEL_ID", "test")

    def set_user(user_id):
        monkeypatch.setenv(ID.SECRET_ENV, SECRET)
        if user_id is None:
            monkeypatch.delenv(ID.IDENTITY_ENV, raising=False)
        else:
            monkeypatch.setenv(ID.IDENTITY_ENV, ID.sign_identity(user_id, SECRET))
    return set_user


@pytest.fixture
def location(reg, db_url, tmp_path, monkeypatch):
    monkeypatch.setenv(source.CACHE_ENV, str(tmp_path / "cache"))
    ids = {}
    for who, n in (("a1", 3), ("b1", 2)):
        s = reg.as_user(who)
        for i in range(n):
            r = s.create_request(case(case_id=f"{who}-{i}"))
            ids.setdefault(who, []).append(s.send(r.request_id, expected_revision=r.revision).request_id)
    source._versions_cached.cache_clear()
    yield db_url, ids
    source._versions_cached.cache_clear()


def _log(reg, user_id):
    return [e for e in reg.as_user("onem1").audit_log(reason=WHY) if e.user_id == user_id]


def test_each_page_reads_as_its_person(reg, location, as_person):
    loc, ids = location
    # no verified person: refused, whatever user id the page's code names
    as_person(None)
    with pytest.raises(Refused) as e:
        person_access("policy-monitoring", loc, user_id="onem1")
    assert e.value.key == "access.login_required"
    # an identity signed with another secret is nobody
    as_person("onem1")
    os.environ[ID.IDENTITY_ENV] = ID.sign_identity("onem1", "guessed")
    with pytest.raises(Refused):
        person_access("case-explorer", loc)

    # the analyst: aggregate dashboards only, the opening audited under their name
    as_person("an1")
    acc = person_access("policy-monitoring", loc)
    acc.register.close()
    views = [e for e in _log(reg, "an1") if e.action == "view"]
    assert views and views[-1].role == "analyst" and "policy-monitoring" in (views[-1].detail or "")
    with pytest.raises(Refused) as e:
        person_access("case-explorer", loc)
    assert e.value.key == "access.role"

    # an agent: only their CPAS's requests are offered, and another's is refused
    as_person("a1")
    acc = person_access("case-explorer", loc)
    try:
        ex = CaseExplorer(acc.session, "fr", loc)
        assert sorted(ex.results["request_id"]) == sorted(ids["a1"])
        ex.w_reason.value = WHY
        assert ex.open(ids["a1"][0])
        ex.w_reason.value = WHY
        assert not ex.open(ids["b1"][0])  # nothing of it read or shown
        assert ex.request_id == ids["a1"][0] and "a60-warn" in ex.w_msg.value
    finally:
        acc.register.close()
    mine = _log(reg, "a1")
    assert any(e.request_id == ids["a1"][0] and e.outcome == "ok" and e.reason == WHY and e.role == "cpas_agent"
               for e in mine)
    assert any(e.request_id == ids["b1"][0] and e.outcome != "ok" for e in mine)

    # ONEM: any request, each read under their own name with the reason typed
    as_person("onem1")
    acc = person_access("case-explorer", loc)
    try:
        ex = CaseExplorer(acc.session, "fr", loc)
        assert set(ex.results["request_id"]) == set(ids["a1"] + ids["b1"])
        ex.w_reason.value = "x\u200b\u200b"  # not a reason: nothing read, nothing sent
        assert not ex.open(ids["b1"][1]) and ex.history == ()
        ex.w_reason.value = "vérification de la décision"
        assert ex.open(ids["b1"][1])
    finally:
        acc.register.close()
    reads = [e for e in _log(reg, "onem1") if e.request_id == ids["b1"][1]]
    assert reads and all(e.role == "onem" and e.reason == "vérification de la décision" for e in reads)
    assert not any("\u200b" in (e.reason or "") for e in _log(reg, "onem1"))
