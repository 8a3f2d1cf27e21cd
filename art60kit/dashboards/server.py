"""The dashboards' web server: Voila with a login, Host and Origin checks, no tracebacks,
the current kernel protocol only, and bounded kernels.

``python -m art60kit.dashboards.server <folder> [--port N] [--logins FILE] [--register LOC]
[--allowed-host NAME ...] [--kernel-memory-mb N] [--max-kernels N]`` runs
:class:`SecureVoila` (Voila 0.5's standalone server, subclassed); :mod:`.serve` builds
that command. What it adds to Voila, request by request:

* **Host and Origin.** A request whose ``Host`` is not one of the server's names
  (127.0.0.1, localhost, ``--allowed-host``) is refused with 403: a page on a foreign
  domain that resolves to this machine (DNS rebinding) gets nothing. A request with an
  ``Origin`` naming another site is refused too, the kernel websocket included.
* **Login.** Every page, API call and websocket needs a login (``/login``: user id and
  password checked against the scrypt hashes of ``logins.json``, see
  :mod:`.identity`); the session cookie is signed, HTTP-only, same-site strict and
  lasts :data:`SESSION_HOURS`. The person must exist in the register, whose role
  decides which dashboards open (:data:`.identity.DASHBOARD_ROLES`): an analyst who
  asks for the case explorer gets 403 before any kernel starts.
* **Identity to the kernel.** The server removes any ``X-Art60kit-Identity`` header a
  client sent and sets its own, signed (:func:`.identity.sign_identity`); Voila
  passes it to the kernel, which verifies it before reading the register as that
  person. No query parameter or client header can choose who a kernel reads as.
* **No tracebacks.** Voila runs with ``show_tracebacks`` off and tornado with
  ``serve_traceback`` off; every error page is a short generic one (the details go to
  the server's log).
* **Kernel websocket.** Only the current Jupyter kernel protocol
  (``v1.kernel.websocket.jupyter.org``) is accepted; a client asking for the legacy
  protocol is refused before the handshake (on the legacy protocol, a client asking
  for an image widget's state made the server grow until it stopped answering).
  Incoming websocket messages are limited to :data:`MAX_WS_MESSAGE` bytes. The
  ``voila/query`` socket a preheated kernel uses to learn its request answers only
  local connections without an ``Origin`` (kernels, not browsers).
* **Bounded kernels.** Each kernel runs under an address-space limit
  (``--kernel-memory-mb``, :mod:`.kernel`), idle kernels are culled, and no new page
  starts a kernel once ``--max-kernels`` are running (503).

Behind an institution's identity provider (e.g. JupyterHub with its authenticator)
the same server runs as a JupyterHub service or with ``--allowed-host`` set to the
public name behind a reverse proxy; the login step is then the provider's and this
module's Host/Origin checks, identity signing and kernel limits stay (see
``dashboards/README.md``).
"""
from __future__ import annotations

import asyncio
import html
import inspect
import ipaddress
import json
import os
import re
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import urlparse

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.base.handlers import JupyterHandler
from tornado import web
from traitlets import Float, Int, List, Unicode
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler

from . import identity as ID
from .kernel import ARGV as KERNEL_ARGV
from .labels import label

#: The kernel websocket protocol accepted (the legacy, unnamed one is refused).
KERNEL_WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: Largest websocket message a client may send (widget state changes are small).
MAX_WS_MESSAGE = 4 * 1024 * 1024
#: Largest request body (the login form).
MAX_BODY = 64 * 1024
SESSION_HOURS = 8.0
COOKIE = "art60kit-session"
#: Failed logins for one user id within LOCKOUT_SECONDS before further tries are refused.
MAX_FAILURES = 10
LOCKOUT_SECONDS = 900
#: Paths served without a login (the page's scripts, styles and fonts; no data).
PUBLIC_PREFIXES = ("voila/static/", "voila/templates/", "voila/labextensions/", "voila/api/themes/",
                   "static/", "login", "logout")


