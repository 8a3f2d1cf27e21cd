"""The policy-monitoring dashboard: layout and callbacks (the notebook only calls
:func:`app`).

Reads the register once per kernel (:mod:`.source`), then every filter change
recomputes the aggregates (:mod:`.aggregates`) and redraws the figures; every figure
and table goes through small-cell suppression first.
"""
from __future__ import annotations

import html
import re
import time
from typing import Optional

import ipywidgets as W
import pandas as pd

from . import aggregates as A
from . import figures as F
from . import geo, source
from ..formats import format_number, format_percent
from .labels import DEFAULT_LANG, LANGS, LANG_OPTIONS, SELECTABLE_LANGS, label
from .suppress import MIN_PERSONS, suppress_small_cells

ALL = "*"
#: rows of figures: top-aligned, never stretched to the tallest neighbour
ROW = dict(align_items="flex-start")
WIDE = {"description_width": "initial"}
NO_PROVINCE = "-"
TOP_CPAS = 15
STYLE = """
<style>
.a60-kpis {display:flex; flex-wrap:wrap; gap:8px; margin:4px 0;}
.a60-kpi {border:1px solid #ddd; border-radius:6px; padding:6px 10px; min-width:150px; background:#fafafa;}
.a60-kpi b {font-size:1.35em; display:block;}
.a60-kpi span {font-size:0.8em; color:#444;}
.a60-note {font-size:0.85em; color:#444;}
.a60-warn {font-size:0.9em; color:#8a4b00; font-weight:bold;}
table.a60-table {border-collapse:collapse; font-size:0.85em;}
table.a60-table th, table.a60-table td {border-bottom:1px solid #ddd; padding:2px 8px; text-align:right;}
table.a60-table td:first-child, table.a60-table th:first-child {text-align:left;}
</style>
"""


def set_options(owner, widget, options, default=None) -> None:
    """Replace a selection widget's options, keeping its value when still offered (else
    ``default`` or the first option), without firing the owner's callbacks."""
    cur = widget.value
    values = [v for _, v in options]
    was = getattr(owner, "_quiet", False)
    owner._quiet = True
    try:
        widget.options = options
        widget.value = cur if cur in values else (default if default in values else (values[0] if values else None))
    finally:
        owner._quiet = was


def _fmt(v, fmt="{:,.0f}", lang="fr") -> str:
    """A figure in the reader's Belgian format (Babel): ``fmt`` gives the decimals kept."""
    if v is None or (isinstance(v, float) and v != v):
        return label("suppressed", lang)
    m = re.search(r"\.(\d+)f", fmt)
    return format_number(v, lang, decimals=int(m.group(1)) if m else 0)


