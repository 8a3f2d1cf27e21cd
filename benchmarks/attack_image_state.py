"""Replay of the image-widget memory attack against the dashboards' server.

``python benchmarks/attack_image_state.py [--seconds 60] [--register PATH] [--out FILE]``

Once, a client speaking the legacy (unnamed) kernel websocket protocol that asked for
an image widget's state again and again made the Voila process grow 25-30 MB a second
until it stopped answering and ignored SIGTERM. This script starts the dashboards'
server (:mod:`art60kit.dashboards.server`) on 127.0.0.1 on a small synthetic register,
logs in as the demo ONEM user, opens the case explorer (it holds image widgets), and:

1. tries the legacy protocol (expected: refused before the handshake, 400);
2. with the current protocol, sends ``request_state`` for every image widget as fast
   as it can without reading any answer, for ``--seconds``, reconnecting each time the
   server closes the websocket (a persistent attacker);
3. samples every second the resident memory of the server process and of its kernels;
4. stops, waits, then sends SIGTERM and times the server's exit.

It prints and appends to ``--out`` (default ``benchmarks/results/image_state_attack.txt``):
messages sent, connections the server closed, peak and final memory of the server and
of the kernels, and the seconds SIGTERM took. Exit 1 if the server grew beyond
``--max-growth-mb`` or did not stop within 20 s of SIGTERM.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import http.cookiejar
import json
import os
import re
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


def _get(opener, url, data=None):
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=600) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def login(base, user, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    _, body = _get(opener, base + "login")
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', body).group(1)
    status, _ = _get(opener, base + "login",
                     urllib.parse.urlencode({"_xsrf": xsrf, "user": user, "password": password, "next": "/"}).encode())
    assert status == 302, status
    return opener, "; ".join(f"{c.name}={c.value}" for c in jar)


async def image_models(ws_url: str, cookie: str, origin: str) -> list[str]:
    """Model ids of the page's image widgets, found as the page itself would: the
    kernel's open comms (``comm_info_request``), then each one's state."""
    from jupyter_client.session import Session
    from jupyter_server.services.kernels.connection.base import (deserialize_msg_from_ws_v1,
                                                                 serialize_msg_to_ws_v1)
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    session = Session()
    conn = await websocket_connect(HTTPRequest(ws_url, headers={"Cookie": cookie, "Origin": origin}),
                                   subprotocols=["v1.kernel.websocket.jupyter.org"])

    async def send(msg_type, content):
        msg = session.msg(msg_type, content)
        parts = [json.dumps(msg[k], default=str).encode() for k in ("header", "parent_header", "metadata", "content")]
        await conn.write_message(serialize_msg_to_ws_v1(parts, "shell"), binary=True)

    async def replies(until: float):
        while time.monotonic() < until:
            try:
                raw = await asyncio.wait_for(conn.read_message(), max(0.1, until - time.monotonic()))
            except asyncio.TimeoutError:
                return
            if raw is None:
                return
            _, parts = deserialize_msg_from_ws_v1(raw)
            yield json.loads(parts[0]), json.loads(parts[3])

    try:
        await send("comm_info_request", {"target_name": "jupyter.widget"})
        comms = {}
        async for header, content in replies(time.monotonic() + 60):
            if header.get("msg_type") == "comm_info_reply":
                comms = content.get("comms", {})
                break
        for cid in comms:
            await send("comm_msg", {"comm_id": cid, "data": {"method": "request_state"}})
        images = []
        async for header, content in replies(time.monotonic() + 30):
            state = (content.get("data") or {}).get("state") or {}
            if header.get("msg_type") == "comm_msg" and state.get("_model_name") == "ImageModel":
                images.append(content["comm_id"])
        return sorted(set(images))
    finally:
        conn.close()


def rss_mb(proc: psutil.Process) -> tuple[float, float]:
    """(server, kernels) resident memory in MB."""
    try:
        server = proc.memory_info().rss / 2 ** 20
        kids = sum(c.memory_info().rss for c in proc.children(recursive=True)) / 2 ** 20
        return server, kids
    except psutil.Error:
        return float("nan"), float("nan")


def raw_websocket(port: int, path: str, cookie: str, origin: str, protocol):
    """A websocket opened by hand on a plain socket (so that nothing ever reads what
    the server sends after the handshake): (socket, HTTP status of the handshake)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    head = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nCookie: {cookie}\r\nOrigin: {origin}\r\n"
            + (f"Sec-WebSocket-Protocol: {protocol}\r\n" if protocol else "") + "\r\n")
    s.sendall(head.encode())
    got = b""
    while b"\r\n\r\n" not in got:
        c = s.recv(1)
        if not c:
            break
        got += c
    return s, int(got.split()[1]) if got else 0


