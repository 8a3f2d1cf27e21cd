"""The reform-impact dashboard: the same population planned under the last two rule sets
of the rule book, the one before and the one from the last reform (:mod:`.reform`,
computed at set-up by :mod:`.prepare`); every rule set of the book is listed."""
from __future__ import annotations

import html
import time
from typing import Optional

import ipywidgets as W
import numpy as np
import pandas as pd

from .page import LazyModule

F = LazyModule("art60kit.dashboards.figures")
from . import svgchart as S
from . import source
from .downloads import Shown
from .labels import (DEFAULT_LANG, LANGS, SELECTABLE_LANGS, in_sentence, label, month, number,
                     rule_set_title, rule_sets)
from .page import PageControls, dashboard_app, query_string
from .policy import ROW, STYLE, _fmt, data_date, definitions_html, month_options, set_options
from .reform import compared_rule_sets, with_effects
from .aggregates import QUANTILE_METHOD
from .suppress import KEY_MODULUS, MIN_PERSONS, protect_count, suppress_small_cells

ALL = "*"
#: the groups toggle's value for "by age category" (the column follows :meth:`ReformDashboard.age_rules`)
AGE = "age"


def reform_frame(location: Optional[str] = None) -> tuple[Optional[pd.DataFrame], dict]:
    """The simulation joined with each request's region, CPAS and month of first
    sending (from the register's frame)."""
    sim, meta = source.read_reform(location)
    if sim is None:
        return None, meta
    v = source.versions(location)
    first = v[v["sent_at"].notna()].sort_values(["request_id", "version_no"]).drop_duplicates("request_id")
    areas = first[["request_id", "region_nis", "region_fr", "region_nl", "cpas_nis", "cpas_fr", "cpas_nl"]].assign(
        month=first["sent_at"].dt.strftime("%Y-%m"))
    if "new_age_category" not in sim.columns:  # a cache written before it was recorded
        sim = sim.assign(new_age_category=None)
    df = with_effects(sim).merge(areas, on="request_id", how="left")
    # the persons' keys of the disclosure control, the register's own (same persons,
    # same rounded count, on this page, the policy page and the register's aggregates)
    from ..register.frames import first_hashes, person_keys
    hashes = first_hashes(v)
    df["rkey"] = person_keys(df["request_id"], hashes)
    # the intro's counts are shown like every other count (rounded, "< 5"): the keys
    # of the requests without a plan and of every sent request are kept for them
    failed = sim.loc[~sim["request_id"].isin(df["request_id"]), "request_id"]
    meta = dict(meta, n_failed=int(len(sim) - len(df)),
                k_failed=int(person_keys(failed, hashes).sum()) % KEY_MODULUS,
                k_planned=int(person_keys(sim["request_id"], hashes).sum()) % KEY_MODULUS,
                k_population=int(person_keys(first["request_id"], hashes).sum()) % KEY_MODULUS)
    return df, meta


def shown_count(n, key) -> Optional[int]:
    """A count of persons as every figure of the page shows it (:func:`protect_count`:
    None, read "< 5", below 5, else rounded to 5 with the persons' keys)."""
    return protect_count(int(n or 0), int(key or 0) % KEY_MODULUS)


def _observed_median(s: pd.Series) -> float:
    """The median as a value observed in the data (the lower middle value for an even
    count): an interpolated median of whole days ends in ,5 exactly when the count is
    even, which would tell a count the page rounds."""
    return s.quantile(0.5, interpolation=QUANTILE_METHOD)


