"""Serve the dashboards with Voila on 127.0.0.1, on the bundled synthetic register.

``python -m art60kit.dashboards serve [--port 8866]`` (``scripts/serve-dashboards``):
prepares the register and the cache (:mod:`.prepare`), then runs the dashboards'
server (:mod:`.server`: Voila with a login) on the ``dashboards/`` folder with kernel
culling on, prints the address (and, for the synthetic register only, demo logins) and
stays in the foreground; Ctrl-C or SIGTERM stops Voila and its kernels.
``python -m art60kit.dashboards set-password USER`` gives a register user a password.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Optional, Sequence

from .labels import LANGS
from urllib.parse import parse_qs

from . import source

NOTEBOOKS = ("policy-monitoring", "reform-impact", "case-explorer")
HOST = "127.0.0.1"


def dashboards_dir() -> Path:
    return source.project_root() / "dashboards"


def requested_lang(default: str = "fr") -> str:
    """The ``lang`` query parameter of the page (Voila passes the query string to the
    kernel as ``QUERY_STRING``), else ``ART60KIT_LANG``, else French.

    >>> os.environ["QUERY_STRING"] = "lang=nl"; requested_lang()
    'nl'
    >>> os.environ["QUERY_STRING"] = ""; requested_lang()
    'fr'
    """
    q = parse_qs(os.environ.get("QUERY_STRING", ""))
    lang = (q.get("lang") or [os.environ.get("ART60KIT_LANG", default)])[0]
    return lang if lang in LANGS else default


def wait_for_request() -> None:
    """With preheated kernels, Voila runs the notebook before anyone asks for it; this
    pauses until a page request takes the kernel (its query string then set). Returns
    at once when kernels are not preheated. A pooled kernel first gives back the memory
    its start-up freed (:func:`release_memory`): it may wait a long time."""
    try:
        from voila.utils import wait_for_request as _wait
    except ImportError:  # outside Voila
        return
    if preheating():
        release_memory()
    _wait()


def release_memory() -> None:
    """Return the heap freed after reading the register and drawing to the system
    (glibc keeps it otherwise): a preheated kernel waiting in the pool holds only what
    its page needs. No effect where the C library has no ``malloc_trim``."""
    import ctypes
    import gc
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def preheating() -> bool:
    """Whether this kernel runs in Voila's pool of preheated kernels (its notebook run
    before any page request)."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
        return True


def first_free_port(port: int, tries: int = 50) -> int:
    """``port`` if free on 127.0.0.1, else the next free one (then any free one)."""
    for p in range(port, port + tries):
        if port_is_free(p):
            return p
    return free_port()


#: preheated kernels kept ready per dashboard: with three dashboards, 4 each serve 10
#: people opening a page at the same moment without a cold start (benchmarked)
POOL_SIZE = int(os.environ.get("ART60KIT_POOL_SIZE", "4"))
#: pages in use at once beyond the preheated pool (the server refuses more)
PAGES_IN_USE = 12
#: seconds before a used pooled kernel is replaced: a burst of openings is served
#: before the replacements compete for the processor
FILL_DELAY = 20


#: the dashboards' page template (folder ``templates`` of this package, found through
#: ``JUPYTER_PATH`` set by :mod:`.server`): Voila's lab page in the reader's language
#: from its first line (its loading sign too), with nothing moving while it loads and
#: nothing asked of other servers
TEMPLATE = "art60kit"
#: JupyterLab extensions installed beside Voila that a dashboard page does not use
#: (Voila's preview inside JupyterLab, code highlighting styles): left out of the page,
#: so the browser fetches and runs fewer scripts
UNUSED_EXTENSIONS = ("@voila-dashboards/jupyterlab-preview", "jupyterlab_pygments")
#: seconds Voila waits for a page's output once its kernel has finished the page: on a
#: busy machine (ten pages opening at once on two cores) the output of a case
#: explorer arrived more than 4 s (Voila's default) after, and the page stayed blank
OUTPUT_WAIT = 30


