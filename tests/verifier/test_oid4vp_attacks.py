"""OpenID4VP bad input and attacks (issue 15): each gets its protocol error and changes nothing.

The wallet's side is played with the library (``passport.roles``), the verifier is the real app
on the Flask test client. After every refused answer the request is still open ("pending") and
the real wallet's answer is still taken once.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from passport.crypto.jwe import EphemeralKey
from passport.crypto.keys import Ed25519Key
from passport.errors import JWSInvalid
from passport.protocol_errors import ClientIdInvalid
from passport.roles.holder import present
from passport.roles.oid4vp import authorization_link, client_id_for, response_form, sign_request, verify_request
from passport.roles.oid4vp import parse_authorization_link
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, CERTIFICAAT_TYPE, paspoort_type
from verifier_helpers import NOW

FORM = "application/x-www-form-urlencoded"
AB_ONLY = {"query": {"credentialTypes": [AANTOONBAAR_BEKWAAM_TYPE]}}


@pytest.fixture
def client(make_app):
    return make_app().test_client()


def ask(client, mode="direct_post", body=None):
    created = client.post("/challenges", json={**(body or AB_ONLY), "responseMode": mode}).get_json()
    client_id, request_uri = parse_authorization_link(created["requestUrl"])
    token = client.get(request_uri.replace("https://werkgever.example", "")).get_data(as_text=True)
    return created, verify_request(token, client_id=client_id, now=NOW)


def ab(world):
    return next(c for c in world.endorsements if paspoort_type(c) == AANTOONBAAR_BEKWAAM_TYPE)


def vp(world, credential, request, *, nonce=None, domain=None, key=None):
    return present([credential], key or world.holder, now=NOW, challenge=nonce or request.nonce,
                   domain=domain or request.client_id)


def post(client, form):
    return client.post("/oid4vp/response", data=form, content_type=FORM)


def status(client, created):
    return client.get(created["statusUrl"], headers={"Authorization": f"Bearer {created['readToken']}"}).get_json()


def refused(client, created, response, code, http=None):
    body = response.get_json()
    assert body["code"] == code, body
    assert body["error"] == "invalid_request" and body["error_description"]
    if http is not None:
        assert response.status_code == http
    assert status(client, created)["status"] == "pending"  # nothing changed


def test_the_wallets_answer_is_taken_once(client, world):
    created, request = ask(client)
    form = response_form(request, {"aantoonbaar_bekwaam": [vp(world, ab(world), request)]})
    first = post(client, form)
    assert first.status_code == 200 and first.get_json()["verified"] is True
    again = post(client, form)
    assert again.status_code == 409 and again.get_json()["code"] == "CHALLENGE_REPLAYED"
    state = status(client, created)
    assert state["status"] == "answered" and state["answer"]["binding"] == "challenge"


def test_request_object_with_a_bad_signature(client):
    created, _request = ask(client)
    client_id, request_uri = parse_authorization_link(created["requestUrl"])
    token = client.get(request_uri.replace("https://werkgever.example", "")).get_data(as_text=True)
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[:-4]}AAAA"
    with pytest.raises(JWSInvalid):
        verify_request(forged, client_id=client_id, now=NOW)


@pytest.mark.parametrize("prefix", ["x509_san_dns:werkgever.example", "redirect_uri:https://werkgever.example/cb",
                                    "decentralized_identifier:did:web:werkgever.example"])
def test_client_id_with_another_prefix_is_refused(prefix):
    link = authorization_link(prefix, "https://werkgever.example/oid4vp/requests/abc")
    with pytest.raises(ClientIdInvalid):
        parse_authorization_link(link)


def test_client_id_not_matching_the_signing_key(client, world):
    """A request object signed by another did:key than the client_id names (a swapped link)."""
    _created, request = ask(client)
    other = Ed25519Key.generate()
    token = sign_request(request.claims, other)  # claims say the real client_id; the key is another's
    with pytest.raises(ClientIdInvalid):
        verify_request(token, client_id=request.client_id, now=NOW)
    impostor = sign_request({**request.claims, "client_id": client_id_for(other.did)}, other)
    with pytest.raises(ClientIdInvalid):  # a valid signature, but not for the link's client_id
        verify_request(impostor, client_id=request.client_id, now=NOW)


def test_an_expired_request_object_is_refused(client):
    created, request = ask(client)
    client_id, request_uri = parse_authorization_link(created["requestUrl"])
    token = client.get(request_uri.replace("https://werkgever.example", "")).get_data(as_text=True)
    with pytest.raises(Exception, match="expired"):
        verify_request(token, client_id=client_id, now=NOW + timedelta(hours=1))


def test_response_to_an_unknown_request(client, world):
    created, request = ask(client)
    form = response_form(request, {"aantoonbaar_bekwaam": [vp(world, ab(world), request)]})
    response = post(client, {**form, "state": "never-issued-by-this-verifier"})
    refused(client, created, response, "CHALLENGE_UNKNOWN", 422)


@pytest.mark.parametrize("field", ["nonce", "domain"])
def test_vp_token_whose_nonce_or_domain_does_not_match(client, world, field):
    created, request = ask(client)
    wrong = {field: "werkgever.example" if field == "domain" else "a-nonce-of-another-request-0000"}
    form = response_form(request, {"aantoonbaar_bekwaam": [vp(world, ab(world), request, **wrong)]})
    code = "DOMAIN_MISMATCH" if field == "domain" else "CHALLENGE_MISMATCH"
    refused(client, created, post(client, form), code, 422)
    good = response_form(request, {"aantoonbaar_bekwaam": [vp(world, ab(world), request)]})
    assert post(client, good).status_code == 200  # the real answer still goes through


def test_a_response_for_a_credential_not_asked_for(client, world):
    created, request = ask(client)
    certificate = next(c for c in world.endorsements if paspoort_type(c) == CERTIFICAAT_TYPE)
    as_ab = response_form(request, {"aantoonbaar_bekwaam": [vp(world, certificate, request)]})
    refused(client, created, post(client, as_ab), "CREDENTIAL_NOT_REQUESTED", 400)
    other_id = response_form(request, {"certificaat": [vp(world, certificate, request)]})
    refused(client, created, post(client, other_id), "CREDENTIAL_NOT_REQUESTED", 400)


def test_presentations_by_two_holders_are_refused(client, world):
    created, request = ask(client, body={"query": {"credentialTypes": [AANTOONBAAR_BEKWAAM_TYPE]}})
    stranger = Ed25519Key.generate()
    token = {"aantoonbaar_bekwaam": [vp(world, ab(world), request), vp(world, ab(world), request, key=stranger)]}
    response = post(client, response_form(request, token))
    assert response.get_json()["code"] in ("HOLDER_MISMATCH", "SUBJECT_NOT_HOLDER")
    assert status(client, created)["status"] == "pending"


def test_an_encrypted_response_to_the_wrong_key(client, world):
    created, request = ask(client, mode="direct_post.jwt")
    wrong = EphemeralKey.generate(kid=request.encryption_jwk["kid"]).public_jwk()
    sealed = response_form(_with_key(request, wrong), {"aantoonbaar_bekwaam": [vp(world, ab(world), request)]})
    refused(client, created, post(client, sealed), "JWE_INVALID", 400)
    plain = response_form(_with_mode(request, "direct_post"), {"aantoonbaar_bekwaam": [vp(world, ab(world), request)]})
    refused(client, created, post(client, plain), "RESPONSE_INVALID", 400)  # asked encrypted: plain refused
    good = response_form(request, {"aantoonbaar_bekwaam": [vp(world, ab(world), request)]})
    assert post(client, good).get_json()["verified"] is True


def _with_key(request, jwk):
    from dataclasses import replace
    return replace(request, encryption_jwk=jwk)


def _with_mode(request, mode):
    from dataclasses import replace
    return replace(request, response_mode=mode)


@pytest.mark.parametrize("body, content_type", [
    ("vp_token=%7Bnot-json&state=", FORM),
    ('{"vp_token": {}}', "application/json"),
    ("state=x", FORM),
    ("vp_token=%5B%5D&state=", FORM),
])
def test_malformed_bodies(client, body, content_type):
    created, request = ask(client)
    body = body.replace("state=x", f"state={request.state}").replace("state=", f"state={request.state}", 1) \
        if "state=" in body else body
    response = client.post("/oid4vp/response", data=body, content_type=content_type)
    refused(client, created, response, "RESPONSE_INVALID", 400)


def test_an_oversized_body(make_app, world):
    client = make_app(MAX_REQUEST_BYTES=64 * 1024).test_client()
    created, request = ask(client)
    response = post(client, {"vp_token": json.dumps({"x": ["a" * 100_000]}), "state": request.state})
    assert response.status_code == 413 and response.get_json()["code"] == "INPUT_TOO_LARGE"
    assert status(client, created)["status"] == "pending"


def test_the_page_sees_no_secret(client):
    created, _request = ask(client, mode="direct_post.jwt")
    shown = json.dumps(status(client, created))
    assert '"d"' not in shown and "decryptionKey" not in shown and "jwt" not in json.loads(shown)["request"]
    assert "readToken" not in created["requestUrl"] and created["readToken"] not in created["requestUrl"]


def test_the_decryption_key_is_gone_once_the_request_is_used(make_app, world):
    app = make_app()
    client = app.test_client()
    created, request = ask(client, mode="direct_post.jwt")
    from verifier_service import challenges as stored

    engine = app.extensions["paspoort_verifier"].engine
    assert stored.find(engine, created["challenge"]).request["decryptionKey"]["d"]
    form = response_form(request, {"aantoonbaar_bekwaam": [vp(world, ab(world), request)]})
    assert post(client, form).get_json()["verified"] is True
    assert "decryptionKey" not in stored.find(engine, created["challenge"]).request
    assert client.get("/oid4vp/requests/" + created["challenge"]).get_json()["code"] == "CHALLENGE_REPLAYED"
