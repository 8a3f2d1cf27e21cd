"""The case explorer, for an ONEM expert: pick a request, see its versions, the
timeline, the day breakdown and the step-by-step explanation of the toolkit's plan,
and compare it with ONEM's answer.

Request-level reads go through the register API with the reason the expert typed
(required; every read is audited). The plan is recomputed by the calculation core
for the chosen version (the bundled register stores plans without their steps);
figures come from :mod:`art60kit.viz` when it is installed, plain matplotlib otherwise.
"""
from __future__ import annotations

import html
import time
from datetime import date
from typing import Optional

import ipywidgets as W
import pandas as pd

from . import source
from .labels import DEFAULT_LANG, LANGS, SELECTABLE_LANGS, label
from ..formats import format_date
from .page import LazyModule, PageLink, lang_toggle, query_string, set_busy
from .policy import STYLE, _fmt, data_date, definitions_html, set_options

#: matplotlib, for a case's timeline and day breakdown: imported when a case is first
#: shown, not in every waiting kernel of the pool
F = LazyModule("art60kit.dashboards.figures")

#: results shown per page of a search
PAGE_SIZE = 20
STATUSES = ("draft", "sent", "calculated")


def request_index(versions: pd.DataFrame) -> pd.DataFrame:
    """One row per request of the whole register (drafts included): id, CPAS, current
    status, whether ONEM and the toolkit differ on a sent version, whether it was
    modified; sorted by id. Built from the versions frame the kernel already holds
    (no personal data: no case content, no person reference)."""
    hit = _INDEX.get("last")
    if hit is not None and hit[0] is versions:  # the kernel's frame, indexed while preheating
        return hit[1]
    v = versions.assign(_disagree=versions["agrees"].eq(False).fillna(False).astype(bool),
                        _modified=versions["kind"].eq("modification").fillna(False).astype(bool))
    g = v.groupby("request_id", sort=True)
    cur = v[v["is_current"]].set_index("request_id")
    out = pd.DataFrame({
        "cpas_nis": g["cpas_nis"].first(),
        "cpas_fr": g["cpas_fr"].first(),
        "cpas_nl": g["cpas_nl"].first(),
        "status": cur["status"].reindex(g.size().index),
        "disagree": g["_disagree"].any(),
        "modified": g["_modified"].any(),
        "first_sent_at": g["sent_at"].min(),
    })
    out.index.name = "request_id"
    out = out.reset_index()
    _INDEX["last"] = (versions, out)
    return out


#: the last versions frame indexed and its index (the kernel's frame is read once)
_INDEX: dict = {}


def search(index: pd.DataFrame, text: str = "", cpas: Optional[str] = None, status: Optional[str] = None,
           which: str = "any", ids: Optional[set] = None) -> pd.DataFrame:
    """Requests of ``index`` matching every given criterion, in id order.

    ``text`` matches a request id (case-insensitive, any part of it) or a CPAS name;
    ``ids`` (from a person-reference look-up) adds requests whatever their id;
    ``which``: ``any``, ``disagree`` (ONEM and the toolkit differ on a sent version) or
    ``modified``.

    >>> ix = pd.DataFrame({"request_id": ["A-1", "A-2", "B-1"], "cpas_nis": ["1", "1", "2"],
    ...     "cpas_fr": ["Liège", "Liège", "Mons"], "cpas_nl": ["Luik", "Luik", "Bergen"],
    ...     "status": ["sent", "draft", "sent"], "disagree": [True, False, False], "modified": [False] * 3})
    >>> search(ix, "a-")["request_id"].tolist(), search(ix, "mons")["request_id"].tolist()
    (['A-1', 'A-2'], ['B-1'])
    >>> search(ix, which="disagree")["request_id"].tolist(), search(ix, status="sent", cpas="2")["request_id"].tolist()
    (['A-1'], ['B-1'])
    """
    m = pd.Series(True, index=index.index)
    t = (text or "").strip().casefold()
    if t:
        hit = (index["request_id"].str.casefold().str.contains(t, regex=False)
               | index["cpas_fr"].fillna("").str.casefold().str.contains(t, regex=False)
               | index["cpas_nl"].fillna("").str.casefold().str.contains(t, regex=False))
        if ids:
            hit |= index["request_id"].isin(ids)
        m &= hit
    elif ids is not None:
        m &= index["request_id"].isin(ids)
    if cpas:
        m &= index["cpas_nis"].eq(cpas)
    if status:
        m &= index["status"].eq(status)
    if which == "disagree":
        m &= index["disagree"]
    elif which == "modified":
        m &= index["modified"]
    return index[m]


