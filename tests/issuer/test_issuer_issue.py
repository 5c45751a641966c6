"""Issuing: every persona endorsement, templates, batches; the results verify with passport.check."""
from __future__ import annotations

import pytest

from issuer_helpers import bearer, example, example_paths, issuer_did, verify_with_service

from passport.roles.issuing import TEMPLATES


def issue(client, token, credential, **options):
    body = {"credential": credential}
    if options:
        body["options"] = options
    return client.post("/credentials/issue", json=body, headers=bearer(token))


def test_every_persona_endorsement_issues_and_verifies(client, app, tokens):
    did = issuer_did(app)
    for path in example_paths():
        response = issue(client, tokens["admin"], example(path))
        assert response.status_code == 201, (path.name, response.get_json())
        signed = response.get_json()["verifiableCredential"]
        assert signed["issuer"]["id"] == did and signed["issuer"]["name"] == "ROC Testland"
        assert signed["id"].startswith("urn:uuid:")
        entry = signed["credentialStatus"]  # one object: OB 3.0 allows one entry
        assert (entry["statusPurpose"], entry["statusSize"]) == ("message", 2)
        assert [item["message"] for item in entry["statusMessage"]] == ["valid", "suspended", "revoked", "revoked"]
        report = verify_with_service(client, signed, did)
        assert report.verified, (path.name, [c.to_dict() for c in report.failures()])
        assert [c.status for c in report.checks] == ["passed"] * 6


def test_issue_fills_valid_from_and_keeps_submitted_id(client, tokens):
    credential = example("ria/endorsements/bhv-certificaat.json")
    del credential["validFrom"]
    credential["id"] = "urn:uuid:3f0e4a8e-8a43-4c1b-9a43-5a2b8c1d2e3f"
    signed = issue(client, tokens["admin"], credential).get_json()["verifiableCredential"]
    assert signed["id"] == credential["id"]
    assert signed["validFrom"].endswith("Z")
    again = issue(client, tokens["admin"], credential)
    assert again.status_code == 409 and again.get_json()["code"] == "CONFLICT"


def test_template_makes_a_small_request(client, app, tokens):
    full = example("ria/endorsements/aantoonbaar-bekwaam-tillift.json")
    small = {"name": full["name"], "credentialSubject": {
        key: value for key, value in full["credentialSubject"].items() if key not in ("type",)},
        "evidence": full["evidence"]}
    small["credentialSubject"]["achievement"] = {
        key: value for key, value in full["credentialSubject"]["achievement"].items()
        if key not in ("type", "achievementType")}
    response = issue(client, tokens["examinator"], small, template="aantoonbaar-bekwaam")
    assert response.status_code == 201, response.get_json()
    signed = response.get_json()["verifiableCredential"]
    assert signed["type"][-1] == "AantoonbaarBekwaamCredential"
    assert "validUntil" in signed  # the template's validity period
    assert verify_with_service(client, signed, issuer_did(app)).verified


def test_templates_are_listed(client):
    response = client.get("/templates")
    assert response.status_code == 200
    names = {item["name"] for item in response.get_json()["templates"]}
    assert names == set(TEMPLATES)


def test_batch_issues_a_class_at_once(client, app, tokens):
    base = example("ria/endorsements/methodisch-werken.json")
    students = [f"did:key:z6Mk{'abcdefghij'[n]}" + "Q" * 44 for n in range(5)]
    batch = []
    for did in students:
        credential = example("ria/endorsements/methodisch-werken.json")
        credential["credentialSubject"]["id"] = did
        batch.append(credential)
    response = client.post("/credentials/issue/batch", json={"credentials": batch},
                           headers=bearer(tokens["administratie"]))
    assert response.status_code == 201, response.get_json()
    issued = response.get_json()["verifiableCredentials"]
    assert [c["credentialSubject"]["id"] for c in issued] == students
    assert len({c["id"] for c in issued}) == 5
    assert base["type"] == issued[0]["type"]


def test_batch_is_all_or_nothing(client, app, tokens):
    good = example("ria/endorsements/methodisch-werken.json")
    bad = example("ria/endorsements/methodisch-werken.json")
    bad["validFrom"] = "2026-02-30T09:00:00Z"
    good["id"] = "urn:uuid:7d1d4d4e-1111-4c1b-9a43-5a2b8c1d2e3f"
    response = client.post("/credentials/issue/batch", json={"credentials": [good, bad]},
                           headers=bearer(tokens["admin"]))
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["detail"].startswith("credentials[1]:") and problem["index"] == 1
    lookup = client.get(f"/credentials/{good['id']}", headers=bearer(tokens["admin"]))
    assert lookup.status_code == 404


def test_staff_look_up_what_was_issued(client, tokens):
    signed = issue(client, tokens["admin"], example("ria/endorsements/bhv-certificaat.json")).get_json()[
        "verifiableCredential"]
    response = client.get(f"/credentials/{signed['id']}", headers=bearer(tokens["administratie"]))
    assert response.status_code == 200
    record = response.get_json()
    assert record["verifiableCredential"] == signed
    assert record["issuedBy"] == "admin-staff" and record["revoked"] is False
    assert [entry["action"] for entry in record["audit"]] == ["issue"]
    assert client.get(f"/credentials/{signed['id']}").status_code == 401


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_is_a_valid_start(name):
    template = TEMPLATES[name]
    assert template.body["type"][0] == "VerifiableCredential"
    assert template.body["type"][-1] == template.credential_type
