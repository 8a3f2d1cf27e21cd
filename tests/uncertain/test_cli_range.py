"""``art60kit plan`` on a case with uncertain values: the range and the comment in the
text output and in ``--json``."""
import json
import subprocess
import sys

import yaml

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_range import DIMONA  # noqa: E402


def _run(tmp_path, *args):
    f = tmp_path / "dimona.yaml"
    f.write_text(yaml.safe_dump(DIMONA))
    return subprocess.run([sys.executable, "-m", "art60kit", "plan", str(f), *args],
                          capture_output=True, text=True, timeout=120)


def test_json_has_the_range_and_the_comment(tmp_path):
    r = _run(tmp_path, "--json", "--lang", "nl")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    u = d["uncertain"]
    assert u["end_date"]["min"] < u["end_date"]["max"] == d["end_date"]  # the plan shown is the latest end
    assert u["days_to_work"]["max"] == d["days_to_work"] >= u["days_to_work"]["min"]
    assert u["impacts"][0]["path"] == "career[0].weekly_hours" and u["impacts"][0]["days"] > 0
    assert u["comment"].startswith("Onvolledige gegevens")
    assert [v["path"] for v in u["values"]] == ["career[0].weekly_hours", "career[1].start"]


def test_text_has_the_range_and_the_comment(tmp_path):
    r = _run(tmp_path, "--lang", "fr")
    assert r.returncode == 0, r.stderr
    assert "Données incomplètes" in r.stdout and "au plus tôt le 28/02/2026" in r.stdout
    assert "au plus tard le 03/04/2026" in r.stdout
