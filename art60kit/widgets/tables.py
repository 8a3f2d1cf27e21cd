"""The figures of a plan as small tables in the reader's language, for the notebooks.

Each function reads results made by the core (a :class:`~art60kit.planner.Plan`, a
check, a range) and only lays them out: labels from the catalog, dates as DD/MM/YYYY,
decimal comma in French and Dutch. Printing a table (``print(table)``) gives the same
text in every run, which the notebook tests compare.

>>> from art60kit import case_from_dict, plan
>>> p = plan(case_from_dict({"person": {"birth_date": "1995-01-01"}, "contract": {"start": "2024-01-01"}}))
>>> print(plan_table(p, "fr").splitlines()[5])
Date de fin (dernier jour du contrat)     30/12/2024
"""
from __future__ import annotations

from datetime import date, timedelta

from ..i18n import fmt_date, fmt_num, t
from ..explain import rule_set_name
from ..i18n import text


def label(key: str, lang: str, **values) -> str:
    return text(f"widget.{key}", lang, **values)


def _d(v, lang):
    return fmt_date(v, lang) if isinstance(v, date) else ("—" if v is None else str(v))


def _rows(rows) -> str:
    w = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{w}}  {v}" for k, v in rows)


def _category(cat, lang):
    return t(f"cat.{cat}", lang) if cat else text("widget.tab.no_category", lang)


def plan_table(p, lang: str = "fr") -> str:
    """The legal figures of a plan, one a line."""
    L = lambda k, **kw: label(k, lang, **kw)  # noqa: E731
    r = p.verdict.closest
    w = r.window
    rows = [
        (L("tab.case"), p.case.case_id),
        (L("tab.rules"), rule_set_name(p.rules, lang)),
        (L("tab.category"), _category(p.age_category, lang)),
        (L("tab.condition"), L("tab.condition_v", days=r.condition.days, months=r.condition.months, required=r.required)),
        (L("tab.already"), L("tab.yes") if p.already_admissible else L("tab.no")),
        (L("tab.end"), _d(p.end_date, lang)),
        (L("tab.request"), _d(p.request_date, lang)),
        (L("tab.days"), p.days_to_work),
        (L("tab.past"), fmt_num(p.past_units / 10000, lang)),
        (L("tab.window"), L("tab.window_v", a=_d(date.fromordinal(w.start), lang), b=_d(date.fromordinal(w.end), lang),
                             n=w.extended_by_days)),
        (L("tab.naive"), _d(p.naive_end_date, lang)),
    ]
    return _rows(rows)


def career_table(case, lang: str = "fr"):
    """The career lines as a table (DataFrame) with the form's column names."""
    import pandas as pd

    from ..caseio import value_to_data
    rows = []
    for l in case.career:
        row = {text("widget.field.kind", lang): t(f"kind.{l.kind}", lang),
               text("widget.field.start", lang): _d(l.start, lang), text("widget.field.end", lang): _d(l.end, lang),
               text("widget.field.employer", lang): l.employer or ""}
        for f in ("days_per_week", "weekly_hours", "hours", "days"):
            v = getattr(l, f)
            row[text(f"widget.field.{f}", lang)] = "" if v is None else (
                fmt_num(v, lang) if isinstance(v, float) else str(value_to_data(v)))
        rows.append(row)
    return pd.DataFrame(rows)


def windows_table(p, lang: str = "fr") -> str:
    """The window of the closest condition at the contract start, the naive end and
    the true end."""
    from ..viz.data import window_snapshots

    out = []
    for s in window_snapshots(p, book=p.book):
        state = text("widget.tab.admissible", lang) if s.admissible else text("widget.tab.missing", lang, n=s.missing)
        out.append(text("widget.tab.snapshot", lang, which=text(f"widget.tab.which.{s.which}", lang),
                         request=_d(s.request_date, lang), rules=rule_set_name(s.rules, lang),
                         a=_d(s.window_start, lang), b=_d(s.window_end, lang), counted=s.counted,
                         required=s.required, state=state))
    return "\n".join(out)


def extensions_table(p, lang: str = "fr") -> str:
    """The periods that extended the window at the request date."""
    w = p.window
    out = [text("widget.tab.extension", lang, kind=t(f"kind.{e.kind}", lang), a=_d(date.fromordinal(e.a), lang),
                 b=_d(date.fromordinal(e.b), lang), n=e.days, ref=_article(e.rule.ref.reference)) for e in w.used]
    out.append(text("widget.tab.extended", lang, n=w.extended_by_days, a=_d(date.fromordinal(w.base_start), lang),
                     b=_d(date.fromordinal(w.start), lang)))
    return "\n".join(out)


