"""Files that hold secrets (the SQLite database, outbox mails with reset links) are the owner's alone.

Created ``0600`` (folders ``0700``) whatever the process's umask, so another
account on the machine cannot read password hashes, customer data or a live
reset link. SQLite gives its ``-wal`` and ``-shm`` files the database file's
mode, so they follow.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Create *path* (and parents) as ``0700`` if missing; an existing folder is left alone."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    return path


def write_private_file(path: Path, data: bytes) -> Path:
    """Write a new file that only its owner can read; fails if *path* exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return path


def ensure_private_file(path: Path) -> None:
    """Create *path* empty as ``0600``, or take group and other access from an existing one we own."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        return
    except FileExistsError:
        pass
    info = path.stat()
    if info.st_uid == os.getuid() and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        path.chmod(stat.S_IMODE(info.st_mode) & ~(stat.S_IRWXG | stat.S_IRWXO))
