"""The differencing attacker of the dashboards (``tests/dashboards/attacker.py``) against
the register's own aggregate API, on SQLite and on a real PostgreSQL server.

An analyst calls ``aggregate`` with every grouping of one or two dimensions, and the
main groupings again for every period an analyst could choose (every month alone, every
period from the first month, every period up to the last): every count shown (requests
and each count of versions) is a figure over a known population. The attacker combines
every pair of those populations (a total and its groups, two periods, two groupings)
and a view's total minus all its groups but one. Counts of 1 to 4 behind the shown
figures: none recovered. The same figures with the old method (exact counts, only
cells under 5 hidden) give several away, so the attack is a real one.
"""
from __future__ import annotations

import importlib.util
import itertools
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from art60kit.register import User
from art60kit.register.cpas import belgian_cpas
from art60kit.register.frames import DIMENSIONS

from .conftest import CHARLEROI, LIEGE, case

GENT, BRUXELLES = "44021", "21004"
WHY = "suivi statistique"
#: requests per CPAS: two large ones and two under 5 (one in another region, one alone
#: in its region)
SIZES = {CHARLEROI: 23, LIEGE: 9, GENT: 3, BRUXELLES: 2}
MONTHS = [(2025, 9), (2025, 10), (2025, 11), (2025, 12)]


def _attacker():
    name = "art60kit_disclosure_attacker"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "dashboards" / "attacker.py"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


def _fill(reg) -> None:
    """Requests of four CPAS sent over four months; some answered (a few with other
    figures than the toolkit's), some modified and sent again, some with events."""
    reg.add_cpas(c for c in belgian_cpas() if c.nis in (GENT, BRUXELLES))
    reg.add_user(User("g1", "Agent Gent", "cpas_agent", GENT))
    reg.add_user(User("x1", "Agent X1", "cpas_agent", BRUXELLES))
    agents = {CHARLEROI: "a1", LIEGE: "b1", GENT: "g1", BRUXELLES: "x1"}
    onem = reg.as_user("onem1")
    now = {"t": datetime(2025, 9, 2, 9, 0)}
    reg.clock = lambda: now["t"]
    k = 0
    for nis, n in SIZES.items():
        who = reg.as_user(agents[nis])
        for i in range(n):
            y, m = MONTHS[(i * 7 + len(nis)) % len(MONTHS)]
            now["t"] = datetime(y, m, 1 + (k % 27), 10, 0)
            k += 1
            events = [{"kind": "unpaid_leave", "start": "2025-11-03", "end": "2025-11-07"}] if i % 6 == 1 else None
            r = who.create_request(case(case_id=f"{nis}-{i}", start=f"2025-{9 + i % 3:02d}-01", events=events))
            r = who.send(r.request_id, expected_revision=r.revision)
            if i % 3 != 2:
                now["t"] += timedelta(days=3 + i % 11)
                plan = r.current.plan
                r = onem.record_answer(r.request_id, days_to_work=plan.days_to_work + (2 if i % 4 == 0 else 0),
                                       end_date=date(2026, 9, 3), answered_on=now["t"].date(),
                                       expected_revision=r.revision)
                if i % 5 == 3:
                    now["t"] += timedelta(days=20)
                    r = who.modify(r.request_id, expected_revision=r.revision)
                    who.send(r.request_id, expected_revision=r.revision)


def _settings():
    """(by, since, until): every grouping of up to two dimensions over all time, and the
    main groupings for every period of whole months a filter can give."""
    dims = list(DIMENSIONS)
    out = [((), None, None)] + [((d,), None, None) for d in dims]
    out += [(pair, None, None) for pair in itertools.combinations(dims, 2)]
    firsts = [date(y, m, 1) for y, m in MONTHS]
    lasts = [(d + timedelta(days=32)).replace(day=1) - timedelta(days=1) for d in firsts]
    periods = sorted({(firsts[0], b) for b in lasts} | {(a, lasts[-1]) for a in firsts}
                     | set(zip(firsts, lasts)))
    for by in ((), ("cpas",), ("region",), ("province",), ("status",), ("kind",)):
        out += [(by, a, b) for a, b in periods]
    return out


def _figures(reg):
    """Every count the analyst sees, as views of (population bitmask, true count, shown)."""
    AT = _attacker()
    onem = reg.as_user("onem1")
    vf = onem.versions_frame(reason=WHY, sent_only=True)
    ids = pd.unique(vf["request_id"])
    n_req, n_ver = len(ids), len(vf)
    req_pos = pd.Series(np.arange(n_req), index=ids)
    ver_pos = pd.Series(np.arange(n_ver), index=pd.MultiIndex.from_frame(vf[["request_id", "version_no"]]))

    def bits(positions):
        b = np.zeros(n_req + n_ver, dtype=bool)
        b[np.asarray(positions, dtype=int)] = True
        return int.from_bytes(np.packbits(b, bitorder="little").tobytes(), "little")

    views = AT.register_views(
        reg.as_user("an1"), onem, _settings(), persons=lambda r: bits(req_pos[r].to_numpy()),
        versions=lambda v: bits(n_req + ver_pos[pd.MultiIndex.from_frame(v[["request_id", "version_no"]])].to_numpy()),
        reason=WHY)
    hidden = sum(1 for rows in views for _, t, shown in rows if shown is None)
    return SimpleNamespace(views=views, shares=[], measures=[]), hidden


def test_no_pair_of_register_aggregates_recovers_a_small_count(reg):
    _fill(reg)
    F, hidden = _figures(reg)
    AT = _attacker()
    pops, tried, recovered = AT.attack(F)
    _, tried_plain, recovered_plain = AT.attack(F, exact=True)
    print(f"\n[register disclosure] {len(_settings())} aggregate calls, {sum(map(len, F.views))} counts, "
          f"{hidden} hidden, {pops} populations, {tried} pairs tried, {recovered} recovered; "
          f"plain suppression: {recovered_plain} recovered of {tried_plain} pairs")
    assert hidden > 100 and tried > 500
    assert recovered_plain > 0  # the attacker does break the old method on these figures
    assert recovered == 0
