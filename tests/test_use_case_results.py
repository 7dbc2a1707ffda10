"""Adapters receive plain data: no use case they call hands them a database row object.

A public function of the core whose return annotation names a class it
imported from ``store.models`` serves other use cases only (``authenticate``
gives ``portal_login`` and ``sts_login`` their ``User``). The SOAP layer, the
portal and the command line call use cases that return frozen data classes
or plain values, so no adapter can load or change a row behind the core's
back.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.source_tree import module_name, parse, used_names, write_tree

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = ("bipro/soap", "portal", "bipro/commands", "bipro/intake_api.py")


def row_returning_functions(root: Path) -> dict[str, str]:
    """``module.function``: ``path:line`` of each public core function that returns a store model."""
    found = {}
    for path in sorted((root / "bipro" / "core").rglob("*.py")):
        tree = parse(path)
        models = {alias.asname or alias.name
                  for node in tree.body
                  if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("store.models")
                  for alias in node.names}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and node.returns is not None:
                if _named(node.returns) & models:
                    found[f"{module_name(root, path)}.{node.name}"] = f"{path.relative_to(root)}:{node.lineno}"
    return found


def _named(annotation: ast.expr) -> set[str]:
    """The names in an annotation, quoted ones included."""
    names = set()
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names |= _named(ast.parse(node.value, mode="eval").body)
    return names


def adapters_taking_rows(root: Path) -> list[str]:
    """``adapter uses function (defined at)`` for each adapter that calls a row-returning use case."""
    functions = row_returning_functions(root)
    paths = [path for adapter in ADAPTERS
             for path in ([root / adapter] if adapter.endswith(".py") else sorted((root / adapter).rglob("*.py")))
             if path.exists()]
    found = []
    for path in paths:
        for used in sorted(used_names(root, path)):
            for function, where in functions.items():
                module, _, name = function.rpartition(".")
                # Reached where it is defined, or re-exported by a package above it.
                owner, _, used_name = used.rpartition(".")
                if used_name == name and (module == owner or module.startswith(owner + ".")):
                    found.append(f"{path.relative_to(root)} uses {used} ({where})")
    return found


def test_no_adapter_calls_a_use_case_that_returns_a_row():
    assert adapters_taking_rows(ROOT) == []


def test_the_check_finds_a_row_handed_to_an_adapter(tmp_path):
    root = write_tree(tmp_path, {
        "bipro/core/identity/auth.py": '''
            from store.models import User
            from store.models import Broker as B
            def authenticate(session, login) -> User: ...
            def broker(session) -> "B | None": ...
            def _private(session) -> User: ...
            def plain(session) -> int: ...
        ''',
        "bipro/core/identity/__init__.py": "from bipro.core.identity.auth import authenticate\n",
        "bipro/soap/sts.py": "from bipro.core.identity import auth\nauth.authenticate(None, 'x')\n",
        "portal/auth.py": "from bipro.core.identity import authenticate, plain\n",
        "bipro/commands/users.py": "from bipro.core.identity.auth import broker as b\n",
        "bipro/intake_api.py": "from bipro.core.identity.auth import plain\n",
    })
    assert row_returning_functions(root) == {
        "bipro.core.identity.auth.authenticate": "bipro/core/identity/auth.py:4",
        "bipro.core.identity.auth.broker": "bipro/core/identity/auth.py:5",
    }
    assert adapters_taking_rows(root) == [
        "bipro/soap/sts.py uses bipro.core.identity.auth.authenticate (bipro/core/identity/auth.py:4)",
        "portal/auth.py uses bipro.core.identity.authenticate (bipro/core/identity/auth.py:4)",
        "bipro/commands/users.py uses bipro.core.identity.auth.broker (bipro/core/identity/auth.py:5)",
    ]
