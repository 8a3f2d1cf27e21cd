"""Reading, validating and writing case files (YAML or JSON, case-format.md).

Validation reports every problem at once, one line each, ``FILE: field.path: what is
wrong``, and raises :class:`~art60kit.errors.InputError`; warnings (suspicious but
usable input) are kept on the case and reported with the result. Dates are read as ISO
``YYYY-MM-DD`` strings and checked here: YAML's own date parsing is switched off so
that an impossible date such as 2023-02-30 becomes a clear message instead of a
traceback.

>>> case = case_from_dict({"case_id": "x", "person": {"birth_date": "1990-01-01"},
...                        "contract": {"start": "2025-09-01"}})
>>> case.contract.days_per_week, case.contract.full_time
(5.0, True)
>>> try:
...     case_from_dict({"person": {}, "contract": {"start": "2025-02-30"}}, source="c.yaml")
... except InputError as e:
...     print(e)
c.yaml: person.birth_date: required (the person's date of birth, YYYY-MM-DD)
c.yaml: contract.start: not a valid date: '2025-02-30' (day is out of range for month)
"""
from __future__ import annotations

import json
import math
import os
import reprlib
import stat
from dataclasses import fields
from fractions import Fraction
from datetime import date, datetime
from pathlib import Path
from typing import Any, Optional

import yaml

from .dates import add_years
from .errors import InputError, Problem
from .model import (DEFAULT_DAYS_PER_WEEK, DEFAULT_FULL_TIME_HOURS, END_REASONS, KINDS, SITUATIONS, Case, CareerLine,
                    Contract, Event, Interval, Options, Person, UNCERTAIN_EVENT_FIELDS,
                    UNCERTAIN_LINE_FIELDS, lower, upper)

MIN_YEAR, MAX_YEAR = 1900, 2100
MIN_WORKING_AGE = 15  # contracts before 15 are not possible (compulsory schooling)

# derived_from marks a line the toolkit added (art60kit.derived_lines), never one read
_LINE_FIELDS = {f.name for f in fields(CareerLine)} - {"derived_from"}
_CASE_FIELDS = {"case_id", "person", "contract", "career", "comment", "options"}
_PERSON_FIELDS = {"birth_date", "prior_admission", "previous_right_end", "right_exemption", "career_years",
                  "days_used_for_extension"}
_CONTRACT_FIELDS = {"start", "days_per_week", "weekly_hours", "full_time_hours", "events", "planned_end", "region",
                    "work_experience_start"}
_EVENT_FIELDS = {"kind", "start", "end", "note", "doubt"}
UNKNOWN = "unknown"


#: Largest case or reform file read (bytes): 100,000 career lines take about 10 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Problems of one severity listed for one input; the rest are counted in one last line.
MAX_PROBLEMS = 100
#: Largest whole number accepted anywhere a number is expected (larger is a typo or an attack).
MAX_INT = 10 ** 15

_repr = reprlib.Repr()
_repr.maxstring, _repr.maxother, _repr.maxlevel = 60, 60, 2
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 4


