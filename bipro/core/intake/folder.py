"""Publish a folder: every file with a JSON sidecar (``brief.pdf`` + ``brief.pdf.json``).

What was published moves to ``DIR/done``, what was refused to ``DIR/refused``
beside a ``.reason.txt`` naming why. Files without a sidecar are left where
they are (their writer may not be finished). Each file is its own
transaction, so one refusal never holds back the others.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from bipro.core.caller import SystemCaller
from bipro.core.errors import CoreError, ValidationFailed
from bipro.core.intake.metadata import parse_metadata
from bipro.core.intake.receive import IncomingFile, receive_documents

SIDECAR = ".json"
DONE, REFUSED = "done", "refused"


@dataclass
class FolderResult:
    published: list[tuple[str, str]] = field(default_factory=list)  # (file name, shipment id)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


def publish_folder(session_scope: Callable[[], AbstractContextManager[Session]], folder: Path, *,
                   available_days: int, max_bytes: int, by: SystemCaller) -> FolderResult:
    """Publish every file of *folder* that has a sidecar; *session_scope* gives one transaction."""
    folder = Path(folder)
    result = FolderResult()
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.endswith(SIDECAR)):
        sidecar = path.with_name(path.name + SIDECAR)
        if not sidecar.is_file():
            continue
        try:
            reason = None
            if path.stat().st_size > max_bytes:
                reason = f"Die Datei ist größer als {max_bytes} Bytes (BIPRO_INTAKE_MAX_BYTES)."
            else:
                meta = parse_metadata(sidecar.read_bytes(), 1)
                with session_scope() as session:
                    received = receive_documents(session, meta, [IncomingFile(path, path.name)],
                                                 available_days=available_days, by=by)
        except ValidationFailed as invalid:
            reason = "; ".join(f"{p.field}: {p.message}" for p in invalid.problems)
        except CoreError as refused:
            reason = refused.message
        if reason is None:
            _move(path, sidecar, folder / DONE)
            result.published.append((path.name, received.public_id))
        else:
            target = _move(path, sidecar, folder / REFUSED)
            (target / (path.name + ".reason.txt")).write_text(reason + "\n", encoding="utf-8")
            result.refused.append((path.name, reason))
    return result


def _move(path: Path, sidecar: Path, target: Path) -> Path:
    target.mkdir(exist_ok=True)
    for moving in (path, sidecar):
        shutil.move(str(moving), str(target / moving.name))
    return target
