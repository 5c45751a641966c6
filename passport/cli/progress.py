"""A short "working..." line on stderr while a slow step runs (Argon2id, backups, PDFs, fetching).

Shown only when stderr is a terminal, so scripts and pipes see nothing extra; the line is wiped
when the step ends. Each step is named by a key whose sentence is in ``passport.terms``
(``cli.progress_<key>``), said in the command's language.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

from .. import terms

OPENING_WALLET = "opening_wallet"
CREATING_WALLET = "creating_wallet"
CHANGING_PASSPHRASE = "changing_passphrase"
WRITING_BACKUP = "writing_backup"
READING_BACKUP = "reading_backup"
RESTORING_WALLET = "restoring_wallet"
WRITING_PDF = "writing_pdf"
CHECKING_STATUS = "checking_status"
STEPS = (OPENING_WALLET, CREATING_WALLET, CHANGING_PASSPHRASE, WRITING_BACKUP, READING_BACKUP, RESTORING_WALLET,
         WRITING_PDF, CHECKING_STATUS)


def message(step: str, lang: str = terms.DEFAULT_LANG) -> str:
    """The sentence shown while ``step`` runs, e.g. "De wallet wordt geopend…"."""
    return terms.term("cli.progress_" + step, lang)


def _stream(stream: TextIO | None) -> TextIO:
    return stream if stream is not None else sys.stderr


def interactive(stream: TextIO | None = None) -> bool:
    target = _stream(stream)
    try:
        return bool(target.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


@contextmanager
def working(step: str, lang: str = terms.DEFAULT_LANG, stream: TextIO | None = None) -> Iterator[None]:
    """Show the sentence for ``step`` in ``lang`` on a terminal's stderr while the block runs, then wipe it."""
    text = message(step, lang)
    target = _stream(stream)
    shown = interactive(target)
    if shown:
        target.write(text)
        target.flush()
    try:
        yield
    finally:
        if shown:
            target.write("\r" + " " * len(text) + "\r")
            target.flush()
