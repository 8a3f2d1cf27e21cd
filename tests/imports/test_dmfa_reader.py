"""The DmfA reader on generated, schema-valid declarations."""
from __future__ import annotations

from datetime import date

import pytest

from art60kit.caseio import case_from_dict, validate_line
from art60kit.errors import InputError
from art60kit.imports.dmfa import group_key, read_dmfa, read_dmfa_files
from art60kit.imports.synthetic import (Declaration, Occupation, Service, Worker, build_dmfa,
                                        company_id, inss)

ANA = inss(date(1993, 5, 17), 22)  # made-up person, valid check digits
BEN = inss(date(2001, 11, 2), 35)
CPAS, SHOP = company_id(11), company_id(12)


def career_file():
    """Two employers over three quarters; part-time with Q/S changing mid-quarter;
    holidays, sickness, guaranteed wage, temporary unemployment and an unknown code."""
    return [
        Declaration(2024, 1, SHOP, [
            Worker(ANA, [Occupation(date(2023, 11, 6), services=[
                Service(1, 55), Service(2, 5), Service(50, 3), Service(10, 2)])]),
            Worker(BEN, [Occupation(date(2024, 2, 1), services=[Service(1, 30)])]),
        ]),
        Declaration(2024, 2, SHOP, [
            Worker(ANA, [
                # Q/S 19/38 until 15 May, then 30.4/38: two occupations in the quarter.
                Occupation(date(2023, 11, 6), date(2024, 5, 15), weekly_hours=19,
                           services=[Service(1, 32, 121.6), Service(70, 0.5, 1.9)]),
                Occupation(date(2024, 5, 16), weekly_hours=30.4,
                           services=[Service(1, 30, 182.4), Service(999, 1, 6.08)]),
            ]),
        ]),
        Declaration(2024, 3, CPAS, [
            Worker(ANA, [Occupation(date(2024, 7, 1), date(2024, 8, 31), services=[
                Service(1, 40), Service(30, 2), Service(51, 2)])]),
        ]),
    ]


@pytest.fixture(scope="module")
def xml():
    return build_dmfa(career_file())


def test_generated_file_is_schema_valid(xml, assert_valid):
    assert_valid(xml)


def test_several_quarters_and_employers(xml):
    imp = read_dmfa(xml, name="q.xml")
    assert [p.inss for p in imp.persons] == sorted([ANA, BEN])
    ana = imp.person(ANA)
    assert ana.quarters == ("2024Q1", "2024Q2", "2024Q3")
    assert {l["employer"] for l in ana.lines} == {f"{SHOP:010d}", f"{CPAS:010d}"}
    assert all(l["source"] == "dmfa" for l in ana.lines)
    refs = [l["source_ref"] for l in ana.lines]
    assert f"DmfA 2024Q1 employer {SHOP:010d} worker 495 occupation 1 service 001" in refs
    assert len(set(refs)) == len(refs)
    assert ANA not in " ".join(refs + [l["note"] for l in ana.lines])  # no INSS in the lines


def test_full_time_lines_use_days_in_the_regime(xml):
    q1 = [l for l in read_dmfa(xml).person(ANA).lines if "2024Q1" in l["source_ref"]]
    by_kind = {l["kind"]: l for l in q1}
    assert set(by_kind) == {"work", "paid_holiday", "sickness_indemnified", "sickness_guaranteed_wage"}
    w = by_kind["work"]
    assert (w["start"], w["end"], w["days"], w["days_per_week"]) == (date(2024, 1, 1), date(2024, 3, 31), 55, 5)
    assert "hours" not in w
    assert "code 001" in w["note"] and "[C]" in w["note"]


def test_part_time_with_q_s_changing_mid_quarter(xml):
    q2 = [l for l in read_dmfa(xml).person(ANA).lines if "2024Q2" in l["source_ref"]]
    first = [l for l in q2 if "occupation 1 service 001" in l["source_ref"]][0]
    second = [l for l in q2 if "occupation 2 service 001" in l["source_ref"]][0]
    assert (first["start"], first["end"]) == (date(2024, 4, 1), date(2024, 5, 15))
    assert (second["start"], second["end"]) == (date(2024, 5, 16), date(2024, 6, 30))
    assert (first["hours"], first["full_time_hours"]) == (121.6, 38)
    assert second["hours"] == 182.4
    assert "Q/S 19/38" in first["note"] and "Q/S 30.4/38" in second["note"]
    tu = [l for l in q2 if l["kind"] == "temporary_unemployment"][0]
    assert tu["hours"] == 1.9