def valid_reason(text: Optional[str]) -> Optional[str]:
    """The reason a person typed, or None when the register would refuse it (empty,
    blanks or invisible characters only, fewer letters or digits than the register asks
    for: :func:`art60kit.register.audit.reason_problem`), so nothing is sent to be
    refused.

    >>> valid_reason("  "), valid_reason("r12"), valid_reason("\u200b\u200b x y z")
    (None, None, None)
    >>> valid_reason(" contrôle du dossier 12 ")
    'contrôle du dossier 12'
    """
    from ..register.audit import reason_problem
    t = " ".join((text or "").split())
    return t if reason_problem(t) is None else None


def _d(x, lang: str = DEFAULT_LANG) -> str:
    """A date (DD/MM/YYYY) or a moment (DD/MM/YYYY HH:MM) as a Belgian reader writes it.

    >>> from datetime import datetime
    >>> _d(date(2026, 3, 1)), _d(datetime(2026, 3, 1, 9, 5)), _d(None)
    ('01/03/2026', '01/03/2026 09:05', '—')
    """
    if x is None or (isinstance(x, float) and x != x) or x is pd.NaT:
        return "—"
    if hasattr(x, "hour"):
        return f"{format_date(x.date() if hasattr(x, 'date') else x, lang)} {x.hour:02d}:{x.minute:02d}"
    if hasattr(x, "isoformat"):
        return format_date(x, lang)
    return str(x)


def plan_version(case: dict, lang: str):
    """The core plan of one version's case (steps in ``lang``); (plan, None) or (None, message)."""
    from ..caseio import case_from_dict
    from ..planner import plan
    try:
        return plan(case_from_dict(dict(case)), lang=lang), None
    except Exception as exc:  # the expert must see why, not a traceback
        return None, (str(exc).splitlines() or [type(exc).__name__])[0]


def timeline_png(p, lang: str) -> bytes:
    try:
        from ..viz import career_timeline
        return F.to_png(career_timeline(p, lang=lang, width=9.5))
    except ImportError:
        return F.to_png(_plain_timeline(p, lang))


def breakdown_png(p, lang: str) -> bytes:
    try:
        from ..viz import day_breakdown
        return F.to_png(day_breakdown(p, lang=lang, width=9.5))
    except ImportError:
        return F.to_png(_plain_breakdown(p, lang))


def _plain_timeline(p, lang: str):
    fig = F.new_figure(9.5, 3.0)
    ax = fig.add_subplot()
    for i, line in enumerate(p.case.career):
        ax.barh(0, (line.end - line.start).days + 1, left=pd.Timestamp(line.start), color=F.BLUE)
    if p.end_date:
        ax.barh(1, (p.end_date - p.case.contract.start).days + 1, left=pd.Timestamp(p.case.contract.start), color=F.GREEN)
    ax.set_yticks([0, 1], [label("explorer.timeline", lang), label("explorer.end_date", lang)])
    return fig


def _plain_breakdown(p, lang: str):
    fig = F.new_figure(9.5, 2.0)
    ax = fig.add_subplot()
    ax.barh(0, p.days_to_work, color=F.GREEN)
    ax.set_title(f"{label('explorer.days_to_work', lang)}: {p.days_to_work}", fontsize=9, loc="left")
    return fig


