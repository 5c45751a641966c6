"""401/403 and 400/413/422: every error is RFC 9457 Problem Details with a stable code."""
from __future__ import annotations

import pytest

from issuer_helpers import bearer, example, make_tokens

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def app(shared_app):
    return shared_app


@pytest.fixture(scope="module")
def tokens(shared_app):
    return make_tokens(shared_app)


def assert_problem(response, status: int, code: str, *, detail_has: str = "") -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status and body["code"] == code
    assert body["type"].startswith(("https://w3id.org/paspoort/problems/", "https://www.w3.org/TR/vc-data-model#"))
    assert body["title"] and body["detail"]
    assert detail_has in body["detail"], body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def post_issue(client, credential, token=None, **kwargs):
    headers = bearer(token) if token else {}
    return client.post("/credentials/issue", json={"credential": credential}, headers=headers, **kwargs)


# --- 401 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("header, words", [
    (None, "needs a staff token"),
    ("Basic dXNlcjpwYXNz", "Bearer"),
    ("Bearer psi_not-a-real-token", "not valid"),
])
def test_missing_or_invalid_token_is_401(client, tokens, header, words):
    headers = {"Authorization": header} if header else {}
    response = client.post("/credentials/issue", json={"credential": {}}, headers=headers)
    assert_problem(response, 401, "UNAUTHORIZED", detail_has=words)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_and_revoked_tokens_are_401(client, tokens):
    credential = example("ria/endorsements/bhv-certificaat.json")
    assert_problem(post_issue(client, credential, tokens["expired"]), 401, "UNAUTHORIZED", detail_has="expired")
    assert_problem(post_issue(client, credential, tokens["revoked"]), 401, "UNAUTHORIZED", detail_has="revoked")


# --- 403 -----------------------------------------------------------------------------------
def test_examinator_may_not_issue_certificates(client, tokens):
    response = post_issue(client, example("ria/endorsements/bhv-certificaat.json"), tokens["examinator"])
    assert_problem(response, 403, "FORBIDDEN", detail_has="may not issue CertificaatCredential")


def test_examinator_out_of_scope_procedure_is_403(client, tokens):
    credential = example("ria/endorsements/aantoonbaar-bekwaam-tillift.json")
    credential["credentialSubject"]["procedure"]["code"] = "ggz:separeren"
    assert_problem(post_issue(client, credential, tokens["examinator"]), 403, "FORBIDDEN", detail_has="ggz:separeren")
    credential["credentialSubject"]["procedure"]["code"] = "vrh:katheteriseren"
    assert post_issue(client, credential, tokens["examinator"]).status_code == 201


def test_administratie_may_not_issue_aantoonbaar_bekwaam(client, tokens):
    credential = example("ria/endorsements/aantoonbaar-bekwaam-tillift.json")
    assert_problem(post_issue(client, credential, tokens["administratie"]), 403, "FORBIDDEN")


def test_only_admin_changes_status(client, tokens):
    signed = post_issue(client, example("ria/endorsements/bhv-certificaat.json"), tokens["admin"]).get_json()
    body = {"credentialId": signed["verifiableCredential"]["id"], "action": "revoke", "reason": "test"}
    for who in ("examinator", "administratie"):
        response = client.post("/credentials/status", json=body, headers=bearer(tokens[who]))
        assert_problem(response, 403, "FORBIDDEN", detail_has="admin")


# --- 400 / 413 -----------------------------------------------------------------------------
@pytest.mark.parametrize("data, code", [
    (b"{not json", "MALFORMED_JSON"),
    (b"", "MALFORMED_JSON"),
    (b'{"credential": {}, "credential": {}}', "DUPLICATE_KEY"),
    (b"[1, 2]", "INPUT_INVALID"),
    (b'{"options": {}}', "INPUT_INVALID"),
    (b'{"credential": {"a": NaN}}', "NUMBER_NOT_CANONICAL"),
])
def test_malformed_requests_are_400(client, tokens, data, code):
    response = client.post("/credentials/issue", data=data, content_type="application/json",
                           headers=bearer(tokens["admin"]))
    assert_problem(response, 400, code)


def test_too_large_is_413(client, app, tokens):
    limit = app.config["MAX_CONTENT_LENGTH"]
    data = b'{"credential": {"x": "' + b"a" * limit + b'"}}'
    response = client.post("/credentials/issue", data=data, content_type="application/json",
                           headers=bearer(tokens["admin"]))
    assert_problem(response, 413, "INPUT_TOO_LARGE")


