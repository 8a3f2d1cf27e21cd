"""Explanation steps and warnings for the career lines the law adds to a case
(:mod:`art60kit.derived_lines`): student hours beyond the yearly quota, public holidays
paid after a job ends. They read the notes of the plan's case (``case.derivation``);
nothing is recomputed here.
"""
from __future__ import annotations

from .i18n import fmt_date, fmt_num, t


def _step(id_, text, values, reference):
    from .explain import Step

    return Step(id_, text, values, reference)


def _refs(lang, *refs) -> str:
    from .citations import cite_refs

    return cite_refs(lang, *refs)[0]


def derived_steps(plan, lang: str) -> list:
    """For a plan or a verdict (anything with ``case`` and ``options``): one step per student line with hours (per calendar year) and per job whose end
    gives holiday pay, in the order of the case file."""
    d = getattr(plan.case, "derivation", None)
    if d is None:
        return []
    out = []
    for n in d.student:
        if n.hours is None:
            continue
        values = {"line": n.line, "year": n.year, "hours": round(float(n.hours), 4), "quota": n.quota,
                  "beyond_hours": round(float(n.beyond), 4),
                  "beyond_from": n.beyond_from.isoformat() if n.beyond_from else None,
                  "added_line": n.added}
        if n.quota is None:
            text = t("derived.student_no_quota", lang, n=n.line + 1, year=n.year, hours=fmt_num(n.hours, lang))
        elif n.beyond:
            text = t("derived.student_beyond", lang, n=n.line + 1, year=n.year, hours=fmt_num(n.hours, lang),
                     quota=fmt_num(n.quota, lang), beyond=fmt_num(n.beyond, lang),
                     start=fmt_date(n.beyond_from, lang), added=n.added + 1)
        else:
            text = t("derived.student_within", lang, n=n.line + 1, year=n.year, hours=fmt_num(n.hours, lang),
                     quota=fmt_num(n.quota, lang))
        if n.doubt is not None and n.quota is not None:
            other = _other_quota(plan, n.year)
            if other is not None:
                text += " " + t("derived.student_doubt", lang, year=n.year, other=fmt_num(other, lang))
                values["quota_other_reading"] = other
        out.append(_step(f"derived.student.{n.line + 1}.{n.year}", text, values, _refs(lang, d.student_ref, n.doubt)))
    for n in d.holidays:
        line = d.original.career[n.line]
        values = {"line": n.line, "end_reason": n.reason, "service_days": n.service, "days_after": n.days_after,
                  "public_holidays": [x.isoformat() for x in n.holidays],
                  "added_lines": list(n.added),
                  "not_counted": [{"date": x.isoformat(), "why": why} for x, why in n.skipped]}
        if n.holidays:
            days = ", ".join(f"{fmt_date(x, lang)} ({t('derived.line', lang, n=i + 1)})"
                             for x, i in zip(n.holidays, n.added))
            text = t("derived.holidays", lang, n=n.line + 1, end=fmt_date(line.end, lang),
                     reason=t(f"end_reason.{n.reason}", lang), service=n.service, k=n.days_after, days=days)
        else:
            text = t("derived.holidays_none", lang, n=n.line + 1, end=fmt_date(line.end, lang),
                     reason=t(f"end_reason.{n.reason}", lang), service=n.service, k=n.days_after)
        if n.skipped:
            text += " " + t("derived.holidays_skipped", lang, days=", ".join(
                f"{fmt_date(x, lang)} ({t(f'derived.skip.{why}', lang)})" for x, why in n.skipped))
        out.append(_step(f"derived.holidays.{n.line + 1}", text, values, _refs(lang, d.holiday_ref)))
    return out


def _other_quota(plan, year: int):
    from .derived_lines import law_data
    from .rules import default_rulebook

    sq = law_data(getattr(plan, "book", None) or default_rulebook()).student_quota
    other = "kept" if plan.options.student_quota == "reverted" else "reverted"
    return sq.hours(year, other) if sq is not None else None


def derived_warnings(plan, lang: str) -> list[str]:
    """A student line without hours: it is read as within the quota (nothing counts)."""
    d = getattr(plan.case, "derivation", None)
    if d is None:
        return []
    return [t("warn.student_no_hours", lang, n=n.line + 1, year=n.year, quota=fmt_num(n.quota, lang))
            for n in d.student if n.hours is None]
