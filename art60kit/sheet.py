"""The printable answer sheet of a plan (PDF), in French, Dutch, German or English.

One sheet holds what a CPAS keeps in the file and what an inspector checks: the person
(the national register number only when it is given), the contract, every career line
as entered with its source, the result (end date, days to work, the right the request
opens, the subsidy limit), the timeline and the day breakdown, every step of the
calculation with its legal reference, the interpretation options and those that change
the result, the rules applied, the toolkit version, the date of the calculation and a
fingerprint (SHA-256) of the inputs so that two sheets can be compared.

The sheet is HTML laid out for A4 and printed by WeasyPrint into a tagged PDF
(PDF/UA-1: real text with its structure, figures as vector drawings with a text
alternative). :func:`sheet_html` gives the HTML alone (no PDF library needed);
:func:`sheet_pdf` the PDF; :func:`register_version_sheet` the sheet of any version of
a request stored in the register.
"""
from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from . import __version__
from .caseio import case_to_dict
from .explain import needs_legend, option_words, plan_warnings, rule_set_title
from .citations import legend
from .i18n import fmt_date, fmt_num, normalize_lang, t

_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-left { content: var(--foot); font-family: "DejaVu Sans", sans-serif; font-size: 7pt; color: #444; }
        @bottom-right { content: var(--page-word) " " counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif;
                        font-size: 7pt; color: #444; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; line-height: 1.3; color: #111; }
h1 { font-size: 15pt; margin: 0 0 2pt 0; }
h2 { font-size: 11pt; margin: 12pt 0 4pt 0; border-bottom: 1pt solid #0072B2; padding-bottom: 1pt; }
p.sub { margin: 0 0 8pt 0; color: #333; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #999; padding: 2pt 3pt; vertical-align: top; text-align: left; }
th { background: #eef3f8; }
table.kv th { width: 38%; font-weight: normal; background: #f5f5f5; }
.result td.big { font-size: 13pt; font-weight: bold; }
td.n { width: 5%; text-align: right; }
td.ref { width: 34%; font-size: 7.5pt; color: #333; }
figure { margin: 6pt 0; page-break-inside: avoid; }
figure img { width: 100%; }
figcaption { font-size: 8pt; color: #333; }
.small { font-size: 7.5pt; color: #333; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
a { color: #0072B2; text-decoration: none; }
"""


def inputs_hash(plan) -> str:
    """SHA-256 of what determines the result: the case as entered, the options, the rule
    data in force and the toolkit version (canonical JSON). Equal fingerprints mean the
    same inputs; any change to a date, a line, an option or a rule changes it."""
    rules = [rs.raw for rs in plan.book.rule_sets] if plan.book is not None else [plan.verdict.rules.raw]
    from .derived_lines import as_read

    payload = {"case": case_to_dict(as_read(plan.case)), "options": plan.options.as_dict(), "rules": rules,
               "toolkit": __version__}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _v(x, lang) -> str:
    """A value as entered: a date, a number, or an uncertain value with its bounds."""
    from datetime import date as _date

    lo, hi = getattr(x, "lo", None), getattr(x, "hi", None)
    if lo is not None or hi is not None:  # an Interval (art60kit.model)
        if getattr(x, "unknown", False):
            return t("sheet.unknown", lang)
        return t("sheet.range", lang, lo=_v(lo, lang), hi=_v(hi, lang))
    if isinstance(x, _date):
        return fmt_date(x, lang)
    return fmt_num(x, lang)


def _measure(line, lang) -> str:
    if line.hours is not None:
        return t("sheet.measure.hours", lang, hours=_v(line.hours, lang))
    if line.days is not None:
        return t("sheet.measure.days", lang, days=_v(line.days, lang))
    if line.days_per_week is None:
        return ""
    s = t("sheet.measure.regime", lang, dpw=_v(line.days_per_week, lang))
    if line.weekly_hours is not None:
        s += t("sheet.measure.qs", lang, q=_v(line.weekly_hours, lang),
               s=fmt_num(line.full_time_hours if line.full_time_hours is not None else 38, lang))
    return s


def _svg(fig) -> str:
    """A figure as an SVG data URI with its text kept as text (searchable, selectable)."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        fig.savefig(buf, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue().encode("utf-8")).decode("ascii")


def _figures(plan, lang) -> list[tuple[str, str]]:
    """(data URI, caption) of the timeline and the day breakdown; none if matplotlib is
    missing or the plan has no end date to draw."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from .viz import career_timeline, day_breakdown
    except ImportError:  # the sheet stays complete in text without the figures
        return []
    out = []
    fig = career_timeline(plan, lang)
    out.append((_svg(fig), t("sheet.figure.timeline", lang)))
    if plan.end_date is not None:
        fig = day_breakdown(plan, lang)
        out.append((_svg(fig), t("sheet.figure.breakdown", lang)))
    return out


def sheet_html(plan, lang: str = "fr", *, computed_at: Optional[datetime] = None,
               national_number: Optional[str] = None, request: Optional[dict] = None,
               figures: bool = True, entered=None, uncertain: Optional[str] = None) -> str:
    """The sheet as a self-contained HTML document.

    ``request``: the register's identification of the request (``request_id``,
    ``version``, ``cpas``), shown when given. ``national_number``: shown only when
    given (it is never read from the case). ``computed_at``: the date of the
    calculation (now, UTC, if not given). ``entered``: the case as entered when the plan
    is of a resolved uncertain case (its lines are listed with their bounds), with
    ``uncertain`` the range's comment (:mod:`art60kit.uncertain`)."""
    lang = normalize_lang(lang)
    e = html.escape
    case, v = plan.case, plan.verdict
    c = case.contract
    computed_at = computed_at or datetime.now(timezone.utc)
    digest = inputs_hash(plan)
    steps = plan.steps or ()
    title = t("sheet.title", lang)

    def kv(rows):
        return "<table class='kv'>" + "".join(f"<tr><th scope='row'>{e(k)}</th><td>{v_}</td></tr>" for k, v_ in rows
                                              if v_ not in (None, "")) + "</table>"

    # person
    person = [(t("sheet.case_id", lang), e(case.case_id)),
              (t("sheet.birth_date", lang), fmt_date(case.person.birth_date, lang))]
    if national_number:
        person.append((t("sheet.national_number", lang), e(national_number)))
    if case.person.prior_admission:
        person.append((t("sheet.prior_admission", lang), fmt_date(case.person.prior_admission, lang)))
    if getattr(case.person, "previous_right_end", None):
        person.append((t("sheet.previous_right_end", lang), fmt_date(case.person.previous_right_end, lang)))
    if request:
        if request.get("request_id") is not None:
            person.append((t("sheet.request", lang), e(t("sheet.request_value", lang, request_id=request["request_id"],
                                                          version=request.get("version", "—")))))
        if request.get("cpas"):
            person.append((t("sheet.cpas", lang), e(str(request["cpas"]))))
    # contract
    contract = [(t("sheet.contract_start", lang), fmt_date(c.start, lang)),
                (t("sheet.regime", lang), e(t("sheet.regime_value", lang, dpw=fmt_num(c.days_per_week, lang),
                                              q=fmt_num(c.q, lang), s=fmt_num(c.full_time_hours, lang))))]
    if c.planned_end:
        contract.append((t("sheet.planned_end", lang), fmt_date(c.planned_end, lang)))
    if c.region:
        contract.append((t("sheet.region", lang), e(t(f"sheet.region.{c.region}", lang))))
    if c.events:
        contract.append((t("sheet.events", lang), "<br>".join(
            e(f"{t('kind.' + ev.kind, lang)}, {t('sheet.period', lang, start=fmt_date(ev.start, lang), end=fmt_date(ev.end, lang))}")
            for ev in c.events)))
    # career
    from .derived_lines import as_read

    # the lines as entered; the lines the law adds are explained among the steps
    lines_entered = (entered or as_read(case)).career
    if lines_entered:
        rows = []
        for i, line in enumerate(lines_entered, 1):
            src = line.source + (f" {line.source_ref}" if line.source_ref else "") if line.source else t("sheet.source_missing", lang)
            doubt = getattr(line, "doubt", None)
            if doubt:
                src += " — " + t("sheet.doubt", lang, text=doubt)
            rows.append(f"<tr><td class='n'>{i}</td><td>{e(t('kind.' + line.kind, lang))}</td>"
                        f"<td>{e(t('sheet.period', lang, start=_v(line.start, lang), end=_v(line.end, lang)))}</td>"
                        f"<td>{e(line.employer or '')}</td><td>{e(_measure(line, lang))}</td><td>{e(src)}</td></tr>")
        career = ("<table><thead><tr>" + "".join(f"<th scope='col'>{e(t('sheet.col.' + k, lang))}</th>" for k in
                                                 ("n", "kind", "period", "employer", "measure", "source"))
                  + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    else:
        career = f"<p>{e(t('sheet.no_career', lang))}</p>"
    # result
    if plan.already_admissible:
        result = f"<p><strong>{e(t('sheet.already', lang))}</strong></p>"
    elif not plan.reachable:
        result = f"<p><strong>{e(t('sheet.unreachable', lang))}</strong></p>"
    else:
        rows = [(t("sheet.end_date", lang), f"<span class='big'>{fmt_date(plan.end_date, lang)}</span>"),
                (t("sheet.days_to_work", lang), f"<span class='big'>{fmt_num(plan.days_to_work, lang)}</span>"),
                (t("sheet.request_date", lang), fmt_date(plan.request_date, lang)),
                (t("sheet.condition", lang), e(t("cond.label", lang, days=v.holds.condition.days,
                                                 months=v.holds.condition.months)) if v.holds else "")]
        b = plan.beside
        right = getattr(b, "right", None) if b is not None else None
        if right is not None:
            if not right.computed:
                val = t("sheet.right_not_computed", lang)
            elif not right.limited:
                val = t("sheet.right_unlimited", lang)
            else:
                val = t("sheet.right_value", lang, months=right.months, end=fmt_date(right.end, lang))
            rows.append((t("sheet.right", lang), e(val)))
        sub = getattr(b, "subsidy", None) if b is not None else None
        if sub is not None and sub.covered_until is not None:
            rows.append((t("sheet.subsidy_until", lang), fmt_date(sub.covered_until, lang)))
        result = "<table class='kv result'>" + "".join(
            f"<tr><th scope='row'>{e(k)}</th><td class='{'big' if i < 2 else ''}'>{v_}</td></tr>"
            for i, (k, v_) in enumerate(rows) if v_) + "</table>"
    if uncertain:
        result += (f"<p><strong>{e(t('sheet.uncertain', lang))}</strong> — {e(uncertain)}</p>"
                   f"<p class='small'>{e(t('sheet.uncertain_note', lang))}</p>")
    # figures
    figs = ""
    if figures:
        figs = "".join(f"<figure><img src='{uri}' alt='{e(cap)}'><figcaption>{e(cap)}</figcaption></figure>"
                       for uri, cap in _figures(plan, lang))
    # steps
    step_rows = []
    for i, s in enumerate(steps, 1):
        links = ", ".join(f"<a href='{e(u)}'>{e(_article_of(u, lang))}</a>" for _, u in s.links)
        links = f"{e(t('ref.consolidated', lang))} : {links}" if links and lang == "fr" else \
            (f"{e(t('ref.consolidated', lang))}: {links}" if links else "")
        step_rows.append(f"<tr><td class='n'>{i}</td><td>{e(s.text)}</td><td class='ref'>{e(s.reference)}"
                         f"{'<br>' + links if links else ''}</td></tr>")
    steps_html = ("<table><thead><tr>" + f"<th scope='col'>#</th><th scope='col'>{e(t('col.text', lang))}</th>"
                  f"<th scope='col'>{e(t('col.reference', lang))}</th></tr></thead><tbody>" + "".join(step_rows)
                  + "</tbody></table>")
    if needs_legend(steps, lang):
        steps_html += f"<p class='small'>{e(legend(lang))}</p>"
    # options
    used = "".join(f"<li>{e(option_words(k, val, lang, plan.verdict.rules))}</li>" for k, val in plan.options.as_dict().items())
    if plan.sensitivity:
        mattered = "".join(
            f"<li>{e(option_words(s.option, s.value, lang, plan.verdict.rules))} → {fmt_date(s.end_date, lang)}"
            f" ({fmt_num(s.days_to_work, lang) if s.days_to_work is not None else '—'})</li>"
            for s in plan.sensitivity)
        mattered = f"<p>{e(t('sheet.options_mattered', lang))} :</p><ul>{mattered}</ul>" if lang == "fr" else \
            f"<p>{e(t('sheet.options_mattered', lang))}:</p><ul>{mattered}</ul>"
    else:
        mattered = f"<p>{e(t('sheet.options_none_mattered', lang))}</p>"
    options = f"<p>{e(t('sheet.options_used', lang))}</p><ul>{used}</ul>{mattered}"
    warnings = plan_warnings(plan, lang)
    warn_html = (f"<h2>{e(t('sheet.section.warnings', lang))}</h2><ul>" + "".join(f"<li>{e(w)}</li>" for w in warnings)
                 + "</ul>") if warnings else ""
    about = kv([(t("sheet.rules", lang), e(rule_set_title(v.rules, lang))),
                (t("sheet.toolkit", lang), e(f"art60kit {__version__}")),
                (t("sheet.computed_at", lang), fmt_date(computed_at.date(), lang) + computed_at.strftime(" %H:%M UTC")),
                (t("sheet.hash", lang), f"<code>{digest}</code><br><span class='small'>{e(t('sheet.hash_note', lang))}</span>")])
    foot = f"{title} · {case.case_id} · art60kit {__version__} · {fmt_date(computed_at.date(), lang)} · {digest[:16]}"
    css = _CSS + f":root {{ --foot: \"{_css_str(foot)}\"; --page-word: \"{_css_str(t('sheet.page', lang, page='', pages='').split()[0])}\"; }}"
    return (f"<!DOCTYPE html><html lang='{lang}-BE'><head><meta charset='utf-8'><title>{e(title)} — {e(case.case_id)}</title>"
            f"<meta name='description' content='{e(t('sheet.subtitle', lang))}'>"
            f"<meta name='generator' content='art60kit {__version__}'><style>{css}</style></head><body>"
            f"<h1>{e(title)}</h1><p class='sub'>{e(t('sheet.subtitle', lang))}</p>"
            f"<h2>{e(t('sheet.section.result', lang))}</h2>{result}"
            f"<h2>{e(t('sheet.section.person', lang))}</h2>{kv(person)}"
            f"<h2>{e(t('sheet.section.contract', lang))}</h2>{kv(contract)}"
            f"<h2>{e(t('sheet.section.career', lang))}</h2>{career}"
            + (f"<h2>{e(t('sheet.section.figures', lang))}</h2>{figs}" if figs else "")
            + f"<h2>{e(t('sheet.section.steps', lang))}</h2>{steps_html}"
            f"<h2>{e(t('sheet.section.options', lang))}</h2>{options}{warn_html}"
            f"<h2>{e(t('sheet.section.about', lang))}</h2>{about}"
            f"<p class='small'>{e(t('sheet.disclaimer', lang))}</p></body></html>")


def _article_of(url: str, lang: str) -> str:
    """The article a consolidated-text link points to ("art. 37 AR 25/11/1991")."""
    from .citations import ACTS, _act

    rid = url.rsplit("id=", 1)[-1]
    for act, (_, _, prefix) in ACTS.items():
        if prefix and rid.startswith(prefix):
            return f"{t('ref.art', lang, n=rid[len(prefix):])} {_act(act, lang)}"
    return url


def _css_str(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def sheet_pdf(plan, path=None, lang: str = "fr", **kw) -> bytes:
    """The sheet as a tagged PDF (PDF/UA-1); written to ``path`` too when given.
    Keyword arguments as for :func:`sheet_html`."""
    from weasyprint import HTML

    doc = HTML(string=sheet_html(plan, lang, **kw))
    pdf = doc.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True,
                        custom_metadata=True)
    if path is not None:
        Path(path).write_bytes(pdf)
    return pdf


def register_version_sheet(session, request_id: str, version_no: int, *, reason: str, lang: str = "fr",
                           path=None, computed_at: Optional[datetime] = None) -> bytes:
    """The sheet of one version of a request stored in the register.

    ``session`` is the register opened for an identified person
    (``Register.as_user(user_id)``): the read goes through it, so it is checked against
    that person's role and logged with ``reason`` like every read of personal data. The
    version's case data is planned again by the toolkit (today's rules and version,
    stated on the sheet with the fingerprint of the inputs).

    The case explorer's hook: ``register_version_sheet(reg.as_user(uid), rid, n,
    reason=...)`` returns the PDF bytes to offer for download."""
    from .caseio import case_from_dict
    from .planner import plan as make_plan

    version = session.get_version(request_id, version_no, reason=reason)
    case = case_from_dict(dict(version.case), source=f"{request_id} v{version_no}")
    p = make_plan(case, lang=normalize_lang(lang))
    return sheet_pdf(p, path, lang, computed_at=computed_at,
                     request={"request_id": request_id, "version": version_no})
