"""Real declarations: per-worker refusal, modifications, other messages, worker codes,
bounds, Dimona. Every generated file validates against its official schema."""
from __future__ import annotations

from datetime import date

import pytest

from art60kit.errors import InputError
from art60kit.imports.dmfa import read_dmfa, read_dmfa_files
from art60kit.imports.merge import merge
from art60kit.imports.synthetic import (Declaration, DimonaIn, Occupation, Service, UpdateDeclaration, Worker,
                                        WorkerUpdate, build_dimona, build_dmfa, build_dmfa_pid, build_dmfa_update,
                                        company_id, inss)
from art60kit.imports.workercodes import WORKER_CODES, lookup_worker

ANA = inss(date(1990, 6, 15), 11)
BEN = inss(date(1985, 2, 3), 12)
CAT = inss(date(1979, 9, 9), 13)
SHOP = company_id(21)
E = f"{SHOP:010d}"


def original():
    return build_dmfa([Declaration(2024, 3, SHOP, [
        Worker(ANA, [Occupation(date(2024, 1, 1), services=[Service(1, 60), Service(2, 6)])]),
        Worker(BEN, [Occupation(date(2024, 1, 1), services=[Service(1, 366)])]),  # impossible
        Worker(CAT, [Occupation(date(2024, 1, 1), services=[Service(1, 30)])]),
    ])])


def correction(action=3, days=55):
    return build_dmfa_update([UpdateDeclaration(2024, 3, SHOP, [
        WorkerUpdate(ANA, [Occupation(date(2024, 1, 1), services=[Service(1, days), Service(2, 6)])],
                     action=action)], reference="UPD-42", created=date(2025, 2, 10))])


def test_files_validate_against_the_official_schemas(assert_schema_valid):
    assert_schema_valid("original", original())
    assert_schema_valid("modification", correction())
    assert_schema_valid("modification", correction(action=9))
    assert_schema_valid("pid", build_dmfa_pid(2024, 3, SHOP, [ANA]))
    assert_schema_valid("dimona", build_dimona([DimonaIn(ANA, SHOP, date(2024, 10, 1))]))
    assert_schema_valid("original", build_dmfa([Declaration(2024, 3, SHOP, [Worker(
        ANA, [Occupation(date(2024, 7, 1), date(2024, 8, 15), services=[Service(1, 33)])],
        more_records=[(840, [Occupation(date(2024, 8, 16), services=[Service(1, 10)])])])])]))


def test_one_impossible_worker_is_refused_and_the_others_imported():
    imp = read_dmfa(original(), name="q3.xml")
    assert [p.inss for p in imp.persons] == sorted([ANA, CAT])
    assert imp.workers_read == 2 and len(imp.refused) == 1
    (p,) = imp.refusal_problems
    assert p.file == "q3.xml" and p.path.startswith("line ") and p.path.endswith("Service/ServiceNbrDays")
    assert "value 36600 (= 366) outside 0 to 92 days" in p.message and f"******{BEN[6:]}" in p.message
    assert BEN not in str(p) and p.line == int(p.path.split()[1].rstrip(":")) and p.zone == "Service/ServiceNbrDays"
    assert "valeur 36600 (= 366) hors de 0 à 92 jours" in p.text("fr")
    assert "2 worker(s) imported, 1 refused" in imp.report()
    assert [l["days"] for l in imp.person(CAT).lines] == [30]


def test_every_worker_refused_is_an_input_error():
    xml = build_dmfa([Declaration(2024, 3, SHOP, [Worker(BEN, [Occupation(date(2024, 1, 1), services=[
        Service(1, 50, 99999.99)], weekly_hours=19)])])])
    with pytest.raises(InputError) as e:
        read_dmfa(xml, name="x.xml")
    assert any("ServiceNbrHours" in str(p) and "9999999" in str(p) and "99.999,99" in p.text("nl")
               for p in e.value.problems)
    assert str(e.value.problems[-1]).endswith("nothing imported")


