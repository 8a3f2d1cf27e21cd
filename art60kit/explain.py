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

from .credit import UNIT, build_ledger, contract_credit, window_credit, _line_rate, _line_mask
from .dates import count_pattern_ordinals, public_holidays
from .i18n import fmt_date, fmt_num, has, t
from .right_explain import beside_steps, beside_warnings, dispense_step


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    values: dict = field(default_factory=dict)
    reference: str = ""

    def as_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "values": self.values, "reference": self.reference}


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
        src = f" [{line.source}{': ' + line.source_ref if line.source_ref else ''}]" if line.source else ""
        formula = ""
        values = {"line": i, "kind": line.kind, "treatment": rule.treatment,
                  "start": line.start.isoformat(), "end": line.end.isoformat(),
                  "source": line.source, "source_ref": line.source_ref}
        in_window = t("in_window.none", lang)
        if rule.credits:
            mask = _line_mask(line, cnt.default_days_per_week)
            rate = _line_rate(line, mask, cnt.default_days_per_week, cnt.default_full_time_hours)
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
                formula = t("formula.regime", lang, n=n_all, r=fmt_num(r_, lang), qs=qs, value=fmt_num(total, lang))
            # paid public holidays are located only for a regime line; a total of hours or
            # days is the declared figure, holidays included or not
            hol = [(d, name) for d, name in public_holidays(line.start, line.end, lang)
                   if mask >> d.weekday() & 1] if line.measure == "regime" else []
            if hol:
                formula += t("formula.holidays", lang, list=", ".join(f"{fmt_date(d, lang)} {n}" for d, n in hol))
            n_in = count_pattern_ordinals(max(a, wa), min(b, wb), mask) if b >= wa and a <= wb else 0
            if n_in:
                in_window = t("days", lang, n=fmt_num(float(rate * n_in), lang))
            values.update({"credit_total": round(total, 4), "credit_in_window": round(float(rate * n_in), 4),
                           "rate_per_day": round(float(rate), 6), "public_holidays": [d.isoformat() for d, _ in hol]})
        elif rule.treatment == "extends":
            e = ext_by_line.get(i)
            if e is not None and e.qualifies:
                formula = t("formula.extension", lang, days=e.days, start=fmt_date(date.fromordinal(e.a), lang),
                            end=fmt_date(date.fromordinal(e.b), lang))
                used = any(u.line == i for u in r.window.used)
                values.update({"extension_days": e.days, "used": used})
                if used:
                    in_window = t("treatment.extends", lang)
            elif e is not None:
                formula = t("formula.not_qualifying", lang, reason=_reason(e, lang))
        text = t("step.line", lang, n=i + 1, kind=_kind_label(line.kind, lang) + src,
                 start=fmt_date(line.start, lang), end=fmt_date(line.end, lang), employer=emp,
                 treatment=_treatment_label(rule, rs, lang), formula=formula, in_window=in_window)
        steps.append(Step(f"line.{i + 1}", text, values, rule.ref.label()))
    return steps


def _window_step(v, lang):
    r = v.closest
    w = r.window
    rs = v.rules
    ext = ""
    refs = [rs.conditions[0].ref.reference.split(" al.")[0] + " (date to date: rules.md Part 2 Q2)"]
    if w.used:
        items = ", ".join(f"{t('kind.' + e.kind, lang)} {fmt_date(date.fromordinal(e.a), lang)}–"
                          f"{fmt_date(date.fromordinal(e.b), lang)}" for e in w.used)
        ext = t("window.extended", lang, days=w.extended_by_days, start=fmt_date(date.fromordinal(w.start), lang),
                list=items)
        refs += [e.rule.ref.label() for e in w.used]
    text = t("step.window", lang, months=w.months, base=fmt_date(date.fromordinal(w.base_start), lang),
             end=fmt_date(date.fromordinal(w.end), lang), extended=ext,
             count_from=fmt_date(date.fromordinal(r.count_from), lang))
    if w.month_end_adjusted:
        text += t("window.month_end", lang, months=w.months, day=fmt_date(date.fromordinal(w.base_start), lang),
                  option=v.options.month_end)
    values = dict(w.as_dict())
    values.update({"base_start": _iso(w.base_start), "months": w.months, "count_from": _iso(r.count_from),
                   "extensions": [{"kind": e.kind, "start": _iso(e.a), "end": _iso(e.b), "days": e.days} for e in w.used],
                   "month_end_adjusted": w.month_end_adjusted})
    return Step("window", text, values, "; ".join(refs))


