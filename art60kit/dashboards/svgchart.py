"""The dashboards' on-screen figures: vector SVG written directly (a filter change
redraws every figure in a few milliseconds, where a plotting library took seconds).

Each chart is one ``<svg role="img">`` with a ``<title>`` and an ``aria-label`` (its text
alternative: the title and the numbers drawn), text in CSS pixels at a fixed size for
a 640-pixel-wide figure (13 px labels, 15 px titles), and a layout computed from the
labels' estimated widths: long labels wrap, margins grow, nothing is cut. Suppressed
cells (fewer than 5 persons) are grey hatched stubs marked "< 5", never a value.
"""
from __future__ import annotations

import html
import math
from typing import Mapping, Optional, Sequence

import numpy as np

from .labels import number

WIDTH = 640
FONT = 13
TITLE = 15
SMALL = 12
BLUE, ORANGE, GREEN, SKY, VERMILION, PURPLE = ("#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#CC79A7")
GREY, INK, MUTED = "#BBBBBB", "#1a1a1a", "#4d4d4d"
_HATCH = ("<defs><pattern id='{id}' patternUnits='userSpaceOnUse' width='6' height='6' patternTransform='rotate(45)'>"
          "<rect width='6' height='6' fill='#D9D9D9'/><line x1='0' y1='0' x2='0' y2='6' stroke='#808080' stroke-width='2'/>"
          "</pattern></defs>")


def _pattern_id(key: str) -> str:
    """The id of a figure's hatch pattern: one per figure key (a page's figures have
    distinct keys), the same at every redraw, so that a figure drawn again unchanged
    is the same text and is not sent to the browser again."""
    return f"a60-hatch-{key}"


def text_width(text: str, size: float = FONT, bold: bool = False) -> float:
    """Estimated rendered width of ``text`` in a sans-serif font (generous: capitals
    and wide letters count more), so layouts leave room rather than cut."""
    w = 0.0
    for ch in text:
        if ch in "il.,:;'|!() ":
            w += 0.32
        elif ch in "mwMW":
            w += 0.9
        elif ch.isupper() or ch.isdigit() or ch in "%<>≥≤+−-–—":
            w += 0.68
        else:
            w += 0.6
    return w * size * (1.1 if bold else 1.0)


def wrap(text: str, width: float, size: float = FONT, max_lines: int = 3, bold: bool = False) -> list[str]:
    """Words of ``text`` in lines no wider than ``width`` (a longer single word keeps
    its own line; the figure then grows rather than cuts it)."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if cur and text_width(trial, size, bold) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return lines or [""]


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _text(x, y, s, size=FONT, anchor="start", color=INK, weight="normal", baseline="auto", cls="") -> str:
    return (f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' fill='{color}'"
            f" font-weight='{weight}' dominant-baseline='{baseline}'{f' class={chr(39)}{cls}{chr(39)}' if cls else ''}>"
            f"{_e(s)}</text>")


def _svg(body: str, height: float, title: str, alt: str, key: str) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' class='a60-figure a60-fig-{key}' role='img' "
            f"aria-label='{_e(alt)}' viewBox='0 0 {WIDTH} {height:.0f}' width='100%' "
            f"style='max-width:{WIDTH * 1.15:.0f}px;height:auto;font-family:system-ui,\"DejaVu Sans\",Arial,sans-serif'>"
            f"<title>{_e(title)}</title>{body}</svg>")


def _title(title: str, y0: float = 4) -> tuple[str, float]:
    lines = wrap(title, WIDTH - 16, TITLE, 3, bold=True)
    out = "".join(_text(8, y0 + (i + 1) * (TITLE + 4), ln, TITLE, weight="bold") for i, ln in enumerate(lines))
    return out, y0 + len(lines) * (TITLE + 4) + 10


def _nice_max(v: float) -> float:
    if not v or v <= 0 or not math.isfinite(v):
        return 1.0
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if m * e >= v:
            return m * e
    return 10 * e


def _ticks(vmax: float, n: int = 4) -> list[float]:
    """Axis ticks from 0: a round step (1, 2 or 5 times a power of ten, at least 1:
    counts and days are whole numbers), enough steps to pass ``vmax``.

    >>> _ticks(38), _ticks(3), _ticks(0)
    ([0, 10, 20, 30, 40], [0, 1, 2, 3], [0, 1])
    """
    if not vmax or vmax <= 0 or not math.isfinite(vmax):
        return [0, 1]
    raw = vmax / n
    e = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * e for m in (1, 2, 5, 10) if m * e >= raw)
    step = max(1, int(round(step)))
    k = math.ceil(vmax / step)
    return [i * step for i in range(k + 1)]


def _fmt(v: float, lang: str, fmt: str = "{:.0f}") -> str:
    """A number drawn on a figure, in the reader's Belgian format (``18 945``, ``18.945``)."""
    return number(v, lang, fmt)


