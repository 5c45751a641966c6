"""Rollback detection: the wallet's generation number, and a counter kept beside the wallet.

Every save writes the wallet with ``generation`` one higher than both the generation it was
opened with and the counter, in the envelope header (so it is authenticated as associated
data), and then the counter file ``<wallet>.generation``. Opening compares the two: a wallet
file older than the counter is an older copy put back (a restored disk image, a copied file)
and is refused with ``WALLET_ROLLBACK`` until the worker accepts it with
``passport wallet accept-rollback``.

Limits (SPEC.md section 12): the counter lives beside the wallet, so whoever can replace
the wallet file and the counter file together (or delete the counter) is not detected; a
wallet copied to a machine without its counter is accepted as it is. The counter names its
wallet by a digest of the holder DID, so a different wallet at the same path starts afresh.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from typing import Any

from ..encoding import jsonio
from ..errors import PassportError, WalletCorrupt, WalletRolledBack
from ..encoding.multibase import encode_u

FORMAT = "paspoort-wallet-generation"
VERSION = 1
SUFFIX = ".generation"
MAX_GENERATION = 2**53 - 1
MAX_COUNTER_BYTES = 4096
ACCEPT_COMMAND = "passport wallet accept-rollback"


def counter_path(wallet_path: str) -> str:
    return wallet_path + SUFFIX


def wallet_tag(did: str) -> str:
    """Which wallet a counter belongs to, without writing the DID itself beside the wallet."""
    return encode_u(hashlib.sha256(f"paspoort-wallet-generation:{did}".encode("utf-8")).digest())


def header_generation(document: dict[str, Any]) -> int:
    """The envelope's ``generation`` (0 for a wallet written before generations existed)."""
    if "generation" not in document:
        return 0
    value = document["generation"]
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_GENERATION:
        raise WalletCorrupt("the wallet's generation must be a whole number from 1 to 2^53 - 1")
    return value


def read_counter(wallet_path: str, did: str) -> int | None:
    """The counter for this wallet, or None (no counter, or one that belongs to another wallet)."""
    path = counter_path(wallet_path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WalletCorrupt(f"the rollback counter {path} cannot be read ({exc.strerror}); if you put an older "
                            f"wallet back on purpose, run '{ACCEPT_COMMAND}'", path=path) from None
    with os.fdopen(descriptor, "rb") as handle:
        raw = handle.read(MAX_COUNTER_BYTES + 1)
    if not raw:
        return None  # what a power cut can leave of an unsynced rename: as good as no counter
    try:
        counter = jsonio.loads(raw, max_bytes=MAX_COUNTER_BYTES)
    except PassportError:
        counter = None
    if (not isinstance(counter, dict) or counter.get("format") != FORMAT or counter.get("version") != VERSION
            or not isinstance(counter.get("wallet"), str) or not isinstance(counter.get("generation"), int)
            or isinstance(counter.get("generation"), bool)):
        raise WalletCorrupt(f"the rollback counter {path} is damaged; if you put an older wallet back on "
                            f"purpose, run '{ACCEPT_COMMAND}'", path=path)
    if counter["wallet"] != wallet_tag(did):
        return None
    return counter["generation"]


def check(wallet_path: str, generation: int, did: str) -> None:
    """Raise ``WalletRolledBack`` when the opened file is older than the counter says."""
    newest = read_counter(wallet_path, did)
    if newest is not None and generation < newest:
        raise WalletRolledBack(
            f"the wallet file at {wallet_path} is an older copy (generation {generation}) than the last one "
            f"saved here (generation {newest}); changes made since then are missing. If you put this copy back "
            f"on purpose, run '{ACCEPT_COMMAND}'. Otherwise restore your newest backup",
            path=wallet_path, generation=generation, newest=newest)


def next_generation(wallet_path: str, generation: int, did: str, *, trust_counter: bool = True) -> int:
    """The generation the next save writes: above the opened file's and above the counter's."""
    newest = None
    if trust_counter:
        try:
            newest = read_counter(wallet_path, did)
        except WalletCorrupt:
            newest = None  # only reachable when the worker accepted the wallet as it is
    return max(generation, newest or 0) + 1


def write_counter(wallet_path: str, did: str, generation: int) -> None:
    """Written after the wallet file is on disk, so a crash in between leaves the wallet newer, never
    older. Atomic (temporary file, rename) but not fsynced: a counter lost to a power cut is older
    or empty, which only weakens detection once; fsyncing it would double the cost of every save."""
    document = {"format": FORMAT, "version": VERSION, "wallet": wallet_tag(did), "generation": generation}
    path = counter_path(wallet_path)
    handle, temp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".tmp-", suffix=".part")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(jsonio.dumps_pretty(document).encode("utf-8"))
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
