"""Explanation steps and warnings for the figures beside the end date
(:mod:`art60kit.right`): the right the request opens, the dispense from the stage and
the subsidy limit. They read the plan's :class:`~art60kit.right.Beside`; nothing is
recomputed here.
"""
from __future__ import annotations

from .i18n import fmt_date, fmt_num, t


def _step(*args, **kw):
    from .explain import Step

    return Step(*args, **kw)


def _next_rules_from(plan, day):
    """The first day of the rule set that follows the one in force on ``day`` (the
    rules that limit the right in time). A simulation's book may hold only the earlier
    rule set: the day is then a fact of the law, which the shipped rule book states."""
    from .rules import default_rulebook

    for book in (plan.book, default_rulebook()):
        if book is not None and book.next_change(day) is not None:
            return book.next_change(day)
    return default_rulebook().latest_change


def _art114(lang: str) -> str:
    from .citations import Citation, render

    return render(Citation(act="ar", art="114", by="lp2025"), lang)


def dispense_step(plan_or_dispense, lang: str):
    """The dispense's step, for a plan (its ``beside.dispense``) or a
    :class:`~art60kit.right.Dispense` (a check at a request date)."""
    d = getattr(getattr(plan_or_dispense, "beside", None), "dispense", None) or plan_or_dispense
    return _step("dispense_de_stage", t("step.dispense", lang, request=fmt_date(d.request_date, lang),
                                        end=fmt_date(d.previous_right_end, lang)),
                 {"dispense_de_stage": True, "request_date": d.request_date.isoformat(),
                  "previous_right_end": d.previous_right_end.isoformat()}, d.ref.render(lang))


def beside_steps(plan, lang: str) -> list:
    """The right's step and the subsidy's step (after the end date)."""
    b = plan.beside
    if b is None or b.dispense is not None:
        return []
    out = []
    r = b.right
    if r is not None:
        from .right import beside_rules

        rr = beside_rules(plan.book.for_date(r.request_date)).right if plan.book else None
        if not r.computed:
            since = fmt_date(_next_rules_from(plan, r.request_date), lang)
            out.append(_step("right", t("step.right_old_rules", lang, since=since), r.as_dict(), _art114(lang)))
        elif not r.limited:
            ref = rr.unlimited[r.exemption].render(lang) if rr and r.exemption in rr.unlimited else ""
            if r.exemption == "age_55_career" and rr:
                ref = ref + t("sep.semicolon", lang) + rr.age_55_ref.render(lang)
            out.append(_step("right", t("step.right_unlimited", lang, request=fmt_date(r.request_date, lang),
                                        why=t("exempt." + r.exemption, lang)), r.as_dict(), ref))
        else:
            n = lambda x: fmt_num(x, lang)  # noqa: E731
            used = t("right.used", lang, used=n(r.days_used_before)) if r.days_used_before else ""
            out.append(_step("right", t(
                "step.right", lang, request=fmt_date(r.request_date, lang), base=r.base_months,
                extra=r.extra_months, months=r.months, end=fmt_date(r.end, lang), past=n(r.past_days),
                admission=n(r.days_for_admission), used=used, spare=n(r.days_for_extension),
                per=n(rr.days_per_extra_month), raw=n(r.days_for_extension // rr.days_per_extra_month),
                max=rr.max_extra_months), r.as_dict(),
                t("sep.semicolon", lang).join(x.render(lang) for x in (rr.base_ref, rr.extension_ref, rr.used_for_admission_ref))))
    s = b.subsidy
    if s.covered_until is not None:
        text = t("step.subsidy", lang, end=fmt_date(s.covered_until, lang))
        ref = b.federal_ref.render(lang)
        if s.region_limit is not None:
            if s.region_limit.limit == "years":
                start = plan.case.contract.work_experience_start or plan.case.contract.start
                text += t("subsidy." + s.region, lang, years=s.region_limit.years, start=fmt_date(start, lang),
                          until=fmt_date(s.region_until, lang))
            else:
                text += t("subsidy." + s.region, lang)
            ref += t("sep.semicolon", lang) + s.region_limit.ref.render(lang)
        out.append(_step("subsidy", text, s.as_dict(), ref))
    return out


def beside_warnings(plan, lang: str) -> list[str]:
    """A contract planned past what the subsidy covers; a 55+ person whose career years
    the case does not give; an earlier right under the old dispense rule."""
    b = plan.beside
    if b is None:
        return []
    out = []
    case = plan.case
    if b.dispense is None and case.person.previous_right_end is not None \
            and case.contract.start <= case.person.previous_right_end:
        since = fmt_date(_next_rules_from(plan, case.contract.start), lang)
        out.append(t("warn.dispense_old_rules", lang, since=since))
    r = b.right
    if r is not None and r.computed and r.career_years_missing:
        out.append(t("warn.right_55", lang, age=r.age, need=r.career_years_needed))
    s = b.subsidy
    if s.planned_end is not None and (b.dispense is not None or plan.already_admissible):
        out.append(t("warn.subsidy_no_contract", lang, planned=fmt_date(s.planned_end, lang)))
    elif s.days_beyond:
        out.append(t("warn.subsidy_beyond", lang, planned=fmt_date(s.planned_end, lang), n=s.days_beyond,
                     end=fmt_date(s.covered_until, lang)))
    if s.end_beyond_region:
        out.append(t("warn.region_end", lang, end=fmt_date(s.covered_until, lang),
                     until=fmt_date(s.region_until, lang), years=s.region_limit.years))
    elif s.planned_beyond_region:
        out.append(t("warn.region_planned", lang, planned=fmt_date(s.planned_end, lang),
                     until=fmt_date(s.region_until, lang)))
    return out
