"""``python -m bipro`` is the same as ``bipro-gateway``."""

import sys

from bipro.cli import main

sys.exit(main())
