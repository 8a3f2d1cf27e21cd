"""Shared fixtures for the import tests: the official DmfA reference files."""
from __future__ import annotations

from pathlib import Path

import pytest

#: The official DmfA reference files (ONSS schemas, annex 8) next to the repository, where
#: CI provides them, or next to one of its parent directories (a checkout kept one level
#: deeper).
SHARED = next((p / "shared" for p in Path(__file__).resolve().parents[2].parents
               if (p / "shared" / "domain" / "dmfa").is_dir()),
              Path(__file__).resolve().parents[2].parent / "shared")
DMFA_DIR = SHARED / "domain" / "dmfa"
XSD = DMFA_DIR / "DmfAOriginal_20223.xsd"
XSD_UPDATE = DMFA_DIR / "DmfAUpdate_20223.xsd"
XSD_PID = DMFA_DIR / "DmfAPID_20224.xsd"
XSD_DIMONA = DMFA_DIR / "Dimona_20231.xsd"
ANNEX8 = DMFA_DIR / "AN2022-2-FR8.xml"


@pytest.fixture(scope="session")
def dmfa_schema():
    """The official schema, compiled once (lxml; the xmlschema package gives the same
    verdicts but is ten times slower on this 100 kB schema)."""
    from lxml import etree

    assert XSD.exists(), f"official DmfA schema not found at {XSD}"
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture(scope="session")
def assert_valid(dmfa_schema):
    """Assert that generated XML bytes validate against the official schema (after
    removing a namespace: the official schema has no target namespace)."""
    from lxml import etree

    from art60kit.imports.synthetic import strip_namespace

    def check(xml: bytes) -> None:
        doc = etree.fromstring(strip_namespace(xml))
        if not dmfa_schema.validate(doc):
            raise AssertionError("generated DmfA does not validate:\n" + "\n".join(
                f"line {e.line}: {e.message}" for e in dmfa_schema.error_log))

    return check


@pytest.fixture(scope="session")
def official_schemas():
    """The four official schemas as :mod:`xmlschema` objects (the reference validator,
    independent of libxml2), keyed ``original``, ``modification``, ``pid``, ``dimona``."""
    import xmlschema

    return {k: xmlschema.XMLSchema(str(p)) for k, p in
            (("original", XSD), ("modification", XSD_UPDATE), ("pid", XSD_PID), ("dimona", XSD_DIMONA))}


@pytest.fixture(scope="session")
def assert_schema_valid(official_schemas):
    """``check(kind, xml_bytes)``: the document validates against the official schema
    of its message type (xmlschema)."""
    from art60kit.imports.synthetic import strip_namespace

    def check(kind: str, xml: bytes) -> None:
        errors = list(official_schemas[kind].iter_errors(strip_namespace(xml)))
        if errors:
            raise AssertionError(f"not valid against the official {kind} schema:\n"
                                 + "\n".join(str(e.reason) for e in errors[:5]))

    return check
