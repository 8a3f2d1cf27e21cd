"""Dated rule sets as data.

Each YAML file beside this module is one rule set: the conditions of admissibility, the
treatment of each kind of career line (counted, assimilated, extends the reference
window, excluded/neutral), caps, and the counting constants of the ministerial decree.
Every value carries its legal reference, the public source it was read in and a
confidence label (C confirmed, I inferred, U uncertain).

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
from .schema import TREATMENTS

RULES_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Ref:
    """Where a rule comes from.

    ``cite``: the structured citations a reader sees (:mod:`art60kit.citations`),
    rendered in the reader's language by :meth:`render`; ``reference`` and ``source``
    are the maintainers' notes (English, internal names) and are never shown to users;
    ``confidence``: C stated by the text, I inferred, U uncertain."""

    reference: str
    source: str = ""
    confidence: str = "C"
    cite: tuple = ()

    def label(self) -> str:
        """The maintainers' note with its confidence (for logs and rule reviews only)."""
        return f"{self.reference} [{self.confidence}]"

    def render(self, lang: str) -> str:
        """The citations in ``lang`` with the degree of certainty in words."""
        from ..citations import render_all

        return render_all(self.cite, self.confidence, lang)

    def links(self) -> tuple[tuple, ...]:
        """``(citation, url)`` for every cited article with a consolidated text online."""
        from ..citations import link

        return tuple((c, link(c)) for c in self.cite if link(c))


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
    #: name of a registered extension condition (:mod:`art60kit.rules.behaviours`):
    #: the period extends the window only when it holds
    only_if: Optional[str] = None
    #: a kind a rule set adds to the case format's list (:data:`art60kit.model.KINDS`):
    #: its name in each language (fr, nl, de, en)
    label: Optional[Mapping[str, str]] = None

    @property
    def credits(self) -> bool:
        return self.treatment in ("counted", "assimilated", "assimilated_capped")


@dataclass(frozen=True)
class LateStart:
    """The professional past of a career that began inside the past period: instead of
    the condition's ``past_days``, ``numerator/denominator`` of the days of the first
    ``week_days`` weekdays (Monday first) from the career's first day to the end of the
    period, by the registered reading ``by`` (:mod:`art60kit.rules.behaviours`, family
    ``past_requirement``)."""

    by: str
    numerator: int
    denominator: int
    week_days: int
    ref: Ref

    def required(self, past_days: int, career_start: Optional[int], past_start: int,
                 past_end: int) -> Optional[tuple[int, int]]:
        """``(days required, working days counted)`` when the career began inside the
        period ``[past_start, past_end]`` (ordinals), else None."""
        from .behaviours import get

        return get("past_requirement", self.by).fn(self, past_days, career_start, past_start, past_end)


@dataclass(frozen=True)
class Condition:
    """``days`` in the ``months`` before the request (date to date, extended); with
    ``past_days`` in the ``past_years`` before that window (art. 32 (c)), or with the
    8-for-1 rule: ``days`` plus ``ratio`` past days for each day missing to ``target``.
    """

    id: str
    #: registered kind of condition (:mod:`art60kit.rules.behaviours`, family ``condition``)
    kind: str
    days: int
    months: int
    categories: Optional[tuple[str, ...]]
    ref: Ref
    past_days: Optional[int] = None
    past_years: Optional[int] = None
    eight_for_one_target: Optional[int] = None
    eight_for_one_ratio: Optional[int] = None
    #: the past a career that began inside the past period needs (old art. 32)
    late_start: Optional[LateStart] = None

    @property
    def uses_past(self) -> bool:
        return self.past_days is not None or self.eight_for_one_target is not None

    def decide(self, counted: int, past_counted: int,
               past_required: Optional[int] = None) -> tuple[int, bool, bool]:
        """``(required, satisfied, reachable)`` by this condition's registered kind;
        ``past_required``: the days its past period must hold when not ``past_days``
        (:class:`LateStart`)."""
        from .behaviours import get

        return get("condition", self.kind).fn(self, counted, past_counted,
                                              self.past_days if past_required is None else past_required)

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


@dataclass(frozen=True)
class QuarterEdges:
    """Work known only by a quarter's total (the ONSS quarterly declaration gives a
    quarter's hours or days, not the days worked). In the calendar quarter where a
    reference period starts (or ends), a career line of one of ``kinds`` given by its
    total hours or days whose period holds the day before the period's start (or the
    day after its end) cannot be placed on either side: all of its days in that quarter
    count as inside the period. The days such lines credit for the start quarter are at
    most the days of the first ``week_days`` weekdays (6: Monday to Saturday) from the
    period's start to the quarter's end."""

    kinds: frozenset
    week_days: int
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
    quarter_edges: Optional[QuarterEdges] = None
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
        """The rule for a kind of line. A kind that another rule set of the book adds
        and this one does not know did not exist under these rules: its days neither
        count nor extend (``neutral``)."""
        rule = self.kinds.get(kind)
        if rule is None:
            return KindRule(kind=kind, treatment="neutral", ref=self.validity_ref)
        return rule

    def age_thresholds(self) -> tuple[int, ...]:
        return tuple(a for _, a in self.age_categories if a > 0)


