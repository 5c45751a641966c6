"""Named attacks on the OpenID4VCI endpoints: each gets its protocol error and changes nothing.

"Nothing" is checked on the tables: no credential, no status index, no audit entry, and the
offer, token and nonce rows as they were (a wrong transaction code alone counts a try).
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from issuer_helpers import bearer
from issuer_service.models import AuditEntry, IssuedCredential, StatusAllocation
from issuer_service.oid4vci.models import AccessToken, Nonce, Offer
from oid4vci_helpers import (
    AUDIENCE, WALLET_KEY, code_of, credential_request, di_vp_proof, fetch_offer, jwt_proof, make_offer, nonce,
    offered_body, redeemed, token_request,
)
from passport.crypto.jws import b64url_encode, sign_jws
from passport.crypto.keys import Ed25519Key
from passport.roles.oid4vci_proofs import PROOF_TYP

START = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def clock(app):
    """The service's clock, moved by tests (``clock.now += timedelta(...)``)."""
    class Clock:
        now = START
    app.config["CLOCK"] = lambda: Clock.now
    return Clock


def tables(app) -> dict:
    with app.extensions["paspoort_issuer_db"].reading() as session:
        count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
        return {"credentials": count(IssuedCredential), "indexes": count(StatusAllocation),
                "audit": count(AuditEntry), "tokens": count(AccessToken), "nonces": count(Nonce),
                "offers": sorted(session.execute(select(Offer.id, Offer.state, Offer.tx_tries)).all())}


def refused(response, error: str, status: int = 400) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.get_json()["error"] == error, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"


def jws_parts(header: dict, claims: dict) -> str:
    encode = lambda value: b64url_encode(json.dumps(value).encode())  # noqa: E731
    return f"{encode(header)}.{encode(claims)}"


# --- token endpoint ------------------------------------------------------------------------
def test_replayed_pre_authorized_code(client, app, tokens):
    created = make_offer(client, tokens["admin"])
    code = code_of(fetch_offer(client, created))
    assert token_request(client, code, created["tx_code"]).status_code == 200
    before = tables(app)
    refused(token_request(client, code, created["tx_code"]), "invalid_grant")
    assert tables(app) == before


def test_wrong_transaction_code_counts_a_try(client, app, tokens):
    created = make_offer(client, tokens["admin"])
    code = code_of(fetch_offer(client, created))
    wrong = f"{(int(created['tx_code']) + 1) % 1_000_000:06d}"
    response = token_request(client, code, wrong)
    refused(response, "invalid_grant")
    assert "4 tries left" in response.get_json()["error_description"]
    assert tables(app)["offers"][0][1:] == ("offered", 1) and tables(app)["tokens"] == 0
    refused(token_request(client, code, None), "invalid_request")  # no code at all: not a try
    assert tables(app)["offers"][0][1:] == ("offered", 1)
    assert token_request(client, code, created["tx_code"]).status_code == 200


def test_brute_forced_transaction_code_kills_the_offer_after_five_tries(client, app, tokens):
    created = make_offer(client, tokens["admin"])
    code = code_of(fetch_offer(client, created))
    guesses = [f"{n:06d}" for n in range(20) if f"{n:06d}" != created["tx_code"]][:5]
    for guess in guesses:
        refused(token_request(client, code, guess), "invalid_grant")
    assert tables(app)["offers"][0][1:] == ("dead", 5)
    refused(token_request(client, code, created["tx_code"]), "invalid_grant")  # the right one is too late
    assert tables(app)["tokens"] == 0
    assert client.get(created["credential_offer_uri"].removeprefix(AUDIENCE)).status_code == 404


def test_expired_offer(client, app, tokens, clock):
    created = make_offer(client, tokens["admin"])
    code = code_of(fetch_offer(client, created))
    clock.now += timedelta(minutes=11)
    before = tables(app)
    refused(token_request(client, code, created["tx_code"]), "invalid_grant")
    assert client.get(created["credential_offer_uri"].removeprefix(AUDIENCE)).status_code == 404
    assert tables(app) == before


