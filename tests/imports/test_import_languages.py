"""Every line a person reads from the import, in their language.

Each kind of problem the import can report (refusals, warnings, the report, the
figures a modification changed, the merge report, the command's own errors) is
produced here from a file that has it; the test fails if a kind of message of the
catalog is never produced (a new message without a case here), and, for Dutch, French
and German, if any of those lines still holds English words."""
from __future__ import annotations

import re
from datetime import date

import pytest

from art60kit.errors import InputError
from art60kit.i18n import keys
from art60kit.imports.dmfa import read_dmfa, read_dmfa_files
from art60kit.imports.merge import merge
from art60kit.imports.synthetic import (Declaration, DimonaIn, Occupation, Service, UpdateDeclaration, Worker,
                                        WorkerUpdate, build_dimona, build_dmfa, build_dmfa_pid, build_dmfa_update,
                                        company_id, inss)
from art60kit.imports.texts import ImportProblem, Msg

ANA = inss(date(1990, 6, 15), 61)
BEN = inss(date(1985, 2, 3), 62)
SHOP = company_id(61)

#: Kinds of message (catalog ``import.<prefix>...``) the reader, the modifications, the
#: Dimona reader and the command produce; each must be produced below.
PREFIXES = ("csv.", "file.", "files.", "message.", "zone.", "value.", "decl.", "worker.no", "worker.bad", "record.",
            "occ.", "wcode.", "update.", "mod.", "appr.not", "service.", "dimona.", "cli.")

#: English words that are not also French, Dutch or German words ("of", "is", "week",
#: "regime", "modification", "expert" are), matched whole.
ENGLISH = re.compile(r"\b(the|and|with|without|not|no|are|were|declared|declares|worker|workers|"
                     r"refused|imported|outside|hours|days|used|quarter|estimated|written|kept|counts|nothing|"
                     r"whole|number|missing|empty|found|expected|allowed|read|cannot|file|ends|before|starts|"
                     r"which|from|to|line|lines|warning|employer|record|corrected|added|removed|cancelled|"
                     r"cancels|adds|stated|occupation dates|calendar|unknown|ask|"
                     r"period|reading|applied|check|because|value|values|more than|a day|"
                     r"full time|working time|duplicate|conflict|overlap|dropped|clipped|reduced|wins)\b", re.I)


def one(workers, year=2024, q=3, **kw) -> bytes:
    return build_dmfa([Declaration(year, q, SHOP, workers, **kw)])


def occ(*services, start=date(2024, 7, 1), **kw):
    return Occupation(start, services=list(services) or [Service(1, 20)], **kw)


def edit(xml: bytes, *pairs) -> bytes:
    s = xml.decode()
    for a, b in pairs:
        assert a in s, a
        s = s.replace(a, b, 1)
    return s.encode()


