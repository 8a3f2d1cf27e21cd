"""What the batch command writes is its owner's only, and no line of a population is
dropped without a word, in two-table mode and in parts-folder mode."""
from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from art60kit.batch import population
from art60kit.batch.cli import main
from art60kit.batch.parts import orphan_lines, write_parts


def mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


@pytest.fixture
def open_umask():
    """The most permissive umask: what the files get is the code's doing."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def run(argv, capsys):
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.strip().splitlines()


def test_results_reports_and_parts_are_owner_only(tmp_path, open_umask, capsys):
    cases, lines = population(12, seed=3)
    cases.to_csv(tmp_path / "c.csv", index=False)
    lines.to_csv(tmp_path / "l.csv", index=False)
    # an older results file readable by everyone is replaced by a private one
    (tmp_path / "r.csv").write_text("old")
    os.chmod(tmp_path / "r.csv", 0o644)
    code, _ = run(["batch", str(tmp_path / "c.csv"), str(tmp_path / "l.csv"), "--out", str(tmp_path / "r.csv"),
                   "--no-progress"], capsys)
    assert code == 0 and mode(tmp_path / "r.csv") == 0o600
    assert len(pd.read_csv(tmp_path / "r.csv")) == 12
    # --compare writes the results, the differences and the summaries
    reform = tmp_path / "reform.yaml"
    reform.write_text("reform2026:\n  conditions:\n    d312_m36: {months: 24}\n")
    code, _ = run(["batch", str(tmp_path / "c.csv"), str(tmp_path / "l.csv"), "--out", str(tmp_path / "cmp.parquet"),
                   "--compare", str(reform), "--no-progress"], capsys)
    assert code == 0
    written = sorted(tmp_path.glob("cmp*.parquet"))
    assert len(written) >= 3  # results, differences, summaries
    assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}
    # a parts folder: folders 0700, part files 0600, the results 0600
    write_parts(cases, lines, tmp_path / "pop" / "deep", cases_per_part=5)
    folders = [tmp_path / "pop", tmp_path / "pop" / "deep", tmp_path / "pop" / "deep" / "cases",
               tmp_path / "pop" / "deep" / "lines"]
    assert [mode(d) for d in folders] == [0o700] * 4
    parts = sorted((tmp_path / "pop" / "deep").rglob("*.parquet"))
    assert len(parts) == 6 and {mode(p) for p in parts} == {0o600}
    code, _ = run(["batch", str(tmp_path / "pop" / "deep"), "--out", str(tmp_path / "p.parquet"), "--no-progress"],
                  capsys)
    assert code == 0 and mode(tmp_path / "p.parquet") == 0o600
    # nothing half-written or temporary is left beside the results
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_two_table_orphans_one_line_per_case_id(tmp_path, capsys):
    (tmp_path / "c.csv").write_text("case_id,birth_date,contract_start\nA,1990-01-01,2025-09-01\n")
    rows = ["A,0,work,2024-01-01,2024-03-31", "B,0,work,2024-01-01,2024-03-31", "C,0,work,2024-01-01,2024-01-31",
            "B,1,work,2024-05-01,2024-06-30", "A,1,work,2024-05-01,2024-06-30"]
    (tmp_path / "l.csv").write_text("case_id,line_no,kind,start,end\n" + "\n".join(rows) + "\n")
    code, lines = run(["batch", str(tmp_path / "c.csv"), str(tmp_path / "l.csv"), "--out", str(tmp_path / "r.csv")],
                      capsys)
    assert code == 2
    assert lines == [f"{tmp_path / 'l.csv'}: lines 3, 5: case_id 'B' is not in the cases table",
                     f"{tmp_path / 'l.csv'}: line 4: case_id 'C' is not in the cases table"]
    assert not (tmp_path / "r.csv").exists()


def test_parts_folder_orphans_are_reported_not_dropped(tmp_path, capsys):
    """A lines part holding lines of a case that is not in the same cases part (absent,
    or in another part: the layout is misaligned) is refused, one line per case id
    naming the part file and its rows; nothing is planned."""
    cases, lines = population(10, seed=5)
    write_parts(cases, lines, tmp_path / "pop", cases_per_part=5)
    assert orphan_lines(tmp_path / "pop") == []
    l0 = tmp_path / "pop" / "lines" / "part-00000.parquet"
    part = pd.read_parquet(l0)
    moved = cases["case_id"].iloc[7]  # a case of the second part
    extra = part.iloc[:3].copy()
    extra["case_id"] = ["GHOST", moved, "GHOST"]
    pd.concat([part, extra], ignore_index=True).to_parquet(l0, index=False)
    n = len(part)
    code, out = run(["batch", str(tmp_path / "pop"), "--out", str(tmp_path / "r.parquet"), "--no-progress"], capsys)
    assert code == 2
    assert out == [f"{l0}: rows {n + 1}, {n + 3}: case_id 'GHOST' is not in the cases of this part (cases/part-00000.parquet)",
                   f"{l0}: row {n + 2}: case_id {moved!r} is not in the cases of this part (cases/part-00000.parquet)"]
    assert not (tmp_path / "r.parquet").exists()


def test_many_orphans_are_bounded_and_counted(tmp_path):
    cases, lines = population(4, seed=2)
    write_parts(cases, lines, tmp_path / "pop", cases_per_part=4)
    l0 = tmp_path / "pop" / "lines" / "part-00000.parquet"
    part = pd.read_parquet(l0)
    ghosts = pd.concat([part.iloc[:1]] * 30, ignore_index=True)
    ghosts["case_id"] = [f"G{i}" for i in range(30)]
    pd.concat([part, ghosts], ignore_index=True).to_parquet(l0, index=False)
    problems = orphan_lines(tmp_path / "pop", shown=20)
    assert len(problems) == 21
    assert str(problems[-1]).endswith("10 more lines whose case_id is not in the cases of their part")


@pytest.mark.parametrize("lang, orphan, missing, done", [
    ("fr", "case_id 'B' absent de la table des cas", "colonne(s) manquante(s) : end", "2 cas : 2 par le moteur"),
    ("nl", "case_id 'B' staat niet in de tabel met de gevallen", "ontbrekende kolom(men): end", "2 gevallen: 2 door"),
    ("de", "case_id 'B' fehlt in der Falltabelle", "fehlende Spalte(n): end", "2 Fälle: 2 durch"),
])
def test_batch_messages_in_the_readers_language(tmp_path, capsys, lang, orphan, missing, done):
    """The batch command's problems and summary line are in the language asked for,
    each problem still naming its file and field."""
    c = tmp_path / "c.csv"
    c.write_text("case_id,birth_date,contract_start\nA,1990-01-01,2025-09-01\nD,1985-05-05,2025-09-01\n")
    lines = tmp_path / "l.csv"
    lines.write_text("case_id,line_no,kind,start,end\nA,0,work,2024-01-01,2024-03-31\nB,0,work,2024-01-01,2024-03-31\n")
    code, err = run(["batch", str(c), str(lines), "--out", str(tmp_path / "r.csv"), "--lang", lang], capsys)
    assert code == 2 and err == [f"{lines}: line 3: {orphan}"]
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,line_no,kind,start\nA,0,work,2024-01-01\n")
    code, err = run(["batch", str(c), str(bad), "--out", str(tmp_path / "r.csv"), "--lang", lang], capsys)
    assert code == 2 and err == [f"{bad}: (columns): {missing}"]
    lines.write_text("case_id,line_no,kind,start,end\nA,0,work,2024-01-01,2024-03-31\n")
    code, err = run(["batch", str(c), str(lines), "--out", str(tmp_path / "r.csv"), "--lang", lang, "--no-progress"],
                    capsys)
    assert code == 0 and err[-1].startswith(done), err
