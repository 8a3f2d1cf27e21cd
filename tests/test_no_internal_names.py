"""What the repository publishes speaks of the toolkit and its public sources only.

Every tracked file (package, rule data, locale catalogs, docs, README, notebooks,
dashboards, worked examples, benchmarks, tests) is read line by line. A line fails when it
names the project's private working notes or their ids, or tells how or when the project
was built instead of what it does. Sources are cited by their public names: the legal
text ("AR 25/11/1991 art. 30 al. 2"), ONEM's publications (leaflet, schéma, RIODOC
number), a union's or CPAS federation's training material or web page by title,
publisher and date.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().relative_to(ROOT).as_posix()

#: (what it is, pattern). Case-insensitive unless the pattern says otherwise. Each is
#: narrow on purpose: "session" alone is a web or test-fixture session, "agent" a CPAS
#: agent, "issues" a French word, "docs/design.md" a public document.
FORBIDDEN = [
    ("the private research note", r"rules\.md"),
    ("a rule id of the private note", r"(?-i:\bR-[A-H]\d)"),
    ("the private shared folder", r"(?<![\w./-])shared/"),
    ("the private seed material", r"\bseeds/"),
    ("the private design note (docs/design.md is public)", r"(?<![\w/])design\.md"),
    ("a source id of the private note", r"(?-i:\b[FG]\d{1,2}\b)"),
    ("a section of the private note", r"(?-i:\bPart [1-3] Q\d)"),
    ("how the project was built", r"\bhelper agents?\b"),
    ("how the project was built", r"\bsession\s*#?\d+"),
    ("how the project was built", r"\b(?:this|next|previous|earlier|later) session\b"),
    ("an issue-tracker reference", r"\bissue\s*#?\s*\d+"),
    ("an issue-tracker reference", r"\b(?:the|this|that) issue(?:'s)?\b(?! (?:time|date))"),
    ("an issue-tracker reference", r"\bissue note\b"),
]
_RX = [(what, re.compile(p, re.I)) for what, p in FORBIDDEN]

#: Inside the `source` of a rule value or a worked example: the private note's source,
#: section and example numbers (S25, F7, G1, E11, Q3, Part 2) mean nothing to a reader.
SOURCE_IDS = re.compile(r"(?-i:\b(?:[SFG]\d{1,2}|E\d{1,2}|Q[1-6]|Part [1-3])\b)")


def _tracked() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        files = [f for f in out.decode("utf-8").split("\0") if f]
    except (OSError, subprocess.CalledProcessError):  # an unpacked archive: walk the tree
        skip = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache"}
        files = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]
    return sorted(f for f in files if f != HERE)


def _text(path: Path):
    data = path.read_bytes() if path.is_file() else b""
    if b"\0" in data[:8192]:
        return None  # binary
    return data.decode("utf-8", errors="replace")


def _hits(files, root: Path = ROOT) -> list[str]:
    out = []
    for rel in files:
        text = _text(root / rel)
        if text is None:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            for what, rx in _RX:
                m = rx.search(line)
                if m:
                    out.append(f"{rel}:{n}: {what}: {m.group(0)!r} in {line.strip()[:120]!r}")
    return out


def test_no_internal_names_or_build_history_in_any_tracked_file():
    files = _tracked()
    assert len(files) > 50 and "README.md" in files and "art60kit/rules/ar1991.yaml" in files
    hits = _hits(files)
    assert not hits, "\n" + "\n".join(hits)


def _sources(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "source" and isinstance(v, str):
                yield path + ".source", v
            else:
                yield from _sources(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _sources(v, f"{path}[{i}]")


def test_sources_name_public_documents_not_note_ids():
    files = [f for f in _tracked() if re.match(r"(art60kit/rules|tests/worked_examples)/.*\.ya?ml$", f)]
    assert any(f.endswith("ar1991.yaml") for f in files) and any("worked_examples" in f for f in files)
    bad, seen = [], 0
    for rel in files:
        for where, src in _sources(yaml.safe_load((ROOT / rel).read_text(encoding="utf-8"))):
            seen += 1
            m = SOURCE_IDS.search(src)
            if m:
                bad.append(f"{rel}: {where}: {m.group(0)!r} in {src[:120]!r}")
    assert seen > 50
    assert not bad, "\n" + "\n".join(bad)


def test_the_check_catches_what_it_is_for(tmp_path):
    """Each pattern fires on the text it is for and on none of the look-alikes the
    repository legitimately holds."""
    caught = [
        'source: "rules.md R-A2; E6"', "(rules.md Part 2 Q3)", "see R-H5", "shared/domain/legal/texts.md",
        "webinar Q&A (seeds/)", "from design.md", "written by a helper agent", "done in session 3",
        "as in this session", "Population engine (issue 4)", "see issue #12", "the issue's targets",
        "reported in the issue note",
        "(Q3, F7/F8)", "union training G1", "Part 2 Q5 schéma 2A",
    ]
    fine = [
        "@pytest.fixture(scope=\"session\")", "the register session of the person", "self.session.user",
        "a CPAS agent reads", "value helpers", "Données de carrière issues des sources authentiques",
        "its issue time", "docs/design.md", "docs/case-format.md", "R6 days", "Q/S = 19/38",
        'p / "shared" / "domain" / "dmfa"', "https://example.org/shared/x", "RIODOC 081475",
        "color: #F5F5F5", "AN2022-2-FR8.xml", "Dimona type S17", "days_q1 — Q1", "Q4 2024",
    ]
    for i, line in enumerate(caught + fine):
        (tmp_path / f"f{i}.txt").write_text(line + "\n", encoding="utf-8")
    hits = _hits([f"f{i}.txt" for i in range(len(caught) + len(fine))], tmp_path)
    flagged = {int(h.split(".txt")[0][1:]) for h in hits}
    assert flagged == set(range(len(caught))), [(caught + fine)[i] for i in
                                                 flagged ^ set(range(len(caught)))]
    assert SOURCE_IDS.search("VVSG (S25), CSC training F7, G1, E11, Part 2 Q3")
    assert not SOURCE_IDS.search("Q/S 19/38; R6; art. 38 § 1, 10°; ONEM schéma 2B; leaflet T31; RIODOC 081475")
