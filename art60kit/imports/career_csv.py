"""Career CSV: one line per period, as CPAS staff copy it from Dolsis or MyCareer.

Columns (canonical names; the header may also use the French, Dutch or short aliases of
:data:`COLUMN_ALIASES`, in any order and any case)::

    kind,start,end,employer,days_per_week,weekly_hours,full_time_hours,hours,days,
    child_birth_date,source,source_ref,note

Reading rules (each chosen for what staff actually paste):

- delimiter ``,``, ``;`` or tab, taken from the header line (a Belgian Excel writes
  ``;`` with decimal commas);
- dates ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (also ``DD-MM-YYYY``, ``DD.MM.YYYY``): the
  day-first order is the Belgian one, never month-first;
- numbers with ``.`` or ``,`` as decimal mark; an empty cell is "not given";
- encoding UTF-8 (with or without BOM); a file that is not UTF-8 is read as
  Windows-1252 (what Excel writes on Belgian Windows) and reported;
- ``kind`` is a case-format kind id, or one of a few unambiguous French/Dutch words
  (:data:`KIND_ALIASES`);
- each row is validated exactly like a career line of a case file
  (:func:`art60kit.caseio.validate_line`); any error anywhere stops the whole import
  with one line per problem, ``FILE: line N: field: what is wrong`` (no partial import);
- lines without ``source`` get ``source: csv`` and ``source_ref: <file> line N`` so
  that the explanation can show where each line came from.

- a quote that is opened and not closed is reported on the line where it opens, with
  its column (one line, file, line, field); it never swallows the rows after it: the
  reading resumes on the next line, so their problems are reported too.

Writing uses the canonical header, ISO dates and the shortest exact number form, so
that case -> CSV -> case gives the same lines (and the same plan). Text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return: ``=HYPERLINK(...)``, ``+cmd|...``) are written with a leading ``'``,
which a spreadsheet shows as text and this reader removes again; cells with a line
break are quoted. Reading a written file gives back exactly the lines written.
"""
from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import IO, Iterable, Optional, Sequence, Union

from ..errors import InputError, Problem
from .texts import msg, problem, unreadable

__all__ = ["COLUMNS", "COLUMN_ALIASES", "KIND_ALIASES", "CsvImport", "read_career_csv",
           "write_career_csv", "career_csv_text", "SOURCE"]

SOURCE = "csv"

COLUMNS: tuple[str, ...] = (
    "kind", "start", "end", "employer", "days_per_week", "weekly_hours", "full_time_hours",
    "hours", "days", "child_birth_date", "source", "source_ref", "note", "doubt",
)
_DATES = {"start", "end", "child_birth_date"}
_NUMBERS = {"days_per_week", "weekly_hours", "full_time_hours", "hours", "days"}

#: Header aliases (compared without accents, case, spaces or punctuation).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "kind": ("type", "nature", "aard", "soort", "kind of line"),
    "start": ("from", "du", "debut", "date de debut", "date debut", "van", "begin",
              "begindatum", "startdatum", "start date"),
    "end": ("to", "au", "fin", "date de fin", "date fin", "tot", "einde", "einddatum",
            "end date"),
    "employer": ("employeur", "werkgever", "company", "entreprise", "onderneming"),
    "days_per_week": ("r", "regime", "jours par semaine", "dagen per week", "days a week"),
    "weekly_hours": ("q", "heures par semaine", "uren per week", "hours a week"),
    "full_time_hours": ("s", "heures temps plein", "uren voltijds", "full time hours"),
    "hours": ("heures", "uren", "total hours"),
    "days": ("jours", "dagen", "days worked"),
    "child_birth_date": ("naissance enfant", "geboortedatum kind", "child birth date"),
    "source": ("bron",),
    "source_ref": ("reference", "referentie", "ref"),
    "note": ("remarque", "commentaire", "opmerking", "comment"),
    "doubt": ("doute", "twijfel", "incertitude", "onzekerheid"),
}

