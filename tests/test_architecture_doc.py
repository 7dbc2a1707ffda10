"""docs/architecture.md and the README's layout describe the code as it is.

The tables of the core's packages and shared modules must name exactly what
is on disk, with the dependencies ``tests/test_layers.py`` enforces; every
project path the page names must exist.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_layers import CORE_PACKAGES

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
CORE = ROOT / "bipro" / "core"
TOP_FOLDERS = ("bipro", "portal", "store", "tests", "bench", "docs", "scripts", "schemas", "wsdl")


def section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    end = text.find(f"\n{level} ", start + len(heading))
    return text[start:end if end != -1 else len(text)]


def table_rows(text: str) -> list[list[str]]:
    """The cells of a Markdown table's body rows."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|")]
    return rows[2:]


def test_the_package_table_is_the_core_and_its_allowed_dependencies():
    rows = table_rows(section(DOC.read_text(encoding="utf-8"), "## The core's packages"))
    documented = {row[0].strip("`/"): () if row[2] == "nothing" else tuple(row[2].split(", ")) for row in rows}
    on_disk = {path.parent.name for path in CORE.glob("*/__init__.py")}
    assert set(documented) == on_disk
    assert documented == CORE_PACKAGES


def test_the_shared_module_table_is_the_modules_directly_in_the_core():
    rows = table_rows(section(DOC.read_text(encoding="utf-8"), "## Shared modules of the core"))
    documented = {row[0].strip("`") for row in rows}
    assert documented == {path.name for path in CORE.glob("*.py")} - {"__init__.py"}


def test_every_project_path_the_page_names_exists():
    named = re.findall(rf"`((?:{'|'.join(TOP_FOLDERS)})/[^`\s]*)`", DOC.read_text(encoding="utf-8"))
    assert named
    # A pattern such as tests/test_<area>.py names no file.
    assert [path for path in named if "<" not in path and not (ROOT / path.rstrip("/")).exists()] == []


def test_the_readme_layout_shows_every_package_and_shared_module_of_the_core():
    layout = section((ROOT / "README.md").read_text(encoding="utf-8"), "## Layout")
    assert [name for name in CORE_PACKAGES if f"\n      {name}/" not in layout] == []
    modules = {path.name for path in CORE.glob("*.py")} - {"__init__.py"}
    assert [name for name in sorted(modules) if not re.search(rf"\b{re.escape(name)}\b", layout)] == []
    assert "docs/architecture.md" in layout
