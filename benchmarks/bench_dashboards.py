"""Dashboard timings on the bundled register: set-up, first render, filter update,
several viewers.

* **in-kernel** — building the dashboard object in a fresh Python process (register
  read through the API, aggregates, every figure) and one filter update, timed in
  Python: what the kernel spends;
* **browser** (``--browser``) — the dashboards' server on 127.0.0.1 with its pool of
  preheated kernels (``--pool-size`` per dashboard) and Debian chromium: the pool's
  readiness and each kernel's memory (resident and unique); ``--concurrent N`` pages
  (policy, reform, explorer in turn) opened at the same moment by N persons, from one
  chromium with a browser context per person and from a chromium process per person
  (``--browsers``), seconds from the request to the page ready (figures drawn, no
  loading sign) and the CPU seconds of the browsers (renderers, GPU process, the
  rest) and of the server — bounded by ``--timeout``, after which the pages not ready
  are reported as such; empty browsers, or returning viewers' (``--warm N``); then
  ``--updates`` filter changes on the policy page, from the change to the redrawn
  page (each marked whether that selection was drawn before in the page);

  Viewers' browsers run on their own machines; here they share the server's two
  cores. So the same N first opens are also made without a browser
  (:func:`server_opens`: the page, its scripts and styles, every widget's state from
  the kernel, as ten people at once): the server's own time to a usable page. The
  browsers run at the server's CPU priority (``--browser-nice 19``: the lowest, they
  then take only what every other process of the machine leaves). Each viewer is a
  different person of the register (:class:`ViewerLogins`);
* **one page alone** (``--alone N``) — each dashboard opened alone in an empty
  chromium, N times: the browser's CPU for one page (by kind of process), the
  server's, the requests and bytes; and the same pages as drawn with their scripts
  left out: what the content costs a browser, the rest being the front-end's
  (:func:`alone_opens`);
* **set-up** (``--build SIZE``) — what ``make dashboards`` does after installing: the
  synthetic register of SIZE requests, then the dashboards' cache (flags, reform
  simulation), wall and CPU seconds.

    python benchmarks/bench_dashboards.py [--register var/register.sqlite] [--browser] [--concurrent 10]
        [--pool-size 4] [--browsers both] [--warm 0] [--browser-nice 0] [--updates 20] [--alone 3] [--build 20000]
        [--out benchmarks/results/dashboards.jsonl]

Each record carries the date (UTC), the commit and the load average before and after:
the machine's other users make wall times noisy. The register must exist and be
prepared (``python -m art60kit.dashboards prepare``) for the in-kernel and browser runs.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KERNEL_SNIPPET = r"""
import json, sys, time
t0 = time.perf_counter()
which = sys.argv[1]
if which == "policy":
    from art60kit.dashboards.policy import PolicyDashboard as D
elif which == "reform":
    from art60kit.dashboards.reform_app import ReformDashboard as D
else:
    from art60kit.dashboards.explorer import CaseExplorer as D
t_import = time.perf_counter() - t0
if which == "explorer":
    from art60kit.dashboards import source
    d = D(source.service_session(source.open_register()), "fr")
else:
    d = D("fr")
t_first = time.perf_counter() - t0
t1 = time.perf_counter()
if which == "policy":
    d.w_region.value = [v for _, v in d.w_region.options][2]
    upd1 = time.perf_counter() - t1
    t1 = time.perf_counter()
    d.w_cpas.value = [v for _, v in d.w_cpas.options][1]
elif which == "reform":
    d.w_measure.value = "days_to_work"
    upd1 = time.perf_counter() - t1
    t1 = time.perf_counter()
    d.w_age.value = "50_plus"
else:
    d.w_query.value = d.index["request_id"].iloc[-1]
    upd1 = time.perf_counter() - t1
    t1 = time.perf_counter()
    d.w_show.value = "modified"
upd2 = time.perf_counter() - t1
print(json.dumps({"imports": t_import, "first_render": t_first, "update_1": upd1, "update_2": upd2}))
"""


def kernel_timings(register: str, which: str) -> dict:
    env = dict(os.environ, ART60KIT_REGISTER=register)
    out = subprocess.run([sys.executable, "-c", KERNEL_SNIPPET, which], env=env, cwd=str(ROOT),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SETTLED = ("(old) => { const d = document.querySelector('.a60-dashboard');"
           " const s = document.querySelector('.a60-status [data-selection]');"
           " return d && s && !d.classList.contains('a60-busy') && s.getAttribute('data-selection') !== old; }")
#: a page is ready once Voila's loading sign is gone and, the page not busy, its ``n``
#: figures are drawn (``n`` 0: the case explorer, once its first results are listed)
READY = ("(n) => !document.getElementById('loading') && document.querySelector('.a60-dashboard') !== null"
         " && !document.querySelector('.a60-dashboard').classList.contains('a60-busy')"
         " && (n ? document.querySelectorAll('svg.a60-figure').length >= n"
         " : document.querySelector('.a60-results select option') !== null)")
PAGES = (("policy-monitoring", 8), ("reform-impact", 3), ("case-explorer", 0))
#: the case explorer is usable once its first page of search results is listed
EXPLORER_READY = ".a60-results select option"


CHROMIUM = "/usr/bin/chromium"


def chromium_at(nice: int) -> str:
    """The chromium to launch: at the lowest CPU priority (``nice`` 19) through a small
    script in a temporary folder, so that the browsers of the benchmark (the viewers'
    side) take only the processor time the server leaves; ``nice`` 0: chromium itself."""
    if not nice:
        return CHROMIUM
    d = Path(tempfile.mkdtemp(prefix="art60kit-bench-chromium-"))
    w = d / "chromium"
    w.write_text(f'#!/bin/sh\nexec nice -n {int(nice)} {CHROMIUM} "$@"\n', encoding="utf-8")
    w.chmod(0o755)
    return str(w)


def _ws_pack(channel: str, msg_type: str, content: dict, session: str, metadata: Optional[dict] = None) -> bytes:
    """A kernel message in the websocket's ``v1.kernel.websocket.jupyter.org`` framing."""
    import uuid
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "",
              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "version": "5.3"}
    parts = [json.dumps(x).encode() for x in (header, {}, metadata or {}, content)]
    ch = channel.encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(ch))
    for x in parts:
        offsets.append(offsets[-1] + len(x))
    return b"".join([len(offsets).to_bytes(8, "little"), *(o.to_bytes(8, "little") for o in offsets), ch, *parts])


