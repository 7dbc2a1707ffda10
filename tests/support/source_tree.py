"""Reading the project's own source as trees: module names, imports, the names a module uses."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _from_base(root: Path, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module of ``from ... import``, relative imports resolved."""
    base = node.module or ""
    if not node.level:
        return base
    package = module_name(root, path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    anchor = package.split(".")
    anchor = anchor[:len(anchor) - (node.level - 1)]
    return ".".join([*anchor, base] if base else anchor)


def imported_modules(root: Path, path: Path) -> Iterator[tuple[str, int]]:
    """Every module ``path`` imports, absolute, with its line (``from a import b`` gives a and a.b)."""
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(root, path, node)
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def used_names(root: Path, path: Path) -> set[str]:
    """The absolute names a module takes from its imports.

    ``from a import b`` gives ``a.b``; ``b.c`` in the code then also gives
    ``a.b.c``, so a function reached through its module counts as well.
    """
    tree = parse(path)
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                # "import a.b" binds a; "import a.b as c" binds c to a.b.
                top = alias.name.split(".")[0]
                bound[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(root, path, node)
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    used = set(bound.values())
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
            used.add(f"{bound[node.value.id]}.{node.attr}")
    return used


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write *files* (path: source) below *root*, for checks that must be seen failing."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root
