"""The exercises of the CPAS training notebook, prepared from the core.

Everything a trainee's notebook needs is built here, so that the notebook holds only
text, the questions and the answer boxes: the cases (synthetic examples), the plans
made by :func:`art60kit.planner.plan` (or :func:`art60kit.uncertain.plan_range` for
uncertain data), and the :class:`~art60kit.widgets.exercises.Exercise` objects with
their explanations in French, Dutch and English. No figure is typed by hand.

>>> T = training("nl")
>>> sorted(T.exercises) == list(range(1, 9))
True
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..caseio import case_from_dict, case_to_dict, load_case
from ..model import CareerLine, Event
from ..planner import plan
from .exercises import Exercise

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def examples_dir() -> Path:
    """The folder of the synthetic example cases."""
    return EXAMPLES


def _line_credit(case, index: int) -> float:
    """Credit of one career line in the six-day regime, from the core's explanation."""
    p = plan(case, sensitivity=False)
    return next(s.values["credit_total"] for s in p.steps if s.id == f"line.{index + 1}")


WHY = {
    1: {"fr": "12 jours de travail × 6/3 = {answer} jours : on convertit toujours vers le régime de six jours (AM 26/11/1991, art. 7).",
        "nl": "12 arbeidsdagen × 6/3 = {answer} dagen: men rekent altijd om naar de zesdagenregeling (MB 26/11/1991, art. 7).",
        "en": "12 working days × 6/3 = {answer} days: days are always converted to the six-day regime (MD 26/11/1991, art. 7)."},
    2: {"fr": "En régime 5 jours avec Q/S = 15/38, chaque jour de travail vaut 6/5 × 15/38 : la ligne vaut {answer} jours au lieu de bien plus à temps plein. D'où le commentaire joint à la demande (exercice 8).",
        "nl": "In een vijfdagenregeling met Q/S = 15/38 is elke arbeidsdag 6/5 × 15/38 waard: de lijn is {answer} dagen waard, veel minder dan voltijds. Vandaar de opmerking bij de aanvraag (oefening 8).",
        "en": "In a 5-day regime with Q/S = 15/38 each working day is worth 6/5 × 15/38: the line is worth {answer} days, far less than full time. Hence the comment attached to the request (exercise 8)."},
    3: {"fr": "La vraie date de fin est le {answer} : après son 36e anniversaire, la personne doit remplir la condition des 36-49 ans (plus de jours sur une plus longue période) ; il faut donc travailler plus longtemps.",
        "nl": "De echte einddatum is {answer}: na de 36e verjaardag moet de persoon aan de voorwaarde voor 36-49 jaar voldoen (meer dagen over een langere periode); er moet dus langer gewerkt worden.",
        "en": "The true end date is {answer}: after the 36th birthday the person must meet the 36-49 condition (more days over a longer period), so the contract lasts longer."},
    4: {"fr": "La date de fin recule de {answer} jours, plus que la durée du congé : le congé sans solde ne compte pas (à partir du 1er mars 2026 il n'est plus assimilé) et, pendant qu'on preste les jours manquants, d'anciens jours sortent de la période de référence. C'est pourquoi on introduit une seconde demande en fin de contrat.",
        "nl": "De einddatum schuift {answer} dagen op, meer dan de duur van het verlof: onbetaald verlof telt niet mee (vanaf 1 maart 2026 niet meer gelijkgesteld) en terwijl de ontbrekende dagen gepresteerd worden, vallen oude dagen uit de referteperiode. Daarom dient men op het einde van het contract een tweede aanvraag in.",
        "en": "The end date moves {answer} days later, more than the leave itself: unpaid leave does not count (from 1 March 2026 it is no longer assimilated) and while the missing days are worked, old days leave the reference period. That is why a second request is sent at the end of the contract."},
    5: {"fr": "La période est prolongée de {answer} jours : toute la durée de l'activité indépendante qui touche la période (au plus 15 ans), ce qui y ramène le travail salarié antérieur.",
        "nl": "De periode wordt met {answer} dagen verlengd: de volledige duur van de zelfstandige activiteit die de periode raakt (hoogstens 15 jaar), zodat vroegere loontewerkstelling weer meetelt.",
        "en": "The period is extended by {answer} days: the whole length of the self-employment that touches the period (at most 15 years), which brings older salaried work back into it."},
    6: {"fr": "Nouvelle date de fin : {answer}. Ce n'est pas simplement « un mois plus tard » : la période de référence glisse et la réglementation change le 1er mars 2026.",
        "nl": "Nieuwe einddatum: {answer}. Dat is niet gewoon „een maand later”: de referteperiode schuift op en de regelgeving verandert op 1 maart 2026.",
        "en": "New end date: {answer}. Not simply “a month later”: the reference period slides and the rules change on 1 March 2026."},
    7: {"fr": "Fin le {answer} : la demande d'allocations tombe après le 28/02/2026, c'est donc la nouvelle réglementation qui s'applique (312 jours dans les 36 mois avant la demande, sans catégorie d'âge) ; certaines périodes ne sont plus assimilées ni ne prolongent la période.",
        "nl": "Einde op {answer}: de uitkeringsaanvraag valt na 28/02/2026, dus geldt de nieuwe regelgeving (312 dagen in de 36 maanden vóór de aanvraag, zonder leeftijdscategorie); sommige periodes worden niet meer gelijkgesteld of verlengen de periode niet meer.",
        "en": "Ends on {answer}: the benefit request falls after 28/02/2026, so the new rules apply (312 days in the 36 months before the request, no age category); some periods are no longer assimilated and no longer extend the period."},
    8: {"fr": "Au plus tard le {answer} : c'est la fin si les lignes connues par la seule Dimona ne valaient presque rien. Le contrat est prévu jusque-là, et le commentaire joint à la demande donne la fourchette et les périodes à vérifier.",
        "nl": "Ten laatste op {answer}: dat is het einde als de lijnen die enkel via de Dimona gekend zijn bijna niets waard zouden zijn. Het contract wordt tot dan gepland en de opmerking bij de aanvraag geeft de vork en de na te kijken periodes.",
        "en": "At the latest on {answer}: the end if the lines known only from the Dimona were worth almost nothing. The contract is planned until then, and the comment attached to the request gives the range and the periods to check."},
}

