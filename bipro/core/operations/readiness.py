"""Is the database ready to serve: reachable and at the newest migration?

Shared by ``GET /health/ready`` and ``bipro-gateway check``. The newest
migration is read from the migrations themselves, never written down here.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.exc import SQLAlchemyError

from store.db import Database
from store.migrate import current_revision, head_revision

INIT_HINT = "bipro-gateway init-db bringt es auf den neuesten Stand"
UNREACHABLE = "Die Datenbank ist nicht erreichbar."


@lru_cache(maxsize=1)
def newest_migration() -> str:
    """The head of the migration chain shipped with this code (read once per process)."""
    return head_revision()


def database_problem(db: Database) -> str | None:
    """None when the database answers and is fully migrated; otherwise why not, in plain words."""
    try:
        current = current_revision(db.engine)
    except SQLAlchemyError:
        return UNREACHABLE
    newest = newest_migration()
    if current is None:
        return f"Die Datenbank hat noch kein Schema ({INIT_HINT})."
    if current != newest:
        return (f"Das Datenbankschema steht auf Migration {current}, die neueste ist {newest} "
                f"({INIT_HINT}).")
    return None
