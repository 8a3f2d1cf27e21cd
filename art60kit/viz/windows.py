"""The sliding window: small multiples and an animation.

:func:`window_multiples` draws one panel per request date — the contract start, the
day after the naive end date, the day after the true end date — each with the career
lines that can credit, the contract up to the day before the request, and the window of
the closest condition at that date (extension hatched). A last panel plots the days
counted and required for every request date between (core checks), so the sliding and
the steps of the requirement (age 36/50, 1 March 2026) are visible.

Gids: ``window:<which>`` / ``window_extension:<which>``, ``request:<which>`` (which =
start, naive, end), ``progress:counted``, ``progress:required``.
"""
from __future__ import annotations

from datetime import date, timedelta

from ..explain import rule_set_name
from ..i18n import fmt_date
from .data import progress_series, timeline_data, window_snapshots
from .labels import label
from .style import MARKERS, STYLE, date_axis, dnum, new_figure, span


def _lanes_at(case, rules_id: str) -> dict:
    """Lane of each career line under the rule set of a snapshot (treatments can
    change on 1 March 2026)."""
    from ..rules import default_rulebook
    from .data import TREATMENT_LANE

    rs = default_rulebook().get(rules_id)
    return {i: TREATMENT_LANE[rs.kind(line.kind).treatment] for i, line in enumerate(case.career)}


