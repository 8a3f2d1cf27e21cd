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
    d.w_request.value = [v for _, v in d.w_request.options][1]
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


def browser_timings(register: str, repeat: int, preheat: bool = True, settle: float = 25.0) -> dict:
    from playwright.sync_api import sync_playwright

    from art60kit.dashboards.serve import start_voila, stop_voila

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]
    results: dict = {}
    proc, base = start_voila(env={"ART60KIT_REGISTER": register}, cull_idle_timeout=10, cull_interval=5,
                             preheat=preheat)
    # preheated: let the pool kernels read the register and draw before the first page
    time.sleep(settle if preheat else 2)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            all_loaded = ("(n) => { const im = document.querySelectorAll('img.a60-figure');"
                          " return im.length >= n && Array.from(im).every(i => i.complete && i.naturalWidth > 100); }")
            changed = ("([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }")
            for name, n_img, action in (
                    ("policy-monitoring", 7, lambda pg: pg.select_option(".a60-filter-region select", value="Région flamande")),
                    ("reform-impact", 3, lambda pg: pg.locator(".a60-measure button", has_text="Jours à prester").click()),
                    ("case-explorer", 2, None)):
                firsts, updates = [], []
                for _ in range(repeat):
                    ctx = b.new_context(viewport={"width": 1400, "height": 1000})
                    pg = ctx.new_page()
                    t0 = time.perf_counter()
                    pg.goto(f"{base}voila/render/{name}.ipynb", timeout=120_000)
                    pg.wait_for_function(all_loaded, arg=n_img, timeout=120_000)
                    firsts.append(time.perf_counter() - t0)
                    if action is not None:
                        status = pg.locator(".a60-status").first.inner_text()
                        t1 = time.perf_counter()
                        action(pg)
                        pg.wait_for_function(changed, arg=[".a60-status", status], timeout=60_000)
                        updates.append(time.perf_counter() - t1)
                    ctx.close()
                    # a used pooled kernel is replaced in the background: give it time, as
                    # between two users
                    time.sleep(settle if preheat else 1)
                results[name] = {"first_render_s": firsts, "filter_update_s": updates}
            b.close()
    finally:
        stop_voila(proc)
    return results


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", default=os.environ.get("ART60KIT_REGISTER", str(ROOT / "var" / "register.sqlite")))
    ap.add_argument("--browser", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if not Path(a.register).exists():
        print(f"no register at {a.register}: run scripts/serve-dashboards or python -m art60kit.dashboards prepare",
              file=sys.stderr)
        return 2
    print(f"register: {a.register}")
    print("in-kernel (fresh process; seconds): first render includes imports and the register read")
    for which in ("policy", "reform", "explorer"):
        runs = [kernel_timings(a.register, which) for _ in range(a.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"  {which:9s} imports {med['imports']:.2f}  first render {med['first_render']:.2f}  "
              f"filter update {med['update_1']:.2f} / {med['update_2']:.2f}   (median of {a.repeat})")
    if a.browser:
        for preheat in (True, False):
            print(f"browser, Voila {'with preheated kernels (pool ready)' if preheat else 'without preheating'} "
                  "+ chromium (seconds): page request -> all charts loaded; filter -> redrawn")
            for name, r in browser_timings(a.register, a.repeat, preheat=preheat).items():
                f = r["first_render_s"]
                u = r["filter_update_s"]
                print(f"  {name:18s} first render median {statistics.median(f):.2f} (max {max(f):.2f})"
                      + (f"  filter update median {statistics.median(u):.2f} (max {max(u):.2f})" if u else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