def _ws_unpack(b: bytes) -> tuple[str, dict, dict]:
    """(channel, header, content) of a v1 websocket frame."""
    n = int.from_bytes(b[:8], "little")
    off = [int.from_bytes(b[8 * (i + 1):8 * (i + 2)], "little") for i in range(n)]
    return b[off[0]:off[1]].decode(), json.loads(b[off[1]:off[2]]), json.loads(b[off[4]:off[5]])


async def server_open(base: str, login: tuple[str, str], page: str, timeout: float) -> dict:
    """What the server does for one first open, without a browser (a viewer's browser
    runs on their own machine): log in (not timed), then, timed, ask for the page (the
    server hands over a preheated kernel, which applies the page's address and
    language, and returns the page with the kernel's output), fetch the page's own
    scripts and styles it names, connect to the kernel's websocket and ask for every
    widget's state, as the page's widget manager does (ipywidgets' control comm,
    ``request_states``), until the kernel has sent them. Seconds: to the page
    (``page_s``), to every widget's state (``server_s``: the page is usable once the
    browser has drawn them), and the bytes of the first payload."""
    import re
    import uuid
    from http.cookies import SimpleCookie
    from urllib.parse import urlencode, urljoin

    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    client = AsyncHTTPClient(force_instance=True, max_clients=16)
    jar: dict[str, str] = {}

    def keep(resp) -> None:
        for c in resp.headers.get_list("Set-Cookie"):
            for k, m in SimpleCookie(c).items():
                jar[k] = m.value

    def cookies() -> str:
        return "; ".join(f"{k}={v}" for k, v in jar.items())

    async def fetch(url, **kw):
        r = await client.fetch(HTTPRequest(url, headers={"Cookie": cookies()}, follow_redirects=False,
                                           request_timeout=timeout, **kw), raise_error=False)
        keep(r)
        return r

    out: dict = {"page": page, "seconds": None, "outcome": "timeout"}
    try:
        await fetch(f"{base}login")
        body = urlencode({"_xsrf": jar.get("_xsrf", ""), "user": login[0], "password": login[1], "next": "/"})
        r = await fetch(f"{base}login", method="POST", body=body)
        if r.code != 302:
            out["outcome"] = f"login refused ({r.code})"
            return out
        t0 = time.perf_counter()
        r = await fetch(f"{base}voila/render/{page}.ipynb")
        html = r.body.decode("utf-8", "replace")
        out.update(page_s=round(time.perf_counter() - t0, 3), status=r.code, html_bytes=len(r.body))
        if r.code != 200:
            out["outcome"] = f"page {r.code}"
            return out
        assets = sorted(u for u in {urljoin(f"{base}voila/render/{page}.ipynb", u) for u in
                         re.findall(r'(?:src|href)="([^"#]+\.(?:js|css)[^"]*)"', html)} if u.startswith(base))
        got = [await fetch(u) for u in assets]
        out["asset_bytes"] = sum(len(x.body or b"") for x in got)
        cfg = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
        kernel = json.loads(cfg.group(1))["kernelId"]
        session = uuid.uuid4().hex
        ws = await websocket_connect(HTTPRequest(
            f"{base.replace('http', 'ws', 1)}api/kernels/{kernel}/channels?session_id={session}",
            headers={"Cookie": cookies()}, request_timeout=timeout),
            subprotocols=["v1.kernel.websocket.jupyter.org"], max_message_size=64 * 1024 * 1024)
        comm = uuid.uuid4().hex
        await ws.write_message(_ws_pack("shell", "comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control",
                                                               "data": {}}, session, {"version": "1.0.0"}),
                             binary=True)
        await ws.write_message(_ws_pack("shell", "comm_msg", {"comm_id": comm, "data": {"method": "request_states"}},
                                        session), binary=True)
        state_bytes = 0
        while True:
            m = await asyncio.wait_for(ws.read_message(), timeout)
            if m is None:
                out["outcome"] = "websocket closed"
                return out
            if isinstance(m, bytes):
                channel, header, content = _ws_unpack(m)
                if header.get("msg_type") == "comm_msg" and content.get("data", {}).get("method") == "update_states":
                    state_bytes = len(m)
                    break
        out.update(seconds=round(time.perf_counter() - t0, 3), outcome="ok", state_bytes=state_bytes,
                   widgets=len(content["data"].get("states", {})))
        ws.close()
    except Exception as exc:  # noqa: BLE001 - reported, never raised
        out["outcome"] = f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
    finally:
        client.close()
    return out