class PolicyDashboard:
    def __init__(self, lang: str = DEFAULT_LANG, location: Optional[str] = None):
        t0 = time.perf_counter()
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.location = source.register_location(location)
        self.facts = A.build_facts(source.versions(self.location), source.read_flags(self.location))
        self.shapes = geo.shapes(source.cache_dir(self.location))
        self.arr_of = geo.arrondissement_of_cpas()
        self.arr_names = geo.arrondissement_names()
        r = self.facts.requests
        self._areas = r[["region_nis", "region_fr", "region_nl", "province_nis", "province_fr", "province_nl",
                         "cpas_nis", "cpas_fr", "cpas_nl"]].drop_duplicates("cpas_nis")
        self._build_widgets()
        self.refresh()
        self.load_seconds = time.perf_counter() - t0

    # -- widgets ---------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        months = self.facts.months or ["-"]
        self.w_lang = W.ToggleButtons(options=list(LANG_OPTIONS), value=self.lang if self.lang != "en" else "fr",
                                      style={"button_width": "48px"})
        self.w_lang.add_class("a60-lang")
        self.w_period = W.SelectionRangeSlider(options=months, index=(0, len(months) - 1),
                                               continuous_update=False, layout=W.Layout(width="460px"),
                                               style=WIDE)
        self.w_period.add_class("a60-filter-period")
        self.w_region = W.Dropdown(layout=W.Layout(width="260px"))
        self.w_region.add_class("a60-filter-region")
        self.w_province = W.Dropdown(layout=W.Layout(width="300px"))
        self.w_province.add_class("a60-filter-province")
        self.w_cpas = W.Dropdown(layout=W.Layout(width="300px"))
        self.w_cpas.add_class("a60-filter-cpas")
        self.w_rules = W.Dropdown(layout=W.Layout(width="340px"), style=WIDE)
        self.w_rules.add_class("a60-filter-rules")
        self.w_title = W.HTML()
        self.w_kpis = W.HTML()
        self.w_kpis.add_class("a60-kpis-box")
        self.w_notice = W.HTML()
        self.w_notice.add_class("a60-suppression")
        self.w_status = W.HTML()
        self.w_status.add_class("a60-status")
        self.img = {}
        for key, width in (("month", "49%"), ("pipeline", "49%"), ("areas", "49%"), ("map", "49%"),
                           ("backlog", "49%"), ("age", "49%"), ("disagree", "49%")):
            im = W.Image(format="png", layout=W.Layout(width=width, max_width="640px", height="auto", object_fit="contain"))
            im.add_class("a60-figure")
            im.add_class(f"a60-fig-{key}")
            self.img[key] = im
        self.w_table = W.HTML(layout=W.Layout(width="49%"))
        self.w_table.add_class("a60-table-box")
        self.w_source = W.HTML()
        self._set_texts()
        self._fill_area_options()
        for w in (self.w_period, self.w_rules):
            w.observe(self._on_change, names="value")
        self.w_region.observe(self._on_region, names="value")
        self.w_province.observe(self._on_province, names="value")
        self.w_cpas.observe(self._on_change, names="value")
        self.w_lang.observe(self._on_lang, names="value")
        filters = W.VBox([
            W.HBox([self.w_period, self.w_rules]),
            W.HBox([self.w_region, self.w_province, self.w_cpas]),
        ])
        grid = W.VBox([
            W.HBox(layout=ROW, children=[self.img["month"], self.img["pipeline"]]),
            W.HBox(layout=ROW, children=[self.img["areas"], self.img["map"]]),
            W.HBox(layout=ROW, children=[self.img["backlog"], self.img["age"]]),
            W.HBox(layout=ROW, children=[self.img["disagree"], self.w_table]),
        ])
        self.root = W.VBox([W.HTML(STYLE), W.HBox([self.w_title, self.w_lang],
                                                  layout=W.Layout(justify_content="space-between")),
                            filters, self.w_kpis, self.w_notice, grid, self.w_source, self.w_status])
        self.root.add_class("a60-dashboard")
        self.root.add_class("a60-policy")

    def _set_texts(self) -> None:
        L = self.lang
        self.w_title.value = f"<h2 style='margin:4px 0'>{html.escape(label('policy.title', L))}</h2>"
        self.w_lang.description = label("lang", L)
        self.w_period.description = label("period", L)
        self.w_region.description = label("region", L)
        self.w_province.description = label("province", L)
        self.w_cpas.description = label("cpas", L)
        self.w_rules.description = label("rules", L)
        self.w_source.value = (f"<p class='a60-note'>{html.escape(label('suppression_note', L))}<br>"
                               f"{html.escape(label('source_note', L))}</p>")
        set_options(self, self.w_rules, [(label("all_f", L), ALL), (label("rules.ar1991", L), "ar1991"),
                                         (label("rules.reform2026", L), "reform2026")])

    def _name(self, row, level: str) -> str:
        return getattr(row, f"{level}_{'nl' if self.lang == 'nl' else 'fr'}")

    def _fill_area_options(self) -> None:
        a, L = self._areas, self.lang
        self._quiet = True
        try:
            reg = a.drop_duplicates("region_nis").sort_values(f"region_{'nl' if L == 'nl' else 'fr'}")
            set_options(self, self.w_region, [(label("all_f", L), ALL)] + [(self._name(r, "region"), r.region_nis)
                                                                           for r in reg.itertuples()])
            self._fill_province_options()
        finally:
            self._quiet = False

    def _fill_province_options(self) -> None:
        a, L = self._areas, self.lang
        if self.w_region.value not in (None, ALL):
            a = a[a["region_nis"] == self.w_region.value]
        prov = a.drop_duplicates("province_nis")
        opts = []
        for r in prov.itertuples():
            name = self._name(r, "province") if r.province_nis else label("no_province", L)
            opts.append((name, r.province_nis or NO_PROVINCE))
        set_options(self, self.w_province, [(label("all_f", L), ALL)] + sorted(opts))
        self._fill_cpas_options()

    def _fill_cpas_options(self) -> None:
        a, L = self._areas, self.lang
        if self.w_region.value not in (None, ALL):
            a = a[a["region_nis"] == self.w_region.value]
        pv = self.w_province.value
        if pv not in (None, ALL):
            a = a[a["province_nis"] == ("" if pv == NO_PROVINCE else pv)]
        opts = sorted((f"{self._name(r, 'cpas')} ({r.cpas_nis})", r.cpas_nis) for r in a.itertuples())
        set_options(self, self.w_cpas, [(label("all", L), ALL)] + opts)

    # -- callbacks ---------------------------------------------------------------------------

    def _on_change(self, change=None) -> None:
        if not getattr(self, "_quiet", False):
            self.refresh()

    def _on_region(self, change) -> None:
        if getattr(self, "_quiet", False):
            return
        self._quiet = True
        try:
            self._fill_province_options()
        finally:
            self._quiet = False
        self.refresh()

    def _on_province(self, change) -> None:
        if getattr(self, "_quiet", False):
            return
        self._quiet = True
        try:
            self._fill_cpas_options()
        finally:
            self._quiet = False
        self.refresh()

    def set_lang(self, lang: str) -> None:
        if lang != self.lang and lang in LANGS:
            if lang in SELECTABLE_LANGS:
                self.w_lang.value = lang  # fires _on_lang
            else:
                self._on_lang({"new": lang})

    def _on_lang(self, change) -> None:
        self.lang = change["new"]
        self._set_texts()
        self._fill_area_options()
        self.refresh()

    def filters(self) -> A.Filters:
        def val(w):
            return None if w.value in (None, ALL) else w.value
        prov = val(self.w_province)
        lo, hi = self.w_period.value if self.facts.months else (None, None)
        months = None if (lo, hi) == (self.facts.months[0], self.facts.months[-1]) or lo is None else (lo, hi)
        return A.Filters(months=months, region=val(self.w_region),
                         province=("" if prov == NO_PROVINCE else prov), cpas=val(self.w_cpas),
                         rules=val(self.w_rules))

    # -- drawing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute and redraw everything for the current filters. Values are computed
        first and assigned together at the end, so the page never mixes two selections
        for long; the status line is written last (tests and users can wait on it)."""
        t0 = time.perf_counter()
        L, f = self.lang, self.filters()
        req = A.filter_requests(self.facts, f)
        ver = A.filter_versions(self.facts, f)
        months = [m for m in self.facts.months if not f.months or f.months[0] <= m <= f.months[1]]
        out: dict = {}
        suppressed = []

        out["kpis"] = self._kpi_html(A.kpis(req, ver))
        pm = A.per_month(req, months)
        out["month"] = F.to_png(F.bars(pm["month"], pm["n"], pm["suppressed"], label("fig.per_month", L), L,
                                       annotate=False))
        pl = A.pipeline(self.facts, f)
        out["pipeline"] = F.to_png(F.bars([label(f"status.{s}", L) for s in pl["status"]], pl["n"], pl["suppressed"],
                                          label("fig.pipeline", L), L, color=F.GREEN, horizontal=True, h=2.4))
        if f.province is not None or f.cpas:
            level, title = "cpas", label("fig.by_cpas", L, n=TOP_CPAS)
        elif f.region:
            level, title = "province", label("fig.by_province", L)
        else:
            level, title = "region", label("fig.by_region", L)
        ar = A.by_area(req, level, L, top=TOP_CPAS)
        out["areas"] = F.to_png(F.bars(ar["name"].fillna(label("no_province", L)), ar["n"], ar["suppressed"],
                                       title, L, horizontal=True))
        map_fig, map_sup = self._map(req, L)
        out["map"] = F.to_png(map_fig)
        bl = A.backlog(ver, months)
        dl = A.delays_by_month(ver, months)
        out["backlog"] = F.to_png(F.backlog_and_delay(bl, dl, L))
        ag = A.by_age(req)
        out["age"] = F.to_png(F.by_age(ag, L))
        db = A.disagreement_bins(req)
        out["disagree"] = F.to_png(F.bars([f"{d:+d}" if abs(d) < 10 else (f"≤ {d}" if d < 0 else f"≥ +{d}")
                                           for d in db["diff"]], db["n"], db["suppressed"],
                                          label("fig.disagree", L), L, color=F.VERMILION))
        tb = A.by_area(req, "cpas", L, top=TOP_CPAS)
        out["table"] = self._table_html(tb)
        suppressed = [pm, pl, ar, bl, dl, ag, db, tb]
        any_small = any(bool(x["suppressed"].any()) for x in suppressed) or map_sup or 0 < len(req) < MIN_PERSONS

        self.w_kpis.value = out["kpis"]
        for key in ("month", "pipeline", "areas", "map", "backlog", "age", "disagree"):
            self.img[key].value = out[key]
        self.w_table.value = out["table"]
        self.w_notice.value = (f"<p class='a60-warn a60-suppressed-notice'>⚠ {html.escape(label('suppression_active', L))}</p>"
                               if any_small else "")
        self.last_refresh_seconds = time.perf_counter() - t0
        shown = len(req) if len(req) >= MIN_PERSONS or len(req) == 0 else label("suppressed", L)
        self.w_status.value = (f"<p class='a60-note' data-seconds='{self.last_refresh_seconds:.3f}'>"
                               f"{shown} {html.escape(label('requests', L).lower())} · {self.last_refresh_seconds:.2f} s</p>")

    def _map(self, req: pd.DataFrame, L: str):
        arr = req["cpas_nis"].map(self.arr_of)
        c = arr.value_counts()
        df = pd.DataFrame({"key": list(self.shapes), "n": [int(c.get(k, 0)) for k in self.shapes]})
        df = suppress_small_cells(df, "n")
        values = dict(zip(df["key"], df["n"]))
        sup = dict(zip(df["key"], df["suppressed"]))
        return F.choropleth(values, sup, self.shapes, self.arr_names, L, label("fig.map", L)), bool(df["suppressed"].any())

    def _kpi_html(self, k: dict) -> str:
        L = self.lang
        d = label("days", L)
        hidden = label("suppressed_value", L)

        def share(v):
            return hidden if v is None else format_percent(v, L)

        def measure(v):
            return hidden if v is None else f"{_fmt(v, lang=L)} {d}"

        dis = k["n_disagree"]
        items = [
            ("kpi.requests", _fmt(k["n_requests"], lang=L), "n_requests"),
            ("kpi.pending", _fmt(k["n_pending"], lang=L), "n_pending"),
            ("kpi.delay_median", measure(k["delay_median"]), "delay_median"),
            ("kpi.delay_p90", measure(k["delay_p90"]), "delay_p90"),
            ("kpi.incomplete", share(k["share_incomplete"]) if k["flags_known"] else "n/d", "incomplete"),
            ("kpi.modifications", _fmt(k["n_modified"], lang=L), "modified"),
            ("kpi.second", _fmt(k["n_second_calc"], lang=L), "second"),
            ("kpi.disagree", _fmt(dis, lang=L) + ("" if k["share_disagree"] is None else f" ({share(k['share_disagree'])})"),
             "disagree"),
        ]
        cells = "".join(f"<div class='a60-kpi a60-kpi-{cls}'><b>{html.escape(v)}</b><span>{html.escape(label(key, L))}</span></div>"
                        for key, v, cls in items)
        return f"<div class='a60-kpis'>{cells}</div>"

    def _table_html(self, tb: pd.DataFrame) -> str:
        L = self.lang
        head = "".join(f"<th>{html.escape(label(c, L))}</th>" for c in
                       ("cpas", "col.requests", "col.pending", "col.days_median", "col.incomplete", "col.disagree"))
        rows = []
        for r in tb.itertuples():
            def f(v, fmt="{:,.0f}"):
                return html.escape(_fmt(v, fmt, L))
            rows.append(f"<tr class='{'a60-row-suppressed' if r.suppressed else ''}'><td>{html.escape(str(r.name))}</td>"
                        f"<td>{f(r.n)}</td><td>{f(r.n_pending)}</td><td>{f(r.days_median)}</td>"
                        f"<td>{f(r.share_incomplete, '{:.1f}')}</td><td>{f(r.n_disagree)}</td></tr>")
        body = "".join(rows) or f"<tr><td colspan='6'>{html.escape(label('no_data', L))}</td></tr>"
        return (f"<h4 style='margin:4px 0'>{html.escape(label('table.title', L))}</h4>"
                f"<table class='a60-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def app(lang: Optional[str] = None, location: Optional[str] = None, user_id: Optional[str] = None):
    """Build the dashboard and return its root widget (display it in the notebook).

    The register is read and the figures drawn first; with preheated Voila kernels
    that happens before any page request, then :func:`.serve.wait_for_request` hands
    over and the requested language (``?lang=nl``) is applied."""
    from .access import Refused, person_access, refusal_widget
    from .serve import requested_lang, wait_for_request
    d = PolicyDashboard(DEFAULT_LANG, location)
    wait_for_request()
    want = lang or requested_lang()
    try:
        person_access("policy-monitoring", location, user_id).register.close()
    except Refused as exc:
        W.Widget.close_all()  # nothing built before the request stays reachable
        return refusal_widget(exc, want)
    d.set_lang(want)
    return d.root
