"""The figures draw what the plan says: lanes, bars, window bounds, markers, parts."""
from datetime import date, timedelta

import pytest

from art60kit.credit import UNIT
from art60kit.viz import career_timeline, day_breakdown, save_figure, window_multiples
from art60kit.viz.data import LANES, TREATMENT_LANE, window_snapshots
from art60kit.viz.labels import LABELS, LANGS
from art60kit.viz.style import dnum

from .conftest import EXAMPLES

NAMES = [p.stem for p in EXAMPLES]


def by_gid(fig, gid):
    out = []
    for ax in fig.axes:
        for a in ax.get_children():
            if a.get_gid() == gid:
                out.append(a)
    return out


def one(fig, gid):
    found = by_gid(fig, gid)
    assert len(found) == 1, f"{gid}: {len(found)} artists"
    return found[0]


def line_rects(fig):
    """career index -> (x0, x1, y) of its drawn rectangle."""
    out = {}
    for ax in fig.axes:
        for coll in ax.collections:
            idx = getattr(coll, "line_indices", None)
            if idx is None:
                continue
            for i, path in zip(idx, coll.get_paths()):
                v = path.vertices
                out[i] = (v[:, 0].min(), v[:, 0].max(), (v[:, 1].min() + v[:, 1].max()) / 2)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_timeline_matches_plan(plans, name):
    p = plans[name]
    fig = career_timeline(p, lang="fr")
    meta = fig.art60kit
    lanes = meta["lanes"]
    # the four kinds of lanes and the contract, in order; work may be split by employer
    base = [l.split(":")[0] for l in lanes]
    assert [l for i, l in enumerate(base) if l not in base[:i]] == ["work", *LANES[1:], "contract"]
    n = len(lanes)
    ypos = {lid: n - 1 - k for k, lid in enumerate(lanes)}
    rects = line_rects(fig)
    assert sorted(rects) == list(range(len(p.case.career)))
    x0, x1 = (dnum(d) for d in meta["xlim"])
    led = p.verdict.ledger
    for i, line in enumerate(p.case.career):
        left, right, y = rects[i]
        assert left == pytest.approx(dnum(line.start))
        true_right = dnum(line.end) + 1
        assert right == pytest.approx(max(true_right, left + 0.003 * (x1 - x0)))
        lane = TREATMENT_LANE[led.line_treatment[i]]
        lane_ids = [l for l in lanes if l.split(":")[0] == lane]
        assert any(y == pytest.approx(ypos[l]) for l in lane_ids), (i, lane, y)
    # the window at the request date and its extension
    w = p.window
    win = one(fig, "window")
    assert win.get_x() == pytest.approx(dnum(date.fromordinal(w.base_start)))
    assert win.get_x() + win.get_width() == pytest.approx(dnum(date.fromordinal(w.end)) + 1)
    ext = by_gid(fig, "window_extension")
    if w.extended_by_days:
        assert ext and ext[0].get_x() == pytest.approx(dnum(date.fromordinal(w.start)))
        assert ext[0].get_width() == pytest.approx(w.extended_by_days)
    else:
        assert not ext
    # end date marker at the end of the last contract day
    if p.end_date is not None:
        assert one(fig, "end_date").get_xdata()[0] == pytest.approx(dnum(p.end_date + timedelta(days=1)))
        c = one(fig, "contract")
        assert c.get_x() == pytest.approx(dnum(p.case.contract.start))
        assert c.get_x() + c.get_width() == pytest.approx(dnum(p.end_date) + 1)
    else:
        assert not by_gid(fig, "end_date")
    assert len([a for a in by_gid(fig, "contract_start")]) == 1
    for j, ev in enumerate(p.case.contract.events):
        assert one(fig, f"event:{j}").get_x() == pytest.approx(dnum(ev.start))


def test_timeline_age_reform_and_naive_markers(plans):
    p = plans["age-36"]
    fig = career_timeline(p, lang="nl")
    assert one(fig, "age_36").get_xdata()[0] == pytest.approx(dnum(date(2024, 9, 10)))
    assert not by_gid(fig, "age_50")  # turns 50 in 2038: outside the figure
    assert one(fig, "naive_end").get_xdata()[0] == pytest.approx(dnum(p.naive_end_date + timedelta(days=1)))
    p = plans["reform-2026"]
    fig = career_timeline(p)
    assert one(fig, "rule_change:2026-03-01").get_xdata()[0] == pytest.approx(dnum(date(2026, 3, 1)))
    assert p.rules == "reform2026"


