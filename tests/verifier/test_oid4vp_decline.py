"""The wallet's error response (OpenID4VP 1.0, e.g. ``error=access_denied``): taken once, like
an answer; the page learns only that the wallet declined (or its error code); a malformed one or
one for an unknown request is refused and changes nothing. On SQLite and PostgreSQL (the
``app`` and ``client`` fixtures)."""
from __future__ import annotations

import json

import pytest

from passport.roles.holder import present
from passport.roles.oid4vp import parse_authorization_link, response_form, verify_request
from passport.roles.oid4vp_error import error_form
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, paspoort_type
from verifier_helpers import NOW

FORM = "application/x-www-form-urlencoded"
AB_ONLY = {"query": {"credentialTypes": [AANTOONBAAR_BEKWAAM_TYPE]}}


def ask(client, mode="direct_post"):
    created = client.post("/challenges", json={**AB_ONLY, "responseMode": mode}).get_json()
    client_id, request_uri = parse_authorization_link(created["requestUrl"])
    token = client.get(request_uri.replace("https://werkgever.example", "")).get_data(as_text=True)
    return created, verify_request(token, client_id=client_id, now=NOW)


def post(client, form):
    return client.post("/oid4vp/response", data=form, content_type=FORM)


def status(client, created):
    return client.get(created["statusUrl"], headers={"Authorization": f"Bearer {created['readToken']}"}).get_json()


def stored_answers(app, challenge: str) -> int:
    from sqlalchemy import func, select

    from verifier_service.models import answers

    with app.extensions["paspoort_verifier"].engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(answers)
                            .where(answers.c.challenge == challenge)).scalar_one()


@pytest.mark.parametrize("mode", ["direct_post", "direct_post.jwt"])
def test_decline_once_and_the_page_sees_declined(client, mode):
    created, request = ask(client, mode)
    response = post(client, error_form(request, description="not now"))
    assert response.status_code == 200 and response.get_json() == {"received": True, "error": "access_denied"}
    seen = status(client, created)
    assert seen["status"] == "declined"
    assert seen["answer"]["declined"] is True and seen["answer"]["error"] == "access_denied"
    assert seen["answer"]["verified"] is False
    assert "not now" not in json.dumps(seen)  # nothing but the code is kept
    assert status(client, created)["status"] == "used"  # handed over once


def test_a_plain_error_response_to_an_encrypted_request_is_taken(client):
    created, request = ask(client, "direct_post.jwt")
    assert post(client, {"error": "invalid_request", "state": request.state}).status_code == 200
    seen = status(client, created)
    assert seen["status"] == "declined" and seen["answer"] == {**seen["answer"], "declined": False,
                                                                "error": "invalid_request"}


def test_a_second_answer_after_the_decline_is_refused(client, world):
    created, request = ask(client)
    assert post(client, error_form(request)).status_code == 200
    again = post(client, error_form(request))
    assert again.status_code == 409 and again.get_json()["code"] == "CHALLENGE_REPLAYED"
    credential = next(c for c in world.endorsements if paspoort_type(c) == AANTOONBAAR_BEKWAAM_TYPE)
    vp = present([credential], world.holder, now=NOW, challenge=request.nonce, domain=request.client_id)
    late = post(client, response_form(request, {"aantoonbaar_bekwaam": [vp]}))
    assert late.status_code == 409 and late.get_json()["code"] == "CHALLENGE_REPLAYED"
    assert status(client, created)["status"] == "declined"  # the decline, not the late answer


@pytest.mark.parametrize("form", [
    {"error": "", "state": "STATE"},
    {"error": "access_denied"},  # no state
    {"error": "access\"denied", "state": "STATE"},
    {"error": "access_denied", "state": "STATE", "error_description": "é\\"},
    {"error": "access_denied", "state": "STATE", "vp_token": "{}"},
    {"error": "x" * 65, "state": "STATE"},
])
def test_a_malformed_error_response_is_refused_and_changes_nothing(app, client, form):
    created, request = ask(client)
    response = post(client, {name: value.replace("STATE", request.state) for name, value in form.items()})
    body = response.get_json()
    assert response.status_code == 400 and body["code"] == "RESPONSE_INVALID" and body["error"] == "invalid_request"
    assert stored_answers(app, created["challenge"]) == 0
    assert status(client, created)["status"] == "pending"


def test_a_malformed_encrypted_error_response_is_refused(client):
    from dataclasses import replace

    from passport.crypto.jwe import encrypt_jwe

    created, request = ask(client, "direct_post.jwt")
    payload = json.dumps({"error": "access_denied", "state": request.state, "vp_token": {}}).encode()
    sealed = {"response": encrypt_jwe(payload, request.encryption_jwk, enc=request.enc)}
    assert post(client, sealed).get_json()["code"] == "RESPONSE_INVALID"
    assert status(client, created)["status"] == "pending"
    with pytest.raises(Exception):
        error_form(replace(request, state=""))  # the wallet never sends what must be refused


def test_an_error_response_for_an_unknown_request_is_refused(app, client):
    created, _request = ask(client)
    response = post(client, {"error": "access_denied", "state": "never-issued-by-this-verifier"})
    assert response.status_code == 422 and response.get_json()["code"] == "CHALLENGE_UNKNOWN"
    assert stored_answers(app, created["challenge"]) == 0
    assert status(client, created)["status"] == "pending"
