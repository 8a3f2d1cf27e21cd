"""Dashboard timings on the bundled register: first render and filter update.

Two measures for each dashboard:

* **in-kernel** — building the dashboard object in a fresh Python process (register
  read through the API, aggregates, every figure) and one filter update, timed in
  Python: what the kernel spends;
* **browser** (``--browser``) — Voila on 127.0.0.1 and Debian chromium: from page
  request to every chart loaded (kernel start included), then from a filter change to
  the redrawn figures.

    python benchmarks/bench_dashboards.py [--register var/register.sqlite] [--browser] [--repeat 3]

The register must exist and be prepared (``python -m art60kit.dashboards prepare``).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KERNEL_SNIPPET = r"""
import json, sys, time
t0 = time.perf_counter()
which = sys.argv[1]
if which == "policy":
    from art60kit.dashboards.policy import PolicyDashboard as D
elif which == "reform":
    from art60kit.dashboards.reform_app import ReformDashboard as D
else:
    from art60kit.dashboards.explorer import CaseExplorer as D
t_import = time.perf_counter() - t0
if which == "explorer":
    from art60kit.dashboards import source
    d = D(source.service_session(source.open_register()), "fr")
else:
    d = D("fr")
t_first = time.perf_counter() - t0
t1 = time.perf_counter()
if which == "policy":
    d.w_region.value = [v for _, v in d.w_region.options][2]
    upd1 = time.perf_counter() - t1
    t1 = time.perf_counter()
    d.w_cpas.value = [v for _, v in d.w_cpas.options][1]
elif which == "reform":
    d.w_measure.value = "days_to_work"
    upd1 = time.perf_counter() - t1
    t1 = time.perf_counter()
    d.w_age.value = "50_plus"
else:
    d.w_query.value = d.index["request_id"].iloc[-1]
    upd1 = time.perf_counter() - t1
    t1 = time.perf_counter()
    d.w_show.value = "modified"
