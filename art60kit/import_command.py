"""``art60kit import``: read ONSS files (DmfA originals, modifications, Dimona) and
write one person's career as a career CSV.

Standard error gets the import report: workers imported and refused, one line per
problem of each refused worker (file, line, zone, value, masked INSS), the warnings and
every figure a modification changed. Standard output (or ``--out``) gets the career
CSV of the person chosen with ``--inss`` (needed when the files declare several
people), merged (:func:`art60kit.imports.merge.merge`) unless ``--no-merge``. Exit
status 2 when nothing can be imported (one line per problem), 0 otherwise.
"""
from __future__ import annotations

import sys
from datetime import date

from .errors import InputError


def add_import_parser(sub) -> None:
    p = sub.add_parser("import", help="read DmfA declarations, modifications and Dimona into a career CSV")
    p.add_argument("files", nargs="+", help="ONSS XML files (DmfA original or modification, Dimona)")
    p.add_argument("--inss", help="the person to export (needed when the files declare several)")
    p.add_argument("--out", help="career CSV to write (default: standard output)")
    p.add_argument("--excel", action="store_true", help="';', decimal comma and BOM, for a Belgian Excel")
    p.add_argument("--no-merge", dest="merge", action="store_false",
                   help="write the lines as read, without merging sources")
    p.add_argument("--as-of", dest="as_of", help="date closing open-ended Dimona periods (default: today)")
    p.add_argument("--lang", choices=("fr", "nl", "de", "en"), default="fr", help="language of the report")


def cmd_import(args) -> int:
    from .imports.career_csv import career_csv_text, write_career_csv
    from .imports.dmfa import read_dmfa_files
    from .imports.merge import merge
    from .imports.texts import msg, problem

    as_of = None
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            raise InputError([problem("--as-of", None, "", msg("cli.bad_as_of", value=repr(args.as_of)))]) from None
    imp = read_dmfa_files(args.files, inss=args.inss, as_of=as_of, lang=args.lang)
    print(imp.report(args.lang), file=sys.stderr)
    for line in imp.warning_lines(args.lang) + imp.change_lines(args.lang):
        print(line, file=sys.stderr)
    people = [p for p in imp.persons if p.lines]
    if not people:
        raise InputError([problem(", ".join(args.files), None, "", msg("cli.no_line"))])
    if len(people) > 1 and args.inss is None:
        raise InputError([problem(", ".join(args.files), None, "", msg("cli.choose", n=len(people)))])
    lines = imp.career(people[0].inss)
    if args.merge:
        lines = list(merge(lines).lines)
    if args.out:
        write_career_csv(lines, args.out, excel=args.excel)
    else:
        sys.stdout.write(career_csv_text(lines, delimiter=";" if args.excel else ",",
                                         decimal="," if args.excel else "."))
    return 0
