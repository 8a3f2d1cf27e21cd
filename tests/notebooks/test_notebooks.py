"""The notebooks run top to bottom and their legal results are unchanged (nbval
--nbval-lax: cells marked ``# NBVAL_CHECK_OUTPUT`` are compared); the teaching
notebooks' language versions are generated from their one source and up to date; the
trainee's versions hold no answer; every exercise accepts answers as people type them.

The project's addopts ignore ``notebooks/``, so each notebook is run by nbval in a
subprocess. Equivalent command:

    .venv/bin/python -m pytest --nbval-lax notebooks/*.ipynb -p no:cacheprovider
"""
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import nbformat
import pytest

from art60kit.widgets.notebooks import out_of_date, versions

ROOT = Path(__file__).resolve().parents[2]
GENERATED = [(out.stem, lang, role) for _, _, lang, role, out in versions()]
HAND = ["04-rules-2026"]  # the others are generated from notebooks/src
NOTEBOOKS = HAND + [g[0] for g in GENERATED]
LEARN = {"fr": "Ce que vous allez apprendre", "nl": "Wat u leert", "en": "What you will learn"}
LANG_OF = {g[0]: g[1] for g in GENERATED}


def test_generated_versions_are_up_to_date():
    assert out_of_date() == [], "run: python -m art60kit.widgets.notebooks"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and LEARN[LANG_OF.get(name, "en")] in first.source
    checked = 0
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        for o in c.get("outputs", []):
            assert "image/png" not in o.get("data", {}) and "application/vnd.jupyter.widget-view+json" not in o.get("data", {})
        if c.source.startswith("# NBVAL_CHECK_OUTPUT"):
            checked += 1
            assert c.outputs, f"{name}: a checked cell has no stored output"
        else:
            assert not c.get("outputs"), f"{name}: unchecked cells are committed without outputs"
    assert checked >= 2


@pytest.mark.parametrize("name", [g[0] for g in GENERATED if g[2] == "trainee" and g[0].startswith("03-")])
def test_trainee_version_holds_no_answer(name):
    from art60kit.widgets.training import training

    lang = LANG_OF[name]
    T = training(lang)
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    text = "\n".join([c.source for c in nb.cells] + [str(o) for c in nb.cells for o in c.get("outputs", [])])
    for n, ex in T.exercises.items():
        for shown in {ex._fmt(ex.expected, lang), ex._fmt(ex.expected, "en"), str(ex.expected)}:
            # the figure as a whole number/date, not a part of another (24 in 2024)
            assert not re.search(rf"(?<![\d.,/-]){re.escape(shown)}(?![\d]|[.,/-]\d)", text), (name, n, shown)
    assert "answer_key" not in text


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_each_exercise_accepts_answers_as_typed(lang):
    from art60kit.widgets.training import training

    T = training(lang)
    seen = set()
    for n, ex in T.exercises.items():
        e = ex.expected
        if isinstance(e, date):
            typed = [f"{e:%d/%m/%Y}", e.isoformat(), f'"{e:%d/%m/%Y}"', f"'{e.isoformat()}'",
                     e.day / e.month / e.year]
        else:
            s = f"{e:g}"
            typed = [s, s.replace(".", ","), f'"{s.replace(".", ",")}"']
            if "." in s:
                typed.append(tuple(int(x) for x in s.split(".")))  # 56,8 typed as code
        for v in typed:
            fb = ex.check(v, lang)
            assert fb.right is True, (n, v, fb.text)
        wrong = ex.check(date(2000, 1, 1) if isinstance(e, date) else float(e) + 7, lang)
        assert wrong.right is False and ex._fmt(e, lang) not in wrong.text  # the method, not the figure
        seen |= {v for v in typed if isinstance(v, str)}
    # the four forms of the training's two reference answers
    assert {"56,8", "56.8", "29/11/2024", "2024-11-29"} <= seen


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_checked_outputs_match(name):
    env = dict(os.environ, MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", f"notebooks/{name}.ipynb",
                        "-p", "no:cacheprovider", "-q", "-o", "addopts="],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