METHOD = {
    1: {"fr": "Comptez les jours de travail (3 par semaine), puis convertissez vers le régime de six jours : × 6 / 3.",
        "nl": "Tel de arbeidsdagen (3 per week) en reken om naar de zesdagenregeling: × 6 / 3.",
        "en": "Count the working days (3 a week), then convert to the six-day regime: × 6 / 3."},
    2: {"fr": "Comptez les jours de travail (lundi à vendredi) de la ligne, puis multipliez par 6/5 et par Q/S = 15/38.",
        "nl": "Tel de arbeidsdagen (maandag tot vrijdag) van de lijn en vermenigvuldig met 6/5 en met Q/S = 15/38.",
        "en": "Count the line's working days (Monday to Friday), then multiply by 6/5 and by Q/S = 15/38."},
    3: {"fr": "Regardez ce qui change au 36e anniversaire : une autre condition (plus de jours, plus de mois). Le panneau ou le calcul pas à pas vous aide.",
        "nl": "Kijk wat verandert op de 36e verjaardag: een andere voorwaarde (meer dagen, meer maanden). Het paneel of de stapsgewijze berekening helpt.",
        "en": "Look at what changes on the 36th birthday: another condition (more days, more months). The panel or the step-by-step calculation helps."},
    4: {"fr": "Ajoutez le congé dans l'éditeur, comparez la nouvelle date de fin à l'ancienne et comptez les jours calendrier entre les deux.",
        "nl": "Voeg het verlof toe in de editor, vergelijk de nieuwe einddatum met de oude en tel de kalenderdagen ertussen.",
        "en": "Add the leave in the editor, compare the new end date with the old one and count the calendar days between them."},
    5: {"fr": "Une activité indépendante d'au moins quelques mois qui touche la période la prolonge de toute sa durée (plafonnée) : comptez ses jours calendrier.",
        "nl": "Een zelfstandige activiteit van minstens enkele maanden die de periode raakt, verlengt ze met haar volledige (begrensde) duur: tel haar kalenderdagen.",
        "en": "Self-employment of at least a few months that touches the period extends it by its whole (capped) length: count its calendar days."},
    6: {"fr": "Changez le début du contrat dans le panneau « Et si… ? » et lisez la nouvelle date de fin ; réfléchissez à pourquoi elle ne recule pas d'un mois exactement.",
        "nl": "Wijzig het begin van het contract in het paneel „Wat als…?” en lees de nieuwe einddatum; denk na waarom ze niet precies een maand opschuift.",
        "en": "Change the contract start in the what-if panel and read the new end date; think about why it does not move by exactly one month."},
    7: {"fr": "Repérez la date de la demande (le lendemain de la fin) : avant ou après le 1er mars 2026 ? Après, la condition est 312 jours dans les 36 mois.",
        "nl": "Zoek de aanvraagdatum (de dag na het einde): vóór of na 1 maart 2026? Daarna is de voorwaarde 312 dagen in 36 maanden.",
        "en": "Find the request date (the day after the end): before or after 1 March 2026? After it, the condition is 312 days in 36 months."},
    8: {"fr": "La date la plus tardive vient des valeurs qui créditent le moins : donnez aux heures inconnues leur plus petite valeur.",
        "nl": "De laatste datum komt van de waarden die het minst opleveren: geef de onbekende uren hun kleinste waarde.",
        "en": "The latest date comes from the values that credit least: give the unknown hours their smallest value."},
}