def _y_grid(body: list, ticks: Sequence[float], x0: float, x1: float, Y, lang: str) -> None:
    """Horizontal grid lines with the value axis's tick labels left of ``x0``."""
    for t in ticks:
        body.append(f"<line x1='{x0:.1f}' y1='{Y(t):.1f}' x2='{x1:.1f}' y2='{Y(t):.1f}' stroke='#e3e3e3'/>")
        body.append(_text(x0 - 6, Y(t), _fmt(t, lang), SMALL, anchor="end", color=MUTED, baseline="middle"))


def _x_layout(labels: Sequence[str], slot: float) -> tuple[bool, int, float]:
    """How the category labels under a horizontal axis fit slots of ``slot`` pixels:
    (turned 45 degrees, every how many labels one is written, height they take)."""
    max_lab = max(text_width(x, SMALL) for x in labels)
    rotate = max_lab > slot * 0.95
    step = 1
    while rotate and slot * step < SMALL + 6:
        step += 1
    return rotate, step, (max_lab * 0.72 + 12) if rotate else SMALL + 10


def _x_label(body: list, cx: float, y1: float, text: str, rotate: bool) -> None:
    """One category label under the axis at ``y1``, centred on ``cx`` (or turned)."""
    if rotate:
        body.append(f"<text x='{cx:.1f}' y='{y1 + 8:.1f}' font-size='{SMALL}' text-anchor='end' fill='{INK}'"
                    f" transform='rotate(-45 {cx:.1f} {y1 + 8:.1f})' dominant-baseline='middle'>{_e(text)}</text>")
    else:
        body.append(_text(cx, y1 + SMALL + 4, text, SMALL, anchor="middle"))


def _x_axis_end(body: list, x0: float, x1: float, y1: float, lab_h: float, axis_label: str) -> float:
    """The axis line, its title under the labels; returns the figure's height."""
    body.append(f"<line x1='{x0:.1f}' y1='{y1:.1f}' x2='{x1:.1f}' y2='{y1:.1f}' stroke='{MUTED}'/>")
    height = y1 + lab_h + 8
    if axis_label:
        body.append(_text((x0 + x1) / 2, height + 6, axis_label, SMALL, anchor="middle", color=MUTED))
        height += 20
    return height


def empty(title: str, text: str, key: str) -> str:
    t, y = _title(title)
    body = t + _text(WIDTH / 2, y + 50, text, FONT, anchor="middle", color=MUTED)
    return _svg(body, y + 90, title, f"{title}. {text}", key)


