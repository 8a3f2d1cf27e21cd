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

from . import figures as F
from . import source
from .labels import DEFAULT_LANG, LANGS, LANG_OPTIONS, SELECTABLE_LANGS, label
from .policy import STYLE, set_options

MAX_LISTED = 400


def candidate_ids(versions: pd.DataFrame, which: str = "disagree", limit: int = MAX_LISTED) -> list[str]:
    """Request ids to offer: ONEM/toolkit disagreements, modified requests or any
    (sent ones), in id order."""
    v = versions[versions["sent_at"].notna()]
    if which == "disagree":
        ids = v.loc[v["agrees"].eq(False).fillna(False), "request_id"]
    elif which == "modified":
        ids = v.loc[v["kind"].eq("modification"), "request_id"]
    else:
        ids = v["request_id"]
    return sorted(pd.unique(ids))[:limit]


def _d(x) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "—"
    if hasattr(x, "isoformat"):
        return x.isoformat()[:16].replace("T", " ")
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


class CaseExplorer:
    def __init__(self, session, lang: str = DEFAULT_LANG, location: Optional[str] = None,
                 request_id: Optional[str] = None, open_first: bool = True):
        """``session``: the register session of the person using the explorer (see
        :func:`.access.person_access`); every read is audited under them, and a CPAS
        agent is offered, and can read, only their own CPAS's requests."""
        t0 = time.perf_counter()
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.location = source.register_location(location)
        self.session = session
        self.register = session.register
        v = source.versions(self.location)
        if session.user.role == "cpas_agent":
            v = v[v["cpas_nis"] == session.user.cpas_nis]
        self.versions_df = v
        self.history = ()
        self.comments = ()
        self._plans: dict = {}
        self._build()
        first = request_id or (self.w_request.options[0][1] if self.w_request.options else None)
        if first and open_first:
            self.open(first)
        self.load_seconds = time.perf_counter() - t0

    _quiet = False

    def _build(self) -> None:
        self.w_lang = W.ToggleButtons(options=list(LANG_OPTIONS), value=self.lang if self.lang != "en" else "fr",
                                      style={"button_width": "48px"})
        self.w_lang.add_class("a60-lang")
        self.w_show = W.Dropdown(layout=W.Layout(width="330px"))
        self.w_show.add_class("a60-filter-show")
        self.w_request = W.Dropdown(layout=W.Layout(width="330px"))
        self.w_request.add_class("a60-filter-request")
        self.w_reason = W.Text(layout=W.Layout(width="520px"))
        self.w_reason.add_class("a60-reason")
        self.w_version = W.Dropdown(layout=W.Layout(width="420px"))
        self.w_version.add_class("a60-filter-version")
        self.w_title, self.w_versions, self.w_compare, self.w_steps, self.w_comments, self.w_msg = (W.HTML() for _ in range(6))
        self.w_versions.add_class("a60-versions")
        self.w_compare.add_class("a60-compare")
        self.w_steps.add_class("a60-steps")
        self.w_msg.add_class("a60-status")
        self.w_h_timeline, self.w_h_breakdown = W.HTML(), W.HTML()
        # the printable answer sheet of the version shown (art60kit.sheet)
        self.w_sheet_button, self.w_sheet = W.Button(icon="file-pdf-o"), W.HTML()
        self.w_sheet_button.add_class("a60-sheet")
        self.w_sheet_button.on_click(lambda _: self.make_sheet())
        self.img_timeline = W.Image(format="png", layout=W.Layout(width="100%", max_width="900px", height="auto"))
        self.img_timeline.add_class("a60-figure")
        self.img_timeline.add_class("a60-fig-timeline")
        self.img_breakdown = W.Image(format="png", layout=W.Layout(width="100%", max_width="900px", height="auto"))
        self.img_breakdown.add_class("a60-figure")
        self.img_breakdown.add_class("a60-fig-breakdown")
        self._texts()
        self._fill_requests()
        self.w_show.observe(self._on_show, names="value")
        self.w_request.observe(lambda ch: None if self._quiet else self.open(ch["new"]), names="value")
        self.w_version.observe(lambda ch: None if self._quiet else self.show_version(), names="value")
        self.w_reason.observe(self._on_reason, names="value")
        self.w_lang.observe(self._on_lang, names="value")
        self.root = W.VBox([
            W.HTML(STYLE), W.HBox([self.w_title, self.w_lang], layout=W.Layout(justify_content="space-between")),
            W.HBox([self.w_show, self.w_request]), self.w_reason, self.w_msg,
            self.w_versions, self.w_version, self.w_compare, W.HBox([self.w_sheet_button, self.w_sheet]),
            self.w_h_timeline, self.img_timeline, self.w_h_breakdown, self.img_breakdown,
            self.w_steps, self.w_comments])
        self.root.add_class("a60-dashboard")
        self.root.add_class("a60-explorer")

    def _texts(self) -> None:
        L = self.lang
        self._quiet = True
        try:
            self.w_title.value = f"<h2 style='margin:4px 0'>{html.escape(label('explorer.title', L))}</h2>"
            self.w_lang.description = label("lang", L)
            self.w_show.description = label("explorer.filter", L)
            self.w_request.description = label("explorer.request", L)
            self.w_reason.description = label("explorer.reason", L)
            self.w_reason.style = {"description_width": "160px"}
            if not self.w_reason.value or self.w_reason.value in {label("explorer.reason_default", x) for x in LANGS}:
                self.w_reason.value = label("explorer.reason_default", L)
            self.w_version.description = label("explorer.version", L)
            self.w_sheet_button.description = label("explorer.sheet", L)
            self.w_h_timeline.value = f"<h3>{html.escape(label('explorer.timeline', L))}</h3>"
            self.w_h_breakdown.value = f"<h3>{html.escape(label('explorer.breakdown', L))}</h3>"
            set_options(self, self.w_show, [(label("explorer.only_disagree", L), "disagree"),
                                            (label("explorer.only_modified", L), "modified"),
                                            (label("explorer.any", L), "any")])
        finally:
            self._quiet = False

    def _fill_requests(self) -> None:
        ids = candidate_ids(self.versions_df, self.w_show.value or "disagree")
        cpas = self.versions_df.drop_duplicates("request_id").set_index("request_id")[f"cpas_{'nl' if self.lang == 'nl' else 'fr'}"]
        set_options(self, self.w_request, [(f"{i} — {cpas.get(i, '')}", i) for i in ids])

    def _on_show(self, ch) -> None:
        if self._quiet:
            return
        self._fill_requests()
        if self.w_request.value:
            self.open(self.w_request.value)

    def _on_reason(self, ch) -> None:
        if not self._quiet and ch["new"].strip() and not self.history and self.w_request.value:
            self.open(self.w_request.value)

    def _on_lang(self, ch) -> None:
        self.lang = ch["new"]
        self._texts()
        self._fill_requests()
        if self.history:
            self._show_versions()
            self.show_version()

    # -- reading ---------------------------------------------------------------------------

    def open(self, request_id: Optional[str]) -> None:
        L = self.lang
        if not request_id:
            return
        reason = self.w_reason.value.strip()
        if not reason:
            self.history = ()
            self.w_msg.value = f"<p class='a60-warn'>{html.escape(label('explorer.reason_required', L))}</p>"
            return
        try:
            self.history = self.session.history(request_id, reason=reason)
            self.comments = self.session.comments(request_id, reason=reason)
        except Exception as exc:
            self.history = ()
            self.w_msg.value = f"<p class='a60-warn'>{html.escape(label('error', L, msg=str(exc).splitlines()[0]))}</p>"
            return
        self.request_id = request_id
        self.w_msg.value = (f"<p class='a60-note'>{html.escape(label('explorer.audit_note', L, user=self.session.user.user_id, reason=reason))}</p>")
        self._show_versions()
        sent = [v for v in self.history if v.sent_at is not None]
        differ = [v for v in sent if v.agrees is False]
        # listed as a disagreement: open the version where ONEM and the toolkit differ
        pick = differ if (self.w_show.value == "disagree" and differ) else (sent or list(self.history))
        default = pick[-1].version_no
        was = self._quiet
        self._quiet = True
        try:
            self.w_version.options = [(self._version_label(v), v.version_no) for v in self.history]
            self.w_version.value = default
        finally:
            self._quiet = was
        self.show_version()

    def _version_label(self, v) -> str:
        L = self.lang
        return (f"{v.version_no} — {label('explorer.kind.' + v.kind, L)} — {label('status.' + v.status, L)}"
                f" — {_d(v.created_at)[:10]}")

    def _show_versions(self) -> None:
        L = self.lang
        head = ["explorer.col_version", "explorer.col_kind", "explorer.col_status", "explorer.col_created",
                "explorer.col_sent", "explorer.col_note"]
        rows = []
        for v in self.history:
            tk = v.plan
            tk_txt = (f"{_d(tk.end_date)} / {tk.days_to_work}" if tk and tk.ok else "—")
            on = v.answer
            on_txt = f"{_d(on.end_date)} / {on.days_to_work}" if on else label("explorer.no_answer", L)
            mark = "" if v.agrees is None else ("✔" if v.agrees else "✘")
            rows.append(f"<tr><td>{v.version_no}{' ← ' + str(v.parent_version_no) if v.parent_version_no else ''}</td>"
                        f"<td>{html.escape(label('explorer.kind.' + v.kind, L))}</td><td>{html.escape(label('status.' + v.status, L))}</td>"
                        f"<td>{_d(v.created_at)}</td><td>{_d(v.sent_at)}</td><td>{html.escape(v.change_note or '')}</td>"
                        f"<td>{tk_txt}</td><td>{html.escape(on_txt)}</td><td>{mark}</td></tr>")
        ths = "".join(f"<th>{html.escape(label(h, L))}</th>" for h in head)
        ths += (f"<th>{html.escape(label('explorer.toolkit', L))}</th><th>{html.escape(label('explorer.onem', L))}</th><th></th>")
        self.w_versions.value = (f"<h3>{html.escape(label('explorer.versions', L))} {html.escape(self.request_id)}</h3>"
                                 f"<table class='a60-table'><thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        if self.comments:
            items = "".join(f"<li><small>{_d(c.created_at)} · {html.escape(c.author)}</small> — {html.escape(c.text)}</li>"
                            for c in self.comments)
            self.w_comments.value = f"<h3>{html.escape(label('explorer.comments', L))}</h3><ul>{items}</ul>"
        else:
            self.w_comments.value = ""

    def show_version(self) -> None:
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
            self.w_compare.value = f"<p class='a60-warn'>{html.escape(label('explorer.plan_error', L, msg=err))}</p>" + note
            self.img_timeline.value = b""
            self.img_breakdown.value = b""
            self.w_steps.value = ""
            return
        self.w_compare.value = self._compare_html(p, v) + note
        self.w_sheet.value = ""
        self.img_timeline.value = timeline_png(p, L)
        self.img_breakdown.value = breakdown_png(p, L)
        self.w_steps.value = (f"<h3>{html.escape(label('explorer.steps', L))}</h3>"
                              + to_html(list(p.steps), warnings=plan_warnings(p, L), lang=L))

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
            stored = (f"<tr><td>{html.escape(label('explorer.stored', L, date=_d(sp.computed_at)[:10]))}</td>"
                      f"<td>{_d(sp.end_date)}</td><td>{sp.days_to_work}</td><td>{html.escape(sp.toolkit_version or '')}</td></tr>")
        rows = (f"<tr><th></th><th>{html.escape(label('explorer.end_date', L))}</th><th>{html.escape(label('explorer.days_to_work', L))}</th>"
                f"<th>{html.escape(label('rules', L))}</th></tr>"
                f"<tr><td>{html.escape(label('explorer.toolkit', L))}</td><td>{_d(tk_end)}</td><td>{tk_days}</td>"
                f"<td>{html.escape(label('rules.' + p.rules, L))}</td></tr>"
                + stored +
                f"<tr><td>{html.escape(label('explorer.onem', L))}</td><td>{_d(a.end_date) if a else '—'}</td>"
                f"<td>{a.days_to_work if a else '—'}</td>"
                f"<td>{html.escape(label('explorer.answered_on', L, date=_d(a.answered_on))) if a else ''}</td></tr>")
        return (f"<h3>{html.escape(label('explorer.compare', L))} — {html.escape(label('explorer.version', L))} {v.version_no}</h3>"
                f"<table class='a60-table'>{rows}</table><p class='{cls} a60-verdict'>{html.escape(verdict)}</p>")


def app(lang: Optional[str] = None, location: Optional[str] = None, request_id: Optional[str] = None,
        user_id: Optional[str] = None):
    """Build the explorer for the person who asked for the page (with preheated
    kernels only the register's frame is read before; nothing is shown or read on
    nobody's behalf). ``user_id`` names the user outside Voila only."""
    from .access import Refused, person_access, refusal_widget
    from .serve import requested_lang, wait_for_request
    source.versions(source.register_location(location))
    wait_for_request()
    want = lang or requested_lang()
    try:
        acc = person_access("case-explorer", location, user_id)
    except Refused as exc:
        return refusal_widget(exc, want)
    e = CaseExplorer(acc.session, want, location, open_first=False)
    first = request_id or (e.w_request.value if e.w_request.options else None)
    if first:
        e.open(first)
    return W.VBox([W.HTML(acc.who_html(e.lang)), e.root])
