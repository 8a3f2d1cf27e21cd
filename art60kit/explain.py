"""Step-by-step explanation of a plan or a check, each step with its reference.

Steps are plain values (:class:`Step`): an id, a text in the chosen language, the
figures it states (``values``) and the legal reference. Renderers give plain text,
Markdown, HTML and a pandas DataFrame. The explanation reads the results of the core;
it recomputes nothing except the per-line figures it displays, with the same kernel.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Optional

import re

from .citations import cite_refs, legend
from .citations import render as render_citation
from .credit import UNIT
from .dates import count_pattern_ordinals, public_holidays
from .formats import weekday_name
from .i18n import fmt_date, fmt_num, has, t
from .derived_explain import derived_steps, derived_warnings
from .right_explain import beside_steps, beside_warnings, dispense_step


@dataclass(frozen=True)
class Step:
    """One step: its text, the figures it states (``values``; a step that gives a total
    carries ``values["sum"] = {"parts": [...], "total": x}`` whose parts re-add to the
    total), the legal reference in the reader's language and links to the cited texts."""

    id: str
    text: str
    values: dict = field(default_factory=dict)
    reference: str = ""
    links: tuple = ()

    def as_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "values": self.values, "reference": self.reference,
                "links": [{"text": a, "url": u} for a, u in self.links]}


def _refs(lang, *refs):
    """The references of a step in ``lang`` and their links (:func:`art60kit.citations.cite_refs`)."""
    return cite_refs(lang, *refs)


def _step(id_, text, values, lang, *refs):
    ref, links = _refs(lang, *refs)
    return Step(id_, text, values, ref, links)


def _sum(parts, total):
    """A total and its signed parts, as figures to re-add (4 decimals)."""
    return {"parts": [round(float(p), 4) for p in parts], "total": round(float(total), 4)}


def option_value(option: str, value, lang: str, rules=None) -> str:
    """An option's value in words. A crediting reading states the full-period figures
    (days of a whole quarter, of a whole month) of ``rules``, the rule set the plan
    applies; by default the latest rule set of the rule book."""
    if rules is None:
        from .rules import default_rulebook
        rules = default_rulebook().rule_sets[-1]
    c = rules.counting
    return t(f"option.{option}.{value}", lang, quarter=fmt_num(c.full_quarter_days, lang),
             month=fmt_num(c.full_month_days, lang))


def option_words(option: str, value, lang: str, rules=None) -> str:
    """An interpretation option and its value in words ("Arrondi du total : ...")."""
    return t("option.pair", lang, option=t(f"option.{option}", lang), value=option_value(option, value, lang, rules))


def _date_value(iso: str, lang: str) -> str:
    return fmt_date(date.fromisoformat(iso), lang)


_EXT_REASONS = (
    (re.compile(r"no child_birth_date: capped at (\d+) years"), "ext.no_child_birth", "years"),
    (re.compile(r"entirely after the child's age limit"), "ext.after_child_limit", None),
    (re.compile(r"shorter than (\d+) months"), "ext.too_short", "months"),
    (re.compile(r"from the child's birth on (\d{4}-\d{2}-\d{2})"), "ext.from_birth", ("date", _date_value)),
    (re.compile(r"ends before the child's birth on (\d{4}-\d{2}-\d{2})"), "ext.before_birth", ("date", _date_value)),
)


def extension_reason(reason: str, lang: str) -> str:
    """Why an extending period is cut, capped or does not extend, in ``lang`` (the core
    states it in English for logs, several reasons joined by "; ")."""
    return t("sep.semicolon", lang).join(_one_reason(part, lang) for part in (reason or "").split("; "))


def _one_reason(reason: str, lang: str) -> str:
    for rx, key, name in _EXT_REASONS:
        m = rx.search(reason)
        if m:
            if isinstance(name, tuple):
                return t(key, lang, **{name[0]: name[1](m.group(1), lang)})
            return t(key, lang, **({name: m.group(1)} if name else {}))
    return reason


def _iso(o: int) -> str:
    return date.fromordinal(o).isoformat()


def _cond_label(c, lang):
    return t("cond.label", lang, days=c.days, months=c.months)


def _kind_label(kind, lang):
    return t(f"kind.{kind}", lang)


def _treatment_label(rule, rs, lang):
    if rule.treatment == "assimilated_capped":
        cap = rs.caps[rule.cap_group][0]
        return t("treatment.assimilated_capped", lang, cap=fmt_num(cap, lang))
    return t(f"treatment.{rule.treatment}", lang)