def test_unknown_code_is_kept_unmapped_and_reported(xml):
    imp = read_dmfa(xml, name="q.xml")
    ana = imp.person(ANA)
    (u,) = ana.unmapped
    assert u["source_ref"].endswith("service 999") and u["kind"] == "unmapped"
    assert u["hours"] == 6.08
    msgs = [str(p) for p in ana.problems]
    assert any("service code 999 is not in annex 8" in m and m.startswith("q.xml: line ") for m in msgs)


def test_occupation_ending_in_the_quarter(xml):
    q3 = [l for l in read_dmfa(xml).person(ANA).lines if "2024Q3" in l["source_ref"]]
    assert {(l["start"], l["end"]) for l in q3} == {(date(2024, 7, 1), date(2024, 8, 31))}
    assert {l["kind"] for l in q3} == {"work", "unpaid_absence", "maternity"}


def test_every_line_is_a_valid_case_line_and_plans(xml):
    lines = read_dmfa(xml).career(ANA)
    for i, l in enumerate(lines):
        assert [p for p in validate_line(l, f"career[{i}]") if p.severity == "error"] == []
    case = case_from_dict({"person": {"birth_date": "1993-05-17"}, "contract": {"start": "2025-01-06"},
                           "career": lines})
    from art60kit.planner import plan

    p = plan(case)
    assert p.end_date is not None
    assert any("dmfa" in s["text"] and "DmfA 2024Q1 employer" in s["text"] for s in p.to_dict()["steps"])


def test_namespace_is_ignored(assert_valid):
    ns_xml = build_dmfa(career_file(), namespace="urn:art60kit:test:dmfa")
    assert_valid(ns_xml)
    plain = read_dmfa(build_dmfa(career_file()))
    with_ns = read_dmfa(ns_xml)
    assert with_ns.persons == plain.persons
    assert any("namespace" in p.message for p in with_ns.problems)


def test_inss_filter(xml):
    imp = read_dmfa(xml, inss=BEN)
    assert [p.inss for p in imp.persons] == [BEN]
    assert imp.person().lines[0]["days"] == 30
    with pytest.raises(KeyError):
        imp.person(ANA)


def test_malformed_file_names_the_line_and_imports_nothing(tmp_path, xml):
    text = xml.decode().splitlines()
    # Break the XML on line 40: an unclosed element.
    text[39] = text[39].replace("</", "<")
    f = tmp_path / "broken.xml"
    f.write_text("\n".join(text))
    with pytest.raises(InputError) as e:
        read_dmfa(f)
    (p,) = e.value.problems
    assert p.file == str(f) and p.path.startswith("line ")
    assert "malformed XML: nothing imported" in p.message and "XML mal formé" in p.text("fr")
    assert "Traceback" not in str(e.value)


def test_bad_values_refuse_that_worker_only_with_line_numbers(tmp_path, xml):
    text = xml.decode()
    text = text.replace("<ServiceNbrDays>05500</ServiceNbrDays>", "<ServiceNbrDays>55,5</ServiceNbrDays>", 1)
    text = text.replace("<OccupationStartingDate>2024-07-01", "<OccupationStartingDate>2024-07-32", 1)
    f = tmp_path / "bad.xml"
    f.write_text(text)
    imp = read_dmfa(f)
    # ANA's two bad values refuse ANA (nothing of ANA is kept); BEN is imported.
    assert [p.inss for p in imp.persons] == [BEN]
    assert imp.workers_read == 1 and len(imp.refused) == 1
    msgs = [str(p) for p in imp.refusal_problems]
    assert any("ServiceNbrDays: not a whole number: '55,5'" in m for m in msgs)
    assert any("OccupationStartingDate: not a valid date: '2024-07-32'" in m for m in msgs)
    assert all(ANA not in m and f"******{ANA[6:]}" in m for m in msgs)
    line = [p for p in imp.refusal_problems if "55,5" in p.message][0].path
    n = int(line.split()[1].rstrip(":"))
    assert "55,5" in text.splitlines()[n - 1]
    assert "1 worker(s) imported, 1 refused" in imp.report()


