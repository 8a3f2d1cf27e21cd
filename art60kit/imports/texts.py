"""What the import says to a person, in the person's language.

Every refusal, warning and report line of the import is a :class:`Msg`: a key of the
one text catalog (``import.*`` in ``art60kit/locale/{fr,nl,de,en}.yaml``) with its
values kept as values (numbers, dates, quarters, references), so that the same problem
can be written in French, Dutch, German or English with Belgian formats (DD/MM/YYYY,
decimal comma; :mod:`art60kit.formats`).

An :class:`ImportProblem` is a :class:`~art60kit.errors.Problem` that also keeps its
:class:`Msg`, its source line, its zone and the masked worker reference:
``str(problem)`` is the English line (logs, tests), ``problem.text(lang)`` the line a
person reads: ``FILE: ligne 12: Service/ServiceNbrDays: … (INSS ******00126)``. The
zone is the DmfA's own XML label (the same in every language, as in the official
glossary); the worker reference is masked (birth-date part hidden).

Values are rendered by type: :class:`Msg` in the reader's language, :class:`datetime.date`
DD/MM/YYYY, ``int``/``float`` with the locale's decimal comma and grouping,
:class:`Quarter` as the DmfA writes it (``2024/3``) with the word for quarter,
:class:`Ref` (a career line's reference) with its words translated, a tuple as a list;
``str`` is shown as it is (codes, employer numbers, labels quoted from the annexes,
values as typed in the file).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional, Union

from ..errors import Problem

__all__ = ["Msg", "msg", "Quarter", "Ref", "Num", "ImportProblem", "problem", "render", "ref_text", "unreadable"]


@dataclass(frozen=True)
class Quarter:
    """A DmfA quarter: written ``2024/3`` after the word for quarter."""

    year: int
    q: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"


@dataclass(frozen=True)
class Ref:
    """A career line's reference (``source_ref``), shown with its words translated."""

    ref: str


@dataclass(frozen=True)
class Num:
    """A number written without grouping (a code, a year, a count of minutes in a
    bound) but with the reader's decimal mark."""

    x: Union[int, float]


