"""The teaching notebooks' language versions, generated from one source each.

A source (``notebooks/src/*.yaml``) holds the notebook once: Markdown cells with their
text in French, Dutch and English side by side, code cells written once (``{lang}`` is
replaced by the version's language), and per cell who sees it (``only: trainer`` for
the answer key, ``only: trainee``). From it come, per language, a **trainee** version
(no answer key) and a **trainer** version (with it) — never edited by hand. Cells
marked ``check: true`` are run and their output stored, so that nbval compares them.

    python -m art60kit.widgets.notebooks          # regenerate every version
    python -m art60kit.widgets.notebooks --check  # exit 1 if a version is out of date
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
LANGS = ("fr", "nl", "en")
ROLES = ("trainee", "trainer")
CHECK = "# NBVAL_CHECK_OUTPUT"


def load_source(path: Path) -> dict:
    """Read a source and check it: every Markdown cell in every language."""
    src = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for i, cell in enumerate(src["cells"]):
        if "md" in cell:
            missing = [l for l in LANGS if not str(cell["md"].get(l, "")).strip()]
            if missing:
                raise ValueError(f"{path.name}: cell {i}: no text in {', '.join(missing)}")
        elif "code" not in cell:
            raise ValueError(f"{path.name}: cell {i}: neither md nor code")
    return src


def file_name(src: dict, lang: str, role: str) -> str:
    return src["files"][lang] + (src["trainer_suffix"][lang] if role == "trainer" else "") + ".ipynb"


def build(src: dict, lang: str, role: str):
    """The notebook (nbformat) for one language and role, without outputs."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in src["cells"]:
        only = cell.get("only")
        if only and only != role:
            continue
        if "md" in cell:
            nb.cells.append(nbformat.v4.new_markdown_cell(str(cell["md"][lang]).strip()))
        else:
            code = cell["code"][lang] if isinstance(cell["code"], dict) else cell["code"]
            code = str(code).strip().replace("{lang}", lang)
            if cell.get("check"):
                code = CHECK + "\n" + code
            nb.cells.append(nbformat.v4.new_code_cell(code))
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i:02d}"  # stable ids: regenerating changes nothing
    return nb


def execute(nb, cwd: Path, timeout: int = 600):
    """Run the notebook; keep the outputs of checked cells only (the others hold
    widgets and figures that are drawn when the reader runs them)."""
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    nb.metadata.pop("widgets", None)  # widget state: drawn again when the reader runs the notebook
    for c in nb.cells:
        c["metadata"] = {}  # execution timings: noise in the diff
        if c.cell_type == "code" and not c.source.startswith(CHECK):
            # nbval wants an execution count on the cells that carry outputs, none elsewhere
            c["execution_count"] = None
            c["outputs"] = []
    return nb


def versions(sources: Optional[list] = None):
    """``(source path, lang, role, output path)`` for every version."""
    for p in sources or sorted(SOURCES.glob("*.yaml")):
        src = load_source(p)
        for lang in LANGS:
            for role in src.get("roles", ROLES):
                yield p, src, lang, role, OUT / file_name(src, lang, role)


def _sources_of(nb) -> list:
    return [(c.cell_type, c.source) for c in nb.cells]


def out_of_date() -> list[str]:
    """Versions whose cells differ from what their source gives (outputs ignored)."""
    import nbformat

    bad = []
    for _, src, lang, role, out in versions():
        if not out.exists() or _sources_of(nbformat.read(out, as_version=4)) != _sources_of(build(src, lang, role)):
            bad.append(out.name)
    return bad


def main(argv=None) -> int:
    import nbformat

    ap = argparse.ArgumentParser(prog="python -m art60kit.widgets.notebooks", description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only say which versions are out of date")
    ap.add_argument("only", nargs="*", help="source names to build (default: all)")
    a = ap.parse_args(argv)
    if a.check:
        bad = out_of_date()
        for b in bad:
            print(f"out of date: notebooks/{b} (run python -m art60kit.widgets.notebooks)")
        return 1 if bad else 0
    for p, src, lang, role, out in versions():
        if a.only and p.stem not in a.only:
            continue
        nb = execute(build(src, lang, role), OUT)
        nbformat.write(nb, out)
        print("wrote", out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
