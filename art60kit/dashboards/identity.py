"""Who is looking at a dashboard: logins, the signed identity a kernel receives, and
which role may open which dashboard.

Pure standard library (imported by the Voila server and by every dashboard kernel).

* **Logins.** Passwords are kept as scrypt hashes in ``logins.json`` in the
  dashboards' cache folder (readable by its owner only). The person's *role* and CPAS
  are not stored here: they are the register's (``art60kit.register.User``), so the
  register stays the one place that says what someone may read.
* **Identity passed to a kernel.** After a login, the server (:mod:`.server`) puts an
  identity token in a request header that it sets itself (a header sent by the browser
  under that name is removed first); Voila hands the header to the kernel as the
  environment variable :data:`IDENTITY_ENV`. The token is the user id, its issue time
  and an HMAC-SHA256 over both with a secret that only the server process and its
  kernels hold (:data:`SECRET_ENV`): a kernel accepts no identity it cannot verify,
  so a forged header, a query parameter or a token older than :data:`TOKEN_MAX_AGE`
  seconds gives no access.
* **Roles.** An analyst opens only the aggregate dashboards; the case explorer is for
  ONEM users and CPAS agents, and the register limits an agent to the requests of
  their own CPAS (:data:`DASHBOARD_ROLES`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

#: The request header the server sets after a login (never trusted from a browser).
IDENTITY_HEADER = "X-Art60kit-Identity"
#: How Voila names that header in the kernel's environment (RFC 3875, 4.1.18).
IDENTITY_ENV = "HTTP_X_ART60KIT_IDENTITY"
#: The HMAC secret shared by the server and its kernels (set by the server at start).
SECRET_ENV = "ART60KIT_DASHBOARD_SECRET"
#: Seconds an identity token is valid (a page opened later asks to log in again).
TOKEN_MAX_AGE = 12 * 3600
LOGINS_FILE = "logins.json"
DEMO_FILE = "demo-logins.txt"

#: Dashboards (notebook names) and the roles that may open them.
DASHBOARD_ROLES: dict[str, frozenset[str]] = {
    "policy-monitoring": frozenset({"analyst", "onem", "cpas_agent", "system"}),
    "reform-impact": frozenset({"analyst", "onem", "cpas_agent", "system"}),
    "case-explorer": frozenset({"onem", "cpas_agent", "system"}),
}

_SCRYPT = dict(n=2 ** 14, r=8, p=1, dklen=32)


class NoIdentity(Exception):
    """No verified person behind this page (not logged in, forged or expired token)."""


@dataclass(frozen=True)
class Person:
    """A verified person: the register's user id and when the login was made."""

    user_id: str
    issued_at: int


def may_open(role: Optional[str], dashboard: str) -> bool:
    """Whether ``role`` may open ``dashboard`` (a notebook name, ``.ipynb`` optional).
    Unknown dashboards are open to no role.

    >>> may_open("analyst", "policy-monitoring"), may_open("analyst", "case-explorer.ipynb")
    (True, False)
    >>> may_open("cpas_agent", "case-explorer"), may_open(None, "reform-impact")
    (True, False)
    """
    name = dashboard[:-6] if dashboard.endswith(".ipynb") else dashboard
    return role is not None and role in DASHBOARD_ROLES.get(name, frozenset())


# -- passwords ---------------------------------------------------------------------------

def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    """An scrypt hash ``scrypt$<salt b64>$<hash b64>`` (random salt)."""
    salt = salt or secrets.token_bytes(16)
    h = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(h).decode()


def check_password(password: str, stored: Optional[str]) -> bool:
    """Whether ``password`` matches ``stored``; False for a missing or malformed hash
    (the hash is computed anyway so an unknown user takes as long as a wrong password).

    >>> h = hash_password("correct horse")
    >>> check_password("correct horse", h), check_password("wrong", h), check_password("x", None)
    (True, False, False)
    """
    try:
        kind, salt_b64, hash_b64 = (stored or "scrypt$$").split("$")
        salt, want = base64.b64decode(salt_b64), base64.b64decode(hash_b64)
    except ValueError:
        kind, salt, want = "", b"", b""
    got = hashlib.scrypt(password.encode("utf-8", "replace")[:1024], salt=salt or b"-" * 16, **_SCRYPT)
    return kind == "scrypt" and bool(want) and hmac.compare_digest(got, want)


