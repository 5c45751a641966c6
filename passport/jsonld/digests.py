"""Digests of the JSON-LD contexts we hold, for a credential's ``relatedResource`` (VCDM 2.0 5.3).

A ``relatedResource`` names a resource by URL and gives its digest: ``digestSRI`` (Subresource
Integrity: ``sha256-``, ``sha384-`` or ``sha512-`` and the base64 digest) and/or
``digestMultibase`` (multibase ``u`` base64url-nopad or ``z`` base58btc of the digest, either
bare or as a multihash: ``0x12 0x20`` SHA-256, ``0x20 0x30`` SHA-384, ``0x13 0x40`` SHA-512).

Nothing is ever fetched, so only resources this program holds can be checked: the shipped
contexts and the extra context files a loader was given (``DocumentLoader.held_bytes``). A
digest is computed over the file's bytes. Two shipped files (VC v1 and v2) hold the W3C's JSON
with other white space; for those a digest of the file the W3C publishes at the URL is accepted
too (``PUBLISHED``; the VC data model gives their SHA-256).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from typing import NamedTuple

from ..encoding.multibase import b58decode
from .loader import DEFAULT_LOADER, VC_V1, VC_V2, DocumentLoader

ALGORITHMS = ("sha256", "sha384", "sha512")
_MULTIHASH = {b"\x12\x20": "sha256", b"\x20\x30": "sha384", b"\x13\x40": "sha512"}
_LENGTHS = {32: "sha256", 48: "sha384", 64: "sha512"}

# Hex digests of the files the W3C publishes at these URLs (checked against the published vectors).
PUBLISHED: dict[str, dict[str, str]] = {
    VC_V2: {
        "sha256": "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
        "sha384": "97f1eb8e5042356c805fdd61afa2c557663785e0794dcafa21e138fd38def18cb360133c221aa31d6896a6bf3e65b614",
        "sha512": "5d55452bd2dcf8a29f5a290473eb242b1c5fb77d4e68f1a0aa87baa4dba2694852d65ec63d48ac04a99d956f9f7153b9"
                  "406f84d2d04c74869b02c239a1d81305",
    },
    VC_V1: {
        "sha256": "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc",
        "sha384": "82c3b3eab863754bbfd2b9f17d8d6db9f61169f301cbf0b05e1fc4beb5f5c51dd4d2e888c274f49c3fbb2408f61faed1",
        "sha512": "536a40b390dda94a9e39196c00090f62668e8184fe3c8c02c4a22c85666e68bf6e85d3dc7f2dba85b2b62ef95d97de24"
                  "132568d8504db43f2c9c82d2e88418d2",
    },
}


class Digest(NamedTuple):
    algorithm: str  # one of ALGORITHMS
    value: bytes


def parse_sri(text: str) -> Digest:
    """``sha384-<base64>`` as a ``Digest``; ``ValueError`` when it is not one of ours."""
    algorithm, _, encoded = text.partition("-")
    if algorithm not in ALGORITHMS or not encoded:
        raise ValueError(f"not a Subresource Integrity value with {', '.join(ALGORITHMS)}")
    encoded = encoded.replace("-", "+").replace("_", "/").rstrip("=")  # base64url letters read as base64
    try:
        value = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the SRI digest is not base64") from None
    if len(value) != hashlib.new(algorithm).digest_size:
        raise ValueError(f"an {algorithm} digest has {hashlib.new(algorithm).digest_size} bytes, got {len(value)}")
    return Digest(algorithm, value)


def parse_multibase(text: str) -> Digest:
    """A ``digestMultibase`` value (bare digest or multihash) as a ``Digest``; ``ValueError`` otherwise."""
    try:
        if text.startswith("u"):
            body = text[1:]
            value = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        elif text.startswith("z"):
            value = b58decode(text[1:])
        else:
            raise ValueError("a multibase value starts with u (base64url) or z (base58btc)")
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not a multibase value: {exc}") from None
    algorithm = _MULTIHASH.get(value[:2])
    if algorithm and len(value) == 2 + hashlib.new(algorithm).digest_size:
        return Digest(algorithm, value[2:])
    if len(value) in _LENGTHS:
        return Digest(_LENGTHS[len(value)], value)
    raise ValueError(f"{len(value)} bytes is neither a SHA-256/384/512 digest nor its multihash")


def held(url: str, loader: DocumentLoader | None = None) -> bool:
    """Whether the resource at ``url`` is one we hold (so its digest can be checked)."""
    return (loader or DEFAULT_LOADER).held_bytes(url) is not None


def matches(url: str, digest: Digest, loader: DocumentLoader | None = None) -> bool:
    """Whether ``digest`` is the digest of the resource we hold for ``url`` (``held`` must be true)."""
    data = (loader or DEFAULT_LOADER).held_bytes(url)
    if data is None:
        raise ValueError(f"{url} is not a resource this program holds")
    accepted = {hashlib.new(digest.algorithm, data).digest()}
    if url in PUBLISHED:
        accepted.add(bytes.fromhex(PUBLISHED[url][digest.algorithm]))
    return digest.value in accepted