def test_long_interim_career_is_grouped_by_employer(plans):
    p = plans["interim-064"]
    assert len(p.case.career) >= 60
    fig = career_timeline(p, max_employer_lanes=5)
    work = [l for l in fig.art60kit["lanes"] if l.startswith("work:")]
    assert len(work) == 5 and work[-1] == "work:*"
    # every line is drawn once
    assert sorted(line_rects(fig)) == list(range(len(p.case.career)))
    labels = fig.art60kit["lane_labels"]
    assert sum(int(l.rsplit("(", 1)[1].rstrip(")")) for l in labels if l.startswith("Travail ·")) == len(p.case.career)
    # zoom on the window: the x range starts 30 days before the window
    z = career_timeline(p, zoom="window", group_employers=False)
    assert z.art60kit["lanes"][0] == "work"
    assert z.axes[0].get_xlim()[0] == pytest.approx(dnum(date.fromordinal(p.window.start)) - 30)


def test_extension_used_is_outlined(plans):
    p = plans["expert-complex"]
    assert p.window.extended_by_days > 0
    used = {e.line for e in p.window.used}
    fig = career_timeline(p)
    for ax in fig.axes:
        for coll in ax.collections:
            idx = getattr(coll, "line_indices", None)
            if idx and set(idx) & used:
                assert coll.get_gid().startswith("lines:extension")
                assert coll.get_linewidths()[0] == pytest.approx(1.6)


@pytest.mark.parametrize("name", NAMES)
def test_breakdown_adds_up_to_the_credit(plans, name):
    p = plans[name]
    fig = day_breakdown(p, lang="fr")
    r = p.verdict.closest
    segs = {a.get_gid(): a for ax in fig.axes for a in ax.patches if (a.get_gid() or "").startswith("part:")}
    end = sum(s.get_width() for g, s in segs.items() if g.startswith("part:end:") and g != "part:end:quarter_cap")
    cap = segs["part:end:quarter_cap"].get_width() if "part:end:quarter_cap" in segs else 0
    assert end - cap == pytest.approx(r.units / UNIT, abs=1e-3)
    if p.end_date is not None:
        # the contract's credit in the window; it can exceed days_to_work by the
        # full-quarter rule (78 for a covered quarter that starts before the contract)
        diff = segs["part:end:contract"].get_width() - p.contract_units / UNIT
        assert -1e-3 <= diff <= 3 * len(p.case.contract.events) + 3
    assert one(fig, "required:end").get_xdata()[0] == r.required
    assert one(fig, "required:start").get_xdata()[0] == p.start_verdict.closest.required
    start = sum(s.get_width() for g, s in segs.items() if g.startswith("part:start:") and g != "part:start:missing")
    assert start == pytest.approx(p.start_verdict.closest.units / UNIT, abs=1e-3)
    if not p.start_verdict.admissible:
        miss = segs["part:start:missing"]
        assert miss.get_x() + miss.get_width() == pytest.approx(p.start_verdict.closest.required)


def test_breakdown_shows_slid_out_days_and_absences(plans):
    from art60kit.caseio import case_from_dict
    from art60kit.planner import plan

    # one condition (2026 rules, 312 days in 36 months): the 2023 work counts
    # at the contract start, and its first months slide out while the contract runs
    case = case_from_dict({"case_id": "slide", "person": {"birth_date": "1995-01-01"},
                           "contract": {"start": "2026-03-02"},
                           "career": [{"kind": "work", "start": "2023-04-03", "end": "2023-10-31"}]})
    p = plan(case, sensitivity=False)
    assert p.rules == "reform2026" and p.start_verdict.closest.condition.id == p.verdict.closest.condition.id
    fig = day_breakdown(p)
    d = fig.art60kit["data"]
    assert d.not_counted["slid_out"] > 0 and by_gid(fig, "part:not_counted:slid_out")
    # what slid out is what the past credit lost between the two dates
    assert d.not_counted["slid_out"] == pytest.approx(d.units_start - (d.units_end - d.at_end["contract"]), abs=0.01)
    fig = day_breakdown(plans["demo-001"])
    assert fig.art60kit["data"].not_counted["absences"] == pytest.approx(4.8)  # 4 weekdays x 1.2
    fig = day_breakdown(plans["reform-2026"])
    assert fig.art60kit["data"].not_counted["excluded"] > 0  # the student contract under the 2026 rules


