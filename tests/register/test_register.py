"""Register behaviour, run on SQLite and on a real PostgreSQL server (``db_url``)."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import text

from art60kit.errors import InputError
from art60kit.register import (
    User, AccessDenied, AnswerExists, AttachmentConflict, InvalidTransition, ReasonRequired, Register,
    RoleDenied, SchemaTooNew, UnknownUser, VersionConflict,
)
from art60kit.register import schema as S

from .conftest import CHARLEROI, case, fake_planner, populate

WORK = {"kind": "work", "start": "2024-01-08", "end": "2024-03-29", "employer": "Interim Sambre",
        "days_per_week": 5}
WHY = "suivi du dossier"


def test_lifecycle_and_versions(reg):
    a1, onem = reg.as_user("a1"), reg.as_user("onem1")
    r = a1.create_request(case(), person_ref="P1")
    assert (r.status, r.current_version, r.current.kind, r.cpas_nis) == ("draft", 1, "created", CHARLEROI)
    assert r.status_label("fr") == "Brouillon" and r.status_label("nl") == "Ontwerp"
    r = a1.edit_draft(r.request_id, case(career=[WORK]), expected_revision=r.revision)
    assert (r.current_version, r.current.kind, r.current.parent_version_no) == (2, "edited", 1)
    r = a1.send(r.request_id, expected_revision=r.revision)
    assert r.status == "sent" and r.current.sent_by == "a1"
    with pytest.raises(InvalidTransition):
        a1.edit_draft(r.request_id, case(), expected_revision=r.revision)
    plan = r.current.plan
    assert plan.ok and plan.end_date == date(2026, 8, 24) and plan.days_to_work == 306
    r = onem.record_answer(r.request_id, days_to_work=306, end_date=plan.end_date,
                           answered_on=date(2025, 9, 12), expected_revision=r.revision)
    assert r.status == "calculated" and r.status_label("fr") == "Calculé par l'ONEM"
    assert r.current.answer.answered_by == "onem1" and r.current.agrees is True
    with pytest.raises(AnswerExists):
        onem.record_answer(r.request_id, days_to_work=1, end_date=date(2026, 1, 1),
                           answered_on=date(2025, 9, 13), expected_revision=r.revision, version_no=2)
    # second calculation: an editable copy, the answered version untouched
    ev = [{"kind": "unpaid_leave", "start": "2025-11-03", "end": "2025-11-07"}]
    r = a1.modify(r.request_id, expected_revision=r.revision, note="seconde demande")
    assert (r.status, r.current_version, r.current.kind, r.current.parent_version_no) == ("draft", 3, "modification", 2)
    assert r.current.case == a1.get_version(r.request_id, 2, reason=WHY).case
    r = a1.edit_draft(r.request_id, case(career=[WORK], events=ev), expected_revision=r.revision)
    r = a1.send(r.request_id, expected_revision=r.revision)
    hist = a1.history(r.request_id, reason=WHY)
    assert [(v.version_no, v.kind, v.status) for v in hist] == [
        (1, "created", "draft"), (2, "edited", "calculated"), (3, "modification", "draft"), (4, "edited", "sent")]
    assert hist[0].case == case() and hist[1].answer.days_to_work == 306
    assert hist[3].case["contract"]["events"] == ev
    assert len({v.case_sha256 for v in hist}) == 3  # v3 is an exact copy of v2


def test_invalid_case_kept_as_draft_but_not_sent(reg):
    a1 = reg.as_user("a1")
    bad = case(start="2025-13-01")
    r = a1.create_request(bad)
    assert r.current.case == bad  # nothing the user typed is lost
    with pytest.raises(InputError) as err:
        a1.send(r.request_id, expected_revision=r.revision)
    assert "contract.start" in str(err.value)
    assert a1.get_request(r.request_id, reason=WHY).status == "draft"


def test_access_by_cpas_and_role(reg):
    a1, a2, b1 = reg.as_user("a1"), reg.as_user("a2"), reg.as_user("b1")
    onem, analyst = reg.as_user("onem1"), reg.as_user("an1")
    r = a1.create_request(case())
    # a colleague of the same CPAS reads and writes the request
    assert a2.get_request(r.request_id, reason=WHY).request_id == r.request_id
    r = a2.send(r.request_id, expected_revision=r.revision)
    # another CPAS does not, for any action
    for call in (lambda: b1.get_request(r.request_id, reason=WHY),
                 lambda: b1.history(r.request_id, reason=WHY),
                 lambda: b1.modify(r.request_id, expected_revision=r.revision),
                 lambda: b1.add_comment(r.request_id, "x"),
                 lambda: b1.list_requests(reason=WHY, cpas_nis=CHARLEROI),
                 lambda: b1.versions_frame(reason=WHY, cpas_nis=CHARLEROI)):
        with pytest.raises(AccessDenied):
            call()
    assert b1.list_requests(reason=WHY) == ()
    with pytest.raises(AccessDenied) as err:
        b1.create_request(case(), cpas_nis=CHARLEROI)
    assert "accès refusé" in err.value.message("fr") and "toegang geweigerd" in err.value.message("nl")
    # ONEM reads all, writes answers and comments, never requests
    assert onem.get_request(r.request_id, reason="calcul").request_id == r.request_id
    with pytest.raises(RoleDenied):
        onem.create_request(case(), cpas_nis=CHARLEROI)
    onem.add_comment(r.request_id, "Pièces jointes analysées")
    # an analyst sees aggregates only
    with pytest.raises(RoleDenied):
        analyst.get_request(r.request_id, reason=WHY)
    # ... and no cell of fewer than 5 requests: one request is hidden, not shown as 1
    tot = analyst.aggregate(by=(), reason="monitoring")
    assert tot["n_versions_sent"].isna().all() and tot["suppressed"].tolist() == [True]
    assert onem.aggregate(by=(), reason="monitoring")["n_versions_sent"].tolist() == [1]
    with pytest.raises(UnknownUser):
        reg.as_user("nobody")
    refused = [e for e in onem.audit_log(reason="contrôle") if e.outcome != "ok"]
    assert {(e.user_id, e.outcome) for e in refused} >= {("b1", "access_denied"), ("onem1", "role_denied"),
                                                         ("an1", "role_denied"), ("nobody", "unknown_user")}


def test_every_read_is_audited_and_needs_a_reason(reg):
    a1, onem = reg.as_user("a1"), reg.as_user("onem1")
    r = a1.create_request(case())
    a1.add_comment(r.request_id, "Dimona uniquement pour 2022")
    reads = [lambda: a1.get_request(r.request_id, reason="suivi r1"),
             lambda: a1.history(r.request_id, reason="suivi r2"),
             lambda: a1.get_version(r.request_id, 1, reason="suivi r3"),
             lambda: a1.comments(r.request_id, reason="suivi r4"),
             lambda: a1.attachments(r.request_id, reason="suivi r5"),
             lambda: a1.list_requests(reason="suivi r6"),
             lambda: a1.versions_frame(reason="suivi r7"),
             lambda: a1.requests_frame(reason="suivi r8")]
    for read in reads:
        read()
    for missing in ("", "   ", None):
        with pytest.raises(ReasonRequired):
            a1.get_request(r.request_id, reason=missing)
    log = onem.audit_log(reason="contrôle", request_id=r.request_id)
    ok_reads = [(e.user_id, e.reason) for e in log if e.outcome == "ok" and e.reason.startswith("suivi r")]
    assert ok_reads == [("a1", f"suivi r{i}") for i in range(1, 9)]
    assert all(e.at is not None and e.request_id == r.request_id for e in log)
    assert [e.action for e in log if e.outcome == "ok"][:2] == ["create", "comment"]
    assert sum(e.outcome == "reason_required" for e in log) == 3
    # the log is append-only in the database itself
    for sql in ("UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            with reg.engine.begin() as conn:
                conn.execute(text(sql))
    # nothing was changed; reading the log is itself logged (one more entry)
    again = onem.audit_log(reason="contrôle", request_id=r.request_id)
    assert again[:len(log)] == log and again[-1].action == "read_audit" and len(again) == len(log) + 1


def test_conflict_on_concurrent_update(reg):
    a1, a2 = reg.as_user("a1"), reg.as_user("a2")
    r = a1.create_request(case())
    seen = a2.get_request(r.request_id, reason=WHY)
    a1.edit_draft(r.request_id, case(start="2025-10-01"), expected_revision=r.revision)
    with pytest.raises(VersionConflict) as err:
        a2.edit_draft(r.request_id, case(start="2025-11-03"), expected_revision=seen.revision)
    assert "rechargez" in err.value.message("fr")
    cur = a1.get_request(r.request_id, reason=WHY)
    assert cur.current.case["contract"]["start"] == "2025-10-01" and cur.current_version == 2


def test_concurrent_writers_threads(reg):
    a1 = reg.as_user("a1")
    r = a1.create_request(case())
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def writer(i: int) -> None:
        me = reg.as_user("a1" if i % 2 else "a2")
        barrier.wait()
        try:
            me.edit_draft(r.request_id, case(start=f"2025-10-0{i + 1}"), expected_revision=r.revision)
            outcomes.append("ok")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["ok"]
    hist = a1.history(r.request_id, reason=WHY)
    assert len(hist) == 2 and hist[-1].created_by in ("a1", "a2")


def test_attachments_by_hash_never_silently_replaced(reg):
    a1, a2, onem = reg.as_user("a1"), reg.as_user("a2"), reg.as_user("onem1")
    r = a1.create_request(case())
    c4 = b"%PDF-1.4 C4 form"
    first = a1.add_attachment(r.request_id, "C4.pdf", c4)
    assert (first.media_type, first.size) == ("application/pdf", len(c4))
    again = a2.add_attachment(r.request_id, "C4.pdf", c4)
    assert again.attachment_id == first.attachment_id  # same name, same bytes: not duplicated
    copy = a1.add_attachment(r.request_id, "C4-copie.pdf", c4)
    assert copy.sha256 == first.sha256 and copy.attachment_id != first.attachment_id
    with pytest.raises(AttachmentConflict) as err:
        a1.add_attachment(r.request_id, "C4.pdf", b"%PDF-1.4 other")
    assert f"replaces={first.attachment_id}" in str(err.value)
    new = a1.add_attachment(r.request_id, "C4.pdf", b"%PDF-1.4 other", replaces=first.attachment_id)
    assert new.replaces == first.attachment_id
    listed = onem.attachments(r.request_id, reason="analyse des annexes")
    assert [a.attachment_id for a in listed] == [first.attachment_id, copy.attachment_id, new.attachment_id]
    assert onem.read_attachment(r.request_id, first.attachment_id, reason="analyse") == c4
    assert onem.read_attachment(r.request_id, new.attachment_id, reason="analyse") == b"%PDF-1.4 other"
    with reg.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM blobs")).scalar() == 2


def test_aggregates_and_frames(reg):
    a1, b1, onem, analyst = (reg.as_user(u) for u in ("a1", "b1", "onem1", "an1"))
    ids = []
    for who, n in ((a1, 3), (b1, 2)):
        for i in range(n):
            r = who.create_request(case(case_id=f"{who.user.user_id}-{i}"))
            r = who.send(r.request_id, expected_revision=r.revision)
            ids.append(r)
    first = ids[0]
    onem.record_answer(first.request_id, days_to_work=first.current.plan.days_to_work + 2,
                       end_date=date(2026, 9, 3), answered_on=date(2025, 9, 20),
                       expected_revision=first.revision)
    agg = onem.aggregate(by=("region", "province"), reason="monitoring")
    assert agg["n_versions_sent"].sum() == 5 and set(agg["province_nis"]) == {"50000", "60000"}
    # the analyst: cells of 3 and 2 requests hidden, the total of 5 shown
    agg = analyst.aggregate(by=("region", "province"), reason="monitoring")
    assert agg["suppressed"].all() and agg["n_requests"].isna().all() and agg["delay_median_days"].isna().all()
    assert analyst.aggregate(by=(), reason="monitoring")["n_requests"].tolist() == [5.0]
    tot = onem.aggregate(by=(), reason="monitoring").iloc[0]
    assert (tot.n_calculated, tot.n_pending, tot.n_disagree, tot.share_disagree) == (1, 4, 1, 1.0)
    mine = a1.aggregate(by=("cpas",), reason="monitoring")
    assert mine["cpas_nis"].tolist() == [CHARLEROI] and mine["n_requests"].tolist() == [3]
    vf = onem.versions_frame(reason="analyse")
    assert len(vf) == 5 and vf["agrees"].eq(False).sum() == 1 and vf["delay_days"].notna().sum() == 1
    rf = a1.requests_frame(reason="tableau de bord")
    assert len(rf) == 3 and set(rf["n_versions"]) == {1}
    with pytest.raises(Exception, match="unknown dimension"):
        onem.aggregate(by=("colour",), reason="monitoring")


def test_export_import_round_trip(reg, tmp_path):
    a1, onem, sysu = reg.as_user("a1"), reg.as_user("onem1"), reg.as_user("sys")
    r = a1.create_request(case(comment="Dimona seule"), person_ref="P7")
    r = a1.send(r.request_id, expected_revision=r.revision)
    r = onem.record_answer(r.request_id, days_to_work=300, end_date=date(2026, 8, 20),
                           answered_on=date(2025, 9, 1), expected_revision=r.revision, note="ok")
    r = a1.modify(r.request_id, expected_revision=r.revision)
    a1.add_comment(r.request_id, "Engagement reporté", version_no=3)
    a1.add_attachment(r.request_id, "paie.pdf", bytes(range(256)) * 3)
    onem.get_request(r.request_id, reason="calcul")
    with pytest.raises(RoleDenied):
        a1.export_jsonl(str(tmp_path / "no.jsonl.gz"), reason="sauvegarde")
    one = tmp_path / "one.jsonl.gz"
    n = sysu.export_jsonl(str(one), reason="sauvegarde")
    target = Register.open(str(tmp_path / "copy.sqlite"), planner=fake_planner)
    target.add_user(User("sys", "System", "system"))  # the importer: a system user
    assert target.import_jsonl(str(one), actor="sys") == n
    two = tmp_path / "two.jsonl.gz"
    target.as_user("sys").export_jsonl(str(two), reason="vérification")
    import gzip
    import json

    def rows(f, table):
        return [json.loads(x)["row"] for x in gzip.open(f, "rt").read().splitlines()[1:]
                if json.loads(x)["table"] == table]

    for t in S.TABLES:
        if t.name != "audit_log":
            assert rows(two, t.name) == rows(one, t.name), t.name  # every row identical
    # the imported log follows the target's own set-up entry, re-chained, content kept
    strip = lambda r: {k: v for k, v in r.items() if k not in ("entry_id", "row_hash")}
    a, b = rows(one, "audit_log"), rows(two, "audit_log")
    assert [strip(r) for r in b[1:len(a) + 1]] == [strip(r) for r in a]
    assert b[0]["action"] == "add_user" and b[-1]["action"] == "import" and len(b) == len(a) + 2
    got = target.as_user("onem1").history(r.request_id, reason="contrôle")
    assert [v.status for v in got] == ["calculated", "draft"]
    assert got[0].answer.note == "ok" and got[0].plan.data["steps"][0]["id"] == "fake"
    target.close()


def test_schema_migrations(tmp_path):
    path = str(tmp_path / "m.sqlite")
    reg = Register.open(path, planner=None)
    assert reg.schema_version == S.SCHEMA_VERSION
    assert S.migrate(reg.engine) == S.SCHEMA_VERSION  # idempotent
    with reg.engine.begin() as conn:
        conn.execute(text("UPDATE schema_info SET value = '999'"))
    reg.close()
    with pytest.raises(SchemaTooNew) as err:
        Register.open(path)
    assert "999" in str(err.value)


def test_partial_migration_is_completed(tmp_path):
    from art60kit.register.schema import make_engine, migrate
    engine = make_engine(str(tmp_path / "old.sqlite"))
    migrate(engine, target=1)  # a database written by an older release
    reg = populate(Register(engine, planner=fake_planner))
    reg.as_user("a1").create_request(case())
    assert migrate(engine) == 1 and Register(engine).schema_version == S.SCHEMA_VERSION
    with pytest.raises(Exception, match="append-only"):
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_log"))
