import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))  # tests/strategies.py


@pytest.fixture
def root():
    return ROOT


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs the day-by-day reference engine")
    # Headless figures in every test
    os.environ.setdefault("MPLBACKEND", "Agg")
