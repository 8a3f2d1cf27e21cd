"""Hypothesis strategies for generated cases (valid by construction)."""
from datetime import date, timedelta

from hypothesis import strategies as st

from art60kit.caseio import case_from_dict

WORK_KINDS = ["work", "work", "work", "work"]
OTHER_KINDS = ["paid_holiday", "sickness_guaranteed_wage", "sickness_indemnified", "unpaid_absence",
               "temporary_unemployment", "student_contract", "training", "work_accident", "maternity"]
EXT_KINDS = ["self_employed_main", "detention", "career_break", "child_care", "force_majeure", "not_covered_work"]
EVENT_KINDS = ["unpaid_leave", "sickness_indemnified", "sickness_guaranteed_wage", "paid_holiday",
               "unjustified_absence", "temporary_unemployment", "career_break"]


def _weeks(a: date, b: date) -> int:
    """Calendar weeks (Monday to Sunday) that ``[a, b]`` meets."""
    return (b.toordinal() - b.weekday() - (a.toordinal() - a.weekday())) // 7 + 1


@st.composite
def career_line(draw, contract_start: date, kinds=None):
    kind = draw(st.sampled_from(kinds or (WORK_KINDS + OTHER_KINDS + EXT_KINDS + ["work_abroad"])))
    back = draw(st.integers(5, 12 * 366))
    start = contract_start - timedelta(days=back)
    if kind in EXT_KINDS:
        length = draw(st.integers(30, 6 * 366))
    else:
        length = draw(st.integers(1, 420))
    end = min(start + timedelta(days=length - 1), contract_start - timedelta(days=1))
    d = {"kind": kind, "start": start.isoformat(), "end": end.isoformat()}
    if kind == "child_care":
        # the birth before the line or on its first day, or after it starts (a line entered
        # from the end of the last job: it extends from the birth only), even after it ends
        back = draw(st.one_of(st.integers(0, 2000), st.integers(-(end - start).days - 60, -1)))
        d["child_birth_date"] = (start - timedelta(days=back)).isoformat()
    if kind in EXT_KINDS:
        # the person's situation when the period began: stated, or left to the toolkit
        situation = draw(st.sampled_from([None, None, "employment", "full_unemployment", "neither"]))
        if situation:
            d["situation"] = situation
        return d
    measure = draw(st.sampled_from(["regime", "regime", "hours", "days"]))
    span = (end - start).days + 1
    if measure == "regime":
        d["days_per_week"] = draw(st.sampled_from([5, 5, 5, 6, 4, 3, 1.5, 4.5]))
        if draw(st.booleans()):
            d["full_time_hours"] = 38
            d["weekly_hours"] = draw(st.sampled_from([38, 30.4, 19, 24, 12.5]))
    elif measure == "hours":
        d["full_time_hours"] = draw(st.sampled_from([38, 40, 36]))
        # at most full time in each calendar week the line meets (the loader's bound)
        d["hours"] = draw(st.integers(0, max(0, min(span * 6, d["full_time_hours"] * _weeks(start, end)))))
    else:
        d["days_per_week"] = draw(st.sampled_from([5, 6, 2.25]))
        d["days"] = draw(st.integers(0, min(span, int(d["days_per_week"] * _weeks(start, end)))))
    if draw(st.booleans()):
        d["employer"] = draw(st.sampled_from(["Interim A", "Interim B", "Ville"]))
    return d


@st.composite
def cases(draw, max_lines=5, min_start=date(2023, 1, 2), max_start=date(2027, 6, 30), events=True):
    start = draw(st.dates(min_start, max_start))
    birth = draw(st.dates(date(1962, 1, 1), date(2005, 12, 31)).filter(lambda b: b <= date(start.year - 16, 1, 1)))
    career = draw(st.lists(career_line(start), max_size=max_lines))
    contract = {"start": start.isoformat()}
    if draw(st.integers(0, 3)) == 0:
        contract["days_per_week"] = draw(st.sampled_from([4, 6, 2.5]))
    if draw(st.integers(0, 4)) == 0:
        contract["weekly_hours"], contract["full_time_hours"] = draw(st.sampled_from([(30.4, 38), (19, 38), (36, 40)]))
    evs = []
    if events:
        cur = start
        for _ in range(draw(st.integers(0, 2))):
            a = cur + timedelta(days=draw(st.integers(0, 200)))
            b = a + timedelta(days=draw(st.integers(0, 60)))
            evs.append({"kind": draw(st.sampled_from(EVENT_KINDS)), "start": a.isoformat(), "end": b.isoformat()})
            cur = b + timedelta(days=1)
    contract["events"] = evs
    person = {"birth_date": birth.isoformat()}
    if draw(st.integers(0, 4)) == 0:
        person["prior_admission"] = (start - timedelta(days=draw(st.integers(30, 2000)))).isoformat()
    data = {"case_id": "gen", "person": person, "contract": contract, "career": career}
    if draw(st.integers(0, 3)) == 0:
        data["options"] = {"extension_shift": draw(st.sampled_from(["days", "ymd"])),
                           "crediting": draw(st.sampled_from(["quarter78", "month26", "mon_sat"])),
                           "rounding": draw(st.sampled_from(["onem", "exact"])),
                           "month_end": draw(st.sampled_from(["clip", "next_day"]))}
    return case_from_dict(data, source="generated")


