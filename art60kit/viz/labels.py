"""Labels of the figures and widgets, in French, Dutch and English.

Kept apart from :mod:`art60kit.i18n` (owned by the core) so that views can add their
own wording; kinds of lines, dates and numbers still come from :mod:`art60kit.i18n`.
Every key exists in the three languages with the same placeholders (tested).

>>> label("lane.work", "nl")
'Arbeid'
"""
from __future__ import annotations

from ..i18n import LANGS  # noqa: F401  (the languages the core speaks)

LABELS: dict[str, dict[str, str]] = {
    # lanes of the career timeline
    "lane.work": {"fr": "Travail", "nl": "Arbeid", "en": "Work"},
    "lane.assimilated": {"fr": "Assimilé", "nl": "Gelijkgesteld", "en": "Assimilated"},
    "lane.extension": {"fr": "Prolongation", "nl": "Verlenging", "en": "Extension"},
    "lane.excluded": {"fr": "Exclu / neutre", "nl": "Uitgesloten / neutraal", "en": "Excluded / neutral"},
    "lane.contract": {"fr": "Contrat art. 60", "nl": "Art. 60-contract", "en": "Art. 60 contract"},
    "lane.other_employers": {"fr": "autres employeurs", "nl": "andere werkgevers", "en": "other employers"},
    "lane.no_employer": {"fr": "employeur inconnu", "nl": "werkgever onbekend", "en": "employer unknown"},
    # markers
    "mark.window": {"fr": "Période de référence ({months} mois)", "nl": "Referteperiode ({months} maanden)",
                    "en": "Reference period ({months} months)"},
    "mark.window_extension": {"fr": "Prolongation de la période (+{days} j)", "nl": "Verlenging van de periode (+{days} d)",
                              "en": "Extension of the period (+{days} d)"},
    "mark.extension_used": {"fr": "période qui prolonge", "nl": "verlengende periode", "en": "extending period"},
    "mark.end_date": {"fr": "Date de fin {date}", "nl": "Einddatum {date}", "en": "End date {date}"},
    "mark.naive_end": {"fr": "Fin « naïve » {date}", "nl": "« Naïef » einde {date}", "en": "Naive end {date}"},
    "mark.contract_start": {"fr": "Début du contrat {date}", "nl": "Begin van het contract {date}",
                            "en": "Contract start {date}"},
    "mark.age": {"fr": "{age} ans le {date}", "nl": "{age} jaar op {date}", "en": "aged {age} on {date}"},
    "mark.rule_change": {"fr": "Réforme du {date}", "nl": "Hervorming van {date}", "en": "Reform of {date}"},
    "mark.absence": {"fr": "événement pendant le contrat", "nl": "gebeurtenis tijdens het contract",
                     "en": "event during the contract"},
    "mark.already": {"fr": "déjà admissible au début du contrat", "nl": "al toelaatbaar bij het begin van het contract",
                     "en": "already admissible at the contract start"},
    "mark.unreachable": {"fr": "pas de date de fin dans l'horizon", "nl": "geen einddatum binnen de horizon",
                         "en": "no end date within the horizon"},
    # titles
    "title.timeline": {"fr": "Carrière et contrat — {case_id}", "nl": "Loopbaan en contract — {case_id}",
                       "en": "Career and contract — {case_id}"},
    "title.breakdown": {"fr": "D'où viennent les jours — {case_id}", "nl": "Waar de dagen vandaan komen — {case_id}",
                        "en": "Where the days come from — {case_id}"},
    "title.windows": {"fr": "La période de référence glisse — {case_id}", "nl": "De referteperiode schuift — {case_id}",
                      "en": "The reference period slides — {case_id}"},
    "axis.days": {"fr": "jours (régime de six jours)", "nl": "dagen (zesdagenregeling)", "en": "days (six-day regime)"},
    "axis.date": {"fr": "date de la demande", "nl": "aanvraagdatum", "en": "request date"},
    # day breakdown
    "part.work": {"fr": "travail compté (temps plein)", "nl": "getelde arbeid (voltijds)", "en": "counted work (full time)"},
    "part.converted": {"fr": "travail converti (temps partiel, heures, jours)",
                       "nl": "omgerekende arbeid (deeltijds, uren, dagen)",
                       "en": "converted work (part time, hours, days)"},
    "part.assimilated": {"fr": "jours assimilés", "nl": "gelijkgestelde dagen", "en": "assimilated days"},
    "part.contract": {"fr": "jours du contrat art. 60", "nl": "dagen van het art. 60-contract", "en": "art. 60 contract days"},
    "part.quarter_cap": {"fr": "plafond de 78 jours par trimestre", "nl": "plafond van 78 dagen per kwartaal",
                         "en": "cap of 78 days a quarter"},
    "part.slid_out": {"fr": "sortis de la période (glissement)", "nl": "uit de periode geschoven",
                      "en": "slid out of the window"},
    "part.excluded": {"fr": "exclus (ne comptent pas)", "nl": "uitgesloten (tellen niet)", "en": "excluded (do not count)"},
    "part.absences": {"fr": "absences pendant le contrat", "nl": "afwezigheden tijdens het contract",
                      "en": "absences during the contract"},
    "part.missing": {"fr": "manquants", "nl": "ontbrekend", "en": "missing"},
    "bar.start": {"fr": "Au début du contrat\n{date}", "nl": "Bij het begin van het contract\n{date}",
                  "en": "At the contract start\n{date}"},
    "bar.end": {"fr": "À la demande\n{date}", "nl": "Bij de aanvraag\n{date}", "en": "At the request\n{date}"},
    "bar.not_counted": {"fr": "Non comptés", "nl": "Niet geteld", "en": "Not counted"},
    "mark.required": {"fr": "requis : {days}", "nl": "vereist: {days}", "en": "required: {days}"},
    # window small multiples
    "panel.start": {"fr": "Au début du contrat", "nl": "Bij het begin van het contract", "en": "At the contract start"},
    "panel.naive": {"fr": "À la fin « naïve »", "nl": "Bij het « naïeve » einde", "en": "At the naive end"},
    "panel.end": {"fr": "À la vraie date de fin", "nl": "Bij de echte einddatum", "en": "At the true end date"},
    "panel.status": {"fr": "demande du {date} · {rules} · {counted} / {required} jours · {outcome}",
                     "nl": "aanvraag van {date} · {rules} · {counted} / {required} dagen · {outcome}",
                     "en": "request of {date} · {rules} · {counted} / {required} days · {outcome}"},
    "outcome.ok": {"fr": "admissible", "nl": "toelaatbaar", "en": "admissible"},
    "outcome.missing": {"fr": "il manque {n} jours", "nl": "{n} dagen ontbreken", "en": "{n} days missing"},
    "progress.counted": {"fr": "jours comptés dans la période", "nl": "getelde dagen in de periode",
                         "en": "days counted in the period"},
    "progress.required": {"fr": "jours requis", "nl": "vereiste dagen", "en": "days required"},
    # case editor
    "editor.person": {"fr": "Personne", "nl": "Persoon", "en": "Person"},
    "editor.contract": {"fr": "Contrat art. 60", "nl": "Art. 60-contract", "en": "Art. 60 contract"},
    "editor.career": {"fr": "Prestations passées", "nl": "Vroegere prestaties", "en": "Past career"},
    "editor.events": {"fr": "Événements pendant le contrat", "nl": "Gebeurtenissen tijdens het contract",
                      "en": "Events during the contract"},
    "editor.add_line": {"fr": "Ajouter une ligne", "nl": "Lijn toevoegen", "en": "Add a line"},
    "editor.add_event": {"fr": "Ajouter un événement", "nl": "Gebeurtenis toevoegen", "en": "Add an event"},
    "editor.remove": {"fr": "Supprimer", "nl": "Verwijderen", "en": "Remove"},
    "editor.load": {"fr": "Charger", "nl": "Laden", "en": "Load"},
    "editor.save": {"fr": "Enregistrer", "nl": "Opslaan", "en": "Save"},
    "editor.path": {"fr": "Fichier", "nl": "Bestand", "en": "File"},
    "editor.apply": {"fr": "Valider", "nl": "Valideren", "en": "Validate"},
    "editor.valid": {"fr": "Dossier valide : {n} lignes, {e} événements.", "nl": "Geldig dossier: {n} lijnen, {e} gebeurtenissen.",
                     "en": "Valid case: {n} lines, {e} events."},
    "editor.invalid": {"fr": "Dossier non valide — le dernier dossier valide est conservé :",
                       "nl": "Ongeldig dossier — het laatste geldige dossier blijft behouden:",
                       "en": "Invalid case — the last valid case is kept:"},
    "editor.warnings": {"fr": "Avertissements :", "nl": "Waarschuwingen:", "en": "Warnings:"},
    "editor.saved": {"fr": "Enregistré dans {path}.", "nl": "Opgeslagen in {path}.", "en": "Saved to {path}."},
    "field.case_id": {"fr": "Dossier", "nl": "Dossier", "en": "Case"},
    "field.comment": {"fr": "Commentaire", "nl": "Opmerking", "en": "Comment"},
    "field.birth_date": {"fr": "Date de naissance", "nl": "Geboortedatum", "en": "Birth date"},
    "field.prior_admission": {"fr": "Admission antérieure", "nl": "Eerdere toelating", "en": "Prior admission"},
    "field.start": {"fr": "Début", "nl": "Begin", "en": "Start"},
    "field.end": {"fr": "Fin", "nl": "Einde", "en": "End"},
    "field.kind": {"fr": "Nature", "nl": "Aard", "en": "Kind"},
    "field.employer": {"fr": "Employeur", "nl": "Werkgever", "en": "Employer"},
    "field.days_per_week": {"fr": "Régime (j/sem.)", "nl": "Regime (d/week)", "en": "Regime (d/week)"},
    "field.weekly_hours": {"fr": "Q (h/sem.)", "nl": "Q (u/week)", "en": "Q (h/week)"},
    "field.full_time_hours": {"fr": "S (h/sem.)", "nl": "S (u/week)", "en": "S (h/week)"},
    "field.hours": {"fr": "Heures", "nl": "Uren", "en": "Hours"},
    "field.days": {"fr": "Jours", "nl": "Dagen", "en": "Days"},
    "field.note": {"fr": "Note", "nl": "Nota", "en": "Note"},
    # what-if panel
    "whatif.title": {"fr": "Et si… ?", "nl": "Wat als…?", "en": "What if…?"},
    "whatif.add_absence": {"fr": "Ajouter une absence", "nl": "Afwezigheid toevoegen", "en": "Add an absence"},
    "whatif.options": {"fr": "Options d'interprétation", "nl": "Interpretatieopties", "en": "Interpretation options"},
    "whatif.result": {"fr": "Date de fin <b>{end}</b> · demande du {request} · <b>{days}</b> jours à prester · {rules} · condition {cond}",
                      "nl": "Einddatum <b>{end}</b> · aanvraag van {request} · <b>{days}</b> te presteren dagen · {rules} · voorwaarde {cond}",
                      "en": "End date <b>{end}</b> · request of {request} · <b>{days}</b> days to work · {rules} · condition {cond}"},
    "whatif.already": {"fr": "Déjà admissible au début du contrat ({cond}).", "nl": "Al toelaatbaar bij het begin van het contract ({cond}).",
                       "en": "Already admissible at the contract start ({cond})."},
    "whatif.unreachable": {"fr": "Aucune date de fin dans l'horizon de calcul.", "nl": "Geen einddatum binnen de rekenhorizon.",
                           "en": "No end date within the planning horizon."},
    "whatif.naive": {"fr": "fin « naïve » : {date}", "nl": "« naïef » einde: {date}", "en": "naive end: {date}"},
    # exercises
    "ex.no_answer": {"fr": "Entrez votre réponse, puis relancez la cellule.", "nl": "Vul uw antwoord in en voer de cel opnieuw uit.",
                     "en": "Enter your answer, then run the cell again."},
    "ex.unreadable": {"fr": "Réponse illisible : {value!r}. Attendu : {expected_kind}.", "nl": "Onleesbaar antwoord: {value!r}. Verwacht: {expected_kind}.",
                      "en": "Unreadable answer: {value!r}. Expected: {expected_kind}."},
    "ex.right": {"fr": "✔ Correct : {answer}. {why}", "nl": "✔ Juist: {answer}. {why}", "en": "✔ Right: {answer}. {why}"},
    "ex.wrong": {"fr": "✘ Pas tout à fait : vous avez répondu {value}, la bonne réponse est {answer}. {why}",
                 "nl": "✘ Niet helemaal: u antwoordde {value}, het juiste antwoord is {answer}. {why}",
                 "en": "✘ Not quite: you answered {value}, the right answer is {answer}. {why}"},
    "ex.hint_low": {"fr": "(Votre chiffre est trop bas.)", "nl": "(Uw cijfer is te laag.)", "en": "(Your figure is too low.)"},
    "ex.hint_high": {"fr": "(Votre chiffre est trop haut.)", "nl": "(Uw cijfer is te hoog.)", "en": "(Your figure is too high.)"},
    "ex.kind_number": {"fr": "un nombre", "nl": "een getal", "en": "a number"},
    "ex.kind_date": {"fr": "une date JJ/MM/AAAA", "nl": "een datum DD/MM/JJJJ", "en": "a date DD/MM/YYYY"},
    "ex.check": {"fr": "Vérifier", "nl": "Controleren", "en": "Check"},
}


def label(key: str, lang: str = "fr", **values) -> str:
    """The label ``key`` in ``lang`` (fr, nl, en) with ``values`` filled in."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (one of: {', '.join(LANGS)})")
    return LABELS[key][lang].format(**values)
