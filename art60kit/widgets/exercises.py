"""Training exercises: the learner enters a figure, the notebook says whether it is
right and why.

The expected answer is always computed by the core (the notebook passes it in from a
plan); the explanation is a text with ``{answer}`` filled in. Answers are numbers
(``tolerance`` allowed, e.g. 0.05 day) or dates (DD/MM/YYYY or YYYY-MM-DD).

>>> ex = Exercise("q1", 150, {"fr": "Le contrat crédite 6 jours par semaine.", "nl": "...", "en": "..."})
>>> print(ex.check(150, "fr"))
✔ Correct : 150. Le contrat crédite 6 jours par semaine.
>>> print(ex.check("120", "fr"))
✘ Pas tout à fait : vous avez répondu 120, la bonne réponse est 150. Le contrat crédite 6 jours par semaine. (Votre chiffre est trop bas.)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Optional, Union

from ..i18n import fmt_date, fmt_num
from ..viz.labels import label


@dataclass(frozen=True)
class Feedback:
    right: Optional[bool]  # None: no answer yet
    text: str

    def __str__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


def _parse_date(v) -> Optional[date]:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = str(v).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    return None


def _parse_number(v) -> Optional[float]:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).strip().replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class Exercise:
    """One question. ``expected``: the core's figure (number or date); ``why``: the
    explanation per language, may use ``{answer}``."""

    id: str
    expected: Union[float, int, date]
    why: dict = field(default_factory=dict)
    tolerance: float = 0.0

    def _fmt(self, v, lang):
        if isinstance(v, date):
            return fmt_date(v, lang)
        if float(v).is_integer():
            return str(int(v))
        return fmt_num(v, lang)

    def check(self, value, lang: str = "fr") -> Feedback:
        """Is ``value`` right? ``None`` or "" means no answer yet."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return Feedback(None, label("ex.no_answer", lang))
        answer = self._fmt(self.expected, lang)
        why = self.why.get(lang, self.why.get("en", "")).format(answer=answer)
        if isinstance(self.expected, date):
            got = _parse_date(value)
            if got is None:
                return Feedback(False, label("ex.unreadable", lang, value=value, expected_kind=label("ex.kind_date", lang)))
            ok = got == self.expected
        else:
            got = _parse_number(value)
            if got is None:
                return Feedback(False, label("ex.unreadable", lang, value=value, expected_kind=label("ex.kind_number", lang)))
            ok = abs(got - float(self.expected)) <= self.tolerance + 1e-9
        if ok:
            return Feedback(True, label("ex.right", lang, answer=answer, why=why))
        hint = ""
        if not isinstance(self.expected, date):
            hint = " " + label("ex.hint_low" if got < float(self.expected) else "ex.hint_high", lang)
        else:
            hint = " " + label("ex.hint_low" if got < self.expected else "ex.hint_high", lang).replace(
                "chiffre", "date").replace("cijfer", "datum").replace("figure", "date")
        return Feedback(False, label("ex.wrong", lang, value=self._fmt(got, lang), answer=answer, why=why) + hint)

    def widget(self, lang: str = "fr"):
        """A text box, a button and the feedback (for learners in JupyterLab)."""
        import ipywidgets as W

        box = W.Text(placeholder="?", continuous_update=False, layout=W.Layout(width="160px"))
        button = W.Button(description=label("ex.check", lang))
        out = W.HTML()

        def go(_=None):
            out.value = self.check(box.value, lang).text

        button.on_click(go)
        box.observe(go, names="value")
        return W.VBox([W.HBox([box, button]), out])
