"""Fixtures: a register on SQLite and on a real, throwaway PostgreSQL server.

The PostgreSQL server is a fresh cluster (initdb + pg_ctl, Debian package
``postgresql``) in a temporary folder, on 127.0.0.1 and a free port, run as the
``postgres`` system user when the tests run as root (initdb refuses root). Without
PostgreSQL the PostgreSQL tests are skipped with the reason — except when the ``CI``
environment variable is set: then they fail, so CI can never pass without them.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from datetime import date, timedelta

import pytest

from art60kit.register import Register, User
from art60kit.register.cpas import belgian_cpas

CHARLEROI, LIEGE = "52011", "62063"


def fake_planner(case):
    """A fast stand-in for the toolkit planner (register tests are about storage, not
    about the calculation): a deterministic function of the case."""
    start = date.fromisoformat(str(case["contract"]["start"]))
    n = len(case.get("career") or [])
    extra = sum(1 for _ in (case["contract"].get("events") or []))
    end = start + timedelta(days=364 - 7 * min(n, 20) + 10 * extra)
    return {"case_id": case.get("case_id", "case"), "end_date": end.isoformat(),
            "request_date": (end + timedelta(days=1)).isoformat(),
            "rules": "reform2026" if end >= date(2026, 2, 28) else "ar1991",
            "days_required": 312, "days_to_work": 312 - 6 * min(n, 20) + 9 * extra,
            "age_category": None, "steps": [{"id": "fake", "text": "fake planner"}], "warnings": []}


def case(case_id="c1", start="2025-09-01", career=None, events=None, comment=None):
    d = {"case_id": case_id, "person": {"birth_date": "1991-06-15"},
         "contract": {"start": start, "days_per_week": 5}, "career": career or []}
    if events:
        d["contract"]["events"] = events
    if comment:
        d["comment"] = comment
    return d


def _unavailable(msg: str):
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI: {msg}")
    pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server():
    """URL of the maintenance database of a throwaway PostgreSQL cluster."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        _unavailable("PostgreSQL server binaries not found (Debian: apt-get install -y postgresql)")
    bindir = os.path.dirname(found[-1])
    base = tempfile.mkdtemp(prefix="art60kit-pg-")
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and no 'postgres' user to run the server")
        os.chown(base, pw.pw_uid, pw.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, log = os.path.join(base, "data"), os.path.join(base, "server.log")
    port = _free_port()
    try:
        subprocess.run(run_as + [f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust",
                                 "-E", "UTF8", "--no-locale"], check=True, capture_output=True)
        subprocess.run(run_as + [f"{bindir}/pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
                                 f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                                 "-c full_page_writes=off -c max_connections=50", "start"],
                       check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"cannot start PostgreSQL: {exc} {detail.decode(errors='replace')[-300:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(run_as + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server):
    """A fresh empty database on the throwaway server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    yield f"{pg_server}/{name}"
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "register.sqlite")
    return request.getfixturevalue("pg_url")


def populate(reg: Register) -> Register:
    nis = {CHARLEROI, LIEGE}
    reg.add_cpas(c for c in belgian_cpas() if c.nis in nis)
    for u in (User("a1", "Agent A1", "cpas_agent", CHARLEROI), User("a2", "Agent A2", "cpas_agent", CHARLEROI),
              User("b1", "Agent B1", "cpas_agent", LIEGE), User("onem1", "ONEM 1", "onem"),
              User("an1", "Analyst", "analyst"), User("sys", "System", "system")):
        reg.add_user(u)
    return reg


@pytest.fixture
def reg(db_url):
    r = populate(Register.open(db_url, planner=fake_planner))
    yield r
    r.close()
