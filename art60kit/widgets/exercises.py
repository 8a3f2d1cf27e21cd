"""Training exercises: the learner types an answer, the notebook says whether it is
right and explains the method without giving the figure away.

The expected answer is always computed by the core (:mod:`art60kit.widgets.training`
builds the exercises from plans); ``why`` explains the result (it may use
``{answer}``) and is shown once the answer is right, or on request in the trainer's
answer key; ``method`` explains how to get there without the figure and is what a wrong
answer gets.

Answers are accepted as people type them: ``56,8`` or ``56.8``, ``29/11/2024`` or
``2024-11-29``, with or without quotes; typed as Python code without quotes, ``56,8``
becomes ``(56, 8)`` and ``29/11/2024`` a division: both are recognised (a division
only when it is the expected date's).

>>> ex = Exercise("q1", 150, {"fr": "Le contrat crédite 6 jours par semaine."},
...               {"fr": "Comptez les semaines du contrat."})
>>> print(ex.check("150", "fr"))
✔ Correct : 150. Le contrat crédite 6 jours par semaine.
>>> print(ex.check("120", "fr"))
✘ Pas encore : vous avez répondu 120. Comptez les semaines du contrat. (Votre chiffre est trop bas.)
>>> Exercise("d", date(2024, 11, 29)).check(29/11/2024, "fr").right
True
>>> Exercise("n", 56.8).check((56, 8), "fr").right
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Optional, Union

from ..i18n import fmt_date, fmt_num
from ..viz.labels import label

_QUOTES = "'\"«»“”„‘’` "


@dataclass(frozen=True)
class Feedback:
    right: Optional[bool]  # None: no answer yet
    text: str

    def __str__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


def parse_date(v) -> Optional[date]:
    """A date as typed: DD/MM/YYYY, D/M/YYYY, DD.MM.YYYY, DD-MM-YYYY or YYYY-MM-DD,
    quotes and spaces around ignored.

    >>> parse_date(" '29/11/2024' "), parse_date("2024-11-29"), parse_date("31/02/2024")
    (datetime.date(2024, 11, 29), datetime.date(2024, 11, 29), None)
    """
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    from ..formats import ParseError
    from ..formats import parse_date as read_date

    s = str(v).strip().strip(_QUOTES)
    try:
        return read_date(s)  # Belgian ways of writing a date (art60kit.formats)
    except (ParseError, ValueError):
        return None


def parse_number(v) -> Optional[float]:
    """A number as typed: decimal comma or point, spaces (also thin/non-breaking) as
    thousands separators, quotes ignored; ``(56, 8)`` (``56,8`` typed as code) is 56.8.

    >>> parse_number("56,8"), parse_number('"56.8"'), parse_number("1 234,5"), parse_number((56, 8))
    (56.8, 56.8, 1234.5, 56.8)
    """
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in v) \
            and v[1] >= 0:
        return float(f"{v[0]}.{v[1]}")
    from ..formats import ParseError
    from ..formats import parse_number as read_number

    try:
        return read_number(str(v).strip().strip(_QUOTES))  # decimal comma or point (art60kit.formats)
    except (ParseError, ValueError):
        return None


@dataclass(frozen=True)
class Exercise:
    """One question. ``expected``: the core's figure (number or date); ``why``: the
    explanation of the result per language (may use ``{answer}``); ``method``: how to
    find it, without the figure (shown after a wrong answer)."""

    id: str
    expected: Union[float, int, date]
    why: dict = field(default_factory=dict)
    method: dict = field(default_factory=dict)
    tolerance: float = 0.0

    def _fmt(self, v, lang):
        if isinstance(v, date):
            return fmt_date(v, lang)
        if float(v).is_integer():
            return str(int(v))
        return fmt_num(v, lang)

    def _text(self, texts: dict, lang: str) -> str:
        return texts.get(lang, texts.get("en", "")).format(answer=self._fmt(self.expected, lang))

    def answer_text(self, lang: str = "fr") -> str:
        """The answer and its explanation (the trainer's answer key)."""
        return label("ex.reveal", lang, answer=self._fmt(self.expected, lang), why=self._text(self.why, lang))

    def check(self, value, lang: str = "fr", reveal: bool = False) -> Feedback:
        """Is ``value`` right? ``None`` or "" means no answer yet. A wrong answer gets
        the method and whether it is too high or low; ``reveal`` adds the answer."""
        if value is None or (isinstance(value, str) and not value.strip(_QUOTES)):
            return Feedback(None, label("ex.no_answer", lang))
        tip = ""
        if isinstance(self.expected, date):
            e = self.expected
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not isinstance(value, date):
                # 29/11/2024 or 2024-11-29 typed without quotes: Python computed it
                if value in (e.day / e.month / e.year, e.year - e.month - e.day):
                    got, tip = e, " " + label("ex.typed_as_code", lang)
                else:
                    return Feedback(False, label("ex.division", lang, value=value))
            else:
                got = parse_date(value)
                if got is None:
                    return Feedback(False, label("ex.unreadable2", lang, value=value, example="31/12/2025",
                                                 expected_kind=label("ex.kind_date", lang)))
            ok = got == e
        else:
            got = parse_number(value)
            if isinstance(value, tuple):
                tip = " " + label("ex.typed_as_code", lang)
            if got is None:
                return Feedback(False, label("ex.unreadable2", lang, value=value,
                                             example=fmt_num(12.5, lang) if lang != "en" else "12.5",
                                             expected_kind=label("ex.kind_number", lang)))
            ok = abs(got - float(self.expected)) <= self.tolerance + 1e-9
        answer = self._fmt(self.expected, lang)
        if ok:
            return Feedback(True, label("ex.right", lang, answer=answer, why=self._text(self.why, lang)) + tip)
        if isinstance(self.expected, date):
            hint = label("ex.date_early" if got < self.expected else "ex.date_late", lang)
        else:
            hint = label("ex.hint_low" if got < float(self.expected) else "ex.hint_high", lang)
        text = label("ex.wrong_hint", lang, value=self._fmt(got, lang), method=self._text(self.method, lang)) + " " + hint
        if reveal:
            text += " " + self.answer_text(lang)
        return Feedback(False, text + tip)

    def widget(self, lang: str = "fr", reveal_after: int = 3):
        """A text box, a button and the feedback (for learners in JupyterLab); the
        answer is shown after ``reveal_after`` wrong attempts."""
        import ipywidgets as W

        box = W.Text(placeholder="?", description=label("ex.answer_box", lang), continuous_update=False,
                     style={"description_width": "initial"}, layout=W.Layout(width="260px"))
        button = W.Button(description=label("ex.check", lang), button_style="primary")
        out = W.HTML()
        wrong = [0]

        def go(_=None):
            fb = self.check(box.value, lang)
            if fb.right is False:
                wrong[0] += 1
                if wrong[0] >= reveal_after:
                    fb = self.check(box.value, lang, reveal=True)
            color = {True: "#009E73", False: "#D55E00"}.get(fb.right, "#555")
            out.value = f"<div style='color:{color};max-width:760px'>{_html(fb.text)}</div>"

        button.on_click(go)
        box.observe(go, names="value")
        return W.VBox([W.HBox([box, button]), out])


def _html(text: str) -> str:
    import html
    return html.escape(text)
