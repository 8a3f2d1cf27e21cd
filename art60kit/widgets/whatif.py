"""What-if panel: change the contract and see the end date move.

Controls: contract start, regime (days a week), Q and S, absences during the contract,
interpretation options. Each change builds a new case through
:func:`art60kit.caseio.case_from_dict` (same validation as the CLI: an invalid value
shows the message and keeps the last plan), re-plans with
:func:`art60kit.planner.plan` (without the sensitivity analysis, for speed; the
explanation says which options matter) and redraws the career timeline into an
``ipywidgets.Image``. :attr:`WhatIfPanel.timings` holds the last re-plan and redraw
times in milliseconds.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from datetime import date
from typing import Optional

from ..caseio import case_from_dict, case_to_dict
from ..errors import InputError
from ..explain import option_value, rule_set_name
from ..messages import problem_text
from ..i18n import fmt_date, t
from ..model import KINDS, Options
from ..planner import plan as make_plan
from ..viz.labels import label

#: kinds offered for absences during the contract (any kind is accepted from code)
ABSENCE_KINDS = ("unpaid_leave", "unpaid_absence", "unjustified_absence", "sickness_guaranteed_wage",
                 "sickness_indemnified", "work_accident", "maternity", "temporary_unemployment", "strike",
                 "force_majeure", "paid_holiday")


class WhatIfPanel:
    """Re-plan a case while its contract is changed (see the module doc).

    ``draw``: redraw the timeline on each change (False: plan only). ``dpi``: of the
    rendered image. ``zoom``: passed to :func:`art60kit.viz.career_timeline`.
    """

    def __init__(self, case, lang: str = "fr", draw: bool = True, dpi: int = 72, zoom="window",
                 width: float = 10.0):
        import ipywidgets as W

        self.lang = lang
        self.base = case
        self.draw = draw
        self.dpi = dpi
        self.zoom = zoom
        self.width = width
        self.plan = None
        self.case = None
        self.errors: list[str] = []
        self.timings: dict = {}
        self._holding = 0
        self._fig = None
        L = lambda k: label(k, lang)  # noqa: E731
        c = case.contract
        st = {"description_width": "initial"}
        self.start = W.DatePicker(description=L("field.start"), value=c.start, style=st)
        self.days_per_week = W.BoundedFloatText(description=L("field.days_per_week"), value=c.days_per_week,
                                                min=0, max=7, step=0.5, style=st, layout=W.Layout(width="190px"))
        self.weekly_hours = W.BoundedFloatText(description=L("field.weekly_hours"), value=c.q, min=0, max=80,
                                               step=0.5, style=st, layout=W.Layout(width="160px"))
        self.full_time_hours = W.BoundedFloatText(description=L("field.full_time_hours"), value=c.full_time_hours,
                                                  min=0, max=80, step=0.5, style=st, layout=W.Layout(width="160px"))
        opts = case.options
        # the options in words, as users name them (never their ids)
        self.options = {k: W.Dropdown(description=t(f"option.{k}", lang),
                                      options=[(option_value(k, x, lang), x) for x in v],
                                      value=getattr(opts, k), style={"description_width": "360px"},
                                      layout=W.Layout(width="760px"))
                        for k, v in Options.CHOICES.items()}
        self.absences_box = W.VBox()
        self.absences: list = []
        self.add_button = W.Button(description=L("whatif.add_absence"), icon="plus")
        self.add_button.on_click(lambda _: self.add_absence("unpaid_leave", self.start.value, self.start.value))
        for w in [self.start, self.days_per_week, self.weekly_hours, self.full_time_hours, *self.options.values()]:
            w.observe(self._changed, names="value")
        self.summary = W.HTML()
        self.messages = W.HTML()
        self.image = W.Image(format="png")
        self.widget = W.VBox([
            W.HTML(f"<b>{L('whatif.title')}</b> — {case.case_id}"),
            W.HBox([self.start, self.days_per_week, self.weekly_hours, self.full_time_hours]),
            self.absences_box, self.add_button,
            W.HTML(f"<small>{L('whatif.options')}</small>"), W.VBox(list(self.options.values())),
            self.summary, self.messages, self.image,
        ])
        with self.hold():
            for e in c.events:
                self.add_absence(e.kind, e.start, e.end)

    # ------------------------------------------------------------------ plumbing
    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    @contextlib.contextmanager
    def hold(self):
        """Group several changes into one re-plan."""
        self._holding += 1
        try:
            yield self
        finally:
            self._holding -= 1
        if not self._holding:
            self.update()

    def _changed(self, change=None):
        if not self._holding:
            self.update()

    def set_case(self, case) -> None:
        """Start again from another case (e.g. from a :class:`CaseEditor`)."""
        self.base = case
        c = case.contract
        with self.hold():
            self.start.value = c.start
            self.days_per_week.value = c.days_per_week
            self.full_time_hours.value = c.full_time_hours
            self.weekly_hours.value = c.q
            for i in range(len(self.absences) - 1, -1, -1):
                self.remove_absence(i)
            for e in c.events:
                self.add_absence(e.kind, e.start, e.end)

    # ------------------------------------------------------------------ edits
    def set(self, start: Optional[date] = None, days_per_week: Optional[float] = None,
            weekly_hours: Optional[float] = None, full_time_hours: Optional[float] = None, **options) -> None:
        """Change several controls at once (one re-plan)."""
        with self.hold():
            if start is not None:
                self.start.value = start if isinstance(start, date) else date.fromisoformat(str(start))
            if days_per_week is not None:
                self.days_per_week.value = days_per_week
            if full_time_hours is not None:
                self.full_time_hours.value = full_time_hours
            if weekly_hours is not None:
                self.weekly_hours.value = weekly_hours
            for k, v in options.items():
                self.options[k].value = v

    def add_absence(self, kind: str, start, end) -> int:
        import ipywidgets as W

        as_date = lambda d: d if isinstance(d, date) or d is None else date.fromisoformat(str(d))  # noqa: E731
        kinds = list(ABSENCE_KINDS) + ([kind] if kind not in ABSENCE_KINDS else [])
        row = {
            "kind": W.Dropdown(options=[(t(f"kind.{k}", self.lang), k) for k in kinds if k in KINDS] or [(kind, kind)],
                               value=kind, layout=W.Layout(width="260px")),
            "start": W.DatePicker(value=as_date(start)),
            "end": W.DatePicker(value=as_date(end)),
            "remove": W.Button(description="✕", layout=W.Layout(width="36px")),
        }
        for k in ("kind", "start", "end"):
            row[k].observe(self._changed, names="value")
        row["remove"].on_click(lambda _, r=row: self._remove_row(r))
        self.absences.append(row)
        self.absences_box.children = [W.HBox([r["kind"], r["start"], r["end"], r["remove"]]) for r in self.absences]
        self._changed()
        return len(self.absences) - 1

    def set_absence(self, i: int, kind: Optional[str] = None, start=None, end=None) -> None:
        with self.hold():
            r = self.absences[i]
            if kind is not None:
                r["kind"].value = kind
            if start is not None:
                r["start"].value = start if isinstance(start, date) else date.fromisoformat(str(start))
            if end is not None:
                r["end"].value = end if isinstance(end, date) else date.fromisoformat(str(end))

    def _remove_row(self, row) -> None:
        import ipywidgets as W

        self.absences.remove(row)
        self.absences_box.children = [W.HBox([r["kind"], r["start"], r["end"], r["remove"]]) for r in self.absences]
        self._changed()

    def remove_absence(self, i: int) -> None:
        self._remove_row(self.absences[i])

    # ------------------------------------------------------------------ compute
    def case_dict(self) -> dict:
        """The case with the controls applied, in the case format."""
        d = case_to_dict(self.base)
        c = d["contract"]
        c["start"] = self.start.value.isoformat() if self.start.value else None
        c["days_per_week"] = self.days_per_week.value
        c["full_time_hours"] = self.full_time_hours.value
        c["weekly_hours"] = self.weekly_hours.value
        c["events"] = [{"kind": r["kind"].value,
                        "start": r["start"].value.isoformat() if r["start"].value else None,
                        "end": r["end"].value.isoformat() if r["end"].value else None} for r in self.absences]
        d["options"] = {k: w.value for k, w in self.options.items()}
        return d

    def update(self):
        """Validate, re-plan and redraw. Returns the new plan, or None (invalid input:
        :attr:`errors` says why; the last plan and picture stay)."""
        t0 = time.perf_counter()
        try:
            case = case_from_dict(self.case_dict(), source=self.base.source)
        except InputError as e:
            self.errors = [problem_text(p, self.lang) for p in e.problems]  # words, no file path
            self._show_messages()
            return None
        p = make_plan(case, sensitivity=False, lang=self.lang)
        t1 = time.perf_counter()
        self.errors = []
        self.case, self.plan = case, p
        self._show_summary()
        self._show_messages()
        if self.draw:
            self.redraw()
        t2 = time.perf_counter()
        self.timings = {"plan_ms": (t1 - t0) * 1000, "draw_ms": (t2 - t1) * 1000, "total_ms": (t2 - t0) * 1000}
        return p

    def redraw(self) -> None:
        from ..viz.style import png_bytes
        from ..viz.timeline import career_timeline

        if self._fig is None:
            from matplotlib.figure import Figure

            self._fig = Figure(figsize=(self.width, 3.0))
            self._fig.subplots_adjust(left=0.16, right=0.99, top=0.9, bottom=0.12)
        fig = self._fig
        fig.clear()
        ax = fig.add_subplot()
        # light figure: no legend, hatches, bar labels or employer sub-lanes (speed)
        career_timeline(self.plan, lang=self.lang, ax=ax, zoom=self.zoom, legend=False, hatches=False,
                        bar_labels=False, group_employers=False)
        # ticks are most of the drawing time: a few yearly/quarterly date ticks, no minor ones
        import matplotlib.dates as mdates

        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=7))
        ax.minorticks_off()
        self.image.value = png_bytes(fig, dpi=self.dpi)

    @property
    def figure(self):
        """The last drawn matplotlib Figure (for tests and export)."""
        return self._fig

    def _show_summary(self):
        p, lang = self.plan, self.lang
        cond = t("cond.label", lang, days=p.verdict.closest.condition.days, months=p.verdict.closest.condition.months)
        if p.already_admissible:
            s = label("whatif.already", lang, cond=cond)
        elif not p.reachable:
            s = label("whatif.unreachable", lang)
        else:
            s = label("whatif.result", lang, end=fmt_date(p.end_date, lang), request=fmt_date(p.request_date, lang),
                      days=p.days_to_work, rules=rule_set_name(p.rules, self.lang), cond=cond)
            if p.naive_end_date and p.naive_end_date != p.end_date:
                s += " · " + label("whatif.naive", lang, date=fmt_date(p.naive_end_date, lang))
        self.summary.value = s

    def _show_messages(self):
        import html

        if self.errors:
            self.messages.value = (f"<div style='color:#D55E00'><b>{html.escape(label('editor.invalid', self.lang))}</b><ul>"
                                   + "".join(f"<li><code>{html.escape(e)}</code></li>" for e in self.errors) + "</ul></div>")
        else:
            self.messages.value = ""
