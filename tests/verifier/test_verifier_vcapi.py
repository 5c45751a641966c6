"""The verifier as a W3C VC API verifier: generic VCDM credentials, VC 1.1, proof sets, the
caller's own challenge, and Problem Details that name the VCDM problem classes."""
from __future__ import annotations

from typing import Any

import pytest

from passport import present, sign
from passport.crypto.keys import Ed25519Key
from passport.encoding.timeutil import format_datetime
from passport.proofs.proof import add_proof, sign as sign_proof
from verifier_helpers import DOMAIN, NOW, NOW_TEXT

VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
DI = "https://w3id.org/security/data-integrity/v2"
VCDM = "https://www.w3.org/TR/vc-data-model#"
ISSUER = Ed25519Key.generate()  # not in the trust registry
HOLDER = Ed25519Key.generate()


def generic(suite: str = "eddsa-jcs-2022", **changes: Any) -> dict[str, Any]:
    document = {"@context": [VC2], "type": ["VerifiableCredential"], "issuer": ISSUER.did,
                "credentialSubject": {"id": "did:example:subject", "name": "Alice"}}
    document.update(changes)
    return sign(document, ISSUER, created=NOW, cryptosuite=suite)


def suite_like_vp(credentials: list[dict[str, Any]], challenge: str = "u-caller-challenge",
                  holder: Any = None) -> dict[str, Any]:
    """As the W3C VCDM 2.0 suite makes them: eddsa-rdfc-2022, the caller's challenge and domain."""
    unsigned = {"@context": [VC2], "type": ["VerifiablePresentation"], "verifiableCredential": credentials}
    if holder is not None:
        unsigned["holder"] = holder
    return sign_proof(unsigned, HOLDER, created=NOW_TEXT, proof_purpose="authentication", challenge=challenge,
                      domain="github.com/w3c/vc-data-model-2.0-test-suite", cryptosuite="eddsa-rdfc-2022")


def verify_vp(client, vp: dict[str, Any], challenge: str = "u-caller-challenge", **options: Any):
    body = {"verifiablePresentation": vp,
            "options": {"challenge": challenge, "domain": "github.com/w3c/vc-data-model-2.0-test-suite", **options}}
    return client.post("/presentations/verify", json=body)


# --- credentials ---------------------------------------------------------------------------
@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "eddsa-rdfc-2022"])
def test_a_generic_credential_of_an_unlisted_issuer_verifies(client, suite):
    response = client.post("/credentials/verify", json={"verifiableCredential": generic(suite), "options": {}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    trust = next(c for c in body["checks"] if c["name"] == "trust")
    assert body["verified"] is True and trust["status"] == "skipped" and "not a Paspoort credential" in trust["message"]
    assert not body.get("errors")  # the W3C suites read any errors as a failure


def test_a_vc11_credential_verifies(client):
    unsigned = {"@context": [VC1, DI], "type": ["VerifiableCredential"], "issuer": ISSUER.did,
                "issuanceDate": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:subject"}}
    credential = sign(unsigned, ISSUER, created=NOW, cryptosuite="eddsa-rdfc-2022")
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 200, response.get_json()


def test_a_credential_with_a_proof_chain_verifies(client):
    witness = Ed25519Key.generate()
    first = sign_proof({"@context": [VC2], "type": ["VerifiableCredential"], "issuer": ISSUER.did,
                        "credentialSubject": {"id": "did:example:subject"}}, ISSUER, created=NOW_TEXT,
                       proof_id="urn:uuid:1")
    chained = add_proof(first, witness, created=NOW_TEXT, previous_proof="urn:uuid:1", proof_id="urn:uuid:2")
    response = client.post("/credentials/verify", json={"verifiableCredential": chained})
    assert response.status_code == 200, response.get_json()
    chained["proof"][1]["previousProof"] = "urn:uuid:9"
    body = client.post("/credentials/verify", json={"verifiableCredential": chained}).get_json()
    assert body["code"] == "PROOF_MALFORMED" and body["type"] == VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR"


@pytest.mark.parametrize("change, code, vcdm_class, member", [
    pytest.param(lambda c: c["credentialSubject"].update(name="Mallory") or c, "SIGNATURE_INVALID",
                 "CRYPTOGRAPHIC_SECURITY_ERROR", None, id="tampered"),
    pytest.param(lambda c: generic(validUntil=format_datetime(NOW.replace(year=2020))), "EXPIRED", "RANGE_ERROR",
                 None, id="expired"),
    pytest.param(lambda c: c.update({"@context": ["https://example.org/ctx", VC2]}) or c, "STRUCTURE_INVALID",
                 "MALFORMED_VALUE_ERROR", "@context", id="context-order"),
    pytest.param(lambda c: c.pop("credentialSubject") and c, "STRUCTURE_INVALID", "MALFORMED_VALUE_ERROR",
                 "credentialSubject", id="no-subject"),
])
def test_failures_name_the_vcdm_problem_class_and_member(client, change, code, vcdm_class, member):
    credential = change(generic())
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["code"] == code and body["type"] == VCDM + vcdm_class
    first = body["errors"][0]
    assert first["type"] == VCDM + vcdm_class and first.get("member") == member


def test_malformed_json_is_a_parsing_error(client):
    response = client.post("/credentials/verify", data=b'{"verifiableCredential": {', content_type="application/json")
    body = response.get_json()
    assert response.status_code == 400 and body["type"] == VCDM + "PARSING_ERROR"


def test_a_generic_credential_on_the_page_is_held_to_the_paspoort_policy(client):
    """The page is Paspoort's: an issuer outside the trust registry is not vouched for there."""
    import json

    body = client.post("/inspect", data={"text": json.dumps(generic())}).get_json()
    assert body["verified"] is False, body
    trust = next(c for c in body["report"]["checks"] if c["name"] == "trust")
    assert trust["code"] == "ISSUER_UNKNOWN"


# --- presentations with the caller's challenge ---------------------------------------------
def test_a_suite_like_presentation_verifies_with_the_callers_challenge(client):
    vp = suite_like_vp([generic(), generic()], holder=HOLDER.did)
    response = verify_vp(client, vp)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    checks = {c["name"]: c for c in body["checks"]}
    assert body["binding"] == "caller" and checks["challenge"]["status"] == "passed"
    assert checks["subjects"]["status"] == "skipped"  # a Paspoort policy: these are not Paspoort credentials


@pytest.mark.parametrize("holder", [None, {"id": HOLDER.did}])
def test_holder_absent_or_an_object(client, holder):
    response = verify_vp(client, suite_like_vp([], holder=holder))
    assert response.status_code == 200, response.get_json()


def test_a_wrong_proofValue_fails_the_presentation(client):
    vp = suite_like_vp([])
    vp["proof"]["proofValue"] = "z5nmMBw2u9TGKd9NxxHJtyZKgjN2Eh"
    body = verify_vp(client, vp).get_json()
    assert body["status"] == 422 and body["type"] == VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR"


def test_a_presentation_without_context_fails(client):
    vp = suite_like_vp([])
    del vp["@context"]
    assert verify_vp(client, vp).status_code == 422


def test_the_callers_challenge_mismatch_names_the_data_integrity_class(client):
    body = verify_vp(client, suite_like_vp([]), challenge="another").get_json()
    assert body["code"] == "CHALLENGE_MISMATCH" and body["type"] == "https://w3id.org/security#INVALID_CHALLENGE_ERROR"


def test_a_paspoort_presentation_with_the_callers_challenge_keeps_the_subjects_rule(client, world):
    from passport.demo.world import build_world

    stolen = build_world("jan", NOW).endorsements[0]
    vp = present([world.profile, stolen], world.holder, now=NOW, challenge="mine", domain=DOMAIN)
    body = client.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                      "options": {"challenge": "mine", "domain": DOMAIN}}).get_json()
    assert any(e["check"] == "subjects" and e["code"] == "SUBJECT_NOT_HOLDER" for e in body["errors"]), body


# --- extra JSON-LD contexts (never fetched) ------------------------------------------------
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
EXAMPLES_CONTEXT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}


