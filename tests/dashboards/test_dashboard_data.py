"""The dashboards' pure parts: labels, incomplete-data comments, aggregates, reform effects."""
from datetime import datetime

import pandas as pd
import pytest

from art60kit.dashboards import aggregates as A
from art60kit.dashboards.flags import is_incomplete_data_comment
from art60kit.dashboards.labels import LABELS, LANGS, label, placeholders
from art60kit.dashboards.reform import sample_ids, with_effects


def test_every_label_in_fr_nl_en_with_same_placeholders():
    for key, entry in LABELS.items():
        assert set(entry) == set(LANGS), key
        assert len({frozenset(placeholders(entry[l])) for l in LANGS}) == 1, key


def test_label_lookup():
    assert label("region", "nl") == "Gewest" and label("cpas", "de") == "ÖSHZ"
    with pytest.raises(KeyError):  # an unknown key is a programming error, never shown raw
        label("unknown.key")


@pytest.mark.parametrize("text,expected", [
    ("Dimona uniquement pour 2022 : durées inconnues", True),
    ("Enkel Dimona voor 2022: duur onbekend", True),
    ("La personne ne se souvient pas de toutes ses missions intérim", True),
    ("Données incomplètes pour la période 2020-2021", True),
    ("Ziekteperiodes na te gaan bij het ziekenfonds", True),
    ("Engagement reporté suite à la visite médicale", False),
    ("Loonfiches als bijlage toegevoegd", False),
    ("", False),
])
def test_incomplete_data_comments(text, expected):
    assert is_incomplete_data_comment(text) is expected


def _versions():
    rows = []
    t = datetime(2025, 3, 3, 10)

    def add(rid, vno, kind, cpas, sent, answered, plan_end, onem_end, days=312, onem_days=312, events=0,
            region="03000", province="50000", rules="ar1991", cat="under_36", current=True, status="calculated"):
        rows.append(dict(
            request_id=rid, version_no=vno, parent_version_no=None if vno == 1 else vno - 1, kind=kind,
            status=status, is_current=current, cpas_nis=cpas, cpas_fr=f"C{cpas}", cpas_nl=f"O{cpas}",
            province_nis=province, province_fr="Hainaut", province_nl="Henegouwen", region_nis=region,
            region_fr="Wallonie", region_nl="Wallonië", created_at=pd.Timestamp(sent) - pd.Timedelta(days=1),
            sent_at=pd.Timestamp(sent) if sent else pd.NaT, contract_start=pd.Timestamp("2025-04-01"),
            age_at_start=30, n_career_lines=3, n_events=events, plan_ok=True,
            plan_end_date=pd.Timestamp(plan_end), plan_days_to_work=days, plan_days_required=312.0,
            plan_rules=rules, plan_age_category=cat,
            onem_end_date=pd.Timestamp(onem_end) if onem_end else pd.NaT,
            onem_days_to_work=onem_days if onem_end else pd.NA,
            answered_on=pd.Timestamp(answered) if answered else pd.NaT))
    for i in range(6):
        add(f"R{i}", 1, "created", "52011", "2025-03-05", "2025-03-15", "2026-02-27", "2026-02-27")
    add("R6", 1, "created", "52011", "2025-04-02", None, "2026-03-30", None, status="sent")
    add("R7", 1, "created", "57081", "2025-04-10", "2025-04-20", "2026-03-30", "2026-04-02", current=False)
    add("R7", 2, "modification", "57081", "2025-09-10", "2025-09-22", "2026-04-06", "2026-04-06", events=2)
    df = pd.DataFrame(rows)
    for c in ("plan_days_to_work", "onem_days_to_work", "n_events", "age_at_start", "parent_version_no"):
        df[c] = df[c].astype("Int64")
    df["delay_days"] = (df["answered_on"] - df["sent_at"].dt.normalize()).dt.days.astype("Int64")
    same = (df["onem_end_date"] == df["plan_end_date"]) & (df["onem_days_to_work"] == df["plan_days_to_work"])
    df["agrees"] = pd.array([bool(s) if pd.notna(a) else pd.NA for s, a in zip(same.fillna(False), df["onem_end_date"])],
                            dtype="boolean")
    df["end_date_diff_days"] = (df["onem_end_date"] - df["plan_end_date"]).dt.days.astype("Int64")
    return df


