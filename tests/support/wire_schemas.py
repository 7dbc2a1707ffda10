"""Every XSD a served gateway publishes, loaded together as broker programs load them.

Java's and .NET's loaders build one type set for all services of an insurer;
``served_schemas`` collects what the WSDLs import (and those XSDs import in
turn) over HTTP, ``combined_schema`` loads all of it into one lxml schema and
``java_check`` into one schema of the JDK's own ``SchemaFactory``.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from lxml import etree

from bipro.soap.namespaces import NAC, SOAPENV, q

XSD = "http://www.w3.org/2001/XMLSchema"
JAVA_SOURCE = Path(__file__).resolve().parent / "java" / "SchemaCheck.java"


@dataclass(frozen=True)
class ServedSchema:
    url: str
    namespace: str
    content: bytes

    @property
    def name(self) -> str:
        return urlsplit(self.url).path.rsplit("/", 1)[-1]


def _imports(tree, base_url: str) -> list[str]:
    return [urljoin(base_url, node.get("schemaLocation"))
            for node in tree.iter(q(XSD, "import"), q(XSD, "include")) if node.get("schemaLocation")]


def served_schemas(base_url: str, service_paths) -> dict[str, ServedSchema]:
    """URL -> schema of every XSD the services' WSDLs reach, directly or through other XSDs."""
    pending = []
    for path in service_paths:
        wsdl_url = f"{base_url}{path}?wsdl"
        answer = requests.get(wsdl_url, timeout=30)
        assert answer.status_code == 200, wsdl_url
        pending += _imports(etree.fromstring(answer.content), wsdl_url)
    found: dict[str, ServedSchema] = {}
    while pending:
        url = pending.pop()
        if url in found:
            continue
        answer = requests.get(url, timeout=30)
        assert answer.status_code == 200, f"{url}: {answer.status_code}"
        tree = etree.fromstring(answer.content)
        found[url] = ServedSchema(url, tree.get("targetNamespace"), answer.content)
        pending += _imports(tree, url)
    return found


def combined_schema(schemas: dict[str, ServedSchema], folder: Path) -> etree.XMLSchema:
    """One lxml schema importing every served document (saved under its own name in *folder*)."""
    for schema in schemas.values():
        (folder / schema.name).write_bytes(schema.content)
    imports = "".join(f'<xsd:import namespace="{s.namespace}" schemaLocation="{s.name}"/>'
                      for s in sorted(schemas.values(), key=lambda s: s.name))
    (folder / "_all.xsd").write_text(f'<xsd:schema xmlns:xsd="{XSD}">{imports}</xsd:schema>', encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(folder / "_all.xsd")))


def compile_java(folder: Path) -> Path:
    """Compile the schema checker with the JDK's javac into *folder*."""
    subprocess.run(["javac", "-d", str(folder), str(JAVA_SOURCE)], check=True, capture_output=True,
                   timeout=120)
    return folder


def java_check(classes: Path, schema_urls, documents=()) -> str:
    """Load *schema_urls* into one Java schema and validate *documents*; the checker's verdict."""
    command = ["java", "-cp", str(classes), "SchemaCheck", *schema_urls]
    if documents:
        command += ["--", *map(str, documents)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return (done.stdout + done.stderr).strip()


def answer_element(xml: bytes | etree._Element):
    """The body element of an answer, or the BiproException of a fault."""
    root = etree.fromstring(xml) if isinstance(xml, bytes) else xml
    element = next(c for c in root.find(q(SOAPENV, "Body")) if isinstance(c.tag, str))
    if element.tag == q(SOAPENV, "Fault"):
        element = element.find(f"detail/{q(NAC, 'BiproException')}")
    return element


def validate(schema: etree.XMLSchema, element) -> None:
    """Raise with the schema's errors unless *element* (standing alone) validates."""
    document = etree.ElementTree(etree.fromstring(etree.tostring(element)))
    if not schema.validate(document):
        raise AssertionError(f"{etree.QName(element).localname}: {schema.error_log}")


def is_valid(schema: etree.XMLSchema, element) -> bool:
    return schema.validate(etree.ElementTree(etree.fromstring(etree.tostring(element))))
