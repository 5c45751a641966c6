"""Compact EdDSA JWS (passport.crypto.jws): round trip, and every way a token is refused."""
from __future__ import annotations

import json

import pytest

from passport.crypto.jws import b64url_encode, jwk_of, read_header, sign_jws, verify_jws
from passport.crypto.keys import Ed25519Key
from passport.errors import JWSInvalid

KEY = Ed25519Key(b"\x01" * 32)
OTHER = Ed25519Key(b"\x02" * 32)
TYP = "openid4vci-proof+jwt"


def _token(header: dict, claims: dict, key: Ed25519Key = KEY) -> str:
    signing_input = b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(json.dumps(claims).encode())
    return signing_input + "." + b64url_encode(key.sign(signing_input.encode()))


def test_round_trip_with_did_key_kid():
    token = sign_jws({"aud": "https://issuer.example", "nonce": "n1"}, KEY, typ=TYP)
    header, claims = verify_jws(token, typ=TYP)
    assert header["kid"] == KEY.verification_method and header["alg"] == "EdDSA"
    assert claims == {"aud": "https://issuer.example", "nonce": "n1"}


def test_jwk_only_when_allowed():
    token = _token({"alg": "EdDSA", "typ": TYP, "jwk": jwk_of(KEY)}, {"a": 1})
    assert verify_jws(token, typ=TYP, allow_jwk=True)[1] == {"a": 1}
    with pytest.raises(JWSInvalid, match="names no key"):
        verify_jws(token, typ=TYP)


@pytest.mark.parametrize("alg", ["none", "HS256", "ES256", "RS256", None, "eddsa"])
def test_algorithms_outside_the_allowlist_are_refused(alg):
    header = {"typ": TYP, "kid": KEY.verification_method}
    if alg is not None:
        header["alg"] = alg
    token = _token(header, {"a": 1})
    with pytest.raises(JWSInvalid, match="only EdDSA"):
        verify_jws(token, typ=TYP)


def test_alg_none_with_empty_signature_is_refused():
    head = b64url_encode(json.dumps({"alg": "none", "typ": TYP}).encode())
    with pytest.raises(JWSInvalid):
        verify_jws(head + "." + b64url_encode(b"{}") + ".", typ=TYP)


def test_wrong_typ_signature_key_and_shape():
    with pytest.raises(JWSInvalid, match="typ must be"):
        verify_jws(sign_jws({}, KEY, typ="JWT"), typ=TYP)
    forged = _token({"alg": "EdDSA", "typ": TYP, "kid": KEY.verification_method}, {"a": 1}, key=OTHER)
    with pytest.raises(JWSInvalid, match="does not verify"):
        verify_jws(forged, typ=TYP)
    with pytest.raises(JWSInvalid, match="cannot be used"):
        verify_jws(sign_jws({}, KEY, typ=TYP, kid="did:web:example.com#k1"), typ=TYP)
    with pytest.raises(JWSInvalid, match="three parts"):
        verify_jws("a.b", typ=TYP)
    with pytest.raises(JWSInvalid, match="base64url"):
        read_header("!!.e30.e30")
    with pytest.raises(JWSInvalid, match="critical"):
        verify_jws(sign_jws({}, KEY, typ=TYP, extra_header={"crit": ["b64"], "b64": False}), typ=TYP)


def test_tampered_payload_and_private_jwk_are_refused():
    token = sign_jws({"nonce": "a"}, KEY, typ=TYP)
    head, _, sig = token.split(".")
    with pytest.raises(JWSInvalid, match="does not verify"):
        verify_jws(head + "." + b64url_encode(b'{"nonce":"b"}') + "." + sig, typ=TYP)
    private = dict(jwk_of(KEY), d=b64url_encode(b"\x01" * 32))
    with pytest.raises(JWSInvalid, match="private"):
        verify_jws(_token({"alg": "EdDSA", "typ": TYP, "jwk": private}, {}), typ=TYP, allow_jwk=True)
