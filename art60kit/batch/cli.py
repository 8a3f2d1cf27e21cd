"""``art60kit batch CASES LINES --out RESULTS.parquet [--rules REFORM] [--compare REFORM]``.

Wiring (art60kit/cli.py): ``from .batch.cli import add_batch_parser, cmd_batch``;
``add_batch_parser(sub)`` in ``_parser()`` and ``"batch": cmd_batch`` in ``main``'s
table. ``cmd_batch(args)`` returns the exit status and raises ``InputError`` for bad
input files (the CLI prints those as usual); rows with bad data do not stop the run: they
get an ``error`` value in the results and are counted on standard error.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..i18n import LANGS


def add_batch_parser(subparsers):
    p = subparsers.add_parser("batch", help="plan a population (cases and lines tables, Parquet or CSV)")
    p.add_argument("cases", help="cases table (.parquet or .csv): one row per case; or a folder of aligned "
                   "Parquet parts (cases/part-*.parquet, lines/part-*.parquet), streamed part by part")
    p.add_argument("lines", nargs="?", help="lines table (.parquet or .csv): career lines and contract events "
                   "(omitted with a parts folder)")
    p.add_argument("--out", required=True, help="results file (.parquet or .csv)")
    p.add_argument("--rules", help="reform file (YAML/JSON {rule_set_id: changes}) applied to the shipped rules")
    p.add_argument("--compare", help="reform file: also plan under it and write the differences")
    p.add_argument("--chunk-size", type=int, default=100_000, help="cases per chunk (memory bound)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--explain", nargs="*", metavar="CASE_ID", help="add explanation steps for these cases (all if none given)")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the explanation steps and messages")
    p.add_argument("--right", action="store_true", help="add the right each request opens (art. 114): "
                   "right_end, right_months, ... (about 2 ms a case more)")
    from ..cli import add_option_args

    add_option_args(p, "interpretation options (every case)")
    return p


def _write(df, path: Path) -> None:
    """Results are personal data: written readable by their owner only (0600)."""
    from .ownerfiles import write_table
    write_table(df, path)


def _orphan_lines(cases, lines, name: str, shown: int = 20) -> list:
    """One problem per case id of the lines table that is not in the cases table,
    naming its lines (the first ``shown`` such case ids, then one line counting the
    rest): such lines would otherwise be dropped without a word."""
    from ..caseio import show
    from ..errors import Problem
    from .parts import orphan_groups, rows_text

    csv = str(name).lower().endswith(".csv")
    first, word = (2, "line") if csv else (1, "row")  # CSV: line 1 is the header
    groups = orphan_groups(cases["case_id"], lines["case_id"])
    out = [Problem(name, rows_text(pos, first, word), f"case_id {show(cid)} is not in the cases table")
           for cid, pos in groups[:shown]]
    rest = sum(len(pos) for _, pos in groups[shown:])
    if rest:
        out.append(Problem(name, "(file)", f"{rest} more lines whose case_id is not in the cases table"))
    return out


def cmd_batch(args) -> int:
    from ..errors import InputError, Problem
    from ..model import Options
    from ..rules import default_rulebook
    from .engine import RunStats, plan_population
    from .run import BATCH_ENTRIES, kernel_ready
    from .tables import read_table
    from .variants import compare_variants, load_reform

    out_dir = Path(args.out).parent
    if not out_dir.is_dir():
        raise InputError([Problem(args.out, "--out", f"the folder {out_dir} does not exist")])
    from ..i18n import text

    if kernel_ready(BATCH_ENTRIES) is False:
        print(text("cli.compiling", args.lang), file=sys.stderr)
    opts = Options(**{k: getattr(args, k) for k in Options.CHOICES if getattr(args, k, None)})
    book = load_reform(args.rules) if args.rules else default_rulebook()
    from .parts import is_parts_folder, orphan_lines, part_files

    if is_parts_folder(args.cases) and not args.compare:
        try:
            part_files(args.cases)
        except ValueError as e:
            raise InputError([Problem(args.cases, "(folder)", str(e).split(": ", 1)[-1])]) from None
        orphans = orphan_lines(args.cases)
        if orphans:
            raise InputError(orphans)
        stats = RunStats()
        explain = (True if args.explain == [] else args.explain) if args.explain is not None else False
        r = plan_population(args.cases, None, book, options=opts, chunk_size=args.chunk_size,
                            progress=False if args.no_progress else None, explain=explain, lang=args.lang,
                            stats=stats, right=args.right)
        _write(r, Path(args.out))
        _done(r, stats, args.out, args.lang)
        return 0
    if args.lines is None:
        raise InputError([Problem(args.cases, "(arguments)", "give the lines table too (or a parts folder)")])
    tabs = []
    for name in (args.cases, args.lines):
        try:
            tabs.append(read_table(name))
        except FileNotFoundError:
            raise InputError([Problem(name, "(file)", "no such file")]) from None
        except Exception as e:
            raise InputError([Problem(name, "(file)", f"cannot be read as a table: {e}")]) from None
    for t, need, name in ((tabs[0], ("case_id", "birth_date", "contract_start"), args.cases),
                          (tabs[1], ("case_id", "line_no", "kind", "start", "end"), args.lines)):
        missing = [c for c in need if c not in t.columns]
        if missing:
            raise InputError([Problem(name, "(columns)", "missing column(s): " + ", ".join(missing))])
    orphans = _orphan_lines(tabs[0], tabs[1], args.lines)
    if orphans:
        raise InputError(orphans)
    out = Path(args.out)
    stats = RunStats()
    explain = (True if args.explain == [] else args.explain) if args.explain is not None else False
    kw = dict(options=opts, chunk_size=args.chunk_size, progress=False if args.no_progress else None)
    if args.compare:
        variant = load_reform(args.compare, book)
        res = compare_variants(tabs[0], tabs[1], book, variant, stats=stats, **kw)
        _write(res["base"], out)
        _write(res["diff"], out.with_name(out.stem + ".diff" + out.suffix))
        for k, t in res["summary"].items():
            _write(t, out.with_name(out.stem + f".summary_{k}" + out.suffix))
        r = res["base"]
        print(text("cli.batch_compare", args.lang, changed=int(res["diff"]["changed"].sum()), n=len(res["diff"]),
                   variant=args.compare), file=sys.stderr)
    else:
        r = plan_population(tabs[0], tabs[1], book, explain=explain, lang=args.lang, stats=stats,
                            right=args.right, **kw)
        _write(r, out)
    _done(r, stats, out, args.lang)
    return 0


def _done(r, stats, out, lang: str) -> None:
    """The run's summary line, on standard error, in the reader's language."""
    from ..i18n import text

    print(text("cli.batch_done", lang, n=len(r), kernel=stats.kernel, planner=stats.planner,
               errors=int(r["error"].notna().sum()), out=out), file=sys.stderr)


def main(argv=None) -> int:
    """Stand-alone entry point until the main CLI wires the subcommand."""
    import argparse

    from ..errors import InputError

    ap = argparse.ArgumentParser(prog="art60kit")
    sub = ap.add_subparsers(dest="command", required=True)
    add_batch_parser(sub)
    args = ap.parse_args(argv)
    try:
        return cmd_batch(args)
    except InputError as e:
        from ..messages import problem_line

        for p in e.problems:
            print(problem_line(p, args.lang), file=sys.stderr)
        return 2
    except Exception as e:
        print(f"art60kit: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