def _condition_steps(v, lang):
    steps = []
    for r in v.results:
        c = r.condition
        label = _cond_label(c, lang)
        if c.past_days is not None:
            label += t("cond.past", lang, past_days=c.past_days, years=c.past_years, past_counted=r.past_counted)
        elif c.eight_for_one_target is not None:
            label += t("cond.e41", lang, target=c.eight_for_one_target, years=c.past_years,
                       past_counted=r.past_counted, required=r.required)
        outcome = t("outcome.met", lang) if r.satisfied else t("outcome.missing", lang, missing=r.missing)
        text = t("step.condition", lang, label=label, counted=r.counted, exact=fmt_num(r.units / UNIT, lang),
                 required=r.required, outcome=outcome)
        steps.append(Step(f"condition.{c.id}", text, r.as_dict(), c.ref.label()))
    return steps


def _head_steps(case, v, lang):
    c = case.contract
    per_week = float(Fraction(6) * Fraction(str(c.q)) / Fraction(str(c.full_time_hours)))
    steps = [Step("case", t("step.case", lang, case_id=case.case_id, birth=fmt_date(case.person.birth_date, lang),
                            start=fmt_date(c.start, lang), dpw=fmt_num(c.days_per_week, lang),
                            q=fmt_num(c.q, lang), s=fmt_num(c.full_time_hours, lang),
                            credit_per_week=fmt_num(per_week, lang)),
                  {"case_id": case.case_id, "birth_date": case.person.birth_date.isoformat(),
                   "contract_start": c.start.isoformat(), "days_per_week": c.days_per_week,
                   "weekly_hours": c.q, "full_time_hours": c.full_time_hours},
                  "AM 26/11/1991 art. 7 (six-day regime); rules.md R-F8")]
    rs = v.rules
    steps.append(Step("rules", t("step.rules", lang, request=fmt_date(v.request_date, lang), title=rs.title.get(lang, rs.id)),
                      {"rules": rs.id, "request_date": v.request_date.isoformat(),
                       "valid_from": rs.valid_from.isoformat(),
                       "valid_until": rs.valid_until.isoformat() if rs.valid_until else None},
                      f"{rs.validity_ref.label()}; {rs.regime_ref.label()}"))
    if v.category:
        steps.append(Step("age", t("step.age", lang, request=fmt_date(v.request_date, lang), age=v.age,
                                   category=t("cat." + v.category, lang)),
                          {"age": v.age, "age_category": v.category}, rs.age_ref.label()))
    else:
        steps.append(Step("age", t("step.age_none", lang, request=fmt_date(v.request_date, lang), age=v.age),
                          {"age": v.age, "age_category": None}, rs.age_ref.label()))
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
            out.append(f"{t('kind.' + e.kind, lang)} {_iso(e.a0)}: {e.reason}")
    if end is not None:
        hol = public_holidays(end, end, lang)
        if hol:
            out.append(t("warn.holiday_end", lang, end=fmt_date(end, lang), name=hol[0][1]))
    return out


