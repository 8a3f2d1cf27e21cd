"""Day breakdown: where the required days come from.

Three horizontal stacked bars in days of the six-day regime:

- *at the contract start*: the past credit in the window of the closest condition at
  that date, and what is missing to its requirement (outlined);
- *at the request date*: counted full-time work, converted part-time work, assimilated
  days and the contract days; the 78-a-quarter cap, if it bit, is hatched back;
- *not counted*: days that slid out of the window while the contract ran, excluded
  lines inside the window, contract days lost to absences.

Each bar has a tick at its requirement. Gids: ``part:<bar>:<part>`` for segments
(bar = start, end, not_counted), ``required:start`` and ``required:end``.
"""
from __future__ import annotations

from ..i18n import fmt_date, fmt_num
from .data import COUNTED_PARTS, NOT_COUNTED_PARTS, day_breakdown_data
from .labels import label
from .style import MARKERS, STYLE, new_figure


def _segment(ax, y, left, width, part, gid, lang, show_value=True, scale=1.0):
    st = STYLE[part]
    rect = ax.barh(y, width, left=left, height=0.56, color=st["color"], hatch=st["hatch"],
                   edgecolor="black" if part in ("missing", "quarter_cap") else "white",
                   linewidth=0.9 if part == "missing" else 0.5,
                   linestyle="--" if part == "missing" else "-", zorder=2)[0]
    rect.set_gid(gid)
    if show_value and width >= 0.045 * scale:
        dark = part in ("work", "assimilated", "absences", "slid_out", "contract")
        ax.text(left + width / 2, y, fmt_num(round(width, 1), lang, 1), ha="center", va="center", fontsize=8,
                color="white" if dark else "black", zorder=3)
    return rect


def day_breakdown(plan, lang: str = "fr", ax=None, width: float = 10.0):
    """Draw the day breakdown of a plan and return the Figure (see the module doc).

    The figure's ``art60kit`` attribute holds ``{"kind": "breakdown", "data":
    Breakdown}``.
    """
    data = day_breakdown_data(plan)
    if ax is None:
        fig = new_figure(width, 3.6)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    pos_end = sum(v for k, v in data.at_end.items() if k in COUNTED_PARTS)
    scale = max(data.required_end, data.required_start, pos_end, data.units_start,
                sum(data.not_counted.values()), 1)
    y_start, y_end, y_nc = 2, 1, 0
    # at the contract start
    left = 0.0
    for part in COUNTED_PARTS:
        v = data.at_start.get(part, 0)
        if v > 0:
            _segment(ax, y_start, left, v, part, f"part:start:{part}", lang, scale=scale)
            left += v
    if data.required_start > data.counted_start:
        _segment(ax, y_start, left, data.required_start - left, "missing", "part:start:missing", lang, scale=scale)
    # at the request date
    left = 0.0
    for part in COUNTED_PARTS:
        v = data.at_end.get(part, 0)
        if v > 0:
            _segment(ax, y_end, left, v, part, f"part:end:{part}", lang, scale=scale)
            left += v
    cap = -data.at_end.get("quarter_cap", 0)
    if cap > 0:
        _segment(ax, y_end, left - cap, cap, "quarter_cap", "part:end:quarter_cap", lang, scale=scale)
    # not counted
    left = 0.0
    for part in NOT_COUNTED_PARTS:
        v = data.not_counted.get(part, 0)
        if v > 0:
            _segment(ax, y_nc, left, v, part, f"part:not_counted:{part}", lang, scale=scale)
            left += v
    # requirement ticks
    for y, req, which in ((y_start, data.required_start, "start"), (y_end, data.required_end, "end")):
        ln = ax.plot([req, req], [y - 0.38, y + 0.38], gid=f"required:{which}", zorder=4, **MARKERS["required"])[0]
        ax.text(req, y + 0.4, " " + label("mark.required", lang, days=req), fontsize=8, va="bottom", ha="center",
                color=MARKERS["required"]["color"])
    ax.set_yticks([y_start, y_end, y_nc], [
        label("bar.start", lang, date=fmt_date(data.contract_start, lang)),
        label("bar.end", lang, date=fmt_date(data.request_date, lang)),
        label("bar.not_counted", lang)], fontsize=8)
    ax.set_ylim(-0.6, 2.85)
    ax.set_xlim(0, scale * 1.08)
    ax.set_xlabel(label("axis.days", lang), fontsize=8)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(label("title.breakdown", lang, case_id=data.case_id), fontsize=10)
    from matplotlib.patches import Patch

    parts = [p for p in COUNTED_PARTS + ("quarter_cap", "missing") + NOT_COUNTED_PARTS]
    present = {p for p in COUNTED_PARTS if data.at_end.get(p, 0) > 0 or data.at_start.get(p, 0) > 0}
    present |= {p for p in NOT_COUNTED_PARTS if data.not_counted.get(p, 0) > 0}
    if cap > 0:
        present.add("quarter_cap")
    if data.required_start > data.counted_start:
        present.add("missing")
    handles = [Patch(facecolor=STYLE[p]["color"], hatch=STYLE[p]["hatch"],
                     edgecolor="black" if p in ("missing", "quarter_cap") else "white",
                     linestyle="--" if p == "missing" else "-", label=label(f"part.{p}", lang))
               for p in parts if p in present]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=7, frameon=False)
    fig.art60kit = {"kind": "breakdown", "data": data}
    return fig