def _line_steps(plan_or_verdict_case, v, lang):
    case = plan_or_verdict_case
    rs = v.rules
    led = v.ledger
    r = v.closest
    wa, wb = r.count_from, r.window.end
    steps = []
    cnt = rs.counting
    ext_by_line = {e.line: e for e in led.extensions}
    for i, line in enumerate(case.career):
        rule = rs.kind(line.kind)
        emp = f" ({line.employer})" if line.employer else ""
        src = t("line.source", lang, source=line.source + (f" {line.source_ref}" if line.source_ref else "")) \
            if line.source else ""
        if line.derived_from is not None:  # a line the law adds (art60kit.derived_lines)
            src = t("line.derived", lang, n=line.derived_from + 1)
        formula = ""
        values = {"line": i, "kind": line.kind, "treatment": rule.treatment,
                  "start": line.start.isoformat(), "end": line.end.isoformat(),
                  "source": line.source, "source_ref": line.source_ref}
        in_window = t("in_window.none", lang)
        figures = led.line_figures(i) if rule.credits else None
        if figures is not None:
            rate, mask = figures  # the kernel's, as it credits the line
            a, b = line.start.toordinal(), line.end.toordinal()
            n_all = count_pattern_ordinals(a, b, mask)
            total = float(rate * n_all)
            r_ = line.days_per_week if line.days_per_week is not None else cnt.default_days_per_week
            s_ = line.full_time_hours if line.full_time_hours is not None else cnt.default_full_time_hours
            if line.hours is not None:
                formula = t("formula.hours", lang, hours=fmt_num(line.hours, lang), s=fmt_num(s_, lang),
                            value=fmt_num(total, lang))
            elif line.days is not None:
                formula = t("formula.days", lang, days=fmt_num(line.days, lang), r=fmt_num(r_, lang),
                            value=fmt_num(total, lang))
            else:
                qs = ""
                if line.weekly_hours is not None and line.weekly_hours < s_:
                    qs = f" × {fmt_num(line.weekly_hours, lang)}/{fmt_num(s_, lang)}"
                wd = bin(mask).count("1")
                if wd == r_:
                    formula = t("formula.regime", lang, n=n_all, r=fmt_num(r_, lang), qs=qs, value=fmt_num(total, lang))
                else:
                    formula = t("formula.regime_fractional", lang, n=n_all, days=wd, r=fmt_num(r_, lang), qs=qs,
                                value=fmt_num(total, lang))
            # paid public holidays are located only for a regime line; a total of hours or
            # days is the declared figure, holidays included or not
            hol = [(d, name) for d, name in public_holidays(line.start, line.end, lang)
                   if mask >> d.weekday() & 1] if line.measure == "regime" else []
            if hol:
                formula += t("formula.holidays", lang, list=", ".join(f"{fmt_date(d, lang)} {n}" for d, n in hol))
            lo, hi = _edge_span(rs, line, wa, wb)
            n_in = count_pattern_ordinals(max(a, lo), min(b, hi), mask) if b >= lo and a <= hi else 0
            if n_in:
                in_window = t("days", lang, n=fmt_num(float(rate * n_in), lang))
            values.update({"credit_total": round(total, 4), "credit_in_window": round(float(rate * n_in), 4),
                           "rate_per_day": round(float(rate), 6), "public_holidays": [d.isoformat() for d, _ in hol]})
        elif rule.treatment == "extends":
            e = ext_by_line.get(i)
            if e is not None and e.qualifies:
                formula = t("formula.extension", lang, days=fmt_num(e.days, lang), start=fmt_date(date.fromordinal(e.a), lang),
                            end=fmt_date(date.fromordinal(e.b), lang))
                used = any(u.line == i for u in r.window.used)
                values.update({"extension_days": e.days, "used": used})
                if used:
                    in_window = t("treatment.extends", lang)
            elif e is not None:
                formula = t("formula.not_qualifying", lang, reason=_reason(e, lang))
        text = t("step.line", lang, n=i + 1, kind=_kind_label(line.kind, lang), source=src,
                 start=fmt_date(line.start, lang), end=fmt_date(line.end, lang), employer=emp,
                 treatment=_treatment_label(rule, rs, lang), formula=formula, in_window=in_window)
        steps.append(_step(f"line.{i + 1}", text, values, lang, rule.ref))
    return steps