def voila_command(port: int, cull_idle_timeout: int = 600, cull_interval: int = 60,
                  folder: Optional[Path] = None, preheat: bool = True,
                  location: Optional[str] = None, pool_size: Optional[int] = None,
                  allowed_hosts: Sequence[str] = ()) -> list[str]:
    """The command line of the dashboards' server (:mod:`.server`: Voila with a login,
    Host/Origin checks, no tracebacks, bounded kernels). ``preheat`` keeps one kernel
    ``pool_size`` kernels per dashboard started, its data read and figures drawn before
    a page asks for it (Voila does not cull pooled kernels; a used one is replaced after
    :data:`FILL_DELAY` seconds), so a page opens in a second or two. ``allowed_hosts``:
    the public names of a reverse proxy in front of the server (the Host and Origin
    checks accept them besides 127.0.0.1 and localhost)."""
    from .identity import LOGINS_FILE
    n = POOL_SIZE if pool_size is None else pool_size
    extra = ["--preheat_kernel=True", f"--pool_size={n}",
             f"--VoilaKernelManager.fill_delay={FILL_DELAY}"] if preheat and n > 0 else []
    loc = source.register_location(location)
    return [
        sys.executable, "-m", "art60kit.dashboards.server", str(folder or dashboards_dir()),
        "--no-browser", f"--Voila.ip={HOST}", f"--port={port}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=True",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaConfiguration.template={TEMPLATE}",
        # one flag per item: a list given as one JSON value is deprecated by traitlets,
        # which then prints a warning to the person starting the server
        *(f"--VoilaConfiguration.extension_denylist={x}" for x in UNUSED_EXTENSIONS),
        f"--VoilaExecutor.iopub_timeout={OUTPUT_WAIT}",
        # the server talks to its kernels over Unix sockets in the user's own runtime
        # folder, not over TCP ports of the machine: no other account can reach a
        # kernel holding personal data (and no kernel warns that TCP is unencrypted)
        "--KernelManager.transport=ipc",
        f"--SecureVoila.logins_file={source.cache_dir(loc) / LOGINS_FILE}",
        f"--SecureVoila.register_location={loc}",
        # the server's kernel limit counts pooled kernels too: room for the pool's
        # kernels and their replacements besides the pages in use
        f"--SecureVoila.max_kernels={PAGES_IN_USE + 2 * len(NOTEBOOKS) * n if extra else PAGES_IN_USE}",
        *(f"--SecureVoila.allowed_hosts={h}" for h in allowed_hosts),
        *extra,
    ]


def start_voila(port: Optional[int] = None, env: Optional[dict] = None, cull_idle_timeout: int = 600,
                cull_interval: int = 60, log=None, wait: float = 60.0,
                preheat: bool = True, pool_size: Optional[int] = None) -> tuple[subprocess.Popen, str]:
    """Start the server in the background; return the process and the base URL once it
    answers (its login page)."""
    port = port or free_port()
    full_env = dict(os.environ, **(env or {}))
    cmd = voila_command(port, cull_idle_timeout, cull_interval, preheat=preheat,
                        location=full_env.get(source.REGISTER_ENV), pool_size=pool_size)
    proc = subprocess.Popen(cmd, env=full_env,
                            stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
                            cwd=str(source.project_root()), start_new_session=True)
    url = f"http://{HOST}:{port}/"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "login", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    stop_voila(proc)
    raise RuntimeError(f"voila did not answer on {url} within {wait:.0f} s")


