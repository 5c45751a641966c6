"""One named test per attack on the verifier service (issue 5), on SQLite and PostgreSQL.

Every refused document gets Problem Details (``application/problem+json``) whose ``code`` and
``errors`` name the failed check; status that cannot be determined is reported "unknown".
"""
from __future__ import annotations

import json
import socket
from datetime import timedelta
from typing import Any

import pytest

from passport import present, sign
from passport.format.documents import new_credential_id
from passport.crypto.keys import Ed25519Key
from registry_helpers import registry_file
from verifier_helpers import DOMAIN, NOW, base_config, endorsement, issue_with_status, status_list_doc, unsigned
from verifier_service import create_app

STRANGER = Ed25519Key(b"\x07" * 32)


def verify_credential(client, credential: dict[str, Any]):
    return client.post("/credentials/verify", json={"verifiableCredential": credential, "options": {}})


def failed(response, code: str, check: str, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["type"].startswith("https://")
    assert any(e["code"] == code and e["check"] == check for e in body.get("errors", [])), body.get("errors")
    assert body["verified"] is False
    return body


def problem(response, code: str, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["code"] == code and body["status"] == status and body["detail"]
    return body


def resign(world, credential: dict[str, Any], key: Ed25519Key | None = None, **changes: Any) -> dict[str, Any]:
    doc = {**unsigned(credential), **changes}
    doc["id"] = new_credential_id()
    return sign(doc, key or world.keys["zorg-examinator"], created=NOW)


@pytest.fixture
def client_listing(trust_files, database, world, tmp_path):
    """``client_listing(url)``: a client whose registry places the examiner's status lists at ``url``."""
    def make(*locations: str):
        registry = registry_file(world, tmp_path, list(locations))
        return create_app(base_config(trust_files, database, TRUST_REGISTRIES=[registry])).test_client()
    return make


# --- credentials ---------------------------------------------------------------------------
def test_genuine_endorsement_verifies(client, world):
    response = verify_credential(client, endorsement(world))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["verified"] is True
    assert [c["name"] for c in body["checks"]] == ["structure", "schema", "proof", "validity", "status", "trust"]
    assert body["trust"]["outcome"] == "trusted"
    assert body["sources"]["offlineBundle"]["ageSeconds"] == 7200
    assert body["sources"]["offlineBundle"]["used"] is True  # its status list came from the bundle


def test_the_bundle_is_not_named_as_used_when_no_status_list_came_from_it(client, world):
    credential = resign(world, endorsement(world))
    credential = resign(world, {k: v for k, v in credential.items() if k != "credentialStatus"})
    body = verify_credential(client, credential).get_json()
    assert body["verified"] is True and body["checks"][4]["status"] == "skipped"
    assert body["sources"]["offlineBundle"]["used"] is False
    again = verify_credential(client, endorsement(world)).get_json()  # per request, not per process
    assert again["sources"]["offlineBundle"]["used"] is True
    assert verify_credential(client, credential).get_json()["sources"]["offlineBundle"]["used"] is False


def test_tampered_credential(client, world):
    credential = endorsement(world)
    credential["credentialSubject"]["procedure"]["name"] = "Katheteriseren"
    failed(verify_credential(client, credential), "SIGNATURE_INVALID", "proof")


def test_signature_by_another_key(client, world):
    credential = endorsement(world)
    forged = sign(unsigned(credential), STRANGER, created=NOW)  # issuer still says De Wilgenhoeve
    failed(verify_credential(client, forged), "PROOF_KEY_NOT_AUTHORIZED", "proof")


def test_swapped_verification_method(client, world):
    credential = endorsement(world)
    forged = sign(unsigned(credential), STRANGER, created=NOW)
    forged["proof"]["verificationMethod"] = credential["proof"]["verificationMethod"]
    failed(verify_credential(client, forged), "SIGNATURE_INVALID", "proof")


def test_suite_confusion(client, world):
    credential = endorsement(world)
    credential["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"  # eddsa-rdfc-2022 is accepted since issue 13
    failed(verify_credential(client, credential), "PROOF_SUITE_UNSUPPORTED", "proof")


def test_expired_credential(client, world):
    credential = resign(world, endorsement(world), validUntil="2026-11-01T00:00:00Z")
    credential_body = failed(verify_credential(client, credential), "EXPIRED", "validity")
    assert credential_body["code"] == "EXPIRED"


def test_not_yet_valid_credential(client, world):
    credential = resign(world, endorsement(world), validFrom="2026-12-24T00:00:00Z")
    failed(verify_credential(client, credential), "NOT_YET_VALID", "validity")


def test_revoked_credential(client_listing, world, server):
    client = client_listing(server.url("/lists/"))
    url = server.url("/lists/revocation")
    server.serve("/lists/revocation", status_list_doc(world, url, set_bits=(7,)))
    failed(verify_credential(client, issue_with_status(world, url, index=7)), "REVOKED", "status")


def test_suspended_credential(client_listing, world, server):
    client = client_listing(server.url("/lists/"))
    url = server.url("/lists/suspension")
    server.serve("/lists/suspension", status_list_doc(world, url, set_bits=(9,), purpose="suspension"))
    credential = issue_with_status(world, url, index=9, purpose="suspension")
    failed(verify_credential(client, credential), "SUSPENDED", "status")


def test_status_list_unreachable(client_listing, world):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = client_listing(f"http://127.0.0.1:{port}/lists/")
    url = f"http://127.0.0.1:{port}/lists/gone"
    body = failed(verify_credential(client, issue_with_status(world, url)), "STATUS_UNKNOWN", "status")
    status = next(c for c in body["checks"] if c["name"] == "status")
    assert status["status"] == "unknown"


def test_status_list_not_found(client_listing, world, server):
    client = client_listing(server.url("/lists/"))
    url = server.url("/lists/missing")
    failed(verify_credential(client, issue_with_status(world, url)), "STATUS_UNKNOWN", "status")
    assert len(server.hits["/lists/missing"]) == 1  # asked once: at the registered location


def test_status_list_forged(client_listing, world, server):
    client = client_listing(server.url("/lists/"))
    url = server.url("/lists/forged")
    honest = status_list_doc(world, url)
    forged = sign(unsigned(honest), STRANGER, created=NOW)  # claims the examiner, signed by someone else
    server.serve("/lists/forged", forged)
    body = failed(verify_credential(client, issue_with_status(world, url)), "STATUS_LIST_INVALID", "status")
    assert next(c for c in body["checks"] if c["name"] == "status")["status"] == "unknown"


def test_status_list_oversized(client_listing, world, server):
    client = client_listing(server.url("/lists/"))
    url = server.url("/lists/huge")
    server.serve("/lists/huge", b"{" + b" " * (200 * 1024) + b"}")
    failed(verify_credential(client, issue_with_status(world, url)), "STATUS_UNKNOWN", "status")


def test_issuer_not_in_registry(client, world):
    credential = unsigned(endorsement(world))
    credential["issuer"] = {**credential["issuer"], "id": STRANGER.did}
    credential["credentialSubject"]["assessment"]["institution"]["id"] = STRANGER.did
    failed(verify_credential(client, sign(credential, STRANGER, created=NOW)), "ISSUER_UNKNOWN", "trust")


def test_issuer_out_of_scope(client, world):
    credential = unsigned(endorsement(world))
    credential["credentialSubject"]["procedure"]["code"] = "ziekenhuis:katheteriseren"
    body = failed(verify_credential(client, resign(world, credential)), "ISSUER_OUT_OF_SCOPE", "trust")
    assert body["trust"]["outcome"] == "out_of_scope"


# --- presentations -------------------------------------------------------------------------
def new_challenge(client) -> str:
    response = client.post("/challenges", json={})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["challenge"]


def verify_presentation(client, vp: dict[str, Any], challenge: str, domain: str | None = DOMAIN):
    options = {"challenge": challenge, **({"domain": domain} if domain else {})}
    return client.post("/presentations/verify", json={"verifiablePresentation": vp, "options": options})


def test_genuine_presentation_verifies(client, world):
    challenge = new_challenge(client)
    vp = present([world.profile, *world.endorsements], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    response = verify_presentation(client, vp, challenge)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["verified"] is True and len(body["credentials"]) == 1 + len(world.endorsements)
    assert body["credentials"][0]["selfAsserted"] is True
    assert body["binding"] == "challenge"  # ours: consumed, single use


def test_credential_about_someone_else(client, world):
    challenge = new_challenge(client)
    others = build_other()
    stolen = next(c for c in others.endorsements)  # Jan's certificate, presented by Ria
    vp = present([world.profile, stolen], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    failed(verify_presentation(client, vp, challenge), "SUBJECT_NOT_HOLDER", "subjects")


def build_other():
    from passport.demo.world import build_world

    return build_world("jan", NOW)


def test_replayed_challenge(client, world):
    challenge = new_challenge(client)
    vp = present([world.profile], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    assert verify_presentation(client, vp, challenge).status_code == 200
    problem(verify_presentation(client, vp, challenge), "CHALLENGE_REPLAYED", 409)


def test_a_challenge_this_verifier_did_not_issue_is_the_callers(client, world):
    """VC API: the caller owns its challenge. It is compared with the proof's, never consumed: replay
    protection is then the caller's, and the answer says so (binding "caller")."""
    vp = present([world.profile], world.holder, now=NOW, challenge="made-up-by-the-caller", domain=DOMAIN)
    for _ in range(2):
        response = verify_presentation(client, vp, "made-up-by-the-caller")
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["binding"] == "caller"


def test_the_callers_challenge_must_match_the_proof(client, world):
    vp = present([world.profile], world.holder, now=NOW, challenge="made-up-by-the-caller", domain=DOMAIN)
    failed(verify_presentation(client, vp, "another-challenge"), "CHALLENGE_MISMATCH", "challenge")
    failed(verify_presentation(client, vp, "made-up-by-the-caller", domain="other.example"),
           "DOMAIN_MISMATCH", "domain")


@pytest.mark.parametrize("options, field", [
    ({"challenge": 7}, "challenge"), ({"challenge": ""}, "challenge"), ({"challenge": "x" * 1025}, "challenge"),
    ({"challenge": "abc", "domain": ["a"]}, "domain"), ({"challenge": "abc", "domain": ""}, "domain"),
])
def test_malformed_challenge_options(client, world, options, field):
    vp = present([world.profile], world.holder, now=NOW, challenge="abc", domain=DOMAIN)
    body = problem(client.post("/presentations/verify", json={"verifiablePresentation": vp, "options": options}),
                   "INPUT_INVALID", 400)
    assert body["details"]["field"] == field


def test_missing_challenge(client, world):
    vp = present([world.profile], world.holder, now=NOW, domain=DOMAIN)
    response = client.post("/presentations/verify", json={"verifiablePresentation": vp, "options": {}})
    problem(response, "CHALLENGE_UNKNOWN", 422)


def test_expired_challenge(trust_files, database, world):
    clock = [NOW]
    app = create_app(base_config(trust_files, database, CLOCK=lambda: clock[0], CHALLENGE_TTL=60))
    client = app.test_client()
    challenge = new_challenge(client)
    clock[0] = NOW + timedelta(minutes=2)
    vp = present([world.profile], world.holder, now=clock[0], challenge=challenge, domain=DOMAIN)
    problem(verify_presentation(client, vp, challenge), "CHALLENGE_EXPIRED", 422)


def test_wrong_domain(client, world):
    challenge = new_challenge(client)
    vp = present([world.profile], world.holder, now=NOW, challenge=challenge, domain="andere-werkgever.example")
    failed(verify_presentation(client, vp, challenge), "DOMAIN_MISMATCH", "domain")


def test_wrong_domain_in_options(client, world):
    challenge = new_challenge(client)
    vp = present([world.profile], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    problem(verify_presentation(client, vp, challenge, domain="andere-werkgever.example"), "DOMAIN_MISMATCH", 422)


def test_presentation_answers_another_challenge(client, world):
    challenge, other = new_challenge(client), new_challenge(client)
    vp = present([world.profile], world.holder, now=NOW, challenge=other, domain=DOMAIN)
    failed(verify_presentation(client, vp, challenge), "CHALLENGE_MISMATCH", "challenge")


def test_presentation_too_old(client, world):
    challenge = new_challenge(client)
    made = NOW - timedelta(hours=1)
    vp = present([world.profile], world.holder, now=made, challenge=challenge, domain=DOMAIN, lifetime=None)
    failed(verify_presentation(client, vp, challenge), "PROOF_NOT_CURRENT", "freshness")


# --- hostile input -------------------------------------------------------------------------
def test_huge_json(client):
    body = b'{"verifiableCredential": {"x": "' + b"a" * (3 * 1024 * 1024) + b'"}}'
    response = client.post("/credentials/verify", data=body, content_type="application/json")
    problem(response, "INPUT_TOO_LARGE", 413)


def test_deeply_nested_json(client):
    body = '{"verifiableCredential": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.post("/credentials/verify", data=body, content_type="application/json")
    problem(response, "NESTING_TOO_DEEP", 400)


def test_duplicate_keys(client, world):
    text = json.dumps({"verifiableCredential": endorsement(world)})
    text = text[:-1] + ', "verifiableCredential": {}}'
    problem(client.post("/credentials/verify", data=text, content_type="application/json"), "DUPLICATE_KEY", 400)


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"verifiableCredential": 3}',
                                  b'{"verifiableCredential": {}, "options": []}'])
def test_malformed_requests_are_400(client, body):
    response = client.post("/credentials/verify", data=body, content_type="application/json")
    assert response.status_code == 400 and response.content_type == "application/problem+json"