class Logins:
    """The login file: user id -> password hash. Written readable by its owner only."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _read(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8")).get("users", {})
        except (OSError, ValueError):
            return {}

    def users(self) -> tuple[str, ...]:
        return tuple(sorted(self._read()))

    def set_password(self, user_id: str, password: str) -> None:
        if len(password) < 10:
            raise ValueError("a password needs at least 10 characters")
        users = self._read()
        users[user_id] = {"hash": hash_password(password)}
        _write_private(self.path, json.dumps({"users": users}, indent=1))

    def check(self, user_id: str, password: str) -> bool:
        entry = self._read().get(user_id) or {}
        return check_password(password, entry.get("hash"))


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


# -- the identity token ------------------------------------------------------------------

def _mac(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def sign_identity(user_id: str, secret: str, now: Optional[float] = None) -> str:
    """The token for ``user_id``: ``<user id b64>.<issued at>.<hmac>``."""
    uid = base64.urlsafe_b64encode(user_id.encode("utf-8")).decode()
    payload = f"{uid}.{int(now if now is not None else time.time())}"
    return f"{payload}.{_mac(secret, payload)}"


def verify_identity(token: Optional[str], secret: Optional[str], now: Optional[float] = None,
                    max_age: int = TOKEN_MAX_AGE) -> Person:
    """The person a token names, or :class:`NoIdentity` (missing, forged, expired, or no
    secret to check it with).

    >>> t = sign_identity("onem-1", "s3cret", now=1000)
    >>> verify_identity(t, "s3cret", now=1010)
    Person(user_id='onem-1', issued_at=1000)
    >>> verify_identity(t[:-1] + ("1" if t[-1] == "0" else "0"), "s3cret", now=1010)
    Traceback (most recent call last):
    ...
    art60kit.dashboards.identity.NoIdentity: identity token not valid
    """
    if not token or not secret:
        raise NoIdentity("no identity")
    try:
        uid, issued, mac = token.strip().split(".")
        payload = f"{uid}.{issued}"
        if not hmac.compare_digest(mac, _mac(secret, payload)):
            raise ValueError
        issued_at = int(issued)
        user_id = base64.urlsafe_b64decode(uid.encode()).decode("utf-8")
    except (ValueError, UnicodeError):
        raise NoIdentity("identity token not valid") from None
    t = now if now is not None else time.time()
    if not (issued_at - 60 <= t <= issued_at + max_age):
        raise NoIdentity("identity token expired")
    return Person(user_id, issued_at)


def under_voila() -> bool:
    """Whether this kernel was started by a Voila server (it then needs a person)."""
    return any(k in os.environ for k in ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_BASE_URL"))


def current_person() -> Person:
    """The verified person who asked for this page (call after Voila handed the request
    over, i.e. after ``wait_for_request``); :class:`NoIdentity` otherwise."""
    return verify_identity(os.environ.get(IDENTITY_ENV), os.environ.get(SECRET_ENV))


# -- demo logins for the bundled synthetic register ----------------------------------------

def demo_logins(register, folder: Path) -> list[tuple[str, str, str]]:
    """For the synthetic register only (it has the synthetic generator's user): one
    login per role — an ONEM user, the analyst and a CPAS agent — with random
    passwords, created once and kept in ``demo-logins.txt`` (owner-only) so they can be
    printed at each start. Returns (user id, role, password); [] for any other register."""
    users = register.users()
    if not any(u.user_id == "synthetic-generator" and u.role == "system" for u in users):
        return []
    folder = Path(folder)
    demo_path = folder / DEMO_FILE
    logins = Logins(folder / LOGINS_FILE)
    known = {}
    if demo_path.exists():
        for line in demo_path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 3:
                known[parts[0]] = (parts[1], parts[2])
    picks = []
    for role in ("onem", "analyst", "cpas_agent"):
        # never the dashboards' own service user: a login is always a person
        u = next((u for u in sorted(users, key=lambda x: x.user_id)
                  if u.role == role and u.user_id != "dashboards"), None)
        if u is not None:
            picks.append(u)
    out = []
    for u in picks:
        if u.user_id in known and logins.check(u.user_id, known[u.user_id][1]):
            out.append((u.user_id, u.role, known[u.user_id][1]))
            continue
        pw = secrets.token_urlsafe(9)
        logins.set_password(u.user_id, pw)
        out.append((u.user_id, u.role, pw))
    _write_private(demo_path, "".join(f"{a}\t{b}\t{c}\n" for a, b, c in out))
    return out
