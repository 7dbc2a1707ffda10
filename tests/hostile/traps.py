"""Traps that notice when the gateway reads a file or opens a connection it was lured to."""

from __future__ import annotations

import errno
import os
import select
import socket
import uuid
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Traps:
    """A FIFO, a file with a secret marker and a TCP listener, referenced by hostile payloads.

    * Opening the FIFO for reading would block the reader; a non-blocking
      writer open succeeds only while somebody has it open for reading.
    * The marker file is a plain file: its marker must never come back.
    * The listener accepts connections nobody should ever make.
    """

    folder: Path
    fifo: Path = field(init=False)
    secret: Path = field(init=False)
    marker: str = field(init=False)
    listener: socket.socket = field(init=False)
    connections: int = 0

    def __post_init__(self) -> None:
        self.fifo = self.folder / "trap.fifo"
        os.mkfifo(self.fifo)
        self.marker = f"GEHEIM-{uuid.uuid4().hex}"
        self.secret = self.folder / "secret.txt"
        self.secret.write_text(f"{self.marker}\n", encoding="utf-8")
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.setblocking(False)

    @property
    def evil_base(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    @property
    def fifo_url(self) -> str:
        return self.fifo.as_uri()

    @property
    def secret_url(self) -> str:
        return self.secret.as_uri()

    def fifo_opened(self) -> bool:
        """True when somebody holds the FIFO open for reading (and release them)."""
        try:
            fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # no reader: the good case
                return False
            raise
        os.close(fd)  # the reader now sees end of file instead of hanging
        return True

    def accepted_connections(self) -> int:
        """Connections made to the listener since the last call (and close them)."""
        count = 0
        while select.select([self.listener], [], [], 0)[0]:
            try:
                conn, _ = self.listener.accept()
            except BlockingIOError:
                break
            conn.close()
            count += 1
        self.connections += count
        return count

    def leaked(self, data: bytes) -> bool:
        """The secret marker in a response, in any of the encodings it could travel in."""
        marker = self.marker.encode("ascii")
        return marker in data or self.marker.encode("utf-16-le") in data

    def close(self) -> None:
        self.listener.close()
