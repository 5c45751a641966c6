"""A short "working..." line on stderr while a slow step runs (Argon2id, backups, PDFs, fetching).

Shown only when stderr is a terminal, so scripts and pipes see nothing extra; the line is wiped
when the step ends. Messages are whole sentences, so they translate as they are.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

OPENING_WALLET = "Opening the wallet…"
CREATING_WALLET = "Creating the wallet…"
CHANGING_PASSPHRASE = "Encrypting the wallet with the new passphrase…"
WRITING_BACKUP = "Writing the encrypted backup…"
READING_BACKUP = "Opening the backup…"
RESTORING_WALLET = "Writing the restored wallet…"
WRITING_PDF = "Making the PDF…"
CHECKING_STATUS = "Checking the status lists of your endorsements…"


def _stream(stream: TextIO | None) -> TextIO:
    return stream if stream is not None else sys.stderr


def interactive(stream: TextIO | None = None) -> bool:
    target = _stream(stream)
    try:
        return bool(target.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


@contextmanager
def working(message: str, stream: TextIO | None = None) -> Iterator[None]:
    """Show ``message`` on a terminal's stderr while the block runs, then wipe it."""
    target = _stream(stream)
    shown = interactive(target)
    if shown:
        target.write(message)
        target.flush()
    try:
        yield
    finally:
        if shown:
            target.write("\r" + " " * len(message) + "\r")
            target.flush()
