"""The law's figures live in the rule data, nowhere else.

The figures of the conditions and of crediting (78 days a full quarter and at most 78 a
quarter, 312 / 468 / 624 / 1560 days, 26 days a full month) and the day the 2026 rules
take effect are read from ``art60kit/rules/*.yaml``. Code that wrote one of them as a
literal would keep applying it when a rule set changes it (the search could skip the
true end date, a label would state a figure the rule set no longer has). Two places
may hold them: the rule data itself, and the day-by-day reference engine's own reading
of it (``reference.py`` only reads the rule data too, but its docstrings work examples).

Checked: numeric constants in the package's Python code (docstrings and comments are
documentation, not code), ``date(2026, 3, 1)`` calls, and the texts of the
translation catalogs (a label that stated "78 days" would be wrong for a rule set with
another figure: such texts take the figure from the rule set as a placeholder).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

PKG = Path(__file__).resolve().parents[1] / "art60kit"
#: figures no code may write (the counting figures and the conditions' day counts)
FIGURES = {78, 312, 468, 624, 1560}
#: 26 (days of a whole month) is also a pixel size, a service code and the like; it is
#: checked in the modules that compute the law
MONTH_FIGURE = 26
CORE = ("credit.py", "window.py", "admissibility.py", "planner.py", "explain.py", "right.py",
        "uncertain.py", "derived_lines.py", "rules", "batch")
REFORM = (2026, 3, 1)
EXEMPT = {"reference.py"}


def _modules():
    for p in sorted(PKG.rglob("*.py")):
        if p.name in EXEMPT:
            continue
        yield p


def _literals(tree: ast.AST):
    for n in ast.walk(tree):
        if isinstance(n, ast.Constant) and type(n.value) is int:
            yield n.lineno, n.value
        elif isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == "date":
            args = [a.value for a in n.args if isinstance(a, ast.Constant)]
            if tuple(args) == REFORM:
                yield n.lineno, "date(2026, 3, 1)"


def test_no_legal_figure_in_code():
    found = []
    for p in _modules():
        rel = p.relative_to(PKG)
        core = rel.parts[0] in CORE
        for line, v in _literals(ast.parse(p.read_text(encoding="utf-8"))):
            if v in FIGURES or v == "date(2026, 3, 1)" or (core and v == MONTH_FIGURE):
                found.append(f"art60kit/{rel}:{line}: {v}")
    assert not found, "legal figures written in code instead of read from the rule data:\n" + "\n".join(found)


def test_no_legal_figure_in_texts():
    figures = sorted(FIGURES | {MONTH_FIGURE})
    pattern = re.compile(r"(?<![\d.,])(" + "|".join(str(f) for f in figures) + r")(?![\d.,]?\d)"
                         r"|(1er mars|1 maart|1\. März|1 March) 2026")
    found = []
    for p in sorted((PKG / "locale").glob("*.yaml")):
        for key, text in yaml.safe_load(p.read_text(encoding="utf-8")).items():
            if isinstance(text, str) and pattern.search(text):
                found.append(f"{p.name}: {key}: {text}")
    assert not found, "texts that state a legal figure instead of taking it from the rule set:\n" + "\n".join(found)


def test_the_check_would_see_a_figure():
    """The scan is not vacuous: a literal figure, a reform date and a text are caught."""
    src = "X = 78\nD = date(2026, 3, 1)\n"
    seen = {v for _, v in _literals(ast.parse(src))}
    assert {78, "date(2026, 3, 1)"} <= seen


def test_option_labels_follow_the_rule_set():
    """The crediting reading's label states the figure of the rule set applied."""
    from art60kit.explain import option_value
    from art60kit.rules import default_rulebook
    rs = default_rulebook().rule_sets[-1]
    assert option_value("crediting", "quarter78", "fr", rs).startswith(f"{rs.counting.full_quarter_days} jours")
    assert option_value("crediting", "month26", "nl", rs).startswith(f"{rs.counting.full_month_days} dagen")

    class Counting:
        full_quarter_days, full_month_days = 80, 27

    class Rules:
        counting = Counting()

    assert option_value("crediting", "quarter78", "en", Rules()).startswith("80 days")
    assert option_value("crediting", "month26", "de", Rules()).startswith("27 Tage")