def bars(labels: Sequence[str], values, suppressed, title: str, lang: str, key: str, *, color: str = BLUE,
         horizontal: bool = False, value_fmt: str = "{:.0f}", annotate: bool = True, alt: str = "",
         hidden_text: str = "< 5", empty_text: str = "", axis_label: str = "") -> str:
    """Vertical or horizontal bars; suppressed cells as hatched stubs marked ``< 5``."""
    vals = np.asarray([float("nan") if v is None else float(v) for v in values], dtype="float64")
    sup = np.asarray(list(suppressed), dtype=bool) if len(vals) else np.zeros(0, bool)
    labels = [str(x) for x in labels]
    if len(vals) == 0 or (np.nan_to_num(vals).sum() == 0 and not sup.any()):
        return empty(title, empty_text, key)
    pid = _pattern_id(key)
    head, top = _title(title)
    shown = np.where(sup | ~np.isfinite(vals), 0.0, vals)
    lo = min(0.0, float(shown.min()))
    hi = max(0.0, float(shown.max()))
    body = [_HATCH.format(id=pid), head]
    if horizontal:
        lab_w = min(WIDTH * 0.45, max(text_width(x) for x in labels) + 10)
        lab_lines = [wrap(x, lab_w - 10, FONT, 2) for x in labels]
        row = max(22, max(len(ls) for ls in lab_lines) * (FONT + 3) + 6)
        x0 = lab_x = 8 + lab_w
        val_room = max(text_width(_fmt(v, lang, value_fmt)) for v in np.nan_to_num(vals)) + 14
        val_room = max(val_room, text_width(hidden_text) + 14)
        x1 = WIDTH - val_room
        if lo < 0:  # negative bars grow left: their values need room there too
            x0 += val_room
        span = (_nice_max(hi) - min(lo, 0)) if lo < 0 else _nice_max(hi)
        base = x0 + (-lo / span * (x1 - x0) if lo < 0 else 0)

        def X(v):
            return base + v / span * (x1 - x0)
        y = top
        for i, lab in enumerate(labels):
            cy = y + row / 2
            for j, ln in enumerate(lab_lines[i]):
                dy = (j - (len(lab_lines[i]) - 1) / 2) * (FONT + 3)
                body.append(_text(lab_x - 8, cy + dy, ln, anchor="end", baseline="middle"))
            if sup[i]:
                body.append(f"<rect x='{base:.1f}' y='{y + 4:.1f}' width='14' height='{row - 8:.1f}' fill='url(#{pid})' stroke='#808080'/>")
                body.append(_text(base + 18, cy, hidden_text, SMALL, color=MUTED, baseline="middle"))
            elif np.isfinite(vals[i]):
                xa, xb = sorted((base, X(vals[i])))
                body.append(f"<rect x='{xa:.1f}' y='{y + 4:.1f}' width='{max(xb - xa, 0.5):.1f}' height='{row - 8:.1f}' fill='{color}'/>")
                if annotate:
                    tx = xb + 4 if vals[i] >= 0 else xa - 4
                    body.append(_text(tx, cy, _fmt(vals[i], lang, value_fmt), SMALL, anchor="start" if vals[i] >= 0 else "end",
                                      baseline="middle"))
            y += row
        body.append(f"<line x1='{base:.1f}' y1='{top:.1f}' x2='{base:.1f}' y2='{y:.1f}' stroke='{MUTED}'/>")
        if axis_label:
            body.append(_text((x0 + x1) / 2, y + 20, axis_label, SMALL, anchor="middle", color=MUTED))
            y += 24
        height = y + 10
    else:
        n = len(labels)
        val_h = 0 if not annotate else SMALL + 6
        y_axis_w = max(text_width(_fmt(t, lang), SMALL) for t in _ticks(hi)) + 14
        x0, x1 = 8 + y_axis_w, WIDTH - 10
        slot = (x1 - x0) / n
        # "< 5" over each hidden bar when there is room, else once in a legend
        per_bar = text_width(hidden_text, SMALL) <= slot
        if sup.any() and not per_bar:
            body.append(f"<rect x='8' y='{top:.1f}' width='14' height='14' fill='url(#{pid})' stroke='#808080'/>")
            body.append(_text(26, top + 7, hidden_text, SMALL, baseline="middle"))
            top += 22
        # tick labels: every k-th so that they never overlap; rotated when the slot is narrow
        rotate, step, lab_h = _x_layout(labels, slot)
        plot_h = 190
        y0, y1 = top + val_h, top + val_h + plot_h
        ticks = _ticks(hi)
        vmax = ticks[-1]

        def Y(v):
            return y1 - v / vmax * (y1 - y0)
        _y_grid(body, ticks, x0, x1, Y, lang)
        bw = slot * 0.7
        for i in range(n):
            cx = x0 + slot * (i + 0.5)
            if sup[i]:
                h = max(6.0, (y1 - y0) * 0.04)
                body.append(f"<rect x='{cx - bw / 2:.1f}' y='{y1 - h:.1f}' width='{bw:.1f}' height='{h:.1f}' fill='url(#{pid})' stroke='#808080'/>")
                if per_bar:
                    body.append(_text(cx, y1 - h - 4, hidden_text, SMALL, anchor="middle", color=MUTED))
            elif np.isfinite(vals[i]) and vals[i] > 0:
                body.append(f"<rect x='{cx - bw / 2:.1f}' y='{Y(vals[i]):.1f}' width='{bw:.1f}' height='{y1 - Y(vals[i]):.1f}' fill='{color}'/>")
                shown_v = _fmt(vals[i], lang, value_fmt)
                if annotate and text_width(shown_v, SMALL) <= slot + 4:
                    body.append(_text(cx, Y(vals[i]) - 4, shown_v, SMALL, anchor="middle"))
            if i % step == 0:
                _x_label(body, cx, y1, labels[i], rotate)
        height = _x_axis_end(body, x0, x1, y1, lab_h, axis_label)
    return _svg("".join(body), height, title, alt or title, key)


