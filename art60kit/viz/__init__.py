"""Figures for art. 60, § 7 plans (matplotlib, imported lazily).

- :func:`career_timeline` — lanes of career lines, the contract, the reference window
  and its extensions, ages 36/50, the 1 March 2026 reform, the end date;
- :func:`day_breakdown` — where the required days come from;
- :func:`window_multiples` — the window at the contract start, at the naive end date
  and at the true end date (small multiples), with the days counted over time;
- :func:`save_figure` — PNG or SVG export.

All take ``lang`` (``fr``, ``nl``, ``en``) and use the Okabe-Ito palette. The data
drawn is in :mod:`art60kit.viz.data` (no matplotlib needed there).
"""
from __future__ import annotations

__all__ = ["career_timeline", "day_breakdown", "window_multiples", "window_animation", "save_figure",
           "timeline_data", "day_breakdown_data", "window_snapshots", "progress_series"]


def __getattr__(name):
    if name == "career_timeline":
        from .timeline import career_timeline
        return career_timeline
    if name == "day_breakdown":
        from .breakdown import day_breakdown
        return day_breakdown
    if name in ("window_multiples", "window_animation"):
        from . import windows
        return getattr(windows, name)
    if name == "save_figure":
        from .style import save_figure
        return save_figure
    if name in ("timeline_data", "day_breakdown_data", "window_snapshots", "progress_series"):
        from . import data
        return getattr(data, name)
    raise AttributeError(name)