def _window_step(v, lang):
    r = v.closest
    w = r.window
    rs = v.rules
    ext = ""
    refs = [r.condition.ref]
    if w.used:
        items = ", ".join(f"{t('kind.' + e.kind, lang)} {fmt_date(date.fromordinal(e.a), lang)}–"
                          f"{fmt_date(date.fromordinal(e.b), lang)}" for e in w.used)
        ext = t("window.extended", lang, days=fmt_num(w.extended_by_days, lang), start=fmt_date(date.fromordinal(w.start), lang),
                list=items)
        refs += [e.rule.ref for e in w.used]
    text = t("step.window", lang, months=w.months, base=fmt_date(date.fromordinal(w.base_start), lang),
             end=fmt_date(date.fromordinal(w.end), lang), extended=ext,
             count_from=fmt_date(date.fromordinal(r.count_from), lang))
    if w.month_end_adjusted:
        text += t("window.month_end", lang, months=w.months, day=fmt_date(date.fromordinal(w.base_start), lang),
                  reading=t(f"option.month_end.{v.options.month_end}", lang))
    values = dict(w.as_dict())
    values.update({"base_start": _iso(w.base_start), "months": w.months, "count_from": _iso(r.count_from),
                   "extensions": [{"kind": e.kind, "start": _iso(e.a), "end": _iso(e.b), "days": e.days} for e in w.used],
                   "month_end_adjusted": w.month_end_adjusted})
    return _step("window", text, values, lang, *refs)


def _credit_parts(v, wc, lang):
    """The parts of a credit total, in words and as signed figures: each occupation (its
    career lines, or the contract), the capped assimilated days, minus what passes the
    cap of a quarter. ``wc`` is a detailed :class:`~art60kit.credit.WindowCredit`; the
    figures re-add to ``wc.units`` exactly (4 decimals each, as counted)."""
    led, rs = v.ledger, v.rules
    lines_of = {o.key: o.lines for o in led.occupations}
    words, figures = [], []
    for oc in wc.occupations:
        val = oc.units / UNIT
        lines = lines_of.get(oc.key, ())
        if lines == (-1,) or oc.key == "contract":
            words.append(t("part.contract", lang, value=fmt_num(val, lang)))
        else:
            words.append(t("part.line", lang, value=fmt_num(val, lang), n=", ".join(str(i + 1) for i in lines)))
        figures.append(val)
    if wc.capped_units:
        cap = next(iter(rs.caps.values()))[0] if rs.caps else 0
        words.append(t("part.capped", lang, value=fmt_num(wc.capped_units / UNIT, lang), cap=fmt_num(cap, lang)))
        figures.append(wc.capped_units / UNIT)
    text = " + ".join(words) if words else t("part.nothing", lang)
    if wc.edge_cut_units:
        text += " − " + t("part.edge_cut", lang, value=fmt_num(wc.edge_cut_units / UNIT, lang))
        figures.append(-wc.edge_cut_units / UNIT)
    if wc.quarter_excess_units:
        text += " − " + t("part.quarter_excess", lang, value=fmt_num(wc.quarter_excess_units / UNIT, lang),
                           cap=rs.counting.quarter_cap)
        figures.append(-wc.quarter_excess_units / UNIT)
    return text, figures


def _quarter_bounds(day: date) -> tuple[date, date]:
    m0 = (day.month - 1) // 3 * 3 + 1
    first = date(day.year, m0, 1)
    nxt = date(day.year + 1, 1, 1) if m0 == 10 else date(day.year, m0 + 3, 1)
    return first, nxt - timedelta(days=1)


def _edge_span(rs, line, a: int, b: int) -> tuple[int, int]:
    """The days of a reference period ``[a, b]`` (ordinals) that count a career line's
    work: the period itself, widened to the whole quarter of its first (last) day for
    work known only by its total whose period holds that day and the day before
    (after) it (the quarter-edge rule, before the start quarter's cap)."""
    qe = rs.quarter_edges
    if qe is None or line.kind not in qe.kinds or (line.hours is None and line.days is None):
        return a, b
    s, e = line.start.toordinal(), line.end.toordinal()
    lo = _quarter_bounds(date.fromordinal(a))[0].toordinal() if s < a <= e else a
    hi = _quarter_bounds(date.fromordinal(b))[1].toordinal() if s <= b < e else b
    return lo, hi


