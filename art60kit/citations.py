"""Legal citations as readers write them, in their language.

A rule value's ``cite`` (in ``art60kit/rules/*.yaml``) is a list of structured items:

* an article of an act: ``{act: ar, art: "30", par: 1, al: 3, pt: 2, by: lp2025}``
  (``par`` = §, ``al`` = alinéa / lid / Absatz, ``pt`` = 2°; ``by`` = the amending act;
  ``old: true`` = the wording before 1 March 2026, ``closed: true`` = a closed list,
  ``abrogated: true``; ``mb``/``ev`` = dates of publication and entry into force);
* a public document: ``{doc: onem_t200}``, or ONEM's commentary on an article
  ``{doc: onem_comment, act: ar, art: "37", n: "5"}`` / its calculation schemes
  ``{doc: onem_comment, act: am, art: "7", schema: "2A"}``.

:func:`render` writes a citation in French, Dutch, German or English with the
abbreviations of that language (AR/KB/KE/RD, AM/MB/ME/MD, MB/BS, loi-programme/
programmawet/Programmgesetz, al./lid/Absatz) and :func:`link` gives ONEM's consolidated
text of the article (RioLex) where it has one. The words come from the text catalog
(``ref.*`` keys), so every language is complete by the catalog's test.

>>> c = parse_cite([{"act": "ar", "art": "30", "al": 3, "pt": 2, "by": "lp2025"}], "x")[0]
>>> render(c, "fr"), render(c, "nl"), render(c, "de")
('AR 25/11/1991, art. 30, al. 3, 2° (modifié par la loi-programme du 18/07/2025)', 'KB 25/11/1991, art. 30, lid 3, 2° (gewijzigd bij de programmawet van 18/07/2025)', 'KE 25/11/1991, Art. 30 Absatz 3 Nr. 2 (geändert durch das Programmgesetz vom 18/07/2025)')
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from .errors import InputError, Problem
from .formats import format_date
from .i18n import text

#: The acts a citation can name: (kind of act, date signed, RioLex id prefix or None).
#: The kind chooses the abbreviation in each language (``ref.type.<kind>``).
ACTS: dict[str, tuple[str, date, Optional[str]]] = {
    "ar": ("royal_decree", date(1991, 11, 25), "25_11_1991-1-art_"),
    "am": ("ministerial_decree", date(1991, 11, 26), "26_11_1991-1-art_"),
    "lp2025": ("programme_act", date(2025, 7, 18), "18_07_2025-1-art_"),
    "ar2012": ("royal_decree", date(2012, 7, 23), None),
    "ar2016": ("royal_decree", date(2016, 9, 11), None),
    "ol1976": ("organic_act_cpas", date(1976, 7, 8), None),
    "ar1969": ("royal_decree", date(1969, 11, 28), None),
    "ar1974": ("royal_decree", date(1974, 4, 18), None),
}
#: Public documents a citation can name (``ref.doc.<id>`` in the catalog).
DOCS = ("onem_comment", "onem_t200", "spp_is_subsidy", "wal_art60", "vl_twe", "unmapped_line")
#: ONEM's consolidated texts (RioLex), one public page per article.
RIOLEX_URL = "https://rvaonemtech.powerappsportals.com/fr-FR/wetsartikel/?id={id}"
#: Degrees of certainty of a rule value: C stated by the text, I inferred, U uncertain.
CERTAINTY = ("C", "I", "U")

_FIELDS = {"act", "art", "par", "al", "pt", "by", "old", "closed", "abrogated", "mb", "ev", "doc", "n", "schema"}


@dataclass(frozen=True)
class Citation:
    """One item of a rule value's ``cite`` list (see the module docstring)."""

    act: Optional[str] = None
    art: Optional[str] = None
    par: Optional[str] = None
    al: Optional[str] = None
    pt: Optional[str] = None
    by: Optional[str] = None
    old: bool = False
    closed: bool = False
    abrogated: bool = False
    mb: Optional[date] = None
    ev: Optional[date] = None
    doc: Optional[str] = None
    n: Optional[str] = None
    schema: Optional[str] = None


def parse_cite(raw, where: str) -> tuple[Citation, ...]:
    """The ``cite`` list of a rule value, checked: the one place that reads its shape.

    Every problem is reported at once as ``FILE: cite[i].field: what is wrong``."""
    problems = []
    if not isinstance(raw, list) or not raw:
        raise InputError([Problem(where, "cite", "must be a non-empty list of citations")])
    out = []
    for i, item in enumerate(raw):
        p = f"cite[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(where, p, "must be a mapping such as {act: ar, art: \"30\"}"))
            continue
        unknown = sorted(set(item) - _FIELDS)
        if unknown:
            problems.append(Problem(where, p, "unknown field(s): " + ", ".join(map(str, unknown))))
        if ("act" in item) == ("doc" in item) and item.get("doc") != "onem_comment":
            problems.append(Problem(where, p, "names either an act (act:) or a document (doc:)"))
        for key in ("act", "by"):
            if key in item and item[key] not in ACTS:
                problems.append(Problem(where, f"{p}.{key}", f"unknown act {item[key]!r} (known: {', '.join(ACTS)})"))
        if "doc" in item and item["doc"] not in DOCS:
            problems.append(Problem(where, f"{p}.doc", f"unknown document {item['doc']!r} (known: {', '.join(DOCS)})"))
        if item.get("doc") == "onem_comment" and ("act" not in item or "art" not in item):
            problems.append(Problem(where, p, "ONEM's commentary is cited on an article: give act and art"))
        dates = {}
        for key in ("mb", "ev"):
            if key in item:
                v = item[key]
                try:
                    dates[key] = v if isinstance(v, date) else date.fromisoformat(str(v))
                except ValueError:
                    problems.append(Problem(where, f"{p}.{key}", f"not a date: {v!r}"))
        flags = {k: item.get(k, False) for k in ("old", "closed", "abrogated")}
        for k, v in flags.items():
            if not isinstance(v, bool):
                problems.append(Problem(where, f"{p}.{k}", "must be true or false"))
        s = {k: (None if item.get(k) is None else str(item[k])) for k in ("act", "art", "par", "al", "pt", "by", "doc", "n", "schema")}
        out.append(Citation(**s, **{k: bool(v) for k, v in flags.items()}, mb=dates.get("mb"), ev=dates.get("ev")))
    if problems:
        raise InputError(problems)
    return tuple(out)


