"""PASPOORT_ISSUER_JSONLD_CONTEXTS (extra contexts as URL=file, the verifier's parser) and the
digests of related resources the issuer holds: a mismatch is refused before anything is stored."""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone

import pytest

from issuer_helpers import base_config, bearer
from issuer_service import create_app
from issuer_service.auth import create_token
from issuer_service.cli import init_db
from issuer_service.config import ConfigError, load
from passport.jsonld import VC_V2, context_bytes
from passport.proofs.proof import verify_proof

EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
VCDM = "https://www.w3.org/TR/vc-data-model#"


def examples_file(tmp_path):
    path = tmp_path / "examples-v2.jsonld"
    path.write_bytes(json.dumps({"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}).encode())
    return path


def credential(*contexts, **members):
    """A plain credential; with the examples context, also an example type and claim."""
    extra = {"type": ["VerifiableCredential", "ExampleCredential"],
             "credentialSubject": {"id": "did:example:subject", "alumniOf": "Example U"}} if contexts else {}
    return {"@context": [VC_V2, *contexts], "type": ["VerifiableCredential"],
            "credentialSubject": {"id": "did:example:subject"}, **extra, **members}


@pytest.fixture
def served(tmp_path, database):
    """An app with the examples context configured, and a --types any admin token."""
    application = create_app(base_config(tmp_path, database, JSONLD_CONTEXTS={EXAMPLES: str(examples_file(tmp_path))}))
    init_db(application)
    with application.extensions["paspoort_issuer_db"].transaction() as session:
        _row, token = create_token(session, name="vc", role="admin", types=["any"], scopes=None,
                                   expires_days=1, now=datetime.now(timezone.utc))
    yield application.test_client(), token
    application.extensions["paspoort_issuer_db"].dispose()


def issue(client, token, document, **options):
    return client.post("/credentials/issue", json={"credential": document, **({"options": options} if options else {})},
                       headers=bearer(token))


@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "eddsa-rdfc-2022"])
def test_a_configured_context_is_used_for_issuing(served, suite):
    client, token = served
    response = issue(client, token, credential(EXAMPLES), cryptosuite=suite)
    assert response.status_code == 201, response.get_json()
    signed = response.get_json()["verifiableCredential"]
    assert signed["proof"]["cryptosuite"] == suite
    if suite == "eddsa-jcs-2022":
        verify_proof(signed, expected_purpose="assertionMethod")


def test_without_the_setting_the_examples_context_is_unknown(client, app, tokens):
    with app.extensions["paspoort_issuer_db"].transaction() as session:
        _row, token = create_token(session, name="vc", role="admin", types=["any"], scopes=None,
                                   expires_days=1, now=datetime.now(timezone.utc))
    response = issue(client, token, credential(EXAMPLES))
    assert response.status_code == 422 and response.get_json()["code"] == "JSONLD_CONTEXT_UNKNOWN"


def test_related_resource_digests_of_held_contexts_are_checked(served, tmp_path):
    client, token = served
    good = "sha384-" + base64.b64encode(hashlib.sha384(context_bytes(VC_V2)).digest()).decode()
    assert issue(client, token, credential(relatedResource={"id": VC_V2, "digestSRI": good})).status_code == 201
    examples = "sha256-" + base64.b64encode(hashlib.sha256(examples_file(tmp_path).read_bytes()).digest()).decode()
    assert issue(client, token, credential(EXAMPLES, relatedResource={"id": EXAMPLES, "digestSRI": examples})
                 ).status_code == 201
    wrong = {"id": VC_V2, "digestMultibase": "uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0"}
    response = issue(client, token, credential(relatedResource=[wrong]))
    assert response.status_code == 422
    body = response.get_json()
    assert body["type"] == VCDM + "MALFORMED_VALUE_ERROR" and body["path"] == "relatedResource[0].digestMultibase"
    assert "does not match" in body["detail"]


def test_a_resource_we_do_not_hold_is_checked_for_form_only(served):
    client, token = served
    other = {"id": "https://example.org/not-held", "digestSRI": "sha256-" + base64.b64encode(bytes(32)).decode()}
    assert issue(client, token, credential(relatedResource=other)).status_code == 201


def test_the_setting_is_read_from_the_environment(tmp_path):
    path = examples_file(tmp_path)
    config = load(str(tmp_path), None, {"PASPOORT_ISSUER_JSONLD_CONTEXTS": f"{EXAMPLES}={path}"})
    assert config["JSONLD_CONTEXTS"] == {EXAMPLES: str(path)}
    assert config["DOCUMENT_LOADER"].held_bytes(EXAMPLES) == path.read_bytes()
    assert load(str(tmp_path), None, {})["DOCUMENT_LOADER"] is None


@pytest.mark.parametrize("raw, problem", [
    ("https://example.org/ctx", "not a URL=file pair"),
    (f"{EXAMPLES}=/nonexistent/c.jsonld", "cannot be read"),
    (f"{VC_V2}=FILE", "cannot be replaced"),
])
def test_bad_settings_stop_the_issuer(tmp_path, raw, problem):
    raw = raw.replace("FILE", str(examples_file(tmp_path)))
    with pytest.raises(ConfigError, match=problem) as caught:
        load(str(tmp_path), None, {"PASPOORT_ISSUER_JSONLD_CONTEXTS": raw})
    assert "PASPOORT_ISSUER_JSONLD_CONTEXTS" in str(caught.value)