def server_opens(base: str, logins: list[tuple[str, str]], pages: list[tuple[str, int]], timeout: float = 120.0,
                 server_pid: Optional[int] = None, cpu: Optional[dict] = None) -> list[dict]:
    """:func:`server_open` for each page at the same moment (page i as person
    ``logins[i]``): the server's own time to every page's content, with no browser on
    the machine."""
    async def run() -> list[dict]:
        c0 = _tree_cpu(server_pid) if server_pid else 0.0
        t0 = time.perf_counter()
        res = await asyncio.gather(*(server_open(base, lg, name, timeout) for lg, (name, _) in zip(logins, pages)))
        if cpu is not None:
            cpu.update(seconds=round(time.perf_counter() - t0, 1), browser_cpu_s=0.0,
                       server_cpu_s=round((_tree_cpu(server_pid) if server_pid else 0.0) - c0, 1))
        return list(res)

    return asyncio.run(run())


def _demo_login(register: str, role: str = "onem") -> tuple[str, str]:
    from art60kit.dashboards import source
    from art60kit.dashboards.identity import demo_logins
    reg = source.open_register(register)
    try:
        return {r: (u, pw) for u, r, pw in demo_logins(reg, source.cache_dir(register))}[role]
    finally:
        reg.close()


class ViewerLogins:
    """``n`` different ONEM persons of the register (ONEM users open every dashboard),
    each given a random password for the run: ten viewers are ten people (the server
    caps the pages one person has open at once). The logins file is put back as it
    was at the end (a context manager)."""

    def __init__(self, register: str, n: int):
        self.register, self.n = register, n

    def __enter__(self) -> list[tuple[str, str]]:
        import secrets

        from art60kit.dashboards import source
        from art60kit.dashboards.identity import LOGINS_FILE, Logins
        self.path = source.cache_dir(self.register) / LOGINS_FILE
        self.saved = self.path.read_bytes() if self.path.exists() else None
        reg = source.open_register(self.register)
        try:
            people = sorted(u.user_id for u in reg.users() if u.role == "onem" and u.user_id != source.SERVICE_USER)
        finally:
            reg.close()
        if len(people) < self.n:
            raise SystemExit(f"the register has {len(people)} ONEM users, fewer than the {self.n} viewers asked")
        logins, out = Logins(self.path), []
        for uid in people[:self.n]:
            pw = secrets.token_urlsafe(12)
            logins.set_password(uid, pw)
            out.append((uid, pw))
        return out

    def __exit__(self, *exc) -> None:
        if self.saved is not None:
            tmp = self.path.with_suffix(".bench")
            tmp.write_bytes(self.saved)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)


def _log_in(pg, base: str, login: tuple[str, str]) -> None:
    pg.goto(f"{base}login", timeout=60_000)
    pg.fill("#user", login[0])
    pg.fill("#password", login[1])
    with pg.expect_navigation(timeout=60_000):
        pg.click("#login-submit")


def _ready(pg, n: int) -> None:
    if n:
        pg.wait_for_function(READY, arg=n, timeout=180_000)
    else:
        pg.wait_for_selector(".a60-results select option", timeout=180_000)