@pytest.mark.parametrize("name", NAMES)
def test_window_multiples_match_checks(plans, name):
    from art60kit.admissibility import check

    p = plans[name]
    fig = window_multiples(p, lang="nl", step_days=30)
    snaps = fig.art60kit["snapshots"]
    which = [s.which for s in snaps]
    assert which[0] == "start"
    if p.end_date:
        assert which[-1] == "end"
    if p.naive_end_date and p.naive_end_date != p.end_date:
        assert "naive" in which
    for s in snaps:
        v = check(p.case, s.request_date, options=p.options)
        w = v.closest.window
        span = one(fig, f"window:{s.which}")
        assert span.get_x() == pytest.approx(dnum(date.fromordinal(w.base_start)))
        assert span.get_x() + span.get_width() == pytest.approx(dnum(s.request_date))
        assert one(fig, f"request:{s.which}").get_xdata()[0] == pytest.approx(dnum(s.request_date))
        assert (s.counted, s.required, s.admissible) == (v.closest.counted, v.closest.required, v.admissible)
    prog = fig.art60kit["progress"]
    if p.end_date:
        last = [q for q in prog if q.request_date == p.request_date][0]
        assert last.admissible
        before = [q for q in prog if q.request_date == p.request_date - timedelta(days=1)][0]
        assert not before.admissible  # the end date is the earliest


def test_sliding_visible_between_naive_and_true_end(plans):
    snaps = {s.which: s for s in window_snapshots(plans["interim-064"])}
    assert snaps["naive"].window_start > snaps["start"].window_start
    assert not snaps["naive"].admissible and snaps["end"].admissible


def test_labels_exist_in_every_language():
    import string

    for key, d in LABELS.items():
        assert set(d) == set(LANGS), key
        ph = {lang: {f for _, f, _, _ in string.Formatter().parse(d[lang]) if f} for lang in LANGS}
        assert ph["fr"] == ph["nl"] == ph["en"], key


def test_french_and_dutch_labels(plans):
    p = plans["demo-001"]
    fr = [t.get_text() for t in career_timeline(p, lang="fr").axes[0].get_yticklabels()]
    nl = [t.get_text() for t in career_timeline(p, lang="nl").axes[0].get_yticklabels()]
    assert "Assimilé" in fr and "Gelijkgesteld" in nl and "Contrat art. 60" in fr and "Art. 60-contract" in nl


def test_palette_is_okabe_ito():
    from art60kit.viz.style import OKABE_ITO, STYLE

    allowed = {c.lower() for c in OKABE_ITO.values()} | {"white"}
    assert {s["color"].lower() for s in STYLE.values()} <= allowed


@pytest.mark.parametrize("name", NAMES)
def test_render_png_and_svg(plans, name, figure_dir):
    p = plans[name]
    for kind, fn in (("timeline", career_timeline), ("breakdown", day_breakdown), ("windows", window_multiples)):
        for ext in ("png", "svg"):
            if ext == "svg" and name != "demo-001":
                continue
            out = save_figure(fn(p, lang="fr" if name != "part-time" else "nl"), figure_dir / f"{name}-{kind}.{ext}")
            head = out.read_bytes()[:8]
            assert head.startswith(b"\x89PNG") if ext == "png" else b"<" in head
            assert out.stat().st_size > 5000


def test_window_animation_frames(plans, figure_dir):
    anim = window_animation_of(plans["demo-001"])
    anim.save(figure_dir / "demo-001-window-animation.gif", writer="pillow")
    snaps = anim._fig.art60kit["snapshots"]
    assert snaps[0].request_date == plans["demo-001"].case.contract.start
    assert snaps[-1].request_date == plans["demo-001"].request_date and snaps[-1].admissible


def window_animation_of(p):
    from art60kit.viz import window_animation

    return window_animation(p, step_days=45)