def _quarter_edges(v, a: int, b: int, lang):
    """What the quarter-edge rule says of the reference period ``[a, b]`` (ordinals): the
    career lines of work known only by their total that hold its first day and the day
    before (or its last day and the day after), whose days of that whole quarter count
    as inside it, and the start quarter's cap; ``(sentence, values)``, or ``("", None)``
    when no line is concerned."""
    qe = v.rules.quarter_edges
    if qe is None:
        return "", None
    first, last = date.fromordinal(a), date.fromordinal(b)
    qa, qa_end = _quarter_bounds(first)
    qb, qb_end = _quarter_bounds(last)
    start_lines, end_lines = [], []
    for i, line in enumerate(v.case.career):
        if line.kind not in qe.kinds or (line.hours is None and line.days is None):
            continue
        if first > qa and line.start < first <= line.end:
            start_lines.append(i + 1)
        if last < qb_end and line.start <= last < line.end:
            end_lines.append(i + 1)
    if not start_lines and not end_lines:
        return "", None
    out, values = [], {}
    if start_lines:
        most = sum(1 for k in range((qa_end - first).days + 1) if (first + timedelta(k)).weekday() < qe.week_days)
        out.append(t("edges.start", lang, n=", ".join(map(str, start_lines)), quarter=fmt_date(qa, lang),
                     start=fmt_date(first, lang), end=fmt_date(qa_end, lang), most=fmt_num(most, lang),
                     last_day=weekday_name(qe.week_days - 1, lang)))
        values["start_lines"], values["start_quarter_most"] = start_lines, most
    if end_lines:
        out.append(t("edges.end", lang, n=", ".join(map(str, end_lines)), end=fmt_date(last, lang),
                     quarter_end=fmt_date(qb_end, lang)))
        values["end_lines"] = end_lines
    return " ".join(out), values


def _detailed_credit(v, a, b, edges=False):
    """The detailed credit of ``[a, b]`` as the admissibility check counts it
    (``edges``: a reference period, under the quarter-edge rule)."""
    led, o = v.ledger, v.options
    ab = led.abroad_ok(v.request_date.toordinal(), o.rounding)
    return led.credit(a, b, o.rounding, detail=True, abroad_ok=ab, edges=edges)


def _state(required, counted, lang):
    miss = max(0, required - counted)
    return t("cond.state_missing", lang, n=fmt_num(miss, lang)) if miss else t("cond.state_ok", lang)


def _condition_steps(v, lang):
    steps = []
    rounding = t(f"rounding.{v.options.rounding}", lang)
    for r in v.results:
        c = r.condition
        label = _cond_label(c, lang)
        wc = _detailed_credit(v, r.count_from, r.window.end, edges=True)
        parts_text, figures = _credit_parts(v, wc, lang)
        edges_text, edges_values = _quarter_edges(v, r.count_from, r.window.end, lang)
        values = r.as_dict()
        values["sum"] = _sum(figures, r.units / UNIT)
        if edges_values is not None:
            values["quarter_edges"] = dict(edges_values, cut=wc.edge_cut_units / UNIT)
        state_parts = [t("cond.part_main", lang, required=fmt_num(r.required, lang), months=c.months,
                         counted=fmt_num(r.counted, lang), state=_state(r.required, r.counted, lang))]
        if c.past_days is not None or c.eight_for_one_target is not None:
            pw = _detailed_credit(v, r.past_start, r.past_end) if r.past_start is not None else None
            past_text, past_fig = _credit_parts(v, pw, lang) if pw is not None else (t("part.nothing", lang), [])
            values["past_sum"] = _sum(past_fig, r.past_units / UNIT)
            if not past_fig:
                found = fmt_num(r.past_counted, lang)
            elif len(past_fig) == 1 and r.past_units % UNIT == 0:
                found = past_text  # one whole part: "132 (line 1)"
            else:
                found = f"{fmt_num(r.past_counted, lang)} ({fmt_num(r.past_units / UNIT, lang)} = {past_text})"
            if c.past_days is not None and r.past_reduced:
                label += t("cond.past", lang, past_days=fmt_num(c.past_days, lang), years=c.past_years)
                state_parts.append(_past_reduced(c, r, found, lang))
            elif c.past_days is not None:
                label += t("cond.past", lang, past_days=fmt_num(c.past_days, lang), years=c.past_years)
                state_parts.append(t("cond.part_past", lang, required=fmt_num(c.past_days, lang), years=c.past_years,
                                     counted=found, state=_state(c.past_days, r.past_counted, lang)))
            else:
                label += t("cond.e41", lang, target=fmt_num(c.eight_for_one_target, lang), years=c.past_years)
                state_parts.append(t("cond.e41_detail", lang, past=found, years=c.past_years,
                                     required=fmt_num(r.required, lang)))
        if r.satisfied and len(state_parts) == 1:
            outcome = t("outcome.met", lang)
        elif r.satisfied:
            outcome = t("outcome.met", lang) + " (" + t("sep.semicolon", lang).join(state_parts) + ")"
        else:
            outcome = t("outcome.not_met", lang, parts=t("sep.semicolon", lang).join(state_parts))
        text = t("step.condition", lang, label=label, parts=parts_text, exact=fmt_num(r.units / UNIT, lang),
                 rounding=rounding, counted=fmt_num(r.counted, lang), outcome=outcome)
        if edges_text:
            text += " " + edges_text
        steps.append(_step(f"condition.{c.id}", text, values, lang, c.ref, v.rules.past_ref if c.uses_past else None,
                           c.late_start.ref if r.past_reduced else None,
                           v.rules.quarter_edges.ref if edges_text else None))
    return steps