@pytest.mark.parametrize("edit, zone", [
    (("<Quarter>20243</Quarter>", "<Quarter>00001</Quarter>"), "Quarter"),
    (("<WorkingDaysSystem>500</WorkingDaysSystem>", "<WorkingDaysSystem>900</WorkingDaysSystem>"), "WorkingDaysSystem"),
    (("<MeanWorkingHours>3800</MeanWorkingHours>", "<MeanWorkingHours>9000</MeanWorkingHours>"), "MeanWorkingHours"),
    (("<OccupationStartingDate>2024-01-01", "<OccupationStartingDate>0024-01-01"), "OccupationStartingDate"),
])
def test_bounds_give_clean_input_errors(edit, zone):
    xml = build_dmfa([Declaration(2024, 3, SHOP, [Worker(ANA, [Occupation(date(2024, 1, 1), services=[
        Service(1, 60)])])])]).decode().replace(*edit).encode()
    with pytest.raises(InputError) as e:
        read_dmfa(xml, name="b.xml")
    assert any(zone in str(p) for p in e.value.problems), e.value


@pytest.mark.parametrize("year, q, value, allowed", [
    (2019, 3, 2, True),   # before 2019/4: 1 to 5 (glossary 2022/3, zone 00055)
    (2019, 3, 5, True),
    (2019, 4, 1, True),   # from 2019/4: 1 only
    (2019, 4, 2, False),
    (2024, 3, 5, False),
    (2024, 3, 7, False),  # outside every set (and the schema)
])
def test_apprenticeship_values_are_checked_by_quarter(year, q, value, allowed):
    xml = build_dmfa([Declaration(year, q, SHOP, [
        Worker(ANA, [Occupation(date(year, 3 * q - 2, 1), apprenticeship=value, services=[Service(1, 20)])]),
        Worker(CAT, [Occupation(date(year, 3 * q - 2, 1), services=[Service(1, 20)])])])])
    imp = read_dmfa(xml, name="a.xml")
    if allowed:
        assert imp.person(ANA).lines[0]["kind"] == "apprenticeship" and not imp.refused
        return
    (p,) = imp.refusal_problems  # one line: file, line, zone, value, quarter, masked worker
    assert p.file == "a.xml" and p.zone == "Occupation/Apprenticeship" and isinstance(p.line, int)
    assert f"value {value} not allowed in quarter {year}/{q}" in p.message and f"******{ANA[6:]}" in p.message
    assert f"waarde {value} niet toegelaten in kwartaal {year}/{q}" in p.text("nl")
    assert [x.inss for x in imp.persons] == [CAT]


def test_flight_minutes_are_converted_to_hours():
    xml = build_dmfa([Declaration(2024, 3, SHOP, [Worker(ANA, [Occupation(
        date(2024, 1, 1), weekly_hours=19, services=[Service(1, 30, None, 7200)])])])])
    (l,) = read_dmfa(xml).person().lines
    assert l["hours"] == 120 and "7200 flight minutes = 120 h" in l["note"]


def test_two_worker_records_of_one_person_keep_distinct_references():
    xml = build_dmfa([Declaration(2024, 3, SHOP, [Worker(
        ANA, [Occupation(date(2024, 7, 1), date(2024, 8, 15), services=[Service(1, 33)])],
        more_records=[(495, [Occupation(date(2024, 8, 16), services=[Service(1, 33)])]),
                      (840, [Occupation(date(2024, 9, 1), services=[Service(1, 10)])])])])])
    lines = read_dmfa(xml).person().lines
    refs = [l["source_ref"] for l in lines]
    assert len(set(refs)) == 3
    assert [l["days"] for l in lines if l["kind"] == "work"] == [33, 33]
    assert any(" worker 495 record 2 occupation 1 service 001" in r for r in refs)
    student = [l for l in lines if l["kind"] == "student_contract"]
    assert len(student) == 1 and "worker code 840" in student[0]["source_ref"]
    # Read twice (two files), nothing is dropped as "identical" wrongly.
    twice = read_dmfa_files([xml, xml])
    assert [l["source_ref"] for l in twice.person().lines] == refs