def _inputs():
    """(name, thunk) pairs; each thunk returns an import or raises InputError."""
    ok = one([Worker(ANA, [occ()])])
    two = [Worker(ANA, [occ()]), Worker(BEN, [occ()])]
    yield "malformed", lambda: read_dmfa(b"<DmfAOriginal><Form>", name="m.xml")
    yield "missing", lambda: read_dmfa("/nonexistent/n.xml")
    yield "empty", lambda: read_dmfa(b"", name="empty.xml")
    yield "directory", lambda: read_dmfa("/")
    yield "unknown", lambda: read_dmfa(b"<Foo/>", name="u.xml")
    yield "pid", lambda: read_dmfa(build_dmfa_pid(2024, 3, SHOP, [ANA]), name="p.xml")
    for root in ("DmfAUpdateNotification", "DmfANotification", "DmfAPPLNotification", "DimonaAcknowledgement",
                 "DimonaNotification", "DmfARequest", "DmfAPPL"):
        yield root, lambda root=root: read_dmfa(f"<{root}/>".encode(), name="o.xml")
    yield "no form", lambda: read_dmfa(b"<DmfAOriginal></DmfAOriginal>", name="e.xml")
    yield "one refused", lambda: read_dmfa(one([Worker(ANA, [occ(Service(1, 366))]), Worker(BEN, [occ()])]))
    yield "all refused", lambda: read_dmfa(one([Worker(ANA, [occ(Service(1, 366))])]))
    yield "namespace", lambda: read_dmfa(build_dmfa([Declaration(2024, 3, SHOP, [Worker(ANA, [occ()])])],
                                                    namespace="urn:x"))
    yield "no declaration", lambda: read_dmfa(ok, inss=BEN)
    two_decls = build_dmfa([Declaration(2024, 3, SHOP, [Worker(ANA, [occ()])]),
                            Declaration(2024, 2, SHOP, [Worker(BEN, [occ(start=date(2024, 4, 1))])])])
    yield "bad quarter, other declaration read", lambda: read_dmfa(edit(two_decls, ("<Quarter>20243", "<Quarter>20249")))
    yield "same and differ", lambda: read_dmfa_files([ok, ok, edit(ok, ("<ServiceNbrDays>02000", "<ServiceNbrDays>02100"))])
    cases = {
        "zone missing": ("<ServiceNbrDays>02000</ServiceNbrDays>", ""),
        "not integer": ("<ServiceNbrDays>02000", "<ServiceNbrDays>02x00"),
        "outside": ("<WorkerCode>495", "<WorkerCode>1495"),
        "outside unit": ("<ServiceNbrDays>02000</ServiceNbrDays>",
                         "<ServiceNbrDays>02000</ServiceNbrDays><FlightNbrMinutes>999999</FlightNbrMinutes>"),
        "bad date": ("<OccupationStartingDate>2024-07-01", "<OccupationStartingDate>2024-13-01"),
        "date years": ("<OccupationStartingDate>2024-07-01", "<OccupationStartingDate>0024-07-01"),
        "no employer": ("<CompanyID>", "<CompanyIDx>"),
        "bad inss": (f"<INSS>{ANA}", "<INSS>123"),
        "record ends before": ("<NOSSQuarterEndingDate>2024-09-30", "<NOSSQuarterEndingDate>2024-06-30"),
        "quarter mismatch": ("<NOSSQuarterEndingDate>2024-09-30", "<NOSSQuarterEndingDate>2025-09-30"),
        "occupation ends before": ("<OccupationStartingDate>2024-07-01</OccupationStartingDate>",
                                   "<OccupationStartingDate>2024-07-01</OccupationStartingDate>"
                                   "<OccupationEndingDate>2024-06-01</OccupationEndingDate>"),
        "R zero": ("<WorkingDaysSystem>500", "<WorkingDaysSystem>000"),
        "R seven": ("<WorkingDaysSystem>500", "<WorkingDaysSystem>700"),
    }
    for name, pair in cases.items():
        yield name, lambda pair=pair: read_dmfa(edit(one(two), pair) if name != "no employer" else edit(
            one(two), pair, ("</CompanyID>", "</CompanyIDx>"), ("<NOSSRegistrationNbr>", "<X>"),
            ("</NOSSRegistrationNbr>", "</X>")), name="c.xml")
    yield "no record", lambda: read_dmfa(edit(one(two), ("<WorkerRecord>", "<Other>"), ("</WorkerRecord>", "</Other>")))
    yield "misplaced", lambda: read_dmfa(
        f"<DmfAOriginal><Form><NaturalPerson><INSS>{ANA}</INSS></NaturalPerson></Form></DmfAOriginal>".encode())
    yield "record without occupation", lambda: read_dmfa(one([Worker(ANA, [occ()], more_records=[(495, [])])]))
    twice = one([Worker(ANA, [occ(), occ()])])
    yield "occupation twice", lambda: read_dmfa(edit(twice, ("<OccupationSequenceNbr>2", "<OccupationSequenceNbr>1")))
    yield "worker codes", lambda: read_dmfa(build_dmfa([Declaration(2024, 3, SHOP, [
        Worker(ANA, [occ()], worker_code=999), Worker(BEN, [occ()], worker_code=675),
        Worker(inss(date(1991, 1, 1), 63), [occ()], worker_code=50),
        Worker(inss(date(1991, 1, 2), 64), [occ()], worker_code=14),
        Worker(inss(date(1991, 1, 3), 65), [occ()], worker_code=840),
        Worker(inss(date(1991, 1, 4), 66), [occ()], worker_code=676),
        Worker(inss(date(1991, 1, 5), 67), [occ()], worker_code=690),
        Worker(inss(date(1991, 1, 6), 68), [occ()], worker_code=848),
        Worker(inss(date(1991, 1, 7), 69), [occ()], worker_code=35),
        Worker(inss(date(1991, 1, 8), 70), [occ()], worker_code=22),
        Worker(inss(date(1991, 1, 9), 71), [occ()], worker_code=671),
    ])]))
    yield "apprenticeship", lambda: read_dmfa(one([Worker(ANA, [occ(apprenticeship=3)]), Worker(BEN, [occ()])]))
    yield "occupation warnings", lambda: read_dmfa(one([Worker(ANA, [
        Occupation(None, services=[Service(1, 20)]),
        Occupation(date(2024, 1, 1), date(2024, 2, 1), services=[Service(1, 20)]),
        Occupation(date(2024, 7, 1), services=[]),
        Occupation(date(2024, 7, 1), weekly_hours=19, full_time_hours=None, contract_type=1,
                   services=[Service(1, 20, 76)]),
        Occupation(date(2024, 7, 1), date(2024, 7, 10), services=[Service(1, 20)]),
        Occupation(date(2024, 7, 1), weekly_hours=19, services=[Service(1, 20), Service(1, 2), Service(999, 1),
                                                                  Service(15, 1), Service(23, 1),
                                                                  Service(1, 2, None, 600)]),
    ]), Worker(BEN, [occ()])]))
    yield "too many days", lambda: read_dmfa(one([Worker(ANA, [occ(Service(1, 60), Service(2, 40))]),
                                                  Worker(BEN, [occ()])]))
    yield "hours and minutes per day", lambda: read_dmfa(one([
        Worker(ANA, [occ(Service(1, 2, 60), weekly_hours=19)]), Worker(BEN, [occ(Service(1, 1, None, 2000))]),
        Worker(inss(date(1991, 1, 1), 72), [occ()])]))
    upd = lambda action, **kw: build_dmfa_update([UpdateDeclaration(2024, 3, SHOP, [  # noqa: E731
        WorkerUpdate(ANA, [occ(Service(1, 18))], action=action, **kw)], reference="U-1", created=date(2025, 1, 5))])
    for action in (0, 1, 3, 9):
        yield f"update {action}", lambda action=action: read_dmfa_files([ok, upd(action)])
        yield f"update {action} alone", lambda action=action: read_dmfa(upd(action))
    yield "update added and removed", lambda: read_dmfa_files([one([Worker(ANA, [occ(Service(1, 20), Service(2, 3))])]),
                                                               build_dmfa_update([UpdateDeclaration(2024, 3, SHOP, [
        WorkerUpdate(ANA, [occ(Service(1, 20), Service(5, 1))], action=3)], reference="U-2")])])
    yield "update without reference", lambda: read_dmfa(edit(upd(3), ("<ReferenceNbr>U-1</ReferenceNbr>",
                                                                       "<ReferenceNbr></ReferenceNbr>")), name="u.xml")
    yield "update bad action", lambda: read_dmfa(edit(upd(3), ("<UpdateAction>3", "<UpdateAction>5")))
    yield "update no action", lambda: read_dmfa(edit(upd(3), ("<WorkerRecordUpdateAction>", "<X>"),
                                                     ("</WorkerRecordUpdateAction>", "</X>")))
    dim = build_dimona([DimonaIn(ANA, SHOP, date(2024, 7, 1)), DimonaIn(BEN, SHOP, date(2024, 7, 1), date(2024, 6, 1))])
    yield "dimona", lambda: read_dmfa(dim, as_of=date(2024, 12, 31))
    yield "dimona bad", lambda: read_dmfa(edit(build_dimona([DimonaIn(ANA, SHOP, date(2024, 7, 1), date(2024, 7, 9)),
                                                             DimonaIn(BEN, SHOP, date(2024, 7, 1))]),
                                               (f"<INSS>{ANA}", "<INSS>12"), ("<StartingDate>2024-07-01",
                                                                               "<StartingDate>2024-77-01")),
                                          as_of=date(2024, 12, 31))
    yield "dimona years", lambda: read_dmfa(edit(dim, ("<StartingDate>2024-07-01", "<StartingDate>1024-07-01")),
                                            as_of=date(2024, 12, 31))
    yield "dimona no start", lambda: read_dmfa(edit(dim, ("<StartingDate>2024-07-01</StartingDate>", "")),
                                               as_of=date(2024, 12, 31))
    yield "dimona out", lambda: read_dmfa(edit(dim, ("</Form>", "<DimonaOut><DimonaPeriodId>123</DimonaPeriodId>"
                                                                "</DimonaOut></Form>")), as_of=date(2024, 12, 31))
    yield "dimona no form", lambda: read_dmfa(b"<Dimona></Dimona>")
    yield "dimona student", lambda: read_dmfa(build_dimona([DimonaIn(ANA, SHOP, date(2024, 7, 1), date(2024, 7, 31),
                                                                     "STU")]))
    yield "two records", lambda: read_dmfa(one([Worker(ANA, [occ()], more_records=[(495, [occ()])])]))
    from art60kit.imports.career_csv import read_career_csv

    for name, data in (
            ("csv header", b'"kind,start,end\n'),
            ("csv quote", b'kind,start,end\nwork,2024-01-01,"2024-02-01\n'),
            ("csv swallowed", b'kind,start,end\nwork,"2024-01-01,2024-02-01\nwork,2024-01-01,2024-02-01\n"\n'),
            ("csv cells", b"kind,start,end,days,days_per_week\nwork,2024-01-01,2024-02-01,3,5,7\n"),
            ("csv columns", b"kind,kind,end\n"),
            ("csv unknown column", b"kind,start,end,colour\n"),
            ("csv empty", b"\n"),
            ("csv cp1252", "kind,start,end,days,days_per_week,note\nwork,2024-01-01,2024-02-01,3,5,été\n".encode("cp1252")),
            ("csv missing file", "/nonexistent/c.csv"),
            ("csv directory", "/")):
        yield name, lambda data=data: read_career_csv(data, name=None if isinstance(data, str) else "c.csv")