def _past_reduced(c, r, found, lang):
    """The past part of a condition whose career began inside the past period: the days
    required and how they were computed (the career's first day, the end of the period,
    the working days counted, the share)."""
    late = c.late_start
    share = t("share.half", lang) if (late.numerator, late.denominator) == (1, 2) else \
        t("share.fraction", lang, num=late.numerator, den=late.denominator)
    return t("cond.past_reduced", lang, required=fmt_num(r.past_required, lang), years=c.past_years,
             past_days=fmt_num(c.past_days, lang), start=fmt_date(date.fromordinal(r.career_start), lang),
             end=fmt_date(date.fromordinal(r.past_end), lang), n=fmt_num(r.working_days, lang), share=share,
             last_day=weekday_name(late.week_days - 1, lang), counted=found,
             state=_state(r.past_required, r.past_counted, lang))


def rule_set_title(rs, lang: str) -> str:
    """The public name of a rule set in ``lang`` (French if the rule data lacks it)."""
    return rs.title.get(lang) or rs.title.get("fr") or next(iter(rs.title.values()))


def _head_steps(case, v, lang):
    c = case.contract
    per_week = float(Fraction(6) * Fraction(str(c.q)) / Fraction(str(c.full_time_hours)))
    rs = v.rules
    steps = [_step("case", t("step.case", lang, case_id=case.case_id, birth=fmt_date(case.person.birth_date, lang),
                             start=fmt_date(c.start, lang), dpw=fmt_num(c.days_per_week, lang),
                             q=fmt_num(c.q, lang), s=fmt_num(c.full_time_hours, lang),
                             credit_per_week=fmt_num(per_week, lang)),
                   {"case_id": case.case_id, "birth_date": case.person.birth_date.isoformat(),
                    "contract_start": c.start.isoformat(), "days_per_week": c.days_per_week,
                    "weekly_hours": c.q, "full_time_hours": c.full_time_hours},
                   lang, rs.counting.ref)]
    steps.append(_step("rules", t("step.rules", lang, request=fmt_date(v.request_date, lang),
                                  title=rule_set_title(rs, lang)),
                       {"rules": rs.id, "request_date": v.request_date.isoformat(),
                        "valid_from": rs.valid_from.isoformat(),
                        "valid_until": rs.valid_until.isoformat() if rs.valid_until else None},
                       lang, rs.validity_ref, rs.regime_ref))
    if v.category:
        steps.append(_step("age", t("step.age", lang, request=fmt_date(v.request_date, lang), age=v.age,
                                    category=t("cat." + v.category, lang)),
                           {"age": v.age, "age_category": v.category}, lang, rs.age_ref))
    else:
        steps.append(_step("age", t("step.age_none", lang, request=fmt_date(v.request_date, lang), age=v.age,
                                    since=fmt_date(rs.valid_from, lang)),
                           {"age": v.age, "age_category": None}, lang, rs.age_ref))
    return steps


def _warnings(case, v, lang, end=None):
    out = []
    rs = v.rules
    c = case.contract
    if not c.full_time:
        out.append(t("warn.part_time_contract", lang, q=fmt_num(c.q, lang), s=fmt_num(c.full_time_hours, lang)))
    if case.person.prior_admission and not rs.new_days_rule:
        out.append(t("warn.prior_admission_old", lang))
    for i, l in enumerate(case.career):
        if l.kind == "unmapped":
            out.append(t("warn.unmapped", lang, n=i + 1))
    for e in v.ledger.extensions:
        if e.qualifies and e.reason:
            out.append(t("warn.extension", lang, kind=t("kind." + e.kind, lang), start=fmt_date(date.fromordinal(e.a0), lang),
                         reason=_reason(e, lang)))
    if end is not None:
        hol = public_holidays(end, end, lang)
        if hol:
            out.append(t("warn.holiday_end", lang, end=fmt_date(end, lang), name=hol[0][1]))
    return out