#: A few unambiguous French/Dutch words for kinds. Ambiguous words ("maladie",
#: "ziekte": guaranteed wage or indemnified?) are deliberately absent: they must be
#: typed as a kind id, because the choice changes the result.
KIND_ALIASES: dict[str, str] = {
    "travail": "work", "arbeid": "work", "werk": "work", "tewerkstelling": "work",
    "vacances": "paid_holiday", "vakantie": "paid_holiday",
    "chomage temporaire": "temporary_unemployment", "tijdelijke werkloosheid": "temporary_unemployment",
    "contrat etudiant": "student_contract", "studentenovereenkomst": "student_contract",
    "independant": "self_employed_main", "zelfstandige": "self_employed_main",
    "maternite": "maternity", "moederschap": "maternity",
    "accident du travail": "work_accident", "arbeidsongeval": "work_accident",
    "greve": "strike", "staking": "strike",
    "apprentissage": "apprenticeship", "leertijd": "apprenticeship",
}


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


_HEADER: dict[str, str] = {}
for _col, _aliases in COLUMN_ALIASES.items():
    _HEADER[_norm(_col)] = _col
    _HEADER[_norm(_col.replace("_", " "))] = _col
    for _a in _aliases:
        _HEADER[_norm(_a)] = _col
_KINDS_NORM = {_norm(k): v for k, v in KIND_ALIASES.items()}

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass(frozen=True)
class CsvImport:
    """Career lines read from a CSV file (case-format mappings, dates as ISO strings
    exactly as validated) and the warnings about them."""

    file: str
    lines: tuple[dict, ...]
    problems: tuple[Problem, ...] = ()

    def career(self) -> list[dict]:
        """Fresh copies of the lines, safe to edit or to put in a case."""
        return [dict(l) for l in self.lines]


def _parse_date(v: str) -> str:
    """ISO text for a cell; a day-first date is rewritten, anything else is left for
    the case validator to reject with its usual message."""
    m = _DMY.match(v)
    if m:
        d, mth, y = (int(x) for x in m.groups())
        try:
            return date(y, mth, d).isoformat()
        except ValueError:
            return v  # the validator reports it ("not a valid date")
    return v


def _parse_number(v: str):
    """A number (decimal point or comma), ``unknown``, or an interval ``min..max``."""
    if v.strip().lower() in ("unknown", "inconnu", "onbekend"):
        return "unknown"
    if ".." in v:
        lo, _, hi = v.partition("..")
        a, b = _parse_number(lo), _parse_number(hi)
        if isinstance(a, float) and isinstance(b, float):
            return {"min": a, "max": b}
        return v
    t = v.replace("\u00a0", "").replace(" ", "")
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return v  # left for the validator: "not a number"


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV
#: injection"): such text cells are written behind a ``'``.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _needs_guard(s: str) -> bool:
    """Whether text ``s`` must be written behind a ``'`` (it starts like a formula, or
    it already starts with ``'`` followed by something that would need one: then the
    reader's removal of one ``'`` keeps it intact)."""
    if s.startswith(FORMULA_START):
        return True
    return s.startswith("'") and _needs_guard(s[1:])


def _guard(s: str) -> str:
    return "'" + s if _needs_guard(s) else s


def _unguard(s: str) -> str:
    return s[1:] if s.startswith("'") and _needs_guard(s[1:]) else s


def _physical_lines(text: str) -> list[str]:
    """The lines of ``text`` with their ends (``\n`` only: a ``\r`` alone stays inside
    a quoted cell)."""
    out = text.split("\n")
    lines = [l + "\n" for l in out[:-1]]
    if out[-1]:
        lines.append(out[-1])
    return lines


