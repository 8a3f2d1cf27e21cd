"""Matplotlib figures of the dashboards, rendered to PNG bytes for ``ipywidgets.Image``.

Suppressed cells (fewer than 5 persons) are drawn as grey hatched stubs labelled
"< 5", never as a value. The Okabe-Ito palette keeps colours distinguishable.
"""
from __future__ import annotations

import io
from typing import Mapping, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from matplotlib.ticker import FuncFormatter  # noqa: E402

from .labels import label, month, number  # noqa: E402
from .svgchart import _centroid, _ring_area  # noqa: E402  (one geometry for both map drawings)

BLUE, ORANGE, GREEN, SKY, VERMILION, PURPLE, YELLOW = (
    "#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#CC79A7", "#F0E442")
GREY = "#BBBBBB"
DPI = 80


def new_figure(w: float = 6.4, h: float = 3.2, left: float = 0.09, bottom: float = 0.2,
               right: float = 0.98, top: float = 0.88, wspace: float = 0.25) -> Figure:
    """A pyplot-free figure with fixed margins (constrained layout costs more than the
    drawing itself; a dashboard redraws on every filter change)."""
    fig = Figure(figsize=(w, h), dpi=DPI)
    fig.subplots_adjust(left=left, bottom=bottom, right=right, top=top, wspace=wspace)
    return fig


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


#: on-screen figures: PNG at twice the layout resolution, so text stays sharp on
#: high-density screens and when the browser zooms
SCREEN_DPI = 2 * DPI


