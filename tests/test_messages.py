"""Validation messages reach French, Dutch and German readers in their language: every
message the case checks produce on a corpus of bad cases is translated; on a screen the
field is named in words and the file path is left out; the CLI keeps
``FILE: field.path: message`` with the message translated."""
import copy
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from art60kit.caseio import case_from_dict
from art60kit.errors import InputError
from art60kit.messages import known, message_text, problem_line, problem_text

ROOT = Path(__file__).resolve().parents[1]
GOOD = {"case_id": "m", "person": {"birth_date": "1990-05-01"},
        "contract": {"start": "2025-09-01", "days_per_week": 5},
        "career": [{"kind": "work", "start": "2024-01-08", "end": "2024-06-28", "days_per_week": 5}]}


def _bad(**changes):
    d = copy.deepcopy(GOOD)
    for path, value in changes.items():
        cur = d
        keys = path.split(".")
        for k in keys[:-1]:
            cur = cur[int(k)] if k.isdigit() else cur[k]
        last = keys[-1]
        if value is KeyError:
            del cur[last]
        elif last.isdigit():
            cur[int(last)] = value
        else:
            cur[last] = value
    return d


CORPUS = [
    _bad(**{"person.birth_date": KeyError}),
    _bad(**{"contract.start": KeyError}),
    _bad(**{"person.birth_date": "2024-02-30"}),
    _bad(**{"person.birth_date": "hier"}),
    _bad(**{"person.birth_date": "1790-01-01"}),
    _bad(**{"contract.weekly_hours": "abc"}),
    _bad(**{"contract.weekly_hours": 45}),
    _bad(**{"contract.full_time_hours": 70}),
    _bad(**{"contract.days_per_week": 9}),
    _bad(**{"career.0.end": "2023-01-01"}),
    _bad(**{"career.0.kind": "holiday"}),
    _bad(**{"career.0.kind": KeyError}),
    _bad(**{"career.0.hours": 100, "career.0.days": 10}),
    _bad(**{"career.0.days": 400}),
    _bad(**{"career.0.hours": 9000, "career.0.days_per_week": KeyError}),
    _bad(**{"career.0.colour": "blue"}),
    _bad(**{"career.0.child_birth_date": "2020-01-01"}),
    _bad(**{"career.0.start": "1980-01-01"}),
    _bad(**{"career.0.end": "2025-10-01"}),
    _bad(**{"career.0.days_per_week": {"min": 5}}),
    _bad(**{"career.0.days_per_week": {"min": 5, "max": 3}}),
    _bad(**{"contract.events": [{"kind": "unpaid_leave", "start": "2025-08-01", "end": "2025-08-05"}]}),
    _bad(**{"contract.events": [{"kind": "unpaid_leave", "start": "2025-10-01", "end": "2025-10-10"},
                                {"kind": "strike", "start": "2025-10-05", "end": "2025-10-06"}]}),
    _bad(**{"contract.start": "2000-01-01"}),
    _bad(**{"options": {"month_end": "maybe", "colour": 1}}),
    _bad(**{"person.prior_admission": "1980-01-01"}),
    _bad(**{"career": "none"}),
    _bad(**{"case_id": 12}),
]


def _problems():
    out = []
    for d in CORPUS:
        try:
            case = case_from_dict(d, source="case.yaml")
            out += list(case.warnings)
        except InputError as e:
            out += list(e.problems)
    return out


def test_every_message_of_the_corpus_is_translated():
    problems = _problems()
    assert len(problems) >= 25
    unknown = sorted({p.message for p in problems if not known(p.message)})
    assert not unknown, unknown


@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_no_english_and_no_file_path_on_screen(lang):
    english = re.compile(r"\b(must|required|not a|before the|after the|unknown field|one measure|overlap|"
                         r"ends before|expected|is more than|between)\b")
    for p in _problems():
        screen = problem_text(p, lang)
        assert "case.yaml" not in screen and not english.search(screen), (lang, screen)
        shown = re.sub(r"'[^']*'", "", message_text(p.message, lang))  # what was typed is echoed as typed
        assert not re.search(r"\d{4}-\d{2}-\d{2}", shown), screen  # the toolkit's dates are DD/MM/YYYY
        line = problem_line(p, lang)
        assert line.startswith(f"case.yaml: {p.path}: ") and not english.search(line.split(": ", 2)[2])


def test_screen_names_the_field_in_words():
    d = _bad(**{"career.0.end": "2023-01-01"})
    with pytest.raises(InputError) as e:
        case_from_dict(d, source="case.yaml")
    p = e.value.problems[0]
    assert problem_text(p, "fr") == "Ligne 1 de la carrière, Fin : se termine avant de commencer (01/01/2023 < 08/01/2024)"
    assert problem_text(p, "nl") == "Lijn 1 van de loopbaan, Einde: eindigt vóór het begint (01/01/2023 < 08/01/2024)"
    assert problem_text(p, "de").startswith("Zeile 1 der Laufbahn, Ende: endet, bevor es beginnt")


def test_cli_translates_the_message_and_keeps_file_and_field(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text(yaml.safe_dump(_bad(**{"career.0.end": "2023-01-01"})), encoding="utf-8")
    for lang, words in (("nl", "eindigt vóór het begint"), ("de", "endet, bevor es beginnt"),
                        ("fr", "se termine avant de commencer")):
        r = subprocess.run([sys.executable, "-m", "art60kit", "plan", str(f), "--lang", lang],
                           capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 2 and r.stderr.startswith(f"{f}: career[0].end: {words}"), r.stderr
        assert "Traceback" not in r.stderr
