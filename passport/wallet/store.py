"""The encrypted wallet file: one JSON envelope, sealed with a passphrase-derived key.

Envelope (SPEC.md section 12, "Wallet file")::

    {"format": "paspoort-wallet", "version": 1,
     "kdf": {"name": "argon2id", "opslimit": 3, "memlimit": 268435456, "salt": "u..."},
     "cipher": "xchacha20poly1305", "keyCheck": "u...", "generation": 7, "nonce": "u...",
     "ciphertext": "u...", "checksum": "u..."}

Everything but ``ciphertext`` and ``checksum`` is the AEAD associated data (JCS). ``checksum``
(sha2-256 of the JCS of the rest) catches accidental damage anywhere, including the salt, so
damage reads as WALLET_CORRUPT and not as a wrong passphrase. The plaintext is JSON: the holder
key, the profile source and signed profile, the imported credentials and settings. Only the
envelope ever reaches the disk, written atomically (temporary file, fsync, rename) with mode
0600; a file readable or writable by group or others is refused. ``generation`` (authenticated
with the header) and the counter beside the wallet detect an older copy put back (``generation``).
"""
from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import stat
import time
from typing import Any

from ..encoding import jsonio
from ..errors import (
    PassportError, WalletBusy, WalletCorrupt, WalletExists, WalletNotFound, WalletPermissions, WalletUnsupported,
)
from ..encoding.jcs import canonicalize
from ..crypto.keys import Ed25519Key, write_private_file
from ..encoding.multibase import encode_u
from ..encoding.timeutil import format_datetime
from . import generation as generations
from .crypto import CIPHER, KdfParams, SealKey, new_params, profile_params, seal, unseal

FORMAT = "paspoort-wallet"
VERSION = 1
MAX_WALLET_BYTES = 32 * 1024 * 1024
LOCK_TIMEOUT = 30.0  # seconds a command waits for another command on the same wallet
ENVELOPE_KEYS = frozenset({"format", "version", "kdf", "cipher", "keyCheck", "nonce", "ciphertext", "checksum"})
OPTIONAL_KEYS = frozenset({"generation"})  # absent only in wallets written before rollback detection
CONTENT_KEYS = ("holderKey", "profileSource", "profile", "credentials", "settings", "createdAt")


def checksum(document: dict[str, Any]) -> str:
    rest = {name: value for name, value in document.items() if name != "checksum"}
    return encode_u(hashlib.sha256(canonicalize(rest)).digest())