def grouped_bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence, Sequence, str]], title: str,
                 lang: str, key: str, *, alt: str = "", hidden_text: str = "< 5", axis_label: str = "",
                 empty_text: str = "") -> str:
    """Vertical bars, several series side by side per label, with a legend."""
    n = len(labels)
    allv = np.asarray([float(v) if v is not None and v == v else 0.0 for _, vals, _, _ in series for v in vals])
    if n == 0 or not len(allv) or (allv.sum() == 0 and not any(np.asarray(s, bool).any() for _, _, s, _ in series)):
        return empty(title, empty_text, key)
    pid = _pattern_id(key)
    head, top = _title(title)
    body = [_HATCH.format(id=pid), head]
    # legend
    lx = 8
    for name, _, _, color in series:
        body.append(f"<rect x='{lx}' y='{top - 2:.1f}' width='14' height='14' fill='{color}'/>")
        body.append(_text(lx + 20, top + 5, name, SMALL, baseline="middle"))
        lx += 20 + text_width(name, SMALL) + 24
    top += 24
    ticks = _ticks(float(allv.max()))
    vmax = ticks[-1]
    y_axis_w = max(text_width(_fmt(t, lang), SMALL) for t in ticks) + 14
    x0, x1 = 8 + y_axis_w, WIDTH - 10
    slot = (x1 - x0) / n
    y0, y1 = top + 4, top + 194

    def Y(v):
        return y1 - v / vmax * (y1 - y0)
    _y_grid(body, ticks, x0, x1, Y, lang)
    k = len(series)
    bw = slot * 0.8 / k
    rotate, step, lab_h = _x_layout(labels, slot)
    for i in range(n):
        for j, (_, vals, sup, color) in enumerate(series):
            x = x0 + slot * i + slot * 0.1 + j * bw
            v = vals[i]
            if bool(np.asarray(sup)[i]):
                body.append(f"<rect x='{x:.1f}' y='{y1 - 6:.1f}' width='{bw:.1f}' height='6' fill='url(#{pid})' stroke='#808080'/>")
            elif v is not None and v == v and v > 0:
                body.append(f"<rect x='{x:.1f}' y='{Y(v):.1f}' width='{bw:.1f}' height='{y1 - Y(v):.1f}' fill='{color}'/>")
        if i % step == 0:
            _x_label(body, x0 + slot * (i + 0.5), y1, labels[i], rotate)
    height = _x_axis_end(body, x0, x1, y1, lab_h, axis_label)
    return _svg("".join(body), height, title, alt or title, key)


