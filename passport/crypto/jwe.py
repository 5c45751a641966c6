"""Compact JWE (RFC 7516) with ECDH-ES on P-256 and AES-GCM: OpenID4VP's encrypted responses.

A verifier that asks for ``direct_post.jwt`` puts an ephemeral P-256 public key (a JWK with
``alg: ECDH-ES`` and a ``kid``) in its request; the wallet encrypts the response to it. Only
``alg: ECDH-ES`` (direct key agreement, RFC 7518 section 4.6) and ``enc`` ``A128GCM`` or
``A256GCM`` are accepted: allowlists, never read from the token. The content key is Concat KDF
(SHA-256) over the shared secret with ``AlgorithmID`` = ``enc`` and the ``apu``/``apv`` of the
header. ``encrypt_jwe`` writes; ``decrypt_jwe`` returns ``(header, plaintext)`` or raises
``JWEInvalid`` (one opaque reason for a failed tag: a wrong key and a forged token look alike).

P-256 and AES-GCM come from ``cryptography`` (PyNaCl has neither).
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..encoding import jsonio
from ..errors import PassportError
from ..protocol_errors import JWEInvalid
from .jws import b64url_decode, b64url_encode

ALGORITHM = "ECDH-ES"
ENCRYPTIONS = {"A128GCM": 16, "A256GCM": 32}  # enc -> key length in bytes
MAX_TOKEN_BYTES = 4 * 1024 * 1024
_COORDINATE = 32


class EphemeralKey:
    """A P-256 key pair for one request: the public JWK goes out, the private JWK is stored."""

    def __init__(self, private: ec.EllipticCurvePrivateKey, kid: str) -> None:
        self.private, self.kid = private, kid

    @classmethod
    def generate(cls, kid: str) -> "EphemeralKey":
        return cls(ec.generate_private_key(ec.SECP256R1()), kid)

    @classmethod
    def from_jwk(cls, jwk: dict[str, Any]) -> "EphemeralKey":
        if not isinstance(jwk, dict) or "d" not in jwk:
            raise JWEInvalid("the stored decryption key is not a private P-256 JWK")
        public = _public_key(jwk)
        d = int.from_bytes(b64url_decode(jwk["d"], "jwk d"), "big")
        private = ec.derive_private_key(d, ec.SECP256R1())
        if private.public_key().public_numbers() != public.public_numbers():
            raise JWEInvalid("the stored decryption key does not match its public part")
        return cls(private, str(jwk.get("kid", "")))

    def public_jwk(self) -> dict[str, str]:
        numbers = self.private.public_key().public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": _coord(numbers.x), "y": _coord(numbers.y),
                "use": "enc", "alg": ALGORITHM, "kid": self.kid}

    def private_jwk(self) -> dict[str, str]:
        return {**self.public_jwk(), "d": _coord(self.private.private_numbers().private_value)}


def _coord(value: int) -> str:
    return b64url_encode(value.to_bytes(_COORDINATE, "big"))


def _public_key(jwk: Any) -> ec.EllipticCurvePublicKey:
    """A P-256 public key from a JWK; anything else (another curve, a point off the curve) refused."""
    if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise JWEInvalid("the key is not an EC P-256 JWK")
    x, y = b64url_decode(jwk.get("x", ""), "jwk x"), b64url_decode(jwk.get("y", ""), "jwk y")
    if len(x) != _COORDINATE or len(y) != _COORDINATE:
        raise JWEInvalid("a P-256 JWK has 32-byte x and y")
    try:
        return ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"),
                                             ec.SECP256R1()).public_key()
    except ValueError:
        raise JWEInvalid("the JWK's point is not on P-256") from None


def _concat_kdf(secret: bytes, enc: str, apu: bytes, apv: bytes) -> bytes:
    """RFC 7518 section 4.6.2: one SHA-256 round is enough for 128 and 256-bit keys."""
    length = ENCRYPTIONS[enc]

    def field(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    info = field(enc.encode("ascii")) + field(apu) + field(apv) + struct.pack(">I", length * 8)
    return hashlib.sha256(struct.pack(">I", 1) + secret + info).digest()[:length]


def encrypt_jwe(plaintext: bytes, recipient: dict[str, Any], *, enc: str = "A128GCM",
                extra_header: dict[str, Any] | None = None) -> str:
    """A compact JWE of ``plaintext`` to ``recipient`` (a public P-256 JWK); its ``kid`` is copied."""
    if enc not in ENCRYPTIONS:
        raise JWEInvalid(f"enc {enc!r} is not supported; only {', '.join(ENCRYPTIONS)}")
    if recipient.get("alg", ALGORITHM) != ALGORITHM:
        raise JWEInvalid(f"the recipient key is for alg {recipient.get('alg')!r}, not {ALGORITHM}")
    peer = _public_key(recipient)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    numbers = ephemeral.public_key().public_numbers()
    header: dict[str, Any] = {"alg": ALGORITHM, "enc": enc,
                              "epk": {"kty": "EC", "crv": "P-256", "x": _coord(numbers.x), "y": _coord(numbers.y)}}
    if recipient.get("kid") is not None:
        header["kid"] = recipient["kid"]
    header.update(extra_header or {})
    key = _concat_kdf(ephemeral.exchange(ec.ECDH(), peer), enc, b"", b"")
    protected = b64url_encode(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    iv = os.urandom(12)
    sealed = AESGCM(key).encrypt(iv, plaintext, protected.encode("ascii"))
    return ".".join([protected, "", b64url_encode(iv), b64url_encode(sealed[:-16]), b64url_encode(sealed[-16:])])


def read_jwe_header(token: str) -> dict[str, Any]:
    """The protected header, unverified (to find the key by ``kid``), shape checked."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
        raise JWEInvalid("a compact JWE is a string of at most 4 MiB")
    parts = token.split(".")
    if len(parts) != 5:
        raise JWEInvalid(f"a compact JWE has five parts separated by '.', not {len(parts)}")
    try:
        header = jsonio.loads(b64url_decode(parts[0], "JWE header"), max_bytes=16 * 1024)
    except PassportError as exc:
        raise JWEInvalid(f"the JWE header is not readable: {exc.message}") from None
    if not isinstance(header, dict):
        raise JWEInvalid("the JWE header is not a JSON object")
    return header


