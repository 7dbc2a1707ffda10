"""The layers import one way down: store <- bipro/core <- adapters; nothing imports tests."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RULES = [
    ("store", {"bipro", "portal", "spyne", "flask", "werkzeug", "prometheus_client", "tests"}),
    # The core announces events (bipro.core.events); counting them is the adapters' business.
    ("bipro/core", {"spyne", "flask", "werkzeug", "portal", "prometheus_client", "tests"}),
    ("bipro/soap", {"flask", "portal", "tests"}),
    ("portal", {"spyne", "tests"}),
]


def imported_roots(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


@pytest.mark.parametrize("folder, forbidden", RULES)
def test_layer_does_not_import_upwards(folder, forbidden):
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in (ROOT / folder).rglob("*.py")
        for name, line in imported_roots(path)
        if name in forbidden
    ]
    assert offenders == []
