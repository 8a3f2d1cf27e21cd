"""Colours, hatches and date axes shared by the figures; export to PNG/SVG.

The palette is Okabe & Ito's (colour-blind safe); every category also has its own
hatch or line style, so figures stay readable in grey.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

#: Okabe-Ito colours
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
_O = OKABE_ITO

#: colour and hatch per category (lanes, breakdown parts, markers)
STYLE = {
    "work": {"color": _O["blue"], "hatch": ""},
    "converted": {"color": _O["sky_blue"], "hatch": ".."},
    "assimilated": {"color": _O["bluish_green"], "hatch": "\\\\"},
    "extension": {"color": _O["orange"], "hatch": "//"},
    "excluded": {"color": _O["grey"], "hatch": "xx"},
    "contract": {"color": _O["reddish_purple"], "hatch": ""},
    "quarter_cap": {"color": "white", "hatch": "----"},
    "slid_out": {"color": _O["vermillion"], "hatch": "//"},
    "absences": {"color": _O["black"], "hatch": "xx"},
    "missing": {"color": "white", "hatch": ""},
    "window": {"color": _O["yellow"], "hatch": ""},
}
MARKERS = {
    "end_date": {"color": _O["vermillion"], "linestyle": "-", "linewidth": 2.2},
    "naive_end": {"color": _O["grey"], "linestyle": ":", "linewidth": 1.8},
    "contract_start": {"color": _O["reddish_purple"], "linestyle": "--", "linewidth": 1.4},
    "age": {"color": _O["black"], "linestyle": (0, (1, 2)), "linewidth": 1.2},
    "rule_change": {"color": _O["black"], "linestyle": "-.", "linewidth": 1.4},
    "required": {"color": _O["vermillion"], "linestyle": "-", "linewidth": 2.2},
}


def dnum(d: date) -> float:
    """Matplotlib date number of the start of day ``d``."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(d))


def span(start: date, end: date) -> tuple[float, float]:
    """(left, width) of the inclusive period [start, end]: a bar covers whole days."""
    return dnum(start), float((end - start).days + 1)


def num_date(x: float) -> date:
    """The day whose start is the date number ``x`` (inverse of :func:`dnum`)."""
    import matplotlib.dates as mdates

    return mdates.num2date(x).date()


def date_axis(ax) -> None:
    """Numeric date labels (no month names: the same in every language)."""
    import matplotlib.dates as mdates

    loc = mdates.AutoDateLocator(minticks=4, maxticks=10)
    fmt = mdates.ConciseDateFormatter(loc, formats=["%Y", "%m/%Y", "%d/%m", "%H:%M", "%H:%M", "%S"],
                                      zero_formats=["", "%Y", "%m/%Y", "%d/%m", "%H:%M", "%H:%M"],
                                      offset_formats=["", "%Y", "%m/%Y", "%d/%m/%Y", "%d/%m/%Y", "%d/%m/%Y"])
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(fmt)


def new_figure(width: float, height: float):
    """A pyplot-free Figure (no global state; safe in servers and tests)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def save_figure(fig, path, dpi: int = 120) -> Path:
    """Write ``fig`` to ``path``; the format follows the extension (``.png``, ``.svg``,
    ``.pdf``). Returns the path."""
    p = Path(path)
    fmt = p.suffix.lower().lstrip(".") or "png"
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"unsupported figure format {fmt!r} (png, svg or pdf)")
    fig.savefig(p, format=fmt, dpi=dpi)
    return p


def png_bytes(fig, dpi: int = 90) -> bytes:
    """The figure as PNG bytes (for an ipywidgets Image)."""
    import io

    buf = io.BytesIO()
    # fast zlib level: the image goes to a browser, size matters less than latency
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def day_after(d: date) -> date:
    return d + timedelta(days=1)
