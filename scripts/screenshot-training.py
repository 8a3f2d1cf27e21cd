"""Screenshots of training exercises in JupyterLab (French and Dutch), for review.

Starts JupyterLab on 127.0.0.1 (a free port, a random token), opens a generated
training notebook, runs every cell, types an answer in an exercise's box and takes a
screenshot of that exercise; stops the server with SIGTERM. Uses Debian's chromium.

    .venv/bin/python scripts/screenshot-training.py OUT_DIR
"""
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = {  # notebook: [(exercise heading, text typed in its answer box or None)]
    "03-formation-cpas": [("Exercice 2", "141,6"), ("Exercice 4", None), ("Exercice 6", "29/07/2026")],
    "03-opleiding-ocmw": [("Oefening 2", "56,8"), ("Oefening 4", None), ("Oefening 6", None)],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    lab = subprocess.Popen([str(ROOT / ".venv/bin/jupyter"), "lab", "--no-browser", "--allow-root",
                            f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
                            f"--ServerApp.token={token}", f"--ServerApp.root_dir={ROOT / 'notebooks'}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=dict(os.environ, MPLBACKEND="Agg"))
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for name, shots in SHOTS.items():
                page = browser.new_page(viewport={"width": 1300, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{name}.ipynb?token={token}")
                page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
                time.sleep(10)  # the kernel starts
                try:  # the "official Jupyter news?" prompt
                    page.get_by_role("button", name="No", exact=True).click(timeout=5000)
                except Exception:
                    pass
                page.click("div.lm-MenuBar-itemLabel:text-is('Run')")
                page.click("div.lm-Menu-itemLabel:text-is('Run All Cells')")
                # the preparation plans every exercise; the first answer box appears after it
                page.wait_for_selector("input[placeholder='?']", timeout=180_000)
                time.sleep(20)
                for heading, typed in shots:
                    h = page.locator(f".jp-MarkdownCell h2:has-text('{heading}')").first
                    h.evaluate("e => e.scrollIntoView({block: 'start'})")
                    time.sleep(4)
                    if typed is not None:
                        # the answer box of this exercise: the first one below its heading
                        boxes = page.locator("input[placeholder='?']")
                        top = h.bounding_box()["y"]
                        for i in range(boxes.count()):
                            bb = boxes.nth(i).bounding_box()
                            if bb and bb["y"] > top:
                                boxes.nth(i).fill(typed)
                                boxes.nth(i).press("Enter")
                                break
                        time.sleep(3)
                    h.evaluate("e => e.scrollIntoView({block: 'start'})")
                    time.sleep(1)
                    page.screenshot(path=str(out / f"{name}-{heading.replace(' ', '-').lower()}.png"))
                page.close()
            browser.close()
    finally:
        lab.send_signal(signal.SIGTERM)
        lab.wait(timeout=30)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
