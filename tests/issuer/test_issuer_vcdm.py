"""The issuer as a general W3C VC API issuer: VCDM 2.0 conformance, cryptosuites, the context route,
the VC API status request and publish step. Paspoort stays its profile (test_issuer_issue.py)."""
from __future__ import annotations

import copy
import hashlib
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from issuer_helpers import base_config, bearer, example, issuer_did
from issuer_service import create_app
from issuer_service.auth import create_token
from issuer_service.cli import init_db
from issuer_service.config import ConfigError
from issuer_service.models import AuditEntry, IssuedCredential
from passport.jsonld import CONTEXTS, PASPOORT_V1, context_bytes
from passport.proofs.proof import verify_proof

VCDM = "https://www.w3.org/TR/vc-data-model#"
V2 = "https://www.w3.org/ns/credentials/v2"
PLAIN = {"@context": [V2], "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:subject"}}
DROP = object()  # a member left out
EX = {"ExampleStatus": "https://example.org/examples#ExampleStatus"}


@pytest.fixture
def general(app) -> str:
    """An admin token made with --types any."""
    with app.extensions["paspoort_issuer_db"].transaction() as session:
        _row, token = create_token(session, name="vc-api", role="admin", types=["any"], scopes=None,
                                   expires_days=30, now=datetime.now(timezone.utc))
    return token


def issue(client, token, credential, **options):
    body = {"credential": credential, **({"options": options} if options else {})}
    return client.post("/credentials/issue", json=body, headers=bearer(token))


def plain(**changes):
    credential = copy.deepcopy(PLAIN)
    for name, value in changes.items():
        credential[name] = value
    return credential


def counts(app) -> tuple[int, int, int]:
    """Credentials, status positions they hold, audit entries (indexes are reserved in blocks ahead)."""
    with app.extensions["paspoort_issuer_db"].reading() as session:
        return tuple(session.scalar(select(func.count()).select_from(IssuedCredential).where(condition))
                     for condition in (True, IssuedCredential.status_index.is_not(None))) + \
            (session.scalar(select(func.count()).select_from(AuditEntry)),)