def test_facts_and_kpis():
    flags = pd.DataFrame({"request_id": ["R0", "R7"], "incomplete_data": [True, True]})
    facts = A.build_facts(_versions(), flags)
    req = facts.requests
    assert len(req) == 8 and facts.months == ["2025-03", "2025-04", "2025-09"]
    r7 = req.set_index("request_id").loc["R7"]
    assert r7["month"] == "2025-04" and r7["n_modifications"] == 1 and bool(r7["has_second_calc"])
    k = A.kpis(req, A.filter_versions(facts, A.Filters()))
    assert k["n_requests"] in (5, 10)  # 8, randomly rounded to a multiple of 5
    assert k["n_pending"] is None  # one pending request: fewer than 5 persons
    assert k["delay_median"] == 10.0
    assert k["n_disagree"] is None  # 0 (R7 v1 differed, but its last version agrees): "< 5"


def test_filters_and_small_cells():
    facts = A.build_facts(_versions())
    one = A.filter_requests(facts, A.Filters(cpas="57081"))
    assert one["request_id"].tolist() == ["R7"]
    pm = A.per_month(one, facts.months)
    # one person in all: every month is hidden, the empty ones too (a zero beside a
    # hidden total would tell when that person's request was sent)
    assert pm["suppressed"].tolist() == [True, True, True]
    assert pm["n"].isna().all()
    wal = A.per_month(A.filter_requests(facts, A.Filters(cpas="52011")), facts.months)
    assert wal["suppressed"].tolist() == [False, True, True] and wal["n"].tolist()[0] in (5, 10)  # 6, 1, 0
    k = A.kpis(one, A.filter_versions(facts, A.Filters(cpas="57081")))
    assert k["n_requests"] is None and k["n_disagree"] is None and k["n_second_calc"] is None
    ar = A.by_area(A.filter_requests(facts, A.Filters()), "cpas")
    assert ar.set_index("key").loc["52011", "n"] in (5, 10)  # 7
    assert bool(ar.set_index("key").loc["57081", "suppressed"])
    march = A.filter_requests(facts, A.Filters(months=("2025-03", "2025-03")))
    assert len(march) == 6


def test_backlog_counts_unanswered_at_month_end():
    facts = A.build_facts(_versions())
    ver = A.filter_versions(facts, A.Filters())
    bl = A.backlog(ver, ["2025-03", "2025-04"]).set_index("month")
    # end of April: R6 (never answered) only -> 1 person -> suppressed
    assert bool(bl.loc["2025-04", "suppressed"])


def test_reform_effects_and_sample():
    sim = pd.DataFrame({
        "contract_start": pd.to_datetime(["2025-09-01", "2025-09-01"]),
        "old_end_date": pd.to_datetime(["2026-08-31", None]),
        "new_end_date": pd.to_datetime(["2026-06-30", "2026-06-30"]),
        "old_days_to_work": pd.array([312, None], "Int64"), "new_days_to_work": pd.array([260, 260], "Int64")})
    eff = with_effects(sim)
    assert len(eff) == 1 and eff["delta_contract_days"].iloc[0] == -62
    ids = [f"R{i}" for i in range(50)]
    assert sample_ids(ids, 10) == sample_ids(list(reversed(ids)), 10)


def test_dashboard_figures_in_belgian_formats():
    from art60kit.dashboards.policy import _fmt

    assert (_fmt(17500, lang="fr"), _fmt(17500, lang="nl"), _fmt(17500, lang="de")) == ("17\u202f500", "17.500", "17.500")
    assert _fmt(16.54, "{:.1f}", "fr") == "16,5" and _fmt(None, lang="de") == "< 5"
