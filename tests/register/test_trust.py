"""Trust in the register: an audit log nobody rewrites unnoticed, reasons that are
reasons, readers that never wait for a plan, safe concurrent attachments, private files,
no existence oracle, ids under their own CPAS. Run on SQLite and on PostgreSQL."""
from __future__ import annotations

import os
import stat
import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, insert, select, text

from art60kit.register import (
    AccessDenied, AttachmentConflict, BadInput, ReasonRequired, Register, User, VersionConflict,
)
from art60kit.register import audit as A
from art60kit.register import schema as S
from art60kit.register.build import main as register_main
from art60kit.register.errors import AuditUnprotected, BadReason

from .conftest import CHARLEROI, LIEGE, case, fake_planner, populate

WHY = "suivi du dossier"


def _log_rows(reg):
    with reg.engine.connect() as conn:
        return conn.execute(text("SELECT COUNT(*), MAX(entry_id) FROM audit_log")).one()


def _verify(reg, head=None):
    with reg.engine.connect() as conn:
        return A.verify(conn, head)


# --- append-only, every statement --------------------------------------------------------

SQLITE_ATTACKS = [
    "UPDATE audit_log SET reason = 'rewritten'",
    "DELETE FROM audit_log WHERE entry_id = 2",
    "INSERT OR REPLACE INTO audit_log (entry_id, at, user_id, action, reason, outcome, row_hash) "
    "VALUES (2, '2025-01-01 00:00:00', 'x', 'read', 'rewritten', 'ok', 'h')",
    "REPLACE INTO audit_log (entry_id, at, user_id, action, reason, outcome, row_hash) "
    "VALUES (2, '2025-01-01 00:00:00', 'x', 'read', 'rewritten', 'ok', 'h')",
    "INSERT INTO audit_log (entry_id, at, user_id, action, reason, outcome, row_hash) "
    "VALUES (2, '2025-01-01 00:00:00', 'x', 'read', 'r', 'ok', 'h') "
    "ON CONFLICT (entry_id) DO UPDATE SET reason = 'rewritten'",
    "INSERT INTO audit_log (at, user_id, action, reason, outcome, row_hash) "
    "VALUES ('2025-01-01 00:00:00', 'x', 'read', NULL, 'ok', 'h')",
]
PG_ATTACKS = [
    "UPDATE audit_log SET reason = 'rewritten'",
    "DELETE FROM audit_log WHERE entry_id = 2",
    "TRUNCATE audit_log",
    "TRUNCATE audit_log CASCADE",
    "INSERT INTO audit_log (entry_id, at, user_id, action, reason, outcome, row_hash) "
    "VALUES (2, '2025-01-01', 'x', 'read', 'r', 'ok', 'h') "
    "ON CONFLICT (entry_id) DO UPDATE SET reason = 'rewritten'",
    "INSERT INTO audit_log (entry_id, at, user_id, action, reason, outcome, row_hash) "
    "VALUES (99999, '2025-01-01', 'x', 'read', NULL, 'ok', 'h')",
]


def test_every_rewriting_statement_is_refused(reg):
    a1 = reg.as_user("a1")
    r = a1.create_request(case())
    a1.get_request(r.request_id, reason=WHY)
    before = _log_rows(reg)
    attacks = SQLITE_ATTACKS if reg.engine.dialect.name == "sqlite" else PG_ATTACKS
    for sql in attacks:
        with pytest.raises(Exception, match="append-only|need a reason|audit_log_reason_hash"):
            with reg.engine.begin() as conn:
                conn.execute(text(sql))
    assert _log_rows(reg) == before
    v = _verify(reg)
    assert v.ok and v.entries == before[0]


def _sqlite_drop_guards(reg):
    with reg.engine.begin() as conn:
        for name in A._SQLITE_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")


