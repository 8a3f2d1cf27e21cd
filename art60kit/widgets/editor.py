"""A case editor in ipywidgets.

Every field is a text box: dates may be typed DD/MM/YYYY or ISO and numbers with a
decimal comma (read by :mod:`art60kit.formats`); everything else goes as typed to
:func:`art60kit.caseio.case_from_dict`, so an invalid entry gets the CLI's message
in the editor's language, the field named in words and no file path and the last valid case is kept
(:attr:`CaseEditor.case`). Empty boxes are omitted from the case.

Driving it from code (tests, notebooks)::

    ed = CaseEditor(load_case("examples/demo-001.yaml"), lang="fr")
    ed.set_line(0, end="2023-05-31")      # re-validates; ed.case is the new case
    ed.add_line(kind="work", start="2024-09-02", end="2024-09-27", days="20", days_per_week="5")
    ed.set_contract(weekly_hours="45")    # Q > S: error shown, ed.case unchanged
    ed.errors                             # ['Contrat, Q (h/sem.) : Q (45 h) dépasse S, ...']
"""
from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Callable, Optional

from ..caseio import case_from_dict, case_to_dict, dump_case, parse_text
from ..errors import InputError, Problem
from ..formats import ParseError, format_date, parse_date, parse_number
from ..i18n import t
from ..messages import problem_line, problem_text
from ..model import KINDS, Case
from ..viz.labels import label

LINE_FIELDS = ("kind", "start", "end", "employer", "days_per_week", "weekly_hours", "full_time_hours",
               "hours", "days")
EVENT_FIELDS = ("kind", "start", "end", "note")
PERSON_FIELDS = ("birth_date", "prior_admission")
CONTRACT_FIELDS = ("start", "days_per_week", "weekly_hours", "full_time_hours")
_WIDTH = {"kind": "210px", "start": "105px", "end": "105px", "employer": "170px", "note": "200px"}


DATE_FIELDS = ("start", "end", "birth_date", "prior_admission")
NUMBER_FIELDS = ("days_per_week", "weekly_hours", "full_time_hours", "hours", "days")


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return format_date(v)  # shown as people write it: DD/MM/YYYY
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _value(s: str):
    s = (s or "").strip()
    return s if s else None


def _field_value(f: str, s: str):
    """What a box holds, as the case format wants it: a date typed DD/MM/YYYY (or ISO)
    becomes ISO, a number typed with a decimal comma becomes a number. Text that does
    not read is passed on unchanged, so that validation names the field and the problem."""
    v = _value(s)
    if v is None:
        return None
    try:
        if f in DATE_FIELDS:
            return parse_date(v).isoformat()
        if f in NUMBER_FIELDS:
            x = parse_number(v)
            return int(x) if x.is_integer() else x
    except ParseError:
        pass
    return v


class _Row:
    def __init__(self, editor: "CaseEditor", fields: tuple, values: dict):
        import ipywidgets as W

        self.editor = editor
        self.fields = fields
        self.extra = {k: v for k, v in values.items() if k not in fields}  # kept as is (source, note...)
        self.w = {}
        for f in fields:
            lay = W.Layout(width=_WIDTH.get(f, "80px"))
            if f == "kind":
                opts = [(t(f"kind.{k}", editor.lang), k) for k in KINDS]
                v = values.get("kind")
                if v is not None and v not in KINDS:
                    opts.append((str(v), str(v)))
                self.w[f] = W.Dropdown(options=opts, value=v if v is not None else "work", layout=lay)
            else:
                self.w[f] = W.Text(value=_text(values.get(f)), placeholder=label(f"field.{f}", editor.lang),
                                   continuous_update=False, layout=lay)
            self.w[f].observe(editor._changed, names="value")
        self.remove = W.Button(description="✕", tooltip=label("editor.remove", editor.lang),
                               layout=W.Layout(width="36px"))
        self.box = W.HBox([self.w[f] for f in fields] + [self.remove])

    def to_dict(self) -> dict:
        d = dict(self.extra)
        for f in self.fields:
            v = self.w[f].value if f == "kind" else _field_value(f, self.w[f].value)
            if v is not None:
                d[f] = v
        return d

    def set(self, **values) -> None:
        for k, v in values.items():
            if k not in self.fields:
                if v is None:
                    self.extra.pop(k, None)
                else:
                    self.extra[k] = v
                continue
            self.w[k].value = v if k == "kind" else _text(v)