def seal_document(fmt: str, content: bytes, key: SealKey, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The envelope for ``content`` under ``key`` (shared by wallet and backup files)."""
    header = {"format": fmt, "version": VERSION, "kdf": key.params.to_json(), "cipher": CIPHER,
              "keyCheck": encode_u(key.check), **(extra or {})}
    nonce, ciphertext = seal(header, content, key.enc)
    document = {**header, "nonce": nonce, "ciphertext": ciphertext}
    document["checksum"] = checksum(document)
    return document


def parse_envelope(raw: bytes, fmt: str, what: str, keys: frozenset[str] = ENVELOPE_KEYS,
                   optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Strict structural reading of an envelope (exactly ``keys`` at the top), before any key is derived."""
    try:
        document = jsonio.loads(raw, max_bytes=MAX_WALLET_BYTES)
    except PassportError as exc:
        raise WalletCorrupt(f"the {what} is not readable JSON: {exc.message}") from None
    if not isinstance(document, dict) or document.get("format") != fmt:
        raise WalletCorrupt(f"this is not a {what} (format must be {fmt!r})")
    if document.get("version") != VERSION:
        raise WalletUnsupported(f"{what} version {document.get('version')!r} is not supported (this program reads {VERSION})")
    if not keys <= set(document) <= keys | optional:
        raise WalletCorrupt(f"the {what} has missing or unexpected fields",
                            fields=sorted((set(document) - optional) ^ keys))
    if not isinstance(document["checksum"], str) or not hmac.compare_digest(document["checksum"], checksum(document)):
        raise WalletCorrupt(f"the {what} is damaged (checksum mismatch)")
    if document["cipher"] != CIPHER:
        raise WalletUnsupported(f"cipher {document['cipher']!r} is not supported (only {CIPHER})")
    return document


def open_envelope(document: dict[str, Any], secret: str | bytes, what: str, key: SealKey | None = None) -> tuple[bytes, SealKey]:
    """Derive the key (unless given), check the commitment, then decrypt and authenticate."""
    params = KdfParams.from_json(document["kdf"])
    if key is None or key.params != params:
        key = SealKey.derive(secret, params)
    key.verify_check(document["keyCheck"])
    header = {name: value for name, value in document.items() if name not in ("nonce", "ciphertext", "checksum")}
    return unseal(header, document["nonce"], document["ciphertext"], key.enc, what), key


def read_private(path: str, what: str) -> bytes:
    """Read a secret-bearing file, refusing one that group or others can read or write."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise WalletNotFound(f"no {what} at {path}; create one with 'passport wallet init'", path=path) from None
    except OSError as exc:
        raise WalletNotFound(f"cannot open the {what} at {path}: {exc.strerror}", path=path) from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise WalletCorrupt(f"{path} is not a regular file")
        if info.st_mode & 0o077:
            raise WalletPermissions(
                f"{path} is readable or writable by others (mode {stat.S_IMODE(info.st_mode):04o}); "
                f"refusing to open it. Fix with: chmod 600 {path}", path=path, mode=f"{stat.S_IMODE(info.st_mode):04o}")
        raw = handle.read(MAX_WALLET_BYTES + 1)
    if len(raw) > MAX_WALLET_BYTES:
        raise WalletCorrupt(f"the {what} is larger than {MAX_WALLET_BYTES} bytes")
    return raw


def acquire_lock(path: str, timeout: float) -> int:
    """An exclusive ``flock`` on ``<wallet>.lock`` (a lock file that holds nothing), waiting up to ``timeout``."""
    descriptor = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return descriptor
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(descriptor)
                raise WalletBusy(f"another passport command is using the wallet at {path}; try again when it "
                                 "has finished", path=path) from None
            time.sleep(0.05)


class Wallet:
    """An opened wallet: its decrypted content in ``data`` and the key to seal it again."""

    def __init__(self, path: str, key: SealKey, data: dict[str, Any], *, lock: int | None = None,
                 generation: int = 0) -> None:
        self.path = path
        self._key = key
        self.data = data
        self.generation = generation  # of the file as opened (0: new, or written before generations)
        self._lock = lock  # descriptor holding the wallet's exclusive lock, released by close()

    def close(self) -> None:
        """Release the wallet lock (process exit releases it too)."""
        lock, self._lock = getattr(self, "_lock", None), None
        if lock is not None:
            try:
                os.close(lock)
            except OSError:  # already closed, e.g. by a test that forked and closed descriptors
                pass

    def __del__(self) -> None:  # a forgotten close() still releases the lock when the object goes
        self.close()

    def __enter__(self) -> "Wallet":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- life cycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str, passphrase: str, *, holder_key: Ed25519Key | None = None, now=None,
               kdf_profile: str | None = None) -> "Wallet":
        if os.path.lexists(path):
            raise WalletExists(f"a wallet already exists at {path}; refusing to overwrite it", path=path)
        key = SealKey.derive(passphrase, new_params(kdf_profile))
        holder = holder_key or Ed25519Key.generate()
        data = {"holderKey": holder.to_multikey(), "profileSource": None, "profile": None, "credentials": [],
                "settings": {"lang": "nl"}, "createdAt": format_datetime(now) if now else None}
        wallet = cls(path, key, data)
        wallet.save(new=True)
        return wallet

    @classmethod
    def open(cls, path: str, passphrase: str, *, lock_timeout: float = LOCK_TIMEOUT,
             accept_rollback: bool = False) -> "Wallet":
        """Open for reading and writing: holds the wallet's lock until ``close()`` or process exit,
        so two commands on one wallet never overwrite each other's changes. A file older than the
        rollback counter raises ``WalletRolledBack`` unless ``accept_rollback`` (then save() at once)."""
        if not os.path.lexists(path):
            read_private(path, "wallet")  # raises the right WalletNotFound
        lock = acquire_lock(path, lock_timeout)
        wallet = None
        try:
            document = parse_envelope(read_private(path, "wallet"), FORMAT, "wallet", optional=OPTIONAL_KEYS)
            number = generations.header_generation(document)
            content, key = open_envelope(document, passphrase, "wallet")
            wallet = cls(path, key, decode_content(content, "wallet"), lock=lock, generation=number)
            if not accept_rollback:
                generations.check(path, number, wallet.did)
            return wallet
        except BaseException:
            if wallet is not None:
                wallet._lock = None  # closed here, once: a later __del__ must not close a reused number
            os.close(lock)
            raise

    def save(self, *, new: bool = False) -> None:
        """Write atomically with the next generation, then the rollback counter beside the wallet."""
        did = self.did
        number = generations.next_generation(self.path, self.generation, did)
        document = seal_document(FORMAT, canonicalize(self.data), self._key, {"generation": number})
        data = (jsonio.dumps_pretty(document)).encode("utf-8")
        try:
            write_private_file(self.path, data, overwrite=not new)
        except FileExistsError:
            raise WalletExists(f"a wallet already exists at {self.path}; refusing to overwrite it") from None
        self.generation = number
        generations.write_counter(self.path, did, number)

    def change_passphrase(self, new_passphrase: str, kdf_profile: str | None = None) -> None:
        """Re-seal under a new passphrase with a fresh salt (and the current cost profile)."""
        self._key = SealKey.derive(new_passphrase, new_params(kdf_profile))
        self.save()

    def check_passphrase(self, passphrase: str) -> None:
        """Raise ``WrongPassphrase`` unless ``passphrase`` opens this wallet (for a page that asks
        for it again before a backup; the passphrase itself is never kept)."""
        SealKey.derive(passphrase, self._key.params).verify_check(encode_u(self._key.check))

    @property
    def kdf(self) -> KdfParams:
        return self._key.params

    @property
    def weak_kdf(self) -> bool:
        """True when the file's Argon2id cost is below what new files get (e.g. made by a test run)."""
        ops, mem = profile_params()
        return self._key.params.opslimit < ops or self._key.params.memlimit < mem

    # --- content ----------------------------------------------------------------------------
    @property
    def holder_key(self) -> Ed25519Key:
        return Ed25519Key.from_multikey(self.data["holderKey"])

    @property
    def did(self) -> str:
        return self.holder_key.did

    @property
    def credentials(self) -> list[dict[str, Any]]:
        return self.data["credentials"]


def decode_content(content: bytes, what: str) -> dict[str, Any]:
    try:
        data = jsonio.loads(content, max_bytes=MAX_WALLET_BYTES)
    except PassportError as exc:
        raise WalletCorrupt(f"the {what}'s content is not readable: {exc.message}") from None
    if not isinstance(data, dict) or not set(CONTENT_KEYS) <= set(data) or not isinstance(data["credentials"], list):
        raise WalletCorrupt(f"the {what}'s content does not have the wallet shape")
    try:
        Ed25519Key.from_multikey(data["holderKey"])
    except PassportError:
        raise WalletCorrupt(f"the {what}'s holder key is unreadable") from None
    return data