def lines(x_labels: Sequence[str], series: Sequence[tuple[str, Sequence, str]], suppressed, title: str,
          lang: str, key: str, *, alt: str = "", hidden_text: str = "< 5", empty_text: str = "",
          axis_label: str = "") -> str:
    """Line chart with a legend; suppressed months marked with a grey cross at 0."""
    n = len(x_labels)
    allv = np.asarray([float(v) for _, vals, _ in series for v in vals if v is not None and v == v])
    sup = np.asarray(list(suppressed), dtype=bool)
    if n == 0 or (not len(allv) and not sup.any()):
        return empty(title, empty_text, key)
    head, top = _title(title)
    body = [head]
    lx = 8
    for name, _, color in list(series) + ([(hidden_text, None, "#808080")] if sup.any() else []):
        body.append(f"<line x1='{lx}' y1='{top + 5:.1f}' x2='{lx + 18}' y2='{top + 5:.1f}' stroke='{color}' stroke-width='3'/>")
        body.append(_text(lx + 24, top + 5, name, SMALL, baseline="middle"))
        lx += 24 + text_width(name, SMALL) + 24
    top += 24
    ticks = _ticks(float(allv.max()) if len(allv) else 1.0)
    vmax = ticks[-1]
    y_axis_w = max(text_width(_fmt(t, lang), SMALL) for t in ticks) + 14
    x0, x1 = 8 + y_axis_w, WIDTH - 14
    slot = (x1 - x0) / max(n, 1)
    y0, y1 = top + 4, top + 180

    def Y(v):
        return y1 - v / vmax * (y1 - y0)
    _y_grid(body, ticks, x0, x1, Y, lang)
    for name, vals, color in series:
        pts, path = [], []
        for i, v in enumerate(vals):
            if v is None or v != v:
                if len(pts) > 1:
                    path.append("M" + " L".join(pts))
                pts = []
                continue
            pts.append(f"{x0 + slot * (i + 0.5):.1f},{Y(float(v)):.1f}")
            body.append(f"<circle cx='{x0 + slot * (i + 0.5):.1f}' cy='{Y(float(v)):.1f}' r='3' fill='{color}'/>")
        if len(pts) > 1:
            path.append("M" + " L".join(pts))
        if path:
            body.append(f"<path d='{' '.join(path)}' fill='none' stroke='{color}' stroke-width='2'/>")
    for i in np.flatnonzero(sup):
        cx = x0 + slot * (i + 0.5)
        body.append(f"<path d='M{cx - 4:.1f},{y1 - 4:.1f} L{cx + 4:.1f},{y1 + 4:.1f} M{cx - 4:.1f},{y1 + 4:.1f} L{cx + 4:.1f},{y1 - 4:.1f}' stroke='#808080' stroke-width='2'/>")
    rotate, step, lab_h = _x_layout(x_labels, slot)
    for i, lab in enumerate(x_labels):
        if i % step == 0:
            _x_label(body, x0 + slot * (i + 0.5), y1, lab, rotate)
    height = _x_axis_end(body, x0, x1, y1, lab_h, axis_label)
    return _svg("".join(body), height, title, alt or title, key)