def plan_steps(plan, lang: str = "en") -> list[Step]:
    """The ordered explanation of a :class:`~art60kit.planner.Plan`."""
    case, v = plan.case, plan.verdict
    steps = _head_steps(case, v, lang)
    if v.rules.new_days_rule and case.person.prior_admission:
        steps.append(Step("new_days", t("step.new_days", lang, prior=fmt_date(case.person.prior_admission, lang)),
                          {"prior_admission": case.person.prior_admission.isoformat()}, v.rules.new_days_ref.label()))
    steps += _line_steps(case, v, lang)
    steps.append(_window_step(v, lang))
    rs = v.rules
    for j, ev in enumerate(case.contract.events):
        rule = rs.kind(ev.kind)
        steps.append(Step(f"event.{j + 1}", t("step.event", lang, kind=_kind_label(ev.kind, lang),
                                              start=fmt_date(ev.start, lang), end=fmt_date(ev.end, lang),
                                              treatment=_treatment_label(rule, rs, lang)),
                          {"kind": ev.kind, "start": ev.start.isoformat(), "end": ev.end.isoformat(),
                           "treatment": rule.treatment}, rule.ref.label()))
    if plan.end_date is not None:
        led = v.ledger
        wc = contract_credit(led, plan.end_date.toordinal(), plan.options.crediting, plan.options.rounding,
                             detail=True)
        oc = next((o for o in wc.occupations if o.key == "contract"), None)
        quarterly = plan.options.crediting == "quarter78"
        steps.append(Step("contract", t(
            "step.contract", lang, start=fmt_date(case.contract.start, lang), end=fmt_date(plan.end_date, lang),
            units=fmt_num(plan.contract_units / UNIT, lang), full=oc.full_periods if oc else 0,
            period=t("period.quarter" if quarterly else "period.month", lang),
            full_days=rs.counting.full_quarter_days if quarterly else rs.counting.full_month_days,
            pattern=oc.pattern_days if oc else 0, rate=fmt_num(float(led.contract.rate), lang),
            days=plan.days_to_work),
            {"contract_units": round(plan.contract_units / UNIT, 4), "days_to_work": plan.days_to_work,
             "full_periods": oc.full_periods if oc else 0, "pattern_days": oc.pattern_days if oc else 0,
             "rate_per_day": round(float(led.contract.rate), 6), "capped_units": wc.capped_units / UNIT},
            rs.counting.ref.label()))
    steps += _condition_steps(v, lang)
    if plan.dispense_de_stage:
        steps.append(dispense_step(plan, lang))
    elif plan.already_admissible:
        r = v.holds
        steps.append(Step("already_admissible", t("step.already", lang, start=fmt_date(case.contract.start, lang),
                                                   label=_cond_label(r.condition, lang)),
                          {"already_admissible": True}, r.condition.ref.label()))
    elif not plan.reachable:
        steps.append(Step("unreachable", t("step.unreachable", lang, years=12), {"reachable": False}, ""))
    else:
        r = v.holds
        steps.append(Step("end_date", t("step.end", lang, end=fmt_date(plan.end_date, lang),
                                        request=fmt_date(plan.request_date, lang),
                                        label=_cond_label(r.condition, lang), days=plan.days_to_work),
                          {"end_date": plan.end_date.isoformat(), "request_date": plan.request_date.isoformat(),
                           "days_to_work": plan.days_to_work, "condition": r.condition.id},
                          "rules.md R-F8 (end date = first day the credited days reach the target); design.md"))
        if plan.naive_end_date and plan.naive_end_date != plan.end_date:
            diff = (plan.end_date - plan.naive_end_date).days
            key = "step.naive" if diff > 0 else "step.naive_later"
            steps.append(Step("naive", t(key, lang, naive=fmt_date(plan.naive_end_date, lang), diff=abs(diff)),
                              {"naive_end_date": plan.naive_end_date.isoformat(), "difference_days": diff},
                              "rules.md R-A5, R-F8 (sliding window, age change, reform)"))
    steps += beside_steps(plan, lang)
    if plan.sensitivity:
        for s in plan.sensitivity:
            steps.append(Step(f"option.{s.option}", t("step.option", lang, option=s.option, value=s.value,
                                                      current=getattr(plan.options, s.option),
                                                      end=fmt_date(s.end_date, lang), days=s.days_to_work),
                              {"option": s.option, "value": s.value, "current": getattr(plan.options, s.option),
                               "end_date": s.end_date.isoformat() if s.end_date else None,
                               "days_to_work": s.days_to_work},
                              "design.md, interpretation choices; rules.md Part 2 Open points"))
    else:
        opts = ", ".join(f"{k}={v_}" for k, v_ in plan.options.as_dict().items())
        steps.append(Step("options", t("step.options_none", lang, options=opts), plan.options.as_dict(),
                          "design.md, interpretation choices"))
    return steps