def _keys(m) -> set[str]:
    out = {m.key}
    for _k, v in m.values:
        if isinstance(v, Msg):
            out |= _keys(v)
    return out


@pytest.fixture(scope="module")
def produced():
    """Every problem and change line produced by the inputs above, with the message
    keys they used."""
    problems, changes, refs = [], [], set()
    for name, thunk in _inputs():
        try:
            imp = thunk()
        except InputError as e:
            problems.extend(e.problems)
            continue
        if not hasattr(imp, "warnings"):  # a career CSV: its warnings
            problems.extend(imp.problems)
            continue
        problems.extend(imp.warnings)
        problems.extend(imp.refusal_problems)
        changes.extend(imp.changes)
        refs |= {l["source_ref"] for p in imp.persons for l in p.lines}
    return problems, changes, sorted(refs)


def test_every_kind_of_message_is_produced(produced):
    problems, changes, _refs = produced
    used = set()
    for p in problems:
        assert isinstance(p, ImportProblem), p  # every problem can be written in every language
        used |= _keys(p.msg)
    expected = {k[len("import."):] for k in keys("import.") if k[len("import."):].startswith(PREFIXES)}
    expected = {k for k in expected if not k.startswith("cli.")}  # the command's own: test below
    missing = sorted(expected - used)
    assert not missing, missing
    assert {c.action for c in changes} >= {"corrected", "cancelled", "added", "removed", "stated"}