def ranges(labels: Sequence[str], panels: Sequence[tuple[str, Sequence, Sequence, Sequence, str]], suppressed,
           title: str, lang: str, key: str, *, alt: str = "", hidden_text: str = "< 5", empty_text: str = "") -> str:
    """Horizontal bars of medians with their interquartile range, one panel per
    measure (``(panel title, median, q1, q3, colour)``), rows shared."""
    sup = np.asarray(list(suppressed), dtype=bool)
    if not len(labels):
        return empty(title, empty_text, key)
    head, top = _title(title)
    body = [head]
    lab_w = min(WIDTH * 0.3, max(text_width(x) for x in labels) + 10)
    lab_lines = [wrap(x, lab_w - 10, FONT, 2) for x in labels]
    row = max(26, max(len(ls) for ls in lab_lines) * (FONT + 3) + 8)
    k = len(panels)
    pw = (WIDTH - 8 - lab_w - 10 * k) / k
    ptitle_lines = [wrap(p[0], pw - 8, SMALL + 1, 3, bold=True) for p in panels]
    ph = max(len(ls) for ls in ptitle_lines) * (SMALL + 4) + 6
    y_rows = top + ph
    for i, lab in enumerate(labels):
        cy = y_rows + i * row + row / 2
        for j, ln in enumerate(lab_lines[i]):
            dy = (j - (len(lab_lines[i]) - 1) / 2) * (FONT + 3)
            body.append(_text(8 + lab_w - 8, cy + dy, ln, anchor="end", baseline="middle"))
    for p, (ptitle, med, q1, q3, color) in enumerate(panels):
        px0 = 8 + lab_w + p * (pw + 10)
        for j, ln in enumerate(ptitle_lines[p]):
            body.append(_text(px0, top + (j + 1) * (SMALL + 4), ln, SMALL + 1, weight="bold"))
        finite = [float(v) for v in list(q3) + list(med) if v is not None and v == v]
        vmax = _nice_max(max(finite) if finite else 1.0)
        span = pw - text_width("0000", SMALL) - 12

        def X(v):
            return px0 + float(v) / vmax * span
        for i in range(len(labels)):
            y = y_rows + i * row
            cy = y + row / 2
            m = med[i]
            if sup[i]:
                body.append(_text(px0 + 2, cy, hidden_text, SMALL, color=MUTED, baseline="middle"))
            elif m is not None and m == m:
                body.append(f"<rect x='{px0:.1f}' y='{y + 6:.1f}' width='{max(X(m) - px0, 0.5):.1f}' height='{row - 12:.1f}' fill='{color}'/>")
                if q1[i] == q1[i] and q3[i] == q3[i]:
                    body.append(f"<line x1='{X(q1[i]):.1f}' y1='{cy:.1f}' x2='{X(q3[i]):.1f}' y2='{cy:.1f}' stroke='{INK}' stroke-width='1.5'/>")
                    for q in (q1[i], q3[i]):
                        body.append(f"<line x1='{X(q):.1f}' y1='{cy - 5:.1f}' x2='{X(q):.1f}' y2='{cy + 5:.1f}' stroke='{INK}' stroke-width='1.5'/>")
                body.append(_text(max(X(m), X(q3[i]) if q3[i] == q3[i] else X(m)) + 4, cy, _fmt(m, lang), SMALL,
                                  baseline="middle"))
        body.append(f"<line x1='{px0:.1f}' y1='{y_rows:.1f}' x2='{px0:.1f}' y2='{y_rows + row * len(labels):.1f}' stroke='{MUTED}'/>")
    height = y_rows + row * len(labels) + 12
    return _svg("".join(body), height, title, alt or title, key)


