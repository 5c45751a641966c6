"""The verifier's structure step runs the VCDM 2.0 checks (passport/format/vcdm.py) on every VC 2.0
credential, including the digests of related resources it holds; dates stay the validity step's."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from passport import sign
from passport.crypto.keys import Ed25519Key
from passport.encoding.timeutil import format_datetime
from passport.jsonld import context_bytes
from verifier_helpers import NOW

VC2 = "https://www.w3.org/ns/credentials/v2"
VCDM = "https://www.w3.org/TR/vc-data-model#"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
ISSUER = Ed25519Key.generate()


def signed(**changes: Any) -> dict[str, Any]:
    document = {"@context": [VC2], "type": ["VerifiableCredential"], "issuer": ISSUER.did,
                "credentialSubject": {"id": "did:example:subject", "name": "Alice"}, **changes}
    return sign(document, ISSUER, created=NOW)


def verify(client, credential):
    return client.post("/credentials/verify", json={"verifiableCredential": credential})


@pytest.mark.parametrize("changes, member", [
    ({"termsOfUse": {}}, "termsOfUse.type"),
    ({"evidence": [{"id": "https://example.org/e"}]}, "evidence[0].type"),
    ({"credentialSchema": {"type": "JsonSchema"}}, "credentialSchema.id"),
    ({"name": {"@value": "x", "@foo": "y"}}, "name"),
    ({"relatedResource": [{"id": VC2}]}, "relatedResource[0]"),
    ({"relatedResource": {"id": VC2, "digestSRI": "sha384-" + base64.b64encode(bytes(48)).decode()}},
     "relatedResource.digestSRI"),
])
def test_signed_credentials_that_break_the_data_model_fail_structure(client, changes, member):
    response = verify(client, signed(**changes))
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == "STRUCTURE_INVALID" and body["type"] == VCDM + "MALFORMED_VALUE_ERROR"
    assert body["errors"][0]["check"] == "structure" and body["errors"][0]["member"] == member


def test_a_matching_related_resource_digest_verifies(client):
    digest = base64.b64encode(hashlib.sha384(context_bytes(VC2)).digest()).decode()
    response = verify(client, signed(relatedResource={"id": VC2, "digestSRI": f"sha384-{digest}"}))
    assert response.status_code == 200, response.get_json()


def test_a_malformed_date_is_still_the_validity_step(client):
    body = verify(client, signed(validFrom="2026-13-01T00:00:00Z")).get_json()
    checks = {check["name"]: check["status"] for check in body["checks"]}
    assert checks["structure"] == "passed" and checks["validity"] == "failed"


def test_until_before_from_fails_validity(client):
    body = verify(client, signed(validFrom=format_datetime(NOW.replace(year=2020)),
                                 validUntil=format_datetime(NOW.replace(year=2019)))).get_json()
    assert body["verified"] is False


def test_a_configured_context_file_is_checked_against_its_bytes(make_app, tmp_path):
    path = tmp_path / "examples.jsonld"
    path.write_bytes(json.dumps({"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}).encode())
    client = make_app(JSONLD_CONTEXTS={EXAMPLES: str(path)}).test_client()
    good = "sha256-" + base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
    bad = "sha256-" + base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    assert verify(client, signed(relatedResource={"id": EXAMPLES, "digestSRI": good})).status_code == 200
    response = verify(client, signed(relatedResource={"id": EXAMPLES, "digestSRI": bad}))
    assert response.status_code == 422 and response.get_json()["errors"][0]["member"] == "relatedResource.digestSRI"