def _rows(lines: list[str], delim: str, start: int, columns: list, fname: str, errors: list):
    """``(line number, cells)`` of each row from physical line index ``start`` on.

    A CSV error (an unterminated quote, a stray quote) is reported on the line where the
    row began, naming the column whose quote is open; reading resumes on the next
    physical line, so one bad quote never swallows the following rows. A quoted cell
    that contains a whole row (a quote closed rows later) is reported the same way.
    """
    i = start
    while i < len(lines):
        reader = csv.reader(iter(lines[i:]), delimiter=delim, strict=True)
        base = i
        try:
            prev = 0
            for row in reader:
                first = base + prev + 1  # 1-based physical line where this row began
                prev = reader.line_num
                if reader.line_num - (first - base - 1) > 1:
                    swallowed = _swallowed(row, delim, len(columns))
                    if swallowed is not None:
                        col = columns[swallowed] if swallowed < len(columns) else None
                        errors.append(problem(fname, first, col or f"#{swallowed + 1}", msg("csv.swallowed")))
                        i = first  # resume on the line after the one that opened the quote
                        break
                yield first, row
            else:
                return
        except csv.Error as e:
            first = base + prev + 1
            try:
                cells = next(csv.reader([lines[first - 1].rstrip("\r\n")], delimiter=delim), [])
            except csv.Error:
                cells = []
            k = max(0, len(cells) - 1)
            col = columns[k] if k < len(columns) and columns[k] else f"#{k + 1}"
            errors.append(problem(fname, first, col, msg("csv.quote")))
            i = first


def _swallowed(row: list, delim: str, n_columns: int) -> Optional[int]:
    """Index of a cell that holds what looks like whole rows (a line with as many
    delimiters as a row has), or None."""
    for k, cell in enumerate(row):
        if "\n" in cell and any(part.count(delim) >= max(1, n_columns - 1) for part in cell.split("\n")[1:]):
            return k
    return None