def test_unknown_grant_type_duplicate_parameters_and_bad_forms(client, app, tokens):
    created = make_offer(client, tokens["admin"])
    code = code_of(fetch_offer(client, created))
    before = tables(app)
    form = "application/x-www-form-urlencoded"
    refused(client.post("/oid4vci/token", data={"grant_type": "authorization_code", "code": code},
                        content_type=form), "unsupported_grant_type")
    refused(client.post("/oid4vci/token", data=f"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code"
                        f"&pre-authorized_code={code}&pre-authorized_code={code}&tx_code={created['tx_code']}",
                        content_type=form), "invalid_request")
    refused(client.post("/oid4vci/token", json={"pre-authorized_code": code}), "invalid_request")
    refused(client.post("/oid4vci/token", data=b"\xff\xfe=1", content_type=form), "invalid_request")
    refused(client.post("/oid4vci/token", data="a=" + "x" * 5000, content_type=form), "invalid_request")
    refused(token_request(client, "A" * 600, created["tx_code"]), "invalid_request")
    assert tables(app) == before


# --- credential endpoint: the access token -------------------------------------------------
def test_access_token_from_another_offer(client, app, tokens):
    _created, token_a = redeemed(client, tokens["admin"])
    experience = offered_body()
    experience_offer = make_offer(client, tokens["admin"], experience)  # a second, open offer
    before = tables(app)
    refused(credential_request(client, token_a, jwt_proof(nonce(client)), "WerkervaringCredential"),
            "credential_request_denied")
    refused(credential_request(client, "not-a-token", jwt_proof(nonce(client))), "invalid_token", 401)
    after = tables(app)
    assert {k: v for k, v in after.items() if k != "nonces"} == {k: v for k, v in before.items() if k != "nonces"}
    assert experience_offer["credential_configuration_id"] == "CertificaatCredential"
    assert credential_request(client, token_a, jwt_proof(nonce(client))).status_code == 200
    refused(credential_request(client, token_a, jwt_proof(nonce(client))), "invalid_token", 401)  # single use