def test_a_dropped_guard_is_restored_on_open_and_logged(tmp_path):
    path = str(tmp_path / "r.sqlite")
    reg = populate(Register.open(path, planner=fake_planner))
    _sqlite_drop_guards(reg)
    with reg.engine.begin() as conn:  # unguarded: a replace now goes through...
        conn.exec_driver_sql("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END")
        conn.exec_driver_sql("UPDATE audit_log SET reason = 'rewritten' WHERE entry_id = 3")
    reg.close()
    reg = Register.open(path, planner=fake_planner)  # ...and is seen on the next opening
    log = reg.as_user("onem1").audit_log(reason="contrôle des accès")
    restored = [e for e in log if e.action == "audit_protection_restored"]
    assert len(restored) == 1 and "audit_log_no_delete missing" in restored[0].detail
    assert "audit_log_no_update altered" in restored[0].detail
    with pytest.raises(Exception, match="append-only"):
        with reg.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_log")
    v = _verify(reg)
    assert not v.ok and v.first_bad == 3 and "altered" in v.why
    reg.close()


def test_verify_names_the_first_altered_entry_and_a_lost_head(tmp_path, capsys):
    path = str(tmp_path / "r.sqlite")
    reg = populate(Register.open(path, planner=fake_planner))
    a1 = reg.as_user("a1")
    r = a1.create_request(case())
    for i in range(5):
        a1.get_request(r.request_id, reason=f"lecture numéro {i}")
    assert register_main(["verify", path]) == 0
    out = capsys.readouterr().out
    assert out.startswith("audit log intact: ")
    noted = out.split("head ")[1].strip()
    nid = int(noted.split(":")[0])
    # entries: 6 users, the creation, 5 reads (8-12). The owner of the file drops the
    # guards and edits entry 9, then removes entry 10 instead
    _sqlite_drop_guards(reg)
    with reg.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET reason = 'autre chose' WHERE entry_id = 9")
    assert register_main(["verify", path]) == 1
    assert "entry 9: altered" in capsys.readouterr().out
    with reg.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET reason = 'lecture numéro 1' WHERE entry_id = 9")
        conn.exec_driver_sql("DELETE FROM audit_log WHERE entry_id = 10")
    assert register_main(["verify", path]) == 1
    assert "entry 11: altered, or an entry before it was removed" in capsys.readouterr().out
    # a full rewrite with a recomputed chain: only a head noted earlier shows it
    with reg.engine.begin() as conn:
        rows = conn.execute(select(S.audit).order_by(S.audit.c.entry_id)).mappings().all()
        conn.exec_driver_sql("DELETE FROM audit_log")
        prev = A.GENESIS
        for r0 in rows:
            r1 = dict(r0)
            if r1["entry_id"] == 9:
                r1["reason"] = "autre chose"
            prev = r1["row_hash"] = A.entry_hash(prev, r1)
            conn.execute(insert(S.audit).values(**r1))
    assert register_main(["verify", path]) == 0
    capsys.readouterr()
    assert register_main(["verify", path, "--head", noted]) == 1
    assert f"entry {nid}: differs from the head noted earlier" in capsys.readouterr().out
    assert register_main(["verify", path, "--head", "x"]) == 2
    reg.close()


def test_concurrent_writers_extend_one_chain(reg):
    a1 = reg.as_user("a1")
    ids = [a1.create_request(case(case_id=f"c{i}")).request_id for i in range(4)]
    errors = []

    def work(rid):
        try:
            me = reg.as_user("a2")
            for i in range(6):
                me.get_request(rid, reason=f"lecture parallèle {i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(rid,)) for rid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    v = _verify(reg)
    assert v.ok and v.entries == _log_rows(reg)[0]


# --- PostgreSQL: the application does not own the tables ---------------------------------

def _role_url(url: str, role: str) -> str:
    return url.replace("://postgres@", f"://{role}@", 1)


@pytest.fixture
def pg_roles(pg_url):
    """(owner URL, application URL): tables created by an owner role, the application
    connecting as a role granted by ``python -m art60kit.register grant``."""
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"own_{suffix}", f"app_{suffix}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE ROLE {owner} LOGIN"))
        c.execute(text(f"CREATE ROLE {app} LOGIN"))
        c.execute(text(f"GRANT CREATE, USAGE ON SCHEMA public TO {owner}"))
    admin.dispose()
    owner_url, app_url = _role_url(pg_url, owner), _role_url(pg_url, app)
    assert register_main(["grant", owner_url, app]) == 0
    yield owner_url, app_url