def _article(reference: str) -> str:
    """The article cited by a rule reference, without the comment after it."""
    import re
    return re.match(r"[^(:;]*", reference).group(0).strip()


def age_table(p, lang: str = "fr") -> str:
    """The age and the conditions at the contract start and at the request date."""
    from ..dates import birthday

    out = [text("widget.tab.birthday36", lang, d=_d(birthday(p.case.person.birth_date, 36), lang))]
    for v in (p.start_verdict, p.verdict):
        conds = "; ".join(text("widget.tab.cond_short", lang, days=r.condition.days, months=r.condition.months,
                                counted=r.counted, required=r.required) for r in v.results)
        out.append(text("widget.tab.age_line", lang, d=_d(v.request_date, lang), age=v.age,
                         cat=_category(v.category, lang), conds=conds))
    return "\n".join(out)


def events_table(p, lang: str = "fr") -> str:
    """The contract's events, how the rules treat them, and the end date without and
    with them."""
    from dataclasses import replace

    from ..planner import plan

    case = p.case
    first = plan(replace(case, contract=replace(case.contract, events=())), book=p.book, options=p.options,
                 sensitivity=False)
    out = [text("widget.tab.event", lang, kind=t(f"kind.{ev.kind}", lang), a=_d(ev.start, lang), b=_d(ev.end, lang),
                 tr=t(f"treatment.{tr}", lang, cap=12) if tr != "assimilated_capped" else
                 t("treatment.assimilated_capped", lang, cap=12))
           for ev, tr in zip(case.contract.events, p.verdict.ledger.event_treatment)]
    out.append(text("widget.tab.without_events", lang, end=_d(first.end_date, lang), days=first.days_to_work))
    out.append(text("widget.tab.with_events", lang, end=_d(p.end_date, lang), days=p.days_to_work))
    return "\n".join(out)


def second_calculation(p, lang: str = "fr") -> str:
    """What the second request at the planned end says: admissible or not on the
    planned request date, and until when the contract must run."""
    from dataclasses import replace

    from ..admissibility import check
    from ..planner import plan

    case = p.case
    first = plan(replace(case, contract=replace(case.contract, events=())), book=p.book, options=p.options,
                 sensitivity=False)
    v = check(case, first.request_date, book=p.book, options=p.options)
    r = v.closest
    yes = text("widget.tab.yes", lang) if v.admissible else text("widget.tab.no", lang)
    return "\n".join([
        text("widget.tab.planned", lang, end=_d(first.end_date, lang), request=_d(first.request_date, lang), ok=yes,
              counted=r.counted, required=r.required, missing=r.missing),
        text("widget.tab.second", lang, end=_d(p.end_date, lang), n=(p.end_date - first.end_date).days),
    ])


def options_table(p, lang: str = "fr") -> str:
    """Every interpretation option, each value tried: end date and days to work."""
    from ..explain import option_value
    from ..model import Options
    from ..planner import plan

    out = []
    for opt, values in Options.CHOICES.items():
        for val in values:
            if val == "refuse":
                continue
            q = plan(p.case.with_options(**{opt: val}), book=p.book, sensitivity=False)
            out.append(f"{t('option.' + opt, lang)} — {option_value(opt, val, lang, p.verdict.rules)}: "
                       f"{_d(q.end_date, lang)}, {text('widget.tab.days_n', lang, n=q.days_to_work)}")
    return "\n".join(out)


def breakdown_table(data, lang: str = "fr") -> str:
    """The day breakdown of a plan (``viz.day_breakdown(...).art60kit['data']``)."""
    out = [text("widget.tab.counted", lang, counted=data.counted_end, required=data.required_end)]
    out += [f"  {text('fig.part.' + k, lang)}: {fmt_num(v, lang)}" for k, v in data.at_end.items()]
    out.append(text("widget.tab.not_counted", lang))
    out += [f"  {text('fig.part.' + k, lang)}: {fmt_num(v, lang)}" for k, v in data.not_counted.items()]
    return "\n".join(out)


def range_table(r, lang: str = "fr") -> str:
    """The range of an uncertain case: each uncertain value, the two ends, what weighs most."""
    L = lambda k, **kw: label(k, lang, **kw)  # noqa: E731
    out = [L("tab.range", e1=_d(r.end_min, lang), e2=_d(r.end_max, lang), d1=r.days_min, d2=r.days_max)]
    for i in r.impacts:
        out.append(L("tab.impact", path=_value_name(r.case, i.unknown, lang), n=i.days if i.days is not None else "—"))
    out.append(L("tab.plans", n=r.plans_made))
    return "\n".join(out)


def _value_name(case, u, lang):
    from ..messages import field_words
    return field_words(u.path, lang)