def filter_updates(base: str, b, login, n: int = 20) -> list[dict]:
    """Seconds from a filter change to the redrawn policy page (every figure, KPI and
    table of the new selection), ``n`` changes: each region, all regions again, then
    CPAS spread over the whole list; each change says whether that selection was drawn
    before in this page (``seen``: the kernel keeps the figures of a selection it
    drew), with the kernel's own wall and CPU seconds for it (the CPU seconds move
    less with the load of the machine's other users)."""
    ctx = b.new_context(viewport={"width": 1440, "height": 1000})
    pg = ctx.new_page()
    _log_in(pg, base, login)
    pg.goto(f"{base}voila/render/policy-monitoring.ipynb", timeout=180_000)
    _ready(pg, 8)
    regions = pg.eval_on_selector_all(".a60-filter-region select option", "os => os.map(o => o.value)")
    cpas = pg.eval_on_selector_all(".a60-filter-cpas select option", "os => os.map(o => o.value)")
    # each region, all again, then CPAS spread over the list (largest and smallest
    # alike): every step changes the view, and all but one ask for a selection the page
    # has not drawn yet
    steps = [(".a60-filter-region select", r) for r in regions[1:] + regions[:1]]
    others = cpas[1:]
    k = max(n - len(steps), 0)
    steps += [(".a60-filter-cpas select", others[(i * len(others)) // k]) for i in range(k)] if others and k else []
    seen = {(".a60-filter-region select", regions[0])}
    out = []
    for i in range(n):
        where, value = steps[i % len(steps)]
        old = pg.get_attribute(".a60-status [data-selection]", "data-selection")
        t0 = time.perf_counter()
        pg.select_option(where, value=value)
        pg.wait_for_function(SETTLED, arg=old, timeout=60_000)
        dt = time.perf_counter() - t0
        kernel = pg.get_attribute(".a60-status [data-seconds]", "data-seconds")
        cpu = pg.get_attribute(".a60-status [data-seconds]", "data-cpu-seconds")
        out.append({"seconds": dt, "seen": (where, value) in seen, "kernel_seconds": float(kernel) if kernel else None,
                    "kernel_cpu_seconds": float(cpu) if cpu else None,
                    "filter": "region" if "region" in where else "cpas"})
        seen.add((where, value))
    ctx.close()
    return out


def _browser_cpu(pid: int) -> dict[str, float]:
    """CPU seconds used so far by the chromium processes under ``pid``, by kind: the
    pages' renderers, the GPU process (it composes every frame drawn; software here)
    and the rest (each browser's main process, its network service)."""
    import psutil
    out = {"renderer": 0.0, "gpu": 0.0, "other": 0.0}
    try:
        procs = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return out
    for c in procs:
        try:
            cmd = " ".join(c.cmdline())
            if "chrom" not in cmd:
                continue
            kind = "renderer" if "--type=renderer" in cmd else "gpu" if "--type=gpu-process" in cmd else "other"
            t = c.cpu_times()
            out[kind] += t.user + t.system
        except psutil.Error:
            pass
    return out


def first_opens(base: str, logins: list[tuple[str, str]], pages: list[tuple[str, int]], timeout: float = 120.0,
                server_pid: Optional[int] = None, cpu: Optional[dict] = None, nice: int = 0,
                browsers: str = "contexts", warm: int = 0, refill=None) -> list[dict]:
    """Open ``pages`` at the same moment, page i logged in as person ``logins[i]``:
    ``browsers`` "contexts" — one chromium, a browser context (cookies, cache,
    renderer process) per person, as ten people on one machine; "processes" — a
    chromium of its own per person (its own browser, GPU and network processes), as
    ten people's machines. Chromium runs at CPU priority ``nice``. Seconds from the
    request to the page ready for each: its figures drawn (the policy page's 8, the
    reform page's 3, the explorer's first results listed), no loading sign left
    (Voila's, nor the page's busy state). Readiness is checked every 100 ms: polling
    on every animation frame, as Playwright does by default, makes each waiting page
    draw sixty frames a second, several seconds of the browser's processor time for
    ten pages, which no viewer's page spends.
    Bounded: after ``timeout`` seconds the pages not ready yet are reported as such
    (``seconds`` None, ``outcome`` "timeout") instead of waiting. ``warm``: each
    person has opened their page that many times before, one person after the other
    (not timed; then ``refill()`` waits for the server's pool): their browser has the
    page's scripts in its cache, and compiled, as a returning viewer's has; 0, the
    default: every browser starts empty. ``cpu`` receives
    the CPU seconds of the browsers (by kind of process, see :func:`_browser_cpu`)
    and of the server with its kernels while the pages open."""
    import asyncio

    from playwright.async_api import async_playwright

    async def run() -> list[dict]:
        async with async_playwright() as p:
            exe = chromium_at(nice)
            n_browsers = len(pages) if browsers == "processes" else 1
            brs = [await p.chromium.launch(executable_path=exe, args=ARGS) for _ in range(n_browsers)]
            try:
                ctxs = []
                for i, (login, _) in enumerate(zip(logins, pages)):  # log in first, one after the other: not timed
                    ctx = await brs[i % n_browsers].new_context(viewport={"width": 1440, "height": 1000})
                    pg = await ctx.new_page()
                    await pg.goto(f"{base}login", timeout=60_000)
                    await pg.fill("#user", login[0])
                    await pg.fill("#password", login[1])
                    async with pg.expect_navigation(timeout=60_000):
                        await pg.click("#login-submit")
                    ctxs.append(pg)
                for _ in range(warm):
                    for pg, (name, n) in zip(ctxs, pages):
                        await pg.goto(f"{base}voila/render/{name}.ipynb", timeout=timeout * 1000)
                        await pg.wait_for_function(READY, arg=n, timeout=timeout * 1000, polling=100)
                        await pg.goto("about:blank")
                    if refill is not None:
                        await asyncio.get_running_loop().run_in_executor(None, refill)
                out = [{"page": name, "seconds": None, "outcome": "timeout"} for name, _ in pages]
                # CPU of the browsers (this process's chromium) and of the server with its
                # kernels while the pages open: on one machine they share the cores
                c0 = (_browser_cpu(os.getpid()), _tree_cpu(server_pid) if server_pid else 0.0)
                t0 = time.perf_counter()

                async def one(i: int, pg, name: str, n: int) -> None:
                    try:
                        await pg.goto(f"{base}voila/render/{name}.ipynb", timeout=timeout * 1000)
                        await pg.wait_for_function(READY, arg=n, timeout=timeout * 1000, polling=100)
                        out[i].update(seconds=time.perf_counter() - t0, outcome="ok")
                    except Exception as exc:  # noqa: BLE001 - reported, never raised
                        out[i]["outcome"] = "timeout" if "Timeout" in type(exc).__name__ else \
                            f"error: {str(exc).splitlines()[0][:120]}"

                tasks = [asyncio.create_task(one(i, pg, name, n)) for i, (pg, (name, n)) in enumerate(zip(ctxs, pages))]
                await asyncio.wait(tasks, timeout=timeout)
                for t in tasks:
                    t.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                if cpu is not None:
                    c1 = _browser_cpu(os.getpid())
                    by_kind = {k: round(c1[k] - c0[0][k], 1) for k in c1}
                    cpu.update(seconds=round(time.perf_counter() - t0, 1),
                               browser_cpu_s=round(sum(c1[k] - c0[0][k] for k in c1), 1),
                               browser_cpu_by_kind=by_kind,
                               server_cpu_s=round((_tree_cpu(server_pid) if server_pid else 0.0) - c0[1], 1))
                if shots:
                    for i, pg in enumerate(ctxs[:3]):
                        await pg.screenshot(path=str(Path(shots) / f"first-open-{browsers}-{i}.png"))
                return out
            finally:
                for br in brs:
                    await br.close()

    shots = os.environ.get("ART60KIT_BENCH_SCREENSHOTS")
    return asyncio.run(run())


#: the drawn page, its scripts left out (a copy of the page's document once ready)
SNAPSHOT_JS = ("() => { const d = document.documentElement.cloneNode(true);"
               " d.querySelectorAll('script').forEach(s => s.remove()); return '<!DOCTYPE html>' + d.outerHTML; }")


def alone_opens(register: str, rounds: int, timeout: float = 120.0, settle: float = 240.0) -> dict:
    """Each dashboard opened alone (``?lang=nl``), ``rounds`` times, each time in a new,
    empty chromium, nothing else opening (the server's pool of one kernel per dashboard
    full and idle first): seconds to the page ready and the CPU seconds of the browser
    (by kind of process, :func:`_browser_cpu`) and of the server; the number of
    requests and bytes the page asked for. Then the same pages as drawn, their scripts
    left out (a copy of the ready page's document, its style sheets still the
    server's), opened in a new chromium: what drawing the content alone costs a
    browser, the least any front-end would spend on it."""
    import asyncio

    from playwright.async_api import async_playwright

    from art60kit.dashboards.serve import NOTEBOOKS, start_voila, stop_voila

    out: dict = {"rounds": rounds, "pages": [], "content_only": []}
    proc, base = start_voila(env={"ART60KIT_REGISTER": register}, cull_idle_timeout=30, cull_interval=5,
                             pool_size=1, wait=120)
    tmp = Path(tempfile.mkdtemp(prefix="art60kit-bench-pages-"))

    async def run(login) -> None:
        async with async_playwright() as p:
            refill = Refill(proc, 1, len(NOTEBOOKS), settle)
            for r in range(rounds):
                for k, (name, n) in enumerate(PAGES):
                    if r or k:  # the previous page's kernel replaced, the pool idle again
                        refill()
                    br = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                    try:
                        pg = await (await br.new_context(viewport={"width": 1440, "height": 1000})).new_page()
                        await pg.goto(f"{base}login", timeout=60_000)
                        await pg.fill("#user", login[0])
                        await pg.fill("#password", login[1])
                        async with pg.expect_navigation(timeout=60_000):
                            await pg.click("#login-submit")
                        asked: list = []
                        pg.on("requestfinished", lambda q: asked.append(q))
                        await asyncio.sleep(1.0)
                        c0, s0, t0 = _browser_cpu(os.getpid()), _tree_cpu(proc.pid), time.perf_counter()
                        await pg.goto(f"{base}voila/render/{name}.ipynb?lang=nl", timeout=timeout * 1000)
                        await pg.wait_for_function(READY, arg=n, timeout=timeout * 1000, polling=100)
                        dt = time.perf_counter() - t0
                        c1, s1 = _browser_cpu(os.getpid()), _tree_cpu(proc.pid)
                        sizes = [max((await q.sizes())["responseBodySize"], 0) for q in asked]
                        out["pages"].append({"page": name, "seconds": round(dt, 3),
                                             "browser_cpu_s": round(sum(c1[k] - c0[k] for k in c1), 3),
                                             "browser_cpu_by_kind": {k: round(c1[k] - c0[k], 3) for k in c1},
                                             "server_cpu_s": round(s1 - s0, 3), "requests": len(asked),
                                             "bytes": sum(sizes)})
                        if r == 0:
                            html = (await pg.evaluate(SNAPSHOT_JS)).replace('href="/', f'href="{base}')
                            (tmp / f"{name}.html").write_text(html, encoding="utf-8")
                    finally:
                        await br.close()
            for r in range(rounds):
                for name, n in PAGES:
                    br = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                    try:
                        pg = await (await br.new_context(viewport={"width": 1440, "height": 1000})).new_page()
                        await pg.goto("about:blank")
                        await asyncio.sleep(1.0)
                        c0, t0 = _browser_cpu(os.getpid()), time.perf_counter()
                        await pg.goto((tmp / f"{name}.html").as_uri(), timeout=timeout * 1000)
                        await pg.wait_for_function(
                            "(n) => n ? document.querySelectorAll('svg.a60-figure').length >= n"
                            " : document.querySelector('.a60-results select option') !== null", arg=n, polling=100)
                        await pg.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                        dt = time.perf_counter() - t0
                        c1 = _browser_cpu(os.getpid())
                        out["content_only"].append({"page": name, "seconds": round(dt, 3),
                                                    "browser_cpu_s": round(sum(c1[k] - c0[k] for k in c1), 3),
                                                    "browser_cpu_by_kind": {k: round(c1[k] - c0[k], 3) for k in c1}})
                    finally:
                        await br.close()

    try:
        wait_pool_ready(proc, len(NOTEBOOKS), settle)
        with ViewerLogins(register, 1) as viewers:
            asyncio.run(run(viewers[0]))
    finally:
        stop_voila(proc)
    return out


def kernel_memory(proc) -> list[dict]:
    """Memory of each kernel process started by the server: resident (``rss_mb``) and
    unique to it (``uss_mb``: what stopping it would give back; pages of the Python
    libraries shared with other kernels are not counted)."""
    import psutil
    mem = []
    for c in psutil.Process(proc.pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(c.cmdline()) or "dashboards.kernel" in " ".join(c.cmdline()):
                m = c.memory_full_info()
                mem.append({"rss_mb": round(m.rss / 1e6, 1), "uss_mb": round(m.uss / 1e6, 1)})
        except psutil.Error:
            pass
    return mem


def _tree_cpu(pid: int, name: str = "") -> float:
    """CPU seconds used so far by the processes under ``pid`` (whose command line holds
    ``name``, when given), the process itself included."""
    import psutil
    total = 0.0
    try:
        top = psutil.Process(pid)
        procs = [top] + top.children(recursive=True)
    except psutil.Error:
        return 0.0
    for c in procs:
        try:
            if name and name not in " ".join(c.cmdline()):
                continue
            t = c.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _kernels_busy(proc) -> float:
    """CPU seconds the server's kernels used in the last second (0 when all idle)."""
    import psutil
    ks = [c for c in psutil.Process(proc.pid).children(recursive=True)]
    before = {}
    for c in ks:
        try:
            t = c.cpu_times()
            before[c.pid] = t.user + t.system
        except psutil.Error:
            pass
    time.sleep(1.0)
    used = 0.0
    for c in ks:
        try:
            t = c.cpu_times()
            used += t.user + t.system - before.get(c.pid, t.user + t.system)
        except psutil.Error:
            pass
    return used


def wait_pages_closed(proc, kernels: int, limit: float) -> float:
    """Wait until no more than ``kernels`` kernels run (the pages of a round closed,
    their kernels culled), at most ``limit`` seconds; returns the seconds waited."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit and len(kernel_memory(proc)) > kernels:
        time.sleep(1.0)
    return time.perf_counter() - t0


def _kernel_pids(proc) -> set[int]:
    """Process ids of the server's kernels."""
    import psutil
    out = set()
    for c in psutil.Process(proc.pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(c.cmdline()) or "dashboards.kernel" in " ".join(c.cmdline()):
                out.add(c.pid)
        except psutil.Error:
            pass
    return out


def wait_replaced(proc, before: set[int], used: int, kernels: int, limit: float) -> float:
    """After a round that took ``used`` kernels from the pool: wait until the server has
    started that many new kernels (the pool's replacements, begun the server's fill
    delay after each was taken) and runs no more than ``kernels`` in all (the round's
    pages closed, their kernels culled), at most ``limit`` seconds; returns the seconds
    waited. Counting kernels alone is not enough: right after a round the used kernels,
    idle, make the count of a full pool, and the replacements then start during the
    next round."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        now = _kernel_pids(proc)
        if len(now - before) >= used and len(now) <= kernels:
            break
        time.sleep(1.0)
    return time.perf_counter() - t0


class Refill:
    """``refill()`` after each pass of opens (``used`` pages) waits for the pool to be
    replaced and idle again (:func:`wait_replaced`, :func:`wait_pool_ready`)."""

    def __init__(self, proc, used: int, kernels: int, limit: float):
        self.proc, self.used, self.kernels, self.limit = proc, used, kernels, limit
        self.before = _kernel_pids(proc)

    def __call__(self) -> float:
        w = wait_replaced(self.proc, self.before, self.used, self.kernels, self.limit)
        w += wait_pool_ready(self.proc, self.kernels, self.limit)
        self.before = _kernel_pids(self.proc)
        return w


def wait_pool_ready(proc, kernels: int, limit: float, quiet: int = 5) -> float:
    """Wait until the server runs ``kernels`` kernels and they have been idle for
    ``quiet`` consecutive seconds (their notebooks run: data read, figures drawn), at
    most ``limit`` seconds; returns the seconds waited."""
    t0 = time.perf_counter()
    calm = 0
    while time.perf_counter() - t0 < limit and calm < quiet:
        if len(kernel_memory(proc)) >= kernels and _kernels_busy(proc) < 0.05:
            calm += 1
        else:
            calm = 0
            time.sleep(0.5)
    return time.perf_counter() - t0


def browser_timings(register: str, updates: int, concurrent: int, pool_size: int, settle: float,
                    timeout: float = 120.0, nice: int = 0, server_side: bool = True,
                    browsers: tuple[str, ...] = ("contexts",), warm: int = 0) -> dict:
    from playwright.sync_api import sync_playwright

    from art60kit.dashboards.serve import NOTEBOOKS, start_voila, stop_voila

    res: dict = {}
    login = _demo_login(register)
    t0 = time.perf_counter()
    # a page's kernel is shut down 30 s after its page closed and it went idle, so each
    # round of opens meets the server as the first did: its pool full, no page open
    proc, base = start_voila(env={"ART60KIT_REGISTER": register}, cull_idle_timeout=30, cull_interval=5,
                             pool_size=pool_size, wait=120)
    res["server_answers_s"] = round(time.perf_counter() - t0, 2)
    try:
        # the pool's kernels read the register and draw first (bounded wait)
        res["pool_ready_s"] = round(res["server_answers_s"] + wait_pool_ready(proc, pool_size * len(NOTEBOOKS), settle), 1)
        res["pool_kernels"] = kernel_memory(proc)
        before = _kernel_pids(proc)
        if concurrent and server_side:
            # the server's own time: the same first opens with no browser on the machine
            mix = [PAGES[i % 3] for i in range(concurrent)]
            cpu = {}
            with ViewerLogins(register, concurrent) as viewers:
                res["concurrent_server_opens"] = server_opens(base, viewers, mix, timeout, proc.pid, cpu)
            res["concurrent_server_cpu"] = cpu
        for k, mode in enumerate(browsers if concurrent else ()):
            if k or (concurrent and server_side):
                # the previous round's pages closed and their kernels shut down, the pool
                # refilled (a used kernel is replaced after the server's delay)
                res[f"pool_refilled_before_{mode}_s"] = round(
                    wait_replaced(proc, before, concurrent, pool_size * len(NOTEBOOKS), settle)
                    + wait_pool_ready(proc, pool_size * len(NOTEBOOKS), settle), 1)
                before = _kernel_pids(proc)
            mix = [PAGES[i % 3] for i in range(concurrent)]
            cpu: dict = {"load_average_before": [round(x, 2) for x in os.getloadavg()]}
            with ViewerLogins(register, concurrent) as viewers:
                opens = first_opens(base, viewers, mix, timeout, proc.pid, cpu, nice, mode, warm,
                                    Refill(proc, concurrent, pool_size * len(NOTEBOOKS), settle))
            cpu["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
            key = "concurrent_first_opens" if mode == "contexts" else f"concurrent_first_opens_{mode}"
            res[key] = opens
            res[key.replace("first_opens", "cpu")] = cpu
            res["browser_nice"] = nice
            res["browsers_warm"] = warm
            res["kernels_after_opens"] = kernel_memory(proc)
            wait_pool_ready(proc, 0, settle)
        if updates:
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                try:
                    res["filter_updates"] = filter_updates(base, b, login, updates)
                finally:
                    b.close()
    finally:
        stop_voila(proc)
    return res


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _cpu() -> float:
    """CPU seconds of this process and of its finished child processes (the worker
    processes of a build): a figure the other users of the machine disturb less than
    wall time."""
    import resource
    me, ch = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime


def build_timings(size: int) -> dict:
    """The set-up ``make dashboards`` runs after installing, in a temporary folder: the
    synthetic register (generation and planning with the population engine, then
    loading), then the dashboards' cache (the register read through its API for the
    flags, the reform simulation). Wall and CPU seconds of each step."""
    import tempfile

    from art60kit.dashboards import prepare as P
    from art60kit.register import build_register

    out: dict = {"size": size}
    with tempfile.TemporaryDirectory(prefix="art60kit-bench-") as tmp:
        reg = str(Path(tmp) / "register.sqlite")
        t, c = time.perf_counter(), _cpu()
        rep = build_register(reg, size=size)
        out["register"] = {"wall_s": round(time.perf_counter() - t, 1), "cpu_s": round(_cpu() - c, 1),
                           "generate_and_plan_s": rep.seconds_generate, "load_s": rep.seconds_load,
                           "versions": rep.versions, "audit_entries": rep.audit_entries}
        t, c = time.perf_counter(), _cpu()
        P.prepare(reg, size=size)
        meta = json.loads((Path(tmp) / "register.dashboards" / "reform_impact.json").read_text())
        out["cache"] = {"wall_s": round(time.perf_counter() - t, 1), "cpu_s": round(_cpu() - c, 1),
                        "reform_simulation_s": meta.get("seconds"), "planned": meta.get("planned")}
    return out


def _summary(r: dict, pool: int) -> None:
    m = r.get("pool_kernels") or []
    if m:
        rss = [x["rss_mb"] for x in m]
        uss = [x["uss_mb"] for x in m]
        print(f"server answered in {r['server_answers_s']} s; pool ready after {r.get('pool_ready_s')} s: "
              f"{len(m)} kernels ({pool} per dashboard), memory per kernel: resident median "
              f"{statistics.median(rss):.0f} MB (max {max(rss):.0f}), unique median {statistics.median(uss):.0f} MB "
              f"(max {max(uss):.0f}), unique total {sum(uss):.0f} MB")
    else:
        print("no kernel found")
    for key, what in (("concurrent_first_opens", "one chromium, a browser context per person"),
                      ("concurrent_first_opens_processes", "a chromium process per person")):
        if key not in r:
            continue
        o = r[key]
        ok = [x["seconds"] for x in o if x["seconds"] is not None]
        print(f"  {len(o)} pages opened at once ({what}, CPU priority nice {r.get('browser_nice', 0)}, "
              + (f"browsers warm: each page opened {r['browsers_warm']} times before" if r.get("browsers_warm")
                 else "empty browsers") + "): "
              f"{len(ok)} ready"
              + (f", median {statistics.median(ok):.2f} s, worst {max(ok):.2f} s" if ok else "")
              + (f"; not ready: {', '.join(x['page'] + ' (' + x['outcome'] + ')' for x in o if x['seconds'] is None)}"
                 if len(ok) < len(o) else "")
              + "  [" + ", ".join(f"{x['page'].split('-')[0]} {x['seconds']:.1f}" if x["seconds"] is not None
                                 else f"{x['page'].split('-')[0]} -" for x in o) + "]")
        c = r.get(key.replace("first_opens", "cpu")) or {}
        if c:
            print(f"    CPU while they opened ({c['seconds']} s, load average {c.get('load_average_before')} -> "
                  f"{c.get('load_average_after')}): browser {c['browser_cpu_s']} s {c.get('browser_cpu_by_kind', {})}, "
                  f"server and kernels {c['server_cpu_s']} s (2 cores: at most {2 * c['seconds']:.0f} s in all)")
    if "concurrent_server_opens" in r:
        o = r["concurrent_server_opens"]
        ok = [x["seconds"] for x in o if x["seconds"] is not None]
        pg = [x["page_s"] for x in o if x.get("page_s") is not None]
        c = r.get("concurrent_server_cpu") or {}
        print(f"  without a browser (the server's own time), {len(o)} at once: {len(ok)} with every widget's state"
              + (f", median {statistics.median(ok):.2f} s, worst {max(ok):.2f} s (the page alone: median "
                 f"{statistics.median(pg):.2f} s, worst {max(pg):.2f} s)" if ok and pg else "")
              + (f"; not: {', '.join(x['page'] + ' (' + x['outcome'] + ')' for x in o if x['seconds'] is None)}"
                 if len(ok) < len(o) else "")
              + "  [" + ", ".join(f"{x['page'].split('-')[0]} {x['seconds']:.1f}" if x["seconds"] is not None
                                 else f"{x['page'].split('-')[0]} -" for x in o) + "]"
              + (f"; server and kernels {c.get('server_cpu_s')} s CPU" if c else ""))
        b = [x.get("html_bytes", 0) + x.get("asset_bytes", 0) + x.get("state_bytes", 0) for x in o if x["seconds"]]
        if b:
            print(f"  first payload per page (page, its scripts and styles, widget states): median "
                  f"{statistics.median(b) / 1e6:.1f} MB")
    if "filter_updates" in r:
        u = r["filter_updates"]
        t = [x["seconds"] for x in u]
        new = [x["seconds"] for x in u if not x["seen"]]
        k = [x["kernel_seconds"] for x in u if x.get("kernel_seconds") is not None]
        c = [x["kernel_cpu_seconds"] for x in u if x.get("kernel_cpu_seconds") is not None]
        print(f"  policy filter update in chromium ({len(t)} changes): median {statistics.median(t):.3f} s, "
              f"worst {max(t):.3f} s"
              + (f" (in the kernel: median {statistics.median(k):.3f} s, worst {max(k):.3f} s)" if k else "")
              + (f" (kernel CPU: median {statistics.median(c):.3f} s, worst {max(c):.3f} s)" if c else "")
              + (f"; selections not drawn before in the page ({len(new)}): median {statistics.median(new):.3f} s, "
                 f"worst {max(new):.3f} s" if new else ""))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", default=os.environ.get("ART60KIT_REGISTER", str(ROOT / "var" / "register.sqlite")))
    ap.add_argument("--browser", action="store_true", help="filter updates and concurrent first opens in chromium")
    ap.add_argument("--updates", type=int, default=20)
    ap.add_argument("--concurrent", type=int, default=10)
    ap.add_argument("--pool-size", type=int, default=None)
    ap.add_argument("--browser-nice", type=int, default=0,
                    help="CPU priority of the benchmark's chromium for the concurrent opens (0: as the server, "
                         "the default; 19: lowest, the browsers take what every other process leaves)")
    ap.add_argument("--warm", type=int, default=0, metavar="N",
                    help="each viewer has opened their page N times before the timed opens (their browser's "
                         "cache holds the page's scripts, compiled): returning viewers; default 0, empty browsers")
    ap.add_argument("--browsers", choices=("contexts", "processes", "both"), default="both",
                    help="the concurrent opens from one chromium with a browser context per person, from a "
                         "chromium process per person, or both in turn (default)")
    ap.add_argument("--settle", type=float, default=240.0,
                    help="longest wait for the pool's kernels to be ready (seconds)")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="the concurrent opens stop after this many seconds, reporting the pages not ready")
    ap.add_argument("--no-server-side", action="store_true",
                    help="skip the concurrent first opens without a browser (the server's own time)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--alone", type=int, default=0, metavar="N",
                    help="also open each dashboard alone in an empty chromium, N times, and its drawn content "
                         "without scripts: the browser's CPU for one page, and for its content alone")
    ap.add_argument("--no-kernel", action="store_true")
    ap.add_argument("--build", type=int, default=0, metavar="SIZE",
                    help="also time building a register of SIZE requests and its dashboards' cache")
    ap.add_argument("--out", default=None, help="append the figures (JSON) to this file")
    a = ap.parse_args()
    if "://" not in a.register:  # a file: the server's kernels run in another folder
        a.register = str(Path(a.register).resolve())
    if not Path(a.register).exists() and not a.build:
        print(f"no register at {a.register}: run scripts/serve-dashboards or python -m art60kit.dashboards prepare",
              file=sys.stderr)
        return 2
    print(f"register: {a.register}")
    record: dict = {"register": a.register, "when": time.strftime("%Y-%m-%d %H:%M", time.gmtime()) + " UTC",
                    "commit": _commit(), "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    if a.build:
        b = build_timings(a.build)
        record["build"] = b
        r, c = b["register"], b["cache"]
        print(f"register of {a.build} requests: {r['wall_s']} s wall, {r['cpu_s']} s CPU (generated and planned in "
              f"{r['generate_and_plan_s']} s, loaded in {r['load_s']} s); dashboards' cache: {c['wall_s']} s wall, "
              f"{c['cpu_s']} s CPU (reform simulation of {c['planned']} requests {c['reform_simulation_s']} s)")
    if not a.no_kernel and Path(a.register).exists():
        print("in-kernel (fresh process; seconds): first render includes imports and the register read")
        for which in ("policy", "reform", "explorer"):
            runs = [kernel_timings(a.register, which) for _ in range(a.repeat)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            record[f"kernel_{which}"] = med
            print(f"  {which:9s} imports {med['imports']:.2f}  first render {med['first_render']:.2f}  "
                  f"filter update {med['update_1']:.2f} / {med['update_2']:.2f}   (median of {a.repeat})")
    if a.browser:
        from art60kit.dashboards.serve import POOL_SIZE
        pool = POOL_SIZE if a.pool_size is None else a.pool_size
        r = browser_timings(a.register, a.updates, a.concurrent, pool, a.settle, a.timeout, a.browser_nice,
                            not a.no_server_side,
                            ("contexts", "processes") if a.browsers == "both" else (a.browsers,), a.warm)
        record["browser"] = r
        record["pool_size"] = pool
        _summary(r, pool)
    if a.alone:
        al = alone_opens(a.register, a.alone, a.timeout, a.settle)
        record["alone"] = al
        for key, what in (("pages", "alone, empty chromium"), ("content_only", "content only, no script")):
            for name, _ in PAGES:
                xs = [x for x in al[key] if x["page"] == name]
                cpu = [x["browser_cpu_s"] for x in xs]
                ren = [x["browser_cpu_by_kind"]["renderer"] for x in xs]
                print(f"  {name} {what}: browser CPU median {statistics.median(cpu):.2f} s "
                      f"({min(cpu):.2f}-{max(cpu):.2f}; renderer {statistics.median(ren):.2f} s), ready after "
                      f"{statistics.median(x['seconds'] for x in xs):.2f} s"
                      + (f", {xs[0]['requests']} requests, {xs[0]['bytes'] / 1e6:.2f} MB, server CPU "
                         f"{statistics.median(x['server_cpu_s'] for x in xs):.2f} s" if key == "pages" else ""))
    record["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"load average before {record['load_average_before']}, after {record['load_average_after']} "
          f"(2 cores shared: figures are noisy)")
    if a.out:
        with open(a.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