def examples_credential() -> dict[str, Any]:
    from passport.jsonld import DocumentLoader

    unsigned = {"@context": [VC2, EXAMPLES], "type": ["VerifiableCredential", "AlumniCredential"],
                "issuer": ISSUER.did, "credentialSubject": {"id": "did:example:subject", "alumniOf": "Example U"}}
    return sign_proof(unsigned, ISSUER, created=NOW_TEXT, cryptosuite="eddsa-rdfc-2022",
                      document_loader=DocumentLoader({EXAMPLES: EXAMPLES_CONTEXT}))


def test_an_unknown_context_is_a_parsing_error_and_never_fetched(client):
    body = client.post("/credentials/verify", json={"verifiableCredential": examples_credential()}).get_json()
    assert body["code"] == "JSONLD_CONTEXT_UNKNOWN" and body["type"] == VCDM + "PARSING_ERROR"


def test_the_operator_can_add_a_context_file(make_app, tmp_path):
    import json

    path = tmp_path / "examples-v2.jsonld"
    path.write_text(json.dumps(EXAMPLES_CONTEXT), encoding="utf-8")
    client = make_app(JSONLD_CONTEXTS={EXAMPLES: str(path)}).test_client()
    response = client.post("/credentials/verify", json={"verifiableCredential": examples_credential()})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("files", [
    {EXAMPLES: "/nonexistent/context.jsonld"},
    {"https://www.w3.org/ns/credentials/v2": "CONTEXT"},  # a shipped context is never replaced
    {EXAMPLES: "NOT_A_CONTEXT"},
])
def test_unusable_context_files_stop_the_service(make_app, tmp_path, files):
    import json

    from verifier_service import ConfigError

    context, other = tmp_path / "c.jsonld", tmp_path / "n.json"
    context.write_text(json.dumps(EXAMPLES_CONTEXT), encoding="utf-8")
    other.write_text(json.dumps({"not": "a context"}), encoding="utf-8")
    files = {url: {"CONTEXT": str(context), "NOT_A_CONTEXT": str(other)}.get(path, path) for url, path in files.items()}
    with pytest.raises(ConfigError, match="context"):
        make_app(JSONLD_CONTEXTS=files)


@pytest.mark.parametrize("raw", ["https://example.org/ctx", "=file", "https://example.org/ctx="])
def test_the_contexts_setting_is_url_equals_file(raw):
    from verifier_service.config import ConfigError, _parse

    with pytest.raises(ConfigError):
        _parse("contexts", raw, "JSONLD_CONTEXTS")


def test_the_contexts_setting_parses_pairs():
    from verifier_service.config import _parse

    assert _parse("contexts", "https://a.example/c=/x.jsonld, https://b.example/d=/y.jsonld", "JSONLD_CONTEXTS") == {
        "https://a.example/c": "/x.jsonld", "https://b.example/d": "/y.jsonld"}