def _decode(data: bytes, name: str) -> tuple[str, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as e:
        return data.decode("cp1252", errors="replace"), [problem(
            name, None, "", msg("csv.not_utf8", byte=e.start), "warning")]


def read_career_csv(source: Union[str, "os.PathLike[str]", bytes, IO], *, name: Optional[str] = None,
                    default_source: str = SOURCE) -> CsvImport:
    """Read and validate a career CSV (path, bytes, or text/binary file object).

    Raises :class:`InputError` listing every problem (file, line, field) if any row is
    invalid: nothing is imported then. An empty file (header only) gives no lines.
    """
    from ..caseio import show, validate_line

    if isinstance(source, (bytes, bytearray)):
        fname = name or "<csv>"
        text, problems = _decode(bytes(source), fname)
    elif hasattr(source, "read"):
        fname = name or getattr(source, "name", "<csv>")
        raw = source.read()
        text, problems = _decode(raw, fname) if isinstance(raw, bytes) else (raw, [])
    else:
        fname = name or os.fspath(source)
        try:
            with open(source, "rb") as f:
                text, problems = _decode(f.read(), fname)
        except FileNotFoundError:
            raise InputError([problem(fname, None, "", msg("file.missing"))]) from None
        except OSError as e:
            raise InputError([unreadable(fname, e)]) from None
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise InputError([problem(fname, 1, "", msg("csv.empty", columns=",".join(COLUMNS[:3]) + ",..."))])
    delim = max((";", "\t", ","), key=first.count)
    phys = _physical_lines(text)
    errors: list[Problem] = []
    try:
        header = next(csv.reader(iter(phys[:1]), delimiter=delim, strict=True))
    except (csv.Error, StopIteration):
        raise InputError([problem(fname, 1, "", msg("csv.bad_header"))]) from None
    columns: list[Optional[str]] = []
    for i, h in enumerate(header):
        col = _HEADER.get(_norm(h))
        if col is None:
            if h.strip():
                problems.append(problem(fname, 1, f"#{i + 1}", msg("csv.unknown_column", column=repr(h)), "warning"))
        elif col in columns:
            errors.append(problem(fname, 1, f"#{i + 1}", msg("csv.column_twice", column=repr(col))))
        columns.append(col)
    for needed in ("kind", "start", "end"):
        if needed not in columns:
            errors.append(problem(fname, 1, "", msg("csv.missing_column", column=repr(needed),
                                                     header=show(first.strip()))))
    if errors:
        raise InputError(errors)
    lines: list[dict] = []
    for n, row in _rows(phys, delim, 1, columns, fname, errors):
        if not any(c.strip() for c in row):
            continue  # blank lines separate blocks in pasted data
        if len(row) > len(columns) and any(c.strip() for c in row[len(columns):]):
            errors.append(problem(fname, n, "", msg("csv.too_many_cells", cells=len(row), columns=len(columns),
                                                     delimiter=repr(delim))))
            continue
        d: dict = {}
        for col, cell in zip(columns, row):
            cell = cell.strip(" \n")
            if col is None or cell == "":
                continue
            if col in _DATES:
                d[col] = _parse_date(cell.strip())
            elif col in _NUMBERS:
                d[col] = _parse_number(cell.strip())
            elif col == "kind":
                d[col] = _KINDS_NORM.get(_norm(cell), cell.strip())
            else:
                d[col] = _unguard(cell)
        if "source" not in d:
            d["source"] = default_source
            d.setdefault("source_ref", f"{os.path.basename(fname)} line {n}")
        path = f"line {n}"
        for p in validate_line(d, path=path, source=fname):
            field_path = p.path[len(path) + 1:] if p.path.startswith(path + ".") else ""
            fixed = Problem(fname, f"{path}: {field_path}" if field_path else path, p.message, p.severity)
            (errors if p.severity == "error" else problems).append(fixed)
        lines.append(d)
    if errors:
        raise InputError(errors + [problem(fname, None, "", msg("csv.nothing_imported", n=len(errors)))])
    return CsvImport(fname, tuple(lines), tuple(problems))


def _cell(col: str, v, decimal: str) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return v.isoformat()
    if col in _DATES and isinstance(v, str):
        return _guard(v)
    if col in _NUMBERS and isinstance(v, str):
        return _guard(v)  # "unknown"; any other text is neutralised like a text cell
    if col in _NUMBERS and isinstance(v, dict):
        return f"{_cell(col, v.get('min'), decimal)}..{_cell(col, v.get('max'), decimal)}"
    if col in _NUMBERS:
        f = float(v)
        s = str(int(f)) if f.is_integer() else repr(f)
        return s.replace(".", decimal)
    return _guard(str(v))


def _as_dict(line) -> dict:
    if isinstance(line, dict):
        return line
    return {c: getattr(line, c, None) for c in COLUMNS}


def career_csv_text(lines: Iterable, *, delimiter: str = ",", decimal: str = ".") -> str:
    """The CSV text of ``lines`` (mappings or :class:`~art60kit.model.CareerLine`).

    Columns that no line uses are left out, except ``kind``, ``start`` and ``end``.
    ``delimiter=";", decimal=","`` writes what a Belgian Excel expects.
    """
    if delimiter == decimal:
        raise ValueError("the delimiter and the decimal mark must differ")
    rows = [_as_dict(l) for l in lines]
    used = [c for c in COLUMNS if c in ("kind", "start", "end") or any(r.get(c) is not None for r in rows)]
    out = io.StringIO(newline="")
    # QUOTE_MINIMAL quotes every cell holding the delimiter, a quote or a character of
    # the line terminator: with "\r\n" as terminator, a CR alone is quoted too; each
    # row then ends with "\n" only.
    row_buf = io.StringIO(newline="")
    w = csv.writer(row_buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def put(cells) -> None:
        row_buf.seek(0)
        row_buf.truncate()
        w.writerow(cells)
        out.write(row_buf.getvalue()[:-2] + "\n")

    put(used)
    for r in rows:
        put([_cell(c, r.get(c), decimal) for c in used])
    return out.getvalue()


def write_career_csv(lines: Iterable, path: Union[str, "os.PathLike[str]"], *, delimiter: str = ",",
                     decimal: str = ".", excel: bool = False) -> None:
    """Write ``lines`` to ``path``. ``excel=True`` means ``;``, decimal comma and a
    UTF-8 BOM (so that Excel shows accents right)."""
    if excel:
        delimiter, decimal = ";", ","
    text = career_csv_text(lines, delimiter=delimiter, decimal=decimal)
    with open(path, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        f.write(text)