@dataclass
class Art60kitUser(User):
    """A logged-in person: the register's user id, role and CPAS."""

    role: str = ""
    cpas_nis: Optional[str] = None


def _hostname(host: str) -> str:
    """``Host`` header -> lower-case name without port or IPv6 brackets."""
    m = re.match(r"^(\[[^\]]*\]|[^:]*)(:\d+)?$", host.strip())
    name = (m.group(1) if m else host).lower()
    return name[1:-1] if name.startswith("[") and name.endswith("]") else name


def host_allowed(host: Optional[str], allowed: frozenset[str]) -> bool:
    """Whether a ``Host`` header names this server: a loopback address or one of the
    ``allowed`` names (never a name merely resolving to this machine).

    >>> A = frozenset({"localhost"})
    >>> host_allowed("127.0.0.1:8866", A), host_allowed("localhost:8866", A), host_allowed("[::1]:80", A)
    (True, True, True)
    >>> host_allowed("evil.example:8866", A), host_allowed(None, A), host_allowed("10.0.0.5:8866", A)
    (False, False, False)
    """
    if not host:
        return False
    name = _hostname(host)
    if name in allowed:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def origin_allowed(origin: Optional[str], allowed: frozenset[str]) -> bool:
    """Whether an ``Origin`` header is this server's (absent: not a browser page, allowed).

    >>> A = frozenset({"localhost"})
    >>> origin_allowed(None, A), origin_allowed("http://127.0.0.1:8866", A)
    (True, True)
    >>> origin_allowed("http://evil.example:8866", A), origin_allowed("null", A)
    (False, False)
    """
    if origin is None:
        return True
    p = urlparse(origin.strip())
    if p.scheme not in ("http", "https") or not p.netloc:
        return False
    return host_allowed(p.netloc, allowed)


def _generic_error(handler: web.RequestHandler, status_code: int) -> None:
    """A short page in the three languages; never the exception or a traceback."""
    if status_code == 403:
        key = "server.forbidden"
    elif status_code == 503:
        key = "server.busy"
    elif status_code == 404:
        key = "server.not_found"
    else:
        key = "server.error"
    text = " / ".join(html.escape(label(key, lang)) for lang in ("fr", "nl", "de", "en"))
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    handler.finish(f"<!doctype html><meta charset='utf-8'><title>{status_code}</title>"
                   f"<h1>{status_code}</h1><p>{text}</p>")


def _policy(handler) -> "Policy":
    return handler.settings["art60kit_policy"]


@dataclass(frozen=True)
class Policy:
    """What the server accepts; built by :class:`SecureVoila` from its options."""

    allowed_hosts: frozenset[str]
    secret: str
    max_kernels: int


def _check_host_origin(handler) -> None:
    pol = _policy(handler)
    if not host_allowed(handler.request.headers.get("Host"), pol.allowed_hosts):
        raise web.HTTPError(403, "host not allowed")
    if not origin_allowed(handler.request.headers.get("Origin"), pol.allowed_hosts):
        raise web.HTTPError(403, "origin not allowed")


def _relpath(handler) -> str:
    base = handler.settings.get("base_url", "/")
    path = handler.request.path
    return path[len(base):] if path.startswith(base) else path.lstrip("/")


