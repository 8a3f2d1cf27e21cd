"""The what-if panel re-plans and redraws; invalid input keeps the last plan."""
from dataclasses import replace
from datetime import date, timedelta

from art60kit.planner import plan
from art60kit.viz.style import dnum
from art60kit.widgets import CaseEditor, WhatIfPanel


def end_marker(panel):
    for ax in panel.figure.axes:
        for a in ax.get_children():
            if a.get_gid() == "end_date":
                return a.get_xdata()[0]
    return None


def test_changes_replan_and_redraw(demo):
    panel = WhatIfPanel(demo)
    p0 = panel.plan
    assert p0.end_date == plan(demo, sensitivity=False).end_date
    assert panel.image.value[:4] == b"\x89PNG"
    assert end_marker(panel) == dnum(p0.end_date + timedelta(days=1))
    panel.set(start=date(2025, 10, 6))
    p1 = panel.plan
    assert p1.case.contract.start == date(2025, 10, 6)
    assert p1.end_date == plan(demo.with_contract(start=date(2025, 10, 6)), sensitivity=False).end_date
    assert end_marker(panel) == dnum(p1.end_date + timedelta(days=1))
    panel.set(weekly_hours=19)
    assert panel.plan.days_to_work == plan(demo.with_contract(start=date(2025, 10, 6), weekly_hours=19.0),
                                           sensitivity=False).days_to_work
    assert panel.plan.end_date > p1.end_date
    assert set(panel.timings) == {"plan_ms", "draw_ms", "total_ms"}


def test_absences_move_the_end_date(demo):
    # (the expert case ends on the 36th birthday, when 234 days in 33 months with the
    # professional past of a career begun inside the 10 years already hold: a month of
    # absence before it does not move it)
    panel = WhatIfPanel(demo, lang="nl")
    assert len(panel.absences) == len(demo.contract.events)
    base = panel.plan.end_date
    i = panel.add_absence("unpaid_leave", date(2025, 10, 1), date(2025, 10, 31))
    assert panel.plan.end_date > base
    panel.remove_absence(i)
    assert panel.plan.end_date == base
    panel.set(crediting="month26")
    assert panel.plan.options.crediting == "month26"
    assert panel.plan.end_date == plan(demo.with_options(crediting="month26"), sensitivity=False).end_date


def test_invalid_input_keeps_the_plan(demo):
    panel = WhatIfPanel(demo, draw=False)
    p = panel.plan
    panel.set(weekly_hours=50)
    assert panel.plan is p
    assert panel.errors == ["Contrat, Q (h/sem.) : Q (50 h) dépasse S, les heures d'un temps plein (38 h)"]
    assert "50 h" in panel.messages.value
    i = panel.add_absence("unpaid_leave", date(2025, 8, 1), date(2025, 8, 5))  # before the contract start
    assert panel.plan is p and any("avant le début du contrat" in e for e in panel.errors)
    panel.remove_absence(i)
    panel.set(weekly_hours=38)
    assert panel.errors == [] and panel.plan.end_date == p.end_date


def test_editor_feeds_the_panel(demo):
    ed = CaseEditor(demo)
    panel = WhatIfPanel(ed.case, draw=False)
    ed.observe(panel.set_case)
    ed.add_line(kind="work", start="2024-09-02", end="2024-12-20", days_per_week="5")
    assert len(panel.plan.case.career) == len(demo.career) + 1
    assert panel.plan.case == ed.case
    assert panel.plan.past_units > plan(demo, sensitivity=False).past_units


def test_options_are_named_in_words(demo):


    w = WhatIfPanel(demo, lang="de", draw=False)
    dd = w.options["rounding"]
    assert dd.description == "Rundung der Summe" and dd.value == "onem"
    assert [label for label, _ in dd.options] == ["4 Dezimalstellen je Beschäftigung, Summe aufgerundet", "ohne Aufrundung"]
    assert all("_" not in d.description and "clip" not in str([x for x, _ in d.options]) for d in w.options.values())