# --- a plain VC issues, verifies with the library, and passes the strict JSON-LD expansion ------------
def test_plain_credential_issues_and_verifies(client, app, general):
    response = issue(client, general, plain())
    assert response.status_code == 201, response.get_json()
    signed = response.get_json()["verifiableCredential"]
    assert signed["issuer"]["id"] == issuer_did(app) and signed["id"].startswith("urn:uuid:")
    assert signed["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    entry = signed["credentialStatus"]  # one entry (Open Badges allows one): a message list of statusSize 2
    assert entry["statusPurpose"] == "message" and entry["statusSize"] == 2
    assert verify_proof(signed, expected_purpose="assertionMethod")["type"] == "DataIntegrityProof"
    tampered = {**signed, "credentialSubject": {"id": "did:example:mallory"}}
    with pytest.raises(Exception) as caught:
        verify_proof(tampered, expected_purpose="assertionMethod")
    assert getattr(caught.value, "code", "") == "SIGNATURE_INVALID"


def test_single_evidence_string_type_and_submitted_status_are_kept(client, general):
    credential = plain(**{"@context": [V2, {**EX, "DocumentVerification": "https://example.org/examples#Doc"}]},
                       type="VerifiableCredential", evidence={"type": "DocumentVerification"},
                       credentialStatus={"type": "ExampleStatus", "id": "https://example.org/status/1"})
    response = issue(client, general, credential, credentialId="urn:uuid:6a1f0e2c-3d4b-4c5d-8e6f-7a8b9c0d1e2f")
    assert response.status_code == 201, response.get_json()
    signed = response.get_json()["verifiableCredential"]
    assert signed["id"] == "urn:uuid:6a1f0e2c-3d4b-4c5d-8e6f-7a8b9c0d1e2f"
    assert signed["type"] == "VerifiableCredential" and signed["evidence"] == {"type": "DocumentVerification"}
    assert signed["credentialStatus"][0] == {"type": "ExampleStatus", "id": "https://example.org/status/1"}
    assert [entry["type"] for entry in signed["credentialStatus"][1:]] == ["BitstringStatusListEntry"]
    verify_proof(signed, expected_purpose="assertionMethod")


def test_issuer_object_with_name_is_kept_when_it_names_this_issuer(client, app, general):
    named = {"id": issuer_did(app), "name": {"@value": "Voorbeeld", "@language": "nl"}}
    signed = issue(client, general, plain(issuer=named)).get_json()["verifiableCredential"]
    assert signed["issuer"] == named
    other = issue(client, general, plain(issuer="did:example:someone-else"))
    assert other.status_code == 422 and other.get_json()["path"] == "issuer"


# --- every VCDM rejection names its VCDM error type and the member -----------------------------------
REJECTIONS = [
    ("no-context", {"@context": DROP}, "@context"),
    ("base-context-not-first", {"@context": ["https://w3id.org/paspoort/v1", V2]}, "@context[0]"),
    ("context-not-url", {"@context": [V2, "https ://not-a-url/"]}, "@context[1]"),
    ("context-number", {"@context": [V2, 123]}, "@context[1]"),
    ("protected-term", {"@context": [V2, {"VerifiableCredential": "https://example.org/#Bad"}]}, "@context"),
    ("unknown-context", {"@context": [V2, "https://example.org/unknown-context"]}, "@context"),
    ("unmapped-type", {"type": ["VerifiableCredential", "UnknownCredential"], "@context": [V2, {"@vocab": None}]},
     "@context"),
    ("id-list", {"id": ["https://example.org/1", "https://example.org/2"]}, "id"),
    ("id-null", {"id": None}, "id"),
    ("no-type", {"type": DROP}, "type"),
    ("without-verifiable-credential", {"type": ["ExampleCredential"]}, "type"),
    ("issuer-not-url", {"issuer": "fake-issuer"}, "issuer"),
    ("issuer-object-without-id", {"issuer": {"name": "X"}}, "issuer.id"),
    ("no-subject", {"credentialSubject": DROP}, "credentialSubject"),
    ("empty-subject", {"credentialSubject": {}}, "credentialSubject"),
    ("empty-second-subject", {"credentialSubject": [{"id": "did:example:a"}, {}]}, "credentialSubject[1]"),
    ("subject-id-list", {"credentialSubject": {"id": ["did:example:a", "did:example:b"]}}, "credentialSubject.id"),
    ("name-extra-member", {"name": {"@value": "X", "@language": "en", "url": "did:example:x"}}, "name"),
    ("valid-from-no-zone", {"validFrom": "2026-01-01T00:00:00"}, "validFrom"),
    ("valid-until-date-only", {"validUntil": "2027-01-01"}, "validUntil"),
    ("status-without-type", {"credentialStatus": {"id": "https://example.org/status/1"}}, "credentialStatus.type"),
    ("status-two-ids", {"credentialStatus": {"id": ["did:example:1", "did:example:2"], "type": "ExampleStatus"}},
     "credentialStatus.id"),
    ("terms-without-type", {"termsOfUse": {"id": "https://example.org/terms"}}, "termsOfUse.type"),
    ("terms-empty", {"termsOfUse": {}}, "termsOfUse.type"),
    ("evidence-second-without-type", {"evidence": [{"type": "Evidence"}, {"id": "https://example.org/e"}]},
     "evidence[1].type"),
    ("refresh-without-type", {"refreshService": {"id": "https://example.org/refresh"}}, "refreshService.type"),
    ("schema-without-type", {"credentialSchema": {"id": "https://example.org/schema.json"}},
     "credentialSchema.type"),
    ("schema-without-id", {"credentialSchema": {"type": "JsonSchema"}}, "credentialSchema.id"),
    ("related-resource-strings", {"relatedResource": ["https://example.org/r"]}, "relatedResource[0]"),
    ("related-resource-no-id", {"relatedResource": [{"digestSRI": "sha384-abc"}]}, "relatedResource[0].id"),
    ("related-resource-no-digest", {"relatedResource": [{"id": "https://example.org/r"}]}, "relatedResource[0]"),
    ("related-resource-twice", {"relatedResource": [{"id": "https://example.org/r", "digestSRI": "sha384-abc"},
                                                    {"id": "https://example.org/r", "digestMultibase": "uabc"}]},
     "relatedResource[1].id"),
    ("related-resource-bad-sri", {"relatedResource": {"id": "https://example.org/r", "digestSRI": "md5:abc"}},
     "relatedResource.digestSRI"),
    ("already-signed", {"proof": {"type": "DataIntegrityProof"}}, "proof"),
]


@pytest.mark.parametrize("changes, path", [(c, p) for _, c, p in REJECTIONS], ids=[n for n, _, _ in REJECTIONS])
def test_non_conforming_credential_is_refused_with_its_vcdm_type(client, app, general, changes, path):
    credential = copy.deepcopy(PLAIN)
    for name, value in changes.items():
        if value is DROP:
            del credential[name]
        else:
            credential[name] = value
    before = counts(app)
    response = issue(client, general, credential)
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["type"] == VCDM + "MALFORMED_VALUE_ERROR", body
    assert body["path"] == path, body
    assert counts(app) == before  # nothing stored, no index handed out, no audit entry


def test_valid_until_before_valid_from_is_a_range_error(client, general):
    response = issue(client, general, plain(validFrom="2027-01-01T00:00:00Z", validUntil="2026-01-01T00:00:00Z"))
    body = response.get_json()
    assert response.status_code == 422 and body["type"] == VCDM + "RANGE_ERROR" and body["path"] == "validUntil"


def test_a_credential_that_is_not_an_object_is_a_parsing_error(client, general):
    body = issue(client, general, ["not", "a", "credential"]).get_json()
    assert body["type"] == VCDM + "PARSING_ERROR" and body["path"] == "credential"


def test_offsets_and_fractions_are_datetimestamps(client, general):
    response = issue(client, general, plain(validFrom="2026-01-01T00:00:00.123+01:00",
                                            validUntil="2030-01-01T00:00:00-05:00"))
    assert response.status_code == 201, response.get_json()


# --- who may issue them ---------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["admin", "administratie", "examinator"])
def test_staff_tokens_without_any_are_refused_general_credentials(client, app, tokens, who):
    before = counts(app)
    response = issue(client, tokens[who], plain())
    assert response.status_code == 403 and "--types any" in response.get_json()["detail"]
    assert counts(app) == before


def test_only_an_unscoped_admin_token_may_hold_any(app):
    now = datetime.now(timezone.utc)
    with app.extensions["paspoort_issuer_db"].transaction() as session:
        for role, types, scopes in (("administratie", ["any"], None), ("admin", ["any"], ["vrh:*"]),
                                    ("admin", ["any", "CertificaatCredential"], None)):
            with pytest.raises(ValueError, match="--types any"):
                create_token(session, name="x", role=role, types=types, scopes=scopes, expires_days=1, now=now)


def test_general_token_still_issues_paspoort_endorsements_against_their_schemas(client, general):
    credential = example("ria/endorsements/bhv-certificaat.json")
    assert issue(client, general, credential).status_code == 201
    credential["credentialSubject"]["studyLoad"] = {"hours": -4}
    assert issue(client, general, credential).get_json()["code"] == "SCHEMA_INVALID"


# --- the cryptosuite is configuration, or the request's choice --------------------------------------------
def test_rdfc_by_configuration(tmp_path, database):
    application = create_app(base_config(tmp_path, database, CRYPTOSUITE="eddsa-rdfc-2022"))
    init_db(application)
    try:
        with application.extensions["paspoort_issuer_db"].transaction() as session:
            _row, token = create_token(session, name="vc", role="admin", types=["any"], scopes=None,
                                       expires_days=1, now=datetime.now(timezone.utc))
        client = application.test_client()
        for credential in (plain(), example("ria/endorsements/bhv-certificaat.json")):
            signed = issue(client, token, credential).get_json()["verifiableCredential"]
            assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
            verify_proof(signed, expected_purpose="assertionMethod")
    finally:
        application.extensions["paspoort_issuer_db"].dispose()


def test_cryptosuite_per_request_and_unknown_suites_refused(client, general, tmp_path, database):
    signed = issue(client, general, plain(), cryptosuite="eddsa-rdfc-2022").get_json()["verifiableCredential"]
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    verify_proof(signed, expected_purpose="assertionMethod")
    response = issue(client, general, plain(), cryptosuite="ecdsa-rdfc-2019")
    assert response.status_code == 422 and response.get_json()["path"] == "options.cryptosuite"
    with pytest.raises(ConfigError, match="CRYPTOSUITE"):
        create_app(base_config(tmp_path, database, CRYPTOSUITE="eddsa-2022"))


# --- the Paspoort JSON-LD context is served ---------------------------------------------------------------
def test_context_route_serves_the_shipped_context(client):
    response = client.get("/contexts/paspoort/v1")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.data == context_bytes(PASPOORT_V1)
    assert hashlib.sha256(response.data).hexdigest() == CONTEXTS[PASPOORT_V1].sha256
    assert "max-age" in response.headers["Cache-Control"]
    again = client.get("/contexts/paspoort/v1", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.data


# --- status: the VC API request shape and the publish step --------------------------------------------------
def _status_of(client, credential):
    """The message value of the credential's one status entry: 0 valid, 1 suspended, 2 revoked."""
    from passport.format.status_list import BitstringStatusList
    entry = credential["credentialStatus"]
    listed = client.get(entry["statusListCredential"].split("issuer.example", 1)[1]).get_json()
    bits = BitstringStatusList.decode(listed["credentialSubject"]["encodedList"])
    return bits.get_value(int(entry["statusListIndex"]), entry["statusSize"])


def test_vc_api_status_request_suspends_unsuspends_and_revokes(client, general):
    signed = issue(client, general, plain()).get_json()["verifiableCredential"]

    def change(purpose, **extra):
        return client.post("/credentials/status", headers=bearer(general), json={
            "credentialId": signed["id"], "credentialStatus": {"type": "BitstringStatusListEntry",
                                                               "statusPurpose": purpose}, **extra})

    assert change("suspension").get_json()["suspended"] is True  # status defaults to true
    assert _status_of(client, signed) == 1
    assert change("suspension", status=False).get_json()["suspended"] is False
    assert _status_of(client, signed) == 0
    refused = change("revocation", status=False)
    assert refused.status_code == 422 and refused.get_json()["path"] == "status"
    assert change("revocation", status=True).get_json()["revoked"] is True
    assert _status_of(client, signed) == 2
    list_url = signed["credentialStatus"]["statusListCredential"].split("issuer.example", 1)[1]
    published = client.post(list_url + "/publish", json={}, headers=bearer(general))
    assert published.status_code == 204


@pytest.mark.parametrize("body, path", [
    ({"credentialStatus": [{"type": "StatusList2021Entry", "statusPurpose": "revocation"}]}, "credentialStatus.type"),
    ({"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "refresh"}},
     "credentialStatus.statusPurpose"),
    ({"credentialStatus": [], "status": True}, "credentialStatus"),
    ({"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}, "status": "yes"},
     "status"),
    ({"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}, "action": "revoke"},
     "credentialStatus"),
    ({}, "action"),
], ids=["wrong-type", "wrong-purpose", "empty", "status-not-boolean", "both-shapes", "neither-shape"])
def test_bad_status_requests_are_refused(client, app, general, body, path):
    signed = issue(client, general, plain()).get_json()["verifiableCredential"]
    before = counts(app)
    response = client.post("/credentials/status", headers=bearer(general),
                           json={"credentialId": signed["id"], **body})
    assert response.status_code == 422 and response.get_json()["path"] == path, response.get_json()
    assert counts(app) == before


def test_status_changes_and_publish_need_an_admin(client, tokens, general):
    signed = issue(client, general, plain()).get_json()["verifiableCredential"]
    body = {"credentialId": signed["id"],
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}
    assert client.post("/credentials/status", json=body, headers=bearer(tokens["administratie"])).status_code == 403
    assert client.post("/status-lists/1/publish", json={}, headers=bearer(tokens["administratie"])).status_code == 403
    assert client.post("/status-lists/1/publish", json={}).status_code == 401
    assert client.post("/status-lists/999999/publish", json={}, headers=bearer(general)).status_code == 404
    # an admin token without --types any cannot change a general credential either
    assert client.post("/credentials/status", json=body, headers=bearer(tokens["admin"])).status_code == 403


def test_create_token_any_on_the_command_line(runner, client):
    made = runner.invoke(args=["create-token", "--role", "admin", "--name", "VC API", "--types", "any"])
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert issue(client, token, plain()).status_code == 201
    refused = runner.invoke(args=["create-token", "--role", "examinator", "--name", "x", "--types", "any"])
    assert refused.exit_code != 0 and "--types any" in refused.output


@pytest.mark.parametrize("app_config", [{"TEXT_RETENTION_DAYS": 30}])
def test_purge_text_reduces_a_credential_with_several_subjects(app, client, general):
    from datetime import timedelta
    subjects = [{"id": "did:example:a", "name": "A"}, {"name": "B"}]
    signed = issue(client, general, plain(credentialSubject=subjects)).get_json()["verifiableCredential"]
    issuer = app.extensions["paspoort_issuer"]
    assert issuer.purge_text(datetime.now(timezone.utc) + timedelta(days=31)) == 1
    kept = client.get(f"/credentials/{signed['id']}", headers=bearer(general)).get_json()["verifiableCredential"]
    assert kept["credentialSubject"] == [{"id": "did:example:a"}, {"id": None}]


def test_a_batch_of_general_credentials_is_all_or_nothing(client, app, general):
    before = counts(app)
    bad = plain(termsOfUse={"id": "https://example.org/terms"})
    response = client.post("/credentials/issue/batch", headers=bearer(general),
                           json={"credentials": [plain(), bad], "options": {"cryptosuite": "eddsa-rdfc-2022"}})
    body = response.get_json()
    assert response.status_code == 422 and body["index"] == 1 and body["path"] == "termsOfUse.type"
    assert body["detail"].startswith("credentials[1]: ") and body["type"] == VCDM + "MALFORMED_VALUE_ERROR"
    assert counts(app) == before
    done = client.post("/credentials/issue/batch", headers=bearer(general),
                       json={"credentials": [plain(), plain()], "options": {"cryptosuite": "eddsa-rdfc-2022"}})
    assert done.status_code == 201
    assert all(vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022" for vc in done.get_json()["verifiableCredentials"])
