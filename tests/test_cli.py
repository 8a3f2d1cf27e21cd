import json
import subprocess
import sys
from pathlib import Path

import pytest

from art60kit.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = str(ROOT / "examples" / "demo-001.yaml")
REQUIRED = {"case_id", "rules", "end_date", "request_date", "days_required", "days_to_work",
            "past_days_in_window", "age_category", "window", "steps", "warnings"}


def run(*args):
    return subprocess.run([sys.executable, "-m", "art60kit", *args], capture_output=True, text=True, cwd=ROOT)


def test_plan_json_has_the_public_fields():
    r = run("plan", DEMO, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert REQUIRED <= set(d)
    assert set(d["window"]) == {"start", "end", "extended_by_days"}
    for s in d["steps"]:
        assert set(s) == {"id", "text", "values", "reference", "links"}
    assert d["request_date"] > d["end_date"]
    assert isinstance(d["days_to_work"], int)


@pytest.mark.parametrize("lang,word", [("fr", "Date de fin"), ("nl", "Einddatum"), ("en", "End date")])
def test_plan_text_in_three_languages(lang, word):
    r = run("plan", DEMO, "--lang", lang)
    assert r.returncode == 0 and word in r.stdout


@pytest.mark.parametrize("fmt,marker", [("markdown", "| # |"), ("html", "<table>")])
def test_plan_formats(fmt, marker):
    r = run("plan", DEMO, "--format", fmt)
    assert r.returncode == 0 and marker in r.stdout


def test_check_json():
    r = run("check", DEMO, "--date", "2026-01-05", "--json")
    d = json.loads(r.stdout)
    assert {"case_id", "rules", "request_date", "admissible", "condition", "days_counted", "days_required",
            "days_missing", "window", "steps", "warnings"} <= set(d)
    assert d["admissible"] is False and d["days_missing"] == d["days_required"] - d["days_counted"]


def test_check_bad_date_exit_2():
    r = run("check", DEMO, "--date", "2026-02-30")
    assert r.returncode == 2 and "--date: date: date illisible" in r.stderr and "2026-02-30" in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_file_exit_2(tmp_path):
    r = run("plan", str(tmp_path / "nope.yaml"), "--lang", "en")
    assert r.returncode == 2 and r.stderr.strip() == f"{tmp_path / 'nope.yaml'}: (file): no such file"
    r = run("plan", str(tmp_path / "nope.yaml"), "--lang", "nl")
    assert r.returncode == 2 and r.stderr.strip() == f"{tmp_path / 'nope.yaml'}: (file): bestand niet gevonden"


def test_option_from_cli_changes_result(tmp_path, capsys):
    assert main(["plan", DEMO, "--json", "--rounding", "exact"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["options"]["rounding"] == "exact"


def test_refuse_option_refuses_when_readings_differ(tmp_path):
    # request date on the 31st of a month whose 36-months-earlier month is shorter
    case = tmp_path / "c.yaml"
    case.write_text("person: {birth_date: 1990-01-01}\ncontract: {start: 2026-03-02}\n"
                    "career:\n  - {kind: work, start: 2023-04-28, end: 2023-05-05, days_per_week: 5}\n")
    r = run("plan", str(case), "--month-end", "refuse", "--json")
    assert r.returncode in (0, 2)
    if r.returncode == 2:
        assert "options.month_end" in r.stderr
