"""``c_nonce`` values the issuer can check without storing them until they are used.

A nonce is base64url of: its expiry (8 bytes, seconds since 1970), 16 random bytes, and the
first 16 bytes of HMAC-SHA256 over those under a key only this issuer has (the SHA-256 of its
signing key's deterministic Ed25519 signature over a fixed label: every instance with the key
file derives the same key, and a new key invalidates the outstanding nonces, which live minutes).

The nonce endpoint then writes nothing. Single use is enforced when a proof uses one: its hash
goes into ``oid4vci_nonces`` in the issuing transaction (the primary key refuses a second use),
and rows past their expiry are deleted there.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import struct
from datetime import datetime, timezone
from functools import lru_cache

from passport.crypto.jws import b64url_decode, b64url_encode
from passport.crypto.keys import Ed25519Key
from passport.errors import PassportError

from .errors import OAuthError

LABEL = b"paspoort oid4vci c_nonce mac key v1"
MAC_BYTES = 16
NONCE_BYTES = 8 + 16 + MAC_BYTES


class Nonces:
    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def for_key(cls, signing_key: Ed25519Key) -> "Nonces":
        return _nonces_for(signing_key.public_key, signing_key)

    def make(self, expires: datetime) -> str:
        body = struct.pack(">Q", int(expires.timestamp())) + secrets.token_bytes(16)
        return b64url_encode(body + self._mac(body))

    def check(self, nonce: str, now: datetime) -> datetime:
        """The nonce's expiry when it is one of ours and current; ``invalid_nonce`` otherwise."""
        try:
            raw = b64url_decode(nonce, "c_nonce")
        except PassportError:
            raw = b""
        if len(raw) != NONCE_BYTES or not hmac.compare_digest(raw[-MAC_BYTES:], self._mac(raw[:-MAC_BYTES])):
            raise OAuthError("invalid_nonce", "the proof's c_nonce was not made here; get one from the nonce endpoint")
        expires = datetime.fromtimestamp(struct.unpack(">Q", raw[:8])[0], tz=timezone.utc)
        if expires <= now:
            raise OAuthError("invalid_nonce", "the proof's c_nonce has expired; get a new one from the nonce endpoint")
        return expires

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:MAC_BYTES]


@lru_cache(maxsize=8)
def _nonces_for(_public_key: bytes, signing_key: Ed25519Key) -> Nonces:
    return Nonces(hashlib.sha256(signing_key.sign(LABEL)).digest())
