"""What every dashboard page shares beyond its figures: the page address (filters and
language read from the URL and written back to it), the page's ``lang`` attribute, the
busy state while an update runs, and updates that a newer one supersedes.

The browser is told things through one small script output per page (:class:`PageLink`):
Voila renders JavaScript outputs, so the kernel can set ``<html lang>`` and replace the
address (``history.replaceState``: no reload, no new history entry per click).
"""
from __future__ import annotations

import json
import os
from typing import Callable, Mapping, Optional
from urllib.parse import parse_qs, urlencode

import ipywidgets as W

#: seconds a filter change waits for a newer one before the update runs: a burst of
#: clicks or a dragged slider gives one update, for the last selection only (changes
#: reach the kernel in order and are handled back to back, so a burst waiting behind an
#: update settles well within this)
SETTLE_SECONDS = 0.02


def query_params() -> dict[str, str]:
    """The page's query string (Voila passes it to the kernel as ``QUERY_STRING``), one
    value per key (the last one when repeated).

    >>> os.environ["QUERY_STRING"] = "lang=nl&cpas=21004&cpas=21001"; query_params()
    {'lang': 'nl', 'cpas': '21001'}
    >>> os.environ["QUERY_STRING"] = ""; query_params()
    {}
    """
    q = parse_qs(os.environ.get("QUERY_STRING", ""), keep_blank_values=False)
    return {k: v[-1] for k, v in q.items() if v}


def query_string(params: Mapping[str, Optional[str]]) -> str:
    """``?k=v&...`` of the non-empty values, in the given order (``""`` when none).

    >>> query_string({"lang": "nl", "region": None, "from": "2025-03"})
    '?lang=nl&from=2025-03'
    """
    kept = [(k, str(v)) for k, v in params.items() if v not in (None, "")]
    return "?" + urlencode(kept) if kept else ""


#: Part of the page's script (it runs once): the browser sends every widget change
#: in the order the person made them. Left alone, the widgets' library holds a
#: widget's new value while its previous one is on the way to the kernel (one
#: message in flight per widget) but lets another widget's change go at once: after
#: quick region changes, a click on a language button overtook the last region
#: chosen, the kernel drew the new language with an earlier region, ended its busy
#: state, and the screen showed a settled view of a region the person had already
#: left. Sending each change at once keeps one queue in the person's order; the
#: kernel itself drops the updates a newer one supersedes (:class:`Debounced`).
#: Under Voila only (its application object gives the widget manager); elsewhere the
#: script does nothing.
IN_ORDER_JS = (
    "(function(id){ if (window.a60InOrder) { return; }"
    " var app = window.jupyterapp, wm = app && app.widgetManager;"
    " if (!wm || !wm.get_model) { return; }"
    " Promise.resolve(wm.get_model(id)).then(function(m) {"
    "   if (!m || window.a60InOrder) { return; }"
    "   var p = Object.getPrototypeOf(m);"
    "   while (p && !(Object.prototype.hasOwnProperty.call(p, 'sync') && '_pending_msgs' in m)) { p = Object.getPrototypeOf(p); }"
    "   if (!p || !p.sync) { return; }"
    "   var sync = p.sync;"
    "   p.sync = function(method, model, options) {"
    "     var held = this._pending_msgs || 0; this._pending_msgs = 0;"
    "     try { return sync.call(this, method, model, options); } finally { this._pending_msgs += held; } };"
    "   window.a60InOrder = true; }).catch(function() {});"
    " })(%s);")


