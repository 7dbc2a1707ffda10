"""Hardened XML parsing and namespace-aware lookups for incoming requests."""

from __future__ import annotations

from lxml import etree

# No DTDs, no entity expansion, no network, libxml2's default size limits.
# A DOCTYPE is refused outright after parsing (see guard.py).
_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
    huge_tree=False, remove_comments=True, remove_pis=True,
)


def make_parser() -> etree.XMLParser:
    # A parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(**_PARSER_OPTIONS)


def make_pull_parser(events: tuple[str, ...]) -> etree.XMLPullParser:
    """The same hardened parser, fed piece by piece and reporting *events* as it goes."""
    return etree.XMLPullParser(events=events, **_PARSER_OPTIONS)


def parse_document(data: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(data, make_parser()))


def local(element) -> str:
    return etree.QName(element).localname


def namespace(element) -> str | None:
    return etree.QName(element).namespace


def children(element, name: str, namespaces: tuple[str | None, ...] | None = None) -> list:
    """Child elements by local name, in any of *namespaces* (any namespace when None)."""
    if element is None:
        return []
    return [c for c in element if isinstance(c.tag, str) and local(c) == name
            and (namespaces is None or namespace(c) in namespaces)]


def child(element, name: str, namespaces: tuple[str | None, ...] | None = None):
    found = children(element, name, namespaces)
    return found[0] if found else None


def descendant(element, name: str, namespaces: tuple[str | None, ...] | None = None):
    """The first element below *element* with this local name (document order)."""
    if element is None:
        return None
    for node in element.iter():
        if isinstance(node.tag, str) and node is not element and local(node) == name \
                and (namespaces is None or namespace(node) in namespaces):
            return node
    return None


def text(element, name: str | None = None, namespaces=None) -> str | None:
    """Stripped text of *element* (or of its child *name*); None when absent."""
    node = element if name is None else child(element, name, namespaces)
    if node is None:
        return None
    return (node.text or "").strip()