def test_postgresql_application_role_cannot_touch_the_log(pg_roles):
    owner_url, app_url = pg_roles
    reg = populate(Register.open(app_url, planner=fake_planner))
    a1, onem = reg.as_user("a1"), reg.as_user("onem1")
    r = a1.create_request(case())
    r = a1.send(r.request_id, expected_revision=r.revision)
    a1.add_attachment(r.request_id, "paie.pdf", b"%PDF-1.4")
    onem.get_request(r.request_id, reason="calcul du dossier")
    for sql in ["UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log",
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                "DROP TRIGGER audit_log_append_only ON audit_log",
                "ALTER TABLE audit_log DROP CONSTRAINT audit_log_reason_hash",
                "DROP TABLE audit_log", "DELETE FROM request_versions"]:
        with pytest.raises(Exception, match="append-only|permission denied|must be owner"):
            with reg.engine.begin() as conn:
                conn.execute(text(sql))
    assert _verify(reg).ok
    reg.close()
    # the owner disables the guard: the application refuses to open the register...
    owner = create_engine(owner_url)
    with owner.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
    with pytest.raises(AuditUnprotected, match="audit_log_append_only disabled"):
        Register.open(app_url, planner=fake_planner)
    # ...until the owner opens it, which restores the guard and logs the repair
    Register.open(owner_url, planner=fake_planner).close()
    reg = Register.open(app_url, planner=fake_planner)
    assert reg.as_user("onem1").audit_log(reason="contrôle des accès")[-1].action == "audit_protection_restored"
    reg.close()
    owner.dispose()


# --- reasons -------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["\u200b\u200b\u200b\u200b\u200b", "x", "r1", "...!!!", "\u2060a\u2060b\u2060",
                                 "a" * 501, ["suivi du dossier"], {"why": "suivi"}, 12345, b"suivi"])
def test_reasons_must_be_reasons_and_refusals_are_audited(reg, bad):
    a1, onem = reg.as_user("a1"), reg.as_user("onem1")
    r = a1.create_request(case())
    with pytest.raises(ReasonRequired) as err:
        a1.get_request(r.request_id, reason=bad)
    assert isinstance(err.value, BadReason)
    last = onem.audit_log(reason="contrôle des accès")[-1]
    assert last.outcome == "bad_reason" and last.reason and last.user_id == "a1"
    with pytest.raises(BadReason):  # a write given a reason needs a real one too
        a1.add_comment(r.request_id, "Dimona seule", reason=bad)


def test_no_entry_without_a_reason(reg):
    a1 = reg.as_user("a1")
    r = a1.create_request(case())
    a1.add_comment(r.request_id, "Dimona seule")
    with pytest.raises(ReasonRequired):
        a1.get_request(r.request_id, reason=None)
    log = reg.as_user("onem1").audit_log(reason="contrôle des accès")
    assert all(e.reason for e in log)
    assert [e.reason for e in log if e.action in ("create", "comment")] == ["write: create", "write: comment"]
    assert [e.reason for e in log if e.outcome == "reason_required"] == ["(none)"]


# --- readers never wait for a plan ---------------------------------------------------------

def test_readers_do_not_wait_for_a_slow_plan(db_url):
    started = threading.Event()

    def slow_planner(c):
        if c.get("case_id") == "slow":
            started.set()
            time.sleep(3)
        return fake_planner(c)

    reg = populate(Register.open(db_url, planner=slow_planner))
    a1 = reg.as_user("a1")
    r = a1.create_request(case())
    writer = threading.Thread(target=lambda: reg.as_user("a2").create_request(case(case_id="slow")))
    writer.start()
    assert started.wait(10)
    t0 = time.perf_counter()
    a1.get_request(r.request_id, reason=WHY)
    waited = time.perf_counter() - t0
    writer.join()
    assert waited < 2.0, f"a read waited {waited:.1f} s for another user's plan"
    reg.close()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    reg = Register.open(str(tmp_path / "w.sqlite"), planner=None)
    with reg.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    reg.close()


