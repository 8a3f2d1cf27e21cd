"""Career timeline: one lane per kind of line, the contract, the window and the markers.

Drawn objects carry a ``gid`` so that tests and tools can find them. Career lines are
drawn as one PolyCollection per style and lane (``lines:<style>:<y>``) whose
``line_indices`` attribute gives the career index of each rectangle, in path order;
lanes are listed top to bottom in ``fig.art60kit["lanes"]`` (y = n - 1 - position).
Contract ``contract``; events ``event:<index>``; window ``window`` and its extension
``window_extension``; vertical markers ``end_date`` (at the end of the last contract
day), ``naive_end``, ``contract_start``, ``age_36``, ``age_50``, ``rule_change:<date>``.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Optional, Union

from ..explain import rule_set_name
from ..i18n import fmt_date, t
from .data import LANES, TimelineData, timeline_data
from .labels import label
from .style import MARKERS, STYLE, date_axis, dnum, new_figure, span

ZoomArg = Union[None, str, tuple]


def _lanes(data: TimelineData, lang: str, group_employers, max_employer_lanes: int):
    """Lane ids and labels, top to bottom; ``work`` splits into ``work:<employer>``
    sub-lanes when grouping."""
    work = [b for b in data.lines if b.lane == "work"]
    emps = Counter((b.employer or "").strip() for b in work)
    group = group_employers if group_employers != "auto" else (len(emps) > 1)
    lanes, line_lane = [], {}
    if group and work:
        first = {}
        for b in sorted(work, key=lambda b: b.start):
            first.setdefault((b.employer or "").strip(), b.start)
        keep = [e for e, _ in emps.most_common()][:max_employer_lanes]
        if len(emps) > max_employer_lanes:
            keep = keep[:max_employer_lanes - 1]
        keep.sort(key=lambda e: first[e])
        for e in keep:
            name = e or label("lane.no_employer", lang)
            lanes.append((f"work:{e}", f"{label('lane.work', lang)} · {name} ({emps[e]})"))
        rest = [e for e in emps if e not in keep]
        if rest:
            n = sum(emps[e] for e in rest)
            lanes.append(("work:*", f"{label('lane.work', lang)} · {label('lane.other_employers', lang)} ({n})"))
        for b in work:
            e = (b.employer or "").strip()
            line_lane[b.index] = f"work:{e}" if e in keep else "work:*"
    else:
        lanes.append(("work", label("lane.work", lang)))
        for b in work:
            line_lane[b.index] = "work"
    for lane in LANES[1:]:
        lanes.append((lane, label(f"lane.{lane}", lang)))
    for b in data.lines:
        if b.lane != "work":
            line_lane[b.index] = b.lane
    lanes.append(("contract", label("lane.contract", lang)))
    return lanes, line_lane, group


def _xlim(data: TimelineData, zoom: ZoomArg) -> tuple[date, date]:
    last = data.end_date or data.request_date or data.contract_start
    ends = [last, data.contract_start, data.window_end]
    if data.naive_end_date:
        ends.append(data.naive_end_date)
    hi = max(ends) + timedelta(days=60)
    if zoom is None:
        starts = [b.start for b in data.lines] + [data.window_start, data.contract_start]
        return min(starts) - timedelta(days=30), hi
    if zoom == "window":
        return data.window_start - timedelta(days=30), hi
    if isinstance(zoom, tuple) and len(zoom) == 2:
        a, b = (z if isinstance(z, date) else date.fromisoformat(str(z)) for z in zoom)
        return a, b
    raise ValueError("zoom must be None, 'window' or a (start, end) pair of dates")


def career_timeline(plan, lang: str = "fr", ax=None, group_employers="auto", max_employer_lanes: int = 8,
                    zoom: ZoomArg = None, width: float = 12.0, legend: bool = True, hatches: bool = True,
                    bar_labels: bool = True):
    """Draw the career timeline of a plan and return the Figure.

    - lanes: work (split by employer when ``group_employers`` is True, or "auto" and
      there is more than one employer; at most ``max_employer_lanes``, the rest in
      "other employers"), assimilated, extension, excluded/neutral, and the contract;
      the lane of a line is its treatment under the rule set applied at the request date;
    - the reference window at the request date (yellow) and its extension (hatched),
      with the extending periods it used outlined in black;
    - markers: contract start, end date, naive end date, ages 36 and 50, the rule
      change of 1 March 2026 (only those inside the x range);
    - ``zoom``: None (whole career), "window" (from the window start) or (start, end);
    - ``legend``/``hatches``/``bar_labels``: False for a lighter, faster figure (the
      what-if panel).

    The figure's ``art60kit`` attribute holds ``{"kind": "timeline", "lanes": [...],
    "data": TimelineData}``.
    """
    data = timeline_data(plan)
    lanes, line_lane, grouped = _lanes(data, lang, group_employers, max_employer_lanes)
    n = len(lanes)
    if ax is None:
        fig = new_figure(width, 1.6 + 0.42 * n)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    ypos = {lid: n - 1 - k for k, (lid, _) in enumerate(lanes)}
    x0, x1 = _xlim(data, zoom)
    xr = (x1 - x0).days
    ax.set_xlim(dnum(x0), dnum(x1))
    ax.set_ylim(-0.7, n - 0.3)

    # window and its extension, behind everything
    wl, ww = span(data.window_base_start, data.window_end)
    ax.axvspan(wl, wl + ww, color=STYLE["window"]["color"], alpha=0.35, zorder=0, gid="window",
               label=label("mark.window", lang, months=data.window_months))
    if data.window_start < data.window_base_start:
        el = dnum(data.window_start)
        ax.axvspan(el, wl, facecolor=STYLE["window"]["color"], alpha=0.25, hatch="..", edgecolor="#8a7f00",
                   zorder=0, gid="window_extension",
                   label=label("mark.window_extension", lang, days=(data.window_base_start - data.window_start).days))

    # career bars, one barh call per style (fast for long careers), one gid per line
    groups: dict = {}
    for b in data.lines:
        lane = line_lane[b.index]
        key = ("converted" if b.converted else b.lane, b.used, b.lane == "extension" and b.qualifies is False)
        left, w = span(b.start, b.end)
        # a one-day line stays visible on a ten-year axis
        groups.setdefault(key, []).append((b, ypos[lane], left, max(w, 0.003 * xr)))
        if not bar_labels:
            pass
        elif not grouped and w > 0.05 * xr:
            txt = b.employer or t(f"kind.{b.kind}", lang)
            ax.text(left + w / 2, ypos[lane], txt, ha="center", va="center", fontsize=7,
                    color="white" if b.lane in ("work", "assimilated") and not b.converted else "black",
                    zorder=3, clip_on=True)
        elif b.lane != "work" and w > 0.05 * xr:
            ax.text(left + w / 2, ypos[lane], t(f"kind.{b.kind}", lang), ha="center", va="center", fontsize=7,
                    zorder=3, clip_on=True, color="white" if b.lane == "assimilated" else "black")
    for (style, used, faded), items in groups.items():
        st = STYLE[style]
        # one collection per style and lane: PolyCollections are far cheaper than patches
        by_y: dict = {}
        for it in items:
            by_y.setdefault(it[1], []).append(it)
        for y, its in by_y.items():
            coll = ax.broken_barh([(x, w) for _, _, x, w in its], (y - 0.31, 0.62), facecolors=st["color"],
                                  hatch=st["hatch"] if hatches else None,
                                  edgecolors="black" if used else "white", linewidths=1.6 if used else 0.4,
                                  alpha=0.45 if faded else 0.95, zorder=2)
            coll.set_gid(f"lines:{style}:{y}")
            #: career indexes of the rectangles, in path order (for tests and tools)
            coll.line_indices = tuple(b.index for b, *_ in its)

    # the contract and its events
    yc = ypos["contract"]
    c_end = data.end_date or data.window_end
    if data.end_date is not None or data.already_admissible:
        left, w = span(data.contract_start, max(c_end, data.contract_start))
        rect = ax.barh(yc, w, left=left, height=0.62, color=STYLE["contract"]["color"], zorder=2,
                       alpha=0.25 if data.already_admissible else 0.95, edgecolor="black", linewidth=0.6)[0]
        rect.set_gid("contract")
    for e in data.events:
        left, w = span(e.start, e.end)
        w = max(w, 0.003 * xr)
        lane = {"counted": "work", "assimilated": "assimilated", "assimilated_capped": "assimilated",
                "extends": "extension"}.get(e.treatment)
        col = STYLE[lane]["color"] if lane else "white"
        rect = ax.barh(yc, w, left=left, height=0.62, color=col, hatch="xx" if lane is None else STYLE[lane]["hatch"],
                       edgecolor="black", linewidth=0.8, zorder=3)[0]
        rect.set_gid(f"event:{e.index}")

    # vertical markers (inside the x range only)
    def vline(d: date, gid: str, style: str, text: str, top: bool = True):
        if not (x0 <= d <= x1):
            return None
        ln = ax.axvline(dnum(d), gid=gid, zorder=4, label=text, **MARKERS[style])
        return ln

    vline(data.contract_start, "contract_start", "contract_start",
          label("mark.contract_start", lang, date=fmt_date(data.contract_start, lang)))
    if data.end_date is not None:
        # the end date line sits at the end of the last contract day
        ln = ax.axvline(dnum(data.end_date + timedelta(days=1)), gid="end_date", zorder=5,
                        label=label("mark.end_date", lang, date=fmt_date(data.end_date, lang)), **MARKERS["end_date"])
    if data.naive_end_date is not None and data.naive_end_date != data.end_date:
        if x0 <= data.naive_end_date <= x1:
            ax.axvline(dnum(data.naive_end_date + timedelta(days=1)), gid="naive_end", zorder=4,
                       label=label("mark.naive_end", lang, date=fmt_date(data.naive_end_date, lang)),
                       **MARKERS["naive_end"])
    for age, d in data.age_marks:
        ln = vline(d, f"age_{age}", "age", label("mark.age", lang, age=age, date=fmt_date(d, lang)))
        if ln is not None:
            ax.text(dnum(d), n - 0.35, f" {age}", fontsize=8, va="top", ha="left")
    for d in data.rule_changes:
        vline(d, f"rule_change:{d.isoformat()}", "rule_change",
              label("mark.rule_change", lang, date=fmt_date(d, lang)))

    ax.set_yticks([ypos[lid] for lid, _ in lanes], [lab for _, lab in lanes], fontsize=8)
    date_axis(ax)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=-1)
    ax.set_axisbelow(True)
    if data.end_date is not None:
        sub = label("mark.end_date", lang, date=fmt_date(data.end_date, lang))
    elif data.already_admissible:
        sub = label("mark.already", lang)
    else:
        sub = label("mark.unreachable", lang)
    ax.set_title(f"{label('title.timeline', lang, case_id=data.case_id)} · {sub} · {rule_set_name(data.rules, lang)}", fontsize=10)
    if legend:
        _legend(ax, lang)
    fig.art60kit = {"kind": "timeline", "lanes": [lid for lid, _ in lanes],
                    "lane_labels": [lab for _, lab in lanes], "data": data, "xlim": (x0, x1)}
    return fig


def _legend(ax, lang):
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=STYLE[k]["color"], hatch=STYLE[k]["hatch"], edgecolor="white",
                     label=label(f"lane.{k}" if k != "converted" else "part.converted", lang)) for k in ("work", "converted", "assimilated", "extension", "excluded", "contract")]
    handles.append(Patch(facecolor="white", edgecolor="black", linewidth=1.6, label=label("mark.extension_used", lang)))
    h2, l2 = ax.get_legend_handles_labels()
    labels = [h.get_label() for h in handles] + l2
    if ax.figure.get_layout_engine() is not None and len(ax.figure.axes) == 1:
        # our own figure: a figure legend that the constrained layout makes room for
        ax.figure.legend(handles + h2, labels, loc="outside lower center", ncol=4, fontsize=7, frameon=False)
    else:
        ax.legend(handles + h2, labels, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, fontsize=7,
                  frameon=False)