def _act(act: str, lang: str, form: str = "type") -> str:
    """An act's short name ("AR 25/11/1991"); ``form="by"`` gives it after "amended by"
    ("l'AR du 23/07/2012", "het KB van 23/07/2012")."""
    kind, signed, _ = ACTS[act]
    return text(f"ref.{form}.{kind}", lang, date=format_date(signed, lang))


def _article(c: Citation, lang: str) -> str:
    parts = [text("ref.art", lang, n=c.art)] if c.art else []
    if c.par:
        parts.append(text("ref.par", lang, n=c.par))
    if c.al:
        parts.append(text("ref.al", lang, n=c.al))
    if c.pt:
        parts.append(text("ref.pt", lang, n=c.pt))
    return text("ref.join_parts", lang).join(parts)


def render(c: Citation, lang: str) -> str:
    """One citation in ``lang``: "AR 25/11/1991, art. 30, al. 3, 2° (modifié par …)"."""
    if c.doc is not None:
        if c.doc == "onem_comment":
            target = text("ref.on_article", lang, article=_article(c, lang), act=_act(c.act, lang))
            if c.schema:
                return text("ref.doc.onem_schema", lang, n=c.schema, target=target)
            if c.n:
                return text("ref.doc.onem_comment_n", lang, n=c.n, target=target)
            return text("ref.doc.onem_comment", lang, target=target)
        return text(f"ref.doc.{c.doc}", lang)
    head = _act(c.act, lang)
    art = _article(c, lang)
    s = text("ref.act_article", lang, act=head, article=art) if art else head
    notes = []
    if c.by:
        notes.append(text("ref.amended", lang, act=_act(c.by, lang, "by")))
    if c.old:
        notes.append(text("ref.old", lang))
    if c.closed:
        notes.append(text("ref.closed", lang))
    if c.abrogated:
        notes.append(text("ref.abrogated", lang))
    if c.mb:
        notes.append(text("ref.mb", lang, date=format_date(c.mb, lang)))
    if c.ev:
        notes.append(text("ref.ev", lang, date=format_date(c.ev, lang)))
    return f"{s} ({', '.join(notes)})" if notes else s


def link(c: Citation) -> Optional[str]:
    """ONEM's consolidated text of the cited article (RioLex), if it has one."""
    if c.act is None or c.art is None:
        return None
    prefix = ACTS[c.act][2]
    if prefix is None:
        return None
    return RIOLEX_URL.format(id=prefix + c.art.split("-")[0].strip())


def certainty(confidence: str, lang: str) -> str:
    """The degree of certainty in words; "" when the text states the rule (C)."""
    return "" if confidence == "C" else text(f"ref.certainty.{confidence}", lang)


def render_all(cites, confidence: str, lang: str) -> str:
    """A rule value's citations in ``lang``, joined, with its degree of certainty in words
    when it is not stated by the text (see :func:`legend`)."""
    s = text("sep.semicolon", lang).join(render(c, lang) for c in cites)
    word = certainty(confidence, lang)
    return f"{s} — {word}" if word and s else (s or word)


def legend(lang: str) -> str:
    """What the degrees of certainty mean, for the foot of an explanation."""
    return text("ref.legend", lang)


def cite_refs(lang: str, *refs) -> tuple[str, tuple]:
    """The refs (:class:`art60kit.rules.Ref`, None skipped) of one explanation step in
    ``lang``, joined, and their links, duplicates dropped.
    A text cited by several of the step's refs is cited once, where it first appears;
    when those refs differ in certainty (the condition stated by the article, the reading
    of one of its periods inferred), the citation says the weaker certainty holds for part
    of the rule."""
    rank = {"C": 0, "I": 1, "U": 2}
    refs = [r for r in refs if r is not None]
    confs: dict = {}
    for r in refs:
        for c in r.cite:
            confs.setdefault(c, []).append(r.confidence)

    def label(c) -> str:
        cs = confs[c]
        weakest = max(cs, key=lambda x: rank.get(x, 2))
        word = certainty(weakest, lang)
        return word if len(set(cs)) == 1 or not word else text("ref.certainty.partly", lang, word=word)

    sep = text("sep.semicolon", lang)
    texts, links, cited = [], [], set()
    for r in refs:
        if not r.cite:
            s = r.render(lang)
            if s and s not in texts:
                texts.append(s)
            continue
        group: list = []  # consecutive new citations of this ref with the same label
        for c in [c for c in r.cite if c not in cited] + [None]:
            if group and (c is None or label(c) != label(group[-1])):
                word = label(group[-1])
                s = sep.join(render(x, lang) for x in group)
                texts.append(f"{s} — {word}" if word else s)
                group = []
            if c is not None:
                group.append(c)
                cited.add(c)
        for c, url in r.links():
            item = (render(c, lang), url)
            if item not in links:
                links.append(item)
    return sep.join(texts), tuple(links)