def _panel(ax, snap, tdata, lang, x0, x1, case=None):
    xr = (x1 - x0).days
    lanes = _lanes_at(case, snap.rules) if case is not None else {b.index: b.lane for b in tdata.lines}
    wl, ww = span(snap.window_base_start, snap.window_end)
    ax.axvspan(wl, wl + ww, color=STYLE["window"]["color"], alpha=0.45, zorder=0, gid=f"window:{snap.which}")
    if snap.window_start < snap.window_base_start:
        ax.axvspan(dnum(snap.window_start), wl, facecolor=STYLE["window"]["color"], alpha=0.3, hatch="..",
                   edgecolor="#8a7f00", zorder=0, gid=f"window_extension:{snap.which}")
    for b in tdata.lines:
        lane = lanes[b.index]
        if lane == "excluded":
            continue
        y = 1 if lane != "extension" else 0.55
        st = STYLE["converted" if b.converted and lane == "work" else lane]
        left, w = span(b.start, b.end)
        ax.barh(y, max(w, 0.003 * xr), left=left, height=0.36, color=st["color"], hatch=st["hatch"],
                edgecolor="white", linewidth=0.3, zorder=2)
    if snap.request_date > tdata.contract_start:
        left, w = span(tdata.contract_start, snap.request_date - timedelta(days=1))
        ax.barh(0, w, left=left, height=0.36, color=STYLE["contract"]["color"], zorder=2, gid=f"contract:{snap.which}")
    ax.axvline(dnum(snap.request_date), gid=f"request:{snap.which}", zorder=4,
               **MARKERS["end_date" if snap.which == "end" else ("naive_end" if snap.which == "naive" else "contract_start")])
    outcome = (label("outcome.ok", lang) if snap.admissible else label("outcome.missing", lang, n=snap.missing))
    ax.set_title(f"{label('panel.' + snap.which, lang)} — " + label(
        "panel.status", lang, date=fmt_date(snap.request_date, lang), rules=rule_set_name(snap.rules, lang), counted=snap.counted,
        required=snap.required, outcome=outcome), fontsize=9, loc="left")
    ax.set_yticks([1, 0.55, 0], [label("lane.work", lang) + " / " + label("lane.assimilated", lang),
                                 label("lane.extension", lang), label("lane.contract", lang)], fontsize=7)
    ax.set_ylim(-0.35, 1.35)
    ax.set_xlim(dnum(x0), dnum(x1))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def window_multiples(plan, lang: str = "fr", progress: bool = True, step_days: int = 7, width: float = 12.0,
                     book=None):
    """Small multiples of the window (see the module doc); returns the Figure.

    ``progress``: add the panel of days counted/required per request date (one core
    check every ``step_days`` days). ``book``: the rule book the plan was made with. The figure's ``art60kit`` attribute holds
    ``{"kind": "windows", "snapshots": (...), "progress": (...)}``.
    """
    snaps = window_snapshots(plan, book)
    tdata = timeline_data(plan)
    starts = [s.window_start for s in snaps] + [tdata.contract_start]
    last = max([s.request_date for s in snaps] + [tdata.contract_start]) + timedelta(days=45)
    x0 = min(starts) - timedelta(days=45)
    rows = len(snaps) + (1 if progress else 0)
    fig = new_figure(width, 1.75 * len(snaps) + (2.3 if progress else 0) + 0.5)
    heights = [1] * len(snaps) + ([1.4] if progress else [])
    axes = fig.subplots(rows, 1, gridspec_kw={"height_ratios": heights})
    axes = list(axes) if rows > 1 else [axes]
    for ax, snap in zip(axes, snaps):
        if ax is not axes[0]:
            ax.sharex(axes[0])
        _panel(ax, snap, tdata, lang, x0, last, plan.case)
    for ax in axes[:len(snaps) - 1]:
        ax.tick_params(labelbottom=False)
    date_axis(axes[len(snaps) - 1])
    series = ()
    if progress:
        ax = axes[-1]
        series = progress_series(plan, step_days=step_days, after_days=0, book=book)
        px0 = tdata.contract_start - timedelta(days=10)
        px1 = max(p.request_date for p in series) + timedelta(days=10)
        ax.set_xlim(dnum(px0), dnum(px1))
        date_axis(ax)
        xs = [dnum(p.request_date) for p in series]
        ax.step(xs, [p.counted for p in series], where="post", color=STYLE["contract"]["color"], linewidth=1.8,
                gid="progress:counted", label=label("progress.counted", lang))
        ax.step(xs, [p.required for p in series], where="post", color=MARKERS["required"]["color"], linewidth=1.6,
                linestyle="--", gid="progress:required", label=label("progress.required", lang))
        for snap in snaps:
            if snap.which != "start":
                st = MARKERS["end_date" if snap.which == "end" else "naive_end"]
                ax.axvline(dnum(snap.request_date), **st)
        for d in tdata.rule_changes:
            if px0 <= d <= px1:
                ax.axvline(dnum(d), **MARKERS["rule_change"], label=label("mark.rule_change", lang, date=fmt_date(d, lang)))
        for age, d in tdata.age_marks:
            if px0 <= d <= px1:
                ax.axvline(dnum(d), **MARKERS["age"], label=label("mark.age", lang, age=age, date=fmt_date(d, lang)))
        lo = min(p.counted for p in series)
        ax.set_ylim(max(0, lo - 30), max(max(p.required for p in series), max(p.counted for p in series)) + 30)
        ax.set_ylabel(label("axis.days", lang), fontsize=7)
        ax.legend(fontsize=7, loc="upper left", frameon=False)
        ax.grid(color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(label("axis.date", lang), fontsize=7)
    fig.suptitle(label("title.windows", lang, case_id=plan.case.case_id), fontsize=10)
    fig.art60kit = {"kind": "windows", "snapshots": snaps, "progress": series}
    return fig


def window_animation(plan, lang: str = "fr", step_days: int = 14, interval_ms: int = 250):
    """An animation of the window while the contract runs (one frame every
    ``step_days`` days from the contract start to the day after the end date). Returns
    a :class:`matplotlib.animation.FuncAnimation` (``.save("w.gif", writer="pillow")``
    or ``.to_jshtml()`` in a notebook); its figure has the ``art60kit`` attribute with the
    frames' snapshots."""
    from matplotlib.animation import FuncAnimation

    from ..admissibility import check
    from .data import _snapshot

    tdata = timeline_data(plan)
    start = plan.case.contract.start
    stop = plan.request_date or start
    days = []
    d = start
    while d < stop:
        days.append(d)
        d += timedelta(days=step_days)
    days.append(stop)
    snaps = []
    for i, d in enumerate(days):
        v = check(plan.case, d, options=plan.options)
        snaps.append(_snapshot("end" if d == stop else "start", v))
    x0 = min(s.window_start for s in snaps) - timedelta(days=45)
    x1 = stop + timedelta(days=45)
    fig = new_figure(12, 2.4)
    ax = fig.add_subplot()

    def draw(k):
        ax.clear()
        _panel(ax, snaps[k], tdata, lang, x0, x1, plan.case)
        date_axis(ax)
        return ()

    anim = FuncAnimation(fig, draw, frames=len(snaps), interval=interval_ms, blit=False)
    fig.art60kit = {"kind": "window_animation", "snapshots": tuple(snaps)}
    return anim
