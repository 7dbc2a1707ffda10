"""BiPRO SOAP gateway."""

# Must run before anything imports Spyne; see bipro/compat.py.
from bipro import compat as _compat

_compat.install()