def test_expired_access_token_and_missing_bearer(client, app, tokens, clock):
    _created, access_token = redeemed(client, tokens["admin"])
    c_nonce = nonce(client)
    response = client.post("/oid4vci/credential", json={"credential_configuration_id": "CertificaatCredential",
                                                        "proofs": jwt_proof(c_nonce, now=clock.now)})
    refused(response, "invalid_token", 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    clock.now += timedelta(minutes=6)
    before = tables(app)
    refused(credential_request(client, access_token, jwt_proof(nonce(client), now=clock.now)), "invalid_token", 401)
    assert tables(app)["credentials"] == before["credentials"] == 0


# --- credential endpoint: the key proof ----------------------------------------------------
def test_proof_with_a_stale_c_nonce(client, app, tokens, clock):
    app.extensions["paspoort_issuer"].config["OID4VCI_NONCE_SECONDS"] = 60
    _created, access_token = redeemed(client, tokens["admin"])
    c_nonce = nonce(client)
    clock.now += timedelta(seconds=90)
    before = tables(app)
    refused(credential_request(client, access_token, jwt_proof(c_nonce, now=clock.now)), "invalid_nonce")
    assert tables(app) == before


def test_proof_with_a_reused_or_made_up_c_nonce(client, app, tokens):
    _first, token_a = redeemed(client, tokens["admin"])
    _second, token_b = redeemed(client, tokens["admin"])
    c_nonce = nonce(client)
    assert credential_request(client, token_a, jwt_proof(c_nonce)).status_code == 200
    before = tables(app)
    refused(credential_request(client, token_b, jwt_proof(c_nonce)), "invalid_nonce")
    refused(credential_request(client, token_b, jwt_proof("made-up-nonce")), "invalid_nonce")
    assert tables(app) == before


def test_a_refused_replay_gives_its_status_index_back(client, app, tokens, monkeypatch):
    """A used c_nonce is refused inside the issuing transaction, before anything is stored: the
    status index the request took goes back and the next credential gets it (none is burnt)."""
    blocks, taken = app.extensions["paspoort_issuer"].indexes, []
    take = blocks.take
    monkeypatch.setattr(blocks, "take", lambda count, now: taken.append(take(count, now)) or taken[-1])
    _first, token_a = redeemed(client, tokens["admin"])
    _second, token_b = redeemed(client, tokens["admin"])
    c_nonce = nonce(client)
    assert credential_request(client, token_a, jwt_proof(c_nonce)).status_code == 200
    refused(credential_request(client, token_b, jwt_proof(c_nonce)), "invalid_nonce")
    response = credential_request(client, token_b, jwt_proof(nonce(client)))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert len(taken) == 3 and taken[2] == taken[1] != taken[0]
    (_list_id, index), = taken[1]
    assert response.get_json()["credentials"][0]["credential"]["credentialStatus"]["statusListIndex"] == str(index)


def test_proof_for_another_aud_leaves_the_nonce_usable(client, app, tokens):
    _created, access_token = redeemed(client, tokens["admin"])
    c_nonce = nonce(client)
    before = tables(app)
    refused(credential_request(client, access_token, jwt_proof(c_nonce, audience="https://other.example")),
            "invalid_proof")
    refused(credential_request(client, access_token, di_vp_proof(c_nonce, audience="https://other.example")),
            "invalid_proof")
    assert tables(app) == before
    assert credential_request(client, access_token, jwt_proof(c_nonce)).status_code == 200


@pytest.mark.parametrize("alg", ["none", "HS256", "ES256", "RS256"])
def test_proof_with_alg_none_or_hs256(client, app, tokens, alg):
    _created, access_token = redeemed(client, tokens["admin"])
    c_nonce = nonce(client)
    header = {"alg": alg, "typ": PROOF_TYP, "kid": WALLET_KEY.verification_method}
    claims = {"aud": AUDIENCE, "nonce": c_nonce, "iat": int(datetime.now(timezone.utc).timestamp())}
    signing_input = jws_parts(header, claims)
    mac = hmac.new(WALLET_KEY.public_key, signing_input.encode(), hashlib.sha256).digest()  # key confusion
    token = signing_input + "." + ("" if alg == "none" else b64url_encode(mac))
    before = tables(app)
    response = credential_request(client, access_token, {"jwt": [token]})
    refused(response, "invalid_proof")
    assert "EdDSA" in response.get_json()["error_description"]
    assert tables(app) == before


@pytest.mark.parametrize("kid", ["did:web:wallet.example#key-1", "did:key:" + WALLET_KEY.public_key_multibase,
                                 "https://wallet.example/key", None])
def test_kid_not_a_did_key(client, app, tokens, kid):
    _created, access_token = redeemed(client, tokens["admin"])
    claims = {"aud": AUDIENCE, "nonce": nonce(client), "iat": int(datetime.now(timezone.utc).timestamp())}
    extra = {"jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(WALLET_KEY.public_key)}} if kid is None else None
    token = sign_jws(claims, WALLET_KEY, typ=PROOF_TYP, kid=kid or "x", extra_header=extra)
    if kid is None:  # a jwk instead of a kid: the key must come from a did:key
        header = {"alg": "EdDSA", "typ": PROOF_TYP, **extra}
        signing_input = jws_parts(header, claims)
        token = signing_input + "." + b64url_encode(WALLET_KEY.sign(signing_input.encode()))
    before = tables(app)
    refused(credential_request(client, access_token, {"jwt": [token]}), "invalid_proof")
    assert tables(app) == before


def test_proof_by_another_key_than_its_kid_wrong_typ_and_old_iat(client, app, tokens):
    _created, access_token = redeemed(client, tokens["admin"])
    c_nonce = nonce(client)
    now = int(datetime.now(timezone.utc).timestamp())
    other = Ed25519Key(bytes([32]) * 32)
    forged = sign_jws({"aud": AUDIENCE, "nonce": c_nonce, "iat": now}, other, typ=PROOF_TYP,
                      kid=WALLET_KEY.verification_method)
    wrong_typ = sign_jws({"aud": AUDIENCE, "nonce": c_nonce, "iat": now}, WALLET_KEY, typ="JWT")
    old = sign_jws({"aud": AUDIENCE, "nonce": c_nonce, "iat": now - 3600}, WALLET_KEY, typ=PROOF_TYP)
    before = tables(app)
    for token in (forged, wrong_typ, old):
        refused(credential_request(client, access_token, {"jwt": [token]}), "invalid_proof")
    assert tables(app) == before


def test_di_vp_proof_with_the_wrong_challenge_or_a_credential_inside(client, app, tokens):
    _created, access_token = redeemed(client, tokens["admin"])
    c_nonce = nonce(client)
    proof = di_vp_proof(c_nonce)
    proof["di_vp"][0]["proof"]["challenge"] = nonce(client)  # the signature no longer matches
    before = tables(app)
    refused(credential_request(client, access_token, proof), "invalid_proof")
    stuffed = di_vp_proof(c_nonce)
    stuffed["di_vp"][0]["verifiableCredential"] = [{"type": ["VerifiableCredential"]}]
    refused(credential_request(client, access_token, stuffed), "invalid_proof")
    assert tables(app) == before


# --- credential endpoint: bodies -----------------------------------------------------------
def test_oversized_and_malformed_credential_requests(client, app, tokens):
    _created, access_token = redeemed(client, tokens["admin"])
    c_nonce = nonce(client)
    headers = bearer(access_token)
    before = tables(app)
    cases = [
        (json.dumps({"credential_configuration_id": "CertificaatCredential", "proofs": {"jwt": ["x" * 70_000]}}),
         "invalid_credential_request"),
        ('{"credential_configuration_id": "CertificaatCredential", "credential_configuration_id": "x"}',
         "invalid_credential_request"),  # a duplicate key
        ("{not json", "invalid_credential_request"),
        ("[]", "invalid_credential_request"),
        (json.dumps({"credential_configuration_id": "Paspoort"}), "unknown_credential_configuration"),
        (json.dumps({"credential_configuration_id": "CertificaatCredential"}), "invalid_proof"),
        (json.dumps({"credential_configuration_id": "CertificaatCredential",
                     "proof": {"proof_type": "jwt", "jwt": "x"}}), "invalid_credential_request"),
        (json.dumps({"credential_configuration_id": "CertificaatCredential",
                     "proofs": {"jwt": jwt_proof(c_nonce)["jwt"] * 2}}), "invalid_proof"),
        (json.dumps({"credential_configuration_id": "CertificaatCredential", "proofs": {"cwt": ["x"]}}),
         "invalid_proof"),
        (json.dumps({"credential_configuration_id": "CertificaatCredential", "proofs": {"jwt": ["a.b.c"]}}),
         "invalid_proof"),
    ]
    for body, error in cases:
        refused(client.post("/oid4vci/credential", data=body, content_type="application/json", headers=headers), error)
    refused(client.post("/oid4vci/credential", data="x=1", content_type="application/x-www-form-urlencoded",
                        headers=headers), "invalid_credential_request")
    assert tables(app) == before
    assert credential_request(client, access_token, jwt_proof(c_nonce)).status_code == 200  # all still usable


def test_an_offer_whose_staff_token_was_revoked_is_not_issued(client, app, tokens):
    from issuer_service.auth import token_hash
    from issuer_service.models import Token
    _created, access_token = redeemed(client, tokens["administratie"])
    with app.extensions["paspoort_issuer_db"].transaction() as session:
        row = session.scalars(select(Token).where(Token.token_hash == token_hash(tokens["administratie"]))).one()
        row.revoked_at = START
    before = tables(app)
    response = credential_request(client, access_token, jwt_proof(nonce(client)))
    refused(response, "credential_request_denied")
    assert tables(app) == before
