"""The printable answer sheet: the PDF's text (poppler's pdftotext) holds the figures of
``plan --json`` for the same case, in each language; it is tagged text, not an image;
the national register number appears only when given; the fingerprint of the inputs
tells two sheets apart; the register's hook prints any stored version."""
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from art60kit.caseio import load_case
from art60kit.i18n import fmt_date, fmt_num
from art60kit.planner import plan

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo-001.yaml"


def _pdftotext(pdf: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        msg = "pdftotext (Debian package poppler-utils, installed by `make system-deps`) is missing"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    out = subprocess.run([exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


@pytest.fixture(scope="module", params=["fr", "nl", "de", "en"])
def sheet(request, tmp_path_factory):
    lang = request.param
    pdf = tmp_path_factory.mktemp(f"sheet-{lang}") / "sheet.pdf"
    r = subprocess.run([sys.executable, "-m", "art60kit", "plan", str(DEMO), "--json", "--lang", lang, "--pdf", str(pdf)],
                       cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, MPLBACKEND="Agg"))
    assert r.returncode == 0, r.stderr
    return lang, json.loads(r.stdout), pdf


def test_pdf_text_holds_the_figures_of_plan_json(sheet):
    lang, d, pdf = sheet
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _pdftotext(pdf)
    from datetime import date

    def dd(iso):
        return fmt_date(date.fromisoformat(iso), lang)

    for figure in (dd(d["end_date"]), dd(d["request_date"]), fmt_num(d["days_to_work"], lang), d["case_id"],
                   dd(d["contract_start"] if "contract_start" in d else "2025-09-01")):
        assert figure in text, (lang, figure)
    case = load_case(DEMO)
    for line in case.career:  # every career line as entered
        assert fmt_date(line.start, lang) in text and fmt_date(line.end, lang) in text
    for s in d["steps"]:  # every step, with its reference
        assert s["text"][:40] in text, (lang, s["id"])
        if s["reference"]:
            assert s["reference"][:30] in text, (lang, s["id"])
    assert "0.1.0" in text and re.search(r"\b[0-9a-f]{64}\b", text)  # toolkit version, fingerprint
    assert "reform2026" not in text and "ar1991" not in text and "quarter78" not in text


def test_pdf_is_tagged_text_not_an_image(sheet):
    lang, d, pdf = sheet
    _pdftotext(pdf)  # skips (or fails in CI) without poppler-utils
    info = subprocess.run([shutil.which("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M), info  # a tagged PDF (PDF/UA-1): text with its structure
    assert re.search(r"^Page size:.*\(A4\)", info, re.M)
    assert d["case_id"] in re.search(r"^Title:(.*)$", info, re.M).group(1)


def test_national_number_only_when_given_and_fingerprint():
    from art60kit.sheet import inputs_hash, sheet_html

    p = plan(load_case(DEMO), lang="fr", sensitivity=False)
    at = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    plain = sheet_html(p, "fr", computed_at=at, figures=False)
    assert "registre national" not in plain
    assert "91.06.15-123.45" in sheet_html(p, "fr", computed_at=at, national_number="91.06.15-123.45", figures=False)
    # the same inputs give the same fingerprint; any change to the case changes it
    assert inputs_hash(p) == inputs_hash(plan(load_case(DEMO), lang="nl", sensitivity=False))
    other = plan(load_case(DEMO).with_contract(days_per_week=4), lang="fr", sensitivity=False)
    assert inputs_hash(other) != inputs_hash(p)
    assert inputs_hash(p) in plain


def test_register_version_sheet(tmp_path):
    from art60kit.caseio import case_to_dict
    from art60kit.register import Register, User
    from art60kit.register.cpas import belgian_cpas
    from art60kit.sheet import register_version_sheet

    reg = Register.open(str(tmp_path / "r.sqlite"))
    try:
        reg.add_cpas(c for c in belgian_cpas() if c.nis == "52011")
        reg.add_user(User("a1", "Agent A1", "cpas_agent", "52011"))
        reg.add_user(User("onem1", "ONEM 1", "onem"))
        a1 = reg.as_user("a1")
        r = a1.create_request(case_to_dict(load_case(DEMO)))
        out = tmp_path / "v1.pdf"
        register_version_sheet(a1, r.request_id, 1, reason="dossier", lang="nl", path=out)
        text = _pdftotext(out)
        assert "28/02/2026" in text and r.request_id in text and "versie 1" in text
        log = reg.as_user("onem1").audit_log(reason="contrôle", request_id=r.request_id)
        assert any(e.user_id == "a1" and e.reason == "dossier" and e.outcome == "ok" for e in log)  # the read is logged
    finally:
        reg.close()


def test_uncertain_case_sheet_lists_the_lines_as_entered_with_their_bounds():
    from art60kit.caseio import case_from_dict, case_to_dict
    from art60kit.sheet import sheet_html
    from art60kit.uncertain import plan_range, resolve

    d = case_to_dict(load_case(DEMO))
    d["career"][0].update(days_per_week={"min": 3, "max": 5}, doubt="Dimona uniquement")
    entered = case_from_dict(d, source="x")
    rng = plan_range(entered)
    p = plan(resolve(entered, rng.latest_values), lang="fr", sensitivity=False)
    h = sheet_html(p, "fr", entered=entered, uncertain=rng.comment("fr"), figures=False)
    assert "3 à 5 j/sem." in h and "doute : Dimona uniquement" in h and "Données incertaines" in h
    assert rng.comment("fr")[:40] in h