EXTENDING = ["career_break", "force_majeure", "self_employed_main", "work_accident", "sickness_indemnified",
             "child_care", "full_time_studies"]


@st.composite
def overlapping_extension_cases(draw):
    """Cases whose extending periods repeat, overlap, contain or follow one another
    without a gap (kinds that extend under the old rules, the new ones or both), beside
    some work, under either reading of the shift."""
    start = draw(st.dates(date(2023, 1, 2), date(2027, 6, 30)))
    last = start - timedelta(days=1)
    a0 = start - timedelta(days=draw(st.integers(20, 1500)))
    spans = [(a0, min(last, a0 + timedelta(days=draw(st.integers(0, 900)))))]
    for _ in range(draw(st.integers(1, 3))):
        a, b = draw(st.sampled_from(spans))
        how = draw(st.sampled_from(["same", "same", "overlap", "inside", "before", "after"]))
        n = (b - a).days
        if how == "same":
            na, nb = a, b
        elif how == "overlap":
            na = a + timedelta(days=draw(st.integers(-200, n)))
            nb = na + timedelta(days=draw(st.integers(0, 700)))
        elif how == "inside":
            na = a + timedelta(days=draw(st.integers(0, n)))
            nb = na + timedelta(days=draw(st.integers(0, (b - na).days)))
        elif how == "before":  # ends the day before the other starts
            nb = a - timedelta(days=1)
            na = nb - timedelta(days=draw(st.integers(0, 700)))
        else:  # starts the day after the other ends
            na = b + timedelta(days=1)
            nb = na + timedelta(days=draw(st.integers(0, 700)))
        if na <= last:
            spans.append((na, min(nb, last)))
    career = []
    for a, b in spans:
        line = {"kind": draw(st.sampled_from(EXTENDING)), "start": a.isoformat(), "end": b.isoformat()}
        if line["kind"] == "child_care":
            line["child_birth_date"] = (a + timedelta(days=draw(st.integers(-400, 200)))).isoformat()
        career.append(line)
    w_end = a0 - timedelta(days=draw(st.integers(1, 400)))
    career.append({"kind": "work", "start": (w_end - timedelta(days=draw(st.integers(30, 700)))).isoformat(),
                   "end": w_end.isoformat(), "employer": "A"})
    data = {"case_id": "ext", "person": {"birth_date": "1990-05-01"}, "contract": {"start": start.isoformat()},
            "career": career, "options": {"extension_shift": draw(st.sampled_from(["ymd", "ymd", "days"]))}}
    return case_from_dict(data, source="generated")


@st.composite
def late_career_cases(draw, max_lines=3):
    """People of 36 or more under the rules before 1 March 2026 whose working life
    began inside the 10 years before the reference period: every line starts between
    about 12 and 3 years before the contract (so the first one, the career's start,
    falls inside the 10 years of a 33- or 42-month period), long enough at times for
    the past to reach half of the working days since that start; sometimes a period
    that extends the window, and sometimes a contract that runs past the reform."""
    start = draw(st.dates(date(2022, 6, 1), date(2026, 2, 27)))
    birth = draw(st.dates(date(1960, 1, 1), date(start.year - 37, 12, 31)))
    career = []
    for i in range(draw(st.integers(1, max_lines))):
        a = start - timedelta(days=draw(st.integers(3 * 366 - 60, 12 * 366)))
        b = min(a + timedelta(days=draw(st.integers(1, 5 * 366))), start - timedelta(days=1))
        line = {"kind": "work", "start": a.isoformat(), "end": b.isoformat(),
                "days_per_week": draw(st.sampled_from([5, 5, 6, 3])), "employer": f"E{i}"}
        if draw(st.integers(0, 3)) == 0:
            line["full_time_hours"], line["weekly_hours"] = 38, draw(st.sampled_from([19, 30.4]))
        career.append(line)
    if draw(st.integers(0, 3)) == 0:
        kind = draw(st.sampled_from(["paid_holiday", "sickness_indemnified", "unpaid_absence", "career_break",
                                     "self_employed_main", "student_contract"]))
        a = start - timedelta(days=draw(st.integers(30, 13 * 366)))
        b = min(a + timedelta(days=draw(st.integers(1, 900))), start - timedelta(days=1))
        career.append({"kind": kind, "start": a.isoformat(), "end": b.isoformat()})
    data = {"case_id": "late", "person": {"birth_date": birth.isoformat()}, "contract": {"start": start.isoformat()},
            "career": career}
    if draw(st.integers(0, 3)) == 0:
        data["options"] = {"extension_shift": draw(st.sampled_from(["days", "ymd"])),
                           "rounding": draw(st.sampled_from(["onem", "exact"])),
                           "month_end": draw(st.sampled_from(["clip", "next_day"]))}
    return case_from_dict(data, source="generated")


