"""notebooks/06-authentic-sources runs top to bottom (nbval --nbval-lax; its checked cells
compare the modification's changes, the refused worker, the recognised notification,
the Dimona line and the range of end dates) and is committed clean."""
import os
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks" / "06-authentic-sources.ipynb"


def test_notebook_shows_original_modification_dimona_and_merge_and_is_clean():
    nb = nbformat.read(NB, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    for needed in ("build_dmfa(", "build_dmfa_update(", "build_dimona(", "read_dmfa_files(", "merge(",
                   "plan_range("):
        assert needed in text, needed
    checked = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# NBVAL_CHECK_OUTPUT")]
    assert len(checked) >= 5 and all(c.outputs for c in checked)
    for c in nb.cells:
        if c.cell_type == "code" and c not in checked:
            assert not c.get("outputs")
        for o in c.get("outputs", []):
            assert "image/png" not in o.get("data", {})


def test_authentic_sources_notebook_runs():
    env = dict(os.environ, MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", str(NB.relative_to(ROOT)),
                        "-p", "no:cacheprovider", "-q", "-o", "addopts="],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
