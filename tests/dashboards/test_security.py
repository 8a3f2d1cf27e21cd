"""The dashboards' server as an attacker meets it: no page without a login, a foreign
Host or Origin refused (the kernel websocket too), no traceback to a client, the legacy
kernel protocol refused, roles enforced by the server and again in the kernel, an
agent kept to their own CPAS, identities that cannot be forged, bounded kernels."""
from __future__ import annotations

import asyncio
import concurrent.futures
import http.cookiejar
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from art60kit.dashboards import identity as ID

from .conftest import CHROMIUM, CHROMIUM_ARGS, log_in


# -- without a server ---------------------------------------------------------------------

def test_identity_tokens_cannot_be_forged_or_replayed_late():
    t = ID.sign_identity("onem-01", "secret", now=1_000)
    assert ID.verify_identity(t, "secret", now=1_100).user_id == "onem-01"
    uid, issued, mac = t.split(".")
    other = ID.sign_identity("analyst-1", "secret", now=1_000).split(".")[0]
    for forged in (f"{other}.{issued}.{mac}", f"{uid}.{int(issued) + 99_999}.{mac}", "onem-01",
                   ID.sign_identity("onem-01", "guessed", now=1_000), "", None):
        with pytest.raises(ID.NoIdentity):
            ID.verify_identity(forged, "secret", now=1_100)
    with pytest.raises(ID.NoIdentity):
        ID.verify_identity(t, "secret", now=1_000 + ID.TOKEN_MAX_AGE + 1)
    with pytest.raises(ID.NoIdentity):  # a kernel without the server's secret trusts nobody
        ID.verify_identity(t, None, now=1_100)


def test_login_file_is_private_and_hashes_only(tmp_path):
    lg = ID.Logins(tmp_path / "logins.json")
    lg.set_password("onem-01", "a long enough password")
    assert (tmp_path / "logins.json").stat().st_mode & 0o777 == 0o600
    assert "a long enough password" not in (tmp_path / "logins.json").read_text()
    assert lg.check("onem-01", "a long enough password")
    assert not lg.check("onem-01", "a long enough passwor")
    assert not lg.check("nobody", "a long enough password")
    with pytest.raises(ValueError):
        lg.set_password("onem-01", "short")


def test_kernel_memory_is_bounded():
    """A dashboard kernel's process cannot allocate past its limit (MemoryError in that
    process, the server and other kernels unharmed)."""
    code = ("from art60kit.dashboards.kernel import limit_memory\n"
            "limit_memory(400)\n"
            "try:\n    b = bytearray(800 * 2**20)\nexcept MemoryError:\n    print('bounded')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "bounded", out.stderr[-2000:]


# -- roles, in the kernel (the register decides) ----------------------------------------------

@pytest.fixture
def as_person(monkeypatch):
    """Run kernel-side code as if the server had signed ``user_id``'s identity."""
    def set_user(user_id: str) -> None:
        monkeypatch.setenv(ID.SECRET_ENV, "test-secret")
        monkeypatch.setenv(ID.IDENTITY_ENV, ID.sign_identity(user_id, "test-secret"))
        monkeypatch.setenv("VOILA_KERNEL_ID", "test")
    return set_user


def test_roles_in_the_kernel(dashboard_register, logins, as_person, monkeypatch):
    from art60kit.dashboards import source
    from art60kit.dashboards.access import Refused, person_access
    from art60kit.dashboards.explorer import CaseExplorer

    # nobody verified: refused, whatever user id the caller names
    monkeypatch.delenv(ID.IDENTITY_ENV, raising=False)
    monkeypatch.setenv("VOILA_KERNEL_ID", "test")
    with pytest.raises(Refused):
        person_access("policy-monitoring", dashboard_register, user_id="onem-01")

    as_person(logins["analyst"][0])
    person_access("policy-monitoring", dashboard_register).register.close()
    with pytest.raises(Refused) as e:
        person_access("case-explorer", dashboard_register)
    assert e.value.key == "access.role"

    agent_id = logins["cpas_agent"][0]
    as_person(agent_id)
    acc = person_access("case-explorer", dashboard_register)
    try:
        mine = acc.user.cpas_nis
        ex = CaseExplorer(acc.session, "fr", dashboard_register)
        offered = list(ex.results["request_id"])  # the whole search, every page
        assert offered
        versions = source.versions(dashboard_register)
        cpas_of = versions.drop_duplicates("request_id").set_index("request_id")["cpas_nis"]
        assert all(cpas_of[i] == mine for i in offered)
        other = sorted(cpas_of[cpas_of != mine].index)[0]
        ex.w_reason.value = "contrôle du test"
        ex.open(other)  # e.g. a value forced through the widget's state
        assert ex.history == ()
        assert "a60-warn" in ex.w_msg.value
        log = acc.register.as_user("onem-01").audit_log(reason="contrôle du test", request_id=other)
        assert any(x.user_id == agent_id and x.outcome != "ok" for x in log)
    finally:
        acc.register.close()


# -- the server, over HTTP -------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


def _client():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect()), jar


