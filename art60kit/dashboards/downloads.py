"""Downloads of what a dashboard shows: each table's and figure's data as CSV or XLSX,
each figure as PNG or SVG.

A downloaded table is the frame the screen was drawn from, after small-cell
suppression: a hidden cell is written ``< 5`` (never its value), so a download tells
exactly what the screen tells. Headers are in the page's language; CSV follows Belgian
spreadsheet settings (``;`` between fields, decimal comma, UTF-8 with a byte-order mark).
"""
from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass
from typing import Mapping, Optional

import pandas as pd

from .labels import label

FORMATS = ("csv", "xlsx", "png", "svg")
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class Shown:
    """One table or figure as shown: its title, the data frame (suppressed cells
    already ``NaN`` with a ``suppressed`` column where the screen hides them), the
    columns to write with their headers, and the figure when it is one."""

    title: str
    frame: pd.DataFrame
    columns: Mapping[str, str]
    figure: object = None  # a callable making the matplotlib figure (PNG), made on request only
    svg: Optional[str] = None  # the figure as drawn on screen


def table(shown: Shown, lang: str) -> pd.DataFrame:
    """The frame to write: the chosen columns under their headers; a suppressed row's
    numbers, and any count of 1 to 4, written ``< 5``.

    >>> s = Shown("t", pd.DataFrame({"k": ["a", "b"], "n": [12.0, float("nan")], "m": [3.5, float("nan")],
    ...           "suppressed": [False, True]}), {"k": "Key", "n": "N", "m": "Median"})
    >>> table(s, "fr").values.tolist()
    [['a', 12, 3.5], ['b', '< 5', '< 5']]
    """
    df = shown.frame
    sup = df["suppressed"].to_numpy(dtype=bool) if "suppressed" in df.columns else None
    hidden = label("suppressed", lang)
    out = {}
    for col, head in shown.columns.items():
        s = df[col]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            vals = pd.to_numeric(s, errors="coerce").astype("float64")
            hide = vals.isna().to_numpy() & (sup if sup is not None else False)
            if sup is not None:
                hide = hide | sup
            vals_list = []
            for v, h in zip(vals, hide):
                if h:
                    vals_list.append(hidden)
                elif v != v:
                    vals_list.append(None)
                elif float(v).is_integer():
                    vals_list.append(int(v))
                else:
                    vals_list.append(round(float(v), 2))
            out[head] = vals_list
        else:
            out[head] = [None if (isinstance(v, float) and v != v) or v is pd.NA else v for v in s]
    return pd.DataFrame(out)


def csv_bytes(df: pd.DataFrame, lang: str) -> bytes:
    """CSV for Belgian spreadsheets (``;``, decimal comma in fr/nl/de, UTF-8 BOM)."""
    dec = "." if lang == "en" else ","
    return df.to_csv(index=False, sep=";", decimal=dec).encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, sheet: str) -> bytes:
    buf = io.BytesIO()
    name = re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "data"
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        df.to_excel(xw, index=False, sheet_name=name)
        ws = xw.sheets[name]
        for i, col in enumerate(df.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].tolist()[:200]])
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, width + 2)
    return buf.getvalue()


def figure_bytes(fig, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=150 if fmt == "png" else None, metadata=None if fmt == "png" else {"Date": None})
    return buf.getvalue()


def file_name(stem: str, fmt: str) -> str:
    """A safe file name: ``art60kit-<stem>.<fmt>``.

    >>> file_name("Demandes par mois / 2025", "csv")
    'art60kit-demandes-par-mois-2025.csv'
    """
    import unicodedata
    s = unicodedata.normalize("NFKD", stem)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:60] or "data"
    return f"art60kit-{s}.{fmt}"


def render(shown: Shown, fmt: str, lang: str, stem: str) -> Optional[tuple[str, bytes]]:
    """(file name, bytes) of ``shown`` in ``fmt``; None for a figure format of a table."""
    if fmt == "svg":
        if shown.svg is None:
            return None
        return file_name(stem, fmt), ("<?xml version='1.0' encoding='UTF-8'?>\n" + shown.svg).encode("utf-8")
    if fmt == "png":
        if shown.figure is None:
            return None
        fig = shown.figure() if callable(shown.figure) else shown.figure
        return file_name(stem, fmt), figure_bytes(fig, fmt)
    df = table(shown, lang)
    if fmt == "csv":
        return file_name(stem, fmt), csv_bytes(df, lang)
    return file_name(stem, fmt), xlsx_bytes(df, shown.title)


def link_html(name: str, data: bytes, fmt: str, text: str) -> str:
    """An anchor the browser saves as ``name`` (the file travels inside the page)."""
    b64 = base64.b64encode(data).decode("ascii")
    return (f"<a class='a60-download-link' download='{html.escape(name)}' "
            f"href='data:{MIME[fmt]};base64,{b64}'>{html.escape(text)}</a>")


class DownloadBar:
    """"Download" row of a dashboard: pick a table or figure, then a format; the file
    is made from what the screen shows now (``shown()`` returns ``{key: Shown}`` of
    the last drawn selection) and saved by the browser."""

    def __init__(self, shown, lang: str) -> None:
        import ipywidgets as W
        self._shown = shown
        self.lang = lang
        self.w_what = W.Dropdown(layout=W.Layout(width="auto"), style={"description_width": "initial"})
        self.w_what.add_class("a60-download-what")
        self.buttons = {}
        for fmt in FORMATS:
            b = W.Button(description=fmt.upper(), layout=W.Layout(width="72px"))
            b.add_class(f"a60-download-{fmt}")
            b.on_click(lambda _b, f=fmt: self.make(f))
            self.buttons[fmt] = b
        self.w_link = W.HTML()
        self.w_link.add_class("a60-download-box")
        self.root = W.HBox([self.w_what, *self.buttons.values(), self.w_link],
                           layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.root.add_class("a60-downloads")
        self.w_what.observe(lambda ch: self._sync_buttons(), names="value")
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.w_what.description = label("download.what", lang)
        for fmt, b in self.buttons.items():
            b.tooltip = label("download.as", lang, fmt=fmt.upper())
        self.refresh_options()

    def refresh_options(self) -> None:
        items = self._shown()
        opts = [(s.title, k) for k, s in items.items()]
        cur = self.w_what.value
        self.w_what.options = opts
        # keep the chosen table or figure; else the first one. A dropdown made empty has
        # no selection, and ipywidgets does not make one when options arrive later: the
        # selector then showed blank (in every language) until the person picked one
        if cur in items:
            self.w_what.value = cur
        elif opts:
            self.w_what.value = opts[0][1]
        self.w_link.value = ""
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        s = self._shown().get(self.w_what.value)
        self.buttons["png"].disabled = s is None or s.figure is None
        self.buttons["svg"].disabled = s is None or s.svg is None

    def make(self, fmt: str) -> Optional[str]:
        """Make the file and offer it (a link, clicked at once by the page); returns
        its name."""
        items = self._shown()
        s = items.get(self.w_what.value)
        if s is None:
            return None
        out = render(s, fmt, self.lang, s.title)
        if out is None:
            return None
        name, data = out
        self.w_link.value = (link_html(name, data, fmt, label("download.save", self.lang, name=name))
                             + f"<img src='data:,' alt='' style='display:none' onerror=\"var a=this.previousElementSibling;"
                               f"if(a&&!a.dataset.done){{a.dataset.done=1;a.click();}}\">")
        return name
