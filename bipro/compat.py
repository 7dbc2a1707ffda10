"""Compatibility layer that lets Spyne 2.14 run on Python 3.11 to 3.13.

Spyne 2.14.0 is the last release and ships a vendored copy of six 1.14
(``spyne.util.six``).  That copy registers an import hook that only has the
legacy ``find_module``/``load_module`` API:

* on 3.12+ the import system no longer falls back to that API, so
  ``spyne.util.six.moves`` cannot be imported and ``import spyne`` fails;
* on 3.10/3.11 the fallback still works but emits an ``ImportWarning``
  each time the hook is consulted: for Spyne's ``six.moves`` imports and,
  once Spyne is loaded, for every failed import anywhere in the process
  (an error under ``-W error``).

:func:`install` puts a finder in front of ``sys.meta_path`` that serves
``spyne.util.six`` and ``spyne.util.six.<sub>`` from the maintained ``six``
package (``six`` and ``six.moves.<sub>``, which in turn resolve to the
standard library).  The vendored copy adds one function of its own,
``get_function_name``, which Spyne calls; it is provided here as well (no
other addition of that copy is used by Spyne).  The vendored file is never
executed, so its legacy hook is never registered.  The mapping is applied
on every supported interpreter, 3.11 included: one code path everywhere,
and no ``ImportWarning`` there.

Spyne also does ``import cgi``, a module removed in 3.13; the
``legacy-cgi`` distribution (a declared dependency on 3.13+) provides it, so
no shim is needed here for that.

Call :func:`install` before the first Spyne import (a vendored six that
is already loaded stays in place); ``bipro/__init__.py`` does.  Remove
this module once a Spyne release imports cleanly on 3.12+
(``tests/test_compat.py`` reports when that is the case).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import operator
import sys
import types
import warnings

VENDORED = "spyne.util.six"
TARGET = "six"

# Names Spyne's vendored six defines on top of upstream six.
EXTRAS = {
    VENDORED: {"get_function_name": operator.attrgetter("__name__")},
}

# Matches Spyne both as a module name ("spyne", "spyne.util.xml") and as a
# file path without ".py": warnings raised by the compiler (invalid escape
# sequences) carry no module name, so ``warnings`` derives one from the
# file name, e.g. "/venv/lib/python3.12/site-packages/spyne/protocol/http".
SPYNE_MODULE_RE = r"(spyne(\.|$)|.*[/\\]spyne([/\\]|$))"


def _target_name(fullname: str) -> str | None:
    """Return the ``six`` module that stands in for ``fullname``, if any."""
    if fullname == VENDORED:
        return TARGET
    if fullname.startswith(VENDORED + "."):
        return TARGET + fullname[len(VENDORED):]
    return None


class _SixAlias(types.ModuleType):
    """Module that forwards attribute access to the real ``six`` module.

    A fresh module object, rather than the ``six`` module itself, because
    the import system overwrites ``__spec__`` on whatever object it loads;
    aliasing would rename ``six`` (or a stdlib module behind ``six.moves``).
    """

    def __getattr__(self, name: str):
        # Only called for names not set on the alias itself.
        target = self.__dict__.get("_alias_target")
        if target is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(target, name)

    def __dir__(self):
        target = self.__dict__.get("_alias_target")
        return sorted(set(super().__dir__()) | set(dir(target or ())))


class SixRedirect(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finder and loader serving ``spyne.util.six*`` from ``six*``."""

    def find_spec(self, fullname, path=None, target=None):
        if _target_name(fullname) is None:
            return None
        # Every alias is a package so that any ``moves`` submodule can be
        # imported below it; the finder ignores ``path`` anyway.
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return _SixAlias(spec.name)

    def exec_module(self, module):
        module._alias_target = importlib.import_module(
            _target_name(module.__name__)
        )
        module.__dict__.update(EXTRAS.get(module.__name__, {}))


_finder = SixRedirect()


def install_six_redirect() -> None:
    """Put the redirecting finder first on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, SixRedirect) for f in sys.meta_path):
        sys.meta_path.insert(0, _finder)


def filter_spyne_warnings() -> None:
    """Silence warnings whose origin is Spyne's own code.

    Spyne 2.14 is unmaintained: its invalid escape sequences
    (DeprecationWarning on 3.11, SyntaxWarning on 3.12+), its deprecated
    ``import cgi`` and similar will never be fixed upstream.  Filtering
    them by originating module, rather than a category everywhere, keeps
    ``-W error`` meaningful for our own code.

    ``append=False`` puts the filters before any ``-W``/``PYTHONWARNINGS``
    entry so they win over ``-W error``; adding an identical filter again
    replaces the old entry, so repeats are harmless.
    """
    for category in (DeprecationWarning, PendingDeprecationWarning,
                     SyntaxWarning):
        warnings.filterwarnings("ignore", category=category,
                                module=SPYNE_MODULE_RE, append=False)


def install() -> None:
    """Apply the layer; safe to call more than once.

    Each step checks or replaces its own earlier effect instead of relying on
    a flag, so calling it again also restores filters that something like
    ``warnings.catch_warnings`` has reset in between.
    """
    filter_spyne_warnings()
    install_six_redirect()
