"""The three dashboards in a real browser (Debian chromium via Playwright) against
Voila started by the fixture: figures render, filters change them and the address,
a page opened from that address shows the same view, rapid changes end on one
consistent selection, downloads carry the screen's suppression, the case explorer
finds any request and refuses a read without a reason, Dutch labels fit, and axe-core
finds no serious or critical WCAG 2.1 AA violation. Screenshots are saved."""
from __future__ import annotations

import csv
import io
import re
import time

import pytest

pytestmark = pytest.mark.browser

RENDER_TIMEOUT = 120_000  # ms: first kernel start on a busy CI machine
UPDATE_TIMEOUT = 60_000
SETTLED = ("() => { const d = document.querySelector('.a60-dashboard');"
           " const s = document.querySelector('.a60-status [data-selection]');"
           " return d && s && !d.classList.contains('a60-busy'); }")


def _open(page, base: str, name: str, query: str = "") -> float:
    t0 = time.perf_counter()
    page.goto(f"{base}voila/render/{name}.ipynb{query}", timeout=RENDER_TIMEOUT)
    return t0


def _text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text()


def _selection(page) -> str:
    return page.get_attribute(".a60-status [data-selection]", "data-selection")


def _address_shows(page, selection: str) -> bool:
    """The browser's address carries the selection drawn (set just after the figures)."""
    page.wait_for_function("(q) => window.location.search === q", arg=selection, timeout=UPDATE_TIMEOUT)
    return True


def _settle(page, previous: str | None = None) -> str:
    """Wait until the dashboard is not busy (and, given ``previous``, shows another
    selection); the selection shown."""
    if previous is not None:
        page.wait_for_function(
            "(old) => { const s = document.querySelector('.a60-status [data-selection]');"
            " return s && s.getAttribute('data-selection') !== old; }", arg=previous, timeout=UPDATE_TIMEOUT)
    page.wait_for_function(SETTLED, timeout=UPDATE_TIMEOUT)
    return _selection(page)


def _wait_policy(page) -> None:
    page.wait_for_function("() => document.querySelectorAll('.a60-policy svg.a60-figure').length === 8",
                           timeout=RENDER_TIMEOUT)
    page.wait_for_function(SETTLED, timeout=RENDER_TIMEOUT)


