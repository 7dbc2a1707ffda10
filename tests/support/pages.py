"""Reading portal pages in tests: definition lists, table rows, links, field errors."""

from __future__ import annotations

import lxml.html


def parse(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.get_data(as_text=True))


def clean(text: str) -> str:
    return " ".join(text.split())


def facts(doc, dl_id: str) -> dict[str, str]:
    """``<dl id=...>`` as {dt text: dd text}."""
    dl = doc.get_element_by_id(dl_id)
    terms = [clean(e.text_content()) for e in dl.findall("dt")]
    values = [clean(e.text_content()) for e in dl.findall("dd")]
    return dict(zip(terms, values))


def table_rows(doc, xpath: str) -> list[list[str]]:
    """The body rows of the table found by *xpath*, cell texts cleaned."""
    tables = doc.xpath(xpath)
    if not tables:
        return []
    return [[clean(td.text_content()) for td in tr.findall("td")]
            for tr in tables[0].xpath(".//tbody/tr")]


def section(doc, heading_id: str):
    """The <section> labelled by the heading with this id."""
    return doc.xpath(f'//section[@aria-labelledby="{heading_id}"]')[0]


def links(element) -> list[str]:
    return [a.get("href") for a in element.xpath(".//a")]


def field_errors(doc, field: str) -> list[str]:
    found = doc.xpath(f'//ul[@id="{field}-fehler"]/li')
    return [clean(li.text_content()) for li in found]


def input_value(doc, name: str) -> str:
    return doc.xpath(f'//input[@name="{name}"]')[0].get("value") or ""