def frame(payload: bytes) -> bytes:
    """A masked binary websocket frame (RFC 6455, 5.2)."""
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        head = bytes([0x82, 0x80 | n])
    elif n < 65536:
        head = bytes([0x82, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x82, 0x80 | 127]) + n.to_bytes(8, "big")
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def flood(port, path, cookie, origin, models, seconds, stats):
    """Ask for the image widgets' state without ever reading, reconnecting when closed."""
    from jupyter_client.session import Session
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    session = Session()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            s, status = raw_websocket(port, path, cookie, origin, "v1.kernel.websocket.jupyter.org")
        except OSError:
            stats["refused"] = stats.get("refused", 0) + 1
            time.sleep(0.5)
            continue
        if status != 101:
            stats["refused"] = stats.get("refused", 0) + 1
            stats["last_refusal"] = status
            s.close()
            time.sleep(0.5)
            continue
        stats["connections"] += 1
        try:
            while time.monotonic() < end:
                for mid in models:
                    msg = session.msg("comm_msg", {"comm_id": mid, "data": {"method": "request_state"}})
                    parts = [json.dumps(msg[k], default=str).encode()
                             for k in ("header", "parent_header", "metadata", "content")]
                    s.sendall(frame(serialize_msg_to_ws_v1(parts, "shell")))
                    stats["sent"] += 1
        except OSError:
            stats["closed_by_server"] += 1
        finally:
            s.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--register", help="a prepared register (default: a new 300-request one in a temporary folder)")
    ap.add_argument("--max-growth-mb", type=float, default=300.0)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "image_state_attack.txt"))
    a = ap.parse_args(argv)

    from art60kit.dashboards import source
    from art60kit.dashboards.identity import demo_logins
    from art60kit.dashboards.serve import start_voila, stop_voila

    tmp = tempfile.mkdtemp(prefix="a60-attack-")
    reg = a.register
    if reg is None:
        from art60kit.dashboards.prepare import prepare
        from art60kit.register import build_register
        reg = str(Path(tmp) / "register.sqlite")
        build_register(reg, size=300, processes=1)
        prepare(reg, sample=50, processes=1)
    r = source.open_register(reg)
    try:
        logins = {role: (uid, pw) for uid, role, pw in demo_logins(r, source.cache_dir(reg))}
    finally:
        r.close()
    log = open(Path(tmp) / "voila.log", "wb")
    proc, base = start_voila(env={source.REGISTER_ENV: reg}, log=log, preheat=False, cull_idle_timeout=600)
    server = psutil.Process(proc.pid)
    port = urllib.parse.urlparse(base).port
    origin = f"http://127.0.0.1:{port}"
    samples = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append((time.monotonic(), *rss_mb(server)))
            stop.wait(1.0)

    try:
        opener, cookie = login(base, *logins["onem"])
        status, page = _get(opener, base + "voila/render/case-explorer.ipynb")
        assert status == 200, status
        kernel_id = re.search(r'"kernelId": "([0-9a-f-]{36})"', page).group(1)
        path = f"/api/kernels/{kernel_id}/channels"
        models = asyncio.run(image_models(f"ws://127.0.0.1:{port}{path}", cookie, origin))
        assert models, "no image widget in the case explorer's page"
        time.sleep(3)
        before = rss_mb(server)
        ls, legacy = raw_websocket(port, path, cookie, origin, None)
        ls.close()
        threading.Thread(target=sample, daemon=True).start()
        stats = {"sent": 0, "connections": 0, "closed_by_server": 0}
        t0 = time.monotonic()
        flood(port, path, cookie, origin, models, a.seconds, stats)
        attack_s = time.monotonic() - t0
        time.sleep(5)
        after = rss_mb(server)
        answers = _get(opener, base + "login")[0]
        stop.set()
        peak_server = max(s[1] for s in samples) if samples else float("nan")
        peak_kernels = max(s[2] for s in samples) if samples else float("nan")
        t1 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
            term_s = time.monotonic() - t1
        except Exception:  # noqa: BLE001 - did not stop: measured as a failure
            term_s = float("inf")
    finally:
        stop.set()
        stop_voila(proc)
        log.close()
    growth = peak_server - before[0]
    ok = growth <= a.max_growth_mb and term_s <= 20 and legacy == 400 and answers == 200
    line = (f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: legacy protocol -> {legacy}; "
            f"{stats['sent']} request_state messages for {len(models)} image widgets in {attack_s:.0f} s over "
            f"{stats['connections']} websocket connections ({stats['closed_by_server']} closed, "
            f"{stats.get('refused', 0)} refused); server RSS {before[0]:.0f} MB before, peak {peak_server:.0f} MB, "
            f"{after[0]:.0f} MB 5 s after (growth {growth:+.0f} MB, bound {a.max_growth_mb:.0f}); kernels "
            f"{before[1]:.0f} MB before, peak {peak_kernels:.0f} MB; server answered after: {answers}; "
            f"SIGTERM -> exit in {term_s:.1f} s; {'OK' if ok else 'FAILED'}")
    print(line)
    with open(a.out, "a", encoding="utf-8") as f:
        f.write(line + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
