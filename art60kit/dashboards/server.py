"""The dashboards' web server: Voila with a login, Host and Origin checks, no tracebacks,
the current kernel protocol only, and bounded kernels.

``python -m art60kit.dashboards.server <folder> [--port N] [--SecureVoila.logins_file=FILE]
[--SecureVoila.register_location=LOC] [--SecureVoila.allowed_hosts=NAME ...]
[--kernel-memory-mb N] [--SecureVoila.max_kernels=N]`` runs
:class:`SecureVoila` (Voila 0.5's standalone server, subclassed); :mod:`.serve` builds
that command. What it adds to Voila, request by request:

* **Host and Origin.** A request whose ``Host`` is not one of the server's names
  (127.0.0.1, localhost, ``--SecureVoila.allowed_hosts``) is refused with 403: a page on a foreign
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
  Incoming websocket messages are limited to :data:`MAX_WS_MESSAGE` bytes and
  :data:`WS_RATE` a second, and a client that does not read what it asked for has
  its websocket closed once :data:`MAX_WS_PENDING` bytes wait for it. The
  ``voila/query`` socket a preheated kernel uses to learn its request answers only
  local connections without an ``Origin`` (kernels, not browsers).
* **A kernel is its person's.** A page's kernel is bound to the person whose request
  started it or took it from the preheated pool (:class:`KernelOwners`); its websocket,
  its state (``/api/kernels/ID``) and its shutdown answer that person only. Anyone
  else, and everyone for a pooled kernel not yet handed out, gets the same 404 as for
  a kernel that does not exist: knowing a kernel id gives nothing.
* **Bounded kernels.** Each kernel runs under an address-space limit
  (``--kernel-memory-mb``, :mod:`.kernel`), idle kernels are culled, no person has
  more than ``--max-kernels-per-person`` pages open at once (429 with a page saying
  so: close one and reload), and no new page starts a kernel once ``--max-kernels``
  are running in all (503).

Behind an institution's identity provider (e.g. JupyterHub with its authenticator)
the same server runs as a JupyterHub service or with ``--SecureVoila.allowed_hosts`` set to the
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
from tornado.websocket import WebSocketHandler
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
#: Bytes waiting to be sent to one kernel websocket client before the server closes
#: that websocket: a client that asks and never reads (e.g. an image widget's state,
#: again and again) cannot make the server hold its answers without bound.
MAX_WS_PENDING = 32 * 1024 * 1024
#: Messages a kernel websocket client may send: a burst of WS_BURST, then WS_RATE a
#: second (a slider dragged sends a few dozen a second); beyond, the websocket closes.
WS_BURST = 500
WS_RATE = 100.0
#: Largest request body (the login form).
MAX_BODY = 64 * 1024
SESSION_HOURS = 8.0
COOKIE = "art60kit-session"
#: Pages (kernels) one person may have open at once (three dashboards, one of them twice).
MAX_KERNELS_PER_PERSON = 4
#: Seconds a page request over a person's limit waits for one of their pages to close
#: (a reload: the old page's kernel is shut down as the new one is asked for).
PERSON_LIMIT_GRACE = 3.0
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


def _generic_error(handler: web.RequestHandler, status_code: int, **kwargs) -> None:
    """A short page in the three languages; never the exception or a traceback."""
    if status_code == 429:
        exc = (kwargs.get("exc_info") or (None, None, None))[1]
        text = " / ".join(html.escape(label("server.too_many_pages", lang, n=getattr(exc, "limit", "?")))
                          for lang in ("fr", "nl", "de", "en"))
        handler.set_header("Content-Type", "text/html; charset=UTF-8")
        handler.finish(f"<!doctype html><meta charset='utf-8'><title>429</title><h1>429</h1><p>{text}</p>")
        return
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
    max_kernels_per_person: int = MAX_KERNELS_PER_PERSON


class KernelOwners:
    """Which person each page's kernel belongs to (user id by kernel id).

    A kernel is bound once, when a page request of that person starts it or takes it
    from the preheated pool; a kernel bound to nobody (pooled, or started otherwise)
    belongs to nobody.

    >>> o = KernelOwners()
    >>> o.bind("k1", "onem-1"); o.bind("k2", "onem-1"); o.bind("k3", "agent-1")
    >>> o.owner("k1"), o.owner("k9"), o.pages_of("onem-1", live={"k2", "k3"})
    ('onem-1', None, 1)
    >>> o.owner("k1")  # forgotten once it is no longer running
    """

    def __init__(self):
        self._owner: dict[str, str] = {}

    def bind(self, kernel_id: str, user_id: str) -> None:
        self._owner.setdefault(kernel_id, user_id)

    def owner(self, kernel_id: str) -> Optional[str]:
        return self._owner.get(kernel_id)

    def pages_of(self, user_id: str, live: set) -> int:
        """Running kernels of ``user_id`` (``live``: the running kernel ids); entries of
        kernels no longer running are forgotten."""
        for k in [k for k in self._owner if k not in live]:
            del self._owner[k]
        return sum(1 for u in self._owner.values() if u == user_id)


class _BindingKernelManager:
    """The kernel manager as a page request sees it: the kernel it starts, or takes
    from the preheated pool, is bound to the person asking (``page_of``)."""

    def __init__(self, km, owners: KernelOwners, page_of: str):
        self._km, self._owners, self._page_of = km, owners, page_of

    def __getattr__(self, name):
        return getattr(self._km, name)

    async def start_kernel(self, *args, **kwargs):
        r = self._km.start_kernel(*args, **kwargs)
        kernel_id = await r if inspect.isawaitable(r) else r
        self._owners.bind(kernel_id, self._page_of)
        return kernel_id

    async def get_rendered_notebook(self, *args, **kwargs):
        render_task, rendered, kernel_id = await self._km.get_rendered_notebook(*args, **kwargs)
        self._owners.bind(kernel_id, self._page_of)
        return render_task, rendered, kernel_id


class _TooManyPages(web.HTTPError):
    def __init__(self, limit: int):
        super().__init__(429, "too many pages for one person")
        self.limit = limit


def _owners(handler) -> KernelOwners:
    return handler.settings["art60kit_kernel_owners"]


#: Routes naming a kernel a browser may use: its state, its websocket, its shutdown.
_KERNEL_ROUTE = re.compile(r"^(?:api/kernels|voila/api/shutdown|voila/execution)/([^/?]+)")


def _check_kernel_owner(handler, user: "Art60kitUser", rel: str) -> None:
    """A kernel's routes answer its owner only; for anyone else the answer is the one
    for a kernel that does not exist."""
    m = _KERNEL_ROUTE.match(rel)
    if m and _owners(handler).owner(m.group(1)) != user.username:
        handler.log.warning("art60kit: %s refused kernel %s (not theirs)", user.username, m.group(1))
        raise web.HTTPError(404, "no such kernel")


async def _check_person_limit(handler, user: "Art60kitUser") -> None:
    """Refuse a new page (429) when the person already has their limit of pages open,
    after waiting :data:`PERSON_LIMIT_GRACE` seconds for one of them to close."""
    km = handler.settings.get("kernel_manager")
    if km is None:
        return
    limit = _policy(handler).max_kernels_per_person
    deadline = time.monotonic() + PERSON_LIMIT_GRACE
    while _owners(handler).pages_of(user.username, set(km.list_kernel_ids())) >= limit:
        if time.monotonic() >= deadline:
            handler.log.warning("art60kit: %s has %d pages open, new page refused", user.username, limit)
            raise _TooManyPages(limit)
        await asyncio.sleep(0.2)


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
        _check_kernel_owner(self, user, rel)
        m = re.match(r"^voila/render/(.+?\.ipynb)$", rel)
        if m:
            if not ID.may_open(user.role, Path(m.group(1)).name):
                raise web.HTTPError(403, "role may not open this dashboard")
            await _check_person_limit(self, user)
            km = self.settings.get("kernel_manager")
            if km is not None and len(km.list_kernel_ids()) >= _policy(self).max_kernels:
                raise web.HTTPError(503, "too many kernels")
            self._art60kit_page_of = user.username  # the kernel this page gets is theirs
        self.request.headers[ID.IDENTITY_HEADER] = ID.sign_identity(user.username, _policy(self).secret)
        return r

    def write_error(self, status_code: int, **kwargs) -> None:
        _generic_error(self, status_code, **kwargs)

    @property
    def kernel_manager(self):
        km = self.settings["kernel_manager"]
        page_of = getattr(self, "_art60kit_page_of", None)
        return _BindingKernelManager(km, _owners(self), page_of) if page_of else km

    def get_compression_options(self):
        return None


class _BoundedSocket:
    """Mixed in front of the kernel websocket: bounded output queued for a client and a
    bounded message rate from it (see :data:`MAX_WS_PENDING`, :data:`WS_RATE`)."""

    _a60_tokens: float = WS_BURST
    _a60_last: float = 0.0

    def _a60_refuse(self, why: str):
        self.log.warning("art60kit: kernel websocket closed: %s", why)
        self.close(1008, why)

    def write_message(self, message, binary=False):
        conn = self.ws_connection
        if conn is None or conn.is_closing():
            return _done()
        pending = getattr(getattr(conn, "stream", None), "_write_buffer_size", 0)
        if pending > MAX_WS_PENDING:
            self._a60_refuse("client does not read its messages")
            return _done()
        return super().write_message(message, binary=binary)

    def on_message(self, message):
        now = time.monotonic()
        if not self._a60_last:
            self._a60_last = now
        self._a60_tokens = min(WS_BURST, self._a60_tokens + (now - self._a60_last) * WS_RATE) - 1
        self._a60_last = now
        if self._a60_tokens < 0:
            self._a60_refuse("too many messages")
            return None
        return super().on_message(message)


def _done():
    f = asyncio.get_event_loop().create_future()
    f.set_result(None)
    return f


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
        bases = (_KernelQueryGuard,)
    elif issubclass(cls, WebSocketHandler) and issubclass(cls, JupyterHandler):
        bases = (_BoundedSocket, _Guard)
    elif issubclass(cls, JupyterHandler):
        bases = (_Guard,)
    else:
        bases = (_StaticGuard,)
    return type(f"Guarded{cls.__name__}", (*bases, cls), {})


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


#: Plugins of Voila's JupyterLab front-end that a dashboard page does not use, left
#: out of the page's configuration so that the browser does not start them: the
#: mathematics typesetter (with it on, the browser fetched and ran about 0.7 MB of
#: MathJax and scanned every text the widgets drew for formulas; the dashboards show
#: none, and a text holding two dollar signs would have been typeset), the code
#: editor's languages, the Markdown parser and the JSON, JSON lines and Vega
#: renderers (the pages output widgets, HTML and one small script only) and the dark
#: theme (the pages are drawn in the light one).
UNUSED_PLUGINS = (
    "@jupyterlab/mathjax-extension", "@jupyterlab/mathjax2-extension",
    "@jupyterlab/codemirror-extension", "@jupyterlab/markedparser-extension",
    "@jupyterlab/json-extension", "@jupyterlab/json-lines-extension", "@jupyterlab/vega5-extension",
    "@jupyterlab/theme-dark-extension",
)


def page_config(config: dict, **_kw) -> dict:
    """The configuration a dashboard page carries (Voila's ``page_config_hook``): the
    plugins it does not use disabled (:data:`UNUSED_PLUGINS`), the loading sign's text
    in each language of the catalog (``art60kitLoading``) and the language of an
    address without one (``art60kitLang``, as the kernels choose it): the page shows
    the loading sign in the language its address asks for before its content arrives."""
    from .labels import DEFAULT_LANG, LANGS
    out = dict(config)
    disabled = out.get("disabledExtensions") or []
    if isinstance(disabled, dict):
        disabled = [k for k, v in disabled.items() if v]
    out["disabledExtensions"] = sorted({*disabled, *UNUSED_PLUGINS})
    out["art60kitLoading"] = {lang: label("loading", lang) for lang in LANGS}
    default = os.environ.get("ART60KIT_LANG", DEFAULT_LANG)
    out["art60kitLang"] = default if default in LANGS else DEFAULT_LANG
    return out


class SecureVoila(Voila):
    """Voila with the checks of the module doc."""

    allowed_hosts = List(Unicode(), [], config=True,
                         help="names of this server besides 127.0.0.1 and localhost (behind a proxy)")
    logins_file = Unicode("", config=True)
    register_location = Unicode("", config=True)
    max_kernels = Int(12, config=True, help="no new page once this many kernels run")
    max_kernels_per_person = Int(MAX_KERNELS_PER_PERSON, config=True,
                                 help="pages (kernels) one person may have open at once")

    def initialize(self, argv=None):
        super().initialize(argv)
        self.identity_provider_class = Art60kitIdentityProvider
        self.voila_configuration.show_tracebacks = False
        self.voila_configuration.http_header_envs = [ID.IDENTITY_HEADER]

    def init_settings(self):
        # before Voila's settings: its pool of preheated kernels takes the hook then
        self.voila_configuration.page_config_hook = page_config
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
                                   secret, self.max_kernels, self.max_kernels_per_person),
            art60kit_kernel_owners=KernelOwners(),
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
        # Arrow's own allocator keeps what reading the register's files freed (about
        # 70 MB a kernel); the C library's gives it back (see serve.release_memory)
        "env": {"ART60KIT_KERNEL_MEMORY_MB": str(memory_mb), "ARROW_DEFAULT_MEMORY_POOL": "system"},
        "metadata": {"debugger": False}}), encoding="utf-8")
    return str(root)


#: Jupyter data folder holding the dashboards' page template (``voila/templates/art60kit``:
#: Voila's lab page without animation while loading and without requests to other servers)
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def main(argv: Optional[list[str]] = None) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m art60kit.dashboards.server")
    p.add_argument("--kernel-memory-mb", type=int, default=int(os.environ.get("ART60KIT_KERNEL_MEMORY_MB", "3072")))
    a, rest = p.parse_known_args(argv if argv is not None else sys.argv[1:])
    # the identity secret, before any kernel starts: kernels inherit it to verify identities
    os.environ[ID.SECRET_ENV] = os.environ.get(ID.SECRET_ENV) or secrets.token_hex(32)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [kernel_spec_dir(a.kernel_memory_mb), str(TEMPLATES_DIR), *filter(None, [os.environ.get("JUPYTER_PATH")])])
    SecureVoila.launch_instance(rest)


if __name__ == "__main__":
    main()
