"""art60kit: how long must an art. 60, § 7 CPAS contract last, and why.

Data flows one way: case (:mod:`caseio`, :mod:`model`) -> credits (:mod:`credit`) ->
window (:mod:`window`) -> verdict (:mod:`admissibility`) -> plan (:mod:`planner`) ->
explanation (:mod:`explain`); views (viz, widgets, dashboards) read results.

>>> from art60kit import case_from_dict, plan
>>> p = plan(case_from_dict({"person": {"birth_date": "1995-01-01"},
...                          "contract": {"start": "2024-01-01"}}))
>>> p.end_date, p.days_to_work, p.days_required
(datetime.date(2024, 12, 30), 312, 312)
"""
from .admissibility import check
from .caseio import case_from_dict, case_to_dict, dump_case, load_case
from .errors import InputError, Problem
from .model import Case, CareerLine, Contract, Event, Options, Person
from .planner import Plan, plan

__all__ = ["check", "case_from_dict", "case_to_dict", "dump_case", "load_case", "InputError", "Problem",
           "Case", "CareerLine", "Contract", "Event", "Options", "Person", "Plan", "plan"]
__version__ = "0.1.0"