# --- 422 -----------------------------------------------------------------------------------
def _without(field):
    credential = example("ria/endorsements/bhv-certificaat.json")
    del credential[field]
    return credential


def _with(path, value):
    credential = example("ria/endorsements/bhv-certificaat.json")
    target = credential
    *parents, last = path
    for name in parents:
        target = target[name]
    target[last] = value
    return credential


@pytest.mark.parametrize("credential, code, words", [
    (_without("@context"), "STRUCTURE_INVALID", "@context is missing"),
    (_with(["@context"], ["https://example.org/other"]), "STRUCTURE_INVALID", "@context[0] must be https://www.w3"),
    (_with(["validFrom"], "2026-02-30T09:00:00Z"), "VALIDITY_INVALID", "validFrom"),
    (_with(["validFrom"], "yesterday"), "VALIDITY_INVALID", "validFrom"),
    (_with(["validUntil"], "2020-01-01T00:00:00Z"), "VALIDITY_INVALID", "is before validFrom"),
    (_with(["type"], ["VerifiableCredential", "PersoonlijkProfielCredential"]), "STRUCTURE_INVALID",
     "not issued by organisations"),
    (_with(["credentialSubject", "id"], "Ria de Vries"), "STRUCTURE_INVALID", "credentialSubject.id must be"),
    (_with(["issuer"], "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"), "STRUCTURE_INVALID",
     "this service issues as"),
    (_with(["credentialStatus"], {"type": "BitstringStatusListEntry"}), "STRUCTURE_INVALID", "credentialStatus"),
    (_with(["proof"], {"type": "DataIntegrityProof"}), "STRUCTURE_INVALID", "proof"),
    (_with(["credentialSubject", "studyLoad"], {"hours": -4}), "SCHEMA_INVALID", "credentialSubject.studyLoad"),
    ("just text", "STRUCTURE_INVALID", "credential must be a JSON object"),
], ids=["no-context", "wrong-context", "impossible-date", "not-a-date", "ends-before-start",
        "profile-type", "subject-without-did", "other-issuer", "own-status", "already-signed", "schema", "not-object"])
def test_non_conforming_credentials_are_422(client, tokens, credential, code, words):
    body = assert_problem(post_issue(client, credential, tokens["admin"]), 422, code, detail_has=words)
    if code == "SCHEMA_INVALID":
        assert body["errors"] and body["errors"][0]["path"].startswith("credentialSubject")


def test_unknown_template_and_option_are_422(client, tokens):
    credential = example("ria/endorsements/bhv-certificaat.json")
    response = client.post("/credentials/issue", json={"credential": credential, "options": {"template": "x"}},
                           headers=bearer(tokens["admin"]))
    assert_problem(response, 422, "STRUCTURE_INVALID", detail_has="unknown template")
    response = client.post("/credentials/issue", json={"credential": credential, "options": {"proofType": "x"}},
                           headers=bearer(tokens["admin"]))
    assert_problem(response, 422, "STRUCTURE_INVALID", detail_has="unknown option")


# --- 404 / 405 / unexpected errors -----------------------------------------------------------
def test_unknown_things_are_problems_too(client, tokens):
    assert_problem(client.get("/nothing-here"), 404, "NOT_FOUND")
    assert_problem(client.get("/status-lists/999"), 404, "NOT_FOUND")
    assert_problem(client.get("/credentials/urn:uuid:x", headers=bearer(tokens["admin"])), 404, "NOT_FOUND")
    assert_problem(client.delete("/templates"), 405, "METHOD_NOT_ALLOWED")


def test_an_unexpected_error_is_a_500_problem_without_traceback(app, client, tokens, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(app.extensions["paspoort_issuer"], "templates", broken)
    response = client.get("/templates")
    assert_problem(response, 500, "INTERNAL_ERROR")
    assert "secret internals" not in response.get_data(as_text=True)


def test_every_passport_error_maps_to_its_problem(app):
    from issuer_service.errors import from_passport_error
    from passport.errors import all_error_classes
    with app.app_context():
        for cls in all_error_classes():
            response = from_passport_error(cls("what went wrong", path="x"))
            body = response.get_json()
            assert response.status_code == cls.status and response.mimetype == PROBLEM
            assert body["code"] == cls.code and body["detail"] == "what went wrong" and body["path"] == "x"
