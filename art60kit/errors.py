"""Errors the user can act on.

Every problem with an input names the file, the field path and what is wrong, in one
line: ``FILE: field.path: what is wrong``. The CLI prints these lines and exits with
status 2; it never shows a traceback for bad input.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One problem found in an input.

    >>> str(Problem("case.yaml", "career[2].end", "ends before it starts (2024-01-01 < 2024-02-01)"))
    'case.yaml: career[2].end: ends before it starts (2024-01-01 < 2024-02-01)'
    """

    file: str
    path: str
    message: str
    severity: str = "error"  # "error" stops the calculation; "warning" is reported with it

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.file}: {self.path}: {prefix}{self.message}"


class InputError(Exception):
    """Bad input: one or more problems, all reported at once."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class AmbiguityError(InputError):
    """The sources allow two readings that give different results and the chosen
    interpretation option says to refuse rather than pick one."""
