"""A page's kernel is its person's, and no person can take the server's kernels.

Against a real server on 127.0.0.1 with two logged-in people (an ONEM user and a CPAS
agent), over raw HTTP and websocket clients: a kernel id learnt from someone else's
page opens neither its websocket (so nothing can be executed or read on it) nor its
state nor its shutdown, and the answer is the one for a kernel that does not exist;
each person has at most ``max_kernels_per_person`` pages open and the server at most
``max_kernels`` kernels, each limit answered with its own page.

The server serves a one-cell notebook under a dashboard's name (the checks are the
server's, whatever the notebook; a real dashboard would only make the test slower).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from art60kit.dashboards import source
from art60kit.dashboards.serve import free_port, stop_voila, voila_command

from .test_security import _get, _login

NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
               "source": ["import os\n", "print('page of', os.getpid())"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                 "language_info": {"name": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}
PER_PERSON, TOTAL = 2, 3


@pytest.fixture(scope="module")
def small_server(dashboard_register, logins, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    for name in ("policy-monitoring", "reform-impact"):
        (folder / f"{name}.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    port = free_port()
    cmd = voila_command(port, cull_idle_timeout=600, cull_interval=60, folder=folder, preheat=False,
                        location=dashboard_register)
    cmd = [c for c in cmd if not c.startswith("--SecureVoila.max_kernels=")]
    cmd += [f"--SecureVoila.max_kernels_per_person={PER_PERSON}", f"--SecureVoila.max_kernels={TOTAL}"]
    log = open(folder / "voila.log", "wb")
    proc = subprocess.Popen(cmd, env=dict(os.environ, **{source.REGISTER_ENV: dashboard_register}),
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert proc.poll() is None, (folder / "voila.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(base + "login", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        yield base
    finally:
        stop_voila(proc)
        log.close()


def _open_page(opener, base, name="policy-monitoring"):
    status, _, body = _get(opener, f"{base}voila/render/{name}.ipynb")
    m = re.search(r'"kernelId": "([0-9a-f-]{36})"', body)
    return status, (m.group(1) if m else None), body


def _cookie(jar):
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _xsrf(jar):
    return next((c.value for c in jar if c.name == "_xsrf"), "")


def _run(coro):
    with concurrent.futures.ThreadPoolExecutor(1) as ex:
        return ex.submit(asyncio.run, coro).result()


async def _kernel_info(url, cookie, origin):
    """Connect to a kernel's websocket and ask for kernel_info: 'reply' when the kernel
    answered, else the HTTP status of the refused handshake."""
    from jupyter_client.session import Session
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    try:
        conn = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookie, "Origin": origin}),
                                       subprotocols=["v1.kernel.websocket.jupyter.org"])
    except HTTPClientError as e:
        return e.code
    try:
        from jupyter_server.services.kernels.connection.base import (deserialize_msg_from_ws_v1,
                                                                     serialize_msg_to_ws_v1)
        msg = Session().msg("kernel_info_request")
        msg["channel"] = "shell"
        parts = [json.dumps(msg[k], default=str).encode() for k in ("header", "parent_header", "metadata", "content")]
        await conn.write_message(serialize_msg_to_ws_v1(parts, "shell"), binary=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(conn.read_message(), 60)
            if raw is None:
                return "closed"
            channel, parts = deserialize_msg_from_ws_v1(raw)
            if json.loads(parts[0]).get("msg_type") == "kernel_info_reply":
                return "reply"
        return "no reply"
    finally:
        conn.close()


def test_kernels_belong_to_their_person_and_are_capped(small_server, logins):
    base = small_server
    port = urllib.parse.urlparse(base).port
    origin = f"http://127.0.0.1:{port}"
    onem, onem_jar, s1 = _login(base, *logins["onem"])
    agent, agent_jar, s2 = _login(base, *logins["cpas_agent"])
    assert s1 == s2 == 302

    # the ONEM user opens pages up to their limit; one more is refused, saying why
    mine = []
    for _ in range(PER_PERSON):
        status, kid, _ = _open_page(onem, base)
        assert status == 200 and kid
        mine.append(kid)
    t = time.monotonic()
    status, kid, body = _open_page(onem, base, "reform-impact")
    assert status == 429 and kid is None
    assert f"{PER_PERSON} pages" in body and "Traceback" not in body
    assert time.monotonic() - t < 30

    # the other person still gets a page (the per-person limit is not the server's) ...
    status, theirs, _ = _open_page(agent, base)
    assert status == 200 and theirs and theirs not in mine
    # ... until the server's own limit
    status, kid, body = _open_page(agent, base)
    assert status == 503 and kid is None and "Traceback" not in body

    # a kernel answers its owner only
    ws = f"ws://127.0.0.1:{port}/api/kernels/{{}}/channels"
    assert _run(_kernel_info(ws.format(mine[0]), _cookie(onem_jar), origin)) == "reply"
    assert _run(_kernel_info(ws.format(theirs), _cookie(agent_jar), origin)) == "reply"
    assert _run(_kernel_info(ws.format(mine[0]), _cookie(agent_jar), origin)) == 404
    assert _run(_kernel_info(ws.format(theirs), _cookie(onem_jar), origin)) == 404
    # the same answer as for a kernel that does not exist
    assert _run(_kernel_info(ws.format("00000000-0000-4000-8000-000000000000"), _cookie(agent_jar), origin)) == 404

    api = f"{base}api/kernels/{mine[1]}"
    xsrf = {"X-XSRFToken": _xsrf(agent_jar), "Origin": origin}
    status, _, body = _get(agent, api)
    assert status == 404 and mine[1] not in body
    assert _get(onem, api)[0] == 200
    # neither shutdown route stops another person's kernel
    for url, method in ((api, "DELETE"), (f"{base}voila/api/shutdown/{mine[1]}", "POST")):
        req = urllib.request.Request(url, method=method, headers=xsrf, data=b"" if method == "POST" else None)
        try:
            with agent.open(req, timeout=60) as r:
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        assert code == 404, (url, method)
    assert _get(onem, api)[0] == 200  # still running

    # the owner closes a page (as the browser does on leaving it): a new page is theirs again
    req = urllib.request.Request(f"{base}voila/api/shutdown/{mine[0]}", method="POST", data=b"",
                                 headers={"X-XSRFToken": _xsrf(onem_jar), "Origin": origin})
    with onem.open(req, timeout=60) as r:
        assert r.status == 204
    status, kid, _ = _open_page(onem, base, "reform-impact")
    assert status == 200 and kid and kid not in mine