def group_table(df: pd.DataFrame, by: str, measure: str, lang: str) -> pd.DataFrame:
    """Median before/after/difference and shares shorter/unchanged/longer per group,
    suppressed below 5 persons."""
    old, new, delta = (f"old_{measure}", f"new_{measure}", f"delta_{measure}")
    g = df.groupby(by, dropna=False)
    out = pd.DataFrame({
        "n": g.size(),
        "k": g["rkey"].sum(),
        "old_median": g[old].quantile(0.5, interpolation=QUANTILE_METHOD),
        "new_median": g[new].quantile(0.5, interpolation=QUANTILE_METHOD),
        "delta_median": g[delta].quantile(0.5, interpolation=QUANTILE_METHOD),
        "shorter": g[delta].apply(lambda s: float((s < 0).mean() * 100)),
        "same": g[delta].apply(lambda s: float((s == 0).mean() * 100)),
        "longer": g[delta].apply(lambda s: float((s > 0).mean() * 100)),
    }).reset_index()
    out = suppress_small_cells(out, "n", key_col="k")
    # shares resting on 1 to 4 persons of a shown group are hidden too (with the group's
    # count one would give that small number back), and then the row's three shares,
    # which add up to 100 %: one hidden share is never the difference of the others
    few = np.zeros(len(out), dtype=bool)
    for test in (lambda s: s < 0, lambda s: s == 0, lambda s: s > 0):
        few |= g[delta].apply(lambda s, t=test: 0 < int(t(s).sum()) < MIN_PERSONS).to_numpy()
    for col in ("shorter", "same", "longer"):
        out[col] = out[col].mask(few)
    return out