class _Guard:
    """Mixed in front of every Jupyter handler Voila installs."""

    async def prepare(self, *args, **kwargs):
        _check_host_origin(self)
        # a client never chooses the identity a kernel receives
        if ID.IDENTITY_HEADER in self.request.headers:
            del self.request.headers[ID.IDENTITY_HEADER]
        if self.request.headers.get("Upgrade", "").lower() == "websocket" and "/channels" in self.request.path:
            offered = [p.strip() for p in self.request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
            if KERNEL_WS_PROTOCOL not in offered:
                raise web.HTTPError(400, "legacy kernel protocol refused")
        r = super().prepare(*args, **kwargs)
        if inspect.isawaitable(r):
            r = await r
        if self._finished:
            return r
        rel = _relpath(self)
        if rel.startswith(PUBLIC_PREFIXES):
            return r
        user = self.current_user
        if not isinstance(user, Art60kitUser):
            raise web.HTTPError(403, "login required")
        m = re.match(r"^voila/render/(.+?\.ipynb)$", rel)
        if m:
            if not ID.may_open(user.role, Path(m.group(1)).name):
                raise web.HTTPError(403, "role may not open this dashboard")
            km = self.settings.get("kernel_manager")
            if km is not None and len(km.list_kernel_ids()) >= _policy(self).max_kernels:
                raise web.HTTPError(503, "too many kernels")
        self.request.headers[ID.IDENTITY_HEADER] = ID.sign_identity(user.username, _policy(self).secret)
        return r

    def write_error(self, status_code: int, **kwargs) -> None:
        _generic_error(self, status_code)

    def get_compression_options(self):
        return None


class _StaticGuard:
    """Mixed in front of plain tornado file handlers: Host/Origin always; a login for
    anything that is not the page's own scripts and styles."""

    async def prepare(self, *args, **kwargs):
        _check_host_origin(self)
        if not _relpath(self).startswith(PUBLIC_PREFIXES):
            user = self.settings["identity_provider"].get_user(self)
            if inspect.isawaitable(user):
                user = await user
            if user is None:
                raise web.HTTPError(403, "login required")
        r = super().prepare(*args, **kwargs)
        if inspect.isawaitable(r):
            r = await r
        return r

    def write_error(self, status_code: int, **kwargs) -> None:
        _generic_error(self, status_code)


class _KernelQueryGuard:
    """The socket a preheated kernel reads its request from: local, non-browser only."""

    def prepare(self, *args, **kwargs):
        _check_host_origin(self)
        if self.request.headers.get("Origin") is not None:
            raise web.HTTPError(403, "browsers may not read request info")
        try:
            local = ipaddress.ip_address(self.request.remote_ip).is_loopback
        except ValueError:
            local = False
        if not local:
            raise web.HTTPError(403, "local kernels only")
        return super().prepare(*args, **kwargs)

    def write_error(self, status_code: int, **kwargs) -> None:
        _generic_error(self, status_code)


def guarded(cls):
    """``cls`` with the guard that fits it (see the module doc)."""
    if issubclass(cls, RequestInfoSocketHandler):
        base = _KernelQueryGuard
    elif issubclass(cls, JupyterHandler):
        base = _Guard
    else:
        base = _StaticGuard
    return type(f"Guarded{cls.__name__}", (base, cls), {})


# -- login ---------------------------------------------------------------------------------

def _lang_of(handler) -> str:
    q = handler.get_argument("lang", "")
    if q in ("fr", "nl", "de", "en"):
        return q
    accept = handler.request.headers.get("Accept-Language", "").lower()
    for part in accept.split(","):
        code = part.strip()[:2]
        if code in ("fr", "nl", "de", "en"):
            return code
    return "fr"


def _safe_next(handler, value: str) -> str:
    """Only a path of this server (no scheme, no host, no ``//``)."""
    base = handler.settings.get("base_url", "/")
    if not value or not value.startswith(base) or value.startswith("//") or "\\" in value:
        return base
    p = urlparse(value)
    return base if (p.scheme or p.netloc) else value


class LoginHandler(JupyterHandler):
    """``/login``: a form (user id, password); on success a signed session cookie."""

    _failures: dict[str, list[float]] = {}

    def _page(self, lang: str, message: str = "") -> str:
        tx = lambda k: html.escape(label(k, lang))  # noqa: E731
        nxt = html.escape(_safe_next(self, self.get_argument("next", "")), quote=True)
        msg = f"<p class='err' role='alert'>{html.escape(message)}</p>" if message else ""
        return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{tx('login.title')}</title><meta name="viewport" content="width=device-width">
<style>body{{font-family:sans-serif;max-width:26em;margin:4em auto;color:#222}}
label{{display:block;margin:.8em 0 .2em}}input{{width:100%;padding:.4em;font-size:1em}}
button{{margin-top:1em;padding:.5em 1.5em;font-size:1em}}.err{{color:#a00}}small{{color:#555}}</style>
</head><body><h1>{tx('login.title')}</h1>{msg}
<form method="post" action="{html.escape(self.settings.get('base_url', '/'))}login?lang={lang}">
{self.xsrf_form_html()}<input type="hidden" name="next" value="{nxt}">
<label for="user">{tx('login.user')}</label><input id="user" name="user" autocomplete="username" required>
<label for="password">{tx('login.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="login-submit">{tx('login.submit')}</button></form>
<p><small>{tx('login.note')}</small></p></body></html>"""

    @allow_unauthenticated
    def get(self):
        self.set_header("Cache-Control", "no-store")
        self.finish(self._page(_lang_of(self)))

    @allow_unauthenticated
    async def post(self):
        lang = _lang_of(self)
        user_id = self.get_body_argument("user", "").strip()[:200]
        password = self.get_body_argument("password", "")[:1024]
        now = time.monotonic()
        recent = [t for t in self._failures.get(user_id, []) if now - t < LOCKOUT_SECONDS]
        provider: Art60kitIdentityProvider = self.identity_provider
        person = None
        if len(recent) < MAX_FAILURES:
            person = await asyncio.get_running_loop().run_in_executor(
                None, provider.authenticate, user_id, password)
        if person is None:
            recent.append(now)
            self._failures[user_id] = recent
            await asyncio.sleep(1.0)  # slows guessing; the same answer for every failure
            self.set_status(403)
            self.log.warning("art60kit: login refused for %r", user_id)
            self.finish(self._page(lang, label("login.failed", lang)))
            return
        self._failures.pop(user_id, None)
        value = json.dumps({"u": person.username, "n": person.name, "r": person.role,
                            "c": person.cpas_nis, "t": int(time.time())})
        self.set_secure_cookie(COOKIE, value, expires_days=None, httponly=True, samesite="Strict",
                               secure=self.request.protocol == "https")
        self.log.info("art60kit: %s logged in (%s)", person.username, person.role)
        self.redirect(_safe_next(self, self.get_body_argument("next", "")))


class LogoutHandler(JupyterHandler):
    @allow_unauthenticated
    def get(self):
        self.clear_cookie(COOKIE)
        self.redirect(self.settings.get("base_url", "/") + "login")


class Art60kitIdentityProvider(IdentityProvider):
    """Logins checked against ``logins_file``; role and CPAS read from the register."""

    logins_file = Unicode("", config=True, help="logins.json with the password hashes")
    register_location = Unicode("", config=True, help="the register (path or URL)")
    session_hours = Float(SESSION_HOURS, config=True)

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    def get_handlers(self):
        return [(r"/login", LoginHandler), (r"/logout", LogoutHandler)]

    def get_user(self, handler):
        raw = handler.get_secure_cookie(COOKIE, max_age_days=self.session_hours / 24 + 0.01)
        if not raw:
            return None
        try:
            d = json.loads(raw)
            if time.time() - int(d["t"]) > self.session_hours * 3600:
                return None
            return Art60kitUser(username=d["u"], name=d["n"], display_name=d["n"],
                                role=d["r"], cpas_nis=d.get("c"))
        except (ValueError, KeyError, TypeError):
            return None

    def authenticate(self, user_id: str, password: str) -> Optional[Art60kitUser]:
        """The person if the password is theirs and the register knows them."""
        ok = ID.Logins(Path(self.logins_file)).check(user_id, password)
        if not ok:
            return None
        from ..register import Register
        reg = Register.open(self.register_location, planner=None, validator=None)
        try:
            u = next((u for u in reg.users() if u.user_id == user_id), None)
        finally:
            reg.close()
        if u is None or u.role not in ("analyst", "onem", "cpas_agent"):
            return None
        return Art60kitUser(username=u.user_id, name=u.name, display_name=u.name,
                            role=u.role, cpas_nis=u.cpas_nis)

    def validate_security(self, app, ssl_options=None):
        return None


class SecureVoila(Voila):
    """Voila with the checks of the module doc."""

    allowed_hosts = List(Unicode(), [], config=True,
                         help="names of this server besides 127.0.0.1 and localhost (behind a proxy)")
    logins_file = Unicode("", config=True)
    register_location = Unicode("", config=True)
    max_kernels = Int(12, config=True, help="no new page once this many kernels run")

    def initialize(self, argv=None):
        super().initialize(argv)
        self.identity_provider_class = Art60kitIdentityProvider
        self.voila_configuration.show_tracebacks = False
        self.voila_configuration.http_header_envs = [ID.IDENTITY_HEADER]

    def init_settings(self):
        self.config.Art60kitIdentityProvider.logins_file = self.logins_file
        self.config.Art60kitIdentityProvider.register_location = self.register_location
        settings = super().init_settings()
        self.identity_provider.logins_file = self.logins_file
        self.identity_provider.register_location = self.register_location
        secret = os.environ.get(ID.SECRET_ENV) or secrets.token_hex(32)
        os.environ[ID.SECRET_ENV] = secret  # kernels inherit it to verify identities
        settings.update(
            allow_remote_access=False,
            local_hostnames=["localhost", *self.allowed_hosts],
            serve_traceback=False,
            websocket_max_message_size=MAX_WS_MESSAGE,
            xsrf_cookies=True,
            art60kit_policy=Policy(frozenset({"localhost", *[h.lower() for h in self.allowed_hosts]}),
                                   secret, self.max_kernels),
        )
        return settings

    def init_handlers(self):
        out = []
        for h in super().init_handlers():
            h = tuple(h)
            out.append((h[0], guarded(h[1]), *h[2:]))
        return out

    def listen(self):
        # the body limit is a server option, not an application setting
        from tornado.httpserver import HTTPServer
        orig = HTTPServer.__init__

        def init(srv, *a, **kw):
            kw.setdefault("max_body_size", MAX_BODY)
            kw.setdefault("max_buffer_size", 16 * 1024 * 1024)
            orig(srv, *a, **kw)
        HTTPServer.__init__ = init
        try:
            return super().listen()
        finally:
            HTTPServer.__init__ = orig


def kernel_spec_dir(memory_mb: int) -> str:
    """A Jupyter data folder whose ``python3`` kernel starts through :mod:`.kernel`
    (address-space limit ``memory_mb``); prepended to ``JUPYTER_PATH``."""
    root = Path(tempfile.mkdtemp(prefix="art60kit-kernels-"))
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": KERNEL_ARGV,
        "display_name": "Python 3 (art60kit, bounded)", "language": "python",
        "env": {"ART60KIT_KERNEL_MEMORY_MB": str(memory_mb)},
        "metadata": {"debugger": False}}), encoding="utf-8")
    return str(root)


def main(argv: Optional[list[str]] = None) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m art60kit.dashboards.server")
    p.add_argument("--kernel-memory-mb", type=int, default=int(os.environ.get("ART60KIT_KERNEL_MEMORY_MB", "3072")))
    a, rest = p.parse_known_args(argv if argv is not None else sys.argv[1:])
    # the identity secret, before any kernel starts: kernels inherit it to verify identities
    os.environ[ID.SECRET_ENV] = os.environ.get(ID.SECRET_ENV) or secrets.token_hex(32)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [kernel_spec_dir(a.kernel_memory_mb), *filter(None, [os.environ.get("JUPYTER_PATH")])])
    SecureVoila.launch_instance(rest)


if __name__ == "__main__":
    main()
