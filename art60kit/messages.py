"""Validation messages in the reader's language.

The checks of the case format (:mod:`art60kit.caseio`) state each problem in one
English line for logs and tests (``FILE: field.path: what is wrong``). This module
gives that line to a person in French, Dutch, German or English:

* :func:`problem_line` — the CLI's file-based form, ``FILE: field.path: message`` with
  the message translated (the file and the field path stay as they are, so that the
  line can be found in the file);
* :func:`problem_text` — the form for a screen (case editor, explorer): no file path,
  the field named in words ("Ligne 3 de la carrière, fin : …").

Each message of the checks is recognised by a pattern (:data:`PATTERNS`) and rewritten
from the text catalog with its figures in the reader's format (dates DD/MM/YYYY). A
message no pattern knows is shown as the check wrote it; the tests run every check
and fail on such a message in French, Dutch and German.
"""
from __future__ import annotations

import re
from datetime import date

from .errors import Problem
from .i18n import fmt_date, fmt_num, has, normalize_lang, t

_D = r"(\d{4}-\d{2}-\d{2})"
_N = r"(-?[\d.]+(?:e[+-]?\d+)?)"

#: (pattern of the check's English message, catalog key, names of the groups). Group
#: names ending in ``_d`` are dates, ``_n`` numbers, ``_k`` kinds of line.
PATTERNS: tuple[tuple[re.Pattern, str, tuple[str, ...]], ...] = tuple(
    (re.compile("^" + rx + "$"), key, names) for rx, key, names in (
        (r"required", "val.required", ()),
        (r"required \(the person's date of birth, YYYY-MM-DD\)", "val.required_birth", ()),
        (r"required \(first day of the contract, YYYY-MM-DD\)", "val.required_start", ()),
        (r"required \(one of: (.*)\)", "val.required_kind", ("list",)),
        (r"required \(.*\)", "val.required", ()),
        (r"not a valid date: (.*) \(.*\)", "val.bad_date", ("value",)),
        (r"not a date: (.*) \(expected YYYY-MM-DD\)", "val.bad_date", ("value",)),
        (_D + r" is outside (\d+)-(\d+)", "val.outside_years", ("value_d", "lo", "hi")),
        (r"not a number: (.*)", "val.not_number", ("value",)),
        (r"not a finite number: (.*)", "val.not_number", ("value",)),
        (_N + r" has more than (\d+) decimals: give it with at most \d+", "val.too_many_decimals", ("value", "n")),
        (r"must be positive, not " + _N, "val.positive", ("value_n",)),
        (r"must be zero or more, not " + _N, "val.zero_or_more", ("value_n",)),
        (r"must be between " + _N + " and " + _N + ", not " + _N, "val.between", ("lo_n", "hi_n", "value_n")),
        (r"'unknown' needs bounds here: give \{min: \.\.\., max: \.\.\.\} \(.*\)", "val.unknown_needs_bounds", ()),
        (r"an uncertain value has only min and max, not (.*)", "val.interval_extra", ("list",)),
        (r"an uncertain value needs both min and max \(or the word unknown\)", "val.interval_both", ()),
        (r"min \(" + _D + r"\) is after max \(" + _D + r"\)", "val.interval_order", ("lo_d", "hi_d")),
        (r"min \(" + _N + r"\) is more than max \(" + _N + r"\)", "val.interval_order", ("lo_n", "hi_n")),
        (r"must be text", "val.text", ()),
        (r"unknown field, ignored", "val.unknown_field", ()),
        (r"must be a mapping of fields, not (\w+)", "val.mapping", ()),
        (r"a case must be a mapping of fields, not (\w+)", "val.mapping", ()),
        (r"must be a list", "val.list", ()),
        (r"must be a list of lines", "val.list", ()),
        (r"ends before it starts \(" + _D + r" < " + _D + r"\)", "val.ends_before_start", ("end_d", "start_d")),
        (r"the period could be empty: the latest start \(" + _D + r"\) is after the earliest end \(" + _D + r"\)",
         "val.period_could_be_empty", ("start_d", "end_d")),
        (r"unknown kind (.*) \(one of: (.*)\)", "val.unknown_kind", ("value", "list")),
        (r"must be at most 60 hours a week, not " + _N, "val.max_60_hours", ("value_n",)),
        (r"Q \(" + _N + r" h\) is more than S, the full-time hours \(" + _N + r" h\)", "val.q_more_than_s",
         ("q_n", "s_n")),
        (r"give one measure: hours or days, not both", "val.one_measure", ()),
        (r"give one measure: total hours, or a Q/S regime, not both", "val.one_measure_hours", ()),
        (_N + r" days worked in a period of (\d+) calendar days", "val.too_many_days", ("value_n", "span")),
        (_N + r" hours in a period of (\d+) calendar days", "val.too_many_hours", ("value_n", "span")),
        (_N + r" days worked in a regime of " + _N + r" days a week: at most " + _N + r" in the (\d+) calendar "
         r"weeks of the period", "val.days_over_regime", ("value_n", "r_n", "max_n", "weeks")),
        (_N + r" hours with a full time of " + _N + r" hours a week: at most " + _N + r" \(twice full time, "
         r"overtime included\) in the (\d+) calendar weeks of the period", "val.hours_over_full_time",
         ("value_n", "s_n", "max_n", "weeks")),
        (r"only used for child_care lines", "val.only_child_care", ()),
        (r"full-time work overlaps career\[(\d+)\] from " + _D + r" to " + _D + r": the same days would count "
         r"twice \(a quarter never counts more than its cap\)", "val.overlap", ("line_i", "start_d", "end_d")),
        (r"unknown option \(one of: (.*)\)", "val.unknown_option", ("list",)),
        (r"(.*) is not one of: (.*)", "val.not_one_of", ("value", "list")),
        (_D + r" is before the birth date", "val.before_birth", ("value_d",)),
        (r"before the birth date", "val.before_birth_plain", ()),
        (_D + r" is before the admission that opened it \(prior_admission " + _D + r"\)", "val.before_admission",
         ("value_d", "prior_d")),
        (_D + r" is before the contract start \(" + _D + r"\)", "val.before_contract", ("value_d", "start_d")),
        (_D + r" is after the contract start \(" + _D + r"\): the work experience includes the contract",
         "val.work_experience_after", ("value_d", "start_d")),
        (r"only used when region is flanders", "val.only_flanders", ()),
        (_D + r" is before the person's 15th birthday \(" + _D + r"\)", "val.before_15", ("value_d", "b15_d")),
        (r"events overlap: (\w+) " + _D + "–" + _D + r" and (\w+) " + _D + "–" + _D, "val.events_overlap",
         ("a_k", "a1_d", "a2_d", "b_k", "b1_d", "b2_d")),
        (_D + r" is on or after the contract start \(" + _D + r"\): past career lines normally end before the contract",
         "val.after_contract_start", ("value_d", "start_d")),
        (r"no such file", "val.no_file", ()),
        (r"case_id (.*) is not in the cases table", "val.batch_orphan", ("value",)),
        (r"(\d+) more lines whose case_id is not in the cases table", "val.batch_orphans_more", ("n",)),
        (r"the folder (.*) does not exist", "val.no_folder", ("folder",)),
        (r"give the lines table too \(or a parts folder\)", "val.batch_lines_needed", ()),
        (r"cannot be read as a table: (.*)", "val.bad_table", ("detail",)),
        (r"missing column\(s\): (.*)", "val.missing_columns", ("list",)),
        (r"is a folder, not a case file", "val.folder", ()),
        (r"not valid YAML: (.*)", "val.bad_yaml", ("detail",)),
        (r"not valid JSON: (.*)", "val.bad_json", ("detail",)),
        (r"nested too deeply", "val.nested", ()),
        (r"not UTF-8 text \((.*)\)", "val.not_utf8", ("detail",)),
        (r"cannot be read: (.*)", "val.unreadable", ("detail",)),
        (r"not a regular file", "val.not_regular_file", ()),
        (r"larger than (\d+) MB", "val.too_large", ("mb",)),
        (r"a whole number with too many digits", "val.too_many_digits", ()),
        (r"not a plausible number: (.*)", "val.implausible_number", ("value",)),
        (r"not a valid value: (.*)", "val.bad_value", ("detail",)),
        (r"(\d+) more errors like those above \(the first (\d+) are listed\)", "val.more_errors", ("n", "first")),
        (r"(\d+) more warnings like those above \(the first (\d+) are listed\)", "val.more_warnings",
         ("n", "first")),
    ))