# --- attachments under concurrency -----------------------------------------------------------

def test_concurrent_attachments_with_one_name_keep_one(reg):
    r = reg.as_user("a1").create_request(case())
    names = [f"fiche-{i}.pdf" for i in range(10)]
    outcome: dict[str, list] = {"ok": [], "conflict": [], "other": []}
    barrier = threading.Barrier(4)

    def work(k):
        me = reg.as_user("a1" if k % 2 else "a2")
        barrier.wait()
        for name in names:
            try:
                outcome["ok"].append(me.add_attachment(r.request_id, name, f"{name} worker {k}".encode()))
            except (AttachmentConflict, VersionConflict):
                outcome["conflict"].append(name)
            except Exception as exc:  # pragma: no cover - reported below
                outcome["other"].append(repr(exc))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcome["other"] == []
    stored = reg.as_user("onem1").attachments(r.request_id, reason="contrôle des annexes")
    assert sorted(a.filename for a in stored) == names  # one per name, 10 of 40
    assert len(outcome["ok"]) == 10 and len(outcome["conflict"]) == 30


# --- files, ids, answers ---------------------------------------------------------------------

def test_register_and_export_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "p.sqlite"
        reg = populate(Register.open(str(path), planner=fake_planner))
        reg.as_user("a1").create_request(case())
        out = tmp_path / "e.jsonl.gz"
        out.write_bytes(b"")
        os.chmod(out, 0o644)
        reg.as_user("sys").export_jsonl(str(out), reason="sauvegarde mensuelle")
        files = [path, out] + [p for p in (tmp_path / "p.sqlite-wal", tmp_path / "p.sqlite-shm") if p.exists()]
        assert len(files) >= 3
        for f in files:
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        reg.close()
    finally:
        os.umask(old)


def test_missing_and_foreign_requests_give_the_same_answer(reg):
    r = reg.as_user("a1").create_request(case())
    b1 = reg.as_user("b1")
    missing = r.request_id[:-4] + "ZZZZ"
    answers = []
    for rid in (r.request_id, missing):
        for call in (lambda: b1.get_request(rid, reason=WHY), lambda: b1.history(rid, reason=WHY),
                     lambda: b1.add_comment(rid, "note"),
                     lambda: b1.edit_draft(rid, case(), expected_revision=1)):
            with pytest.raises(AccessDenied) as err:
                call()
            answers.append((type(err.value), err.value.message("fr").replace(rid, "ID")))
    assert answers[:4] == answers[4:]


def test_request_ids_stay_under_their_cpas(reg):
    a1, sysu = reg.as_user("a1"), reg.as_user("sys")
    for rid in (f"{LIEGE}-X1", f"{LIEGE}{CHARLEROI}-X1", "X1", f"{CHARLEROI}-", f"{CHARLEROI}-a/b",
                f"{CHARLEROI}-" + "A" * 31, f"{CHARLEROI}-\u0661\u0662"):
        with pytest.raises(BadInput):
            a1.create_request(case(), request_id=rid)
    with pytest.raises(BadInput):
        sysu.create_request(case(), cpas_nis=CHARLEROI, request_id=f"{LIEGE}-X2")
    assert a1.create_request(case(), request_id=f"{CHARLEROI}-X1").request_id == f"{CHARLEROI}-X1"
    assert a1.list_requests(reason=WHY)[0].request_id == f"{CHARLEROI}-X1"
    with pytest.raises(BadInput):
        a1.get_request(["not", "an", "id"], reason=WHY)
    refused = [e for e in reg.as_user("onem1").audit_log(reason="contrôle des accès") if e.outcome == "bad_input"]
    assert len(refused) == 9 and all(e.reason for e in refused)


def test_unknown_users_with_odd_ids_are_refused_and_logged(reg):
    from art60kit.register import UnknownUser
    for uid in ("x" * 500, "nobody"):
        with pytest.raises(UnknownUser):
            reg.as_user(uid)
    assert _verify(reg).ok
