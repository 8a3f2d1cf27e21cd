"""ipywidgets for art. 60, § 7 cases (imported lazily; the core needs no widget library).

- :class:`CaseEditor` — edit a case in a table-like form (person, contract, career
  lines, contract events), load/save case files, validation messages as in the CLI;
- :class:`WhatIfPanel` — change the contract start, regime, Q/S, absences and
  interpretation options; re-plans and redraws the timeline;
- :class:`Exercise` — a training question whose answer comes from the core.
"""
from __future__ import annotations

__all__ = ["CaseEditor", "WhatIfPanel", "Exercise"]


def __getattr__(name):
    if name == "CaseEditor":
        from .editor import CaseEditor
        return CaseEditor
    if name == "WhatIfPanel":
        from .whatif import WhatIfPanel
        return WhatIfPanel
    if name == "Exercise":
        from .exercises import Exercise
        return Exercise
    raise AttributeError(name)
