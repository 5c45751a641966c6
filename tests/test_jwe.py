"""Compact JWE, ECDH-ES on P-256 with AES-GCM (passport.crypto.jwe): round trip, and every way a
token is refused. (The decryption was also checked by hand against the encrypted response example
of OpenID4VP 1.0 section 8.3; that example is not copied here.)"""
from __future__ import annotations

import json

import pytest

from passport.crypto.jwe import EphemeralKey, decrypt_jwe, encrypt_jwe, read_jwe_header
from passport.crypto.jws import b64url_decode, b64url_encode
from passport.protocol_errors import JWEInvalid

KEY = EphemeralKey.generate(kid="request-1")
PAYLOAD = json.dumps({"vp_token": {"q": [{"type": ["VerifiablePresentation"]}]}, "state": "request-1"}).encode()


@pytest.mark.parametrize("enc", ["A128GCM", "A256GCM"])
def test_round_trip(enc):
    token = encrypt_jwe(PAYLOAD, KEY.public_jwk(), enc=enc)
    header, plaintext = decrypt_jwe(token, KEY)
    assert plaintext == PAYLOAD
    assert header["alg"] == "ECDH-ES" and header["enc"] == enc and header["kid"] == "request-1"
    assert token.split(".")[1] == ""  # direct key agreement: no encrypted key


def test_the_private_key_survives_storage_as_a_jwk():
    stored = json.loads(json.dumps(KEY.private_jwk()))
    assert "d" not in KEY.public_jwk() and stored["d"]
    assert decrypt_jwe(encrypt_jwe(PAYLOAD, KEY.public_jwk()), EphemeralKey.from_jwk(stored))[1] == PAYLOAD


def test_encrypted_to_another_key_is_refused():
    other = EphemeralKey.generate(kid="request-1")  # same kid, another key
    with pytest.raises(JWEInvalid, match="cannot be decrypted"):
        decrypt_jwe(encrypt_jwe(PAYLOAD, other.public_jwk()), KEY)
    with pytest.raises(JWEInvalid, match="another key"):
        decrypt_jwe(encrypt_jwe(PAYLOAD, EphemeralKey.generate(kid="request-2").public_jwk()), KEY)


def _with_header(token: str, **changes) -> str:
    parts = token.split(".")
    header = {**json.loads(b64url_decode(parts[0], "h")), **changes}
    parts[0] = b64url_encode(json.dumps(header).encode())
    return ".".join(parts)


@pytest.mark.parametrize("changes, message", [
    ({"alg": "RSA-OAEP"}, "alg"), ({"alg": "dir"}, "alg"), ({"enc": "A128CBC-HS256"}, "enc"),
    ({"zip": "DEF"}, "compression"), ({"crit": ["x"]}, "critical"),
    ({"epk": {"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}}, "P-256"),
    ({"epk": {"kty": "EC", "crv": "P-256", "x": b64url_encode(b"\x01" * 32), "y": b64url_encode(b"\x02" * 32)}},
     "not on P-256"),
])
def test_headers_outside_the_allowlists_are_refused(changes, message):
    with pytest.raises(JWEInvalid, match=message):
        decrypt_jwe(_with_header(encrypt_jwe(PAYLOAD, KEY.public_jwk()), **changes), KEY)


def test_a_changed_header_or_ciphertext_fails_the_tag():
    token = encrypt_jwe(PAYLOAD, KEY.public_jwk())
    with pytest.raises(JWEInvalid, match="cannot be decrypted"):
        decrypt_jwe(_with_header(token, apu=b64url_encode(b"other")), KEY)  # the header is the AAD
    parts = token.split(".")
    flipped = bytearray(b64url_decode(parts[3], "c"))
    flipped[0] ^= 1
    parts[3] = b64url_encode(bytes(flipped))
    with pytest.raises(JWEInvalid, match="cannot be decrypted"):
        decrypt_jwe(".".join(parts), KEY)


@pytest.mark.parametrize("token", ["", "a.b.c", "a.b.c.d.e.f", "!!!.x.y.z.w", "x" * (4 * 1024 * 1024 + 1)])
def test_malformed_tokens_are_refused(token):
    with pytest.raises(JWEInvalid):
        read_jwe_header(token)


def test_a_recipient_key_for_another_algorithm_is_refused():
    with pytest.raises(JWEInvalid):
        encrypt_jwe(PAYLOAD, {**KEY.public_jwk(), "alg": "RSA-OAEP"})
    with pytest.raises(JWEInvalid):
        encrypt_jwe(PAYLOAD, KEY.public_jwk(), enc="A192GCM")
