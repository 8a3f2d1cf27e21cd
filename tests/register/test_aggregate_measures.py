"""The analyst's aggregates: no measure's decimals tell the count it rests on (on
SQLite and on a real PostgreSQL server)."""
from __future__ import annotations

from datetime import date, timedelta

from .conftest import case


def test_protected_measures_are_observed_values_and_whole_means(reg):
    a1, onem, analyst = (reg.as_user(u) for u in ("a1", "onem1", "an1"))
    delays = [1, 2, 3, 4, 5, 8]  # six answered, one pending: seven persons
    sent = []
    for i in range(7):
        r = a1.create_request(case(case_id=f"m-{i}"))
        sent.append(a1.send(r.request_id, expected_revision=r.revision))
    for r, d in zip(sent, delays):
        sent_on = r.current.sent_at.date()
        onem.record_answer(r.request_id, days_to_work=r.current.plan.days_to_work, end_date=date(2026, 9, 3),
                           answered_on=sent_on + timedelta(days=d), expected_revision=r.revision)
    exact = onem.aggregate(by=(), reason="monitoring").iloc[0]
    # the unprotected figures of an ONEM user: interpolated, with decimals
    assert exact.delay_median_days == 3.5 and round(exact.delay_mean_days, 4) == round(23 / 6, 4)
    shown = analyst.aggregate(by=(), reason="monitoring").iloc[0]
    assert not shown.suppressed
    # an even count would show as a median ending in ,5 and a mean of 23/6: neither does
    assert shown.delay_median_days in delays and shown.delay_p90_days in delays
    for m in ("delay_mean_days", "onem_days_mean", "plan_days_mean"):
        assert float(shown[m]) == round(float(shown[m])), m
    assert shown.delay_mean_days == 4
