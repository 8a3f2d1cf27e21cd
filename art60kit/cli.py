"""Command line: ``art60kit plan CASE`` and ``art60kit check CASE --date D``.

Exit status (case-format.md): 0 done; 2 bad input, one line per problem on standard
error (``FILE: field.path: what is wrong``), never a traceback; 1 any other failure.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Optional

from .errors import InputError, Problem
from .i18n import LANGS


def _options(case, args):
    from .model import Options

    changes = {k: getattr(args, k) for k in Options.CHOICES if getattr(args, k, None)}
    return case.options.with_(**changes)


def add_option_args(p, title: str = "interpretation options (default: from the case file, else the documented default)"):
    """One ``--option-name`` per interpretation option, its choices those of
    :attr:`art60kit.model.Options.CHOICES` (the only list of them)."""
    from .model import Options

    g = p.add_argument_group(title)
    for name, values in Options.CHOICES.items():
        g.add_argument("--" + name.replace("_", "-"), dest=name, choices=values)



def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="art60kit", description="Days to work and end date of an art. 60, § 7 contract, explained.")
    sub = p.add_subparsers(dest="command", required=True)
    pp = sub.add_parser("plan", help="earliest contract end date, with the explanation")
    pp.add_argument("case")
    pp.add_argument("--json", action="store_true", help="the plan --json result (case-format.md)")
    pp.add_argument("--lang", choices=LANGS, default="fr")
    pp.add_argument("--format", choices=("text", "markdown", "html"), default="text")
    pp.add_argument("--pdf", metavar="FILE", help="also write the printable answer sheet (PDF) in --lang")
    add_option_args(pp)
    pc = sub.add_parser("check", help="admissibility at a request date")
    pc.add_argument("case")
    pc.add_argument("--date", required=True, help="request date DD/MM/YYYY (or YYYY-MM-DD)")
    pc.add_argument("--json", action="store_true")
    pc.add_argument("--lang", choices=LANGS, default="fr")
    add_option_args(pc)
    from .batch.cli import add_batch_parser
    add_batch_parser(sub)
    from .import_command import add_import_parser
    add_import_parser(sub)
    return p


def _cmd_plan(args) -> int:
    from .caseio import load_case
    from .explain import plan_warnings, rule_set_name, to_html, to_markdown, to_text
    from .i18n import fmt_date, t
    from .uncertain import plan_result

    case = entered = load_case(args.case)
    from .batch.run import CASE_ENTRIES, kernel_ready

    if kernel_ready(CASE_ENTRIES) is False:  # compiled on first use: say so before the wait
        print(t("cli.compiling", args.lang), file=sys.stderr, flush=True)
    # uncertain values: the range over them; the explanation is the latest end's
    p, rng = plan_result(case, options=_options(case, args), lang=args.lang)
    warnings = plan_warnings(p, args.lang)
    if args.pdf:
        from .sheet import sheet_pdf

        try:
            sheet_pdf(p, args.pdf, args.lang, entered=entered if rng is not None else None,
                      uncertain=rng.comment(args.lang) if rng is not None else None)
        except OSError as e:
            raise InputError([Problem(args.pdf, "--pdf", f"cannot write the answer sheet: {e.strerror or e}")]) from None
    if args.json:
        d = p.to_dict(args.lang)
        if rng is not None:
            d["uncertain"] = rng.to_dict(args.lang)
        print(json.dumps(d, indent=2, ensure_ascii=False))
        return 0
    title = t("title.plan", args.lang)
    summary = t("summary.plan", args.lang, end=fmt_date(p.end_date, args.lang),
                request=fmt_date(p.request_date, args.lang), days=p.days_to_work, rules=rule_set_name(p.rules, args.lang))
    if rng is not None:
        summary += "\n\n" + rng.comment(args.lang)
    if args.format == "markdown":
        print(to_markdown(p.steps, title, warnings, args.lang) + "\n\n" + summary)
    elif args.format == "html":
        import html
        print(to_html(p.steps, title, warnings, args.lang)
              + ("\n<pre>" + html.escape(rng.comment(args.lang)) + "</pre>" if rng is not None else ""))
    else:
        print(to_text(p.steps, title, warnings, args.lang) + "\n\n" + summary)
    return 0


def _cmd_check(args) -> int:
    from .admissibility import check
    from .caseio import MAX_YEAR, MIN_YEAR, load_case
    from .explain import check_steps, to_text

    case = load_case(args.case)
    from .formats import ParseError, parse_date

    try:
        d = parse_date(args.date)
    except ParseError as e:
        raise InputError([Problem("--date", "date", e.message(args.lang))]) from None
    if not MIN_YEAR <= d.year <= MAX_YEAR:  # the rules and calendars cover these years only
        raise InputError([Problem("--date", "date", f"{d.isoformat()} is outside {MIN_YEAR}-{MAX_YEAR}")])
    v = check(case, d, options=_options(case, args))
    steps = check_steps(v, args.lang)
    from .right import beside_rules, dispense
    from .right_explain import dispense_step
    disp = dispense(beside_rules(v.rules), d, case.person.previous_right_end)  # art. 42: no stage needed
    if disp is not None:
        steps.append(dispense_step(disp, args.lang))
    r = v.closest
    if args.json:
        out = {"case_id": case.case_id, "rules": v.rules.id, "request_date": d.isoformat(),
               "admissible": v.admissible, "condition": r.condition.as_dict(), "days_counted": r.counted,
               "days_required": r.required, "days_missing": v.days_missing, "age_category": v.category,
               "window": r.window.as_dict(), "dispense_de_stage": disp is not None,
               "steps": [s.as_dict() for s in steps],
               "warnings": [str(w) for w in case.warnings]}
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        from .i18n import fmt_date

        from .explain import case_warnings

        print(to_text(steps, f"{case.case_id} — {fmt_date(d, args.lang)}", case_warnings(case, args.lang), args.lang))
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "batch":
            from .batch.cli import cmd_batch
            return cmd_batch(args)
        if args.command == "import":
            from .import_command import cmd_import
            return cmd_import(args)
        return {"plan": _cmd_plan, "check": _cmd_check}[args.command](args)
    except InputError as e:
        from .messages import problem_line

        lang = getattr(args, "lang", None) or "fr"
        for p in e.problems:
            print(problem_line(p, lang), file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as e:  # never a traceback for the user; the message says what failed
        print(f"art60kit: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