def _img_html(png: bytes, alt: str, key: str) -> str:
    """A PNG figure as an ``<img>`` with its text alternative ("" when there is none)."""
    import base64
    if not png:
        return ""
    return (f"<img class='a60-figure a60-fig-{key}' style='width:100%;height:auto' alt='{html.escape(alt, quote=True)}' "
            f"src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'>")


class CaseExplorer:
    """Search the whole register, page through the results, and open one request, each
    read with the reason the expert states for it (never pre-filled; the field empties
    after each read, so the next request needs its own reason)."""

    _quiet = False

    def __init__(self, session, lang: str = DEFAULT_LANG, location: Optional[str] = None,
                 request_id: Optional[str] = None):
        """``session``: the register session of the person using the explorer (see
        :func:`.access.person_access`); every read is audited under them, and a CPAS
        agent is offered, and can read, only their own CPAS's requests."""
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.location = source.register_location(location)
        self.session = session
        self.register = session.register
        v = source.versions(self.location)
        if session.user.role == "cpas_agent":
            v = v[v["cpas_nis"] == session.user.cpas_nis]
        self.versions_df = v
        self.index = request_index(self.versions_df)
        self.history: tuple = ()
        self.comments: tuple = ()
        self.request_id: Optional[str] = None
        self.results = self.index.iloc[:0]
        self.page_no = 0
        self._person_ids: Optional[set] = None
        self._want_version: Optional[tuple[str, int]] = None
        self._plans: dict = {}
        self._build()
        if request_id:
            self.w_query.value = request_id
        self.run_search()

    def _build(self) -> None:
        self.w_lang = lang_toggle(self.lang)
        self.w_query = W.Text(layout=W.Layout(width="640px"), continuous_update=False)
        self.w_query.add_class("a60-search-text")
        self.w_cpas = W.Dropdown(layout=W.Layout(width="auto"))
        self.w_cpas.add_class("a60-search-cpas")
        self.w_status = W.Dropdown(layout=W.Layout(width="auto"))
        self.w_status.add_class("a60-search-status")
        self.w_show = W.Dropdown(layout=W.Layout(width="auto"))
        self.w_show.add_class("a60-filter-show")
        # buttons as wide as their label in every language (a fixed width cuts the
        # longer Dutch and German ones)
        self.b_search = W.Button(icon="search", layout=W.Layout(width="auto"))
        self.b_search.add_class("a60-search-go")
        self.w_results = W.Select(rows=10, layout=W.Layout(width="720px"))
        self.w_results.add_class("a60-results")
        self.b_prev, self.b_next = W.Button(icon="chevron-left"), W.Button(icon="chevron-right")
        self.b_prev.add_class("a60-page-prev")
        self.b_next.add_class("a60-page-next")
        self.w_page = W.HTML()
        self.w_page.add_class("a60-page-info")
        self.w_reason = W.Text(value="", layout=W.Layout(width="560px"))
        self.w_reason.add_class("a60-reason")
        self.b_open = W.Button(button_style="primary", layout=W.Layout(width="auto"))
        self.b_open.add_class("a60-open")
        self.w_version = W.Dropdown(layout=W.Layout(width="auto"))
        self.w_version.add_class("a60-filter-version")
        self.w_title, self.w_versions, self.w_compare, self.w_steps, self.w_comments, self.w_msg = (W.HTML() for _ in range(6))
        self.w_versions.add_class("a60-versions")
        self.w_compare.add_class("a60-compare")
        self.w_steps.add_class("a60-steps")
        self.w_msg.add_class("a60-status")
        self.w_h_timeline, self.w_h_breakdown = W.HTML(), W.HTML()
        # the printable answer sheet of the version shown (art60kit.sheet)
        self.w_sheet_button, self.w_sheet = W.Button(icon="file-pdf-o", layout=W.Layout(width="auto")), W.HTML()
        self.w_sheet_button.add_class("a60-sheet")
        self.w_sheet_button.on_click(lambda _: self.make_sheet())
        # figures as <img> with their text alternative (ipywidgets.Image has no alt)
        self.img_timeline = W.HTML(layout=W.Layout(width="100%", max_width="900px"))
        self.img_breakdown = W.HTML(layout=W.Layout(width="100%", max_width="900px"))
        self.pagelink = PageLink()
        self.w_busy = W.HTML()
        self.w_busy.add_class("a60-busy-line")
        self.w_defs = W.HTML()
        self.w_defs.add_class("a60-definitions")
        self._texts()
        for w in (self.w_query, self.w_cpas, self.w_status, self.w_show):
            w.observe(lambda ch: None if self._quiet else self.run_search(), names="value")
        self.b_search.on_click(lambda _b: self.run_search())
        self.b_prev.on_click(lambda _b: self.show_page(self.page_no - 1))
        self.b_next.on_click(lambda _b: self.show_page(self.page_no + 1))
        self.b_open.on_click(lambda _b: self.open(self.w_results.value))
        self.w_version.observe(lambda ch: None if self._quiet else self.show_version(), names="value")
        self.w_lang.observe(self._on_lang, names="value")
        self.case_box = W.VBox([self.w_versions, self.w_version, self.w_compare,
                                W.HBox([self.w_sheet_button, self.w_sheet], layout=W.Layout(align_items="center")),
                                self.w_h_timeline, self.img_timeline, self.w_h_breakdown, self.img_breakdown,
                                self.w_steps, self.w_comments])
        self.case_box.add_class("a60-case")
        self.case_box.add_class("a60-hidden")
        self.root = W.VBox([
            W.HTML(STYLE), self.pagelink.out,
            W.HBox([self.w_title, self.w_lang], layout=W.Layout(justify_content="space-between")),
            W.HBox([self.w_query, self.w_cpas], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self.w_status, self.w_show, self.b_search], layout=W.Layout(flex_flow="row wrap")),
            self.w_results, W.HBox([self.b_prev, self.w_page, self.b_next], layout=W.Layout(align_items="center")),
            W.HBox([self.w_reason, self.b_open], layout=W.Layout(flex_flow="row wrap")), self.w_msg,
            self.w_busy, self.case_box, self.w_defs])
        self.root.add_class("a60-dashboard")
        self.root.add_class("a60-explorer")

    def _texts(self) -> None:
        L = self.lang
        self._quiet = True
        try:
            self.w_title.value = f"<h2 style='margin:4px 0'>{html.escape(label('explorer.title', L))}</h2>"
            self.w_lang.description = label("lang", L)
            self.w_query.description = label("explorer.search", L)
            self.w_query.placeholder = label("explorer.search_hint", L)
            self.w_cpas.description = label("cpas", L)
            self.w_status.description = label("explorer.col_status", L)
            self.w_show.description = label("explorer.filter", L)
            self.b_search.description = label("explorer.search_go", L)
            self.b_search.tooltip = label("explorer.search_go", L)
            self.b_prev.tooltip = label("explorer.page_prev", L)
            self.b_next.tooltip = label("explorer.page_next", L)
            self.b_prev.description = ""
            self.b_next.description = ""
            self.w_results.description = label("explorer.results", L)
            self.w_reason.description = label("explorer.reason", L)
            self.w_reason.placeholder = label("explorer.reason_hint", L)
            self.w_reason.style = {"description_width": "initial"}
            self.b_open.description = label("explorer.open", L)
            self.w_version.description = label("explorer.version", L)
            for w in (self.w_query, self.w_cpas, self.w_status, self.w_show, self.w_results, self.w_version):
                w.style = {"description_width": "initial"}
            self.w_busy.value = f"<p role='status'>{html.escape(label('loading', L))}</p>"
            self.w_defs.value = definitions_html("defs.explorer", L, data_date(self.versions_df))
            self.w_sheet_button.description = label("explorer.sheet", L)
            self.w_h_timeline.value = f"<h3>{html.escape(label('explorer.timeline', L))}</h3>"
            self.w_h_breakdown.value = f"<h3>{html.escape(label('explorer.breakdown', L))}</h3>"
            name = f"cpas_{'nl' if L == 'nl' else 'fr'}"
            cp = self.index.drop_duplicates("cpas_nis").sort_values(name)
            set_options(self, self.w_cpas, [(label("all", L), "")] + [(f"{r[name]} ({r['cpas_nis']})", r["cpas_nis"])
                                                                        for _, r in cp.iterrows()])
            set_options(self, self.w_status, [(label("all", L), "")] + [(label("status." + s, L), s) for s in STATUSES])
            set_options(self, self.w_show, [(label("explorer.any", L), "any"),
                                            (label("explorer.only_disagree", L), "disagree"),
                                            (label("explorer.only_modified", L), "modified")])
        finally:
            self._quiet = False

    # -- search and pages --------------------------------------------------------------------

    def run_search(self) -> None:
        """Search the whole register with the current criteria; page 1 of the results.

        A text that is no request id or CPAS name may be a person reference: that
        look-up reads personal data, so it runs only with a stated reason (audited)."""
        text = self.w_query.value.strip()
        self._person_ids = None
        note = ""
        if text:
            reason = valid_reason(self.w_reason.value)
            if reason is not None:
                try:
                    found = self.session.list_requests(reason=reason, person_ref=text)
                    self._person_ids = {r.request_id for r in found}
                except Exception:  # a register without the look-up: id and CPAS search still work
                    self._person_ids = None
            else:
                note = label("explorer.person_needs_reason", self.lang)
        self.results = search(self.index, text, self.w_cpas.value or None, self.w_status.value or None,
                              self.w_show.value or "any", self._person_ids)
        self._search_note = note if len(self.results) == 0 else ""
        self.show_page(0)

    def pages(self) -> int:
        return max(1, -(-len(self.results) // PAGE_SIZE))

    def show_page(self, page_no: int) -> None:
        L = self.lang
        page_no = min(max(0, page_no), self.pages() - 1)
        self.page_no = page_no
        part = self.results.iloc[page_no * PAGE_SIZE:(page_no + 1) * PAGE_SIZE]
        name = f"cpas_{'nl' if L == 'nl' else 'fr'}"
        opts = []
        for r in part.itertuples():
            marks = []
            if r.disagree:
                marks.append(label("explorer.mark_disagree", L))
            if r.modified:
                marks.append(label("explorer.mark_modified", L))
            status = label("status." + r.status, L) if isinstance(r.status, str) else "—"
            opts.append((f"{r.request_id} — {getattr(r, name)} — {status}" + (f" — {', '.join(marks)}" if marks else ""),
                         r.request_id))
        keep = self.w_results.value
        set_options(self, self.w_results, opts, default=keep)
        n = len(self.results)
        where = label("explorer.page", L, page=_fmt(page_no + 1, lang=L), pages=_fmt(self.pages(), lang=L),
                      n=_fmt(n, lang=L))
        self.w_page.value = (f"<span class='a60-note'>{html.escape(where)}"
                             + (f" — {html.escape(self._search_note)}" if getattr(self, "_search_note", "") else "")
                             + "</span>")
        self.b_prev.disabled = page_no == 0
        self.b_next.disabled = page_no >= self.pages() - 1
        self._sync_link()

    def _on_lang(self, ch) -> None:
        self.lang = ch["new"]
        self._texts()
        self.show_page(self.page_no)
        if self.history:
            self._show_versions()
            self.show_version()

    def _sync_link(self) -> None:
        params = {"lang": self.lang, "q": self.w_query.value.strip() or None, "cpas": self.w_cpas.value or None,
                  "status": self.w_status.value or None,
                  "show": None if self.w_show.value == "any" else self.w_show.value,
                  "page": str(self.page_no + 1) if self.page_no else None,
                  "request": self.request_id,
                  "version": str(self.w_version.value) if self.request_id and self.w_version.value else None}
        self.pagelink.update(query_string(params), self.lang)

    # -- reading ---------------------------------------------------------------------------

    def open(self, request_id: Optional[str], version_no: Optional[int] = None) -> bool:
        """Read one request (versions and comments) with the stated reason; refused,
        with nothing read, when there is no reason. The reason field empties after the
        read: each request needs its own reason. Returns whether it was read."""
        L = self.lang
        if not request_id:
            self.w_msg.value = f"<p class='a60-warn'>{html.escape(label('explorer.pick_first', L))}</p>"
            return False
        reason = valid_reason(self.w_reason.value)
        if reason is None:
            self.w_msg.value = ""  # a second refusal shows again, even with the same text
            self.w_msg.value = (f"<p class='a60-warn a60-reason-refused' role='alert'>"
                                f"{html.escape(label('explorer.reason_required', L))}</p>")
            return False
        set_busy(self.root, True)
        self.w_msg.value = f"<p class='a60-note a60-loading'>{html.escape(label('loading', L))}</p>"
        try:
            history = self.session.history(request_id, reason=reason)
            comments = self.session.comments(request_id, reason=reason)
        except Exception as exc:
            set_busy(self.root, False)
            self.w_msg.value = f"<p class='a60-warn'>{html.escape(label('error', L, msg=str(exc).splitlines()[0]))}</p>"
            return False
        self.history, self.comments, self.request_id = history, comments, request_id
        sent = [v for v in history if v.sent_at is not None]
        differ = [v for v in sent if v.agrees is False]
        pick = differ or sent or list(history)
        if version_no is None and self._want_version and self._want_version[0] == request_id:
            version_no = self._want_version[1]  # from the page's address
        default = version_no if any(v.version_no == version_no for v in history) else pick[-1].version_no
        self._quiet = True
        try:
            self.w_reason.value = ""
            self.w_version.options = [(self._version_label(v), v.version_no) for v in history]
            self.w_version.value = default
        finally:
            self._quiet = False
        self._show_versions()
        self.show_version()
        self.w_msg.value = (f"<p class='a60-note a60-read-note'>{html.escape(label('explorer.audit_note', L, user=self.session.user.user_id, reason=reason))}</p>")
        set_busy(self.root, False)
        return True

    def _version_label(self, v) -> str:
        L = self.lang
        return (f"{v.version_no} — {label('explorer.kind.' + v.kind, L)} — {label('status.' + v.status, L)}"
                f" — {_d(v.created_at, L)[:10]}")

    def _show_versions(self) -> None:
        L = self.lang
        head = ["explorer.col_version", "explorer.col_kind", "explorer.col_status", "explorer.col_created",
                "explorer.col_sent", "explorer.col_note"]
        rows = []
        for v in self.history:
            tk = v.plan
            tk_txt = (f"{_d(tk.end_date, L)} / {tk.days_to_work}" if tk and tk.ok else "—")
            on = v.answer
            on_txt = f"{_d(on.end_date, L)} / {on.days_to_work}" if on else label("explorer.no_answer", L)
            mark = "" if v.agrees is None else ("✔" if v.agrees else "✘")
            rows.append(f"<tr><td>{v.version_no}{' ← ' + str(v.parent_version_no) if v.parent_version_no else ''}</td>"
                        f"<td>{html.escape(label('explorer.kind.' + v.kind, L))}</td><td>{html.escape(label('status.' + v.status, L))}</td>"
                        f"<td>{_d(v.created_at, L)}</td><td>{_d(v.sent_at, L)}</td><td>{html.escape(v.change_note or '')}</td>"
                        f"<td>{tk_txt}</td><td>{html.escape(on_txt)}</td><td>{mark}</td></tr>")
        ths = "".join(f"<th>{html.escape(label(h, L))}</th>" for h in head)
        ths += (f"<th>{html.escape(label('explorer.toolkit', L))}</th><th>{html.escape(label('explorer.onem', L))}</th><th></th>")
        self.w_versions.value = (f"<h3>{html.escape(label('explorer.versions', L))} {html.escape(self.request_id)}</h3>"
                                 f"<table class='a60-table'><thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        if self.comments:
            items = "".join(f"<li><small>{_d(c.created_at, L)} · {html.escape(c.author)}</small> — {html.escape(c.text)}</li>"
                            for c in self.comments)
            self.w_comments.value = f"<h3>{html.escape(label('explorer.comments', L))}</h3><ul>{items}</ul>"
        else:
            self.w_comments.value = ""

    def show_version(self) -> None:
        """Draw the chosen version: everything is computed first and assigned
        together, so the header, comparison, figures and steps always belong to the same
        request and version."""
        from ..explain import plan_warnings, to_html
        L = self.lang
        v = next((x for x in self.history if x.version_no == self.w_version.value), None)
        if v is None:
            return
        key = (self.request_id, v.version_no, L)
        if key not in self._plans:
            self._plans[key] = plan_version(v.case, L)
        p, err = self._plans[key]
        comment = v.case.get("comment")
        note = f"<p class='a60-note'>💬 {html.escape(comment)}</p>" if comment else ""
        if p is None:
            compare = f"<p class='a60-warn'>{html.escape(label('explorer.plan_error', L, msg=err))}</p>" + note
            timeline = breakdown = b""
            steps = ""
        else:
            compare = self._compare_html(p, v) + note
            timeline, breakdown = timeline_png(p, L), breakdown_png(p, L)
            steps = (f"<h3>{html.escape(label('explorer.steps', L))}</h3>"
                     + to_html(list(p.steps), warnings=plan_warnings(p, L), lang=L))
        self.w_compare.value = compare
        self.w_sheet.value = ""
        self.w_sheet_button.disabled = p is None
        alt = label("explorer.alt_figures", L, request=self.request_id, version=v.version_no)
        for im, png, heading, key in ((self.img_timeline, timeline, "explorer.timeline", "timeline"),
                                      (self.img_breakdown, breakdown, "explorer.breakdown", "breakdown")):
            im.value = _img_html(png, f"{label(heading, L)}. {alt}", key)
            im.layout.display = None if p is not None else "none"
        self.w_steps.value = steps
        self._set_alt(alt)
        self.case_box.remove_class("a60-hidden")
        self._sync_link()

    def _set_alt(self, text: str) -> None:
        # the figure's description also follows the heading above it, for screen
        # readers reading the page in order
        L = self.lang
        self.w_h_timeline.value = (f"<h3>{html.escape(label('explorer.timeline', L))}</h3>"
                                   f"<p class='a60-sr-only'>{html.escape(text)}</p>")
        self.w_h_breakdown.value = f"<h3>{html.escape(label('explorer.breakdown', L))}</h3>"

    def make_sheet(self) -> Optional[bytes]:
        """The answer sheet (PDF) of the version shown, offered as a download link; the
        version was read through the person's session with the reason given."""
        import base64

        from ..sheet import sheet_pdf
        v = next((x for x in self.history if x.version_no == self.w_version.value), None)
        p, _ = self._plans.get((self.request_id, v.version_no, self.lang), (None, None)) if v else (None, None)
        if p is None:
            self.w_sheet.value = ""
            return None
        pdf = sheet_pdf(p, lang=self.lang, request={"request_id": self.request_id, "version": v.version_no})
        name = f"{self.request_id}-v{v.version_no}-{self.lang}.pdf"
        self.w_sheet.value = (f"<a download='{html.escape(name)}' href='data:application/pdf;base64,"
                              f"{base64.b64encode(pdf).decode('ascii')}'>"
                              f"{html.escape(label('explorer.sheet_ready', self.lang, name=name))}</a>")
        return pdf

    def _compare_html(self, p, v) -> str:
        L = self.lang
        a = v.answer
        tk_end, tk_days = p.end_date, p.days_to_work
        if a is None:
            verdict = label("explorer.no_answer", L)
            cls = "a60-note"
        elif a.end_date == tk_end and a.days_to_work == tk_days:
            verdict, cls = "✔ " + label("explorer.agree", L), "a60-note"
        else:
            diff = (a.end_date - tk_end).days if tk_end else "?"
            verdict, cls = "✘ " + label("explorer.disagree", L, d=diff), "a60-warn"
        stored = ""
        sp = v.plan
        if sp is not None and sp.ok and (sp.end_date != tk_end or sp.days_to_work != tk_days):
            # the core changed since the version was saved: show both, ONEM saw neither
            stored = (f"<tr><td>{html.escape(label('explorer.stored', L, date=_d(sp.computed_at, L)[:10]))}</td>"
                      f"<td>{_d(sp.end_date, L)}</td><td>{sp.days_to_work}</td><td>{html.escape(sp.toolkit_version or '')}</td></tr>")
        rows = (f"<tr><th></th><th>{html.escape(label('explorer.end_date', L))}</th><th>{html.escape(label('explorer.days_to_work', L))}</th>"
                f"<th>{html.escape(label('rules', L))}</th></tr>"
                f"<tr><td>{html.escape(label('explorer.toolkit', L))}</td><td>{_d(tk_end, L)}</td><td>{tk_days}</td>"
                f"<td>{html.escape(label('rules.' + p.rules, L))}</td></tr>"
                + stored +
                f"<tr><td>{html.escape(label('explorer.onem', L))}</td><td>{_d(a.end_date, L) if a else '—'}</td>"
                f"<td>{a.days_to_work if a else '—'}</td>"
                f"<td>{html.escape(label('explorer.answered_on', L, date=_d(a.answered_on, L))) if a else ''}</td></tr>")
        return (f"<h3>{html.escape(label('explorer.compare', L))} — {html.escape(label('explorer.version', L))} {v.version_no}</h3>"
                f"<table class='a60-table'>{rows}</table><p class='{cls} a60-verdict'>{html.escape(verdict)}</p>")


def app(lang: Optional[str] = None, location: Optional[str] = None, request_id: Optional[str] = None,
        user_id: Optional[str] = None):
    """Build the explorer for the person who asked for the page (with preheated
    kernels only the register's frame is read before; nothing is shown or read on
    nobody's behalf, and nothing person-level before the person states a reason: a link
    with ``?request=ID`` only finds and selects that request). ``user_id`` names the
    user outside Voila only."""
    from .access import Refused, person_access, refusal_widget
    from .page import query_params
    from .serve import requested_lang, wait_for_request
    loc = source.register_location(location)
    request_index(source.versions(loc))
    wait_for_request()
    q = query_params()
    want = lang or requested_lang()
    try:
        acc = person_access("case-explorer", location, user_id)
    except Refused as exc:
        return refusal_widget(exc, want)
    e = CaseExplorer(acc.session, want, location)
    e._quiet = True
    try:
        e.w_query.value = request_id or q.get("q") or q.get("request") or ""
        if q.get("cpas") in {v for _, v in e.w_cpas.options}:
            e.w_cpas.value = q["cpas"]
        if q.get("status") in STATUSES:
            e.w_status.value = q["status"]
        if q.get("show") in ("disagree", "modified"):
            e.w_show.value = q["show"]
    finally:
        e._quiet = False
    e.run_search()
    if q.get("page", "").isdigit():
        e.show_page(int(q["page"]) - 1)
    want_id = request_id or q.get("request")
    if want_id and q.get("version", "").isdigit():
        e._want_version = (want_id, int(q["version"]))
    if want_id in set(e.results["request_id"]):
        e._quiet = True
        e.w_results.value = want_id
        e._quiet = False
    return W.VBox([W.HTML(acc.who_html(e.lang)), e.root])
