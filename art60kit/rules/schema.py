"""The shape of a rule set file, checked strictly.

Every key of a rule set is declared here with its type; the loader refuses an unknown
key, a missing required key and a value of the wrong type, each as one line
``FILE: key.path: what is wrong`` (like openfisca-core's parameter loader), all at once.
A misspelt key is therefore an error, never a value silently ignored.

The fields that say where a value comes from (:data:`REF_FIELDS`) are declared once and
read by one function (``rules._ref``), so that their shape can change in one place.

>>> probs = check(RULE_SET, {"id": 3}, "x.yaml")
>>> str(probs[0])
'x.yaml: id: must be text, not 3'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, Optional

from ..errors import Problem

#: how a rule set may treat a kind of career line
TREATMENTS = ("counted", "assimilated", "assimilated_capped", "extends", "excluded", "neutral")

#: keys that carry a value's legal reference (read by ``rules._ref``)
REF_FIELDS = ("reference", "source", "confidence", "cite")


class Spec:
    what = "a value"

    def check(self, v: Any, path: str, where: str, out: list) -> None:  # pragma: no cover
        raise NotImplementedError


def _bad(where: str, path: str, what: str, v: Any, out: list) -> None:
    out.append(Problem(where, path or "(top)", f"must be {what}, not {v!r}"))


class Text(Spec):
    what = "text"

    def check(self, v, path, where, out):
        if not isinstance(v, str):
            _bad(where, path, self.what, v, out)


class Int(Spec):
    def __init__(self, lo: Optional[int] = None):
        self.lo = lo
        self.what = "a whole number" + ("" if lo is None else f" >= {lo}")

    def check(self, v, path, where, out):
        # YAML reads yes/no as booleans, which Python counts as integers
        if isinstance(v, bool) or not isinstance(v, int) or (self.lo is not None and v < self.lo):
            _bad(where, path, self.what, v, out)


class Num(Spec):
    def __init__(self, lo: float = 0.0, strict: bool = True):
        self.lo, self.strict = lo, strict
        self.what = f"a number {'>' if strict else '>='} {lo:g}"

    def check(self, v, path, where, out):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or \
                (v <= self.lo if self.strict else v < self.lo):
            _bad(where, path, self.what, v, out)


class Bool(Spec):
    what = "true or false"

    def check(self, v, path, where, out):
        if not isinstance(v, bool):
            _bad(where, path, self.what, v, out)


class Date(Spec):
    what = "a date (YYYY-MM-DD)"

    def check(self, v, path, where, out):
        if isinstance(v, date):
            return
        try:
            date.fromisoformat(str(v))
        except ValueError:
            _bad(where, path, self.what, v, out)


class OneOf(Spec):
    def __init__(self, *values: str):
        self.values = values
        self.what = "one of " + ", ".join(values)

    def check(self, v, path, where, out):
        if v not in self.values:
            _bad(where, path, self.what, v, out)


class Nullable(Spec):
    def __init__(self, inner: Spec):
        self.inner = inner
        self.what = f"{inner.what} or null"

    def check(self, v, path, where, out):
        if v is not None:
            self.inner.check(v, path, where, out)


class ListOf(Spec):
    def __init__(self, item: Spec):
        self.item = item
        self.what = f"a list of {item.what}"

    def check(self, v, path, where, out):
        if not isinstance(v, list):
            _bad(where, path, "a list", v, out)
            return
        for i, x in enumerate(v):
            self.item.check(x, f"{path}[{i}]", where, out)


class MapOf(Spec):
    """A mapping from free names (text) to values of one shape."""

    def __init__(self, value: Spec):
        self.value = value
        self.what = "a mapping"

    def check(self, v, path, where, out):
        if not isinstance(v, Mapping):
            _bad(where, path, self.what, v, out)
            return
        for k, x in v.items():
            p = f"{path}.{k}" if path else str(k)
            if not isinstance(k, str):
                out.append(Problem(where, p, "names must be text (quote them in YAML)"))
                continue
            self.value.check(x, p, where, out)


@dataclass
class Record(Spec):
    """A mapping with declared keys: ``required`` and ``optional`` map key -> shape.
    ``ref``: the record carries a legal reference (:data:`REF_FIELDS`)."""

    required: Mapping[str, Spec] = field(default_factory=dict)
    optional: Mapping[str, Spec] = field(default_factory=dict)
    ref: bool = False
    what: str = "a mapping"

    def check(self, v, path, where, out):
        if not isinstance(v, Mapping):
            _bad(where, path, self.what, v, out)
            return
        known = set(self.required) | set(self.optional) | (set(REF_FIELDS) if self.ref else set())
        for k in v:
            if k not in known:
                out.append(Problem(where, f"{path}.{k}" if path else str(k),
                                   "unknown key (known: " + ", ".join(sorted(known)) + ")"))
        for k, spec in self.required.items():
            p = f"{path}.{k}" if path else k
            if k not in v:
                out.append(Problem(where, p, "missing"))
            else:
                spec.check(v[k], p, where, out)
        for k, spec in self.optional.items():
            if k in v:
                spec.check(v[k], f"{path}.{k}" if path else k, where, out)
        if self.ref:
            check_ref(v, path, where, out)


def check_ref(v: Mapping, path: str, where: str, out: list) -> None:
    """The shape of a legal reference inside a record: ``reference`` (text, required),
    ``source`` (text), ``confidence`` (C confirmed, I inferred, U uncertain), ``cite``
    (required: the citations a reader sees, a list checked item by item by
    :func:`art60kit.citations.parse_cite`)."""
    p = (lambda k: f"{path}.{k}" if path else k)
    if "reference" not in v:
        out.append(Problem(where, p("reference"), "missing: every rule value needs a reference"))
    elif not isinstance(v["reference"], str) or not v["reference"].strip():
        _bad(where, p("reference"), "text", v["reference"], out)
    if "source" in v and not isinstance(v["source"], str):
        _bad(where, p("source"), "text", v["source"], out)
    if "confidence" in v and v["confidence"] not in ("C", "I", "U"):
        _bad(where, p("confidence"), "C, I or U", v["confidence"], out)
    if "cite" not in v:
        out.append(Problem(where, p("cite"), "missing: every rule value needs its citations for readers"))
    elif not isinstance(v["cite"], list) or not v["cite"]:
        _bad(where, p("cite"), "a non-empty list of citations", v["cite"], out)


def ref_only() -> Record:
    return Record(ref=True)


KIND = Record(
    required={"treatment": OneOf(*TREATMENTS)},
    optional={"cap_group": Text(), "min_months": Int(0), "max_years": Int(1), "until_child_age": Int(1),
              "requires_belgian_work_after": Num(0), "only_if": Text(),
              # a kind of line the case format does not list: its name in each language
              "label": MapOf(Text())},
    ref=True)

CONDITION = Record(
    required={"id": Text(), "kind": Text(), "days": Int(1), "months": Int(1), "categories": Nullable(ListOf(Text()))},
    optional={"past": Record(required={"days": Int(1), "years": Int(1)},
                             # a career that began inside the past period: the days it
                             # demands by a registered reading (rules.behaviours,
                             # family "past_requirement") of these figures
                             optional={"career_began_inside": Record(
                                 required={"by": Text(), "share": ListOf(Int(1)), "week_days": Int(1)}, ref=True)}),
              "eight_for_one": Record(required={"target": Int(1), "ratio": Int(1), "years": Int(1)})},
    ref=True)

COUNTING = Record(
    required={"full_quarter_days": Int(1), "full_month_days": Int(1), "quarter_cap": Int(1),
              "six_day_factor": Int(1), "decimals": Int(0), "default_days_per_week": Num(0),
              "default_full_time_hours": Num(0)},
    ref=True)

# Work declared only as a quarter's total (ONSS quarterly declaration) in the quarters
# where a reference period starts or ends: the kinds of line it concerns and the weekdays
# of the start quarter's cap (6: Monday to Saturday)
QUARTER_EDGES = Record(required={"kinds": ListOf(Text()), "start_quarter_week_days": Int(1)}, ref=True)

# What a CPAS needs beside the end date (read and checked further by art60kit.right)
BENEFIT_RIGHT = Record(
    required={"base_months": Int(1), "base_ref": ref_only(), "days_per_extra_month": Int(1),
              "max_extra_months": Int(0), "extension_ref": ref_only(), "used_for_admission_ref": ref_only(),
              "age_55": Record(required={"age": Int(1),
                                         "career_years": ListOf(Record(required={"from": Date(), "years": Int(1)}))},
                               ref=True)},
    optional={"unlimited": MapOf(ref_only())})

SUBSIDY = Record(
    required={"federal": ref_only()},
    optional={"regions": MapOf(Record(required={"limit": Text()},
                                      optional={"years": Int(1), "valid_from": Date()}, ref=True))})

# Career lines the law adds to a case (read by art60kit.derived_lines): dated by the
# day worked or the day after a job, not by the request, so a rule book holds them once
STUDENT_QUOTA = Record(
    required={"years": ListOf(Record(required={"from": Int(1900), "hours": Int(0)},
                                     optional={"kept": Int(0), "doubt": ref_only()}))},
    ref=True)

HOLIDAYS_AFTER_END = Record(
    required={"end_reasons": ListOf(Text()),
              "periods": ListOf(Record(required={"min_service_days": Int(1), "days_after": Int(1)},
                                       optional={"more_than_months": Int(1)}))},
    ref=True)

RULE_SET = Record(
    required={
        "id": Text(),
        "title": MapOf(Text()),
        "valid_from": Date(),
        "valid_until": Nullable(Date()),
        "validity": ref_only(),
        "regime_follows": OneOf("request date"),
        "regime_follows_ref": ref_only(),
        "age_categories": ListOf(Record(required={"id": Text(), "from_age": Int(0)})),
        "age_categories_ref": ref_only(),
        "new_days_rule": Bool(),
        "conditions": ListOf(CONDITION),
        "kinds": MapOf(KIND),
        "caps": MapOf(Record(required={"days_per_calendar_year": Num(0)}, ref=True)),
        "counting": COUNTING,
        "subsidy": SUBSIDY,
    },
    optional={"new_days_ref": ref_only(), "past_period_ref": ref_only(), "benefit_right": BENEFIT_RIGHT,
              "dispense": ref_only(), "student_quota": STUDENT_QUOTA, "holidays_after_end": HOLIDAYS_AFTER_END,
              "quarter_edges": Nullable(QUARTER_EDGES)},
)


def check(spec: Spec, raw: Any, where: str) -> list[Problem]:
    """Every problem of ``raw`` against ``spec`` (empty when it fits)."""
    out: list[Problem] = []
    spec.check(raw, "", where, out)
    return out