def oc_single(wc) -> bool:
    """Whether a contract credit is one plain part (no assimilated days, no cap)."""
    return len(wc.occupations) == 1 and not wc.capped_units and not wc.quarter_excess_units


def rule_set_name(rule_set, lang: str) -> str:
    """The short public name of a rule set ("règles à partir du 01/03/2026"), given the
    rule set or its id; a rule set the catalog does not name is called by its title."""
    from .i18n import has

    rid = getattr(rule_set, "id", rule_set)
    if has(f"ruleset.{rid}"):
        return t(f"ruleset.{rid}", lang)
    return rule_set_title(rule_set, lang) if hasattr(rule_set, "title") else str(rid)


def _contract_step(plan, wc, lang):
    """Days to work: the contract's credit from its start to the end date, every part
    shown (whole periods, work days at the daily rate, assimilated days during the
    contract within their yearly cap, what passes the quarter cap) and the rounding."""
    case, v = plan.case, plan.verdict
    rs, led = v.rules, v.ledger
    from .rules import behaviours

    reading = behaviours.get("crediting", plan.options.crediting).fn(rs.counting)
    quarterly = reading.period == "quarter"
    full_days = reading.days
    words, figures = [], []
    for oc in wc.occupations:
        full_val = oc.full_periods * full_days
        if oc.full_periods:
            words.append(t("part.full_periods", lang, full=oc.full_periods,
                           period=t("period.quarter" if quarterly else "period.month", lang),
                           full_days=full_days, value=fmt_num(full_val, lang)))
            figures.append(full_val)
        if oc.pattern_days or not oc.full_periods:
            pat_val = oc.units / UNIT - full_val
            words.append(t("part.pattern", lang, pattern=fmt_num(oc.pattern_days, lang),
                           rate=fmt_num(float(led.contract.rate), lang), value=fmt_num(pat_val, lang)))
            figures.append(pat_val)
    if wc.capped_units:
        cap = next(iter(rs.caps.values()))[0] if rs.caps else 0
        words.append(t("part.capped", lang, value=fmt_num(wc.capped_units / UNIT, lang), cap=fmt_num(cap, lang)))
        figures.append(wc.capped_units / UNIT)
    if len(figures) == 1 and oc_single(wc):
        # one part only: its formula gives the total directly ("125 work days × 1.2")
        o = wc.occupations[0]
        words = [t("part.full_periods.bare", lang, full=o.full_periods, full_days=full_days,
                   period=t("period.quarter" if quarterly else "period.month", lang)) if o.full_periods
                 else t("part.pattern.bare", lang, pattern=fmt_num(o.pattern_days, lang),
                        rate=fmt_num(float(led.contract.rate), lang))]
    parts = " + ".join(words) if words else t("part.nothing", lang)
    if reading.contract_week == "mon_sat":
        parts += " " + t("part.mon_sat", lang)
    if wc.quarter_excess_units:
        parts += " − " + t("part.quarter_excess", lang, value=fmt_num(wc.quarter_excess_units / UNIT, lang),
                            cap=rs.counting.quarter_cap)
        figures.append(-wc.quarter_excess_units / UNIT)
    oc = next((o for o in wc.occupations if o.key == "contract"), None)
    text = t("step.contract", lang, start=fmt_date(case.contract.start, lang), end=fmt_date(plan.end_date, lang),
             parts=parts, units=fmt_num(wc.units / UNIT, lang),
             rounding=t(f"rounding.{plan.options.rounding}", lang), days=plan.days_to_work)
    values = {"contract_units": round(wc.units / UNIT, 4), "days_to_work": plan.days_to_work,
              "full_periods": oc.full_periods if oc else 0, "pattern_days": oc.pattern_days if oc else 0,
              "rate_per_day": round(float(led.contract.rate), 6), "capped_units": wc.capped_units / UNIT,
              "quarter_excess": wc.quarter_excess_units / UNIT, "sum": _sum(figures, wc.units / UNIT)}
    return _step("contract", text, values, lang, rs.counting.ref)