class CaseEditor:
    """Edit a case; :attr:`case` is always the last valid one.

    ``auto_apply``: validate after every change (the default); otherwise call
    :meth:`apply`. ``source`` names the case in messages (the file path once loaded or
    saved). Callbacks registered with :meth:`observe` get each new valid case.
    """

    def __init__(self, case: Optional[Case] = None, lang: str = "fr", auto_apply: bool = True,
                 source: str = "<editor>"):
        import ipywidgets as W

        self.lang = lang
        self.auto_apply = auto_apply
        self.source = source if case is None or case.source in ("<case>", "") else case.source
        self.case: Optional[Case] = None
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.valid = False
        self._holding = 0
        self._callbacks: list[Callable[[Case], None]] = []
        self.lines: list[_Row] = []
        self.events: list[_Row] = []
        L = lambda k: label(k, lang)  # noqa: E731
        self.case_id = W.Text(description=L("field.case_id"), continuous_update=False)
        self.comment = W.Textarea(description=L("field.comment"), continuous_update=False,
                                  layout=W.Layout(width="95%"))
        self.person = {f: W.Text(description=L(f"field.{f}"), placeholder="YYYY-MM-DD", continuous_update=False,
                                 style={"description_width": "initial"}) for f in PERSON_FIELDS}
        self.contract = {f: W.Text(description=L(f"field.{f}"), continuous_update=False,
                                   style={"description_width": "initial"}, layout=W.Layout(width="210px"))
                         for f in CONTRACT_FIELDS}
        for w in [self.case_id, self.comment, *self.person.values(), *self.contract.values()]:
            w.observe(self._changed, names="value")
        self.lines_box = W.VBox()
        self.events_box = W.VBox()
        self.add_line_button = W.Button(description=L("editor.add_line"), icon="plus")
        self.add_line_button.on_click(lambda _: self.add_line())
        self.add_event_button = W.Button(description=L("editor.add_event"), icon="plus")
        self.add_event_button.on_click(lambda _: self.add_event(kind="unpaid_leave"))
        self.path = W.Text(description=L("editor.path"), placeholder="case.yaml", continuous_update=False)
        self.load_button = W.Button(description=L("editor.load"), icon="folder-open")
        self.save_button = W.Button(description=L("editor.save"), icon="save")
        self.load_button.on_click(lambda _: self.load(self.path.value))
        self.save_button.on_click(lambda _: self.save(self.path.value))
        self.apply_button = W.Button(description=L("editor.apply"), icon="check")
        self.apply_button.on_click(lambda _: self.apply())
        self.messages = W.HTML()
        head = lambda k: W.HTML(f"<b>{L(k)}</b>")  # noqa: E731
        cols = lambda fields, extra=36: W.HBox([W.HTML(f"<small>{L('field.' + f)}</small>",  # noqa: E731
                                                       layout=W.Layout(width=_WIDTH.get(f, "80px")))
                                                for f in fields])
        self.widget = W.VBox([
            W.HBox([self.path, self.load_button, self.save_button, self.apply_button]),
            W.HBox([self.case_id]),
            head("editor.person"), W.HBox(list(self.person.values())),
            head("editor.contract"), W.HBox(list(self.contract.values())),
            head("editor.events"), cols(EVENT_FIELDS), self.events_box, self.add_event_button,
            head("editor.career"), cols(LINE_FIELDS), self.lines_box, self.add_line_button,
            self.comment, self.messages,
        ])
        if case is not None:
            self.set_data(case_to_dict(case))

    # ------------------------------------------------------------------ plumbing
    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    @contextlib.contextmanager
    def hold(self):
        """Group several changes into one validation."""
        self._holding += 1
        try:
            yield self
        finally:
            self._holding -= 1
        if not self._holding and self.auto_apply:
            self.apply()

    def _changed(self, change=None):
        if self.auto_apply and not self._holding:
            self.apply()

    def observe(self, callback: Callable[[Case], None]) -> None:
        """Call ``callback(case)`` after each successful validation."""
        self._callbacks.append(callback)

    def _refresh_rows(self):
        self.lines_box.children = [r.box for r in self.lines]
        self.events_box.children = [r.box for r in self.events]

    def _new_row(self, fields, values) -> _Row:
        row = _Row(self, fields, values)
        row.remove.on_click(lambda _, r=row: self._remove_row(r))
        return row

    def _remove_row(self, row):
        for rows in (self.lines, self.events):
            if row in rows:
                rows.remove(row)
        self._refresh_rows()
        self._changed()

    # ------------------------------------------------------------------ data
    def to_dict(self) -> dict:
        """The case as typed (strings; empty boxes omitted), ready for validation."""
        d: dict = {}
        if _value(self.case_id.value):
            d["case_id"] = self.case_id.value.strip()
        d["person"] = {f: _field_value(f, w.value) for f, w in self.person.items() if _value(w.value)}
        contract = {f: _field_value(f, w.value) for f, w in self.contract.items() if _value(w.value)}
        if self.events:
            contract["events"] = [r.to_dict() for r in self.events]
        d["contract"] = contract
        d["career"] = [r.to_dict() for r in self.lines]
        if _value(self.comment.value):
            d["comment"] = self.comment.value
        if getattr(self, "_options", None):
            d["options"] = dict(self._options)
        return d

    def set_data(self, data: dict) -> bool:
        """Fill the form from case-format data (possibly invalid) and validate."""
        with self.hold():
            self.case_id.value = _text(data.get("case_id"))
            self.comment.value = _text(data.get("comment"))
            person = data.get("person") or {}
            for f, w in self.person.items():
                w.value = _text(person.get(f))
            contract = data.get("contract") or {}
            for f, w in self.contract.items():
                w.value = _text(contract.get(f))
            self._options = data.get("options")
            self.lines = [self._new_row(LINE_FIELDS, dict(l)) for l in (data.get("career") or [])]
            self.events = [self._new_row(EVENT_FIELDS, dict(e)) for e in (contract.get("events") or [])]
            self._refresh_rows()
        return self.valid

    def apply(self) -> bool:
        """Validate the form. On success :attr:`case` becomes the new case; on failure
        :attr:`errors` lists the problems (CLI wording) and :attr:`case` is kept."""
        try:
            case = case_from_dict(self.to_dict(), source=self.source)
        except InputError as e:
            self.errors = [problem_text(p, self.lang) for p in e.problems]
            self.valid = False
            self._show()
            return False
        self.errors = []
        self.warnings = [problem_text(w, self.lang) for w in case.warnings]
        self.valid = True
        self.case = case
        self._show()
        for cb in self._callbacks:
            cb(case)
        return True

    def _show(self):
        import html

        L = lambda k, **kw: label(k, self.lang, **kw)  # noqa: E731
        parts = []
        if self.errors:
            parts.append(f"<div style='color:#D55E00'><b>{html.escape(L('editor.invalid'))}</b><ul>" +
                         "".join(f"<li><code>{html.escape(e)}</code></li>" for e in self.errors) + "</ul></div>")
        elif self.case is not None:
            parts.append(f"<div style='color:#009E73'>{html.escape(L('editor.valid', n=len(self.case.career), e=len(self.case.contract.events)))}</div>")
        if self.warnings and not self.errors:
            parts.append(f"<div><b>{html.escape(L('editor.warnings'))}</b><ul>" +
                         "".join(f"<li><code>{html.escape(w)}</code></li>" for w in self.warnings) + "</ul></div>")
        self.messages.value = "".join(parts)

    # ------------------------------------------------------------------ edits
    def add_line(self, **values) -> int:
        """Append a career line (fields as in the case format, as text or numbers);
        returns its index."""
        values.setdefault("kind", "work")
        with self.hold():
            self.lines.append(self._new_row(LINE_FIELDS, values))
            self._refresh_rows()
        return len(self.lines) - 1

    def set_line(self, i: int, **values) -> bool:
        with self.hold():
            self.lines[i].set(**values)
        return self.valid

    def remove_line(self, i: int) -> bool:
        with self.hold():
            del self.lines[i]
            self._refresh_rows()
        return self.valid

    def add_event(self, **values) -> int:
        values.setdefault("kind", "unpaid_leave")
        with self.hold():
            self.events.append(self._new_row(EVENT_FIELDS, values))
            self._refresh_rows()
        return len(self.events) - 1

    def set_event(self, i: int, **values) -> bool:
        with self.hold():
            self.events[i].set(**values)
        return self.valid

    def remove_event(self, i: int) -> bool:
        with self.hold():
            del self.events[i]
            self._refresh_rows()
        return self.valid

    def set_person(self, **values) -> bool:
        with self.hold():
            for k, v in values.items():
                self.person[k].value = _text(v)
        return self.valid

    def set_contract(self, **values) -> bool:
        with self.hold():
            for k, v in values.items():
                self.contract[k].value = _text(v)
        return self.valid

    # ------------------------------------------------------------------ files
    def load(self, path) -> bool:
        """Read a case file into the form. A file that cannot be read or parsed leaves
        the form as it was; a parsed but invalid case is shown with its errors."""
        p = Path(str(path))
        try:
            text = p.read_text(encoding="utf-8")
            data = parse_text(text, str(p))
        except InputError as e:
            self.errors = [problem_line(x, self.lang) for x in e.problems]  # a file: its path helps
            self.valid = False
            self._show()
            return False
        except OSError as e:
            self.errors = [problem_line(Problem(str(p), "(file)", f"cannot be read: {e.strerror or e}"), self.lang)]
            self.valid = False
            self._show()
            return False
        if not isinstance(data, dict):
            self.errors = [problem_line(Problem(str(p), "(top)", "a case must be a mapping of fields, not "
                                            f"{type(data).__name__}"), self.lang)]
            self.valid = False
            self._show()
            return False
        self.source = str(p)
        self.path.value = str(p)
        return self.set_data(data)

    def save(self, path) -> bool:
        """Write the last valid case (only if the form is valid)."""
        if not self.apply():
            return False
        p = Path(str(path))
        dump_case(self.case, p)
        self.source = str(p)
        self.messages.value += f"<div>{label('editor.saved', self.lang, path=p)}</div>"
        return True
