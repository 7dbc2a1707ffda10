"""Request fields of a service, read from its WSDL and our XSDs, to put hostile values in.

A small reader of the schema subset our XSDs use (global and local elements,
``ref``, named and anonymous complex types with sequence/choice/all,
complexContent extension, simple types by restriction). It lists every leaf
of each operation's input element and builds a request that holds the
required leaves with harmless values plus one chosen leaf with a hostile one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
MAX_NESTING = 12  # recursion guard for self-referencing types


def _x(local: str) -> str:
    return f"{{{XSD}}}{local}"


@dataclass(frozen=True)
class Leaf:
    """A simple-typed element, by its path of qualified names below the operation element."""

    path: tuple[str, ...]
    builtin: str  # the XSD built-in type it derives from, e.g. "date"
    enumeration: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    element: str  # Clark name of the input element, e.g. {ns}getQuote
    leaves: tuple[Leaf, ...]


class SchemaSet:
    """Global declarations of every XSD reachable from a WSDL."""

    def __init__(self, wsdl_path: Path) -> None:
        self.elements: dict[str, etree._Element] = {}
        self.types: dict[str, etree._Element] = {}
        self._seen: set[Path] = set()
        self.wsdl = etree.parse(str(wsdl_path))
        for schema in self.wsdl.iter(_x("schema")):
            self._load_schema(schema, wsdl_path.parent)

    def _load_schema(self, schema, folder: Path) -> None:
        target = schema.get("targetNamespace", "")
        for node in schema:
            if node.tag in (_x("import"), _x("include")) and node.get("schemaLocation"):
                path = (folder / node.get("schemaLocation")).resolve()
                if path not in self._seen and path.is_file():
                    self._seen.add(path)
                    self._load_schema(etree.parse(str(path)).getroot(), path.parent)
            elif node.tag == _x("element"):
                self.elements[f"{{{target}}}{node.get('name')}"] = node
            elif node.tag in (_x("complexType"), _x("simpleType")):
                self.types[f"{{{target}}}{node.get('name')}"] = node

    def operations(self) -> list[Operation]:
        messages = {m.get("name"): m for m in self.wsdl.iter(f"{{{WSDL}}}message")}
        found = []
        for port_type in self.wsdl.iter(f"{{{WSDL}}}portType"):
            for op in port_type.iter(f"{{{WSDL}}}operation"):
                message = messages[_local(op.find(f"{{{WSDL}}}input").get("message"))]
                part = message.find(f"{{{WSDL}}}part")
                element = resolve_qname(part, part.get("element"))
                found.append(Operation(element, tuple(self._leaves(self.elements[element], (element,), 0))))
        return found

    # -- walking declarations -------------------------------------------------

    def _leaves(self, decl, path, depth):
        if depth > MAX_NESTING:
            return
        kind, node = self._content(decl)
        if kind == "simple":
            builtin, enum = self._simple(node)
            yield Leaf(path[1:], builtin, enum)
            return
        for child_decl, name, _required in self._children(node):
            yield from self._leaves(child_decl, path + (name,), depth + 1)

    def _content(self, decl):
        """('simple', type-or-name) or ('complex', complexType) of an element declaration."""
        if decl.get("ref"):
            decl = self.elements[resolve_qname(decl, decl.get("ref"))]
        type_name = decl.get("type")
        if type_name:
            qname = resolve_qname(decl, type_name)
            if qname.startswith(f"{{{XSD}}}"):
                return "simple", qname
            node = self.types[qname]
            return ("simple", node) if node.tag == _x("simpleType") else ("complex", node)
        for kind in ("complexType", "simpleType"):
            node = decl.find(_x(kind))
            if node is not None:
                return ("complex" if kind == "complexType" else "simple"), node
        return "simple", f"{{{XSD}}}string"

    def _simple(self, node) -> tuple[str, tuple[str, ...]]:
        if isinstance(node, str):
            return _local(node), ()
        restriction = node.find(_x("restriction"))
        if restriction is None:
            return "string", ()
        enum = tuple(e.get("value") for e in restriction.findall(_x("enumeration")))
        base = resolve_qname(restriction, restriction.get("base"))
        if base.startswith(f"{{{XSD}}}"):
            return _local(base), enum
        builtin, inherited = self._simple(self.types[base])
        return builtin, enum or inherited

    def _children(self, complex_type):
        """(declaration, qualified name, required) of each child element, depth-first."""
        content = complex_type.find(_x("complexContent"))
        if content is not None:
            derivation = content[0]
            base = resolve_qname(derivation, derivation.get("base"))
            if base in self.types:
                yield from self._children(self.types[base])
            complex_type = derivation
        if complex_type.find(_x("simpleContent")) is not None:
            return
        for group in complex_type:
            if group.tag in (_x("sequence"), _x("choice"), _x("all")):
                yield from self._particles(group, group.tag == _x("choice"))

    def _particles(self, group, in_choice):
        first_branch = True
        for node in group:
            required = node.get("minOccurs", "1") != "0" and (not in_choice or first_branch)
            if node.tag == _x("element"):
                yield node, self._element_name(node), required
            elif node.tag in (_x("sequence"), _x("choice")):
                for decl, name, req in self._particles(node, node.tag == _x("choice")):
                    yield decl, name, req and required
            first_branch = False

    def _element_name(self, decl) -> str:
        if decl.get("ref"):
            return resolve_qname(decl, decl.get("ref"))
        schema = next(a for a in decl.iterancestors(_x("schema")))
        qualified = decl.get("form", schema.get("elementFormDefault", "unqualified"))
        target = schema.get("targetNamespace", "")
        return f"{{{target}}}{decl.get('name')}" if qualified == "qualified" else decl.get("name")

    # -- building requests --------------------------------------------------------

    def request(self, operation: Operation, target: Leaf, value: str) -> etree._Element:
        """The input element with required leaves filled harmlessly and *target* set to *value*."""
        root = etree.Element(operation.element)
        self._fill(self.elements[operation.element], root, (), target, value, 0)
        return root

    def _fill(self, decl, node, path, target, value, depth):
        kind, content = self._content(decl)
        if kind == "simple":
            builtin, enum = self._simple(content)
            node.text = value if path == target.path else harmless(builtin, enum)
            return
        if depth > MAX_NESTING:
            return
        for child_decl, name, required in self._children(content):
            child_path = path + (name,)
            on_target = target.path[:len(child_path)] == child_path
            if required or on_target:
                self._fill(child_decl, etree.SubElement(node, name), child_path, target, value, depth + 1)


def harmless(builtin: str, enumeration: tuple[str, ...]) -> str:
    """A value of the type that names nothing real (ids like this exist for nobody)."""
    if enumeration:
        return enumeration[0]
    return {
        "date": "2024-01-15", "dateTime": "2024-01-15T10:00:00", "time": "10:00:00",
        "boolean": "false", "decimal": "1.00", "int": "1", "integer": "1", "long": "1",
        "short": "1", "byte": "1", "nonNegativeInteger": "1", "positiveInteger": "1",
        "unsignedInt": "1", "double": "1", "float": "1", "base64Binary": "AA==",
        "anyURI": "urn:x", "gYear": "2024",
    }.get(builtin, "HOSTILE-TEST-UNKNOWN")


def resolve_qname(node, prefixed: str) -> str:
    prefix, _, local = prefixed.rpartition(":")
    return f"{{{node.nsmap.get(prefix or None, '')}}}{local}"


def _local(qname: str) -> str:
    return qname.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