def _value(name: str, raw: str, lang: str):
    if name.endswith("_d"):
        return fmt_date(date.fromisoformat(raw), lang)
    if name.endswith("_n"):
        return fmt_num(float(raw), lang)
    if name.endswith("_k"):
        return t(f"kind.{raw}", lang) if has(f"kind.{raw}") else raw
    if name.endswith("_i"):
        return str(int(raw) + 1)
    return raw


def message_text(message: str, lang: str) -> str:
    """The message part of a problem in ``lang`` (unchanged if no pattern knows it)."""
    lang = normalize_lang(lang)
    for rx, key, names in PATTERNS:
        m = rx.match(message)
        if m:
            values = {}
            for name, raw in zip(names, m.groups()):
                base = name.rsplit("_", 1)[0] if name[-2:] in ("_d", "_n", "_k", "_i") else name
                values[base] = _value(name, raw, lang)
            return t(key, lang, **values)
    return message


def known(message: str) -> bool:
    """Whether a pattern translates this message."""
    return any(rx.match(message) for rx, _, _ in PATTERNS)


def problem_line(p: Problem, lang: str) -> str:
    """``FILE: field.path: message``, the message in ``lang`` (the CLI's form). A
    problem that writes itself in any language (the import's) does so."""
    if callable(getattr(p, "text", None)):
        return p.text(lang)
    prefix = "" if p.severity == "error" else t("val.warning_prefix", lang)
    return f"{p.file}: {p.path}: {prefix}{message_text(p.message, lang)}"


_PATH = re.compile(r"^(?:(career)\[(\d+)\]|contract\.events\[(\d+)\]|(person|contract|options))(?:\.(\w+))?$")


def field_words(path: str, lang: str) -> str:
    """A field path in words: ``career[2].end`` → "Ligne 3 de la carrière, fin"."""
    m = _PATH.match(path or "")
    if not m:
        return t(f"widget.field.{path}", lang) if has(f"widget.field.{path}") else path
    career_i, event_i, section, field = m.group(2), m.group(3), m.group(4), m.group(5)
    if career_i is not None:
        head = t("val.where.career_line", lang, n=int(career_i) + 1)
    elif event_i is not None:
        head = t("val.where.event", lang, n=int(event_i) + 1)
    else:
        head = t(f"val.where.{section}", lang)
    if field:
        name = t(f"widget.field.{field}", lang) if has(f"widget.field.{field}") else field
        return f"{head}, {name}"
    return head


def problem_text(p: Problem, lang: str) -> str:
    """The problem for a screen: the field in words and the message, no file path."""
    prefix = "" if p.severity == "error" else t("val.warning_prefix", lang)
    sep = " : " if normalize_lang(lang) == "fr" else ": "
    return f"{field_words(p.path, lang)}{sep}{prefix}{message_text(p.message, lang)}"
