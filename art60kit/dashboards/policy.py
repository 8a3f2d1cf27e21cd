"""The policy-monitoring dashboard: layout and callbacks (the notebook only calls
:func:`app`).

Reads the register once per kernel (:mod:`.source`), then every filter change
recomputes the aggregates (:mod:`.aggregates`) and redraws the figures; every figure
and table goes through small-cell suppression first.
"""
from __future__ import annotations

import html
import time
from typing import Optional

import ipywidgets as W
import pandas as pd

from . import aggregates as A
from .page import LazyModule

F = LazyModule("art60kit.dashboards.figures")
from . import svgchart as S
from . import geo, source
from ..formats import format_percent
from .downloads import Shown
from .page import PageControls, dashboard_app, query_string
from .labels import (DEFAULT_LANG, LANGS, SELECTABLE_LANGS, age_categories, in_sentence, label, month, number,
                     rule_set_title, rule_sets)
from .suppress import MIN_PERSONS

ALL = "*"
#: rows of figures: top-aligned, never stretched to the tallest neighbour
ROW = dict(align_items="flex-start", flex_flow="row wrap", overflow="visible")
WIDE = {"description_width": "initial"}
NO_PROVINCE = "-"
TOP_CPAS = 15
#: selections whose figures a kernel keeps (a few MB): going back to one is instant
DRAWN_KEPT = 16
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
.a60-hidden {display:none !important;}
.a60-dashboard .widget-box, .a60-dashboard .widget-html-content {overflow:visible;}
table.a60-table th {white-space:normal;}
.a60-sr-only {position:absolute; width:1px; height:1px; padding:0; margin:-1px; overflow:hidden; clip:rect(0,0,0,0); border:0;}
.a60-busy .a60-figure, .a60-busy .a60-table-box, .a60-busy .a60-kpis-box, .a60-busy .a60-case {opacity:0.35; transition:opacity 0.1s;}
.a60-busy-line {display:none; font-weight:bold; color:#1a4f8a;}
.a60-busy .a60-busy-line {display:block;}
.a60-dashboard .widget-label, .a60-dashboard label {white-space:normal; overflow:visible; text-overflow:clip;}
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
    """A figure in the reader's Belgian format (Babel): ``fmt`` gives the decimals kept
    and the sign; a hidden (missing) figure reads "< 5"."""
    if v is None or (isinstance(v, float) and v != v):
        return label("suppressed", lang)
    return number(v, lang, fmt)


def month_options(months) -> list[tuple[str, str]]:
    """A period slider's options: each month as people read it (``01/2025``), its
    ISO value (``2025-01``) kept for the address and the filters."""
    return [(month(m), m) for m in months]


class PolicyDashboard:
    def __init__(self, lang: str = DEFAULT_LANG, location: Optional[str] = None):
        t0 = time.perf_counter()
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.location = source.register_location(location)
        self.facts = A.build_facts(source.versions(self.location), source.read_flags(self.location))
        A.index_areas(self.facts)
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
        self.shown: dict = {}
        self.controls = PageControls(self.lang, self.refresh, lambda: self.shown)
        self.w_lang = self.controls.w_lang
        self.w_period = W.SelectionRangeSlider(options=month_options(months), index=(0, len(months) - 1),
                                               continuous_update=False, layout=W.Layout(width="460px"),
                                               style=WIDE)
        self.w_period.add_class("a60-filter-period")
        self.w_region = W.Dropdown(layout=W.Layout(width="auto"), style={"description_width": "initial"})
        self.w_region.add_class("a60-filter-region")
        self.w_province = W.Dropdown(layout=W.Layout(width="auto"), style={"description_width": "initial"})
        self.w_province.add_class("a60-filter-province")
        self.w_cpas = W.Dropdown(layout=W.Layout(width="auto"), style={"description_width": "initial"})
        self.w_cpas.add_class("a60-filter-cpas")
        self.w_rules = W.Dropdown(layout=W.Layout(width="auto", max_width="100%"), style=WIDE)
        self.w_rules.add_class("a60-filter-rules")
        self.w_title = W.HTML()
        self.w_kpis = W.HTML()
        self.w_kpis.add_class("a60-kpis-box")
        self.w_notice = W.HTML()
        self.w_notice.add_class("a60-suppression")
        self.w_status = W.HTML()
        self.w_status.add_class("a60-status")
        self.img = {}
        for key in ("month", "pipeline", "areas", "map", "backlog", "delay", "age", "disagree"):
            box = W.HTML(layout=W.Layout(width="49%", max_width="680px"))
            box.add_class("a60-figure-box")
            self.img[key] = box
        self.w_table = W.HTML(layout=W.Layout(width="100%"))
        self.w_table.add_class("a60-table-box")
        self.w_source = W.HTML()
        self.w_defs = W.HTML()
        self.w_defs.add_class("a60-definitions")
        self.w_compare = W.HTML()
        self.w_compare.add_class("a60-compare-periods")
        self.w_rules_compare = W.HTML()
        self.w_rules_compare.add_class("a60-compare-rules")
        self.w_busy = self.controls.w_busy
        self.pagelink = self.controls.pagelink
        self.shown: dict = {}
        self._drawn: dict = {}
        self.downloads = self.controls.downloads
        self._set_texts()
        self._fill_area_options()
        for w in (self.w_period, self.w_rules):
            w.observe(self._on_change, names="value")
        self.w_region.observe(self._on_region, names="value")
        self.w_province.observe(self._on_province, names="value")
        self.w_cpas.observe(self._on_change, names="value")
        self.w_lang.observe(self._on_lang, names="value")
        filters = W.VBox([
            W.HBox([self.w_period]),
            W.HBox([self.w_rules]),
            W.HBox([self.w_region, self.w_province, self.w_cpas], layout=W.Layout(flex_flow="row wrap")),
        ])
        grid = W.VBox([
            W.HBox(layout=ROW, children=[self.img["month"], self.img["pipeline"]]),
            W.HBox(layout=ROW, children=[self.img["areas"], self.img["map"]]),
            W.HBox(layout=ROW, children=[self.img["backlog"], self.img["delay"]]),
            W.HBox(layout=ROW, children=[self.img["age"], self.img["disagree"]]),
            self.w_table,
        ], layout=W.Layout(overflow="visible"))
        self.root = W.VBox([W.HTML(STYLE), self.pagelink.out, W.HBox([self.w_title, self.w_lang],
                                                                     layout=W.Layout(justify_content="space-between")),
                            filters, self.w_busy, self.w_status, self.w_kpis, self.w_notice, self.w_compare,
                            self.w_rules_compare, grid,
                            self.downloads.root, self.w_defs, self.w_source])
        self.root.add_class("a60-dashboard")
        self.root.add_class("a60-policy")
        self.controls.attach(self.root)

    def _set_texts(self) -> None:
        L = self.lang
        self.w_title.value = f"<h2 style='margin:4px 0'>{html.escape(label('policy.title', L))}</h2>"
        self.w_period.description = label("period", L)
        self.w_region.description = label("region", L)
        self.w_province.description = label("province", L)
        self.w_cpas.description = label("cpas", L)
        self.w_rules.description = label("rules", L)
        self.w_source.value = (f"<p class='a60-note'>{html.escape(label('suppression_note', L))}<br>"
                               f"{html.escape(label('source_note', L))}</p>")
        self.w_defs.value = definitions_html("defs.policy", L, data_date(self.facts.versions))
        set_options(self, self.w_rules, [(label("all_f", L), ALL)] + [(rule_set_title(rs, L), rs.id) for rs in rule_sets()])

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

    def draw_ahead(self) -> None:
        """Compute the figures of each region now, kept like any selection drawn (the
        last :data:`DRAWN_KEPT`): a preheated kernel does it before its page is asked
        for, so that the first filter people change shows at once."""
        self._quiet = True
        first = self.w_region.value
        try:
            for _, value in list(self.w_region.options):
                if value == first:
                    continue
                self.w_region.value = value
                self._fill_province_options()
                key = (self.query(), self.lang)
                if key not in self._drawn:
                    self._drawn[key] = self._compute(self.lang, self.filters())
            self.w_region.value = first
            self._fill_province_options()
        finally:
            self._quiet = False
        while len(self._drawn) > DRAWN_KEPT:
            del self._drawn[next(iter(self._drawn))]

    def _on_change(self, change=None) -> None:
        if not getattr(self, "_quiet", False):
            self.schedule()

    def schedule(self) -> None:
        """A filter changed: show the busy state at once and redraw once the selection
        has settled (an update superseded by a newer click is dropped)."""
        self.controls.schedule()

    def _on_region(self, change) -> None:
        if getattr(self, "_quiet", False):
            return
        self._quiet = True
        try:
            self._fill_province_options()
        finally:
            self._quiet = False
        self.schedule()

    def _on_province(self, change) -> None:
        if getattr(self, "_quiet", False):
            return
        self._quiet = True
        try:
            self._fill_cpas_options()
        finally:
            self._quiet = False
        self.schedule()

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
        self.controls.set_lang(self.lang)
        self.schedule()

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

    def query(self) -> str:
        """The page address's query for the current view (filters and language)."""
        f = self.filters()
        return query_string({"lang": self.lang,
                             "from": f.months[0] if f.months else None, "to": f.months[1] if f.months else None,
                             "region": f.region, "province": (NO_PROVINCE if f.province == "" else f.province),
                             "cpas": f.cpas, "rules": f.rules})

    def apply_query(self, q: dict) -> None:
        """Set the filters from a page address (unknown values are ignored), then draw."""
        self._quiet = True
        try:
            lang = self.controls.lang_from_query(q, self.lang)
            if lang:
                self.lang = lang
                self._set_texts()
                self._fill_area_options()
                self.controls.set_lang(lang)
            self.controls.apply_period(q, self.w_period, self.facts.months)
            for w, key, refill in ((self.w_region, "region", self._fill_province_options),
                                   (self.w_province, "province", self._fill_cpas_options),
                                   (self.w_cpas, "cpas", None), (self.w_rules, "rules", None)):
                if q.get(key) in {v for _, v in w.options}:
                    w.value = q[key]
                    if refill:
                        refill()
        finally:
            self._quiet = False
        self.refresh()

    def refresh(self) -> None:
        """Recompute and redraw everything for the current filters. Values are computed
        first and assigned together at the end, so the page never mixes two selections;
        the status line names the selection drawn (tests wait on it). The register is
        read once per kernel, so what a selection shows never changes while the kernel
        lives: the last :data:`DRAWN_KEPT` selections drawn are kept and shown again
        without recomputing."""
        t0, c0 = time.perf_counter(), time.thread_time()
        L, f = self.lang, self.filters()
        query = self.query()
        drawn = self._drawn.pop((query, L), None)
        if drawn is None:
            drawn = self._compute(L, f)
        self._drawn[(query, L)] = drawn  # most recent last
        while len(self._drawn) > DRAWN_KEPT:
            del self._drawn[next(iter(self._drawn))]
        out, shown, cmp_html, any_small, kp = drawn
        if self.query() != query:  # the selection moved while this was computed: draw the newer one
            self.schedule()
            return
        self._show(out, shown, cmp_html, any_small, kp, query, f, t0, c0)

    def _compute(self, L: str, f: A.Filters) -> tuple:
        """Every figure, table and headline figure of the selection ``f`` in ``L``."""
        req = A.filter_requests(self.facts, f)
        ver = A.filter_versions(self.facts, f)
        months = [m for m in self.facts.months if not f.months or f.months[0] <= m <= f.months[1]]
        out: dict = {}
        shown: dict = {}

        kp = A.kpis(req, ver)
        out["kpis"] = self._kpi_html(kp)
        hid = label("suppressed", L)
        empty = label("no_data", L)
        pm = A.per_month(req, months)
        pm_names = [month(m, L) for m in pm["month"]]
        t = label("fig.per_month", L)
        shown["month"] = Shown(t, pm.assign(month=pm_names), {"month": label("month", L), "n": label("requests", L)},
                               lambda pm=pm, t=t: F.bars(pm_names, pm["n"], pm["suppressed"], t, L, annotate=False),
                               S.bars(pm_names, pm["n"], pm["suppressed"], t, L, "month", annotate=len(pm) <= 12,
                                      hidden_text=hid, empty_text=empty))
        pl = A.pipeline(self.facts, f)
        pl_names = [label(f"status.{s}", L) for s in pl["status"]]
        t = label("fig.pipeline", L)
        shown["pipeline"] = Shown(t, pl.assign(status=pl_names),
                                  {"status": label("explorer.col_status", L), "n": label("requests", L)},
                                  lambda t=t: F.bars(pl_names, pl["n"], pl["suppressed"], t, L, color=F.GREEN, horizontal=True, h=2.4),
                                  S.bars(pl_names, pl["n"], pl["suppressed"], t, L, "pipeline", color=S.GREEN,
                                         horizontal=True, hidden_text=hid, empty_text=empty))
        if f.province is not None or f.cpas:
            level, title = "cpas", label("fig.by_cpas", L, n=TOP_CPAS)
        elif f.region:
            level, title = "province", label("fig.by_province", L)
        else:
            level, title = "region", label("fig.by_region", L)
        # the CPAS table below is the same computation when the chart shows CPAS
        tb = A.by_area(req, "cpas", L, top=TOP_CPAS)
        ar = tb if level == "cpas" else A.by_area(req, level, L, top=TOP_CPAS)
        ar = ar.assign(name=ar["name"].astype(object).fillna(label("no_province", L)))
        shown["areas"] = Shown(title, ar, {"name": label(level, L), "n": label("requests", L)},
                               lambda t=t: F.bars(ar["name"], ar["n"], ar["suppressed"], title, L, horizontal=True),
                               S.bars(ar["name"], ar["n"], ar["suppressed"], title, L, "areas", horizontal=True,
                                      hidden_text=hid, empty_text=empty))
        map_sup, map_df = self._map(req, L)
        values = dict(zip(map_df["key"], map_df["n"]))
        sup = dict(zip(map_df["key"], map_df["suppressed"]))
        t = label("fig.map", L)
        shown["map"] = Shown(t, map_df, {"name": label("arrondissement", L), "n": label("requests", L)},
                             lambda t=t: F.choropleth(values, sup, self.shapes, self.arr_names, L, t),
                             S.choropleth(values, sup, self.shapes, self.arr_names, L, t, "map", hidden_text=hid,
                                          legend_title=label("requests", L)))
        bl = A.backlog(ver, months)
        dl = A.delays_by_month(ver, months)
        t = label("fig.backlog", L)
        shown["backlog"] = Shown(t, bl.assign(month=[month(m, L) for m in bl["month"]]),
                                 {"month": label("month", L), "n": label("requests", L)},
                                 lambda t=t: F.backlog_and_delay(bl, dl, L),
                                 S.bars([month(m, L) for m in bl["month"]], bl["n"], bl["suppressed"], t, L, "backlog", color=S.ORANGE,
                                        annotate=len(bl) <= 12, hidden_text=hid, empty_text=empty))
        t = label("fig.delay", L)
        shown["delay"] = Shown(t, dl.assign(month=[month(m, L) for m in dl["month"]]),
                               {"month": label("month", L), "n": label("persons", L).capitalize(),
                                       "median": label("median", L), "p90": label("p90", L)},
                               lambda t=t: F.backlog_and_delay(bl, dl, L),
                               S.lines([month(m, L) for m in dl["month"]], [(label("median", L), dl["median"].tolist(), S.BLUE),
                                                     (label("p90", L), dl["p90"].tolist(), S.VERMILION)],
                                       dl["suppressed"], t, L, "delay", hidden_text=hid, empty_text=empty))
        ag = self._age_rows(A.by_age(req), f)
        age_names = [label(f"age.{c}", L) for c in ag["age_category"]]
        t = label("fig.by_age", L)
        shown["age"] = Shown(t, ag.assign(age_category=age_names),
                             {"age_category": label("age_category", L), "n": label("persons", L).capitalize(),
                              "days_median": label("days_to_work", L) + " — " + label("median", L),
                              "days_q1": label("days_to_work", L) + " — Q1", "days_q3": label("days_to_work", L) + " — Q3",
                              "contract_median": label("contract_length", L) + " — " + label("median", L),
                              "contract_q1": label("contract_length", L) + " — Q1",
                              "contract_q3": label("contract_length", L) + " — Q3"},
                             lambda t=t: F.by_age(ag, L),
                             S.ranges(age_names, [(label("days_to_work", L), ag["days_median"].tolist(), ag["days_q1"].tolist(),
                                                   ag["days_q3"].tolist(), S.BLUE),
                                                  (label("contract_length", L), ag["contract_median"].tolist(),
                                                   ag["contract_q1"].tolist(), ag["contract_q3"].tolist(), S.GREEN)],
                                      ag["suppressed"], t, L, "age", hidden_text=hid, empty_text=empty))
        db = A.disagreement_bins(req)
        db_names = [f"{d:+d}" if abs(d) < 10 else (f"≤ {d}" if d < 0 else f"≥ +{d}") for d in db["diff"]]
        t = label("fig.disagree", L)
        no_dis = label("no_disagreement", L) if len(req) else empty
        shown["disagree"] = Shown(t, db.assign(diff=db_names), {"diff": label("days", L), "n": label("requests", L)},
                                  lambda t=t: F.bars(db_names, db["n"], db["suppressed"], t, L, color=F.VERMILION,
                                                 empty_text=no_dis),
                                  S.bars(db_names, db["n"], db["suppressed"], t, L, "disagree", color=S.VERMILION,
                                         hidden_text=hid, empty_text=no_dis))
        out["table"] = self._table_html(tb)
        shown["table"] = Shown(label("table.title", L), tb, {
            "name": label("cpas", L), "n": label("col.requests", L), "n_pending": label("col.pending", L),
            "days_median": label("col.days_median", L), "share_incomplete": label("col.incomplete", L),
            "n_disagree": label("col.disagree", L)})
        cmp_html, cmp_df = self._comparison(f, now=kp)
        out["rules_html"], rules_df, rules_cols = self._rules_comparison(f)
        shown["compare_rules"] = Shown(label("compare_rules.title", L, since=reform_day(L)), rules_df, rules_cols)
        if cmp_df is not None:
            shown["compare"] = Shown(label("compare.title", L), cmp_df, cmp_df.attrs["headers"])
        shown["kpis"] = Shown(label("kpi.title", L), self._kpi_frame(kp), {"measure": label("compare.measure", L),
                                                                          "value": label("compare.value", L)})
        frames = [pm, pl, ar, bl, dl, ag, db, tb]
        any_small = any(bool(x["suppressed"].any()) for x in frames) or map_sup or 0 < len(req) < MIN_PERSONS
        out["alts"] = self._alts_for(shown)
        return out, shown, cmp_html, any_small, kp

    def _show(self, out: dict, shown: dict, cmp_html: str, any_small: bool, kp: dict, query: str,
              f: A.Filters, t0: float, c0: Optional[float] = None) -> None:
        L = self.lang
        self.w_kpis.value = out["kpis"]
        alts = out["alts"]
        for key, box in self.img.items():
            box.value = shown[key].svg.replace(f"aria-label='{html.escape(shown[key].title, quote=True)}'",
                                               f"aria-label='{html.escape(alts[key], quote=True)}'", 1)
        self.w_table.value = out["table"]
        self.w_compare.value = cmp_html
        self.w_rules_compare.value = out["rules_html"]
        self.w_notice.value = (f"<p class='a60-warn a60-suppressed-notice'>⚠ {html.escape(label('suppression_active', L))}</p>"
                               if any_small else "")
        self.shown = shown
        self.last_refresh_seconds = time.perf_counter() - t0
        # CPU seconds of the update: what the machine's other users disturb less
        self.last_refresh_cpu = None if c0 is None else time.thread_time() - c0
        shown_n = label("suppressed", L) if kp["n_requests"] is None else _fmt(kp["n_requests"], lang=L)
        self.w_status.value = (f"<p class='a60-note' role='status' data-selection='{html.escape(query)}' "
                               f"data-seconds='{self.last_refresh_seconds:.3f}'"
                               + (f" data-cpu-seconds='{self.last_refresh_cpu:.3f}'" if self.last_refresh_cpu is not None else "")
                               + ">"
                               f"{html.escape(self._selection_text(f))} — {shown_n} {html.escape(in_sentence(label('requests', L), L))}</p>")
        self.controls.drawn(query, L)

    def _selection_text(self, f: A.Filters) -> str:
        """The selection drawn, in words (shown above the figures)."""
        L = self.lang
        lo, hi = (month(m, L) for m in self.w_period.value)
        parts = [f"{label('period', L)} : {lo} – {hi}" if L == "fr" else f"{label('period', L)}: {lo} – {hi}"]
        for w, attr in ((self.w_region, f.region), (self.w_province, f.province), (self.w_cpas, f.cpas),
                        (self.w_rules, f.rules)):
            if attr is not None:
                lab = dict((v, k) for k, v in w.options).get(w.value, "")
                parts.append(lab)
        return " · ".join(parts)

    def _kpi_frame(self, k: dict) -> pd.DataFrame:
        L = self.lang
        rows = [("kpi.requests", k["n_requests"]), ("kpi.pending", k["n_pending"]),
                ("kpi.delay_median", k["delay_median"]), ("kpi.delay_p90", k["delay_p90"]),
                ("kpi.modifications", k["n_modified"]), ("kpi.second", k["n_second_calc"]),
                ("kpi.disagree", k["n_disagree"])]
        df = pd.DataFrame({"measure": [label(a, L) for a, _ in rows],
                           "value": [float("nan") if v is None else float(v) for _, v in rows]})
        df["suppressed"] = df["value"].isna()
        return df

    def _comparison(self, f: A.Filters, now: Optional[dict] = None):
        """The selected period against the same months a year earlier: requests sent,
        median ONEM delay, disagreements (each hidden below 5 persons). ``now``: the
        headline figures of ``f`` when already computed (the same selection)."""
        L = self.lang
        months = self.facts.months
        lo, hi = f.months or (months[0], months[-1])
        prev = (str(pd.Period(lo, "M") - 12), str(pd.Period(hi, "M") - 12))
        if not months or prev[1] < months[0]:
            return (f"<p class='a60-note'>{html.escape(label('compare.none', L))}</p>", None)
        fb = A.Filters(months=prev, region=f.region, province=f.province, cpas=f.cpas, rules=f.rules)
        fn = A.Filters(months=(lo, hi), region=f.region, province=f.province, cpas=f.cpas, rules=f.rules)
        if now is None:
            now = A.kpis(A.filter_requests(self.facts, fn), A.filter_versions(self.facts, fn))
        before = A.kpis(A.filter_requests(self.facts, fb), A.filter_versions(self.facts, fb))
        partial = prev[0] < months[0]
        rows = [("kpi.requests", "n_requests", "{:,.0f}"), ("kpi.delay_median", "delay_median", "{:,.0f}"),
                ("kpi.disagree", "n_disagree", "{:,.0f}")]
        df = pd.DataFrame({"measure": [label(a, L) for a, _, _ in rows],
                           "now": [float("nan") if now[k] is None else now[k] for _, k, _ in rows],
                           "before": [float("nan") if before[k] is None else before[k] for _, k, _ in rows]})
        df["suppressed"] = False
        df.attrs["headers"] = {"measure": label("compare.measure", L),
                               "now": f"{label('compare.now', L)} ({month(lo, L)} – {month(hi, L)})",
                               "before": f"{label('compare.year_before', L)} ({month(prev[0], L)} – {month(prev[1], L)})"}
        body = "".join(f"<tr><td>{html.escape(m)}</td><td>{html.escape(_fmt(now[k], fmt, L))}</td>"
                       f"<td>{html.escape(_fmt(before[k], fmt, L))}</td></tr>" for (m_key, k, fmt), m in
                       zip(rows, df["measure"]))
        note = f"<br><small>{html.escape(label('compare.partial', L, first=month(months[0], L)))}</small>" if partial else ""
        return (f"<details class='a60-compare' open><summary>{html.escape(label('compare.title', L))}</summary>"
                f"<table class='a60-table'><thead><tr><th>{html.escape(label('compare.measure', L))}</th>"
                f"<th>{html.escape(label('compare.now', L))} ({month(lo, L)} – {month(hi, L)})</th>"
                f"<th>{html.escape(label('compare.year_before', L))} ({month(prev[0], L)} – {month(prev[1], L)})</th></tr></thead>"
                f"<tbody>{body}</tbody></table>{note}</details>", df)

    def _rules_comparison(self, f: A.Filters):
        """The same headline figures for the requests of the selection under each rule
        set of the rule book (before and from 1 March 2026), side by side: every count
        is the protected (cell-key rounded) count and hidden below 5 persons, exactly as
        in the headline figures, so no column nor a difference of columns discloses a
        smaller count. The page's rule-set filter does not apply here (every rule set
        is a column); its other filters do. Returns (html, frame, download headers)."""
        L = self.lang
        sets = rule_sets()
        rows = [("kpi.requests", "n_requests", "{:,.0f}"), ("kpi.pending", "n_pending", "{:,.0f}"),
                ("kpi.delay_median", "delay_median", "{:,.0f}"), ("kpi.delay_p90", "delay_p90", "{:,.0f}"),
                ("kpi.modifications", "n_modified", "{:,.0f}"), ("kpi.disagree", "n_disagree", "{:,.0f}")]
        cols = {"measure": label("compare.measure", L)}
        data = {"measure": [label(k, L) for k, _, _ in rows]}
        figures = []
        for rs in sets:
            fr = A.Filters(months=f.months, region=f.region, province=f.province, cpas=f.cpas, rules=rs.id)
            k = A.kpis(A.filter_requests(self.facts, fr), A.filter_versions(self.facts, fr))
            figures.append(k)
            cols[rs.id] = rule_set_title(rs, L)
            data[rs.id] = [float("nan") if k[key] is None else float(k[key]) for _, key, _ in rows]
        df = pd.DataFrame(data)
        df["suppressed"] = df[[rs.id for rs in sets]].isna().any(axis=1)
        head = "".join(f"<th scope='col'>{html.escape(cols[rs.id])}</th>" for rs in sets)
        body = "".join(
            f"<tr><th scope='row'>{html.escape(m)}</th>"
            + "".join(f"<td>{html.escape(_fmt(k[key], fmt, L))}</td>" for k in figures) + "</tr>"
            for (m_key, key, fmt), m in zip(rows, data["measure"]))
        return (f"<details class='a60-compare-rules-box' open><summary>{html.escape(label('compare_rules.title', L, since=reform_day(L)))}</summary>"
                f"<p class='a60-note'>{html.escape(label('compare_rules.note', L))}</p>"
                f"<table class='a60-table a60-rules-table'><thead><tr><th scope='col'>{html.escape(cols['measure'])}</th>"
                f"{head}</tr></thead><tbody>{body}</tbody></table></details>", df, cols)

    def _age_rows(self, ag: pd.DataFrame, f: A.Filters) -> pd.DataFrame:
        """The age rows that exist for the selection: the categories of the rule sets
        selected (a rule set without categories gives the row "no category"), in the
        rule data's order. A category of the selection with fewer than 5 persons, or
        none, stays a row marked "< 5" like every other small cell; a category the
        selected rules do not have is left out (it is not a small count, it cannot
        occur)."""
        chosen = [rs for rs in rule_sets() if f.rules in (None, rs.id)]
        keep = []
        for rs in chosen:
            cats = [c for c, _ in rs.age_categories] or ["none"]
            keep += [c for c in cats if c not in keep]
        order = [c for c in age_categories() + ("none",) if c in keep]
        out = ag.set_index("age_category").reindex(order).reset_index()
        out["suppressed"] = out["suppressed"].fillna(True).astype(bool)
        return out

    def _alts_for(self, shown: dict) -> dict:
        """Each figure's text alternative: its title and the numbers it draws (the
        same, suppressed, values as its download)."""
        from .downloads import table
        alts = {}
        for key in self.img:
            s = shown[key]
            t = table(s, self.lang)
            t = t[t.iloc[:, 1:].notna().any(axis=1)] if t.shape[1] > 1 else t
            rows = ["; ".join(f"{c} {_spoken(v, self.lang)}" if i else f"{v}"
                              for i, (c, v) in enumerate(zip(t.columns, row)) if v is not None)
                    for row in t.head(30).itertuples(index=False)]
            alts[key] = f"{s.title}. " + " | ".join(rows)
        return alts

    def _map(self, req: pd.DataFrame, L: str):
        df = A.by_map_area(req, self.arr_of, list(self.shapes))
        values = dict(zip(df["key"], df["n"]))
        sup = dict(zip(df["key"], df["suppressed"]))
        df["name"] = [self.arr_names.get(k, {}).get(L) or self.arr_names.get(k, {}).get("fr") or k for k in df["key"]]
        return bool(df["suppressed"].any()), df

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


def _spoken(v, lang: str) -> str:
    """A cell of a figure's text alternative as a person reads it (Belgian number)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return number(v, lang, "{:.0f}" if float(v).is_integer() else "{:.1f}")
    return str(v)


def data_date(versions: pd.DataFrame) -> str:
    """The register's data date: the last sending or answer it records (DD/MM/YYYY)."""
    last = max((pd.to_datetime(versions[c]).max() for c in ("sent_at", "answered_on") if c in versions.columns),
               default=pd.NaT)
    return "—" if pd.isna(last) else last.strftime("%d/%m/%Y")


def reform_day(lang: str) -> str:
    """The day the rule book's latest rule set takes effect, as the texts about the
    reform name it."""
    from ..i18n import fmt_date
    from ..rules import default_rulebook
    return fmt_date(default_rulebook().latest_change, lang)


def definitions_html(key: str, lang: str, date: str) -> str:
    """The definitions and method panel: one item per figure (label ``key``, items
    separated by ``|``), the data date first."""
    items = "".join(f"<li>{html.escape(x)}</li>" for x in label(key, lang, since=reform_day(lang)).split("|"))
    return (f"<details class='a60-defs'><summary><b>{html.escape(label('defs.title', lang))}</b></summary>"
            f"<p class='a60-note'>{html.escape(label('defs.data_date', lang, date=date))}</p>"
            f"<ul class='a60-note'>{items}</ul></details>")


def app(lang: Optional[str] = None, location: Optional[str] = None, user_id: Optional[str] = None):
    """Build the dashboard and return its root widget (display it in the notebook).

    The register is read and the figures drawn first; with preheated Voila kernels
    that happens before any page request, then the person's access is checked and the
    page's address (filters, ``?lang=nl``) applied."""
    return dashboard_app(PolicyDashboard, "policy-monitoring", lang, location, user_id)