def _shot(page, path) -> None:
    """Screenshot of the whole dashboard: Voila scrolls inside its own container, so
    the viewport is made as tall as the content first."""
    h = page.evaluate("() => Math.max(...Array.from(document.querySelectorAll('.a60-dashboard'))"
                      ".map(e => e.getBoundingClientRect().bottom + 40), 1000)")
    page.set_viewport_size({"width": 1440, "height": int(min(h, 7000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1000})


def _no_error(page) -> None:
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error:" not in body, body[:2000]


def _int(s: str) -> int:
    return int(re.sub(r"[^\d]", "", s))


def _fit_problems(page) -> list[str]:
    """Texts cut or overlapping: SVG texts outside their figure or over each other,
    widget labels and buttons whose text does not fit."""
    return page.evaluate("""() => {
      const bad = [];
      for (const svg of document.querySelectorAll('svg.a60-figure')) {
        const r = svg.getBoundingClientRect();
        const boxes = [];
        let prevTurned = null;
        for (const t of svg.querySelectorAll('text')) {
          const b = t.getBoundingClientRect();
          if (!t.textContent.trim() || b.width === 0) continue;
          if (b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1)
            bad.push('outside: ' + t.textContent);
          if (t.getAttribute('transform')) {
            // labels turned 45 degrees: their boxes are diagonal, so check the gap
            // between neighbours across the text direction instead
            const x = parseFloat(t.getAttribute('x')), h = t.getBBox().height;
            const scale = r.width / svg.viewBox.baseVal.width;
            if (prevTurned !== null && (x - prevTurned) * Math.SQRT1_2 < h * 0.8)
              bad.push('overlap (turned): ' + t.textContent);
            prevTurned = x;
            continue;
          }
          for (const o of boxes) {
            const ix = Math.min(b.right, o.b.right) - Math.max(b.left, o.b.left);
            const iy = Math.min(b.bottom, o.b.bottom) - Math.max(b.top, o.b.top);
            if (ix > 2 && iy > 2) bad.push('overlap: ' + t.textContent + ' / ' + o.t);
          }
          boxes.push({b, t: t.textContent});
        }
      }
      for (const e of document.querySelectorAll('.a60-dashboard .widget-label, .a60-dashboard button, .a60-dashboard option:checked')) {
        if (e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1) bad.push('cut: ' + e.textContent);
      }
      // a drop-down list shows its chosen option whole (a select clips its text
      // without any overflow to measure: compare the text's width with the box)
      const ctx = document.createElement('canvas').getContext('2d');
      for (const s of document.querySelectorAll('.a60-dashboard select')) {
        if (s.offsetParent === null || s.multiple || s.size > 1 || s.selectedIndex < 0) continue;
        const cs = getComputedStyle(s);
        ctx.font = cs.font;
        const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const w = ctx.measureText(s.selectedOptions[0].text).width;
        if (w > room + 1) bad.push('cut select: ' + s.selectedOptions[0].text);
      }
      return bad;
    }""")


def _smallest_font(page) -> float:
    """Smallest rendered text size (px) in the figures."""
    return page.evaluate("""() => Math.min(...Array.from(document.querySelectorAll('svg.a60-figure text'))
      .filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect().height / 1.25))""")


def _axe(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    res = page.evaluate("""async () => {
      const r = await axe.run(document.querySelector('.a60-dashboard').closest('body'),
        {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
      return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                     target: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in res if v["impact"] in ("serious", "critical")]


def test_policy_filters_permalink_and_no_mixed_screen(page, browser, voila_server, logins, screenshot_dir):
    from .conftest import log_in

    t0 = _open(page, voila_server, "policy-monitoring")
    _wait_policy(page)
    print(f"\npolicy-monitoring rendered in {time.perf_counter() - t0:.1f} s")
    _no_error(page)
    # widget changes leave the browser in the order they were made (no overtaking)
    page.wait_for_function("() => window.a60InOrder === true", timeout=UPDATE_TIMEOUT)
    assert "Suivi des demandes" in _text(page, ".a60-policy")
    assert page.evaluate("document.documentElement.lang") == "fr"
    # every figure has a text alternative with its numbers, text >= 11 px at 1440 px
    labels = page.eval_on_selector_all("svg.a60-figure", "ss => ss.map(s => s.getAttribute('aria-label'))")
    assert len(labels) == 8 and all(lab and re.search(r"\d", lab) for lab in labels)
    assert _smallest_font(page) >= 11
    _downloads_offered(page, "Demandes envoyées par mois")
    _belgian_screen(page, "fr")
    _shot(page, screenshot_dir / "policy-monitoring.png")

    # a filter changes the figures and the address
    before = _int(_text(page, ".a60-kpi-n_requests b"))
    sel = _selection(page)
    page.select_option(".a60-filter-region select", label="Région flamande")
    sel = _settle(page, sel)
    assert "region=" in sel and _address_shows(page, sel)
    assert _int(_text(page, ".a60-kpi-n_requests b")) < before
    options = page.locator(".a60-filter-province select option").all_inner_texts()
    assert any("Anvers" in o for o in options) and not any("Hainaut" in o for o in options)

    # rapid changes (quicker than an update): the screen ends on the last one, whole
    for label in ("Région wallonne", "Région de Bruxelles-Capitale", "Région flamande", "Région wallonne"):
        page.select_option(".a60-filter-region select", label=label)
    page.locator(".a60-lang button", has_text="NL").click()
    page.wait_for_timeout(200)
    sel = _settle(page, sel)
    assert page.evaluate("document.documentElement.lang") == "nl"
    # the language click came last: it never overtakes the last region chosen
    assert "lang=nl" in sel and "region=03000" in sel, sel
    assert _address_shows(page, sel)
    text = _text(page, ".a60-policy")
    assert "Waals Gewest" in _text(page, ".a60-status") and "Verzonden aanvragen" in text
    wallonia = _text(page, ".a60-kpi-n_requests b")
    heading = page.locator("svg.a60-fig-areas title").first.text_content()
    assert "provincie" in heading  # the areas chart follows the region: Walloon provinces, in Dutch
    _downloads_offered(page, "Verzonden aanvragen per maand")
    _belgian_screen(page, "nl")
    from art60kit.dashboards.policy import reform_day
    assert f"Vóór en vanaf {reform_day('nl')}" in text and "Programmawet van 18 juli 2025" in text
    _shot(page, screenshot_dir / "policy-monitoring-wallonia-nl.png")

    # the address opens the same view in another browser context
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    other = ctx.new_page()
    try:
        log_in(other, voila_server, *logins["analyst"])  # another person, same link
        other.goto(page.url, timeout=RENDER_TIMEOUT)
        _wait_policy(other)
        assert _selection(other) == sel
        assert _text(other, ".a60-kpi-n_requests b") == wallonia
        assert other.eval_on_selector(".a60-filter-region select", "s => s.selectedOptions[0].textContent").replace("\xa0", " ") == "Waals Gewest"
        assert other.evaluate("document.documentElement.lang") == "nl"
    finally:
        ctx.close()


def _downloads_offered(page, title: str) -> None:
    """The download selector lists the figures in the page's language, one chosen."""
    page.wait_for_function("(t) => Array.from(document.querySelectorAll('.a60-download-what select option'))"
                           ".some(o => o.textContent.replace(/\\u00a0/g, ' ') === t)", arg=title, timeout=UPDATE_TIMEOUT)
    opts = page.eval_on_selector_all(".a60-download-what select option", "os => os.map(o => o.textContent)")
    assert len(opts) >= 10 and all(o.strip() for o in opts), opts
    chosen = page.eval_on_selector(".a60-download-what select", "s => s.selectedIndex >= 0 ? s.selectedOptions[0].textContent : ''")
    assert chosen.replace("\xa0", " ") == title, (chosen, opts)  # the first, in the page's language


def _belgian_screen(page, lang: str) -> None:
    """No ISO month (2025-01) and no ungrouped number of 4 digits or more anywhere a
    person reads the dashboard: figures, tables, filters, status."""
    texts = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.a60-dashboard svg text, .a60-dashboard td, .a60-dashboard th, .a60-dashboard .a60-status,'
        + ' .a60-dashboard .widget-readout, .a60-dashboard .a60-kpi b'))
        .filter(e => e.offsetParent !== null || e.closest('svg')).map(e => e.textContent)""")
    assert texts
    iso = [t for t in texts if re.search(r"(?<![/\d])20\d\d-(0[1-9]|1[0-2])\b", t)]
    assert not iso, iso[:5]
    ungrouped = [t for t in texts if re.search(r"(?<![\d/.,])\d{4,}(?![\d/])", t) and not re.search(r"\b(19|20)\d\d\b", t)]
    assert not ungrouped, ungrouped[:5]
    assert any(re.search(r"\b\d\d/20\d\d\b", t) for t in texts)


def test_downloads_carry_the_screens_suppression(page, voila_server, dashboard_register, screenshot_dir):
    import openpyxl

    from art60kit.dashboards import aggregates as A
    from art60kit.dashboards import source

    req = A.build_facts(source.versions(dashboard_register)).requests
    counts = req.groupby(["cpas_nis"]).size()
    nis = counts[(counts > 0) & (counts < 5)].index[0]
    _open(page, voila_server, "policy-monitoring", f"?cpas={nis}")
    _wait_policy(page)
    assert _text(page, ".a60-kpi-n_requests b") == "< 5"
    assert "moins de 5 personnes" in _text(page, ".a60-suppressed-notice")
    _shot(page, screenshot_dir / "policy-monitoring-small-cpas.png")
    whats = page.eval_on_selector_all(".a60-download-what select option", "os => os.map(o => o.value)")
    assert len(whats) >= 10

    def fetch(what: str, fmt: str):
        page.select_option(".a60-download-what select", value=what)
        page.wait_for_function("(w) => document.querySelector('.a60-download-what select').value === w", arg=what)
        with page.expect_download(timeout=UPDATE_TIMEOUT) as dl:
            page.locator(f"button.a60-download-{fmt}").click()
        d = dl.value
        assert d.suggested_filename.endswith("." + fmt)
        return d.path().read_bytes()

    counted = {"Demandes", "En attente", "ONEM ≠ outil", "Personnes"}
    for what in whats:
        title = what
        rows = list(csv.reader(io.StringIO(fetch(what, "csv").decode("utf-8-sig")), delimiter=";"))
        head = rows[0]
        for row in rows[1:]:
            for h, cell in zip(head, row):
                if h in counted and cell.strip().isdigit():
                    assert not 0 < int(cell) < 5, (title, h, cell)
    # XLSX of the CPAS table: the same cells; figures as PNG and SVG
    book = openpyxl.load_workbook(io.BytesIO(fetch("Tableau par CPAS", "xlsx")))
    cells = [c.value for row in book.active.iter_rows(min_row=2) for c in row]
    assert "< 5" in cells
    assert not any(isinstance(v, (int, float)) and 0 < v < 5 for v in cells[1::6])
    assert fetch("Demandes envoyées par mois", "png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in fetch("Demandes envoyées par mois", "svg")[:200]


def test_reform_impact_filters_and_title_follow_the_measure(page, voila_server, screenshot_dir):
    t0 = _open(page, voila_server, "reform-impact")
    page.wait_for_function("() => document.querySelectorAll('.a60-reform svg.a60-figure').length === 3",
                           timeout=RENDER_TIMEOUT)
    page.wait_for_function(SETTLED, timeout=RENDER_TIMEOUT)
    print(f"\nreform-impact rendered in {time.perf_counter() - t0:.1f} s")
    _no_error(page)
    text = _text(page, ".a60-reform")
    assert "Impact de la réforme" in text and "planifiées sous les deux réglementations" in text
    assert "Définitions et méthode" in text
    for sel in (".a60-filter-period", ".a60-filter-cpas select", ".a60-filter-region select", ".a60-filter-age select"):
        assert page.locator(sel).count() == 1, sel
    _shot(page, screenshot_dir / "reform-impact.png")
    sel = _selection(page)
    page.locator(".a60-measure button", has_text="Jours à prester").click()
    sel = _settle(page, sel)
    assert "Jours à prester" in page.locator("svg.a60-fig-dist title").text_content()
    page.select_option(".a60-filter-age select", label="50 ans et plus")
    sel = _settle(page, sel)
    assert "age=50_plus" in sel and "measure=days_to_work" in sel and _address_shows(page, sel)
    _shot(page, screenshot_dir / "reform-impact-50plus.png")


def test_case_explorer_finds_any_request_and_needs_a_reason(page, voila_server, dashboard_register, screenshot_dir):
    from art60kit.dashboards import source
    from art60kit.dashboards.explorer import PAGE_SIZE, request_index
    from art60kit.register import Register

    index = request_index(source.versions(dashboard_register))
    assert len(index) > 3 * PAGE_SIZE
    target = index[index["status"].ne("draft")]["request_id"].iloc[-1]  # on the last page of the list
    t0 = _open(page, voila_server, "case-explorer", "?lang=nl")
    page.wait_for_selector(".a60-results select option", timeout=RENDER_TIMEOUT)
    print(f"\ncase-explorer rendered in {time.perf_counter() - t0:.1f} s")
    _no_error(page)
    assert "Dossierverkenner" in _text(page, ".a60-explorer")
    assert page.input_value(".a60-reason input") == ""  # never pre-filled
    info = _text(page, ".a60-page-info")
    assert re.search(rf"{len(index)}", info.replace(".", "")), info
    # the listbox pages through the whole register
    page.locator("button.a60-page-next").click()
    page.wait_for_function("(t) => !document.querySelector('.a60-page-info').innerText.includes(t)",
                           arg=info.split("—")[0], timeout=UPDATE_TIMEOUT)
    # search the request by a part of its id
    page.fill(".a60-search-text input", target[-9:])
    page.press(".a60-search-text input", "Enter")
    page.wait_for_function("(t) => Array.from(document.querySelectorAll('.a60-results option'))"
                           ".some(o => o.textContent.startsWith(t))", arg=target, timeout=UPDATE_TIMEOUT)
    option = page.eval_on_selector_all(".a60-results option", "(os, t) => os.find(o => o.textContent.startsWith(t)).value",
                                       target)
    page.select_option(".a60-results select", value=option)

    def reads() -> int:
        reg = Register.open(dashboard_register, planner=None, validator=None)
        try:
            log = reg.as_user("dashboards").audit_frame(reason="test: count reads of one request")
            return int(((log["request_id"] == target) & log["action"].str.startswith("read")).sum())
        finally:
            reg.close()

    n_reads = reads()
    for reason in ("", "   "):  # empty and blank reasons: refused, nothing read
        page.fill(".a60-reason input", reason)
        page.locator("button.a60-open").click()
        try:
            page.wait_for_selector(".a60-reason-refused", timeout=UPDATE_TIMEOUT)
        except Exception:
            raise AssertionError(_text(page, ".a60-explorer"))
        assert "geweigerd" in _text(page, ".a60-reason-refused")
        page.evaluate("() => document.querySelector('.a60-reason-refused').remove()")
    assert reads() == n_reads
    assert page.locator(".a60-case.a60-hidden").count() == 1

    page.fill(".a60-reason input", "controle van een geschil met het OCMW")
    page.locator("button.a60-open").click()
    page.wait_for_selector(".a60-explorer .art60kit-explanation table tbody tr", timeout=UPDATE_TIMEOUT)
    page.wait_for_function(SETTLED.replace(".a60-status [data-selection]", ".a60-read-note"), timeout=UPDATE_TIMEOUT)
    assert target in _text(page, ".a60-versions h3")
    assert "Vergelijking met het antwoord van de RVA" in _text(page, ".a60-compare")
    assert "gelogd" in _text(page, ".a60-read-note")
    assert reads() > n_reads
    assert page.input_value(".a60-reason input") == ""  # the next read needs its own reason
    assert "request=" in page.url
    # any version of the request can be shown
    versions = page.eval_on_selector_all(".a60-filter-version select option", "os => os.map(o => o.value)")
    if len(versions) > 1:
        before = _text(page, ".a60-compare h3")
        page.select_option(".a60-filter-version select", value=versions[0])
        page.wait_for_function("(t) => document.querySelector('.a60-compare h3').innerText !== t", arg=before,
                               timeout=UPDATE_TIMEOUT)
    _shot(page, screenshot_dir / "case-explorer.png")


@pytest.mark.parametrize("lang", ["nl", "de"])
@pytest.mark.parametrize("name", ["policy-monitoring", "reform-impact", "case-explorer"])
def test_labels_fit_and_axe_finds_no_serious_violation(page, voila_server, axe_source, screenshot_dir, name, lang):
    """Dutch and German (the longest labels): no text cut or overlapping, every
    button and label whole (the case explorer with a request open, so that its
    answer-sheet button shows); axe-core finds no serious or critical violation."""
    _open(page, voila_server, name, f"?lang={lang}")
    if name == "case-explorer":
        page.wait_for_selector(".a60-results select option", timeout=RENDER_TIMEOUT)
        first = page.eval_on_selector(".a60-results select", "s => s.options[0].value")
        page.select_option(".a60-results select", value=first)
        page.fill(".a60-reason input", "controle van de schermen" if lang == "nl" else "Kontrolle der Anzeige")
        page.locator("button.a60-open").click()
        page.wait_for_selector(".a60-explorer .art60kit-explanation table tbody tr", timeout=UPDATE_TIMEOUT)
        page.wait_for_selector("button.a60-sheet", state="visible", timeout=UPDATE_TIMEOUT)
        assert {"nl": "Definities en methode", "de": "Begriffe und Methode"}[lang] in _text(page, ".a60-definitions")
    else:
        page.wait_for_function("() => document.querySelectorAll('svg.a60-figure').length >= 3", timeout=RENDER_TIMEOUT)
        page.wait_for_function(SETTLED, timeout=RENDER_TIMEOUT)
        _belgian_screen(page, lang)
    assert page.evaluate("document.documentElement.lang") == lang
    page.wait_for_timeout(300)
    problems = _fit_problems(page)
    assert not problems, problems[:10]
    violations = _axe(page, axe_source)
    _shot(page, screenshot_dir / f"{name}-{lang}.png")
    assert not violations, violations


def test_a_page_asks_nothing_of_other_servers_and_nothing_moves_while_it_loads(page, voila_server, screenshot_dir):
    """The dashboards' page template: every request of a page goes to the dashboards'
    server (no public CDN learns who opens a dashboard; the icons still show, their font
    served with the page's scripts), and the loading sign stands still (an animation
    draws a frame sixty times a second in every page still loading)."""
    from urllib.parse import urlparse

    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    _open(page, voila_server, "case-explorer")
    page.wait_for_selector(".a60-results select option", timeout=RENDER_TIMEOUT)
    page.wait_for_function("() => !document.getElementById('loading')"
                           " && !document.querySelector('.a60-dashboard.a60-busy')", timeout=RENDER_TIMEOUT)
    server = urlparse(voila_server).netloc
    elsewhere = [u for u in asked if urlparse(u).scheme in ("http", "https", "ws", "wss")
                 and urlparse(u).netloc != server]
    assert asked and not elsewhere, elsewhere
    # the search button's icon is drawn from the icons' font served by the server
    icon = page.locator(".a60-explorer button i.fa-search").first
    assert icon.count() == 1
    assert "awesome" in icon.evaluate("e => getComputedStyle(e, '::before').fontFamily").lower()
    # Voila's loading sign, as the page shows it while its content arrives: no animation
    moving = page.evaluate("""() => {
        const box = document.createElement('div');
        box.innerHTML = '<div class="spinner"></div><div class="voila-skeleton-post">'
            + '<div class="voila-skeleton-avatar"></div><div class="voila-skeleton-line"></div></div>';
        document.body.appendChild(box);
        const names = [...box.querySelectorAll('*')].map(e => getComputedStyle(e).animationName);
        box.remove();
        return names.filter(n => n && n !== 'none');
    }""")
    assert moving == [], moving
    _shot(page, screenshot_dir / "case-explorer-no-cdn.png")


@pytest.mark.parametrize("query,lang", [("?lang=nl", "nl"), ("?lang=de", "de"), ("", "fr")])
def test_the_loading_sign_speaks_the_pages_language(page, voila_server, query, lang):
    """Before its content arrives, a page is declared in the language of its address
    (``<html lang>``) and its loading sign says so in that language, from the catalog
    (not Voila's English "Running …" nor its count of cells run). The page's scripts
    are held back here, so that the loading sign stays on screen to be read."""
    from art60kit.dashboards.labels import label

    page.route("**/voila/static/voila.js", lambda route: route.abort())
    _open(page, voila_server, "reform-impact", query)
    page.wait_for_selector("#loading_text", state="attached", timeout=RENDER_TIMEOUT)
    assert page.evaluate("document.documentElement.lang") == lang
    assert _text(page, "#loading_text").strip() == label("loading", lang)
    page.unroute("**/voila/static/voila.js")