@dataclass(frozen=True)
class Msg:
    """A text of the catalog (``import.<key>``) with its values."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = "en") -> str:
        from ..i18n import text

        return text(f"import.{self.key}", lang, **{k: render(v, lang) for k, v in self.values})


def msg(key: str, **values) -> Msg:
    """``Msg(key, values)`` with the values given by name."""
    return Msg(key, tuple(values.items()))


def render(v, lang: str) -> str:
    """A value of a message in ``lang`` (see the module's docstring)."""
    from ..formats import format_date, format_number
    from ..i18n import text

    if isinstance(v, Msg):
        return v.text(lang)
    if isinstance(v, Quarter):
        return text("import.quarter", lang, year=v.year, q=v.q)
    if isinstance(v, Ref):
        return ref_text(v.ref, lang)
    if isinstance(v, Num):
        s = f"{v.x:.2f}".rstrip("0").rstrip(".") if isinstance(v.x, float) else str(v.x)
        return s.replace(".", ",") if lang != "en" else s
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return format_number(v, lang, 2)
    if isinstance(v, date):
        return format_date(v, lang)
    if isinstance(v, (tuple, list)):
        return ", ".join(render(x, lang) for x in v)
    return "" if v is None else str(v)


# -- references ------------------------------------------------------------------------

#: Words of a DmfA line reference and their catalog keys, longest first.
_REF_WORDS = (
    ("as stated by", "ref.as_stated_by"), ("original not read", "ref.original_not_read"),
    ("corrected by", "ref.corrected_by"), ("added by", "ref.added_by"),
    ("DmfA modification reference", "ref.modification_reference"), ("DmfA modification", "ref.modification"),
    ("employer", "ref.employer"), ("worker code", "ref.worker_code"), ("worker", "ref.worker"),
    ("occupation", "ref.occupation"), ("service all", "ref.service_all"), ("service", "ref.service"),
    ("record", "ref.record"), ("from", "ref.from"), ("days", "field.days"), ("hours", "field.hours"),
    ("days_per_week", "field.days_per_week"), ("full_time_hours", "field.full_time_hours"),
    ("kind", "field.kind"), ("start", "field.start"), ("end", "field.end"), ("of", "ref.of"),
    ("restated", "ref.restated"), ("unknown", "ref.unknown"), ("worker type", "ref.worker_type"),
    ("does not count", "ref.does_not_count"), ("to be decided", "ref.to_be_decided"), ("student", "ref.student"),
)
_REF_RX = re.compile(r"\b(" + "|".join(re.escape(w) for w, _ in
                                       sorted(_REF_WORDS, key=lambda p: -len(p[0]))) + r")\b")
_QUARTER_RX = re.compile(r"(?<=DmfA )(\d{4})Q([1-4])\b")  # the quarter of a line reference only
_ISO_RX = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def ref_text(ref: str, lang: str) -> str:
    """A line reference as a person reads it: its words in ``lang``, its quarter as
    ``2024/3``, its dates DD/MM/YYYY. The stored reference does not change (it
    identifies the line in files and in the merge); only what is shown does. A
    reference written by anyone else (a CSV's own reference) is shown as it is.

    >>> ref_text("DmfA 2024Q3 employer 0200000142 worker 495 occupation 1 service 001", "nl")
    'DmfA 2024/3 werkgever 0200000142 werknemerskengetal 495 tewerkstelling 1 prestatie 001'
    """
    from ..i18n import text

    if not ref or not ref.startswith(("DmfA ", "Dimona ")):
        return ref  # only the references this package writes have known words
    words = dict(_REF_WORDS)
    out = _REF_RX.sub(lambda m: text(f"import.{words[m.group(1)]}", lang), ref)
    out = _QUARTER_RX.sub(r"\1/\2", out)
    return _ISO_RX.sub(lambda m: f"{m.group(3)}/{m.group(2)}/{m.group(1)}", out)


# -- problems --------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportProblem(Problem):
    """A problem of the import that can be written in any language.

    ``line`` is the source line (None for a problem of the whole file), ``zone`` the
    DmfA zone path (``Service/ServiceNbrDays``), ``worker`` the masked worker reference
    (empty when the problem concerns no one person)."""

    msg: Optional[Msg] = None
    line: Optional[object] = None
    zone: str = ""
    worker: str = ""

    def where(self, lang: str) -> str:
        from ..i18n import text

        if self.line is None:
            head = text("import.where.file", lang)
            return f"{head}: {self.zone}" if self.zone else head
        head = text("import.where.line", lang, line=self.line)
        return f"{head}: {self.zone}" if self.zone else head

    def body(self, lang: str) -> str:
        body = self.msg.text(lang) if self.msg is not None else self.message
        return f"{body} ({self.worker})" if self.worker else body

    def text(self, lang: str = "en") -> str:
        """``FILE: where: [warning: ]message (worker)`` in ``lang``."""
        from ..i18n import text

        prefix = "" if self.severity == "error" else text("val.warning_prefix", lang)
        return f"{self.file}: {self.where(lang)}: {prefix}{self.body(lang)}"


def problem(file: str, line, zone: str, m: Msg, severity: str = "error", worker: str = "") -> ImportProblem:
    """An :class:`ImportProblem`; its plain ``path`` and ``message`` are the English
    text (what ``str()`` and logs show)."""
    p = ImportProblem(file, "", "", severity, m, line, zone, worker)
    object.__setattr__(p, "path", p.where("en"))
    object.__setattr__(p, "message", p.body("en"))
    return p


def unreadable(fname: str, e: OSError) -> ImportProblem:
    """The one line for a file the system cannot read; the reason is the system's
    error code (EACCES, EISDIR, ...), the same in every language."""
    import errno

    return problem(fname, None, "", msg("file.unreadable", reason=errno.errorcode.get(e.errno or 0, type(e).__name__)))