@dataclass(frozen=True)
class Training:
    """The cases, plans and exercises of the training notebook, for one language."""

    lang: str
    cases: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)
    exercises: dict = field(default_factory=dict)
    ranges: dict = field(default_factory=dict)

    def ex(self, n: int):
        """The answer box of exercise ``n``."""
        return self.exercises[n].widget(self.lang)

    def check(self, n: int, value):
        """Feedback on ``value`` typed as an answer to exercise ``n``."""
        return self.exercises[n].check(value, self.lang)

    def answer_key(self) -> str:
        """Every answer with its explanation (trainer's version only)."""
        return "\n\n".join(f"{n}. {ex.answer_text(self.lang)}" for n, ex in sorted(self.exercises.items()))

    def editor(self, name: str = "demo"):
        """The case editor on one of the exercise cases, in the reader's language."""
        from .editor import CaseEditor
        return CaseEditor(self.cases[name], lang=self.lang)

    def whatif(self, name: str = "demo"):
        """The what-if panel on one of the exercise cases, in the reader's language."""
        from .whatif import WhatIfPanel
        return WhatIfPanel(self.cases[name], lang=self.lang)


def uncertain_dimona_case():
    """The Dimona case with its two Dimona-only lines' working time ``unknown``."""
    d = case_to_dict(load_case(EXAMPLES / "incomplete-dimona.yaml"))
    for line in d["career"]:
        if (line.get("source") or "").lower().startswith("dimona"):
            line["weekly_hours"] = "unknown"
            line["days_per_week"] = 5
            line["doubt"] = "Dimona"
            line.pop("note", None)
    d.pop("comment", None)
    return case_from_dict(d, source="incomplete-dimona")


@lru_cache(maxsize=4)
def training(lang: str = "fr") -> Training:
    """Build every exercise from the core (a few seconds)."""
    from ..uncertain import plan_range

    base = load_case(EXAMPLES / "demo-001.yaml")
    one_line = replace(base, career=(CareerLine("work", date(2024, 9, 2), date(2024, 9, 27), days_per_week=3),))
    dimona = load_case(EXAMPLES / "incomplete-dimona.yaml")
    at15 = replace(dimona, career=tuple(replace(l, days_per_week=5, weekly_hours=15, full_time_hours=38) if i == 1 else l
                                        for i, l in enumerate(dimona.career)))
    age36 = plan(load_case(EXAMPLES / "age-36.yaml"), sensitivity=False)
    demo = plan(base, sensitivity=False)
    leave = plan(base.with_contract(events=base.contract.events + (
        Event("unpaid_leave", date(2026, 1, 5), date(2026, 1, 30)),)), sensitivity=False)
    selfemp = plan(load_case(EXAMPLES / "self-employed.yaml"), sensitivity=False)
    later = plan(base.with_contract(start=date(2025, 10, 6)), sensitivity=False)
    reform = plan(load_case(EXAMPLES / "reform-2026.yaml"), sensitivity=False)
    unc = uncertain_dimona_case()
    rng = plan_range(unc)
    ex = {
        1: Exercise("regime", _line_credit(one_line, 0), WHY[1], METHOD[1]),
        2: Exercise("dimona", round(_line_credit(at15, 1), 1), WHY[2], METHOD[2], tolerance=0.05),
        3: Exercise("age36", age36.end_date, WHY[3], METHOD[3]),
        4: Exercise("leave", (leave.end_date - demo.end_date).days, WHY[4], METHOD[4]),
        5: Exercise("selfemp", selfemp.window.extended_by_days, WHY[5], METHOD[5]),
        6: Exercise("postponed", later.end_date, WHY[6], METHOD[6]),
        7: Exercise("reform2026", reform.end_date, WHY[7], METHOD[7]),
        8: Exercise("uncertain", rng.end_max, WHY[8], METHOD[8]),
    }
    return Training(lang, cases={"demo": base, "dimona": dimona, "uncertain": unc,
                                 "reform": load_case(EXAMPLES / "reform-2026.yaml")},
                    plans={"age36": age36, "demo": demo, "reform": reform}, exercises=ex,
                    ranges={"uncertain": rng})
