"""Inside a dashboard kernel: the person who asked for the page, as the register knows
them, and whether their role opens this dashboard.

Under Voila the person is the verified identity the server signed
(:func:`.identity.current_person`); the register session is opened as that person, so
every read is audited under their name and role, and the register applies its own
limits (a CPAS agent reads only their CPAS's requests). Outside Voila (a notebook run
by someone who already has the register file) the caller names the user explicitly.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Optional

from . import identity as ID
from . import source
from .labels import label


class Refused(Exception):
    """The page is not for this person; ``key`` names the text shown (labels)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass
class Access:
    """An opened register and the session of the person behind the page."""

    register: object
    session: object

    @property
    def user(self):
        return self.session.user

    def who_html(self, lang: str) -> str:
        u = self.user
        return (f"<p class='a60-note a60-who'>{html.escape(label('access.who', lang, name=u.name, role=label('role.' + u.role, lang)))}"
                f"</p>")


def person_access(dashboard: str, location: Optional[str] = None, user_id: Optional[str] = None) -> Access:
    """The register session of the person behind this page, for ``dashboard``.

    Under Voila, ``user_id`` is ignored: only the signed identity counts. Raises
    :class:`Refused` when nobody verified is behind the page, when the register does
    not know them, or when their role may not open ``dashboard``; an aggregate
    dashboard's opening is audited under the person (one entry)."""
    from ..register.errors import UnknownUser
    if ID.under_voila() or user_id is None:
        try:
            user_id = ID.current_person().user_id
        except ID.NoIdentity:
            raise Refused("access.login_required") from None
    reg = source.open_register(location)
    try:
        try:
            session = reg.as_user(user_id)
        except UnknownUser:
            raise Refused("access.unknown_user") from None
        role = session.user.role
        if not ID.may_open(role, dashboard):
            raise Refused("access.role", role=role)
        if dashboard != "case-explorer":
            session.record_view(dashboard, reason=source.READ_REASON)
    except BaseException:
        reg.close()
        raise
    return Access(reg, session)


def refusal_widget(exc: Refused, lang: str):
    import ipywidgets as W
    params = dict(exc.params)
    if "role" in params:
        params["role"] = label("role." + params["role"], lang)
    return W.HTML(f"<p class='a60-warn a60-refused'>{html.escape(label(exc.key, lang, **params))}</p>")
