"""The case as the register stores it: canonical JSON, its hash, the figures derived
from it for aggregates, and the hooks to the calculation core (validation, plan).

The core (``art60kit.caseio``, ``art60kit.planner``) is imported lazily: the register
must keep working (store, audit, export) even where the core cannot plan a case, and
tests can inject a planner of their own.
"""
from __future__ import annotations

import hashlib
import json
import zlib
from functools import lru_cache
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Mapping, Optional

from .errors import BadInput

#: A planner takes a case-format dict and returns the ``plan --json`` dict; it raises
#: (typically :class:`art60kit.errors.InputError`) when it cannot plan the case.
Planner = Callable[[Mapping[str, Any]], Mapping[str, Any]]
#: A validator raises :class:`art60kit.errors.InputError` for an invalid case dict.
Validator = Callable[[Mapping[str, Any]], None]


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


def canonical_json(data: Any) -> str:
    """Canonical JSON (sorted keys, no spaces, dates as ISO strings): the stored form
    and the input of the content hash, so equal cases hash equal.

    >>> canonical_json({"b": 1, "a": date(2025, 9, 1)})
    '{"a":"2025-09-01","b":1}'
    """
    try:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          default=_json_default)
    except (TypeError, ValueError) as exc:
        raise BadInput(detail=f"case: {exc}") from None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _as_date(value: Any) -> Optional[date]:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def age_on(birth: date, day: date) -> int:
    """Age in whole years on ``day`` (a birthday counts from the day itself).

    >>> age_on(date(1990, 3, 1), date(2026, 2, 28)), age_on(date(1990, 3, 1), date(2026, 3, 1))
    (35, 36)
    """
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def derived_fields(case: Mapping[str, Any]) -> dict[str, Any]:
    """Figures the aggregates need, taken from the case once at save time (no birth
    date is copied out of the case: only the age at contract start)."""
    person = case.get("person") or {}
    contract = case.get("contract") or {}
    start = _as_date(contract.get("start")) if isinstance(contract, Mapping) else None
    birth = _as_date(person.get("birth_date")) if isinstance(person, Mapping) else None
    career = case.get("career") or []
    events = contract.get("events") or [] if isinstance(contract, Mapping) else []
    return {
        "contract_start": start,
        "age_at_start": age_on(birth, start) if (birth and start) else None,
        "n_career_lines": len(career) if isinstance(career, list) else None,
        "n_events": len(events) if isinstance(events, list) else None,
    }


def check_case_shape(case: Any) -> Mapping[str, Any]:
    """The least the register itself needs: a mapping that serialises to JSON."""
    if not isinstance(case, Mapping):
        raise BadInput(detail=f"case: expected a mapping (case-format.md), got {type(case).__name__}")
    canonical_json(case)
    return case


def toolkit_validator() -> Optional[Validator]:
    """``caseio.case_from_dict`` as a validator, or None where the core is missing."""
    try:
        from art60kit.caseio import case_from_dict
    except ImportError:  # the calculation core is not installed/landed yet
        return None

    def validate(case: Mapping[str, Any]) -> None:
        case_from_dict(dict(case), source="<register>")

    return validate


def toolkit_planner() -> Optional[Planner]:
    """The toolkit's planner (``caseio.case_from_dict`` then ``planner.plan``) as a
    dict -> dict callable, or None where the core is missing."""
    try:
        from art60kit.caseio import case_from_dict
        from art60kit.uncertain import plan_dict
    except ImportError:
        return None

    def run(case: Mapping[str, Any]) -> Mapping[str, Any]:
        # with uncertain values the stored plan also holds the range ("uncertain")
        return plan_dict(case_from_dict(dict(case), source="<register>"))

    return run


@lru_cache(maxsize=1)
def toolkit_version() -> str:
    try:
        from importlib.metadata import version
        return version("art60kit")
    except Exception:  # running from a source tree without metadata
        return "dev"


def plan_row(request_id: str, version_no: int, case: Mapping[str, Any],
             planner: Optional[Planner], computed_at: datetime, *, keep_steps: bool = True,
             precomputed: Optional[Mapping[str, Any]] = None,
             precomputed_error: Optional[str] = None) -> Optional[dict[str, Any]]:
    """The ``plans`` row for one version, or None without a planner.

    A planner failure is stored (``ok`` False, one-line ``error``), not raised: a draft
    may be incomplete, and the register keeps what the user entered.
    """
    if precomputed is None and precomputed_error is None:
        if planner is None:
            return None
        try:
            precomputed = planner(case)
        except Exception as exc:  # the planner's refusal is data here, not a crash
            precomputed_error = " | ".join(str(exc).splitlines()) or type(exc).__name__
    row: dict[str, Any] = {
        "request_id": request_id, "version_no": version_no, "computed_at": computed_at,
        "toolkit_version": toolkit_version(), "ok": precomputed_error is None,
        "error": precomputed_error, "end_date": None, "days_to_work": None,
        "days_required": None, "rules": None, "age_category": None, "plan_json": None,
    }
    if precomputed is not None and precomputed_error is None:
        data = dict(precomputed)
        if not keep_steps:
            data.pop("steps", None)
        dtw = data.get("days_to_work")
        dreq = data.get("days_required")
        row.update(
            end_date=_as_date(data.get("end_date")),
            days_to_work=int(dtw) if dtw is not None else None,
            days_required=float(dreq) if dreq is not None else None,
            rules=data.get("rules"), age_category=data.get("age_category"),
            plan_json=zlib.compress(canonical_json(data).encode("utf-8"), 6),
        )
    return row


def load_plan_json(blob: Optional[bytes]) -> dict[str, Any]:
    if not blob:
        return {}
    return json.loads(zlib.decompress(blob).decode("utf-8"))