def _reason(e, lang) -> str:
    """Why an extending period does not extend, in the reader's language."""
    key = f"reason.{e.reason}"
    return t(key, lang) if has(key) else e.reason


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
    return (list(plan.warnings) + _warnings(plan.case, plan.verdict, lang, plan.end_date)
            + _unknown_warnings(plan, lang) + beside_warnings(plan, lang))


def check_steps(verdict, lang: str = "en") -> list[Step]:
    """The ordered explanation of a :class:`~art60kit.admissibility.Verdict`."""
    case, v = verdict.case, verdict
    steps = _head_steps(case, v, lang)
    if v.rules.new_days_rule and case.person.prior_admission:
        steps.append(Step("new_days", t("step.new_days", lang, prior=fmt_date(case.person.prior_admission, lang)),
                          {"prior_admission": case.person.prior_admission.isoformat()}, v.rules.new_days_ref.label()))
    steps += _line_steps(case, v, lang)
    steps.append(_window_step(v, lang))
    steps += _condition_steps(v, lang)
    return steps


# ---------------------------------------------------------------------------- renderers

def to_text(steps, title: str = "", warnings=()) -> str:
    lines = [title, "=" * len(title), ""] if title else []
    for i, s in enumerate(steps, 1):
        lines.append(f"{i:>2}. {s.text}")
        if s.reference:
            lines.append(f"    [{s.reference}]")
    if warnings:
        lines += ["", "!", *[f"  - {w}" for w in warnings]]
    return "\n".join(lines)


def to_markdown(steps, title: str = "", warnings=(), lang: str = "en") -> str:
    out = [f"## {title}", ""] if title else []
    out += [f"| # | {t('col.text', lang)} | {t('col.reference', lang)} |", "|---|---|---|"]
    for i, s in enumerate(steps, 1):
        out.append(f"| {i} | {s.text.replace('|', '/')} | {s.reference.replace('|', '/')} |")
    if warnings:
        out += ["", f"**{t('title.warnings', lang)}**", ""] + [f"- {w}" for w in warnings]
    return "\n".join(out)


def to_html(steps, title: str = "", warnings=(), lang: str = "en") -> str:
    e = html.escape
    rows = "".join(f"<tr><td>{i}</td><td>{e(s.text)}</td><td><small>{e(s.reference)}</small></td></tr>"
                   for i, s in enumerate(steps, 1))
    w = ""
    if warnings:
        w = f"<p><strong>{e(t('title.warnings', lang))}</strong></p><ul>" + "".join(f"<li>{e(x)}</li>" for x in warnings) + "</ul>"
    head = f"<h3>{e(title)}</h3>" if title else ""
    return (f'<div class="art60kit-explanation" lang="{lang}">{head}<table><thead><tr><th>#</th>'
            f"<th>{e(t('col.text', lang))}</th><th>{e(t('col.reference', lang))}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{w}</div>")


def to_dataframe(steps, lang: str = "en"):
    import pandas as pd

    return pd.DataFrame([{"id": s.id, t("col.text", lang): s.text, t("col.reference", lang): s.reference}
                         for s in steps])