def to_data_uri(fig: Figure) -> str:
    """The figure as a ``data:`` URI for an ``<img>`` (which carries the alt text)."""
    import base64
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=SCREEN_DPI)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _belgian(axis, lang: str) -> None:
    """Numbers on a value axis in the reader's Belgian format (``18 945``, ``18.945``)."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v, lang, "{:.0f}" if float(v).is_integer() else "{:.1f}")))


def _empty(ax, lang: str, text: Optional[str] = None) -> None:
    ax.text(0.5, 0.5, text or label("no_data", lang), ha="center", va="center", transform=ax.transAxes,
            color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def _stub_height(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    top = finite.max() if len(finite) and finite.max() > 0 else 10.0
    return top * 0.04


def bars(x_labels, values, suppressed, title: str, lang: str, color: str = BLUE,
         horizontal: bool = False, w: float = 6.4, h: float = 3.2, value_fmt: str = "{:.0f}",
         annotate: bool = True, ylabel: str = "", empty_text: Optional[str] = None) -> Figure:
    """Bars with suppressed cells as hatched grey stubs marked "< 5". ``empty_text``
    replaces "no request" when there are requests but nothing to count here."""
    fig = new_figure(w, h, left=0.34, bottom=0.16) if horizontal else new_figure(w, h, bottom=0.22)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=10, loc="left")
    vals = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype="float64")
    sup = np.asarray(suppressed, dtype=bool)
    if len(vals) == 0 or (np.nan_to_num(vals).sum() == 0 and not sup.any()):
        _empty(ax, lang, empty_text)
        return fig
    pos = np.arange(len(vals))
    shown = np.where(sup, 0.0, np.nan_to_num(vals))
    nothing_shown = not (shown != 0).any()
    stub = 0.1 if nothing_shown else _stub_height(vals)
    draw = ax.barh if horizontal else ax.bar
    draw(pos, shown, color=color)
    if sup.any():
        draw(pos[sup], np.full(sup.sum(), stub), color=GREY, hatch="///", edgecolor="#777777")
    for i in pos:
        if sup[i]:
            txt, v = label("suppressed", lang), stub
        elif annotate and np.isfinite(vals[i]) and len(vals) <= 25:
            txt, v = number(vals[i], lang, value_fmt), vals[i]
        else:
            continue
        if horizontal:
            ax.text(v, i, " " + txt, va="center", fontsize=7)
        else:
            ax.text(i, v, txt, ha="center", va="bottom", fontsize=7)
    ticks = [month(str(x), lang) for x in x_labels]
    _belgian(ax.xaxis if horizontal else ax.yaxis, lang)
    if nothing_shown:
        # only suppressed stubs: a value axis would suggest a scale that is not there
        (ax.set_xlim if horizontal else ax.set_ylim)(0, 1)
        (ax.set_xticks if horizontal else ax.set_yticks)([])
    if horizontal:
        ax.set_yticks(pos, ticks, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(ylabel, fontsize=8)
    else:
        step = max(1, len(ticks) // 12)
        ax.set_xticks(pos[::step], ticks[::step], rotation=45, ha="right", fontsize=7)
        ax.set_ylabel(ylabel, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def lines_with_suppression(df: pd.DataFrame, x: str, series: Mapping[str, tuple[str, str]],
                           title: str, lang: str, w: float = 6.4, h: float = 3.2, ylabel: str = "") -> Figure:
    """Line chart of ``series`` ({column: (label, colour)}); suppressed months marked."""
    fig = new_figure(w, h, bottom=0.22)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=10, loc="left")
    if df.empty or all(df[c].isna().all() for c in series) and not df["suppressed"].any():
        _empty(ax, lang)
        return fig
    pos = np.arange(len(df))
    for col, (name, color) in series.items():
        ax.plot(pos, df[col].to_numpy(dtype="float64"), marker="o", ms=3, color=color, label=name)
    sup = df["suppressed"].to_numpy(dtype=bool)
    if sup.any():
        ax.scatter(pos[sup], np.zeros(sup.sum()), marker="x", color="#777777",
                   label=label("suppressed", lang) + " " + label("persons", lang))
    ticks = [month(m, lang) for m in df[x].astype(str)]
    _belgian(ax.yaxis, lang)
    step = max(1, len(ticks) // 12)
    ax.set_xticks(pos[::step], ticks[::step], rotation=45, ha="right", fontsize=7)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def backlog_and_delay(backlog: pd.DataFrame, delays: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(6.4, 3.4, left=0.08, bottom=0.2, top=0.84)
    ax1, ax2 = fig.subplots(1, 2)
    for ax, df, title in ((ax1, backlog, label("fig.backlog", lang)), (ax2, delays, label("fig.delay", lang))):
        ax.set_title(title, fontsize=8, loc="left", wrap=True)
        if df.empty:
            _empty(ax, lang)
            continue
        pos = np.arange(len(df))
        sup = df["suppressed"].to_numpy(dtype=bool)
        if ax is ax1:
            vals = np.nan_to_num(df["n"].to_numpy(dtype="float64"))
            shown = np.where(sup, 0, vals)
            ax.bar(pos, shown, color=ORANGE)
            if sup.any():
                ax.bar(pos[sup], np.full(sup.sum(), _stub_height(vals) if (shown > 0).any() else 0.1), color=GREY,
                       hatch="///", edgecolor="#777777")
            if not (shown > 0).any():
                ax.set_ylim(0, 1)
                ax.set_yticks([])
        else:
            ax.plot(pos, df["median"].to_numpy(dtype="float64"), marker="o", ms=3, color=BLUE,
                    label=label("median", lang))
            ax.plot(pos, df["p90"].to_numpy(dtype="float64"), marker="o", ms=3, color=VERMILION,
                    label=label("p90", lang))
            if sup.any():
                ax.scatter(pos[sup], np.zeros(sup.sum()), marker="x", color="#777777", label=label("suppressed", lang))
            ax.set_ylim(bottom=0)
            if not np.isfinite(df["median"].to_numpy(dtype="float64")).any():
                ax.set_ylim(0, 1)
                ax.set_yticks([])
            ax.legend(fontsize=7, frameon=False)
        ticks = [month(m, lang) for m in df["month"].astype(str)]
        _belgian(ax.yaxis, lang)
        step = max(1, len(ticks) // 6)
        ax.set_xticks(pos[::step], ticks[::step], rotation=45, ha="right", fontsize=6)
        ax.tick_params(axis="y", labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def by_age(df: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(6.4, 3.4, left=0.24, bottom=0.12, top=0.8, wspace=0.12)
    ax1, ax2 = fig.subplots(1, 2)
    names = [label(f"age.{c}", lang) for c in df["age_category"]]
    pos = np.arange(len(df))
    sup = df["suppressed"].to_numpy(dtype=bool)
    for ax, pre, title, color in ((ax1, "days", label("days_to_work", lang), BLUE),
                                  (ax2, "contract", label("contract_length", lang), GREEN)):
        med = df[f"{pre}_median"].to_numpy(dtype="float64")
        lo = med - df[f"{pre}_q1"].to_numpy(dtype="float64")
        hi = df[f"{pre}_q3"].to_numpy(dtype="float64") - med
        ok = np.isfinite(med)
        ax.barh(pos[ok], med[ok], xerr=[lo[ok], hi[ok]], color=color, ecolor="#333333", capsize=3)
        for i in pos:
            if sup[i]:
                ax.text(0, i, " " + label("suppressed", lang), va="center", fontsize=7, color="#555555")
            elif ok[i]:
                ax.text(med[i], i, " " + number(med[i], lang), va="bottom", fontsize=7)
        if not ok.any():
            ax.set_xlim(0, 1)
            ax.set_xticks([])
        ax.set_yticks(pos, names if ax is ax1 else [""] * len(pos), fontsize=7)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=8, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        _belgian(ax.xaxis, lang)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(label("fig.by_age", lang), fontsize=9, x=0.01, ha="left")
    return fig


def choropleth(values: Mapping[str, float], suppressed: Mapping[str, bool], shapes: Mapping[str, list],
               names: Mapping[str, Mapping[str, str]], lang: str, title: str) -> Figure:
    """Requests by judicial arrondissement; suppressed areas hatched grey."""
    fig = new_figure(5.2, 4.0, left=0.01, right=0.99, bottom=0.01, top=0.92)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=10, loc="left")
    vmax = max([v for v in values.values() if v == v and v is not None] or [1])
    cmap = matplotlib.colormaps["Blues"]
    polys, colors, hatches = [], [], []
    for aid, rings in shapes.items():
        v = values.get(aid)
        for r in rings:
            polys.append(r)
            if suppressed.get(aid):
                colors.append(GREY)
            elif v is None or v != v or v == 0:
                colors.append("#F2F2F2")
            else:
                colors.append(cmap(0.15 + 0.85 * v / vmax))
            hatches.append(bool(suppressed.get(aid)))
    ax.add_collection(PolyCollection(polys, facecolors=colors, edgecolors="#444444", linewidths=0.5))
    hatched = [p for p, hch in zip(polys, hatches) if hch]
    if hatched:
        ax.add_collection(PolyCollection(hatched, facecolors="none", edgecolors="#777777", hatch="///",
                                         linewidths=0))
    for aid, rings in shapes.items():
        big = max(rings, key=lambda r: abs(_ring_area(r)))
        cx, cy = _centroid(big)
        v = values.get(aid)
        txt = label("suppressed", lang) if suppressed.get(aid) else ("0" if not v or v != v else number(v, lang))
        nm = names.get(aid, {}).get(lang) or names.get(aid, {}).get("fr") or aid
        ax.text(cx, cy, f"{nm}\n{txt}", ha="center", va="center", fontsize=6)
    ax.set_xlim(2.5, 6.45)
    ax.set_ylim(49.45, 51.55)
    ax.set_aspect(1 / np.cos(np.radians(50.5)))
    ax.set_axis_off()
    return fig


def fig_close(fig) -> None:
    # Figures are created without pyplot; nothing global to release. Kept for symmetry.
    del fig


__all__ = ["bars", "lines_with_suppression", "backlog_and_delay", "by_age", "choropleth", "to_png",
           "new_figure", "plt"]