def plan_steps(plan, lang: str = "en") -> list[Step]:
    """The ordered explanation of a :class:`~art60kit.planner.Plan`."""
    case, v = plan.case, plan.verdict
    steps = _head_steps(case, v, lang)
    if v.rules.new_days_rule and case.person.prior_admission:
        steps.append(_step("new_days", t("step.new_days", lang, prior=fmt_date(case.person.prior_admission, lang)),
                           {"prior_admission": case.person.prior_admission.isoformat()}, lang, v.rules.new_days_ref))
    steps += _line_steps(case, v, lang)
    steps += derived_steps(plan, lang)  # lines the law adds (art60kit.derived_lines)
    steps.append(_window_step(v, lang))
    rs = v.rules
    for j, ev in enumerate(case.contract.events):
        rule = rs.kind(ev.kind)
        steps.append(_step(f"event.{j + 1}", t("step.event", lang, kind=_kind_label(ev.kind, lang),
                                               start=fmt_date(ev.start, lang), end=fmt_date(ev.end, lang),
                                               treatment=_treatment_label(rule, rs, lang)),
                           {"kind": ev.kind, "start": ev.start.isoformat(), "end": ev.end.isoformat(),
                            "treatment": rule.treatment}, lang, rule.ref))
    if plan.end_date is not None:
        led = v.ledger
        wc = led.contract_credit(plan.end_date.toordinal(), plan.options.rounding, detail=True)
        steps.append(_contract_step(plan, wc, lang))
    steps += _condition_steps(v, lang)
    if plan.dispense_de_stage:
        steps.append(dispense_step(plan, lang))
    elif plan.already_admissible:
        r = v.holds
        steps.append(_step("already_admissible", t("step.already", lang, start=fmt_date(case.contract.start, lang),
                                                    label=_cond_label(r.condition, lang)),
                           {"already_admissible": True}, lang, r.condition.ref))
    elif not plan.reachable:
        steps.append(Step("unreachable", t("step.unreachable", lang, years=12), {"reachable": False}, ""))
    else:
        r = v.holds
        steps.append(_step("end_date", t("step.end", lang, end=fmt_date(plan.end_date, lang),
                                         request=fmt_date(plan.request_date, lang),
                                         label=_cond_label(r.condition, lang), days=plan.days_to_work),
                           {"end_date": plan.end_date.isoformat(), "request_date": plan.request_date.isoformat(),
                            "days_to_work": plan.days_to_work, "condition": r.condition.id},
                           lang, r.condition.ref, v.rules.regime_ref))
        if plan.naive_end_date and plan.naive_end_date != plan.end_date:
            diff = (plan.end_date - plan.naive_end_date).days
            key = "step.naive" if diff > 0 else "step.naive_later"
            steps.append(_step("naive", t(key, lang, naive=fmt_date(plan.naive_end_date, lang), diff=abs(diff)),
                               {"naive_end_date": plan.naive_end_date.isoformat(), "difference_days": diff},
                               lang, r.condition.ref))
    steps += beside_steps(plan, lang)
    if plan.sensitivity:
        for s in plan.sensitivity:
            steps.append(Step(f"option.{s.option}", t(
                "step.option", lang, option=t(f"option.{s.option}", lang),
                value=option_value(s.option, s.value, lang, plan.verdict.rules),
                current=option_value(s.option, getattr(plan.options, s.option), lang, plan.verdict.rules),
                end=fmt_date(s.end_date, lang), days=s.days_to_work if s.days_to_work is not None else "—"),
                {"option": s.option, "value": s.value, "current": getattr(plan.options, s.option),
                 "end_date": s.end_date.isoformat() if s.end_date else None,
                 "days_to_work": s.days_to_work}, t("ref.certainty.U", lang)))
    else:
        opts = t("sep.semicolon", lang).join(option_words(k, v_, lang, plan.verdict.rules)
                                             for k, v_ in plan.options.as_dict().items())
        steps.append(Step("options", t("step.options_none", lang, options=opts), plan.options.as_dict(), ""))
    return steps


def _reason(e, lang) -> str:
    """Why an extending period does not extend, in the reader's language."""
    key = f"reason.{e.reason}"
    return t(key, lang) if has(key) else extension_reason(e.reason, lang)


def _unknown_warnings(plan, lang) -> list[str]:
    """Periods whose extension condition the case cannot decide: the end date assumes
    they do not extend; the other reading's end date (planned too) is given when it
    differs."""
    out = []
    alt = plan.alternatives[0] if plan.alternatives else None
    seen = set()
    for e in plan.verdict.ledger.extensions:
        if not e.undetermined or e.line in seen:
            continue
        seen.add(e.line)
        values = dict(kind=_kind_label(e.kind, lang), start=fmt_date(date.fromordinal(e.a0), lang),
                      reason=_reason(e, lang))
        if alt is not None and alt.already_admissible:
            out.append(t("warn.situation_unknown_admissible", lang, **values))
        elif alt is not None:
            out.append(t("warn.situation_unknown", lang, end=fmt_date(alt.end_date, lang),
                         days=alt.days_to_work, **values))
        else:
            out.append(t("warn.situation_unknown_same", lang, **values))
    return out


