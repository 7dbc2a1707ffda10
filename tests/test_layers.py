"""The layers import one way down: store <- bipro/core <- adapters (bipro/soap, portal, CLI).

Each rule names a folder and the modules no file below it may import; a rule
on ``bipro.soap`` also forbids ``bipro.soap.faults`` and ``from bipro import
soap``. Relative imports are resolved first, so ``from ..soap import x`` in
the core is caught as well.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.source_tree import imported_modules, write_tree

ROOT = Path(__file__).resolve().parents[1]

WEB = ("flask", "werkzeug", "flask_wtf", "jinja2")
WIRING = ("bipro.cli", "bipro.commands", "bipro.wsgi", "bipro.serving", "bipro.embedded_server", "bipro.health",
          "bipro.compat", "bipro.observability", "prometheus_client", "waitress", "gunicorn")

RULES: list[tuple[str, tuple[str, ...]]] = [
    # The store is the bottom: no gateway, portal or web code above it.
    ("store", ("bipro", "portal", "spyne", *WEB, "prometheus_client", "tests")),
    # Use cases are plain Python: no SOAP, no web framework, no adapter, no wiring.
    # The core announces events (bipro.core.events); counting them is the adapters' business.
    ("bipro/core", ("spyne", "lxml", *WEB, "bipro.soap", "portal", *WIRING, "tests")),
    # The SOAP adapter and the portal do not know each other.
    ("bipro/soap", (*WEB, "portal", "bipro.commands", "bipro.cli", "tests")),
    ("portal", ("spyne", "bipro.soap", "bipro.commands", "bipro.cli", "tests")),
    # Command-line use cases go through the core, never through an adapter.
    ("bipro/commands", ("spyne", *WEB, "bipro.soap", "portal", "tests")),
]

# Inside the core: each subpackage names the subpackages it builds on; the
# shared modules directly in bipro/core (caller, errors, clock, ...) build on
# none. Anything not named is forbidden, so a new dependency is a decision.
# Use cases receive what they need of the settings as values or small
# policies (Settings.identity_policy, Settings.mail); only the operations
# checks, whose subject is the configuration, read the whole Settings.
CORE_PACKAGES: dict[str, tuple[str, ...]] = {
    "gdv": (),
    "exports": (),
    "identity": (),
    "shipments": ("identity", "gdv"),
    "intake": ("identity", "shipments"),
    "portfolio": ("identity", "gdv"),
    "search": ("identity", "portfolio"),
    "tariff": ("identity", "portfolio", "exports"),
    "operations": ("identity",),
}
SHARED_CORE_MODULES = "bipro/core/*.py"
READS_SETTINGS = ("operations",)


def core_rules() -> list[tuple[str, tuple[str, ...]]]:
    every = [f"bipro.core.{name}" for name in CORE_PACKAGES]
    rules = [(SHARED_CORE_MODULES, (*every, "bipro.config"))]
    for name, allowed in CORE_PACKAGES.items():
        settings = () if name in READS_SETTINGS else ("bipro.config",)
        rules.append((f"bipro/core/{name}", (*settings, *(
            module for module in every
            if module != f"bipro.core.{name}" and module.rpartition(".")[2] not in allowed))))
    return rules


RULES += core_rules()

# German formatting and the code lists are shared by every layer, the tariff
# engine and the SOAP layer included, so they may use the standard library only.
STANDARD_LIBRARY_ONLY = ["store/german.py", "store/code_lists.py"]


def matches(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_violations(root: Path, rules=RULES) -> list[str]:
    """``path:line imports module`` for every import that crosses a forbidden line."""
    found = []
    for folder, forbidden in rules:
        # "a/*.py" is the files directly in a; a folder alone is everything below it.
        paths = (root / folder).parent.glob("*.py") if folder.endswith("*.py") else (root / folder).rglob("*.py")
        for path in sorted(paths):
            for module, line in imported_modules(root, path):
                if any(matches(module, prefix) for prefix in forbidden):
                    found.append(f"{path.relative_to(root)}:{line} imports {module}")
    return sorted(set(found))


def non_standard_imports(root: Path, files=STANDARD_LIBRARY_ONLY) -> list[str]:
    return [f"{name}:{line} imports {module}"
            for name in files
            for module, line in imported_modules(root, root / name)
            if module.split(".")[0] not in sys.stdlib_module_names | {"__future__"}
            # "from decimal import Decimal" also yields "decimal.Decimal": judged by its root.
            ]


@pytest.mark.parametrize("folder", [folder for folder, _ in RULES])
def test_layer_does_not_import_across_its_lines(folder):
    rules = [rule for rule in RULES if rule[0] == folder]
    assert layer_violations(ROOT, rules) == []


def test_shared_formatting_needs_only_the_standard_library():
    assert non_standard_imports(ROOT) == []


def test_the_core_speaks_its_own_terms_not_bipro_wire_vocabulary():
    """BiPRO namespaces and dialect URIs are the SOAP layer's; the core names lists and filters."""
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in sorted((ROOT / "bipro" / "core").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if "bipro.net/namespace" in line]
    assert found == []


