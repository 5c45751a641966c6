"""Resolving verification methods to public keys: ``did:key`` locally, others by callback.

A resolver is any callable ``resolve(verification_method_id) -> bytes`` that returns a 32-byte
Ed25519 public key or raises a ``PassportError``. The default resolves ``did:key`` only, with no
network; a service that accepts ``did:web`` supplies its own resolver (bounded fetches live in
the services, never here).
"""
from __future__ import annotations

import functools
from typing import Callable

from ..errors import DIDInvalid, DIDUnsupported, KeyInvalid
from ..encoding.multibase import ED25519_PUB, decode_multikey, encode_z

Resolver = Callable[[str], bytes]


def did_key_from_public_key(public_key: bytes) -> str:
    return "did:key:" + encode_z(ED25519_PUB + public_key)


def controller_of(verification_method: str) -> str:
    """The DID that controls a verification method: the part before ``#``."""
    return verification_method.split("#", 1)[0]


@functools.lru_cache(maxsize=4096)
def _resolve_did_key_cached(verification_method: str) -> bytes:
    return _resolve_did_key(verification_method)


def resolve_did_key(verification_method: str) -> bytes:
    """Resolve ``did:key:z6Mk...#z6Mk...`` (or the bare DID) to its Ed25519 public key (cached)."""
    if not isinstance(verification_method, str) or len(verification_method) > 200:
        raise DIDInvalid(f"{str(verification_method)[:80]!r} is not a did:key verification method")
    return _resolve_did_key_cached(verification_method)


def _resolve_did_key(verification_method: str) -> bytes:
    """Resolve ``did:key:z6Mk...#z6Mk...`` (or the bare DID) to its Ed25519 public key."""
    if not isinstance(verification_method, str) or not verification_method.startswith("did:"):
        raise DIDInvalid(f"{verification_method!r} is not a DID URL")
    if not verification_method.startswith("did:key:"):
        method = verification_method.split(":")[1]
        raise DIDUnsupported(f"did:{method} cannot be resolved offline; only did:key is resolved locally")
    did, _, fragment = verification_method.partition("#")
    multibase_value = did[len("did:key:"):]
    if fragment and fragment != multibase_value:
        raise DIDInvalid("a did:key verification method's fragment must repeat the key")
    try:
        return decode_multikey(multibase_value, ED25519_PUB, "the did:key")
    except KeyInvalid as exc:
        raise DIDInvalid(f"{did} is not an Ed25519 did:key: {exc.message}") from exc


def resolve_local(verification_method: str, extra: Resolver | None = None) -> bytes:
    """``did:key`` locally; any other method through ``extra`` when the caller gives one."""
    if isinstance(verification_method, str) and verification_method.startswith("did:key:"):
        return resolve_did_key(verification_method)
    if extra is None:
        return resolve_did_key(verification_method)  # raises the right error
    return extra(verification_method)