@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_no_english_left_in_any_line(produced, lang):
    problems, changes, refs = produced
    from art60kit.imports.texts import ref_text

    kinds = {"does not count", "to be decided", "corrected by", "added by", "as stated by", "worker type", "record"}
    assert all(any(k in r for r in refs) for k in kinds), kinds  # every kind of reference is among them
    for r in refs:  # the references of the career lines, as shown in reports
        shown = re.sub(r"\b\w+\.xml\b|<\w+>", "", ref_text(r, lang))
        m = ENGLISH.search(shown)
        assert m is None, (m.group(0), r, shown)
    texts = [p.text(lang) for p in problems] + [c.text(lang) for c in changes]
    # What is checked: the words of each line, not the file name, the zone (the DmfA's
    # XML label, the same in every language) nor a value quoted as typed in the file.
    bodies = [p.where(lang).replace(p.zone, "") + " " + p.body(lang) for p in problems] + [c.text(lang) for c in changes]
    bad = []
    for t in bodies:
        body = re.sub(r"'[^']*'|\b\w+\.xml\b|<\w+>", "", t)
        body = re.sub(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b", "", body)  # zone labels named in a sentence
        if ENGLISH.search(body):
            bad.append((ENGLISH.search(body).group(0), t))
    assert not bad, bad[:10]
    assert any("2024/3" in t for t in texts) and not any(re.search(r"\b2024Q\d\b", t) for t in texts)
    # dates DD/MM/YYYY (a value quoted as typed in the file stays as it was typed)
    assert not any(re.search(r"\b\d{4}-\d{2}-\d{2}\b", re.sub(r"'[^']*'", "", t)) for t in texts)


@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_merge_report_in_the_readers_language(lang):
    dmfa = read_dmfa(one([Worker(ANA, [occ(Service(1, 60))])])).career()
    csv_line = {"kind": "work", "start": date(2024, 7, 1), "end": date(2024, 9, 30), "employer": f"{SHOP:010d}",
                "days": 50, "days_per_week": 5, "source": "mycareer", "source_ref": "MyCareer 3"}
    dimona = read_dmfa(build_dimona([DimonaIn(ANA, SHOP, date(2024, 10, 1), date(2024, 12, 31))])).career()
    other = {"kind": "work", "start": date(2024, 8, 1), "end": date(2024, 8, 31), "employer": "0999999999",
             "hours": 100, "full_time_hours": 38, "source": "dolsis", "source_ref": "Dolsis 1"}
    text = merge(dmfa + [csv_line, other] + dimona).report.to_text(lang)
    assert len(text.splitlines()) > 3
    body = re.sub(r"\b[a-z]+:", "", text)  # source names (dmfa, mycareer, dolsis)
    body = re.sub(r"MyCareer|Dolsis|DmfA|Dimona", "", body)
    m = ENGLISH.search(body)
    assert m is None, (m.group(0), text)
    assert "01/07/2024" in text and "2024-07-01" not in text


@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_command_lines_in_the_readers_language(tmp_path, capsys, lang):
    from art60kit.cli import main

    f = tmp_path / "two.xml"
    f.write_bytes(one([Worker(ANA, [occ()]), Worker(BEN, [occ(Service(1, 366))])]))
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    assert main(["import", str(f), "--lang", lang, "--as-of", "2024-99-01"]) == 2
    assert main(["import", str(f), "--lang", lang, "--out", str(tmp_path / "c.csv")]) == 0  # BEN refused
    g = tmp_path / "both.xml"
    g.write_bytes(one([Worker(ANA, [occ()]), Worker(BEN, [occ()])]))
    assert main(["import", str(g), "--lang", lang]) == 2
    assert main(["import", str(empty), "--lang", lang]) == 2
    h = tmp_path / "no-work.xml"
    h.write_bytes(one([Worker(ANA, [occ()], more_records=[(495, [])])]).replace(b"<Occupation>", b"<X>", 1)
                  .replace(b"</Occupation>", b"</X>", 1))
    assert main(["import", str(h), "--lang", lang]) == 2
    err = capsys.readouterr().err
    from art60kit.i18n import text
    for key, values in (("cli.bad_as_of", {"value": "'2024-99-01'"}), ("cli.choose", {"n": 2}), ("cli.no_line", {}),
                        ("file.empty", {})):
        assert text(f"import.{key}", lang, **values) in err, (key, err)
    lines = [l.split(": ", 1)[1] for l in err.splitlines() if ": " in l]
    for l in lines:
        m = ENGLISH.search(re.sub(r"--inss|\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b", "", l))
        assert m is None, (m.group(0), l)