def decrypt_jwe(token: str, key: EphemeralKey) -> tuple[dict[str, Any], bytes]:
    """Check and open a compact JWE made for ``key``; raise ``JWEInvalid`` otherwise."""
    header = read_jwe_header(token)
    protected, encrypted_key, iv, ciphertext, tag = token.split(".")
    if header.get("alg") != ALGORITHM:
        raise JWEInvalid(f"alg {str(header.get('alg'))[:40]!r} is not accepted; only {ALGORITHM} is")
    enc = header.get("enc")
    if enc not in ENCRYPTIONS:
        raise JWEInvalid(f"enc {str(enc)[:40]!r} is not accepted; only {', '.join(ENCRYPTIONS)}")
    if "crit" in header or "zip" in header:
        raise JWEInvalid("no critical header extension or compression is understood")
    if header.get("kid") is not None and header.get("kid") != key.kid:
        raise JWEInvalid("the response is encrypted to another key (kid)")
    if encrypted_key:
        raise JWEInvalid("ECDH-ES (direct) has an empty encrypted key part")
    epk = _public_key(header.get("epk"))
    apu = b64url_decode(header["apu"], "apu") if "apu" in header else b""
    apv = b64url_decode(header["apv"], "apv") if "apv" in header else b""
    content_key = _concat_kdf(key.private.exchange(ec.ECDH(), epk), enc, apu, apv)
    nonce = b64url_decode(iv, "JWE iv")
    if len(nonce) != 12:
        raise JWEInvalid("the JWE iv is not 96 bits")
    try:
        plaintext = AESGCM(content_key).decrypt(nonce, b64url_decode(ciphertext, "JWE ciphertext")
                                                + b64url_decode(tag, "JWE tag"), protected.encode("ascii"))
    except (InvalidTag, ValueError):
        raise JWEInvalid("the response cannot be decrypted with this request's key") from None
    return header, plaintext