def _quarter_of(d: date) -> tuple[date, date]:
    m0 = (d.month - 1) // 3 * 3 + 1
    first = date(d.year, m0, 1)
    nxt = date(d.year + 1, 1, 1) if m0 == 10 else date(d.year, m0 + 3, 1)
    return first, nxt - timedelta(days=1)


@st.composite
def quarter_edge_cases(draw, max_lines=5):
    """Careers declared quarter by quarter as totals, as the import of the ONSS
    quarterly declarations writes them: work lines given by their hours or days over a
    calendar quarter or part of one (an occupation starting or ending inside it), in
    the quarters where the reference periods of the first request days start (21, 33,
    36 or 42 months before them) and around the contract's start (where they end), some
    of one employer, beside lines of a weekly pattern. Totals may exceed one day a
    working day (overtime), so that the start quarter's cap binds."""
    from dateutil.relativedelta import relativedelta

    start = draw(st.dates(date(2023, 1, 2), date(2027, 6, 30)))
    birth = draw(st.dates(date(1962, 1, 1), date(2004, 12, 31)).filter(lambda b: b <= date(start.year - 16, 1, 1)))
    career = []
    for _ in range(draw(st.integers(1, max_lines))):
        months = draw(st.sampled_from([21, 33, 36, 42, 0]))
        anchor = start - relativedelta(months=months) + timedelta(days=draw(st.integers(-120, 500)))
        qa, qb = _quarter_of(anchor)
        a = qa + timedelta(days=draw(st.integers(0, 88))) if draw(st.booleans()) else qa
        b = qb - timedelta(days=draw(st.integers(0, 88))) if draw(st.booleans()) else qb
        if b < a:
            a, b = qa, qb
        if a < date(birth.year + 16, 12, 31):
            continue
        line = {"kind": draw(st.sampled_from(["work", "work", "work", "paid_holiday", "work_abroad"])),
                "start": a.isoformat(), "end": b.isoformat()}
        span, weeks = (b - a).days + 1, _weeks(a, b)
        measure = draw(st.sampled_from(["hours", "hours", "days", "regime"]))
        if measure == "hours":
            s = draw(st.sampled_from([38, 40, 36]))
            line["full_time_hours"] = s
            line["hours"] = draw(st.integers(0, min(span * 24, 2 * s * weeks)))
        elif measure == "days":
            r = draw(st.sampled_from([5, 6, 2.25]))
            line["days_per_week"] = r
            line["days"] = draw(st.integers(0, min(span, int(-(-r // 1)) * weeks)))
        else:
            line["days_per_week"] = draw(st.sampled_from([5, 4]))
            if draw(st.booleans()):
                line["full_time_hours"], line["weekly_hours"] = 38, draw(st.sampled_from([19, 30.4]))
        if draw(st.integers(0, 2)):
            line["employer"] = draw(st.sampled_from(["Interim A", "Ville"]))
        career.append(line)
    contract = {"start": start.isoformat()}
    if draw(st.integers(0, 3)) == 0:
        contract["weekly_hours"], contract["full_time_hours"] = 19, 38
    person = {"birth_date": birth.isoformat()}
    if draw(st.integers(0, 4)) == 0:
        person["prior_admission"] = (start - timedelta(days=draw(st.integers(30, 1300)))).isoformat()
    data = {"case_id": "edges", "person": person, "contract": contract, "career": career}
    if draw(st.integers(0, 3)) == 0:
        data["options"] = {"crediting": draw(st.sampled_from(["quarter78", "month26", "mon_sat"])),
                           "rounding": draw(st.sampled_from(["onem", "exact"]))}
    return case_from_dict(data, source="generated")


def assert_planner_equals_reference(case) -> None:
    """The per-case planner's end date, request day, days and verdict at the contract
    start equal the day-by-day reference engine's, for a generated case whose request
    lies within five years of its contract (the reference engine walks every day)."""
    from hypothesis import assume

    from art60kit.planner import plan
    from art60kit.reference import reference_plan

    p = plan(case, sensitivity=False)
    assume(p.request_date is None or p.request_date <= case.contract.start + timedelta(days=366 * 5))
    r = reference_plan(case)
    assert (p.end_date, p.request_date, p.days_to_work, p.already_admissible) == \
           (r.end_date, r.request_date, r.days_to_work, r.already_admissible)
