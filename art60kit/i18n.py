"""User-facing text in French, Dutch and English.

Every message exists in the three languages with the same placeholders (tested). Names
in code are English; what a user reads is chosen with ``lang`` (``fr``, ``nl``, ``en``).

>>> t("days", "fr", n=3)
'3 jours'
"""
from __future__ import annotations

import string

LANGS = ("fr", "nl", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "days": {"en": "{n} days", "fr": "{n} jours", "nl": "{n} dagen"},
    # --- kinds
    "kind.work": {"en": "salaried work", "fr": "travail salarié", "nl": "loontewerkstelling"},
    "kind.work_abroad": {"en": "work abroad", "fr": "travail à l'étranger", "nl": "arbeid in het buitenland"},
    "kind.student_contract": {"en": "student contract", "fr": "contrat d'étudiant", "nl": "studentenovereenkomst"},
    "kind.apprenticeship": {"en": "apprenticeship", "fr": "apprentissage", "nl": "leerovereenkomst"},
    "kind.not_covered_work": {"en": "work not covered by unemployment insurance", "fr": "occupation non assujettie au secteur chômage", "nl": "tewerkstelling niet onderworpen aan de sector werkloosheid"},
    "kind.self_employed_main": {"en": "self-employed (main occupation)", "fr": "indépendant à titre principal", "nl": "zelfstandige in hoofdberoep"},
    "kind.paid_holiday": {"en": "paid holiday", "fr": "vacances payées", "nl": "betaalde vakantie"},
    "kind.compensatory_rest": {"en": "compensatory rest", "fr": "repos compensatoire", "nl": "inhaalrust"},
    "kind.sickness_guaranteed_wage": {"en": "sickness (guaranteed wage)", "fr": "maladie (salaire garanti)", "nl": "ziekte (gewaarborgd loon)"},
    "kind.sickness_indemnified": {"en": "sickness (health-insurance benefit)", "fr": "maladie (indemnités de mutuelle)", "nl": "ziekte (uitkering ziekenfonds)"},
    "kind.work_accident": {"en": "work accident or occupational disease", "fr": "accident du travail ou maladie professionnelle", "nl": "arbeidsongeval of beroepsziekte"},
    "kind.maternity": {"en": "maternity, paternity or adoption leave", "fr": "repos de maternité, congé de paternité ou d'adoption", "nl": "moederschapsrust, vaderschaps- of adoptieverlof"},
    "kind.temporary_unemployment": {"en": "temporary unemployment", "fr": "chômage temporaire", "nl": "tijdelijke werkloosheid"},
    "kind.unpaid_absence": {"en": "unpaid absence", "fr": "absence non rémunérée", "nl": "onbetaalde afwezigheid"},
    "kind.unpaid_leave": {"en": "unpaid leave", "fr": "congé sans solde", "nl": "onbetaald verlof"},
    "kind.unjustified_absence": {"en": "unjustified absence", "fr": "absence injustifiée", "nl": "ongewettigde afwezigheid"},
    "kind.strike": {"en": "strike", "fr": "grève", "nl": "staking"},
    "kind.training": {"en": "vocational training", "fr": "formation professionnelle", "nl": "beroepsopleiding"},
    "kind.career_break": {"en": "career break (allowance)", "fr": "interruption de carrière (allocations)", "nl": "loopbaanonderbreking (uitkering)"},
    "kind.detention": {"en": "detention", "fr": "détention", "nl": "hechtenis"},
    "kind.force_majeure": {"en": "force majeure", "fr": "force majeure", "nl": "overmacht"},
    "kind.child_care": {"en": "inactivity to raise a child", "fr": "inactivité pour élever un enfant", "nl": "inactiviteit om een kind op te voeden"},
    "kind.full_time_studies": {"en": "full-time studies", "fr": "études de plein exercice", "nl": "voltijdse studies"},
    "kind.unmapped": {"en": "unclassified import line", "fr": "ligne importée non classée", "nl": "niet-geklasseerde geïmporteerde lijn"},
    # --- treatments
    "treatment.counted": {"en": "counts as work days", "fr": "compte comme journées de travail", "nl": "telt als arbeidsdagen"},
    "treatment.assimilated": {"en": "assimilated to work days", "fr": "assimilé à des journées de travail", "nl": "gelijkgesteld met arbeidsdagen"},
    "treatment.assimilated_capped": {"en": "assimilated, at most {cap} days a calendar year", "fr": "assimilé, au plus {cap} jours par année civile", "nl": "gelijkgesteld, hoogstens {cap} dagen per kalenderjaar"},
    "treatment.extends": {"en": "extends the reference period", "fr": "prolonge la période de référence", "nl": "verlengt de referteperiode"},
    "treatment.excluded": {"en": "does not count (excluded)", "fr": "ne compte pas (exclu)", "nl": "telt niet mee (uitgesloten)"},
    "treatment.neutral": {"en": "counts nothing and does not extend", "fr": "ne compte pas et ne prolonge pas", "nl": "telt niet mee en verlengt niet"},
    # --- categories
    "cat.under_36": {"en": "under 36", "fr": "moins de 36 ans", "nl": "jonger dan 36"},
    "cat.36_49": {"en": "36 to 49", "fr": "de 36 à 49 ans", "nl": "36 tot 49 jaar"},
    "cat.50_plus": {"en": "50 and over", "fr": "50 ans et plus", "nl": "50 jaar en ouder"},
    # --- steps
    "step.case": {
        "en": "Case {case_id}: person born on {birth}; art. 60, § 7 contract from {start}, {dpw} days a week, Q/S = {q}/{s} ({credit_per_week} days a week in the six-day regime).",
        "fr": "Dossier {case_id} : personne née le {birth} ; contrat article 60, § 7 à partir du {start}, {dpw} jours par semaine, Q/S = {q}/{s} ({credit_per_week} jours par semaine dans le régime de six jours).",
        "nl": "Dossier {case_id}: persoon geboren op {birth}; art. 60, § 7-contract vanaf {start}, {dpw} dagen per week, Q/S = {q}/{s} ({credit_per_week} dagen per week in de zesdagenregeling)."},
    "step.rules": {
        "en": "Request date {request}: the rules in force are «{title}» (the regime follows the date of the benefit request).",
        "fr": "Date de la demande {request} : la réglementation applicable est « {title} » (le régime suit la date de la demande d'allocations).",
        "nl": "Aanvraagdatum {request}: van toepassing is «{title}» (de regeling volgt de datum van de uitkeringsaanvraag)."},
    "step.age": {
        "en": "Age on {request}: {age}; age category: {category}.",
        "fr": "Âge au {request} : {age} ans ; catégorie d'âge : {category}.",
        "nl": "Leeftijd op {request}: {age} jaar; leeftijdscategorie: {category}."},
    "step.age_none": {
        "en": "Age on {request}: {age}. From 1 March 2026 there are no age categories: one condition for every age.",
        "fr": "Âge au {request} : {age} ans. À partir du 1er mars 2026, il n'y a plus de catégories d'âge : une seule condition pour tous.",
        "nl": "Leeftijd op {request}: {age} jaar. Vanaf 1 maart 2026 zijn er geen leeftijdscategorieën meer: één voorwaarde voor iedereen."},
    "step.line": {
        "en": "Line {n} — {kind}, {start} to {end}{employer}: {treatment}. {formula} In the window: {in_window}.",
        "fr": "Ligne {n} — {kind}, du {start} au {end}{employer} : {treatment}. {formula} Dans la période de référence : {in_window}.",
        "nl": "Lijn {n} — {kind}, van {start} tot {end}{employer}: {treatment}. {formula} In de referteperiode: {in_window}."},
    "formula.regime": {
        "en": "{n} work days × 6/{r}{qs} = {value} days.",
        "fr": "{n} jours de travail × 6/{r}{qs} = {value} jours.",
        "nl": "{n} arbeidsdagen × 6/{r}{qs} = {value} dagen."},
    "formula.hours": {
        "en": "{hours} hours × 6/{s} = {value} days.",
        "fr": "{hours} heures × 6/{s} = {value} jours.",
        "nl": "{hours} uren × 6/{s} = {value} dagen."},
    "formula.days": {
        "en": "{days} days × 6/{r} = {value} days.",
        "fr": "{days} jours × 6/{r} = {value} jours.",
        "nl": "{days} dagen × 6/{r} = {value} dagen."},
    "formula.holidays": {
        "en": " Public holidays inside, paid and counted: {list}.",
        "fr": " Jours fériés compris, payés et comptés : {list}.",
        "nl": " Feestdagen inbegrepen, betaald en meegeteld: {list}."},
    "formula.extension": {
        "en": "Capped length: {days} calendar days ({start} to {end}).",
        "fr": "Durée retenue : {days} jours calendrier (du {start} au {end}).",
        "nl": "In aanmerking genomen duur: {days} kalenderdagen (van {start} tot {end})."},
    "formula.not_qualifying": {
        "en": "It does not extend: {reason}.",
        "fr": "Elle ne prolonge pas : {reason}.",
        "nl": "Ze verlengt niet: {reason}."},
    "in_window.none": {"en": "nothing", "fr": "rien", "nl": "niets"},
    "step.window": {
        "en": "Reference period for {months} months, date to date: {base} to {end}{extended}. Counted from {count_from}.",
        "fr": "Période de référence de {months} mois, de date à date : du {base} au {end}{extended}. Comptée à partir du {count_from}.",
        "nl": "Referteperiode van {months} maanden, van datum tot datum: van {base} tot {end}{extended}. Geteld vanaf {count_from}."},
    "window.extended": {
        "en": ", extended by {days} days to start on {start} ({list})",
        "fr": ", prolongée de {days} jours et commençant le {start} ({list})",
        "nl": ", verlengd met {days} dagen tot begin {start} ({list})"},
    "window.month_end": {
        "en": " The day {months} months earlier does not exist: read as {day} (option month_end={option}).",
        "fr": " Le jour correspondant {months} mois plus tôt n'existe pas : lu comme le {day} (option month_end={option}).",
        "nl": " De overeenstemmende dag {months} maanden vroeger bestaat niet: gelezen als {day} (optie month_end={option})."},
    "step.new_days": {
        "en": "Earlier admission on {prior}: days before it do not count.",
        "fr": "Admission antérieure le {prior} : les journées qui la précèdent ne comptent pas.",
        "nl": "Eerdere toelating op {prior}: de dagen ervoor tellen niet mee."},
    "step.contract": {
        "en": "Contract from {start} to {end}: {units} days in the six-day regime ({full} whole {period} at {full_days}, {pattern} work days × {rate}), rounded up: {days} days to work.",
        "fr": "Contrat du {start} au {end} : {units} jours dans le régime de six jours ({full} {period} complets à {full_days}, {pattern} jours de travail × {rate}), arrondi à l'unité supérieure : {days} jours à prester.",
        "nl": "Contract van {start} tot {end}: {units} dagen in de zesdagenregeling ({full} volledige {period} aan {full_days}, {pattern} arbeidsdagen × {rate}), naar boven afgerond: {days} te presteren dagen."},
    "period.quarter": {"en": "quarters", "fr": "trimestres", "nl": "kwartalen"},
    "period.month": {"en": "months", "fr": "mois", "nl": "maanden"},
    "step.event": {
        "en": "During the contract — {kind}, {start} to {end}: {treatment}.",
        "fr": "Pendant le contrat — {kind}, du {start} au {end} : {treatment}.",
        "nl": "Tijdens het contract — {kind}, van {start} tot {end}: {treatment}."},
    "step.condition": {
        "en": "Condition {label}: {counted} days counted ({exact}) for {required} required — {outcome}.",
        "fr": "Condition {label} : {counted} jours comptés ({exact}) pour {required} requis — {outcome}.",
        "nl": "Voorwaarde {label}: {counted} dagen geteld ({exact}) voor {required} vereist — {outcome}."},
    "cond.label": {
        "en": "{days} days in {months} months", "fr": "{days} jours en {months} mois", "nl": "{days} dagen in {months} maanden"},
    "cond.past": {
        "en": " and {past_days} days in the {years} years before ({past_counted} found)",
        "fr": " et {past_days} jours dans les {years} ans qui précèdent ({past_counted} trouvés)",
        "nl": " en {past_days} dagen in de {years} jaar daarvoor ({past_counted} gevonden)"},
    "cond.e41": {
        "en": " plus 8 past days for each day missing to {target} ({past_counted} past days in the {years} years before: {required} required)",
        "fr": " plus 8 jours du passé par jour manquant pour {target} ({past_counted} jours dans les {years} ans qui précèdent : {required} requis)",
        "nl": " plus 8 dagen uit het verleden per ontbrekende dag tot {target} ({past_counted} dagen in de {years} jaar daarvoor: {required} vereist)"},
    "outcome.met": {"en": "met", "fr": "remplie", "nl": "vervuld"},
    "outcome.missing": {"en": "{missing} days missing", "fr": "il manque {missing} jours", "nl": "er ontbreken {missing} dagen"},
    "step.end": {
        "en": "End date: {end}, the last day of the contract; the benefit request on {request} meets {label}. Days to work: {days}.",
        "fr": "Date de fin : {end}, dernier jour du contrat ; la demande d'allocations du {request} remplit la condition {label}. Jours à prester : {days}.",
        "nl": "Einddatum: {end}, laatste dag van het contract; de uitkeringsaanvraag van {request} voldoet aan {label}. Te presteren dagen: {days}."},
    "step.naive": {
        "en": "Without sliding window, age or rule changes the contract would have ended on {naive}: {diff} days earlier.",
        "fr": "Sans glissement de la période de référence, ni changement d'âge ou de réglementation, le contrat se serait terminé le {naive} : {diff} jours plus tôt.",
        "nl": "Zonder verschuiving van de referteperiode of wijziging van leeftijd of regeling zou het contract op {naive} geëindigd zijn: {diff} dagen vroeger."},
    "step.naive_later": {
        "en": "With the rules, window and age at the contract start, the contract would have ended on {naive}: the change on the way (reform, extension or age) brings the end {diff} days earlier.",
        "fr": "Avec la réglementation, la période de référence et l'âge du début du contrat, celui-ci se serait terminé le {naive} : le changement en cours de route (réforme, prolongation ou âge) avance la fin de {diff} jours.",
        "nl": "Met de regeling, de referteperiode en de leeftijd bij het begin van het contract zou het op {naive} geëindigd zijn: de wijziging onderweg (hervorming, verlenging of leeftijd) vervroegt het einde met {diff} dagen."},
    "step.already": {
        "en": "Already admissible at the contract start ({start}): {label} is met. No contract is needed to open the right.",
        "fr": "Déjà admissible au début du contrat ({start}) : la condition {label} est remplie. Aucun contrat n'est nécessaire pour ouvrir le droit.",
        "nl": "Al toelaatbaar bij het begin van het contract ({start}): aan {label} is voldaan. Er is geen contract nodig om het recht te openen."},
    "step.unreachable": {
        "en": "No end date within {years} years of the contract start: the conditions are not reached.",
        "fr": "Aucune date de fin dans les {years} ans qui suivent le début du contrat : les conditions ne sont pas atteintes.",
        "nl": "Geen einddatum binnen {years} jaar na het begin van het contract: de voorwaarden worden niet bereikt."},
    "step.option": {
        "en": "Interpretation option {option}: with «{value}» instead of «{current}» the end date would be {end} ({days} days to work).",
        "fr": "Option d'interprétation {option} : avec « {value} » au lieu de « {current} », la date de fin serait le {end} ({days} jours à prester).",
        "nl": "Interpretatieoptie {option}: met «{value}» in plaats van «{current}» zou de einddatum {end} zijn ({days} te presteren dagen)."},
    "step.options_none": {
        "en": "Interpretation options ({options}): no other reading changes the end date.",
        "fr": "Options d'interprétation ({options}) : aucune autre lecture ne change la date de fin.",
        "nl": "Interpretatieopties ({options}): geen andere lezing verandert de einddatum."},
    "warn.detention_2026": {
        "en": "Detention extends the period from 1 March 2026 only during employment or full unemployment (art. 30 al. 3, 4°): check it.",
        "fr": "À partir du 1er mars 2026, la détention ne prolonge la période que pendant une occupation ou du chômage complet (art. 30 al. 3, 4°) : à vérifier.",
        "nl": "Vanaf 1 maart 2026 verlengt hechtenis de periode alleen tijdens tewerkstelling of volledige werkloosheid (art. 30 lid 3, 4°): na te gaan."},
    "warn.part_time_contract": {
        "en": "Part-time contract (Q/S = {q}/{s}): a full-time right needs the last period of work to be full-time (rules.md R-B6, R-F9).",
        "fr": "Contrat à temps partiel (Q/S = {q}/{s}) : un droit à temps plein suppose que la dernière période de travail soit à temps plein (rules.md R-B6, R-F9).",
        "nl": "Deeltijds contract (Q/S = {q}/{s}): een voltijds recht vereist dat de laatste arbeidsperiode voltijds is (rules.md R-B6, R-F9)."},
    "warn.prior_admission_old": {
        "en": "A prior admission is given: the exemption from the stage (art. 42) is not assessed by this calculation.",
        "fr": "Une admission antérieure est indiquée : la dispense de stage (art. 42) n'est pas examinée par ce calcul.",
        "nl": "Er is een eerdere toelating opgegeven: de vrijstelling van wachttijd (art. 42) wordt door deze berekening niet onderzocht."},
    "warn.unmapped": {
        "en": "Line {n} is an unclassified import line: it counts nothing until an expert classifies it.",
        "fr": "La ligne {n} est une ligne importée non classée : elle ne compte pas tant qu'un expert ne l'a pas classée.",
        "nl": "Lijn {n} is een niet-geklasseerde geïmporteerde lijn: ze telt niet mee zolang een expert ze niet klasseert."},
    "warn.holiday_end": {
        "en": "The end date {end} is a public holiday ({name}): it counts as a paid public holiday (art. 38 § 1, 2°).",
        "fr": "La date de fin {end} est un jour férié ({name}) : il compte comme jour férié payé (art. 38 § 1, 2°).",
        "nl": "De einddatum {end} is een feestdag ({name}): hij telt als betaalde feestdag (art. 38 § 1, 2°)."},
    # --- table headers
    "col.step": {"en": "step", "fr": "étape", "nl": "stap"},
    "col.text": {"en": "explanation", "fr": "explication", "nl": "uitleg"},
    "col.reference": {"en": "reference", "fr": "référence", "nl": "referentie"},
    "title.plan": {"en": "Art. 60, § 7 contract: end date and days to work", "fr": "Contrat article 60, § 7 : date de fin et jours à prester", "nl": "Art. 60, § 7-contract: einddatum en te presteren dagen"},
    "title.warnings": {"en": "Warnings", "fr": "Avertissements", "nl": "Waarschuwingen"},
    "summary.plan": {
        "en": "End date {end} · request date {request} · days to work {days} · rules {rules}",
        "fr": "Date de fin {end} · date de demande {request} · jours à prester {days} · réglementation {rules}",
        "nl": "Einddatum {end} · aanvraagdatum {request} · te presteren dagen {days} · regeling {rules}"},
    # --- beside the end date: the right (art. 114), the dispense (art. 42), the subsidy
    "step.right": {
        "en": "Right opened by the request of {request}: {base} months + {extra} months = {months} months, until {end}. Professional past at the request {past} days − {admission} days used for the admission{used} = {spare} days; one more month per {per} days ({spare} ÷ {per} = {raw}), at most {max}.",
        "fr": "Droit ouvert par la demande du {request} : {base} mois + {extra} mois = {months} mois, jusqu'au {end}. Passé professionnel à la demande {past} jours − {admission} jours utilisés pour l'admission{used} = {spare} jours ; un mois de plus par {per} jours ({spare} ÷ {per} = {raw}), au plus {max}.",
        "nl": "Recht geopend door de aanvraag van {request}: {base} maanden + {extra} maanden = {months} maanden, tot {end}. Beroepsverleden bij de aanvraag {past} dagen − {admission} dagen gebruikt voor de toelating{used} = {spare} dagen; één maand meer per {per} dagen ({spare} ÷ {per} = {raw}), hoogstens {max}."},
    "right.used": {"en": " − {used} days already used to lengthen an earlier right",
                   "fr": " − {used} jours déjà utilisés pour allonger un droit antérieur",
                   "nl": " − {used} dagen al gebruikt om een vroeger recht te verlengen"},
    "step.right_unlimited": {
        "en": "The right opened by the request of {request} is not limited in time: {why}.",
        "fr": "Le droit ouvert par la demande du {request} n'est pas limité dans le temps : {why}.",
        "nl": "Het recht geopend door de aanvraag van {request} is niet beperkt in de tijd: {why}."},
    "step.right_old_rules": {
        "en": "The length of the right is not computed for a request before 1 March 2026: art. 114 did not yet limit the right in time (the transitional limits of the loi-programme of 18 July 2025 are not computed).",
        "fr": "La durée du droit n'est pas calculée pour une demande antérieure au 1er mars 2026 : l'article 114 ne limitait pas encore le droit dans le temps (les limites transitoires de la loi-programme du 18 juillet 2025 ne sont pas calculées).",
        "nl": "De duur van het recht wordt niet berekend voor een aanvraag vóór 1 maart 2026: artikel 114 beperkte het recht toen nog niet in de tijd (de overgangsbeperkingen van de programmawet van 18 juli 2025 worden niet berekend)."},
    "exempt.port_worker_or_sea_fisherman": {"en": "port worker or sea fisherman", "fr": "ouvrier portuaire ou marin pêcheur", "nl": "havenarbeider of zeevisser"},
    "exempt.age_55_career": {"en": "aged 55 or over with a sufficient professional past", "fr": "55 ans ou plus avec un passé professionnel suffisant", "nl": "55 jaar of ouder met een voldoende beroepsverleden"},
    "exempt.rcc": {"en": "unemployment with company supplement", "fr": "régime de chômage avec complément d'entreprise", "nl": "stelsel van werkloosheid met bedrijfstoeslag"},
    "exempt.sheltered_workshop": {"en": "sheltered-workshop worker (allowance kept from 1 July 2004)", "fr": "travailleur d'entreprise de travail adapté (allocation maintenue depuis le 1er juillet 2004)", "nl": "werknemer van een maatwerkbedrijf (uitkering behouden sinds 1 juli 2004)"},
    "exempt.safeguard_allowance": {"en": "safeguard allowance", "fr": "allocation de sauvegarde", "nl": "vrijwaringsuitkering"},
    "exempt.arts_worker": {"en": "arts-work allowance", "fr": "allocation du travail des arts", "nl": "kunstwerkuitkering"},
    "exempt.arts_worker_flat_rate": {"en": "flat-rate allowance after the arts-work allowance", "fr": "allocation forfaitaire après l'allocation du travail des arts", "nl": "forfaitaire uitkering na de kunstwerkuitkering"},
    "warn.right_55": {
        "en": "The person is {age} at the request: the right is not limited in time with at least {need} years of professional past, which the case does not give (career years); the limited right is shown.",
        "fr": "La personne a {age} ans à la demande : le droit n'est pas limité dans le temps avec au moins {need} ans de passé professionnel, que le dossier ne donne pas (années de carrière) ; le droit limité est affiché.",
        "nl": "De persoon is {age} jaar bij de aanvraag: het recht is niet beperkt in de tijd met minstens {need} jaar beroepsverleden, die het dossier niet vermeldt (loopbaanjaren); het beperkte recht wordt getoond."},
    "step.dispense": {
        "en": "No contract is needed to open a right: a request on {request} falls within the right opened earlier, which runs until {end}. The person can ask for benefits again without a new stage and is readmitted under the scheme last applied.",
        "fr": "Aucun contrat n'est nécessaire pour ouvrir un droit : une demande le {request} tombe dans la période du droit ouvert précédemment, qui court jusqu'au {end}. La personne peut redemander les allocations sans nouveau stage (dispense de stage) et est réadmise dans le régime selon lequel elle a été indemnisée en dernier lieu.",
        "nl": "Er is geen contract nodig om een recht te openen: een aanvraag op {request} valt binnen het eerder geopende recht, dat loopt tot {end}. De persoon kan opnieuw uitkeringen aanvragen zonder nieuwe wachttijd (vrijstelling van wachttijd) en wordt opnieuw toegelaten in het stelsel waarin hij het laatst werd vergoed."},
    "warn.dispense_old_rules": {
        "en": "An earlier right is given, but a request at the contract start falls under the rules before 1 March 2026, whose dispense from the stage (benefits in the 3 years before the request) is not computed.",
        "fr": "Un droit antérieur est indiqué, mais une demande au début du contrat relève des règles d'avant le 1er mars 2026, dont la dispense de stage (allocations dans les 3 ans avant la demande) n'est pas calculée.",
        "nl": "Er is een vroeger recht opgegeven, maar een aanvraag bij de start van het contract valt onder de regels van vóór 1 maart 2026, waarvan de vrijstelling van wachttijd (uitkeringen in de 3 jaar vóór de aanvraag) niet wordt berekend."},
    "step.subsidy": {
        "en": "The federal subsidy of the contract may run until the end date {end} at most: only the time needed to open the right is subsidised.",
        "fr": "Le subside fédéral du contrat peut courir au plus jusqu'à la date de fin {end} : seul le temps nécessaire pour ouvrir le droit est subventionné.",
        "nl": "De federale subsidie van het contract loopt hoogstens tot de einddatum {end}: alleen de tijd nodig om het recht te openen wordt gesubsidieerd."},
    "subsidy.wallonia": {"en": " The Walloon subsidy is limited to the same time.", "fr": " Le subside wallon est limité à ce même temps.", "nl": " De Waalse subsidie is tot dezelfde tijd beperkt."},
    "subsidy.flanders": {"en": " In Flanders the temporary work experience lasts at most {years} years from {start}: until {until}.", "fr": " En Flandre, l'expérience de travail temporaire dure au plus {years} ans à partir du {start} : jusqu'au {until}.", "nl": " In Vlaanderen duurt de tijdelijke werkervaring hoogstens {years} jaar vanaf {start}: tot {until}."},
    "warn.subsidy_beyond": {
        "en": "The planned end {planned} is {n} days after the end date {end}: the subsidy does not cover the contract after the end date.",
        "fr": "La fin prévue le {planned} tombe {n} jours après la date de fin {end} : le subside ne couvre pas le contrat après la date de fin.",
        "nl": "Het geplande einde op {planned} valt {n} dagen na de einddatum {end}: de subsidie dekt het contract niet na de einddatum."},
    "warn.subsidy_no_contract": {
        "en": "A contract end is planned ({planned}), but no contract is needed to open a right: the subsidy, limited to the time needed to open the right, does not cover it.",
        "fr": "Une fin de contrat est prévue ({planned}), mais aucun contrat n'est nécessaire pour ouvrir un droit : le subside, limité au temps nécessaire pour ouvrir le droit, ne le couvre pas.",
        "nl": "Er is een einde van het contract gepland ({planned}), maar er is geen contract nodig om een recht te openen: de subsidie, beperkt tot de tijd nodig om het recht te openen, dekt het niet."},
    "warn.region_end": {
        "en": "The end date {end} is after the last day of the Flemish temporary work experience ({until}, {years} years): the right cannot be opened within it.",
        "fr": "La date de fin {end} tombe après le dernier jour de l'expérience de travail temporaire flamande ({until}, {years} ans) : le droit ne peut pas être ouvert dans ce cadre.",
        "nl": "De einddatum {end} valt na de laatste dag van de tijdelijke werkervaring ({until}, {years} jaar): het recht kan er niet binnen geopend worden."},
    "warn.region_planned": {
        "en": "The planned end {planned} is after the last day of the Flemish temporary work experience ({until}).",
        "fr": "La fin prévue le {planned} tombe après le dernier jour de l'expérience de travail temporaire flamande ({until}).",
        "nl": "Het geplande einde op {planned} valt na de laatste dag van de tijdelijke werkervaring ({until})."},
    "none": {"en": "none", "fr": "aucune", "nl": "geen"},
}


def t(key: str, lang: str = "en", **values) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: one of {', '.join(LANGS)}")
    return MESSAGES[key][lang].format(**values)


def placeholders(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def fmt_date(d, lang: str = "en") -> str:
    """Dates as users write them: 31/12/2026 in French and Dutch, ISO in English."""
    if d is None:
        return "—"
    return d.isoformat() if lang == "en" else d.strftime("%d/%m/%Y")


def fmt_num(x: float, lang: str = "en", decimals: int = 4) -> str:
    """Up to 4 decimals, decimal comma in French and Dutch.

    >>> fmt_num(47.8421, "fr"), fmt_num(36.0, "en")
    ('47,8421', '36')
    """
    s = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return s.replace(".", ",") if lang in ("fr", "nl") else s
