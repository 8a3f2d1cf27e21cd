"""The generator of synthetic DmfA files: valid identifiers, schema-valid output."""
from __future__ import annotations

from datetime import date

from hypothesis import given, strategies as st

from art60kit.imports.synthetic import (Declaration, Occupation, Service, Worker, build_dmfa,
                                        company_id, inss, random_declarations)


@given(st.dates(date(1930, 1, 1), date(2010, 12, 31)), st.integers(1, 998))
def test_inss_checksum(birth, serial):
    n = inss(birth, serial)
    assert len(n) == 11 and n.isdigit()
    base = int(("2" if birth.year >= 2000 else "") + n[:9])
    assert int(n[9:]) == 97 - base % 97
    assert n[:6] == birth.strftime("%y%m%d")


@given(st.integers(1, 90_000))
def test_company_number_checksum(n):
    c = f"{company_id(n):010d}"
    assert c[0] == "0" and int(c[8:]) == 97 - int(c[:8]) % 97


def test_random_population_validates(assert_valid):
    decls = random_declarations(12, [(2023, 4), (2024, 1)], n_employers=3, seed=7)
    assert_valid(build_dmfa(decls))
    assert_valid(build_dmfa(decls, namespace="urn:art60kit:test:dmfa"))


def test_every_annex8_code_can_be_declared(assert_valid):
    from art60kit.imports.servicecodes import SERVICE_CODES

    services = [Service(c, 1) for c in sorted(SERVICE_CODES)][:99]
    d = Declaration(2022, 3, company_id(3), [Worker(inss(date(1980, 1, 2), 5),
                                                    [Occupation(date(2020, 1, 1), services=services)])])
    assert_valid(build_dmfa([d]))
