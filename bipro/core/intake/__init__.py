"""Document intake from the insurer's systems (HTTP ``/intake/`` and ``publish-folder``).

* ``create_key``, ``revoke_key``, ``authenticate_key``: intake keys
* ``parse_metadata``: the JSON metadata, checked field by field
* ``receive_documents``: publish once per Idempotency-Key
* ``publish_folder``: a folder of files with JSON sidecars
"""

from bipro.core.intake.folder import FolderResult, publish_folder
from bipro.core.intake.keys import authenticate_key, create_key, list_keys, revoke_key
from bipro.core.intake.metadata import IntakeMetadata, parse_metadata
from bipro.core.intake.receive import IdempotencyConflict, IncomingFile, Received, UnsupportedFile, receive_documents

__all__ = [
    "FolderResult", "IdempotencyConflict", "IncomingFile", "IntakeMetadata", "Received",
    "UnsupportedFile", "authenticate_key", "create_key", "list_keys", "parse_metadata",
    "publish_folder", "receive_documents", "revoke_key",
]