class ReformDashboard:
    def __init__(self, lang: str = DEFAULT_LANG, location: Optional[str] = None):
        t0 = time.perf_counter()
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.location = source.register_location(location)
        self.df, self.meta = reform_frame(self.location)
        self._build()
        self.refresh()
        self.load_seconds = time.perf_counter() - t0

    def _build(self) -> None:
        self.shown: dict = {}
        self.controls = PageControls(self.lang, self.refresh, lambda: self.shown)
        self.w_lang = self.controls.w_lang
        self.w_region = W.Dropdown(layout=W.Layout(width="auto"), style={"description_width": "initial"})
        self.w_region.add_class("a60-filter-region")
        self.w_age = W.Dropdown(layout=W.Layout(width="auto"), style={"description_width": "initial"})
        self.w_age.add_class("a60-filter-age")
        self.w_age_note = W.HTML()
        self.w_age_note.add_class("a60-age-note")
        months = sorted(self.df["month"].dropna().unique()) if self.df is not None else []
        self.months = months or ["-"]
        self.w_period = W.SelectionRangeSlider(options=month_options(self.months), index=(0, len(self.months) - 1),
                                               continuous_update=False, layout=W.Layout(width="460px"),
                                               style={"description_width": "initial"})
        self.w_period.add_class("a60-filter-period")
        self.w_cpas = W.Dropdown(layout=W.Layout(width="auto"), style={"description_width": "initial"})
        self.w_cpas.add_class("a60-filter-cpas")
        self.w_defs = W.HTML()
        self.w_defs.add_class("a60-definitions")
        self.w_rule_sets = W.HTML()
        self.w_rule_sets.add_class("a60-rule-sets")
        self.w_busy = self.controls.w_busy
        self.pagelink = self.controls.pagelink
        self.downloads = self.controls.downloads
        self.w_group = W.ToggleButtons(style={"button_width": "auto", "description_width": "initial"})
        self.w_group.add_class("a60-group")
        self.w_measure = W.ToggleButtons(style={"button_width": "auto", "description_width": "initial"})
        self.w_measure.add_class("a60-measure")
        self.w_title, self.w_intro, self.w_kpis, self.w_notice, self.w_table, self.w_status = (W.HTML() for _ in range(6))
        self.w_kpis.add_class("a60-kpis-box")
        self.w_notice.add_class("a60-suppression")
        self.w_table.add_class("a60-table-box")
        self.w_status.add_class("a60-status")
        self.img = {}
        for key in ("dist", "delta", "groups"):
            box = W.HTML(layout=W.Layout(width="49%", max_width="680px"))
            box.add_class("a60-figure-box")
            self.img[key] = box
        self._texts()
        for w in (self.w_period, self.w_cpas, self.w_age, self.w_group, self.w_measure):
            w.observe(lambda ch: None if self._quiet else self.schedule(), names="value")
        self.w_region.observe(self._on_region, names="value")
        self.w_lang.observe(self._on_lang, names="value")
        self.root = W.VBox([
            W.HTML(STYLE), self.pagelink.out,
            W.HBox([self.w_title, self.w_lang], layout=W.Layout(justify_content="space-between")),
            self.w_intro, self.w_rule_sets, W.HBox([self.w_period], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self.w_region, self.w_cpas, self.w_age], layout=W.Layout(flex_flow="row wrap")), self.w_age_note,
            W.HBox([self.w_group]), W.HBox([self.w_measure]),
            self.w_busy, self.w_status, self.w_kpis, self.w_notice,
            W.HBox(layout=ROW, children=[self.img["dist"], self.img["delta"]]), W.HBox(layout=ROW, children=[self.img["groups"], self.w_table]),
            self.downloads.root, self.w_defs])
        self.root.add_class("a60-dashboard")
        self.root.add_class("a60-reform")
        self.controls.attach(self.root)

    _quiet = False

    def _texts(self) -> None:
        L = self.lang
        self._quiet = True
        try:
            old, new = self.compared()
            since = new.valid_from.strftime("%d/%m/%Y")
            self.w_title.value = f"<h2 style='margin:4px 0'>{html.escape(label('reform.title', L, date=since))}</h2>"
            intro = label("reform.intro", L, date=since, old=rule_set_title(old, L), new=rule_set_title(new, L))
            if self.df is not None:
                # the same rounded figure as the headline count of the whole population,
                # never the exact one beside it
                meta = self.meta
                intro += " " + label("reform.population", L,
                                     n=_fmt(shown_count(len(self.df), self.df["rkey"].sum()), lang=L),
                                     m=_fmt(shown_count(meta.get("n_failed"), meta.get("k_failed")), lang=L))
                if meta.get("sample"):
                    intro += " " + label("reform.sample", L,
                                         n=_fmt(shown_count(meta.get("planned"), meta.get("k_planned")), lang=L),
                                         total=_fmt(shown_count(meta.get("population"), meta.get("k_population")),
                                                    lang=L))
            else:
                intro = label("reform.missing_cache", L)
            self.w_intro.value = f"<p class='a60-note'>{html.escape(intro)}<br>{html.escape(label('suppression_note', L))}</p>"
            self.w_rule_sets.value = self._rule_sets_html()
            self.w_region.description = label("region", L)
            self.w_cpas.description = label("cpas", L)
            self.w_period.description = label("period", L)
            self.w_defs.value = definitions_html("defs.reform", L, data_date(source.versions(self.location)))
            self.w_age.description = label("age_category", L)
            self.w_group.description = label("reform.group", L)
            self.w_measure.description = label("reform.measure", L)
            regions = []
            if self.df is not None:
                r = self.df.drop_duplicates("region_nis").dropna(subset=["region_nis"])
                regions = sorted((row[f"region_{'nl' if L == 'nl' else 'fr'}"], row["region_nis"]) for _, row in r.iterrows())
            set_options(self, self.w_region, [(label("all_f", L), ALL)] + regions)
            self._fill_cpas()
            column, ages, with_ages, without = self.age_rules()
            set_options(self, self.w_age, [(label("all_f", L), ALL)] + [(label(f"age.{a}", L), a) for a in ages])
            self.w_age.disabled = column is None
            self.w_age_note.value = (
                f"<p class='a60-note'>{html.escape(label('reform.age_of', L, rules=rule_set_title(with_ages, L), other=rule_set_title(without, L)))}</p>"
                if without is not None else "")
            set_options(self, self.w_group, ([(label("age_category", L), AGE)] if column else [])
                        + [(label("region", L), "region_nis")])
            set_options(self, self.w_measure, [(label("reform.m_contract", L), "contract_days"),
                                               (label("reform.m_days", L), "days_to_work")])
        finally:
            self._quiet = False

    def age_rules(self) -> tuple[Optional[str], list[str], object, object]:
        """The age filter's categories: those of the earlier compared rule set, or of
        the later one when the earlier has none. Returns the simulation's column they
        are read from (None when neither rule set has categories), the categories
        (youngest first), the rule set they come from, and the compared rule set
        without categories (its side counts every age together; None when both have
        them)."""
        old, new = self.compared()
        for side, rs, other in (("old", old, new), ("new", new, old)):
            if rs.age_categories:
                return (f"{side}_age_category", [c for c, _ in rs.age_categories], rs,
                        None if other.age_categories else other)
        return None, [], None, None

    def compared(self) -> tuple:
        """The two rule sets whose plans the simulation holds ("before", "after"): those
        the set-up recorded when they are still in the rule book, else the last two of
        the rule book in force."""
        ids = self.meta.get("compared") or []
        known = {rs.id: rs for rs in rule_sets()}
        if len(ids) == 2 and all(i in known for i in ids):
            return known[ids[0]], known[ids[1]]
        return compared_rule_sets()

    def _rule_sets_html(self) -> str:
        """The rule sets of the rule book, in the reader's language: which one is the
        "before" and which the "after" of this comparison (others are listed as not
        compared)."""
        L = self.lang
        old, new = self.compared()
        role = {old.id: label("reform.old", L), new.id: label("reform.new", L)}
        items = "".join(
            f"<li><b>{html.escape(role.get(rs.id, label('reform.not_compared', L)))}</b>"
            f"{' :' if L == 'fr' else ':'} {html.escape(rule_set_title(rs, L))}</li>" for rs in rule_sets())
        return (f"<div class='a60-note'>{html.escape(label('reform.rule_sets', L))}<ul style='margin:2px 0'>"
                f"{items}</ul></div>")

    def _fill_cpas(self) -> None:
        L = self.lang
        opts = []
        if self.df is not None:
            d = self.df
            if self.w_region.value not in (None, ALL):
                d = d[d["region_nis"] == self.w_region.value]
            name = f"cpas_{'nl' if L == 'nl' else 'fr'}"
            c = d.drop_duplicates("cpas_nis").dropna(subset=["cpas_nis"])
            opts = sorted((f"{r[name]} ({r['cpas_nis']})", r["cpas_nis"]) for _, r in c.iterrows())
        set_options(self, self.w_cpas, [(label("all", L), ALL)] + opts)

    def _on_region(self, ch) -> None:
        if self._quiet:
            return
        self._quiet = True
        try:
            self._fill_cpas()
        finally:
            self._quiet = False
        self.schedule()

    def schedule(self) -> None:
        """A filter changed: busy at once, one redraw once the selection has settled."""
        self.controls.schedule()

    def query(self) -> str:
        lo, hi = self.w_period.value
        full = (lo, hi) == (self.months[0], self.months[-1])
        def v(w):
            return None if w.value in (None, ALL) else w.value
        return query_string({"lang": self.lang, "from": None if full else lo, "to": None if full else hi,
                             "region": v(self.w_region), "cpas": v(self.w_cpas), "age": v(self.w_age),
                             "group": None if self.w_group.value == AGE else self.w_group.value,
                             "measure": None if self.w_measure.value == "contract_days" else self.w_measure.value})

    def apply_query(self, q: dict) -> None:
        """Set the filters from the page address (unknown values ignored), then draw."""
        self._quiet = True
        try:
            lang = self.controls.lang_from_query(q, self.lang)
            if lang:
                self.lang = lang
                self._texts()
                self.controls.set_lang(lang)
            self.controls.apply_period(q, self.w_period, self.months)
            if q.get("region") in {v for _, v in self.w_region.options}:
                self.w_region.value = q["region"]
                self._fill_cpas()
            for w, key in ((self.w_cpas, "cpas"), (self.w_age, "age"), (self.w_group, "group"),
                           (self.w_measure, "measure")):
                if q.get(key) in {v for _, v in w.options}:
                    w.value = q[key]
        finally:
            self._quiet = False
        self.refresh()

    def _on_lang(self, ch) -> None:
        self.lang = ch["new"]
        self._texts()
        self.controls.set_lang(self.lang)
        self.schedule()

    def selection(self) -> pd.DataFrame:
        df = self.df
        lo, hi = self.w_period.value
        if (lo, hi) != (self.months[0], self.months[-1]):
            df = df[df["month"].between(lo, hi)]
        if self.w_region.value not in (None, ALL):
            df = df[df["region_nis"] == self.w_region.value]
        if self.w_cpas.value not in (None, ALL):
            df = df[df["cpas_nis"] == self.w_cpas.value]
        column = self.age_rules()[0]
        if column and self.w_age.value not in (None, ALL):
            df = df[df[column] == self.w_age.value]
        return df

    def refresh(self) -> None:
        """Recompute everything for the current filters, then assign it together (one
        selection on screen); the status line names the selection drawn."""
        t0 = time.perf_counter()
        L = self.lang
        query = self.query()
        figs: dict = {}
        shown: dict = {}
        if self.df is None:
            self.w_kpis.value = f"<p class='a60-warn'>{html.escape(label('reform.missing_cache', L))}</p>"
            return
        df = self.selection()
        m = self.w_measure.value
        mlabel = label("reform.m_contract" if m == "contract_days" else "reform.m_days", L)
        old = df[f"old_{m}"].astype("float64")
        new = df[f"new_{m}"].astype("float64")
        delta = df[f"delta_{m}"].astype("float64")
        n = len(df)
        small = 0 < n < MIN_PERSONS
        suppressed_any = small

        # the three shares add up to 100 %: when one rests on 1 to 4 persons, all three
        # are hidden (the others would give it back)
        few_share = any(0 < int(m.sum()) < MIN_PERSONS for m in (delta < 0, delta == 0, delta > 0))

        def share(mask):
            c = int(mask.sum())
            if small or few_share:
                return label("suppressed_value", L)
            return _fmt(c / n * 100 if n else None, "{:.1f}", L) + " %"

        kp = [
            ("requests", _fmt(None if small else shown_count(n, df["rkey"].sum()), lang=L), "n"),
            ("reform.median_old", _fmt(None if small else (_observed_median(old) if n else None), lang=L), "old"),
            ("reform.median_new", _fmt(None if small else (_observed_median(new) if n else None), lang=L), "new"),
            ("reform.median_delta", _fmt(None if small else (_observed_median(delta) if n else None), "{:+,.0f}", lang=L), "delta"),
            ("reform.shorter", share(delta < 0), "shorter"),
            ("reform.same", share(delta == 0), "same"),
            ("reform.longer", share(delta > 0), "longer"),
        ]
        kpis_html = "<div class='a60-kpis'>" + "".join(
            f"<div class='a60-kpi a60-kpi-{c}'><b>{html.escape(v)}</b><span>{html.escape(label(k, L))}</span></div>"
            for k, v, c in kp) + "</div>"
        # distributions: bins of 30 (contract) or 26 (days) before and after
        width = 30 if m == "contract_days" else 26
        # the last bin gathers the long tail (beyond the 98th percentile)
        hi = max(float(np.nanpercentile(pd.concat([old, new]).dropna(), 98)) if n else 0, width)
        edges = np.arange(0, hi + 2 * width, width)
        h_old = np.histogram(old.dropna().clip(upper=edges[-1] - 1), edges)[0]
        h_new = np.histogram(new.dropna().clip(upper=edges[-1] - 1), edges)[0]
        def mk_dist():
            fig = F.new_figure(6.4, 3.3)
            ax = fig.add_subplot()
            ax.set_title(label("reform.fig_dist", L, measure=mlabel), fontsize=10, loc="left")
            centers = (edges[:-1] + edges[1:]) / 2
            for h, col, name, off in ((h_old, F.ORANGE, label("reform.old", L), -0.2), (h_new, F.BLUE, label("reform.new", L), 0.2)):
                sup = (h > 0) & (h < MIN_PERSONS)
                ax.bar(centers + off * width, np.where(sup, 0, h), width=width * 0.4, color=col, label=name)
                if sup.any():
                    ax.bar(centers[sup] + off * width, np.full(sup.sum(), max(h.max(), 1) * 0.03), width=width * 0.4,
                           color=F.GREY, hatch="///", edgecolor="#777777")
            ax.legend(fontsize=7, frameon=False)
            ax.set_xlabel(mlabel, fontsize=8)
            ax.tick_params(labelsize=7)
            F._belgian(ax.xaxis, L)
            F._belgian(ax.yaxis, L)
            ax.spines[["top", "right"]].set_visible(False)
            if small or n == 0:
                ax.cla()
                F._empty(ax, L)
            return fig
        for h in (h_old, h_new):
            suppressed_any |= bool(((h > 0) & (h < MIN_PERSONS)).any())
        dist_df = pd.DataFrame({"from": edges[:-1], "to": edges[1:] - 1, "old": h_old, "new": h_new})
        for c in ("old", "new"):
            dist_df[c] = dist_df[c].astype("float64").mask((dist_df[c] > 0) & (dist_df[c] < MIN_PERSONS))
        if small or n == 0:
            dist_df[["old", "new"]] = float("nan")
        dist_df["suppressed"] = False
        shown["dist"] = Shown(label("reform.fig_dist", L, measure=mlabel), dist_df,
                              {"from": label("reform.bin_from", L), "to": label("reform.bin_to", L),
                               "old": label("reform.old", L), "new": label("reform.new", L)}, mk_dist)
        bins = [f"{_fmt(a, lang=L)}–{_fmt(b - 1, lang=L)}" if i < len(edges) - 2 else f"≥ {_fmt(a, lang=L)}"
                for i, (a, b) in enumerate(zip(edges[:-1], edges[1:]))]
        figs["dist"] = S.grouped_bars(
            bins, [(label("reform.old", L), dist_df["old"].tolist(), ((h_old > 0) & (h_old < MIN_PERSONS)).tolist(), S.ORANGE),
                   (label("reform.new", L), dist_df["new"].tolist(), ((h_new > 0) & (h_new < MIN_PERSONS)).tolist(), S.BLUE)],
            shown["dist"].title, L, "dist", hidden_text=label("suppressed", L), axis_label=mlabel,
            empty_text=label("no_data", L))
        # delta histogram: bins of a month (or 26 days to work) centred on 0; the tails
        # beyond the 2nd and 98th percentiles gather in the end bins
        d = delta.dropna()
        lo, hi = (float(np.percentile(d, 2)), float(np.percentile(d, 98))) if len(d) else (-width, width)
        k_lo, k_hi = int(np.floor(lo / width)) - 1, int(np.ceil(hi / width)) + 1
        centers = np.arange(k_lo, k_hi + 1) * width
        dedges = np.append(centers - width / 2, centers[-1] + width / 2)
        clipped = d.clip(centers[0], centers[-1])
        hd = np.histogram(clipped, dedges)[0]
        which = np.clip(np.searchsorted(dedges, clipped.to_numpy(), side="right") - 1, 0, len(centers) - 1)
        hk = np.bincount(which, weights=df.loc[d.index, "rkey"].to_numpy(), minlength=len(centers)).astype("int64")
        dfh = suppress_small_cells(pd.DataFrame({"bin": centers, "n": hd, "k": hk}), "n", value_cols=[], key_col="k")
        suppressed_any |= bool(dfh["suppressed"].any())
        names = [(f"≤ {_fmt(b, '{:+.0f}', L)}" if i == 0 else f"≥ {_fmt(b, '{:+.0f}', L)}" if i == len(centers) - 1
                  else _fmt(b, "{:+.0f}", L)) for i, b in enumerate(centers)]
        t_delta = label("reform.fig_delta", L) + f" — {in_sentence(mlabel, L)}"
        if small:
            dfh, names = dfh.iloc[:0], []
        shown["delta"] = Shown(t_delta, dfh.assign(bin=names),
                               {"bin": mlabel, "n": label("requests", L)},
                               lambda dfh=dfh, names=names: F.bars(names, dfh["n"], dfh["suppressed"], t_delta, L,
                                                                   color=F.PURPLE, annotate=False, ylabel=label("requests", L)))
        figs["delta"] = S.bars(names, dfh["n"], dfh["suppressed"], t_delta, L, "delta", color=S.PURPLE, annotate=False,
                               hidden_text=label("suppressed", L), empty_text=label("no_data", L),
                               axis_label=label("reform.delta_axis", L))
        # groups
        column, ages, _, _ = self.age_rules()
        by = column if self.w_group.value == AGE else self.w_group.value
        tb = group_table(df, by, m, L) if n else pd.DataFrame(columns=["n", "suppressed"])
        if self.w_group.value == AGE:
            tb = tb.set_index(by).reindex([a for a in ages if a in set(tb[by])]).reset_index() if n else tb
            names = [label(f"age.{a}", L) for a in tb.get(by, [])]
            gname = label("age_category", L)
        else:
            reg = dict(zip(self.df["region_nis"], self.df[f"region_{'nl' if L == 'nl' else 'fr'}"]))
            names = [reg.get(k, str(k)) for k in tb.get(by, [])]
            gname = label("region", L)
        suppressed_any |= bool(len(tb) and tb["suppressed"].any())
        t_groups = label("reform.fig_groups", L, group=in_sentence(gname, L), measure=in_sentence(mlabel, L))
        g_vals = tb["delta_median"] if len(tb) else []
        g_sup = tb["suppressed"] if len(tb) else []
        figs["groups"] = S.bars(names, g_vals, g_sup, t_groups, L, "groups", color=S.GREEN, horizontal=True,
                                value_fmt="{:+.0f}", hidden_text=label("suppressed", L), empty_text=label("no_data", L))
        shown["groups"] = Shown(label("reform.fig_groups", L, group=in_sentence(gname, L), measure=in_sentence(mlabel, L)),
                                tb.assign(group=names) if len(tb) else pd.DataFrame(columns=[
                                    "group", "n", "old_median", "new_median", "delta_median", "shorter", "same", "longer",
                                    "suppressed"]),
                                {"group": gname, "n": label("requests", L), "old_median": label("reform.median_old", L),
                                 "new_median": label("reform.median_new", L), "delta_median": label("reform.median_delta", L),
                                 "shorter": label("reform.shorter", L) + " (%)", "same": label("reform.same", L) + " (%)",
                                 "longer": label("reform.longer", L) + " (%)"},
                                lambda: F.bars(names, g_vals, g_sup, t_groups, L, color=F.GREEN, horizontal=True,
                                               value_fmt="{:+.0f}"))
        heads = [gname, "requests", "reform.median_old", "reform.median_new", "reform.median_delta",
                 "reform.shorter", "reform.same", "reform.longer"]
        rows = []
        for name, r in zip(names, tb.itertuples()):
            f = lambda v, fmt="{:,.0f}": html.escape(_fmt(v, fmt, L))  # noqa: E731
            rows.append(f"<tr class='{'a60-row-suppressed' if r.suppressed else ''}'><td>{html.escape(name)}</td><td>{f(r.n)}</td>"
                        f"<td>{f(r.old_median)}</td><td>{f(r.new_median)}</td><td>{f(r.delta_median, '{:+,.0f}')}</td>"
                        + "".join(f"<td>{f(v, '{:.1f}')}{'' if v != v else ' %'}</td>" for v in (r.shorter, r.same, r.longer))
                        + "</tr>")
        table_html = ("<table class='a60-table'><thead><tr>" +
                              "".join(f"<th>{html.escape(label(h, L) if h != gname else h)}</th>" for h in heads) +
                              "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
        from .downloads import table as _table
        if self.query() != query:  # superseded while computed: draw the newer selection
            self.schedule()
            return
        self.w_kpis.value = kpis_html
        for k, svg in figs.items():
            shown[k] = Shown(shown[k].title, shown[k].frame, shown[k].columns, shown[k].figure, svg)
            t = _table(shown[k], L)
            alt = shown[k].title + ". " + " | ".join("; ".join(str(v) for v in row if v is not None)
                                                     for row in t.head(30).itertuples(index=False))
            self.img[k].value = svg.replace(f"aria-label='{html.escape(shown[k].title, quote=True)}'",
                                            f"aria-label='{html.escape(alt, quote=True)}'", 1)
        self.w_table.value = table_html
        self.w_notice.value = (f"<p class='a60-warn a60-suppressed-notice'>⚠ {html.escape(label('suppression_active', L))}</p>"
                               if suppressed_any else "")
        self.shown = shown
        self.last_refresh_seconds = time.perf_counter() - t0
        n_txt = kp[0][1]  # the protected count of the headline figures, never the exact one
        self.w_status.value = (f"<p class='a60-note' role='status' data-selection='{html.escape(query)}' "
                               f"data-seconds='{self.last_refresh_seconds:.3f}'>{n_txt} "
                               f"{html.escape(in_sentence(label('requests', L), L))}</p>")
        self.controls.drawn(query, L)


def app(lang: Optional[str] = None, location: Optional[str] = None, user_id: Optional[str] = None):
    """Build the dashboard (before the page request when Voila preheats kernels), then
    check the person's access and apply the page's address."""
    return dashboard_app(ReformDashboard, "reform-impact", lang, location, user_id)
