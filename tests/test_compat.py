"""Tests for bipro.compat, the layer that lets Spyne 2.14 run on 3.11-3.13.

Spyne runs in subprocesses: a clean interpreter is the only way to see
import-time failures and warnings, and ``-W error`` there proves the layer
leaves no warning behind that would break a strict test run.
"""

import json
import os
import subprocess
import sys
import textwrap
import urllib.parse
import warnings
from pathlib import Path

import pytest

from bipro import compat

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Serves one SOAP 1.1 call and one WSDL request through Spyne's WSGI app,
# calling it directly with a wsgiref-style environ.
ECHO_SCRIPT = textwrap.dedent(
    """
    import io, json, wsgiref.util

    import bipro  # installs the compatibility layer
    from lxml import etree
    from spyne import Application, ServiceBase, Unicode, rpc
    from spyne.protocol.soap import Soap11
    from spyne.server.wsgi import WsgiApplication

    TNS = "urn:bipro:compat-test"

    class EchoService(ServiceBase):
        @rpc(Unicode, _returns=Unicode)
        def echo(ctx, text):
            return text

    app = WsgiApplication(Application(
        [EchoService], tns=TNS,
        in_protocol=Soap11(validator="lxml"), out_protocol=Soap11(),
    ))

    def call(method, body=b"", query=""):
        environ = {
            "REQUEST_METHOD": method,
            "QUERY_STRING": query,
            "CONTENT_TYPE": "text/xml; charset=utf-8",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_SOAPACTION": '"echo"',
            "wsgi.input": io.BytesIO(body),
        }
        wsgiref.util.setup_testing_defaults(environ)
        seen = {}
        def start_response(status, headers, exc_info=None):
            seen["status"] = status
        payload = b"".join(app(environ, start_response))
        return seen["status"], payload

    request = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soapenv:Envelope'
        ' xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
        ' xmlns:t="urn:bipro:compat-test">'
        '<soapenv:Body><t:echo><t:text>Grüße, BiPRO</t:text></t:echo>'
        '</soapenv:Body></soapenv:Envelope>'
    ).encode("utf-8")
    status, payload = call("POST", request)
    result = etree.fromstring(payload).findtext(".//{%s}echoResult" % TNS)

    wsdl_status, wsdl = call("GET", query="wsdl")
    wsdl_root = etree.fromstring(wsdl)

    print(json.dumps({
        "status": status,
        "result": result,
        "wsdl_status": wsdl_status,
        "wsdl_root": wsdl_root.tag,
    }))
    """
)


def run_python(*args, tmp_path, **env):
    """Run the current interpreter on the project, bytecode cache elsewhere.

    A fresh cache prefix makes Spyne compile again, so compile-time warnings
    (invalid escape sequences) are raised in the subprocess as they would be
    on a machine without .pyc files.
    """
    child_env = dict(os.environ)
    child_env.pop("PYTHONWARNINGS", None)
    child_env.update(
        PYTHONPATH=str(PROJECT_ROOT),
        PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"),
        PYTHONIOENCODING="utf-8",
        **env,
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=tmp_path,
        env=child_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_spyne_serves_soap_under_w_error(tmp_path):
    proc = run_python("-W", "error", "-c", ECHO_SCRIPT, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = json.loads(proc.stdout)
    assert out["status"].startswith("200")
    assert out["result"] == "Grüße, BiPRO"
    assert out["wsdl_status"].startswith("200")
    assert out["wsdl_root"] == "{http://schemas.xmlsoap.org/wsdl/}definitions"


@pytest.mark.skipif(sys.version_info < (3, 12),
                    reason="Spyne's vendored six still imports before 3.12")
def test_layer_still_needed_to_import(tmp_path):
    """Fails once Spyne imports on its own: then drop the six redirect."""
    proc = run_python("-c", "import spyne.server.wsgi", tmp_path=tmp_path)
    assert proc.returncode != 0, (
        "spyne.server.wsgi imports without bipro.compat on this interpreter;"
        " the six redirect in bipro/compat.py is probably no longer needed"
    )
    assert "No module named 'spyne.util.six.moves'" in proc.stderr


@pytest.mark.skipif(sys.version_info >= (3, 12),
                    reason="covered by test_layer_still_needed_to_import")
def test_layer_still_needed_for_clean_imports(tmp_path):
    """Before 3.12 Spyne imports, but its vendored six hook warns.

    The redirect is applied there too so that ``-W error`` runs do not trip
    over that hook; fails once Spyne stops registering it.
    """
    proc = run_python("-W", "error::ImportWarning", "-c", "import spyne",
                      tmp_path=tmp_path)
    assert proc.returncode != 0, (
        "spyne imports without ImportWarning; the six redirect in"
        " bipro/compat.py is probably no longer needed"
    )
    assert "_SixMetaPathImporter" in proc.stderr


def test_cgi_available():
    # Removed from the stdlib in 3.13; legacy-cgi provides it there.
    proc = subprocess.run([sys.executable, "-c", "import cgi"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, "install legacy-cgi: " + proc.stderr


def test_vendored_six_is_served_by_six():
    import six
    import spyne.util.six as vendored
    from spyne.util.six.moves.urllib.parse import quote

    assert vendored.string_types is six.string_types
    assert vendored.add_metaclass is six.add_metaclass
    assert quote is urllib.parse.quote
    assert vendored.get_function_name(test_install_is_idempotent) == (
        "test_install_is_idempotent")
    # The alias is a module of its own; six keeps its identity.
    assert vendored is not six
    assert six.__spec__.name == "six"


def test_install_is_idempotent():
    compat.install()
    compat.install()
    finders = [f for f in sys.meta_path if isinstance(f, compat.SixRedirect)]
    assert len(finders) == 1
    # Entries are (action, message, category, module, lineno).
    modules = [getattr(f[3], "pattern", f[3]) for f in warnings.filters]
    spyne_filters = [m for m in modules if m == compat.SPYNE_MODULE_RE]
    assert len(spyne_filters) == 3


SPYNE_ORIGINS = [
    "spyne",
    "spyne.protocol.http",
    # Compile-time warnings carry the file name minus ".py" as module.
    "/venv/lib/python3.12/site-packages/spyne/protocol/http",
    r"C:\venv\Lib\site-packages\spyne\protocol\http",
]
OTHER_ORIGINS = [
    "bipro.soap", "spyneish", "tests.test_spyne", "/srv/app/spyne_tools",
]


def warn_from(module, category):
    warnings.warn_explicit("test", category, module + ".py", 1, module=module)


@pytest.mark.parametrize("category", [DeprecationWarning, SyntaxWarning])
@pytest.mark.parametrize("module", SPYNE_ORIGINS)
def test_spyne_warnings_ignored_despite_error(module, category):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error")
        compat.filter_spyne_warnings()
        warn_from(module, category)
    assert caught == []


@pytest.mark.parametrize("module", OTHER_ORIGINS)
def test_other_warnings_still_raise(module):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compat.filter_spyne_warnings()
        with pytest.raises(DeprecationWarning):
            warn_from(module, DeprecationWarning)