upd2 = time.perf_counter() - t1
print(json.dumps({"imports": t_import, "first_render": t_first, "update_1": upd1, "update_2": upd2}))
"""


def kernel_timings(register: str, which: str) -> dict:
    env = dict(os.environ, ART60KIT_REGISTER=register)
    out = subprocess.run([sys.executable, "-c", KERNEL_SNIPPET, which], env=env, cwd=str(ROOT),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SETTLED = ("(old) => { const d = document.querySelector('.a60-dashboard');"
           " const s = document.querySelector('.a60-status [data-selection]');"
           " return d && s && !d.classList.contains('a60-busy') && s.getAttribute('data-selection') !== old; }")
READY = ("(n) => document.querySelectorAll('svg.a60-figure').length >= n && "
         "!document.querySelector('.a60-dashboard').classList.contains('a60-busy')")
PAGES = (("policy-monitoring", 8), ("reform-impact", 3), ("case-explorer", 0))


def _demo_login(register: str, role: str = "onem") -> tuple[str, str]:
    from art60kit.dashboards import source
    from art60kit.dashboards.identity import demo_logins
    reg = source.open_register(register)
    try:
        return {r: (u, pw) for u, r, pw in demo_logins(reg, source.cache_dir(register))}[role]
    finally:
        reg.close()


def _log_in(pg, base: str, login: tuple[str, str]) -> None:
    pg.goto(f"{base}login", timeout=60_000)
    pg.fill("#user", login[0])
    pg.fill("#password", login[1])
    with pg.expect_navigation(timeout=60_000):
        pg.click("#login-submit")


def _ready(pg, n: int) -> None:
    if n:
        pg.wait_for_function(READY, arg=n, timeout=180_000)
    else:
        pg.wait_for_selector(".a60-results select option", timeout=180_000)


def filter_updates(base: str, b, login, n: int = 20) -> list[float]:
    """Seconds from a filter change to the redrawn policy page (every figure, KPI and
    table of the new selection), ``n`` changes cycling through the regions and all."""
    ctx = b.new_context(viewport={"width": 1440, "height": 1000})
    pg = ctx.new_page()
    _log_in(pg, base, login)
    pg.goto(f"{base}voila/render/policy-monitoring.ipynb", timeout=180_000)
    _ready(pg, 8)
    regions = pg.eval_on_selector_all(".a60-filter-region select option", "os => os.map(o => o.value)")
    cycle = regions[1:] + regions[:1]  # each region, then all again: every step changes the view
    times = []
    for i in range(n):
        old = pg.get_attribute(".a60-status [data-selection]", "data-selection")
        t0 = time.perf_counter()
        pg.select_option(".a60-filter-region select", value=cycle[i % len(cycle)])
        pg.wait_for_function(SETTLED, arg=old, timeout=60_000)
        times.append(time.perf_counter() - t0)
    ctx.close()
    return times


def first_opens(base: str, login, pages: list[tuple[str, int]]) -> list[tuple[str, float]]:
    """Open ``pages`` at the same moment (one browser context each); seconds from the
    request to a usable page for each."""
    import threading
    from playwright.sync_api import sync_playwright
    out: list = []

    def one(name: str, n: int) -> None:
        with sync_playwright() as p:
            br = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            pg = br.new_page(viewport={"width": 1440, "height": 1000})
            _log_in(pg, base, login)
            barrier.wait()
            t0 = time.perf_counter()
            pg.goto(f"{base}voila/render/{name}.ipynb", timeout=180_000)
            _ready(pg, n)
            out.append((name, time.perf_counter() - t0))
            time.sleep(3)
            br.close()
    barrier = threading.Barrier(len(pages))  # logged in first, then all open at once
    threads = [threading.Thread(target=one, args=pg) for pg in pages]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def kernel_memory(proc) -> list[float]:
    """Resident memory (MB) of each kernel process started by Voila."""
    import psutil
    mem = []
    for c in psutil.Process(proc.pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(c.cmdline()):
                mem.append(c.memory_info().rss / 1e6)
        except psutil.Error:
            pass
    return mem


def browser_timings(register: str, updates: int, concurrent: int, pool_size: int, settle: float) -> dict:
    from playwright.sync_api import sync_playwright

    from art60kit.dashboards.serve import start_voila, stop_voila

    res: dict = {}
    login = _demo_login(register)
    proc, base = start_voila(env={"ART60KIT_REGISTER": register}, cull_idle_timeout=600, cull_interval=60,
                             pool_size=pool_size, wait=120)
    try:
        time.sleep(settle)  # the pool's kernels read the register and draw first
        res["pool_kernels_mb"] = kernel_memory(proc)
        if concurrent:
            mix = [PAGES[i % 3] for i in range(concurrent)]
            res["concurrent_first_open_s"] = first_opens(base, login, mix)
            res["kernels_after_opens_mb"] = kernel_memory(proc)
            time.sleep(settle)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            if updates:
                res["filter_update_s"] = filter_updates(base, b, login, updates)
            b.close()
    finally:
        stop_voila(proc)
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", default=os.environ.get("ART60KIT_REGISTER", str(ROOT / "var" / "register.sqlite")))
    ap.add_argument("--browser", action="store_true", help="filter updates and concurrent first opens in chromium")
    ap.add_argument("--updates", type=int, default=20)
    ap.add_argument("--concurrent", type=int, default=10)
    ap.add_argument("--pool-size", type=int, default=None)
    ap.add_argument("--settle", type=float, default=60.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-kernel", action="store_true")
    ap.add_argument("--out", default=None, help="append the figures (JSON) to this file")
    a = ap.parse_args()
    if not Path(a.register).exists():
        print(f"no register at {a.register}: run scripts/serve-dashboards or python -m art60kit.dashboards prepare",
              file=sys.stderr)
        return 2
    print(f"register: {a.register}")
    record: dict = {"register": a.register, "when": time.strftime("%Y-%m-%d %H:%M")}
    if not a.no_kernel:
        print("in-kernel (fresh process; seconds): first render includes imports and the register read")
        for which in ("policy", "reform", "explorer"):
            runs = [kernel_timings(a.register, which) for _ in range(a.repeat)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            record[f"kernel_{which}"] = med
            print(f"  {which:9s} imports {med['imports']:.2f}  first render {med['first_render']:.2f}  "
                  f"filter update {med['update_1']:.2f} / {med['update_2']:.2f}   (median of {a.repeat})")
    if a.browser:
        from art60kit.dashboards.serve import POOL_SIZE
        pool = POOL_SIZE if a.pool_size is None else a.pool_size
        r = browser_timings(a.register, a.updates, a.concurrent, pool, a.settle)
        record["browser"] = r
        record["pool_size"] = pool
        m = r["pool_kernels_mb"]
        print(f"Voila with {pool} preheated kernels per dashboard: {len(m)} kernels, "
              f"memory per kernel median {statistics.median(m):.0f} MB (max {max(m):.0f})" if m else "no kernel found")
        if "concurrent_first_open_s" in r:
            t = [x for _, x in r["concurrent_first_open_s"]]
            print(f"  {len(t)} pages opened at once: median {statistics.median(t):.2f} s, worst {max(t):.2f} s "
                  + ", ".join(f"{n.split('-')[0]} {x:.1f}" for n, x in r["concurrent_first_open_s"]))
        if "filter_update_s" in r:
            u = r["filter_update_s"]
            print(f"  policy filter update in chromium ({len(u)} changes): median {statistics.median(u):.3f} s, "
                  f"worst {max(u):.3f} s")
    if a.out:
        with open(a.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
