"""A register export is imported only whole and intact: a tampered or malformed file is
refused with one line per problem (InputError) and nothing is imported; only a system
user may import. On SQLite and PostgreSQL."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from art60kit.errors import InputError
from art60kit.register import NotEmpty, Register, RoleDenied, UnknownUser, User
from art60kit.register import schema as S

from .conftest import case, fake_planner, populate


@pytest.fixture(scope="module")
def export_lines(tmp_path_factory):
    """The lines of a small register's export (decompressed)."""
    d = tmp_path_factory.mktemp("src")
    reg = populate(Register.open(str(d / "src.sqlite"), planner=fake_planner))
    a1, onem = reg.as_user("a1"), reg.as_user("onem1")
    r = a1.create_request(case(comment="Dimona seule"), person_ref="P7")
    r = a1.send(r.request_id, expected_revision=r.revision)
    r = onem.record_answer(r.request_id, days_to_work=300, end_date=date(2026, 8, 20),
                           answered_on=date(2025, 9, 1), expected_revision=r.revision)
    a1.add_comment(r.request_id, "Engagement reporté")
    a1.add_attachment(r.request_id, "paie.pdf", b"%PDF-1.4 paie")
    for i in range(3):
        onem.get_request(r.request_id, reason=f"contrôle numéro {i}")
    reg.as_user("sys").export_jsonl(str(d / "e.jsonl.gz"), reason="sauvegarde mensuelle")
    reg.close()
    return gzip.open(d / "e.jsonl.gz", "rt", encoding="utf-8").read().splitlines()


def _write(tmp_path, lines, name="t.jsonl.gz"):
    p = tmp_path / name
    with gzip.open(p, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return p


def _edit(lines, table, where, change):
    """Lines with ``change(row)`` applied to the first row of ``table`` matching ``where``."""
    out, done = [], False
    for line in lines:
        rec = json.loads(line)
        if not done and rec.get("table") == table and where(rec["row"]):
            change(rec["row"])
            done = True
            line = json.dumps(rec, ensure_ascii=False, sort_keys=True)
        out.append(line)
    assert done
    return out


def _target(db_url):
    reg = Register.open(db_url, planner=fake_planner)
    reg.add_user(User("sys", "System", "system"))
    return reg


def _counts(reg):
    with reg.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in S.TABLES}


def _refused(reg, path, *expected):
    before = _counts(reg)
    with pytest.raises(InputError) as err:
        reg.import_jsonl(str(path), actor="sys")
    lines = [str(p) for p in err.value.problems]
    assert all(x.startswith(str(path) + ": ") and "\n" not in x for x in lines)
    for e in expected:
        assert any(e in x for x in lines), (e, lines)
    after = _counts(reg)
    assert after["audit_log"] == before["audit_log"] + 1  # the refusal, logged
    assert {k: v for k, v in after.items() if k != "audit_log"} == \
        {k: v for k, v in before.items() if k != "audit_log"}  # nothing imported
    last = reg.as_user("sys").audit_log(reason="contrôle de l'import")[-1]
    assert (last.action, last.outcome) == ("import", "bad_input")
    return lines


def _sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


TAMPERED = {
    "agent without CPAS": (lambda L: _edit(L, "users", lambda r: r["user_id"] == "a1",
                                           lambda r: r.update(cpas_nis=None)),
                           "users.cpas_nis: a CPAS agent needs a CPAS of the register"),
    "agent promoted to system": (lambda L: _edit(L, "users", lambda r: r["user_id"] == "a1",
                                                 lambda r: r.update(role="system", cpas_nis=None)),
                                 "a1: role or CPAS differ from the user's creation in the audit log"),
    "unknown role": (lambda L: _edit(L, "users", lambda r: r["user_id"] == "an1",
                                     lambda r: r.update(role="root")),
                     "users.role: unknown role 'root'"),
    "deleted audit entry": (lambda L: [x for x in L if '"entry_id": 9,' not in x],
                            "audit_log.row_hash: entry 10 was altered, or an entry before it was removed"),
    "edited audit entry": (lambda L: _edit(L, "audit_log", lambda r: r["entry_id"] == 12,
                                           lambda r: r.update(reason="autre raison")),
                           "audit_log.row_hash: entry 12 was altered"),
    "edited case, stale hash": (lambda L: _edit(L, "request_versions", lambda r: True,
                                                lambda r: r.update(case_json=r["case_json"].replace("1991", "1961"))),
                                "request_versions.case_sha256: does not match the case"),
    "changed attachment": (lambda L: _edit(L, "blobs", lambda r: True,
                                           lambda r: r.update(content=base64.b64encode(b"%PDF-1.4 faux").decode())),
                           "blobs.sha256: does not match the content"),
    "request moved to another CPAS": (lambda L: _edit(L, "requests", lambda r: True,
                                                      lambda r: r.update(cpas_nis="62063")),
                                      "requests.request_id: does not start with its CPAS's NIS code"),
    "schema version 999": (lambda L: [L[0].replace('"schema_version": ', '"schema_version": 999') ] + L[1:],
                           "this art60kit imports schema"),
    "unknown version": (lambda L: _edit(L, "onem_answers", lambda r: True, lambda r: r.update(version_no=7)),
                        "onem_answers.version_no: unknown version"),
}