def choropleth(values: Mapping[str, float], suppressed: Mapping[str, bool], shapes: Mapping[str, list],
               names: Mapping[str, Mapping[str, str]], lang: str, title: str, key: str, *, alt: str = "",
               hidden_text: str = "< 5", legend_title: str = "") -> str:
    """Areas coloured in 5 classes of equal width with a legend; labels dark on light
    fills and white on dark fills, with a halo; suppressed areas hatched grey."""
    pid = _pattern_id(key)
    head, top = _title(title)
    mh = (_MAP_BOX[3] - _MAP_BOX[2]) * _MAP_SCALE * _MAP_K

    def P(x, y):
        return _point(x, y, top)
    outlines = _outlines(shapes, top)
    finite = [v for v in values.values() if v is not None and v == v and v > 0]
    vmax = _nice_max(max(finite)) if finite else 1.0
    classes = ["#DEEBF7", "#9ECAE1", "#4292C6", "#2171B5", "#08306B"]
    body = [_HATCH.format(id=pid), head]
    labels = []
    for aid, rings in shapes.items():
        v = values.get(aid)
        if suppressed.get(aid):
            fill, dark = f"url(#{pid})", False
        elif v is None or v != v or v == 0:
            fill, dark = "#F7F7F7", False
        else:
            c = min(4, int(v / vmax * 5))
            fill, dark = classes[c], c >= 2
        d, (cx, cy) = outlines[aid]
        body.append(f"<path d='{d}' fill='{fill}' stroke='#555' stroke-width='0.8'/>")
        txt = hidden_text if suppressed.get(aid) else ("0" if not v or v != v else _fmt(v, lang))
        nm = names.get(aid, {}).get(lang) or names.get(aid, {}).get("fr") or aid
        px, py = (float(t) for t in P(cx, cy).split(","))
        labels.append((px, py, nm, txt, dark))
    placed: list[tuple[float, float, float, float]] = []
    for px, py, nm, txt, dark in labels:
        color, halo = ("#ffffff", "#08306B") if dark else (INK, "#ffffff")
        w = max(text_width(nm, SMALL), text_width(txt, SMALL)) + 4
        h = 2 * (SMALL + 2) + 2
        # a label that would cover one already placed moves down (then up) until free
        for dy in (0, 1, -1, 2, -2, 3, -3, 4, -4):
            y = py + dy * h / 2
            box = (px - w / 2, y - h / 2, px + w / 2, y + h / 2)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                break
        placed.append(box)
        py = y
        for j, s in enumerate((nm, txt)):
            body.append(f"<text x='{px:.1f}' y='{py + (j - 0.5) * (SMALL + 2):.1f}' font-size='{SMALL}' text-anchor='middle'"
                        f" dominant-baseline='middle' fill='{color}' stroke='{halo}' stroke-width='3' paint-order='stroke'"
                        f" font-weight='{'bold' if j else 'normal'}'>{_e(s)}</text>")
    # legend: the 5 classes, no data, hidden
    ly = top + mh + 14
    body.append(_text(8, ly + 6, legend_title, SMALL, baseline="middle"))
    lx = 8 + text_width(legend_title, SMALL) + 12
    step = vmax / 5
    entries = [(classes[i], f"{_fmt(i * step, lang)}–{_fmt((i + 1) * step, lang)}") for i in range(5)]
    entries += [("#F7F7F7", "0"), (f"url(#{pid})", hidden_text)]
    y_leg = ly
    for fill, txt in entries:
        w = 18 + text_width(txt, SMALL) + 14
        if lx + w > WIDTH - 8:
            lx, y_leg = 8, y_leg + 22
        body.append(f"<rect x='{lx:.1f}' y='{y_leg - 1:.1f}' width='14' height='14' fill='{fill}' stroke='#555'/>")
        body.append(_text(lx + 18, y_leg + 6, txt, SMALL, baseline="middle"))
        lx += w
    return _svg("".join(body), y_leg + 24, title, alt or title, key)


#: the map's frame (longitudes, latitudes: Belgium), its scale and the stretch of
#: latitudes at 50.5° north
_MAP_BOX = (2.5, 6.45, 49.45, 51.55)
_MAP_SCALE = (WIDTH - 16) / (_MAP_BOX[1] - _MAP_BOX[0])
_MAP_K = 1 / math.cos(math.radians(50.5))
_OUTLINES: dict = {}


def _point(x: float, y: float, top: float) -> str:
    """A longitude, latitude as the map's ``x,y`` (the map ``top`` pixels down)."""
    return f"{8 + (x - _MAP_BOX[0]) * _MAP_SCALE:.1f},{top + (_MAP_BOX[3] - y) * _MAP_SCALE * _MAP_K:.1f}"


def _outlines(shapes: Mapping[str, list], top: float) -> dict:
    """Each area's path (``d``, the map placed ``top`` pixels down) and the centroid of
    its largest ring: the same at every redraw, so made once per shapes and title
    height (a title that wraps on more lines moves the map down)."""
    key = (id(shapes), len(shapes), round(top, 1))
    hit = _OUTLINES.get(key)
    if hit is not None and hit[0] is shapes:
        return hit[1]
    out = {}
    for aid, rings in shapes.items():
        d = " ".join("M" + " L".join(_point(x, y, top) for x, y in r) + " Z" for r in rings)
        out[aid] = (d, _centroid(max(rings, key=lambda r: abs(_ring_area(r)))))
    if len(_OUTLINES) > 8:
        _OUTLINES.clear()
    _OUTLINES[key] = (shapes, out)
    return out


def _ring_area(ring) -> float:
    x, y = np.asarray(ring, dtype=float).T
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _centroid(ring) -> tuple[float, float]:
    x, y = np.asarray(ring, dtype=float).T
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    a = cross.sum() / 2
    if abs(a) < 1e-12:
        return float(x.mean()), float(y.mean())
    return float(((x + np.roll(x, -1)) * cross).sum() / (6 * a)), float(((y + np.roll(y, -1)) * cross).sum() / (6 * a))