class PageLink:
    """A hidden output that keeps the browser's address and ``<html lang>`` in step
    with the dashboard (a page opened from that address shows the same view)."""

    def __init__(self) -> None:
        self.out = W.Output(layout=W.Layout(height="0px", overflow="hidden"))
        self.out.add_class("a60-pagelink")
        self._last: Optional[tuple[str, str]] = None

    def update(self, query: str, lang: str, names: Optional[Mapping[str, str]] = None) -> None:
        """Put ``query`` in the address and ``lang`` on the page; ``names`` gives an
        accessible name to elements the widgets leave unnamed (CSS selector: name),
        e.g. the two handles of a range slider."""
        key = (query, lang, tuple(sorted((names or {}).items())))
        if self._last == key:
            return
        self._last = key
        from IPython.display import Javascript
        js = (IN_ORDER_JS % json.dumps(self.out.model_id)) + (
              "(function(q, lang, names){ document.documentElement.setAttribute('lang', lang);"
              " var u = window.location.pathname + q + window.location.hash;"
              " if (window.location.pathname + window.location.search + window.location.hash !== u)"
              " { window.history.replaceState(null, '', u); }"
              " function name() { for (var sel in names) { document.querySelectorAll(sel).forEach("
              "   function(e) { e.setAttribute('aria-label', names[sel]); }); } }"
              " name(); [300, 1000, 3000].forEach(function(t) { setTimeout(name, t); });"
              " })(%s, %s, %s);"
              % (json.dumps(query), json.dumps(lang), json.dumps(dict(names or {}))))
        # set as the widget's state, not captured from a display message: the update
        # often runs in a timer callback, outside any cell execution
        self.out.outputs = ({"output_type": "display_data", "metadata": {},
                             "data": {"application/javascript": Javascript(js).data, "text/plain": ""}},)


class Debounced:
    """Run ``fn`` once the selection has settled: each call replaces the pending one,
    so an update superseded by a newer selection is dropped, never drawn. Outside a
    running event loop (tests, a plain script) ``fn`` runs at once."""

    def __init__(self, fn: Callable[[], None], delay: float = SETTLE_SECONDS) -> None:
        self.fn, self.delay = fn, delay
        self.generation = 0
        self._handle = None

    def __call__(self) -> None:
        self.generation += 1
        loop = _running_loop()
        if loop is None or self.delay <= 0:
            self.fn()
            return
        if self._handle is not None:
            self._handle.cancel()
        gen = self.generation
        self._handle = loop.call_later(self.delay, self._fire, gen)

    def _fire(self, gen: int) -> None:
        if gen != self.generation:  # a newer selection came meanwhile
            return
        self._handle = None
        self.fn()


def _running_loop():
    """The kernel's event loop when the dashboard runs under Voila/Jupyter, else None."""
    try:
        from ipykernel.kernelbase import Kernel
        if not Kernel.initialized():
            return None
        import asyncio
        try:
            return asyncio.get_event_loop()
        except RuntimeError:
            return None
    except ImportError:
        return None


def set_busy(root: W.Widget, busy: bool) -> None:
    """Mark the dashboard as updating: figures are dimmed and a loading line shows
    (CSS ``.a60-busy``); tests and assistive technology read ``aria-busy`` from it."""
    if busy:
        root.add_class("a60-busy")
    else:
        root.remove_class("a60-busy")