@pytest.mark.parametrize("name", sorted(TAMPERED))
def test_a_tampered_export_is_refused_whole(db_url, tmp_path, export_lines, name):
    tamper, expected = TAMPERED[name]
    reg = _target(db_url)
    _refused(reg, _write(tmp_path, tamper(list(export_lines))), expected)
    reg.close()


MALFORMED = {
    "not gzip": (b"plain text\n", "not a readable register export"),
    "truncated gzip": (None, "not a readable register export"),
    "empty": (gzip.compress(b""), "empty: not a register export"),
    "no header": (['{"table": "cpas", "row": {}}'], "not a register export (no art60kit-register header)"),
    "not JSON": ([0, "{not json", '{"table": "cpas"}', '{"table": "nope", "row": {}}', "[1, 2]"],
                 "line 2: not valid JSON"),
    "bad row": ([0, '{"table": "users", "row": [1]}', '{"table": "users", "row": {"user_id": "z"}}'],
                "line 2: row: must be an object of columns"),
    "bad types": ("types", "requests.revision: expected a whole number within 32 bits"),
    "tables out of order": ("order", "(tables must come in dependency order)"),
}


def _malformed(export_lines, tmp_path, spec):
    if isinstance(spec, bytes):
        p = tmp_path / "m.jsonl.gz"
        p.write_bytes(spec)
        return p
    if spec is None:
        full = gzip.compress(("\n".join(export_lines) + "\n").encode())
        p = tmp_path / "m.jsonl.gz"
        p.write_bytes(full[: len(full) // 2])
        return p
    if spec == "types":
        lines = _edit(list(export_lines), "requests", lambda r: True,
                      lambda r: r.update(revision=10 ** 30, created_at="hier", person_ref=["x"]))
        lines = _edit(lines, "blobs", lambda r: True, lambda r: r.update(content="%%%not base64"))
        return _write(tmp_path, lines)
    if spec == "order":
        lines = list(export_lines)
        users = [x for x in lines if '"table": "users"' in x]
        return _write(tmp_path, [x for x in lines if x not in users] + users)
    return _write(tmp_path, [export_lines[0] if x == 0 else x for x in spec])


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_export_is_refused_with_one_line_per_problem(db_url, tmp_path, export_lines, name):
    spec, expected = MALFORMED[name]
    reg = _target(db_url)
    lines = _refused(reg, _malformed(export_lines, tmp_path, spec), expected)
    if name == "bad types":
        assert sum("requests." in x for x in lines) == 3 and any("blobs.content" in x for x in lines)
    reg.close()


def test_import_needs_a_system_user_and_an_empty_register(db_url, tmp_path, export_lines):
    p = _write(tmp_path, export_lines)
    reg = populate(Register.open(db_url, planner=fake_planner))
    with pytest.raises(RoleDenied):
        reg.as_user("onem1").import_jsonl(str(p))
    with pytest.raises(UnknownUser):
        reg.import_jsonl(str(p), actor="nobody")
    reg.as_user("a1").create_request(case())
    with pytest.raises(NotEmpty):
        reg.import_jsonl(str(p), actor="sys")
    reg.close()
    fresh = _target(db_url.replace("register.sqlite", "fresh.sqlite")) if "://" not in db_url else None
    if fresh is not None:
        assert fresh.import_jsonl(str(p), actor="sys") == len(export_lines) - 1
        with fresh.engine.connect() as conn:
            from art60kit.register.audit import verify
            assert verify(conn).ok
        fresh.close()


def test_a_partial_export_holds_its_tables_only_and_is_never_imported(db_url, tmp_path):
    """The versions and comments without the audit log (what the dashboards' set-up
    reads): the header lists them, every row is of one of them, and an import refuses
    the file with one line, nothing imported."""
    src = populate(Register.open(str(tmp_path / "src.sqlite"), planner=fake_planner))
    a1 = src.as_user("a1")
    r = a1.create_request(case(comment="Dimona seule"), person_ref="P7")
    a1.add_comment(r.request_id, "Engagement reporté")
    p = tmp_path / "part.jsonl.gz"
    n = src.as_user("onem1").export_jsonl(str(p), reason="tableaux de bord", tables=("request_versions", "comments"))
    with pytest.raises(ValueError):
        src.as_user("onem1").export_jsonl(str(tmp_path / "x.jsonl.gz"), reason="tableaux de bord",
                                          tables=("request_versions", "nope"))
    last = src.as_user("sys").audit_log(reason="contrôle de l'export")[-1]
    src.close()
    lines = gzip.open(p, "rt", encoding="utf-8").read().splitlines()
    header, rows = json.loads(lines[0]), [json.loads(x) for x in lines[1:]]
    assert header["tables"] == ["request_versions", "comments"]
    assert len(rows) == n == 2 and {x["table"] for x in rows} == {"request_versions", "comments"}
    assert last.action == "export" and "request_versions, comments" in (last.detail or "")
    reg = _target(db_url)
    _refused(reg, p, "partial export")
    reg.close()