def test_statutory_worker_code_does_not_count_and_says_why():
    xml = build_dmfa([Declaration(2024, 3, SHOP, [Worker(ANA, [Occupation(date(2024, 1, 1), services=[
        Service(1, 60), Service(2, 6)])], worker_code=675)])])
    imp = read_dmfa(xml)
    (l,) = imp.person().lines
    assert l["kind"] == "not_covered_work" and "days" not in l
    assert "worker code 675, does not count" in l["source_ref"] and "health care only" in l["note"]
    (w,) = [w for w in imp.warnings if "WorkerCode" in w.zone]
    assert "does not count: statutory staff: contributions for health care only" in w.message
    assert "telt niet mee: statutair personeel" in w.text("nl")


def test_worker_code_table_has_sources_and_effects():
    assert lookup_worker(495).effect == "counts" and lookup_worker(90).effect == "counts"
    for code in (675, 671, 840, 841, 848):
        assert WORKER_CODES[code].effect == "does_not_count", code
    assert lookup_worker(50).effect == "ask" and not lookup_worker(999).known
    assert lookup_worker(675).effect_text("nl").startswith("telt niet mee")
    assert all(w.effect in ("counts", "does_not_count", "ask") and w.reason for w in WORKER_CODES.values())
    xml = build_dmfa([Declaration(2024, 3, SHOP, [Worker(ANA, [Occupation(date(2024, 1, 1), services=[
        Service(1, 60)])], worker_code=50)])])
    assert read_dmfa(xml).person().lines[0]["kind"] == "unmapped"


def test_original_plus_modification_is_the_corrected_career():
    imp = read_dmfa_files([original(), correction()])
    work = [l for l in imp.person(ANA).lines if l["kind"] == "work"]
    assert [l["days"] for l in work] == [55]
    assert "[corrected by DmfA modification reference UPD-42 of 2025-02-10: days 60 -> 55]" in work[0]["source_ref"]
    (c,) = imp.changes
    assert c.action == "corrected" and c.fields == (("days", 60.0, 55.0),)
    assert "days 60 → 55" in c.text() and "corrigée (jours 60 → 55) par" in c.text("fr")
    assert "DmfA 2024/3 werkgever" in c.text("nl") and "van 10/02/2025" in c.text("nl")
    # The holidays restated unchanged are not a change; CAT is untouched.
    assert [l["days"] for l in imp.person(CAT).lines] == [30]


def test_modifications_apply_in_order_and_cancel():
    first = correction(days=55)
    later = build_dmfa_update([UpdateDeclaration(2024, 3, SHOP, [WorkerUpdate(ANA, [Occupation(
        date(2024, 1, 1), services=[Service(1, 58), Service(2, 6)])])], reference="UPD-43",
        created=date(2025, 3, 1))])
    imp = read_dmfa_files([original(), later, first])  # given out of order
    assert [l["days"] for l in imp.person(ANA).lines if l["kind"] == "work"] == [58]
    assert [c.modification.split()[3] for c in imp.changes] == ["UPD-42", "UPD-43"]
    gone = read_dmfa_files([original(), correction(action=9)])
    assert ANA not in [p.inss for p in gone.persons if p.lines]
    assert {c.action for c in gone.changes} == {"cancelled"} and len(gone.changes) == 2


def test_modification_without_its_original_is_imported_as_stated():
    imp = read_dmfa(correction(), name="upd.xml")
    assert imp.message == "modification" and imp.workers_read == 1
    assert [l["days"] for l in imp.person(ANA).lines] == [55, 6]
    assert any("was not read; imported as stated" in w.message for w in imp.warnings)


@pytest.mark.parametrize("xml, what", [
    (build_dmfa_pid(2024, 3, SHOP, [ANA]), "DmfA PID notification"),
    (b"<?xml version='1.0'?><DmfANotification><Form/></DmfANotification>", "DmfA notification"),
    (b"<?xml version='1.0'?><DimonaAcknowledgement/>", "Dimona acknowledgement"),
])
def test_other_messages_are_refused_with_one_line_naming_them(xml, what):
    with pytest.raises(InputError) as e:
        read_dmfa(xml, name="m.xml")
    (p,) = e.value.problems
    assert what in p.message and "not a declaration of work" in p.message and p.file == "m.xml"