class LazyModule:
    """A module imported on first use: the matplotlib figures are only needed for a
    PNG download, and importing matplotlib in every dashboard kernel costs memory and
    start-up time."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._mod = None

    def __getattr__(self, attr: str):
        if self._mod is None:
            import importlib
            self._mod = importlib.import_module(self._name)
        return getattr(self._mod, attr)


def lang_toggle(lang: str) -> W.ToggleButtons:
    """The language buttons of a dashboard (FR, NL, DE; English stays reachable by
    ``?lang=en``, with the French button shown pressed)."""
    from .labels import LANG_OPTIONS
    w = W.ToggleButtons(options=list(LANG_OPTIONS), value=lang if lang != "en" else "fr",
                        style={"button_width": "48px"})
    w.add_class("a60-lang")
    return w


class PageControls:
    """What a filtered dashboard page has around its figures, built the same way on
    every page: the language buttons, the busy line, the page address, the downloads
    row, and filter changes that settle before one redraw.

    ``refresh`` redraws the page; ``shown()`` returns ``{key: Shown}`` of the last
    drawn selection (what the downloads offer). Call :meth:`attach` with the page's
    root widget, :meth:`set_lang` when the language changes, :meth:`schedule` when a
    filter changes and :meth:`drawn` once a selection is on screen."""

    def __init__(self, lang: str, refresh: Callable[[], None], shown: Callable[[], Mapping]) -> None:
        from .downloads import DownloadBar
        self.w_lang = lang_toggle(lang)
        self.w_busy = W.HTML()
        self.w_busy.add_class("a60-busy-line")
        self.pagelink = PageLink()
        self.downloads = DownloadBar(shown, lang)
        self._debounced = Debounced(refresh)
        self.root: Optional[W.Widget] = None
        self.set_lang(lang)

    def attach(self, root: W.Widget) -> None:
        self.root = root

    def set_lang(self, lang: str) -> None:
        from .labels import label
        import html
        self.w_lang.description = label("lang", lang)
        self.w_busy.value = f"<p role='status'>{html.escape(label('loading', lang))}</p>"
        self.downloads.set_lang(lang)

    def lang_from_query(self, q: Mapping[str, str], current: str) -> Optional[str]:
        """The language a page address asks for when it is another one than ``current``
        (its button pressed, without firing the page's callback: call this with the
        page quiet), else None."""
        from .labels import LANGS, SELECTABLE_LANGS
        lang = q.get("lang")
        if lang not in LANGS or lang == current:
            return None
        if lang in SELECTABLE_LANGS:
            self.w_lang.value = lang
        return lang

    def apply_period(self, q: Mapping[str, str], slider: W.Widget, months) -> None:
        """Set a period slider from the address's ``from`` and ``to`` (ISO months): a
        missing end is the register's first or last month, an unknown or reversed
        period is ignored."""
        lo, hi = q.get("from"), q.get("to")
        if lo in months or hi in months:
            lo = lo if lo in months else months[0]
            hi = hi if hi in months else months[-1]
            if lo <= hi:
                slider.value = (lo, hi)

    def schedule(self) -> None:
        """A filter changed: busy at once, one redraw once the selection has settled
        (an update superseded by a newer one is dropped)."""
        if self.root is not None:
            set_busy(self.root, True)
        self._debounced()

    def drawn(self, query: str, lang: str) -> None:
        """A selection is on screen: end the busy state (the browser receives it right
        after the figures and the status line, before the rest), offer its downloads,
        put it in the address."""
        from .labels import label
        if self.root is not None:
            set_busy(self.root, False)
        self.downloads.refresh_options()
        self.pagelink.update(query, lang, {".a60-filter-period .noUi-handle-lower": label("period_from", lang),
                                           ".a60-filter-period .noUi-handle-upper": label("period_to", lang)})


def dashboard_app(make: Callable[[str, Optional[str]], object], name: str, lang: Optional[str] = None,
                  location: Optional[str] = None, user_id: Optional[str] = None) -> W.Widget:
    """Build a filtered dashboard (``make(lang, location)``, whose result has
    ``apply_query`` and ``root``) before the page request when Voila preheats kernels,
    then check the person's access to ``name`` and apply the page's address."""
    from .access import Refused, person_access, refusal_widget
    from .labels import DEFAULT_LANG
    from .serve import preheating, requested_lang, wait_for_request
    d = make(DEFAULT_LANG, location)
    if preheating() and hasattr(d, "draw_ahead"):
        d.draw_ahead()  # while no one waits: the first filter people change
    # the register's frames, read once and kept while the kernel lives, are left out of
    # the cycle collector's full passes: each pass over them took 0.1-0.2 s of an
    # update now and then (the slowest filter change)
    import gc
    gc.collect()
    gc.freeze()
    wait_for_request()
    q = query_params()
    q["lang"] = lang or requested_lang()
    try:
        person_access(name, location, user_id).register.close()
    except Refused as exc:
        W.Widget.close_all()  # nothing built before the request stays reachable
        return refusal_widget(exc, q["lang"])
    d.apply_query(q)
    return d.root