def _ref(d: Mapping, where: str) -> Ref:
    """The legal reference of a rule value: the one place that reads it. The shape is
    checked by :func:`art60kit.rules.schema.check_ref`; the citations a reader sees are
    read by :func:`art60kit.citations.parse_cite`."""
    if not isinstance(d, Mapping) or not isinstance(d.get("reference"), str) or not d["reference"].strip():
        raise InputError([Problem(where, "reference", "every rule value needs a reference")])
    conf = str(d.get("confidence", "C"))
    if conf not in ("C", "I", "U"):
        raise InputError([Problem(where, "confidence", f"must be C, I or U, not {conf!r}")])
    from ..citations import parse_cite

    if "cite" not in d:
        raise InputError([Problem(where, "cite", "every rule value needs its citations for readers")])
    return Ref(str(d["reference"]), str(d.get("source", "")), conf, parse_cite(d["cite"], where))


def _as_date(v) -> Optional[date]:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v))


#: the engines count credits in 1/10,000 day and in the six-day regime: a rule set that
#: asks for another unit is refused rather than silently counted in this one
ENGINE_DECIMALS = 4
ENGINE_SIX_DAY_FACTOR = 6


def rule_set_from_mapping(raw: Mapping, where: str = "<rules>") -> RuleSet:
    """Build a :class:`RuleSet` from its YAML mapping.

    Strict: the shape is checked by :mod:`art60kit.rules.schema` (unknown keys, missing
    keys, wrong types), then the meaning (every kind of line has a treatment, names
    refer to things that exist, named behaviours are registered). Every problem is
    reported at once as ``FILE: key.path: what is wrong``."""
    from ..i18n import LANGS, add_kind_names
    from ..model import KINDS
    from . import behaviours
    from .schema import RULE_SET, check

    problems = check(RULE_SET, raw, where)
    if problems:
        raise InputError(problems)
    kinds = {}
    for kind, spec in raw["kinds"].items():
        label = spec.get("label")
        if kind not in KINDS:
            # a kind this rule set adds: it needs its name in each language, and a name
            # that can be written in a case file
            if not kind.replace("_", "").isalnum() or not kind[0].isalpha() or kind != kind.lower():
                problems.append(Problem(where, f"kinds.{kind}", "a new kind's name is lower-case letters, digits "
                                        "and underscores"))
            if label is None or set(label) != set(LANGS):
                problems.append(Problem(where, f"kinds.{kind}.label", "a kind the case format does not list needs "
                                        "its name in " + ", ".join(LANGS) + " (known kinds: " + ", ".join(KINDS) + ")"))
        elif label is not None:
            problems.append(Problem(where, f"kinds.{kind}.label", "only for a kind the case format does not list"))
        t = spec["treatment"]
        only_if = spec.get("only_if")
        if only_if is not None:
            if only_if not in behaviours.names("extension_condition"):
                problems.append(Problem(where, f"kinds.{kind}.only_if", f"no registered behaviour {only_if!r} "
                                        "(known: " + ", ".join(behaviours.names("extension_condition")) + ")"))
            if t != "extends":
                problems.append(Problem(where, f"kinds.{kind}.only_if", "only an extending kind can have a condition"))
        for key in ("min_months", "max_years", "until_child_age"):
            if key in spec and t != "extends":
                problems.append(Problem(where, f"kinds.{kind}.{key}", "only for kinds that extend the window"))
        if ("cap_group" in spec) != (t == "assimilated_capped"):
            problems.append(Problem(where, f"kinds.{kind}.cap_group",
                                    "required for assimilated_capped kinds, and only for them"))
        if "requires_belgian_work_after" in spec and t != "counted":
            problems.append(Problem(where, f"kinds.{kind}.requires_belgian_work_after", "only for counted kinds"))
        kinds[kind] = KindRule(
            kind=kind, treatment=t, ref=_ref(spec, f"{where}: kinds.{kind}"),
            cap_group=spec.get("cap_group"), min_months=spec.get("min_months", 0),
            max_years=spec.get("max_years"), until_child_age=spec.get("until_child_age"),
            requires_belgian_work_after=spec.get("requires_belgian_work_after"),
            only_if=only_if, label=dict(label) if label else None,
        )
    for k in kinds.values():
        if k.label and set(k.label) == set(LANGS):
            add_kind_names(k.kind, k.label)
    missing = [k for k in KINDS if k not in raw["kinds"]]
    if missing:
        problems.append(Problem(where, "kinds", "no treatment for: " + ", ".join(missing)))
    conds = []
    cat_ids = {a["id"] for a in raw["age_categories"]}
    ids = set()
    for i, c in enumerate(raw["conditions"]):
        p = f"conditions[{i}]"
        if c["id"] in ids:
            problems.append(Problem(where, f"{p}.id", f"{c['id']!r} used twice"))
        ids.add(c["id"])
        kind = c["kind"]
        if kind not in behaviours.names("condition"):
            problems.append(Problem(where, f"{p}.kind", f"no registered kind of condition {kind!r} "
                                    "(known: " + ", ".join(behaviours.names("condition")) + ")"))
        # the figures each kind of condition reads, and only those
        needs = {"past_work": "past", "eight_for_one": "eight_for_one"}
        for key in ("past", "eight_for_one"):
            if (needs.get(kind) == key) != (key in c):
                problems.append(Problem(where, f"{p}.{key}",
                                        f"required for conditions of kind {needs.get(kind) and kind or key}, and only for them"
                                        if key in c else f"missing (conditions of kind {kind} need it)"))
        for cat in c["categories"] or ():
            if cat not in cat_ids:
                problems.append(Problem(where, f"{p}.categories",
                                        f"unknown age category {cat!r} (quote ids such as \"36_49\": YAML reads 36_49 as a number)"))
        past = c.get("past") or {}
        e41 = c.get("eight_for_one") or {}
        late = None
        lraw = past.get("career_began_inside")
        if lraw is not None:
            lp = f"{p}.past.career_began_inside"
            if lraw["by"] not in behaviours.names("past_requirement"):
                problems.append(Problem(where, f"{lp}.by", f"no registered reading {lraw['by']!r} (known: "
                                        + ", ".join(behaviours.names("past_requirement")) + ")"))
            share = lraw["share"]
            if len(share) != 2 or share[0] > share[1]:
                problems.append(Problem(where, f"{lp}.share", "must be [numerator, denominator], a share of at most 1"))
                share = [1, 1]
            if lraw["week_days"] > 7:
                problems.append(Problem(where, f"{lp}.week_days", "a week has 7 days"))
            late = LateStart(lraw["by"], share[0], share[1], min(7, lraw["week_days"]), _ref(lraw, f"{where}: {lp}"))
        conds.append(Condition(
            id=c["id"], kind=kind, days=c["days"], months=c["months"],
            categories=None if c["categories"] is None else tuple(c["categories"]),
            ref=_ref(c, f"{where}: {p}"),
            past_days=past.get("days"), past_years=past.get("years") or e41.get("years"),
            eight_for_one_target=e41.get("target"), eight_for_one_ratio=e41.get("ratio"), late_start=late,
        ))
    if not conds:
        problems.append(Problem(where, "conditions", "a rule set needs at least one condition"))
    caps = {g: (float(spec["days_per_calendar_year"]), _ref(spec, f"{where}: caps.{g}"))
            for g, spec in raw["caps"].items()}
    for k in kinds.values():
        if k.treatment == "assimilated_capped" and k.cap_group is not None and k.cap_group not in caps:
            problems.append(Problem(where, f"kinds.{k.kind}.cap_group", f"no cap named {k.cap_group!r}"))
    cnt = raw["counting"]
    if cnt["decimals"] != ENGINE_DECIMALS:
        problems.append(Problem(where, "counting.decimals",
                                f"the engines keep {ENGINE_DECIMALS} decimals per occupation, not {cnt['decimals']}"))
    if cnt["six_day_factor"] != ENGINE_SIX_DAY_FACTOR:
        problems.append(Problem(where, "counting.six_day_factor",
                                f"the engines count in the six-day regime ({ENGINE_SIX_DAY_FACTOR}), "
                                f"not {cnt['six_day_factor']}"))
    if cnt["quarter_cap"] < cnt["full_quarter_days"]:
        problems.append(Problem(where, "counting.quarter_cap", "cannot be below full_quarter_days"))
    edges = None
    if raw.get("quarter_edges") is not None:
        qe = raw["quarter_edges"]
        for i, kd in enumerate(qe["kinds"]):
            kr = kinds.get(kd)
            if kr is None:
                problems.append(Problem(where, f"quarter_edges.kinds[{i}]", f"no kind of line named {kd!r}"))
            elif kr.treatment not in ("counted", "assimilated") or kr.requires_belgian_work_after:
                problems.append(Problem(where, f"quarter_edges.kinds[{i}]",
                                        f"{kd!r} is not work or assimilated days declared to the ONSS quarter by "
                                        f"quarter (treatment {kr.treatment})"))
        if qe["start_quarter_week_days"] > 7:
            problems.append(Problem(where, "quarter_edges.start_quarter_week_days", "a week has 7 days"))
        edges = QuarterEdges(frozenset(qe["kinds"]), min(7, qe["start_quarter_week_days"]),
                             _ref(qe, f"{where}: quarter_edges"))
    vf, vu = _as_date(raw["valid_from"]), _as_date(raw["valid_until"])
    if vu is not None and vu < vf:
        problems.append(Problem(where, "valid_until", "before valid_from"))
    if raw["new_days_rule"] and "new_days_ref" not in raw:
        problems.append(Problem(where, "new_days_ref", "missing (new_days_rule is true)"))
    from ..derived_lines import check_rule_data

    problems += check_rule_data(raw, where)
    if any(c.uses_past for c in conds) and "past_period_ref" not in raw:
        problems.append(Problem(where, "past_period_ref", "missing (a condition looks at a professional past)"))
    if problems:
        raise InputError(problems)
    cats = tuple((a["id"], a["from_age"]) for a in raw["age_categories"])
    return RuleSet(
        id=raw["id"], title=dict(raw["title"]), valid_from=vf, valid_until=vu,
        age_categories=tuple(sorted(cats, key=lambda x: x[1])),
        age_ref=_ref(raw["age_categories_ref"], f"{where}: age_categories_ref"),
        new_days_rule=raw["new_days_rule"],
        new_days_ref=_ref(raw["new_days_ref"], where) if raw.get("new_days_ref") else None,
        conditions=tuple(conds), kinds=kinds, caps=caps,
        counting=Counting(
            full_quarter_days=cnt["full_quarter_days"], full_month_days=cnt["full_month_days"],
            quarter_cap=cnt["quarter_cap"], six_day_factor=cnt["six_day_factor"],
            decimals=cnt["decimals"], default_days_per_week=float(cnt["default_days_per_week"]),
            default_full_time_hours=float(cnt["default_full_time_hours"]),
            ref=_ref(cnt, f"{where}: counting")),
        validity_ref=_ref(raw["validity"], f"{where}: validity"),
        regime_ref=_ref(raw["regime_follows_ref"], f"{where}: regime_follows_ref"),
        past_ref=_ref(raw["past_period_ref"], where) if raw.get("past_period_ref") else None,
        quarter_edges=edges,
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

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every kind of line a case may use with this book: the case format's list
        (:data:`art60kit.model.KINDS`), then the kinds its rule sets add, in order."""
        from ..model import KINDS

        out = list(KINDS)
        for rs in self.rule_sets:
            out += [k for k in rs.kinds if k not in out]
        return tuple(out)

    def kind_label(self, kind: str, lang: str) -> Optional[str]:
        """The name a rule set gives a kind it adds, in ``lang`` (None for the case
        format's own kinds, named by the text catalog)."""
        for rs in reversed(self.rule_sets):
            rule = rs.kinds.get(kind)
            if rule is not None and rule.label:
                return rule.label.get(lang) or rule.label.get("fr")
        return None

    def get(self, rule_id: str) -> RuleSet:
        for rs in self.rule_sets:
            if rs.id == rule_id:
                return rs
        raise KeyError(rule_id)

    def boundaries(self) -> tuple[date, ...]:
        """Days on which the rule set in force changes."""
        return tuple(sorted(rs.valid_from for rs in self.rule_sets))[1:]

    def next_change(self, d: date) -> Optional[date]:
        """The first day after ``d`` on which the rule set in force changes; None when
        no rule set of the book starts after ``d``.

        >>> from datetime import date
        >>> book = default_rulebook()
        >>> book.next_change(date(2025, 6, 1)) == book.latest_change
        True
        >>> book.next_change(book.latest_change) is None
        True
        """
        return next((b for b in self.boundaries() if b > d), None)

    @property
    def latest_change(self) -> Optional[date]:
        """The day the book's latest rule set takes effect (None for a book of one rule
        set): the reform the texts about "the new rules" name."""
        b = self.boundaries()
        return b[-1] if b else None

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
    """A rule set from its YAML file; problems name the file."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as f:
            # libyaml when PyYAML has it: same safe types, read at every start
            raw = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f"line {mark.line + 1}" if mark else "(file)"
        raise InputError([Problem(path.name, at, f"not valid YAML: {getattr(e, 'problem', e)}")]) from None
    return rule_set_from_mapping(raw, str(path.name))


@lru_cache(maxsize=1)
def default_rulebook() -> RuleBook:
    """The rule sets shipped with the package (``art60kit/rules/*.yaml``)."""
    sets = [load_rule_set(p) for p in sorted(RULES_DIR.glob("*.yaml"))]
    return RuleBook(tuple(sorted(sets, key=lambda r: r.valid_from)))