def plan_warnings(plan, lang="en") -> list[str]:
    return (case_warnings(plan.case, lang) + _warnings(plan.case, plan.verdict, lang, plan.end_date)
            + _unknown_warnings(plan, lang) + beside_warnings(plan, lang) + derived_warnings(plan, lang))


def case_warnings(case, lang: str) -> list[str]:
    """The warnings found when the case was read, in ``lang``, the field named in words."""
    from .messages import field_words, message_text

    sep = " : " if lang == "fr" else ": "
    return [f"{field_words(w.path, lang)}{sep}{message_text(w.message, lang)}" if hasattr(w, "message") else str(w)
            for w in case.warnings]


def check_steps(verdict, lang: str = "en") -> list[Step]:
    """The ordered explanation of a :class:`~art60kit.admissibility.Verdict`."""
    case, v = verdict.case, verdict
    steps = _head_steps(case, v, lang)
    if v.rules.new_days_rule and case.person.prior_admission:
        steps.append(_step("new_days", t("step.new_days", lang, prior=fmt_date(case.person.prior_admission, lang)),
                           {"prior_admission": case.person.prior_admission.isoformat()}, lang, v.rules.new_days_ref))
    steps += _line_steps(case, v, lang)
    steps += derived_steps(verdict, lang)  # lines the law adds (art60kit.derived_lines)
    steps.append(_window_step(v, lang))
    steps += _condition_steps(v, lang)
    return steps


# ---------------------------------------------------------------------------- renderers

def needs_legend(steps, lang: str) -> bool:
    """Whether a reference states a degree of certainty, so the legend must follow."""
    words = (t("ref.certainty.I", lang), t("ref.certainty.U", lang))
    return any(w in s.reference for s in steps for w in words)


def to_text(steps, title: str = "", warnings=(), lang: Optional[str] = None) -> str:
    lines = [title, "=" * len(title), ""] if title else []
    for i, s in enumerate(steps, 1):
        lines.append(f"{i:>2}. {s.text}")
        if s.reference:
            lines.append(f"    [{s.reference}]")
    if warnings:
        lines += ["", "!", *[f"  - {w}" for w in warnings]]
    if lang and needs_legend(steps, lang):
        lines += ["", legend(lang)]
    return "\n".join(lines)


def to_markdown(steps, title: str = "", warnings=(), lang: str = "en") -> str:
    out = [f"## {title}", ""] if title else []
    out += [f"| # | {t('col.text', lang)} | {t('col.reference', lang)} |", "|---|---|---|"]
    for i, s in enumerate(steps, 1):
        ref = s.reference.replace('|', '/')
        if s.links:
            ref += " " + " ".join(f"[↗]({u})" for _, u in s.links)
        out.append(f"| {i} | {s.text.replace('|', '/')} | {ref} |")
    if warnings:
        out += ["", f"**{t('title.warnings', lang)}**", ""] + [f"- {w}" for w in warnings]
    if needs_legend(steps, lang):
        out += ["", f"*{legend(lang)}*"]
    return "\n".join(out)


def to_html(steps, title: str = "", warnings=(), lang: str = "en") -> str:
    e = html.escape

    def ref_cell(s):
        links = "".join(f' <a href="{e(u)}" title="{e(a)}">↗</a>' for a, u in s.links)
        return f"<small>{e(s.reference)}{links}</small>"

    rows = "".join(f"<tr><td>{i}</td><td>{e(s.text)}</td><td>{ref_cell(s)}</td></tr>"
                   for i, s in enumerate(steps, 1))
    w = ""
    if warnings:
        w = f"<p><strong>{e(t('title.warnings', lang))}</strong></p><ul>" + "".join(f"<li>{e(x)}</li>" for x in warnings) + "</ul>"
    foot = f"<p><small>{e(legend(lang))}</small></p>" if needs_legend(steps, lang) else ""
    head = f"<h3>{e(title)}</h3>" if title else ""
    return (f'<div class="art60kit-explanation" lang="{lang}">{head}<table><thead><tr><th>#</th>'
            f"<th>{e(t('col.text', lang))}</th><th>{e(t('col.reference', lang))}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{w}{foot}</div>")


def to_dataframe(steps, lang: str = "en"):
    import pandas as pd

    return pd.DataFrame([{"id": s.id, t("col.text", lang): s.text, t("col.reference", lang): s.reference}
                         for s in steps])