def test_the_checker_finds_imports_across_forbidden_lines(tmp_path):
    """A tree with one forbidden import per kind: each is reported, the allowed ones are not."""
    root = write_tree(tmp_path, {
        "store/__init__.py": "",
        "store/models.py": "from bipro.core.caller import Caller\n",
        "store/german.py": "import decimal\nimport sqlalchemy\n",
        "bipro/__init__.py": "",
        "bipro/core/__init__.py": "",
        "bipro/core/ok.py": "from store.models import Customer\n",
        "bipro/core/operations/__init__.py": "",
        "bipro/core/operations/checks.py": "from bipro.config import Settings\n",
        "bipro/core/mail.py": "from bipro.config import Settings\n",
        "bipro/core/tariff/__init__.py": "",
        "bipro/core/tariff/quote.py": "from ...soap import faults\n",
        "bipro/core/wiring.py": "from bipro import commands\n",
        "bipro/core/later.py": "def f():\n    import flask\n",
        "bipro/core/caller.py": "from bipro.core.identity import auth\n",
        "bipro/core/identity/__init__.py": "",
        "bipro/core/identity/auth.py": ("from ..portfolio import records\nfrom bipro.core import errors\n"
                                        "from bipro.config import Settings\n"),
        "bipro/core/search/__init__.py": "from bipro.core.portfolio import records\n",
        "bipro/soap/__init__.py": "",
        "bipro/soap/views.py": "import portal.guard\nfrom bipro.core import ok\n",
        "portal/__init__.py": "",
        "portal/views.py": "from bipro.soap.faults import BiproFault\n",
        "bipro/commands/__init__.py": "",
        "bipro/commands/run.py": "from bipro.core.ok import x\n",
    })
    assert layer_violations(root) == [
        "bipro/core/caller.py:1 imports bipro.core.identity",
        "bipro/core/caller.py:1 imports bipro.core.identity.auth",
        "bipro/core/identity/auth.py:1 imports bipro.core.portfolio",
        "bipro/core/identity/auth.py:1 imports bipro.core.portfolio.records",
        "bipro/core/identity/auth.py:3 imports bipro.config",
        "bipro/core/identity/auth.py:3 imports bipro.config.Settings",
        "bipro/core/later.py:2 imports flask",
        "bipro/core/mail.py:1 imports bipro.config",
        "bipro/core/mail.py:1 imports bipro.config.Settings",
        "bipro/core/tariff/quote.py:1 imports bipro.soap",
        "bipro/core/tariff/quote.py:1 imports bipro.soap.faults",
        "bipro/core/wiring.py:1 imports bipro.commands",
        "bipro/soap/views.py:1 imports portal.guard",
        "portal/views.py:1 imports bipro.soap.faults",
        "portal/views.py:1 imports bipro.soap.faults.BiproFault",
        "store/models.py:1 imports bipro.core.caller",
        "store/models.py:1 imports bipro.core.caller.Caller",
    ]
    assert non_standard_imports(root, ["store/german.py"]) == ["store/german.py:2 imports sqlalchemy"]