def test_missing_required_zone(tmp_path, xml):
    text = xml.decode().replace("<ServiceCode>050</ServiceCode>", "", 1)
    imp = read_dmfa(text.encode())
    assert any("ServiceCode: required zone missing" in str(p) for p in imp.refusal_problems)
    assert ANA not in [p.inss for p in imp.persons]


def test_not_a_dmfa_file():
    with pytest.raises(InputError, match="root element Invoice: not a DmfA declaration"):
        read_dmfa(b"<?xml version='1.0'?><Invoice><Total>3</Total></Invoice>", name="x.xml")
    with pytest.raises(InputError, match="no such file"):
        read_dmfa("/nonexistent/dmfa.xml")


def test_zero_regime_uses_five_and_warns():
    xml = build_dmfa([Declaration(2024, 1, SHOP, [Worker(ANA, [Occupation(
        date(2020, 1, 1), days_per_week=0, services=[Service(30, 65)])])])])
    ana = read_dmfa(xml).person()
    assert ana.lines[0]["days_per_week"] == 5
    assert any("WorkingDaysSystem 0" in p.message for p in ana.problems)


def test_seven_day_regime_keeps_the_credit():
    xml = build_dmfa([Declaration(2024, 1, SHOP, [Worker(ANA, [Occupation(
        date(2020, 1, 1), days_per_week=7, services=[Service(1, 70)])])])])
    (l,) = read_dmfa(xml).person().lines
    assert l["days_per_week"] == 6 and l["days"] == 60  # 70 x 6/7 = 60 x 6/6


def test_student_and_apprentice_lines_do_not_count():
    xml = build_dmfa([Declaration(2024, 1, SHOP, [
        Worker(ANA, [Occupation(date(2024, 1, 1), services=[Service(1, 10)])], worker_code=840),
        Worker(BEN, [Occupation(date(2024, 1, 1), apprenticeship=1, services=[Service(1, 10)])]),
    ])])
    imp = read_dmfa(xml)
    assert imp.person(ANA).lines[0]["kind"] == "student_contract"
    assert imp.person(BEN).lines[0]["kind"] == "apprenticeship"


def test_days_beyond_the_occupation_use_the_quarter():
    xml = build_dmfa([Declaration(2024, 1, SHOP, [Worker(ANA, [Occupation(
        date(2024, 3, 25), services=[Service(1, 20)])])])])
    p = read_dmfa(xml).person()
    assert (p.lines[0]["start"], p.lines[0]["end"]) == (date(2024, 1, 1), date(2024, 3, 31))
    assert any("the whole quarter is used" in w.message for w in p.problems)


def test_several_files_and_a_repeated_declaration(tmp_path):
    decls = career_file()
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_bytes(build_dmfa(decls[:2]))
    b.write_bytes(build_dmfa(decls[1:]))  # 2024Q2 is in both files
    imp = read_dmfa_files([a, b])
    single = read_dmfa(build_dmfa(decls))
    assert imp.person(ANA).lines == single.person(ANA).lines
    assert any("identical, kept once" in p.message for p in imp.person(ANA).problems)


def test_errors_in_any_file_stop_all(tmp_path):
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_bytes(build_dmfa(career_file()))
    b.write_text("<DmfAOriginal><Form>")
    with pytest.raises(InputError) as e:
        read_dmfa_files([a, b])
    assert all(p.file == str(b) for p in e.value.problems)


def test_group_key():
    assert group_key({"source": "csv", "source_ref": "x service 1"}) is None
    assert group_key({"source": "dmfa", "source_ref": "DmfA 2024Q1 employer 1 occupation 2 service 001 #2"}) \
        == "DmfA 2024Q1 employer 1 occupation 2"


def test_large_file_python_memory_stays_small(tmp_path):
    """Python-side memory stays well below the file size: finished persons are
    converted and cleared as the file streams (libxml2's own buffers are not traced)."""
    import tracemalloc

    from art60kit.imports.synthetic import random_declarations

    f = tmp_path / "big.xml"
    f.write_bytes(build_dmfa(random_declarations(60, [(2023, q) for q in (1, 2, 3, 4)], seed=1)))
    tracemalloc.start()
    imp = read_dmfa(f)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(imp.persons) == 60
    assert peak < 4 * f.stat().st_size
