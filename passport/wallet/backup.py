"""Encrypted backups of a wallet, with an optional recovery code that also opens them.

Backup file (SPEC.md section 12)::

    {"format": "paspoort-wallet-backup", "version": 1, "cipher": "xchacha20poly1305", "createdAt": "...",
     "slots": [{"kind": "passphrase", "kdf": {...}, "keyCheck": "u...", "nonce": "u...", "wrappedKey": "u..."},
               {"kind": "recovery-code", ...}],
     "nonce": "u...", "ciphertext": "u...", "checksum": "u..."}

The content (the wallet's plaintext JSON) is sealed under a random 32-byte data key; each slot
wraps that data key under a key derived (Argon2id, as for the wallet) from the passphrase or from
the recovery code. The header with all slots is the content's associated data; each slot's own
fields are its wrap's associated data. A recovery code is 160 random bits written as 32 base32
characters in 8 groups (``ABCD-EFGH-...``), shown once and never stored in plain text.
"""
from __future__ import annotations

import base64
import hmac
import os
import re
from typing import Any

from ..encoding import jsonio
from ..errors import WalletCorrupt, WalletExists, WrongPassphrase
from ..encoding.jcs import canonicalize
from ..crypto.keys import write_private_file
from ..encoding.multibase import encode_u
from ..encoding.timeutil import format_datetime
from .crypto import CIPHER, KEY_BYTES, KdfParams, SealKey, decode_bytes, new_params, seal, unseal
from .store import VERSION, Wallet, checksum, decode_content, parse_envelope, read_private

FORMAT = "paspoort-wallet-backup"
SLOT_KINDS = ("passphrase", "recovery-code")
TOP_KEYS = frozenset({"format", "version", "cipher", "createdAt", "slots", "nonce", "ciphertext", "checksum"})
SLOT_KEYS = frozenset({"kind", "kdf", "keyCheck", "nonce", "wrappedKey"})
_CODE_FIX = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_recovery_code() -> str:
    letters = base64.b32encode(os.urandom(20)).decode("ascii")  # 32 characters, no padding
    return "-".join(letters[index:index + 4] for index in range(0, 32, 4))


def normalize_code(code: str) -> str:
    letters = re.sub(r"[\s-]", "", code).upper().translate(_CODE_FIX)
    if not re.fullmatch(r"[A-Z2-7]{32}", letters):
        raise WrongPassphrase("a recovery code is 32 letters and digits 2-7, in groups of four like ABCD-EFGH-...")
    return letters


def export_backup(wallet: Wallet, path: str, passphrase: str, *, now, recovery_code: str | None = None,
                  overwrite: bool = False, kdf_profile: str | None = None) -> None:
    data_key = os.urandom(KEY_BYTES)
    slots = [_slot("passphrase", passphrase, data_key, kdf_profile)]
    if recovery_code is not None:
        slots.append(_slot("recovery-code", normalize_code(recovery_code), data_key, kdf_profile))
    header = {"format": FORMAT, "version": VERSION, "cipher": CIPHER, "createdAt": format_datetime(now), "slots": slots}
    nonce, ciphertext = seal(header, canonicalize(wallet.data), data_key)
    document = {**header, "nonce": nonce, "ciphertext": ciphertext}
    document["checksum"] = checksum(document)
    try:
        write_private_file(path, jsonio.dumps_pretty(document).encode("utf-8"), overwrite=overwrite)
    except FileExistsError:
        raise WalletExists(f"{path} exists; choose another backup file name (or --force)", path=path) from None


def _slot(kind: str, secret: str, data_key: bytes, kdf_profile: str | None) -> dict[str, Any]:
    key = SealKey.derive(secret, new_params(kdf_profile))
    header = {"kind": kind, "kdf": key.params.to_json(), "keyCheck": encode_u(key.check)}
    nonce, wrapped = seal({"format": FORMAT, **header}, data_key, key.enc)
    return {**header, "nonce": nonce, "wrappedKey": wrapped}


def read_backup(path: str, secret: str, *, recovery: bool = False) -> dict[str, Any]:
    """The wallet content inside a backup, opened with the passphrase or (``recovery``) the code."""
    document = _parse(read_private(path, "backup"))
    kind = "recovery-code" if recovery else "passphrase"
    if recovery:
        secret = normalize_code(secret)
    slots = [slot for slot in document["slots"] if slot["kind"] == kind]
    if not slots:
        raise WrongPassphrase(f"this backup has no {kind} slot" + (" (it was made without a recovery code)"
                                                                   if recovery else ""))
    slot = slots[0]
    key = SealKey.derive(secret, KdfParams.from_json(slot["kdf"]))
    if not hmac.compare_digest(_check_bytes(slot["keyCheck"]), key.check):
        raise WrongPassphrase("wrong recovery code" if recovery else "wrong passphrase: the backup could not be opened")
    slot_header = {"format": FORMAT, **{name: slot[name] for name in ("kind", "kdf", "keyCheck")}}
    data_key = unseal(slot_header, slot["nonce"], slot["wrappedKey"], key.enc, "backup")
    if len(data_key) != KEY_BYTES:
        raise WalletCorrupt("the backup's wrapped key has the wrong length")
    header = {name: document[name] for name in ("format", "version", "cipher", "createdAt", "slots")}
    content = unseal(header, document["nonce"], document["ciphertext"], data_key, "backup")
    return decode_content(content, "backup")


def _check_bytes(value: Any) -> bytes:
    return decode_bytes(value, KEY_BYTES, "keyCheck")


def _parse(raw: bytes) -> dict[str, Any]:
    document = parse_envelope(raw, FORMAT, "backup", keys=TOP_KEYS)
    slots = document["slots"]
    if not isinstance(slots, list) or not 1 <= len(slots) <= len(SLOT_KINDS) or not all(
            isinstance(slot, dict) and set(slot) == SLOT_KEYS and slot["kind"] in SLOT_KINDS for slot in slots):
        raise WalletCorrupt("the backup's key slots are malformed")
    return document


def restore(path: str, content: dict[str, Any], wallet_path: str, passphrase: str, *, force: bool = False,
            kdf_profile: str | None = None) -> Wallet:
    """Write ``content`` as a new wallet at ``wallet_path``; an existing wallet only with ``force``."""
    if os.path.lexists(wallet_path) and not force:
        raise WalletExists(f"a wallet already exists at {wallet_path}; restoring would replace it. "
                           "Use --force to replace it, or --wallet for another path", path=wallet_path)
    wallet = Wallet(wallet_path, SealKey.derive(passphrase, new_params(kdf_profile)), content)
    wallet.save(new=not os.path.lexists(wallet_path))
    return wallet
