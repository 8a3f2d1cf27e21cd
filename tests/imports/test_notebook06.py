"""notebooks/06-authentic-sources runs top to bottom (nbval --nbval-lax)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_authentic_sources_notebook_runs():
    env = dict(os.environ, MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "notebooks/06-authentic-sources.ipynb",
                        "-p", "no:cacheprovider", "-q", "-o", "addopts="],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
