# Shared by scripts/demo and scripts/test: make sure a virtual environment
# with the project installed exists, and put it first on PATH.
# PYTHON picks the interpreter (default python3), VENV the folder (.venv).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv}"
EXTRAS="${EXTRAS:-}"

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1))." >&2
    exit 1
fi
stamp="$VENV/.installed$EXTRAS"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
# Reinstall only when the packaging metadata changed since the last install.
if [ ! -f "$stamp" ] || [ "$ROOT/setup.cfg" -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT$EXTRAS"
    touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
