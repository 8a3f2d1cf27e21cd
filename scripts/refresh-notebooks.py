"""Re-run notebooks and store the outputs of their checked cells (``# NBVAL_CHECK_OUTPUT``).

When a rule or the calculation changes on purpose, the legal figures shown by the
notebooks change: run this, then read the diff of the notebooks (``git diff notebooks/``)
before committing — every changed figure must be explained by the change. Unchecked
cells are stored without outputs (no figures in git).

    .venv/bin/python scripts/refresh-notebooks.py notebooks/04-rules-2026.ipynb [...]

The teaching notebooks generated from ``notebooks/src/`` are refreshed by their
generator instead: ``.venv/bin/python -m art60kit.widgets.notebooks``.
"""
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    os.environ.setdefault("MPLBACKEND", "Agg")
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)  # timings: noise in the diff
        if not cell.source.startswith("# NBVAL_CHECK_OUTPUT"):
            # nbval compares only checked cells; it wants an execution count on cells
            # that carry outputs, and none elsewhere
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(nb, path)
    print(f"refreshed {path}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        refresh(Path(arg))
