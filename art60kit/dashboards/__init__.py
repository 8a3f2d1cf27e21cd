"""Voila dashboards of art60kit (logic here, notebooks in ``dashboards/`` stay thin).

* :mod:`.policy` — policy monitoring: requests per month / region / province / CPAS,
  status pipeline and backlog, ONEM delays, days to work and contract length by age
  category, incomplete-data comments, modifications and second calculations, ONEM vs
  toolkit, a map by judicial arrondissement; filters; small-cell suppression.
* :mod:`.reform_app` — the same population planned under the rules before and from
  1 March 2026 (:mod:`.reform`).
* :mod:`.explorer` — the case explorer for an ONEM expert.
* :mod:`.suppress` — small-cell suppression (pure, tested); :mod:`.aggregates` — the
  figures (pure pandas); :mod:`.source` — register access (API only) and cache;
  :mod:`.prepare` / :mod:`.serve` — set-up and ``python -m art60kit.dashboards serve``.

French by default, Dutch with the toggle or ``?lang=nl``.
"""
from .suppress import MIN_PERSONS, suppress_small_cells

__all__ = ["MIN_PERSONS", "suppress_small_cells"]