def show(value: Any) -> str:
    """A short, bounded rendering of an input value for a message: long text and deep
    or long structures are cut (``...``), very large whole numbers are described, so a
    message never grows with the input.

    >>> show("x" * 200)[:12], len(show("x" * 200)) <= 64, show(10 ** 5000)
    ("'xxxxxxxxxxx", True, 'a whole number of about 5001 digits')
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a whole number of about {int(value.bit_length() * 0.30103) + 1} digits"
    try:
        return _repr.repr(value)
    except (ValueError, RecursionError):  # e.g. a huge int nested in a list
        return f"a {type(value).__name__}"


def _key(k: Any) -> str:
    """A mapping key as it appears in a field path (bounded like :func:`show`)."""
    return k if isinstance(k, str) and len(k) <= 60 else show(k)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so we can check them ourselves, and that
    refuses aliases (``*name``): a case needs none, and nested aliases ("billion laughs")
    make a few hundred bytes expand to gigabytes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"aliases ({show('*' + str(event.anchor))[1:-1]}) are not allowed here",
                event.start_mark)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Checker:
    """Collects problems; keeps the first :data:`MAX_PROBLEMS` of each severity and
    counts the others (:meth:`result` adds one line saying how many were left out), so
    the work and the report stay bounded whatever the input."""

    def __init__(self, source: str, kinds: tuple = KINDS):
        self.source = source
        self.kinds = kinds
        self.problems: list[Problem] = []
        self.counts = {"error": 0, "warning": 0}

    def _add(self, p: Problem) -> None:
        self.counts[p.severity] += 1
        if self.counts[p.severity] <= MAX_PROBLEMS:
            self.problems.append(p)

    def err(self, path: str, msg: str) -> None:
        self._add(Problem(self.source, path, msg))

    def warn(self, path: str, msg: str) -> None:
        self._add(Problem(self.source, path, msg, "warning"))

    def drop_last(self) -> None:
        """Forget the problem just added (replaced by a more precise one)."""
        p = self.problems.pop()
        self.counts[p.severity] -= 1

    @property
    def n_errors(self) -> int:
        return self.counts["error"]

    def result(self, severity: str) -> list[Problem]:
        """The kept problems of ``severity``, plus one line for those left out."""
        out = [p for p in self.problems if p.severity == severity]
        more = self.counts[severity] - len(out)
        if more > 0:
            out.append(Problem(self.source, "(file)", f"{more} more {severity}s like those above "
                               f"(the first {MAX_PROBLEMS} are listed)", severity))
        return out

    def date(self, d: dict, key: str, path: str, required: bool = False, what: str = "") -> Optional[date]:
        v = d.get(key)
        full = f"{path}.{key}" if path else key
        if v is None:
            if required:
                self.err(full, f"required{' (' + what + ')' if what else ''}")
            return None
        if isinstance(v, datetime):
            v = v.date()
        if isinstance(v, date):
            out = v
        elif isinstance(v, str):
            try:
                if len(v.strip()) != 10:  # checked first: the parser's message quotes the value
                    raise ValueError("expected YYYY-MM-DD")
                out = date.fromisoformat(v.strip())
            except ValueError as e:
                self.err(full, f"not a valid date: {show(v)} ({e})")
                return None
        else:
            self.err(full, f"not a date: {show(v)} (expected YYYY-MM-DD)")
            return None
        if not MIN_YEAR <= out.year <= MAX_YEAR:
            self.err(full, f"{out.isoformat()} is outside {MIN_YEAR}-{MAX_YEAR}")
            return None
        return out

    def number(self, d: dict, key: str, path: str, lo: Optional[float] = None, hi: Optional[float] = None,
               lo_open: bool = False) -> Optional[float]:
        v = d.get(key)
        full = f"{path}.{key}"
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            if isinstance(v, str) and len(v) <= 40:
                try:
                    v = float(v.replace(",", "."))
                except ValueError:
                    self.err(full, f"not a number: {show(v)}")
                    return None
            else:
                self.err(full, f"not a number: {show(v)}")
                return None
        if isinstance(v, int) and abs(v) > MAX_INT:
            self.err(full, f"not a plausible number: {show(v)}")
            return None
        v = float(v)
        if math.isnan(v) or math.isinf(v):
            self.err(full, f"not a finite number: {show(v)}")
            return None
        r = round(v, MAX_DECIMALS)
        if r != v and abs(r - v) <= 1e-12 * max(1.0, abs(v)):
            # binary noise of a figure a program computed (38 x 0.8 = 30.400000000000002):
            # the decimal it stands for, which is what a person would have typed
            v = r
        if _decimals(v) > MAX_DECIMALS:
            # the calculation is exact to the millionth (integers over common
            # denominators); a figure finer than that is a computed one, not a typed one
            self.err(full, f"{v!r} has more than {MAX_DECIMALS} decimals: give it with at most {MAX_DECIMALS}")
            return None
        if lo is not None and (v < lo or (lo_open and v == lo)):
            if lo == 0:
                self.err(full, f"must be {'positive' if lo_open else 'zero or more'}, not {v:g}")
            else:
                self.err(full, f"must be between {lo:g} and {hi:g}, not {v:g}")
            return None
        if hi is not None and v > hi:
            self.err(full, f"must be between {lo:g} and {hi:g}, not {v:g}")
            return None
        return v

    def maybe_interval(self, d: dict, key: str, path: str, read, natural=None, why: str = ""):
        """Read ``d[key]`` with ``read(mapping, key, path)``, or as an uncertain value:
        ``{min: X, max: Y}`` (each bound read like the plain value) or ``unknown``
        (``natural``: the field's natural bounds as ``(lo, hi)``, or None when the field
        has none, then ``why`` says what to give instead). Equal bounds give the plain
        value."""
        v = d.get(key)
        full = f"{path}.{key}"
        if isinstance(v, str) and v.strip().lower() == UNKNOWN:
            if natural is None:
                self.err(full, f"'unknown' needs bounds here: give {{min: ..., max: ...}} ({why})")
                return None
            return Interval(natural[0], natural[1], unknown=True)
        if not isinstance(v, dict):
            return read(d, key, path)
        extra = sorted(str(k) for k in v if k not in ("min", "max"))
        if extra:
            self.err(full, "an uncertain value has only min and max, not " + ", ".join(extra))
        if "min" not in v or "max" not in v:
            self.err(full, "an uncertain value needs both min and max (or the word unknown)")
            return None
        lo, hi = read(v, "min", full), read(v, "max", full)
        if lo is None or hi is None:
            return None
        if lo > hi:
            if isinstance(lo, date):
                self.err(full, f"min ({lo.isoformat()}) is after max ({hi.isoformat()})")
            else:
                self.err(full, f"min ({lo:g}) is more than max ({hi:g})")
            return None
        return lo if lo == hi else Interval(lo, hi)

    def text(self, d: dict, key: str, path: str) -> Optional[str]:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, (dict, list)) or (isinstance(v, int) and abs(v) > MAX_INT):
            self.err(f"{path}.{key}", "must be text")
            return None
        return str(v)

    def unknown(self, d: dict, allowed: set, path: str) -> None:
        for k in d:
            if k not in allowed:
                self.warn(f"{path}.{_key(k)}" if path else _key(k), "unknown field, ignored")

    def mapping(self, v: Any, path: str, required: bool = True) -> Optional[dict]:
        if v is None:
            if required:
                self.err(path, "required")
            return None
        if not isinstance(v, dict):
            self.err(path, f"must be a mapping of fields, not {type(v).__name__}")
            return None
        return v


_DATE_BOUNDS = "ONEM asks that an uncertain period be bounded: the earliest and latest possible dates"


def _period(ck: _Checker, d: dict, path: str):
    """Start and end; either may be an :class:`Interval` of dates (never ``unknown``)."""
    def read(what):
        return lambda m, k, p: ck.date(m, k, p, required=True, what=what)
    start = ck.maybe_interval(d, "start", path, read("first day, YYYY-MM-DD"), why=_DATE_BOUNDS)
    end = ck.maybe_interval(d, "end", path, read("last day, YYYY-MM-DD"), why=_DATE_BOUNDS)
    if start and end and upper(end) < lower(start):
        ck.err(f"{path}.end", f"ends before it starts ({upper(end).isoformat()} < {lower(start).isoformat()})")
        return start, None
    if start and end and lower(end) < upper(start):
        ck.err(f"{path}.end", f"the period could be empty: the latest start ({upper(start).isoformat()}) "
               f"is after the earliest end ({lower(end).isoformat()})")
        return start, None
    return start, end


def _kind(ck: _Checker, d: dict, path: str) -> Optional[str]:
    k = d.get("kind")
    if k is None:
        ck.err(f"{path}.kind", "required (one of: " + ", ".join(ck.kinds) + ")")
        return None
    if not isinstance(k, str) or k not in ck.kinds:
        ck.err(f"{path}.kind", f"unknown kind {show(k)} (one of: " + ", ".join(ck.kinds) + ")")
        return None
    return k


def _line(ck: _Checker, d: Any, path: str) -> Optional[CareerLine]:
    d = ck.mapping(d, path)
    if d is None:
        return None
    ck.unknown(d, _LINE_FIELDS, path)
    n0 = ck.n_errors
    kind = _kind(ck, d, path)
    start, end = _period(ck, d, path)
    dpw = ck.maybe_interval(d, "days_per_week", path, lambda m, k, p: ck.number(m, k, p, 1, 6), (1.0, 6.0))
    s = ck.number(d, "full_time_hours", path, 0, None, lo_open=True)
    if s is not None and s > 60:
        ck.err(f"{path}.full_time_hours", f"must be at most 60 hours a week, not {s:g}")
    s_eff = s if s is not None else DEFAULT_FULL_TIME_HOURS
    # an interval's lower bound may be 0 (no hours at all); a plain Q must be positive
    q = ck.maybe_interval(d, "weekly_hours", path, lambda m, k, p: ck.number(m, k, p, 0, None, lo_open=m is d),
                          (0.0, s_eff))
    hours = ck.maybe_interval(d, "hours", path, lambda m, k, p: ck.number(m, k, p, 0), None,
                              "total hours have no natural upper bound")
    span_max = (upper(end) - lower(start)).days + 1 if start and end else None
    days = ck.maybe_interval(d, "days", path, lambda m, k, p: ck.number(m, k, p, 0),
                             (0.0, float(span_max)) if span_max else None, "the period's dates are needed")
    if q is not None and upper(q) > s_eff:
        ck.err(f"{path}.weekly_hours", f"Q ({upper(q):g} h) is more than S, the full-time hours "
               f"({s_eff:g} h)")
    if hours is not None and days is not None:
        ck.err(path, "give one measure: hours or days, not both")
    if hours is not None and q is not None:
        ck.err(f"{path}.weekly_hours", "give one measure: total hours, or a Q/S regime, not both")
    if start and end:
        span = span_max  # the longest the period can be
        if days is not None and lower(days) > span:
            ck.err(f"{path}.days", f"{lower(days):g} days worked in a period of {span} calendar days")
        if hours is not None and lower(hours) > span * 24:
            ck.err(f"{path}.hours", f"{lower(hours):g} hours in a period of {span} calendar days")
        if kind != "student_contract":
            # student work: declared per quarter within the DmfA's own bounds (up to 999
            # hours), and it credits no day under either rule set
            _at_most_full_time(ck, path, lower(start), upper(end), dpw, s_eff, days, hours)
    cbd = ck.date(d, "child_birth_date", path)
    if cbd is not None and kind not in (None, "child_care"):
        ck.warn(f"{path}.child_birth_date", "only used for child_care lines")
    situation = d.get("situation")
    if situation is not None and (not isinstance(situation, str) or situation not in SITUATIONS):
        ck.err(f"{path}.situation", f"must be one of {', '.join(SITUATIONS)}, not {show(situation)}")
    end_reason = d.get("end_reason")
    if end_reason is not None:
        if not isinstance(end_reason, str) or end_reason not in END_REASONS:
            ck.err(f"{path}.end_reason", f"{show(end_reason)} is not one of: {', '.join(END_REASONS)}")
        elif kind not in (None, "work"):
            ck.warn(f"{path}.end_reason", "only used for work lines")
    if ck.n_errors > n0 or kind is None or not start or not end:
        return None
    return CareerLine(kind=kind, start=start, end=end, employer=ck.text(d, "employer", path),
                      days_per_week=dpw, weekly_hours=q, full_time_hours=s, hours=hours, days=days,
                      child_birth_date=cbd, situation=situation, end_reason=end_reason,
                      source=ck.text(d, "source", path),
                      source_ref=ck.text(d, "source_ref", path), note=ck.text(d, "note", path),
                      doubt=ck.text(d, "doubt", path))


#: the most hours a line may hold in a calendar week, in full-time weeks: overtime
#: counts like any hour (hours x 6/S), and a week of twice the full time (76 hours at
#: 38) is beyond what labour law allows, so more is a figure typed wrong
OVERTIME_FACTOR = 2


def _weeks_touched(a: date, b: date) -> int:
    """Calendar weeks (Monday to Sunday) that ``[a, b]`` meets.

    >>> _weeks_touched(date(2025, 3, 4), date(2025, 3, 4)), _weeks_touched(date(2025, 3, 9), date(2025, 3, 10))
    (1, 2)
    """
    return (b.toordinal() - b.weekday() - (a.toordinal() - a.weekday())) // 7 + 1


def _at_most_full_time(ck: "_Checker", path: str, a: date, b: date, dpw, s_eff: float, days, hours) -> None:
    """A line credits at most six days a week: ``days x 6/R`` and ``hours x 6/S`` (AM
    26/11/1991 art. 7) beyond full time in every week of the period would count more
    days than the period holds (an hours line with S of a few minutes once counted
    millions). Refused: more days than R a week (rounded up: a regime of 4.5 days has
    weeks of 5), and more hours than :data:`OVERTIME_FACTOR` times S a week (overtime
    counts: hours x 6/S, the quarter's total then capped), over the calendar weeks the
    period meets."""
    span = (b - a).days + 1
    weeks = _weeks_touched(a, b)
    if days is not None and lower(days) <= span:  # more than the calendar days: said already
        r = upper(dpw) if dpw is not None else DEFAULT_DAYS_PER_WEEK
        most = math.ceil(r - 1e-9) * weeks  # a regime of 4.5 days works 5 days some weeks
        if lower(days) > most * (1 + 1e-3):
            ck.err(f"{path}.days", f"{lower(days):g} days worked in a regime of {r:g} days a week: at most "
                   f"{most:g} in the {weeks} calendar weeks of the period")
    # (a thousandth of tolerance: hours rounded to a tenth at full time)
    most = OVERTIME_FACTOR * s_eff * weeks
    if hours is not None and lower(hours) <= span * 24 and lower(hours) > most * (1 + 1e-3):
        ck.err(f"{path}.hours", f"{lower(hours):g} hours with a full time of {s_eff:g} hours a week: at most "
               f"{most:g} (twice full time, overtime included) in the {weeks} calendar weeks of the period")


def validate_line(d: Any, path: str = "career[0]", source: str = "<line>") -> list[Problem]:
    """Problems (errors and warnings) of one career-line mapping, as in a case file."""
    ck = _Checker(source)
    _line(ck, d, path)
    return ck.result("error") + ck.result("warning")


def line_from_dict(d: Any, path: str = "career[0]", source: str = "<line>") -> CareerLine:
    """One career line from a mapping; raises :class:`InputError` on any error."""
    ck = _Checker(source)
    line = _line(ck, d, path)
    errors = ck.result("error")
    if errors:
        raise InputError(errors)
    return line


def _overlaps(lines: list[tuple[int, CareerLine]], ck: _Checker) -> None:
    """Warn about full-time work lines that overlap: a day could count twice (the
    quarter cap still applies; the merge of art60kit.imports resolves them).

    One sweep over the lines sorted by start (O(n log n)): each line that starts before
    the latest end seen so far is reported once, against the line reaching furthest —
    so n lines give at most n warnings, not one per pair."""
    ft = [(i, l) for i, l in lines
          if l.kind in ("work", "work_abroad") and l.hours is None and l.days is None and not l.uncertain_fields
          and (l.weekly_hours is None or l.weekly_hours >= (l.full_time_hours or DEFAULT_FULL_TIME_HOURS))]
    ft.sort(key=lambda x: (x[1].start, x[0]))
    reach: Optional[tuple[int, CareerLine]] = None  # the line ending last so far
    for ib, lb in ft:
        if reach is not None and lb.start <= reach[1].end:
            ia, la = reach
            if ck.counts["warning"] >= MAX_PROBLEMS:  # only counted: skip building the text
                ck.counts["warning"] += 1
            else:
                ck.warn(f"career[{ib}]", f"full-time work overlaps career[{ia}] from "
                        f"{lb.start.isoformat()} to {min(la.end, lb.end).isoformat()}: "
                        "the same days would count twice (a quarter never counts more than its cap)")
        if reach is None or lb.end > reach[1].end:
            reach = (ib, lb)


def _choice(ck: _Checker, d: dict, key: str, path: str, choices: tuple) -> Optional[str]:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, str) or v not in choices:
        ck.err(f"{path}.{key}", f"{show(v)} is not one of: " + ", ".join(choices))
        return None
    return v


def _right_fields(ck: _Checker, d: dict, birth: Optional[date], prior: Optional[date]) -> dict:
    """The person's fields about earlier and future rights (art. 42, art. 114)."""
    from .right import EXEMPTIONS

    out = {"previous_right_end": ck.date(d, "previous_right_end", "person"),
           "right_exemption": _choice(ck, d, "right_exemption", "person", EXEMPTIONS),
           "career_years": ck.number(d, "career_years", "person", 0, 60),
           "days_used_for_extension": ck.number(d, "days_used_for_extension", "person", 0, 20_000)}
    end = out["previous_right_end"]
    if end and birth and end < birth:
        ck.err("person.previous_right_end", f"{end.isoformat()} is before the birth date")
    elif end and prior and end < prior:
        ck.err("person.previous_right_end", f"{end.isoformat()} is before the admission that opened it "
               f"(prior_admission {prior.isoformat()})")
    return out


def _subsidy_fields(ck: _Checker, d: dict, start: Optional[date]) -> dict:
    """The contract's planned end and region (subsidy limits)."""
    from .right import REGIONS

    out = {"planned_end": ck.date(d, "planned_end", "contract"),
           "region": _choice(ck, d, "region", "contract", REGIONS),
           "work_experience_start": ck.date(d, "work_experience_start", "contract")}
    if start and out["planned_end"] and out["planned_end"] < start:
        ck.err("contract.planned_end", f"{out['planned_end'].isoformat()} is before the contract start "
               f"({start.isoformat()})")
    wes = out["work_experience_start"]
    if start and wes and wes > start:
        ck.err("contract.work_experience_start", f"{wes.isoformat()} is after the contract start "
               f"({start.isoformat()}): the work experience includes the contract")
    elif wes and out["region"] != "flanders":
        ck.warn("contract.work_experience_start", "only used when region is flanders")
    return out


def case_from_dict(data: Any, source: str = "<case>", kinds: Optional[tuple] = None) -> Case:
    """Validate a case mapping and build a :class:`~art60kit.model.Case`.

    Raises :class:`InputError` listing every error; warnings are kept in
    ``case.warnings``. ``kinds``: the kinds of line the rule book in use knows
    (``RuleBook.kinds``: the case format's list and those its rule sets add); by
    default the case format's list and those of the shipped rule sets.
    """
    if kinds is None:
        from .rules import default_rulebook

        kinds = default_rulebook().kinds
    ck = _Checker(source, kinds)
    if not isinstance(data, dict):
        raise InputError([Problem(source, "(top)", f"a case must be a mapping of fields, not {type(data).__name__}")])
    ck.unknown(data, _CASE_FIELDS, "")
    case_id = data.get("case_id")
    if case_id is None:
        case_id = Path(source).stem if source not in ("<case>", "") else "case"
    elif isinstance(case_id, (dict, list)) or (isinstance(case_id, int) and abs(case_id) > MAX_INT):
        ck.err("case_id", "must be text")
        case_id = "case"
    person_d = ck.mapping(data.get("person"), "person")
    birth = prior = None
    rights: dict = {}
    if person_d is not None:
        ck.unknown(person_d, _PERSON_FIELDS, "person")
        birth = ck.date(person_d, "birth_date", "person", required=True, what="the person's date of birth, YYYY-MM-DD")
        prior = ck.date(person_d, "prior_admission", "person")
        if birth and prior and prior < birth:
            ck.err("person.prior_admission", "before the birth date")
        rights = _right_fields(ck, person_d, birth, prior)
    elif "person" not in data:
        ck.drop_last()
        ck.err("person.birth_date", "required (the person's date of birth, YYYY-MM-DD)")

    contract_d = ck.mapping(data.get("contract"), "contract")
    contract = None
    if contract_d is not None:
        ck.unknown(contract_d, _CONTRACT_FIELDS, "contract")
        cstart = ck.date(contract_d, "start", "contract", required=True, what="first day of the contract, YYYY-MM-DD")
        dpw = ck.number(contract_d, "days_per_week", "contract", 1, 6)
        q = ck.number(contract_d, "weekly_hours", "contract", 0, None, lo_open=True)
        s = ck.number(contract_d, "full_time_hours", "contract", 0, None, lo_open=True)
        s_eff = s if s is not None else DEFAULT_FULL_TIME_HOURS
        if s is not None and s > 60:
            ck.err("contract.full_time_hours", f"must be at most 60 hours a week, not {s:g}")
        if q is not None and q > s_eff:
            ck.err("contract.weekly_hours", f"Q ({q:g} h) is more than S, the full-time hours ({s_eff:g} h)")
        subsidy = _subsidy_fields(ck, contract_d, cstart)
        if birth and cstart and cstart < add_years(birth, MIN_WORKING_AGE):
            ck.err("contract.start", f"{cstart.isoformat()} is before the person's 15th birthday "
                   f"({add_years(birth, MIN_WORKING_AGE).isoformat()})")
        events = []
        evs = contract_d.get("events") or []
        if not isinstance(evs, list):
            ck.err("contract.events", "must be a list")
            evs = []
        for i, e in enumerate(evs):
            p = f"contract.events[{i}]"
            e = ck.mapping(e, p)
            if e is None:
                continue
            ck.unknown(e, _EVENT_FIELDS, p)
            k = _kind(ck, e, p)
            es, ee = _period(ck, e, p)
            if cstart and es and lower(es) < cstart:
                ck.err(f"{p}.start", f"{lower(es).isoformat()} is before the contract start ({cstart.isoformat()})")
            elif k and es and ee:
                events.append(Event(kind=k, start=es, end=ee, note=ck.text(e, "note", p),
                                    doubt=ck.text(e, "doubt", p)))
        events.sort(key=lambda e: (lower(e.start), lower(e.end)))
        for a, b in zip(events, events[1:]):
            # uncertain dates: the events must not overlap whatever the values
            if lower(b.start) <= upper(a.end):
                ck.err("contract.events", f"events overlap: {a.kind} {lower(a.start).isoformat()}–"
                       f"{upper(a.end).isoformat()} and {b.kind} {lower(b.start).isoformat()}–"
                       f"{upper(b.end).isoformat()}")
        if cstart:
            contract = Contract(start=cstart, days_per_week=dpw if dpw is not None else DEFAULT_DAYS_PER_WEEK,
                                weekly_hours=q, full_time_hours=s_eff, events=tuple(events), **subsidy)
    elif "contract" not in data:
        ck.drop_last()
        ck.err("contract.start", "required (first day of the contract, YYYY-MM-DD)")

    career = []
    raw_career = data.get("career") or []
    if not isinstance(raw_career, list):
        ck.err("career", "must be a list of lines")
        raw_career = []
    for i, d in enumerate(raw_career):
        line = _line(ck, d, f"career[{i}]")
        if line is None:
            continue
        if birth and lower(line.start) < birth:
            ck.err(f"career[{i}].start", f"{lower(line.start).isoformat()} is before the birth date")
            continue
        if contract and upper(line.end) >= contract.start and line.kind != "unmapped":
            ck.warn(f"career[{i}].end", f"{upper(line.end).isoformat()} is on or after the contract start "
                    f"({contract.start.isoformat()}): past career lines normally end before the contract")
        career.append((i, line))
    _overlaps(career, ck)

    opts = Options()
    od = data.get("options")
    if od is not None:
        od = ck.mapping(od, "options")
        if od is not None:
            vals = {}
            for k, v in od.items():
                if k not in Options.CHOICES:
                    ck.err(f"options.{_key(k)}", "unknown option (one of: " + ", ".join(Options.CHOICES) + ")")
                elif not isinstance(v, str) or v not in Options.CHOICES[k]:
                    ck.err(f"options.{k}", f"{show(v)} is not one of: " + ", ".join(Options.CHOICES[k]))
                else:
                    vals[k] = v
            opts = Options(**vals)
    comment = data.get("comment")
    if comment is not None and not isinstance(comment, str):
        ck.err("comment", "must be text")
    errors = ck.result("error")
    if errors:
        raise InputError(errors)
    return Case(case_id=str(case_id), person=Person(birth, prior, **rights), contract=contract,
                career=tuple(l for _, l in career), comment=comment, options=opts, source=source,
                warnings=tuple(ck.result("warning")))


def parse_text(text: str, source: str, fmt: Optional[str] = None) -> Any:
    """Parse YAML or JSON text into plain data; a syntax error becomes an InputError
    naming the line."""
    fmt = fmt or ("json" if source.lower().endswith(".json") else "yaml")
    try:
        if fmt == "json":
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)
    except json.JSONDecodeError as e:
        raise InputError([Problem(source, f"line {e.lineno}", f"not valid JSON: {e.msg}")]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        what = (str(getattr(e, "problem", None) or e).splitlines() or [""])[0][:200]
        raise InputError([Problem(source, where, f"not valid YAML: {what}")]) from None
    except RecursionError:
        raise InputError([Problem(source, "(file)", "nested too deeply")]) from None
    except ValueError as e:  # Python refuses to read a whole number of over 4,300 digits
        what = ("a whole number with too many digits" if "digits" in str(e)
                else f"not a valid value: {show(str(e))[1:-1]}")
        raise InputError([Problem(source, "(file)", what)]) from None


def read_text_file(path) -> str:
    """The UTF-8 text of a case or reform file, read with a size bound: a device
    (``/dev/zero``), a folder or a file over :data:`MAX_FILE_BYTES` is refused with an
    :class:`InputError` instead of being read without end."""
    p = Path(path)
    try:
        with open(p, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise InputError([Problem(str(path), "(file)", "not a regular file")])
            raw = f.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise InputError([Problem(str(path), "(file)",
                                      f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")])
        return raw.decode("utf-8")
    except FileNotFoundError:
        raise InputError([Problem(str(path), "(file)", "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(str(path), "(file)", "is a folder, not a case file")]) from None
    except UnicodeDecodeError as e:
        raise InputError([Problem(str(path), "(file)", f"not UTF-8 text ({e.reason} at byte {e.start})")]) from None
    except OSError as e:
        raise InputError([Problem(str(path), "(file)", f"cannot be read: {e.strerror}")]) from None


def load_case(path) -> Case:
    """Read and validate a case file (``.yaml``, ``.yml`` or ``.json``)."""
    text = read_text_file(path)
    return case_from_dict(parse_text(text, str(path)), source=str(path))


#: decimals a number of a case may have (hours, days, regimes)
MAX_DECIMALS = 6


def _decimals(v: float) -> int:
    """Decimals of the shortest decimal that reads back as ``v`` (30.24 -> 2, 1e-06 -> 6).

    >>> _decimals(30.24), _decimals(1e-06), _decimals(1 / 3), _decimals(38.0)
    (2, 6, 16, 0)
    """
    import decimal

    e = decimal.Decimal(repr(v)).normalize().as_tuple().exponent
    return max(0, -e) if isinstance(e, int) else 0


def _num(v: Optional[float]):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def value_to_data(v):
    """A possibly uncertain value as case-file data: ``unknown``, ``{min, max}`` or plain."""
    if isinstance(v, Interval):
        if v.unknown:
            return UNKNOWN
        return {"min": value_to_data(v.lo), "max": value_to_data(v.hi)}
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Fraction):  # hours of a derived line (art60kit.derived_lines)
        v = float(v)
    return _num(v) if isinstance(v, float) else v


def data_is_uncertain(data: Any) -> bool:
    """Whether case-format data (a mapping, not yet validated) gives any value as
    ``unknown`` or ``{min, max}``: what a register or dashboard counts as a request with
    incomplete data, without reading the case.

    >>> data_is_uncertain({"career": [{"kind": "work", "weekly_hours": "unknown"}]})
    True
    >>> data_is_uncertain({"career": [{"kind": "work", "weekly_hours": 38}], "contract": {"events": []}})
    False
    """
    if not isinstance(data, dict):
        return False
    contract = data.get("contract") if isinstance(data.get("contract"), dict) else {}
    items = [(x, UNCERTAIN_LINE_FIELDS) for x in (data.get("career") or []) if isinstance(x, dict)]
    items += [(x, UNCERTAIN_EVENT_FIELDS) for x in (contract.get("events") or []) if isinstance(x, dict)]
    return any(isinstance(v, dict) or (isinstance(v, str) and v.strip().lower() == UNKNOWN)
               for x, names in items for k in names for v in [x.get(k)])


def line_to_dict(l: CareerLine) -> dict:
    d = {"kind": l.kind, "start": value_to_data(l.start), "end": value_to_data(l.end)}
    for k in ("employer", "days_per_week", "weekly_hours", "full_time_hours", "hours", "days"):
        v = getattr(l, k)
        if v is not None:
            d[k] = value_to_data(v)
    if l.child_birth_date:
        d["child_birth_date"] = l.child_birth_date.isoformat()
    if l.situation:
        d["situation"] = l.situation
    if l.end_reason:
        d["end_reason"] = l.end_reason
    for k in ("source", "source_ref", "note", "doubt"):
        if getattr(l, k) is not None:
            d[k] = getattr(l, k)
    return d


def case_to_dict(case: Case) -> dict:
    """The case as JSON-safe plain data in the case format (round-trips through
    :func:`case_from_dict`)."""
    c = case.contract
    contract = {"start": c.start.isoformat(), "days_per_week": _num(c.days_per_week),
                "full_time_hours": _num(c.full_time_hours)}
    if c.weekly_hours is not None:
        contract["weekly_hours"] = _num(c.weekly_hours)
    for k in ("planned_end", "region", "work_experience_start"):
        v = getattr(c, k)
        if v is not None:
            contract[k] = v.isoformat() if isinstance(v, date) else v
    if c.events:
        contract["events"] = [{"kind": e.kind, "start": value_to_data(e.start), "end": value_to_data(e.end),
                               **({"note": e.note} if e.note else {}),
                               **({"doubt": e.doubt} if e.doubt else {})} for e in c.events]
    d = {"case_id": case.case_id,
         "person": {"birth_date": case.person.birth_date.isoformat()},
         "contract": contract,
         "career": [line_to_dict(l) for l in case.career]}
    if case.person.prior_admission:
        d["person"]["prior_admission"] = case.person.prior_admission.isoformat()
    for k in ("previous_right_end", "right_exemption", "career_years", "days_used_for_extension"):
        v = getattr(case.person, k)
        if v is not None:
            d["person"][k] = v.isoformat() if isinstance(v, date) else (_num(v) if isinstance(v, float) else v)
    if case.comment:
        d["comment"] = case.comment
    if case.options != Options():
        d["options"] = case.options.as_dict()
    return d


def dump_case(case: Case, path) -> None:
    """Write a case file; the format follows the extension (.json, else YAML)."""
    p = Path(path)
    d = case_to_dict(case)
    if p.suffix.lower() == ".json":
        p.write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        p.write_text(yaml.safe_dump(d, sort_keys=False, allow_unicode=True), encoding="utf-8")
