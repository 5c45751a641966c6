"""Ed25519 keys as Multikey documents, and their ``did:key`` identifiers.

``Ed25519Key`` holds a signing key (libsodium via PyNaCl). Its public half is published as a
Multikey (``publicKeyMultibase``) and as a ``did:key``; its file form is a Multikey JSON
document with ``secretKeyMultibase`` (``privateKeyMultibase`` is read too: the W3C vector file
uses that name), written atomically with mode 0600.
"""
from __future__ import annotations

import os
import tempfile
from typing import Any

import nacl.bindings
import nacl.exceptions
import nacl.signing

from ..encoding import jsonio
from ..errors import KeyInvalid, SignatureInvalid
from ..encoding.multibase import ED25519_PRIV, ED25519_PUB, decode_multikey, encode_z

MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"


class Ed25519Key:
    """An Ed25519 signing key with its Multikey and ``did:key`` names."""

    def __init__(self, seed: bytes) -> None:
        if not isinstance(seed, bytes) or len(seed) != 32:
            raise KeyInvalid("an Ed25519 seed is exactly 32 bytes")
        self._signing = nacl.signing.SigningKey(seed)
        self.public_key = bytes(self._signing.verify_key)
        self.public_key_multibase = encode_z(ED25519_PUB + self.public_key)
        self.did = "did:key:" + self.public_key_multibase
        self.verification_method = f"{self.did}#{self.public_key_multibase}"

    @classmethod
    def generate(cls) -> "Ed25519Key":
        return cls(os.urandom(32))

    @classmethod
    def from_multikey(cls, document: Any) -> "Ed25519Key":
        """Load from a Multikey JSON object holding the secret key."""
        if not isinstance(document, dict):
            raise KeyInvalid("a key file is a JSON object with publicKeyMultibase and secretKeyMultibase")
        secret = document.get("secretKeyMultibase", document.get("privateKeyMultibase"))
        if secret is None:
            raise KeyInvalid("the key file has no secretKeyMultibase: it holds no signing key")
        key = cls(decode_multikey(secret, ED25519_PRIV, "secretKeyMultibase"))
        public = document.get("publicKeyMultibase")
        if public is not None and public != key.public_key_multibase:
            raise KeyInvalid("publicKeyMultibase does not belong to the secret key in the same file")
        return key

    @classmethod
    def load(cls, path: str) -> "Ed25519Key":
        return cls.from_multikey(jsonio.load_file(path, max_bytes=64 * 1024))

    def to_multikey(self, *, include_secret: bool = True) -> dict[str, Any]:
        document: dict[str, Any] = {
            "@context": MULTIKEY_CONTEXT,
            "type": "Multikey",
            "id": self.verification_method,
            "controller": self.did,
            "publicKeyMultibase": self.public_key_multibase,
        }
        if include_secret:
            document["secretKeyMultibase"] = encode_z(ED25519_PRIV + bytes(self._signing))
        return document

    def save(self, path: str) -> None:
        """Write the Multikey file atomically with mode 0600; never overwrite an existing file."""
        write_private_file(path, jsonio.dumps_pretty(self.to_multikey()).encode("utf-8"), overwrite=False)

    def sign(self, message: bytes) -> bytes:
        return self._signing.sign(message).signature

    def __repr__(self) -> str:  # never show the secret
        return f"Ed25519Key({self.did})"


def verify_signature(public_key: bytes, message: bytes, signature: bytes) -> None:
    """Raw Ed25519 verification; raises ``SignatureInvalid``."""
    if len(signature) != 64:
        raise SignatureInvalid(f"an Ed25519 signature is 64 bytes, this one is {len(signature)}")
    if len(public_key) != 32:
        raise SignatureInvalid(f"an Ed25519 public key is 32 bytes, this one is {len(public_key)}")
    try:  # libsodium's crypto_sign_open, as nacl.signing.VerifyKey.verify calls it, without the wrapper objects
        nacl.bindings.crypto_sign_open(signature + message, public_key)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError) as exc:
        raise SignatureInvalid("the signature does not match the document and key") from exc


def write_private_file(path: str, data: bytes, *, overwrite: bool) -> None:
    """Write bytes atomically (temp file in the same folder, fsync, rename) with mode 0600."""
    folder = os.path.dirname(os.path.abspath(path))
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists; refusing to overwrite it")
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if overwrite:
            os.replace(temp, path)
        else:
            os.link(temp, path)  # fails if path appeared meanwhile
            os.unlink(temp)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