def test_dimona_gives_lines_whose_working_time_is_unknown_and_merges():
    dim = build_dimona([DimonaIn(ANA, SHOP, date(2024, 7, 1)), DimonaIn(CAT, SHOP, date(2024, 3, 1),
                                                                      date(2024, 3, 31), "STU")])
    imp = read_dmfa(dim, name="d.xml", as_of=date(2024, 12, 31))
    assert imp.message == "dimona" and imp.workers_read == 2
    (l,) = imp.person(ANA).lines
    assert l["weekly_hours"] == "unknown" and l["doubt"].startswith("Dimona only")
    assert (l["start"], l["end"]) == (date(2024, 7, 1), date(2024, 12, 31))
    assert imp.person(CAT).lines[0]["kind"] == "student_contract"
    both = read_dmfa_files([original(), correction(), dim], as_of=date(2024, 12, 31))
    m = merge(both.career(ANA))
    dimona = [x for x in m.lines if x["source"] == "dimona"]
    assert [(x["start"], x["end"]) for x in dimona] == [("2024-10-01", "2024-12-31")]
    assert [e.type for e in m.report.entries] == ["not_yet_declared", "covered"]


def test_cli_import_writes_the_corrected_career_and_exits_2_on_bad_files(tmp_path, capsys):
    from art60kit.cli import main

    o, u, d, q = (tmp_path / n for n in ("o.xml", "u.xml", "d.xml", "q.xml"))
    o.write_bytes(original())
    u.write_bytes(correction())
    d.write_bytes(build_dimona([DimonaIn(ANA, SHOP, date(2024, 7, 1))]))
    q.write_bytes(original().replace(b"<Quarter>20243</Quarter>", b"<Quarter>00001</Quarter>"))
    out = tmp_path / "career.csv"
    assert main(["import", str(o), str(u), str(d), "--inss", ANA, "--as-of", "2024-12-31", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "1 travailleur(s) importé(s), 0 refusé(s)" in err and "(jours 60 → 55)" in err
    text = out.read_text()
    assert "days 60 -> 55" in text and ",unknown," in text and "Dimona seule" in text  # the --lang of the command
    assert main(["import", str(q)]) == 2
    err = capsys.readouterr().err
    assert "Quarter: pas un trimestre DmfA AAAAT à partir de 20031 : '00001'" in err and "Traceback" not in err
    assert main(["import", str(o)]) == 2  # two people: choose one
    assert "en choisir une avec --inss" in capsys.readouterr().err


def test_modification_changing_the_worker_code_replaces_the_lines():
    change = build_dmfa_update([UpdateDeclaration(2024, 3, SHOP, [WorkerUpdate(
        ANA, [Occupation(date(2024, 1, 1), services=[Service(1, 60), Service(2, 6)])],
        worker_code=675, last_worker_code=495)], reference="UPD-77")])
    imp = read_dmfa_files([original(), change])
    (l,) = imp.person(ANA).lines
    assert l["kind"] == "not_covered_work" and "worker code 675" in l["source_ref"]
    assert sorted(c.action for c in imp.changes) == ["added", "removed", "removed"]


def test_a_pipe_is_read_once():
    import io

    class Pipe(io.RawIOBase):
        """A stream that cannot seek, like standard input."""

        def __init__(self, data):
            self._b = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, b):
            return self._b.readinto(b)

        def seekable(self):
            return False

        def tell(self):
            raise io.UnsupportedOperation("not seekable")

    imp = read_dmfa(io.BufferedReader(Pipe(original())), name="stdin")
    assert imp.workers_read == 2 and len(imp.refused) == 1


def test_dimona_worker_types_follow_the_worker_codes():
    dim = build_dimona([DimonaIn(ANA, SHOP, date(2024, 3, 1), date(2024, 3, 31), "A17"),
                        DimonaIn(BEN, SHOP, date(2024, 3, 1), date(2024, 3, 31), "FLX"),
                        DimonaIn(CAT, SHOP, date(2024, 3, 1), date(2024, 3, 31), "EXT")])
    imp = read_dmfa(dim)
    (a,), (b,), (c,) = (imp.person(x).lines for x in (ANA, BEN, CAT))
    assert a["kind"] == "not_covered_work" and "weekly_hours" not in a and "art. 17" in a["note"]
    assert "worker type A17, does not count" in a["source_ref"]
    assert b["kind"] == "unmapped" and b["weekly_hours"] == "unknown"
    assert c["kind"] == "work" and c["weekly_hours"] == "unknown"


@pytest.mark.parametrize("seed", range(4))
def test_original_plus_modifications_equals_the_corrected_original(seed):
    """Applying generated corrections gives the lines of an original declared right the
    first time (references and notes aside), and lists one change per corrected figure."""
    from art60kit.imports.synthetic import random_declarations, random_updates

    decls = random_declarations(12, [(2024, 1), (2024, 2)], n_employers=2, seed=seed)
    updates = random_updates(decls, 0.5, seed=seed)
    fixed_by = {(u.year, u.quarter, u.company_id, w.inss): w.occupations for u in updates for w in u.workers}
    right_first = [Declaration(d.year, d.quarter, d.company_id, [
        Worker(w.inss, fixed_by.get((d.year, d.quarter, d.company_id, w.inss), w.occupations), w.worker_code)
        for w in d.workers]) for d in decls]
    got = read_dmfa_files([build_dmfa(decls), build_dmfa_update(updates)])
    want = read_dmfa(build_dmfa(right_first))

    def plain(imp):
        return {p.inss: sorted((l["source_ref"].split(" [")[0], l["kind"], l["start"], l.get("days"), l.get("hours"))
                               for l in p.lines) for p in imp.persons}

    assert plain(got) == plain(want)
    assert len(got.changes) == sum(len(w.occupations[0].services[:1]) for u in updates for w in u.workers)


def _with_student_block(xml: bytes, hours: int) -> bytes:
    """A worker record declared as a student block (StudentContribution), as employers
    declare student work under the solidarity contribution: no occupation."""
    import re

    s = xml.decode()
    block = (f"<StudentContribution><StudentRemunAmount>100000</StudentRemunAmount>"
             f"<StudentContributionAmount>5420</StudentContributionAmount>"
             f"<StudentHoursNbr>{hours}</StudentHoursNbr></StudentContribution>")
    for tag in ("Occupation", "OccupationUpdate"):
        s = re.sub(rf"<{tag}>.*</{tag}>", block, s, flags=re.S)
    return s.encode()


def test_a_student_block_is_a_student_line_and_a_modification_corrects_it(assert_schema_valid):
    student = inss(date(2005, 5, 5), 14)
    orig = _with_student_block(build_dmfa([Declaration(2024, 3, SHOP, [Worker(student, [Occupation(
        date(2024, 7, 1), services=[Service(1, 10)])], worker_code=840)])]), 120)
    upd = _with_student_block(build_dmfa_update([UpdateDeclaration(2024, 3, SHOP, [WorkerUpdate(
        student, [Occupation(date(2024, 7, 1), services=[Service(1, 10)])], worker_code=840, action=3)],
        reference="UPD-S")]), 96)
    assert_schema_valid("original", orig)
    assert_schema_valid("modification", upd)
    (l,) = read_dmfa(orig).person().lines
    assert l["kind"] == "student_contract" and l["hours"] == 120 and l["start"] == date(2024, 7, 1)
    imp = read_dmfa_files([orig, upd])
    (l,) = imp.person(student).lines
    assert l["hours"] == 96 and "corrected by DmfA modification reference UPD-S" in l["source_ref"]
    (c,) = imp.changes
    assert c.action == "corrected" and c.fields == (("hours", 120.0, 96.0),)
    bad = orig.replace(b"<StudentHoursNbr>120", b"<StudentHoursNbr>1200")
    with pytest.raises(InputError, match="StudentContribution/StudentHoursNbr"):
        read_dmfa(bad)