def _get(opener, url, headers=None, data=None):
    req = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with opener.open(req, timeout=300) as r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


def _login(base, user, password):
    opener, jar = _client()
    _, _, body = _get(opener, base + "login")
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', body).group(1)
    data = urllib.parse.urlencode({"_xsrf": xsrf, "user": user, "password": password, "next": "/"}).encode()
    status, headers, _ = _get(opener, base + "login", data=data)
    return opener, jar, status


def test_server_refuses_anonymous_foreign_host_and_origin(voila_server):
    base = voila_server
    anon, _ = _client()
    status, headers, _ = _get(anon, base + "voila/render/policy-monitoring.ipynb")
    assert status == 302 and "/login" in headers["Location"]
    for path in ("api/kernels/00000000-0000-4000-8000-000000000000", "voila/render/case-explorer.ipynb", "voila/files/README.md", ""):
        assert _get(anon, base + path)[0] in (302, 403), path
    # a client's identity header changes nothing
    forged = {ID.IDENTITY_HEADER: ID.sign_identity("onem-01", "guess")}
    assert _get(anon, base + "voila/render/case-explorer.ipynb", forged)[0] == 302
    # DNS rebinding: a foreign name for this machine, a foreign page's Origin
    port = urllib.parse.urlparse(base).port
    for h in ({"Host": f"evil.example:{port}"}, {"Origin": "http://evil.example"}, {"Origin": "null"}):
        status, _, body = _get(anon, base + "login", h)
        assert status == 403, h
        assert "Traceback" not in body and "evil" not in body


def test_login_roles_errors_and_websockets(voila_server, logins):
    base = voila_server
    opener, _, status = _login(base, logins["analyst"][0], "wrong password")
    assert status == 403
    opener, jar, status = _login(base, *logins["analyst"])
    assert status == 302
    # an analyst: the aggregate dashboards, never the explorer (even with a forged header)
    forged = {ID.IDENTITY_HEADER: ID.sign_identity(logins["onem"][0], "guess")}
    assert _get(opener, base + "voila/render/case-explorer.ipynb", forged)[0] == 403
    status, _, body = _get(opener, base + "voila/render/nope.ipynb")
    assert status in (403, 404) and "Traceback" not in body and "nope" not in body.split("<h1>")[-1]
    status, _, page = _get(opener, base + "voila/render/policy-monitoring.ipynb")
    assert status == 200 and "Traceback" not in page
    kernel_id = re.search(r'"kernelId": "([0-9a-f-]{36})"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    port = urllib.parse.urlparse(base).port
    ws = f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels"

    async def handshake(headers, subprotocols):
        from tornado.httpclient import HTTPClientError, HTTPRequest
        from tornado.websocket import websocket_connect
        try:
            conn = await websocket_connect(HTTPRequest(ws, headers=headers), subprotocols=subprotocols)
        except HTTPClientError as e:
            return e.code
        except Exception as e:  # noqa: BLE001 - a refused handshake in any form
            return type(e).__name__
        conn.close()
        return 101

    def run(coro):
        # a thread of its own: the session's browser keeps an event loop in this one
        with concurrent.futures.ThreadPoolExecutor(1) as ex:
            return ex.submit(asyncio.run, coro).result()

    v1 = ["v1.kernel.websocket.jupyter.org"]
    same = {"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}
    assert run(handshake(same, v1)) == 101
    assert run(handshake({**same, "Origin": "http://evil.example"}, v1)) == 403
    assert run(handshake({**same, "Host": f"evil.example:{port}"}, v1)) == 403
    assert run(handshake(same, None)) == 400  # the legacy protocol
    assert run(handshake({"Origin": f"http://127.0.0.1:{port}"}, v1)) in (302, 403)  # no login
    q = f"ws://127.0.0.1:{port}/voila/query/{kernel_id}"
    ws = q
    assert run(handshake(same, None)) == 403  # a browser page may not read request info


# -- the server, in a browser ------------------------------------------------------------------

@pytest.mark.browser
def test_browser_refuses_anonymous_page_and_foreign_host(voila_server, browser, anonymous_page, logins):
    page = anonymous_page
    page.goto(f"{voila_server}voila/render/policy-monitoring.ipynb", timeout=60_000)
    assert "/login" in page.url
    assert page.locator("#password").count() == 1
    assert "a60-" not in page.content()
    # the same server under a foreign name resolving to this machine (DNS rebinding)
    port = urllib.parse.urlparse(voila_server).port
    b = browser.browser_type.launch(executable_path=CHROMIUM,
                                    args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"])
    try:
        pg = b.new_page()
        for path in ("login", "voila/render/policy-monitoring.ipynb"):
            r = pg.goto(f"http://evil.example:{port}/{path}", timeout=60_000)
            assert r.status == 403
            assert "password" not in pg.content() and "Traceback" not in pg.content()
    finally:
        b.close()
    # a wrong password: the form again, no session
    log_in(page, voila_server, logins["analyst"][0], "not the password")
    assert page.locator("#password").count() == 1
