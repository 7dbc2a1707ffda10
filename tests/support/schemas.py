"""Validate our responses against our own XSDs."""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from bipro.soap.service import SCHEMA_DIR


@lru_cache(maxsize=None)
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def assert_valid(element, schema_name: str) -> None:
    xsd = schema(schema_name)
    document = etree.ElementTree(etree.fromstring(etree.tostring(element)))
    if not xsd.validate(document):
        raise AssertionError(f"{schema_name}: {xsd.error_log}")
