import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="session")
def plans():
    from art60kit.caseio import load_case
    from art60kit.planner import plan

    return {p.stem: plan(load_case(p)) for p in EXAMPLES}


@pytest.fixture(scope="session")
def figure_dir(tmp_path_factory):
    """Where rendered figures go: a temporary folder, or $ART60KIT_FIGURE_DIR to keep
    them for a look."""
    d = os.environ.get("ART60KIT_FIGURE_DIR")
    if d:
        Path(d).mkdir(parents=True, exist_ok=True)
        return Path(d)
    return tmp_path_factory.mktemp("figures")
