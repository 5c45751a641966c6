"""Compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037): what OpenID4VCI and OpenID4VP need.

Key proofs (``openid4vci-proof+jwt``) and signed request objects (``oauth-authz-req+jwt``) are
compact JWS. Only ``alg: EdDSA`` is accepted (an allowlist, never read from the token: ``none``,
``HS256`` and every other value are refused before any key is looked at); ``typ`` is checked
against what the caller expects; the key comes from the caller's resolver (``did:key`` by
default), never from a ``jwk`` or ``x5u`` the token carries unless the caller allows ``jwk``.
``sign_jws`` writes, ``verify_jws`` returns ``(header, claims)`` or raises ``JWSInvalid``.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, Callable

from ..encoding import jsonio
from ..errors import JWSInvalid, PassportError
from .did import resolve_did_key
from .keys import Ed25519Key, verify_signature

ALGORITHMS = frozenset({"EdDSA"})
MAX_TOKEN_BYTES = 64 * 1024
KeyResolver = Callable[[str], bytes]
_B64URL = re.compile(r"[A-Za-z0-9_-]+")


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, what: str) -> bytes:
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise JWSInvalid(f"the {what} is not base64url without padding")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JWSInvalid(f"the {what} is not base64url: {exc}") from None


def _json_part(text: str, what: str) -> dict[str, Any]:
    try:
        value = jsonio.loads(b64url_decode(text, what), max_bytes=MAX_TOKEN_BYTES)
    except JWSInvalid:
        raise
    except PassportError as exc:
        raise JWSInvalid(f"the {what} is not a JSON object: {exc.message}") from None
    if not isinstance(value, dict):
        raise JWSInvalid(f"the {what} is not a JSON object")
    return value


def sign_jws(claims: dict[str, Any], key: Ed25519Key, *, typ: str, kid: str | None = None,
             extra_header: dict[str, Any] | None = None) -> str:
    """A compact JWS over ``claims`` with ``alg: EdDSA``; ``kid`` defaults to the key's did:key method."""
    header: dict[str, Any] = {"alg": "EdDSA", "typ": typ, "kid": kid or key.verification_method}
    header.update(extra_header or {})
    signing_input = (b64url_encode(json.dumps(header, separators=(",", ":")).encode())
                     + "." + b64url_encode(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()))
    return signing_input + "." + b64url_encode(key.sign(signing_input.encode("ascii")))


def read_header(token: str) -> dict[str, Any]:
    """The protected header of a compact JWS, unverified (to choose the key), shape checked."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
        raise JWSInvalid("a compact JWS is a string of at most 64 KiB")
    parts = token.split(".")
    if len(parts) != 3:
        raise JWSInvalid(f"a compact JWS has three parts separated by '.', not {len(parts)}")
    return _json_part(parts[0], "JWS header")


def verify_jws(token: str, *, typ: str, resolve: KeyResolver = resolve_did_key,
               allow_jwk: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a compact EdDSA JWS and return ``(header, claims)``; raise ``JWSInvalid`` otherwise.

    The key is ``resolve(header["kid"])``; with ``allow_jwk`` an Ed25519 ``jwk`` in the header
    is used when there is no ``kid`` (the caller then binds that key to something itself).
    """
    header = read_header(token)
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise JWSInvalid(f"alg {alg!r} is not accepted; only EdDSA is", alg=str(alg)[:40])
    if header.get("typ") != typ:
        raise JWSInvalid(f"typ must be {typ!r}, not {str(header.get('typ'))[:60]!r}")
    if "crit" in header:
        raise JWSInvalid("no critical header extension is understood")
    kid, jwk = header.get("kid"), header.get("jwk")
    if kid is not None and jwk is not None:
        raise JWSInvalid("the header names its key twice (kid and jwk)")
    if isinstance(kid, str):
        try:
            public_key = resolve(kid)
        except PassportError as exc:
            raise JWSInvalid(f"the key {kid[:80]!r} cannot be used: {exc.message}") from None
    elif allow_jwk and isinstance(jwk, dict):
        public_key = public_key_from_jwk(jwk)
    else:
        raise JWSInvalid("the header names no key (kid)" + (" or jwk" if allow_jwk else ""))
    head, payload, signature = token.split(".")
    try:
        verify_signature(public_key, f"{head}.{payload}".encode("ascii"), b64url_decode(signature, "JWS signature"))
    except PassportError:
        raise JWSInvalid("the JWS signature does not verify") from None
    return header, _json_part(payload, "JWS payload")


def public_key_from_jwk(jwk: dict[str, Any]) -> bytes:
    """The raw Ed25519 public key of an OKP JWK (RFC 8037); private members are refused."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise JWSInvalid("the jwk is not an Ed25519 OKP key")
    if "d" in jwk:
        raise JWSInvalid("the jwk holds a private key")
    x = b64url_decode(jwk.get("x", ""), "jwk x")
    if len(x) != 32:
        raise JWSInvalid("an Ed25519 jwk's x is 32 bytes")
    return x


def jwk_of(key: Ed25519Key) -> dict[str, str]:
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(key.public_key)}
