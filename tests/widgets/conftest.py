from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo():
    from art60kit.caseio import load_case

    return load_case(ROOT / "examples" / "demo-001.yaml")


@pytest.fixture
def expert():
    from art60kit.caseio import load_case

    return load_case(ROOT / "examples" / "expert-complex.yaml")