def stop_voila(proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """SIGTERM Voila (it shuts its kernels down), wait; kill only if it hangs."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        # Ctrl-C while preparing: no traceback; what was written is complete or absent
        print("\nart60kit dashboards: interrupted", file=sys.stderr, flush=True)
        return 130


def _main(argv: Optional[Sequence[str]] = None) -> int:
    import argparse

    from .prepare import prepare

    p = argparse.ArgumentParser(prog="python -m art60kit.dashboards",
                                description="Dashboards of art60kit (Voila).")
    sub = p.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("serve", help="prepare the register and serve the dashboards on 127.0.0.1")
    sp.add_argument("--port", type=int, default=int(os.environ.get("ART60KIT_DASHBOARD_PORT", "8866")),
                    help="port on 127.0.0.1 (default 8866; the next free one when taken)")
    sp.add_argument("--cull-idle-timeout", type=int, default=600,
                    help="seconds after which an idle kernel is shut down (default 600)")
    sp.add_argument("--no-prepare", action="store_true", help="do not build the register or the cache")
    sp.add_argument("--no-preheat", action="store_true", help="start each dashboard's kernel on request only")
    sp.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                    help="public name of a reverse proxy in front of the server (repeatable)")
    sp.add_argument("--pool-size", type=int, default=POOL_SIZE,
                    help=f"preheated kernels kept ready per dashboard (default {POOL_SIZE}, "
                         "or $ART60KIT_POOL_SIZE)")
    pp = sub.add_parser("prepare", help="build the register (if missing) and the dashboards' cache")
    for x in (sp, pp):
        x.add_argument("--register", help="SQLite path or SQLAlchemy URL (default $ART60KIT_REGISTER "
                                          "or var/register.sqlite)")
        x.add_argument("--size", type=int, default=20_000, help="requests of a newly built register")
        x.add_argument("--reform-sample", default=None,
                       help="requests planned for the reform simulation: a number, or 'all' "
                            "(default $ART60KIT_REFORM_SAMPLE or all: every sent request)")
        x.add_argument("--processes", type=int, default=None)
    pp.add_argument("--force", action="store_true", help="rebuild the cache")
    pw = sub.add_parser("set-password", help="give a register user a dashboard password (asked twice)")
    pw.add_argument("user")
    pw.add_argument("--register", help="SQLite path or SQLAlchemy URL")
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    if a.register:
        os.environ[source.REGISTER_ENV] = a.register
    loc = source.register_location()
    if a.command == "set-password":
        return set_password(loc, a.user)
    sample = -1
    if a.reform_sample is not None:
        sample = None if a.reform_sample.lower() == "all" else int(a.reform_sample)
    from .. import compile as C
    if a.command == "prepare" or not a.no_prepare:
        prepare(loc, size=a.size, sample=sample, processes=a.processes,
                force=getattr(a, "force", False))
    if a.command == "prepare":
        C.finish_background()
        return 0
    try:
        return _serve(a, loc, t0)
    finally:
        # the population entry's compilation, if still going on when the server stops
        # (the next set-up compiles it again)
        C.stop_background()


def _serve(a, loc: str, t0: float) -> int:
    env = {source.REGISTER_ENV: loc}
    logins = _demo_logins(loc)
    port = first_free_port(a.port)
    if port != a.port:
        print(f"art60kit dashboards: port {a.port} is taken, using {port}", flush=True)
    print("art60kit dashboards: starting the server …", flush=True)
    t_server = time.perf_counter()
    # own session: Ctrl-C in the terminal reaches this process only, which then stops
    # Voila cleanly (SIGTERM), instead of every kernel printing a KeyboardInterrupt
    proc = subprocess.Popen(voila_command(port, a.cull_idle_timeout, min(60, max(5, a.cull_idle_timeout // 4)),
                                          preheat=not a.no_preheat, location=loc, pool_size=a.pool_size,
                                          allowed_hosts=a.allowed_host),
                            env=dict(os.environ, **env), cwd=str(source.project_root()), start_new_session=True)

    def on_term(signum, frame):
        # Unwind out of proc.wait() first: waiting again inside the handler would
        # block on the lock the interrupted wait holds.
        raise _Stop()

    signal.signal(signal.SIGTERM, on_term)
    try:
        base = _wait_answering(proc, port)
        if base is None:
            return proc.wait() or 1
        now = time.perf_counter()
        print(f"art60kit dashboards: server answering after {now - t_server:.0f} s "
              f"(set-up and server: {now - t0:.0f} s)", flush=True)
        print(f"art60kit dashboards: {base}  (login required)", flush=True)
        if logins:
            print("  demo logins, synthetic register only:", flush=True)
            for uid, role, pw in logins:
                print(f"    {role:<11} {uid:<24} {pw}", flush=True)
        for nb in NOTEBOOKS:
            print(f"  {base}voila/render/{nb}.ipynb   (Nederlands: ?lang=nl)", flush=True)
        print("Ctrl-C stops the dashboards.", flush=True)
        return proc.wait()
    except (KeyboardInterrupt, _Stop):
        print("\nart60kit dashboards: stopping …", flush=True)
        stop_voila(proc)
        return 0


def _wait_answering(proc: subprocess.Popen, port: int, wait: float = 120.0) -> Optional[str]:
    """The base URL once the server answers on ``port`` (so the printed address is the
    one served), None when it exited first."""
    url = f"http://{HOST}:{port}/"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return None
        try:
            with urllib.request.urlopen(url + "login", timeout=2) as r:
                if r.status == 200:
                    return url
        except OSError:
            time.sleep(0.3)
    return url


def _demo_logins(loc: str) -> list[tuple[str, str, str]]:
    """Demo logins of the bundled synthetic register (none for any other register;
    ``python -m art60kit.dashboards set-password USER`` gives a person a password)."""
    from .identity import demo_logins
    reg = source.open_register(loc)
    try:
        return demo_logins(reg, source.cache_dir(loc))
    finally:
        reg.close()


def set_password(loc: str, user_id: str) -> int:
    import getpass

    from .identity import LOGINS_FILE, Logins
    reg = source.open_register(loc)
    try:
        if not any(u.user_id == user_id for u in reg.users()):
            print(f"error: {user_id}: no such user in the register {loc}", file=sys.stderr)
            return 2
    finally:
        reg.close()
    pw = getpass.getpass(f"password for {user_id} (10 characters or more): ")
    if pw != getpass.getpass("again: "):
        print("error: the two passwords differ", file=sys.stderr)
        return 2
    try:
        Logins(source.cache_dir(loc) / LOGINS_FILE).set_password(user_id, pw)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


class _Stop(Exception):
    """SIGTERM received: stop Voila and leave."""
