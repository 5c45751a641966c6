"""Passphrase key derivation and sealing for wallet and backup files (libsodium via PyNaCl).

Key schedule (SPEC.md section 12, "Keys"): ``root = Argon2id(passphrase, salt,
opslimit, memlimit)`` (32 bytes); from it, with keyed BLAKE2b and distinct personalisations,
``enc`` (the XChaCha20-Poly1305 key) and ``check`` (a key commitment stored in the header, so a
wrong passphrase is told apart from a damaged or tampered ciphertext). The header, canonicalized
with JCS, is the AEAD associated data: any change to it is detected.

Argon2id cost: production files use libsodium's MODERATE parameters. ``PASSPORT_KDF_PROFILE=test``
may only LOWER the cost, for test suites; every file records its own parameters, and opening
accepts any parameters within fixed bounds (so a test-made file still opens, and a hostile file
cannot ask for gigabytes).
"""
from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from typing import Any, Mapping

import nacl.bindings as sodium
import nacl.exceptions
import nacl.pwhash.argon2id as argon2id

from ..errors import WalletCorrupt, WalletUnsupported, WrongPassphrase
from ..encoding.jcs import canonicalize
from ..encoding.multibase import decode_u, encode_u

KDF_NAME = "argon2id"
CIPHER = "xchacha20poly1305"
SALT_BYTES = argon2id.SALTBYTES  # 16
NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES  # 24
KEY_BYTES = 32
PROFILE_ENV = "PASSPORT_KDF_PROFILE"

# name -> (opslimit, memlimit). "moderate" is the production default; see docs/guides/wallet.md for timings.
PROFILES: dict[str, tuple[int, int]] = {
    "moderate": (argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_MODERATE),  # 3, 256 MiB
    "interactive": (argon2id.OPSLIMIT_INTERACTIVE, argon2id.MEMLIMIT_INTERACTIVE),  # 2, 64 MiB
    "test": (argon2id.OPSLIMIT_MIN, argon2id.MEMLIMIT_MIN),  # 1, 8 KiB: tests only
}
DEFAULT_PROFILE = "moderate"
# What an opened file may ask for: never more than 1 GiB or 10 passes.
MAX_OPSLIMIT, MAX_MEMLIMIT = 10, 1024 * 1024 * 1024


@dataclass(frozen=True)
class KdfParams:
    opslimit: int
    memlimit: int
    salt: bytes

    def to_json(self) -> dict[str, Any]:
        return {"name": KDF_NAME, "opslimit": self.opslimit, "memlimit": self.memlimit, "salt": encode_u(self.salt)}

    @classmethod
    def from_json(cls, value: Any) -> "KdfParams":
        if not isinstance(value, Mapping) or set(value) != {"name", "opslimit", "memlimit", "salt"}:
            raise WalletCorrupt("the kdf header must be {name, opslimit, memlimit, salt}")
        if value["name"] != KDF_NAME:
            raise WalletUnsupported(f"key derivation {value['name']!r} is not supported (only argon2id)")
        ops, mem = value["opslimit"], value["memlimit"]
        if not (isinstance(ops, int) and isinstance(mem, int)) or isinstance(ops, bool) or isinstance(mem, bool):
            raise WalletCorrupt("kdf opslimit and memlimit must be integers")
        if not (argon2id.OPSLIMIT_MIN <= ops <= MAX_OPSLIMIT and argon2id.MEMLIMIT_MIN <= mem <= MAX_MEMLIMIT):
            raise WalletUnsupported(f"Argon2id parameters out of bounds (opslimit {ops}, memlimit {mem})")
        salt = decode_bytes(value["salt"], SALT_BYTES, "kdf salt")
        return cls(ops, mem, salt)


def profile_params(profile: str | None = None) -> tuple[int, int]:
    """(opslimit, memlimit) for new files: the strong default unless the test profile is set."""
    name = profile or os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE
    if name not in PROFILES:
        raise WalletUnsupported(f"{PROFILE_ENV}={name!r}: use one of {sorted(PROFILES)}")
    return PROFILES[name]


def new_params(profile: str | None = None) -> KdfParams:
    ops, mem = profile_params(profile)
    return KdfParams(ops, mem, os.urandom(SALT_BYTES))


@dataclass(frozen=True)
class SealKey:
    """The keys derived from one passphrase and salt: encryption key and key commitment."""

    params: KdfParams
    enc: bytes
    check: bytes

    @classmethod
    def derive(cls, secret: str | bytes, params: KdfParams) -> "SealKey":
        data = secret.encode("utf-8") if isinstance(secret, str) else secret
        root = argon2id.kdf(KEY_BYTES, data, params.salt, opslimit=params.opslimit, memlimit=params.memlimit)
        return cls.from_root(root, params)

    @classmethod
    def from_root(cls, root: bytes, params: KdfParams) -> "SealKey":
        return cls(params, _subkey(root, b"paspoort-enc"), _subkey(root, b"paspoort-check"))

    def verify_check(self, stored: Any) -> None:
        """Raise ``WrongPassphrase`` unless the header's key commitment matches."""
        if not hmac.compare_digest(decode_bytes(stored, KEY_BYTES, "keyCheck"), self.check):
            raise WrongPassphrase("wrong passphrase: the wallet could not be opened")


def _subkey(root: bytes, person: bytes) -> bytes:
    return sodium.crypto_generichash_blake2b_salt_personal(
        b"", digest_size=KEY_BYTES, key=root, person=person.ljust(16, b"\0")
    )


def seal(header: Mapping[str, Any], plaintext: bytes, key: bytes) -> tuple[str, str]:
    """Encrypt with a fresh random nonce; returns (nonce, ciphertext) as base64url strings."""
    nonce = os.urandom(NONCE_BYTES)
    aad = canonicalize(_aad_view(header, nonce))
    ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, nonce, key)
    return encode_u(nonce), encode_u(ciphertext)


def unseal(header: Mapping[str, Any], nonce_text: Any, ciphertext_text: Any, key: bytes, what: str) -> bytes:
    """Decrypt and authenticate; any change to header, nonce or ciphertext raises ``WalletCorrupt``."""
    nonce = decode_bytes(nonce_text, NONCE_BYTES, "nonce")
    ciphertext = decode_bytes(ciphertext_text, None, "ciphertext")
    aad = canonicalize(_aad_view(header, nonce))
    try:
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(ciphertext, aad, nonce, key)
    except nacl.exceptions.CryptoError:
        raise WalletCorrupt(f"the {what} is damaged or was tampered with (authentication failed)") from None


def _aad_view(header: Mapping[str, Any], nonce: bytes) -> dict[str, Any]:
    return {**header, "nonce": encode_u(nonce)}


def decode_bytes(value: Any, size: int | None, name: str) -> bytes:
    if not isinstance(value, str):
        raise WalletCorrupt(f"{name} must be a base64url multibase string")
    try:
        data = decode_u(value)
    except Exception:  # noqa: BLE001 - any decoding problem is damage
        raise WalletCorrupt(f"{name} is not valid base64url multibase") from None
    if size is not None and len(data) != size:
        raise WalletCorrupt(f"{name} must be {size} bytes, not {len(data)}")
    return data
