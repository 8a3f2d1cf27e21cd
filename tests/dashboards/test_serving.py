"""Serving the dashboards: the printed address is the one that answers, and Ctrl-C while
a kernel is computing stops the server and every kernel without a traceback."""
from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest

from art60kit.dashboards import serve


def _taken_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    return s, s.getsockname()[1]


def test_ctrl_c_while_a_kernel_computes_prints_no_traceback(dashboard_register):
    psutil = pytest.importorskip("psutil")
    blocker, port = _taken_port()  # the asked port is taken: the next one must be printed
    lines: list[str] = []
    proc = subprocess.Popen(
        [sys.executable, "-m", "art60kit.dashboards", "serve", "--no-prepare", "--port", str(port),
         "--pool-size", "1", "--register", dashboard_register],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        cwd=str(serve.source.project_root()))
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("(login required)" in x for x in lines):
            assert proc.poll() is None, "".join(lines)
            time.sleep(0.2)
        address = next(x for x in lines if "(login required)" in x).split()[2]
        assert address != f"http://127.0.0.1:{port}/"
        with socket.create_connection(("127.0.0.1", int(address.rsplit(":", 1)[1].strip("/"))), timeout=5):
            pass  # the printed address answers
        # the preheated kernel runs its dashboard now: wait until one is computing
        family = psutil.Process(proc.pid).children(recursive=True)
        kernels = [p for p in family if "dashboards.kernel" in " ".join(p.cmdline())]
        assert kernels
        busy = False
        for _ in range(60):
            if any(k.cpu_percent(interval=0.2) > 20 for k in kernels):
                busy = True
                break
        assert busy, "no kernel was computing"
        # the server talks to its kernels over Unix sockets in a folder of its own
        import json
        for k in kernels:
            cmd = k.cmdline()
            info = json.loads(open(cmd[cmd.index("-f") + 1], encoding="utf-8").read())
            assert info["transport"] == "ipc" and os.path.isabs(info["ip"])
            assert os.stat(os.path.dirname(info["ip"])).st_mode & 0o077 == 0  # the user's alone
            sock = f"{info['ip']}-{info['shell_port']}"
            for _ in range(300):  # a kernel still starting has not bound its sockets yet
                if os.path.exists(sock):
                    break
                time.sleep(0.2)
            assert stat.S_ISSOCK(os.stat(sock).st_mode)
        family = psutil.Process(proc.pid).children(recursive=True)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
        assert proc.wait(timeout=60) == 0
    finally:
        blocker.close()
        # on a failure, stop everything it started: Voila runs in a session of its own,
        # outside the command's process group
        try:
            started = psutil.Process(proc.pid).children(recursive=True)
        except psutil.Error:
            started = []
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for p in started:
            try:
                p.kill()
            except psutil.Error:
                pass
    reader.join(timeout=10)
    out = "".join(lines)
    assert "Traceback" not in out and "KeyboardInterrupt" not in out, out
    assert "stopping" in out
    time.sleep(1)

    def alive(p) -> bool:
        try:
            return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False
    left = [p for p in family if alive(p)]
    assert not left, f"still running after Ctrl-C: {[' '.join(p.cmdline())[:80] for p in left]}"


def test_a_reverse_proxys_name_reaches_the_servers_host_checks():
    """``serve --allowed-host NAME`` (several servers behind a proxy): the server started
    with that command line accepts the name in Host, and still refuses any other."""
    from art60kit.dashboards.server import SecureVoila, host_allowed

    cmd = serve.voila_command(8866, allowed_hosts=["dashboards.example.be", "dash2.example.be"])
    opts = [c for c in cmd if c.startswith("--SecureVoila.allowed_hosts=")]
    app = SecureVoila()
    app.parse_command_line(opts)
    allowed = frozenset(h.lower() for h in app.allowed_hosts)
    assert host_allowed("dashboards.example.be:443", allowed)
    assert host_allowed("dash2.example.be", allowed)
    assert not host_allowed("evil.example:8866", allowed)
    assert not any("allowed_hosts" in c for c in serve.voila_command(8866))


def test_a_pages_configuration_leaves_out_unused_plugins_and_carries_the_loading_text(monkeypatch):
    """What the server adds to every page's configuration: the front-end plugins a
    dashboard does not use (the formula typesetter first) disabled, besides those the
    installation disables; the loading sign's text in each language of the catalog; the
    language of an address without one."""
    from art60kit.dashboards.labels import LANGS, label
    from art60kit.dashboards.server import UNUSED_PLUGINS, page_config

    monkeypatch.delenv("ART60KIT_LANG", raising=False)
    base = {"baseUrl": "/", "disabledExtensions": {"some/extension": True, "other/extension": False}}
    cfg = page_config(base, base_url="/", settings={}, log=None, voila_configuration=None, notebook_path="x")
    assert "@jupyterlab/mathjax-extension" in cfg["disabledExtensions"]
    assert set(UNUSED_PLUGINS) | {"some/extension"} == set(cfg["disabledExtensions"])
    assert "@jupyterlab/javascript-extension" not in cfg["disabledExtensions"]  # the page's own script
    assert cfg["art60kitLoading"] == {lang: label("loading", lang) for lang in LANGS}
    assert cfg["art60kitLoading"]["nl"] != cfg["art60kitLoading"]["en"]
    assert cfg["art60kitLang"] == "fr" and cfg["baseUrl"] == "/"
    assert base["disabledExtensions"] == {"some/extension": True, "other/extension": False}  # not changed
    monkeypatch.setenv("ART60KIT_LANG", "de")
    assert page_config({}, notebook_path="x")["art60kitLang"] == "de"
    monkeypatch.setenv("ART60KIT_LANG", "xx")
    assert page_config({}, notebook_path="x")["art60kitLang"] == "fr"
