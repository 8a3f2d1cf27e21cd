"""Dated rule sets as data.

Each YAML file beside this module is one rule set: the conditions of admissibility, the
treatment of each kind of career line (counted, assimilated, extends the reference
window, excluded/neutral), caps, and the counting constants of the ministerial decree.
Every value carries its legal reference, the rules.md source and a confidence label
(C confirmed, I inferred, U uncertain).

A :class:`RuleBook` holds the rule sets in date order and picks the one in force at a
request date. Adding a future rule set means adding a YAML file (and, at most, one small
function if it needs a new kind of condition). A simulation changes a rule set with
:meth:`RuleBook.with_changes`, declared as data (like an OpenFisca reform)::

    >>> book = default_rulebook()
    >>> book.for_date(date(2026, 2, 28)).id, book.for_date(date(2026, 3, 1)).id
    ('ar1991', 'reform2026')
    >>> variant = book.with_changes({"reform2026": {"conditions": {"d312_m36": {"months": 24}}}})
    >>> variant.get("reform2026").conditions[0].months
    24
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional

import yaml

from ..errors import InputError, Problem

RULES_DIR = Path(__file__).parent
TREATMENTS = ("counted", "assimilated", "assimilated_capped", "extends", "excluded", "neutral")


@dataclass(frozen=True)
class Ref:
    """Where a rule comes from."""

    reference: str
    source: str = ""
    confidence: str = "C"

    def label(self) -> str:
        return f"{self.reference} [{self.confidence}]"


@dataclass(frozen=True)
class KindRule:
    kind: str
    treatment: str
    ref: Ref
    cap_group: Optional[str] = None
    min_months: int = 0
    max_years: Optional[int] = None
    until_child_age: Optional[int] = None
    requires_belgian_work_after: Optional[float] = None
    during_work_or_unemployment: bool = False

    @property
    def credits(self) -> bool:
        return self.treatment in ("counted", "assimilated", "assimilated_capped")


@dataclass(frozen=True)
class Condition:
    """``days`` in the ``months`` before the request (date to date, extended); with
    ``past_days`` in the ``past_years`` before that window (art. 32 (c)), or with the
    8-for-1 rule: ``days`` plus ``ratio`` past days for each day missing to ``target``.
    """

    id: str
    days: int
    months: int
    categories: Optional[tuple[str, ...]]
    ref: Ref
    past_days: Optional[int] = None
    past_years: Optional[int] = None
    eight_for_one_target: Optional[int] = None
    eight_for_one_ratio: Optional[int] = None

    @property
    def uses_past(self) -> bool:
        return self.past_days is not None or self.eight_for_one_target is not None

    def as_dict(self) -> dict:
        d = {"id": self.id, "days": self.days, "months": self.months}
        if self.past_days is not None:
            d["past_days"], d["past_years"] = self.past_days, self.past_years
        if self.eight_for_one_target is not None:
            d["target"], d["ratio"], d["past_years"] = (
                self.eight_for_one_target, self.eight_for_one_ratio, self.past_years)
        return d


@dataclass(frozen=True)
class Counting:
    full_quarter_days: int
    full_month_days: int
    quarter_cap: int
    six_day_factor: int
    decimals: int
    default_days_per_week: float
    default_full_time_hours: float
    ref: Ref


@dataclass(frozen=True, eq=False)
class RuleSet:
    id: str
    title: Mapping[str, str]
    valid_from: date
    valid_until: Optional[date]
    age_categories: tuple[tuple[str, int], ...]  # (id, from_age), ascending
    age_ref: Ref
    new_days_rule: bool
    new_days_ref: Optional[Ref]
    conditions: tuple[Condition, ...]
    kinds: Mapping[str, KindRule]
    caps: Mapping[str, tuple[float, Ref]]
    counting: Counting
    validity_ref: Ref
    regime_ref: Ref
    past_ref: Optional[Ref] = None
    raw: Mapping = field(default_factory=dict, repr=False, compare=False)

    def applies(self, d: date) -> bool:
        return self.valid_from <= d and (self.valid_until is None or d <= self.valid_until)

    def category(self, age: int) -> Optional[str]:
        """Age category for an age in whole years; None if the rule set has none."""
        cat = None
        for cid, from_age in self.age_categories:
            if age >= from_age:
                cat = cid
        return cat

    def conditions_for(self, category: Optional[str]) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions
                     if c.categories is None or category in c.categories)

    def kind(self, kind: str) -> KindRule:
        return self.kinds[kind]

    def age_thresholds(self) -> tuple[int, ...]:
        return tuple(a for _, a in self.age_categories if a > 0)


def _ref(d: Mapping, where: str) -> Ref:
    if not isinstance(d, Mapping) or "reference" not in d:
        raise InputError([Problem(where, "reference", "every rule value needs a reference")])
    conf = str(d.get("confidence", "C"))
    if conf not in ("C", "I", "U"):
        raise InputError([Problem(where, "confidence", f"must be C, I or U, not {conf!r}")])
    return Ref(str(d["reference"]), str(d.get("source", "")), conf)


def _as_date(v, where: str, name: str) -> Optional[date]:
    if v is None:
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        raise InputError([Problem(where, name, f"not a date: {v!r}")]) from None


def rule_set_from_mapping(raw: Mapping, where: str = "<rules>") -> RuleSet:
    """Build a :class:`RuleSet` from its YAML mapping; every value is checked."""
    from ..model import KINDS

    problems = []
    kinds = {}
    for kind, spec in (raw.get("kinds") or {}).items():
        if kind not in KINDS:
            problems.append(Problem(where, f"kinds.{kind}", "unknown kind"))
            continue
        t = spec.get("treatment")
        if t not in TREATMENTS:
            problems.append(Problem(where, f"kinds.{kind}.treatment", f"must be one of {', '.join(TREATMENTS)}"))
            continue
        kinds[kind] = KindRule(
            kind=kind, treatment=t, ref=_ref(spec, f"{where}: kinds.{kind}"),
            cap_group=spec.get("cap_group"), min_months=int(spec.get("min_months", 0)),
            max_years=spec.get("max_years"), until_child_age=spec.get("until_child_age"),
            requires_belgian_work_after=spec.get("requires_belgian_work_after"),
            during_work_or_unemployment=bool(spec.get("during_work_or_unemployment", False)),
        )
    missing = [k for k in KINDS if k not in kinds]
    if missing:
        problems.append(Problem(where, "kinds", "no treatment for: " + ", ".join(missing)))
    conds = []
    for i, c in enumerate(raw.get("conditions") or []):
        cats = c.get("categories")
        past = c.get("past") or {}
        e41 = c.get("eight_for_one") or {}
        conds.append(Condition(
            id=str(c["id"]), days=int(c["days"]), months=int(c["months"]),
            categories=None if cats is None else tuple(cats),
            ref=_ref(c, f"{where}: conditions[{i}]"),
            past_days=past.get("days"), past_years=past.get("years") or e41.get("years"),
            eight_for_one_target=e41.get("target"), eight_for_one_ratio=e41.get("ratio"),
        ))
    if not conds:
        problems.append(Problem(where, "conditions", "a rule set needs at least one condition"))
    cat_ids = {str(a["id"]) for a in raw.get("age_categories") or []}
    for c in conds:
        for cat in c.categories or ():
            if not isinstance(cat, str) or cat not in cat_ids:
                problems.append(Problem(where, f"conditions.{c.id}.categories",
                                        f"unknown age category {cat!r} (quote ids such as \"36_49\": YAML reads 36_49 as a number)"))
    caps = {}
    for g, spec in (raw.get("caps") or {}).items():
        caps[g] = (float(spec["days_per_calendar_year"]), _ref(spec, f"{where}: caps.{g}"))
    for k in kinds.values():
        if k.treatment == "assimilated_capped" and k.cap_group not in caps:
            problems.append(Problem(where, f"kinds.{k.kind}.cap_group", f"no cap named {k.cap_group!r}"))
    if problems:
        raise InputError(problems)
    cnt = raw["counting"]
    cats = tuple((str(a["id"]), int(a["from_age"])) for a in raw.get("age_categories") or [])
    return RuleSet(
        id=str(raw["id"]), title=dict(raw.get("title") or {}),
        valid_from=_as_date(raw["valid_from"], where, "valid_from"),
        valid_until=_as_date(raw.get("valid_until"), where, "valid_until"),
        age_categories=tuple(sorted(cats, key=lambda x: x[1])),
        age_ref=_ref(raw["age_categories_ref"], f"{where}: age_categories_ref"),
        new_days_rule=bool(raw.get("new_days_rule", False)),
        new_days_ref=_ref(raw["new_days_ref"], where) if raw.get("new_days_ref") else None,
        conditions=tuple(conds), kinds=kinds, caps=caps,
        counting=Counting(
            full_quarter_days=int(cnt["full_quarter_days"]), full_month_days=int(cnt["full_month_days"]),
            quarter_cap=int(cnt["quarter_cap"]), six_day_factor=int(cnt["six_day_factor"]),
            decimals=int(cnt["decimals"]), default_days_per_week=float(cnt["default_days_per_week"]),
            default_full_time_hours=float(cnt["default_full_time_hours"]),
            ref=_ref(cnt, f"{where}: counting")),
        validity_ref=_ref(raw["validity"], f"{where}: validity"),
        regime_ref=_ref(raw["regime_follows_ref"], f"{where}: regime_follows_ref"),
        past_ref=_ref(raw["past_period_ref"], where) if raw.get("past_period_ref") else None,
        raw=raw,
    )


def _merge(base, change):
    """Deep-merge ``change`` into a copy of ``base``; lists of mappings with an ``id``
    are merged by id (so a reform can change one condition)."""
    if isinstance(base, Mapping) and isinstance(change, Mapping):
        out = dict(base)
        for k, v in change.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(change, Mapping) and all(isinstance(x, Mapping) and "id" in x for x in base):
        out = []
        for x in base:
            out.append(_merge(x, change[x["id"]]) if x["id"] in change else x)
        known = {x["id"] for x in base}
        unknown = [k for k in change if k not in known]
        if unknown:
            raise InputError([Problem("<reform>", "conditions", f"unknown condition id(s): {', '.join(unknown)}")])
        return out
    return copy.deepcopy(change)


@dataclass(frozen=True)
class RuleBook:
    """Rule sets in date order."""

    rule_sets: tuple[RuleSet, ...]

    def for_date(self, d: date) -> RuleSet:
        for rs in self.rule_sets:
            if rs.applies(d):
                return rs
        first = min(rs.valid_from for rs in self.rule_sets)
        raise InputError([Problem("<rules>", "request_date",
                                  f"no rule set in force on {d.isoformat()} (rules are modelled from {first.isoformat()})")])

    def get(self, rule_id: str) -> RuleSet:
        for rs in self.rule_sets:
            if rs.id == rule_id:
                return rs
        raise KeyError(rule_id)

    def boundaries(self) -> tuple[date, ...]:
        """Days on which the rule set in force changes."""
        return tuple(sorted(rs.valid_from for rs in self.rule_sets))[1:]

    def with_changes(self, changes: Mapping[str, Mapping]) -> "RuleBook":
        """A new rule book where the rule sets named in ``changes`` get those values
        (deep-merged; conditions are merged by id). Used for simulations."""
        out = []
        for rs in self.rule_sets:
            if rs.id in changes:
                raw = _merge(rs.raw, changes[rs.id])
                out.append(rule_set_from_mapping(raw, f"<reform of {rs.id}>"))
            else:
                out.append(rs)
        unknown = set(changes) - {rs.id for rs in self.rule_sets}
        if unknown:
            raise InputError([Problem("<reform>", ", ".join(sorted(unknown)), "unknown rule set id")])
        return RuleBook(tuple(out))


def load_rule_set(path: Path) -> RuleSet:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return rule_set_from_mapping(raw, str(path.name))


@lru_cache(maxsize=1)
def default_rulebook() -> RuleBook:
    """The rule sets shipped with the package (``art60kit/rules/*.yaml``)."""
    sets = [load_rule_set(p) for p in sorted(RULES_DIR.glob("*.yaml"))]
    return RuleBook(tuple(sorted(sets, key=lambda r: r.valid_from)))
