"""eddsa-jcs-2022 proofs: round trips and every refusal with its code (tampering: test_proof_tampering.py)."""
from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

from support import within_seconds
from passport.encoding import jsonio
from passport.errors import PassportError, ProofError
from passport.encoding.jcs import canonicalize
from passport.encoding.multibase import decode_z, encode_z
from passport.proofs.proof import (
    CRYPTOSUITE,
    PROOF_TYPE,
    hash_data,
    proof_config,
    sign,
    signer_of,
    unsecured,
    verify_proof,
)

from proof_docs import (
    ASSERTION, AUTHENTICATION, CREATED, EXAMINATOR, PASPOORT, VC, WORKER, credential, refused, signed_credential,
)


# --- round trips --------------------------------------------------------------------------
def test_sign_verify_round_trip() -> None:
    document = credential()
    signed = sign(document, WORKER, created=CREATED)
    assert document == credential()  # input untouched
    assert unsecured(signed) == document
    proof = verify_proof(signed, expected_purpose=ASSERTION)
    assert proof is signed["proof"]
    assert proof["type"] == PROOF_TYPE and proof["cryptosuite"] == CRYPTOSUITE
    assert proof["@context"] == [VC, PASPOORT]
    assert proof["verificationMethod"] == WORKER.verification_method
    assert signer_of(proof) == WORKER.did


def test_round_trip_with_challenge_domain_expires() -> None:
    signed = signed_credential(
        proof_purpose=AUTHENTICATION,
        challenge="c0ffee-1234",
        domain="https://werkgever.example.nl",
        expires="2026-11-01T09:05:00Z",
    )
    proof = verify_proof(signed, expected_purpose=AUTHENTICATION)
    assert (proof["challenge"], proof["domain"], proof["expires"]) == (
        "c0ffee-1234",
        "https://werkgever.example.nl",
        "2026-11-01T09:05:00Z",
    )
    assert "nonce" not in proof


@pytest.mark.parametrize(
    "serialize",
    [
        pytest.param(jsonio.dumps_pretty, id="pretty"),
        pytest.param(lambda d: json.dumps(d, separators=(",", ":")), id="compact"),
        pytest.param(lambda d: json.dumps(d, ensure_ascii=True, sort_keys=True), id="ascii-sorted"),
        pytest.param(lambda d: canonicalize(d), id="canonical"),
    ],
)
def test_transport_form_does_not_matter(serialize: Any) -> None:
    signed = signed_credential()
    signed["credentialSubject"]["name"] = "Ri\u00eb de Vri\u00ebs \U0001f600"
    signed = sign(unsecured(signed), WORKER, created=CREATED)
    verify_proof(jsonio.loads(serialize(signed)), expected_purpose=ASSERTION)


def test_document_without_context_has_proof_without_context() -> None:
    document = {"id": "urn:uuid:1", "type": ["Thing"], "value": 1.5}
    signed = sign(document, WORKER, created=CREATED)
    assert "@context" not in signed["proof"]
    verify_proof(signed, expected_purpose=ASSERTION)


def test_signing_is_deterministic() -> None:
    assert signed_credential() == signed_credential()


def test_appending_a_context_after_signing_still_verifies() -> None:
    # W3C eddsa-jcs-2022 verify: the document's @context must START WITH the proof's @context,
    # and the proof's @context is what gets hashed. Extra trailing contexts are allowed.
    signed = jsonio.loads(jsonio.dumps_pretty(signed_credential()))
    signed["@context"] = [*signed["@context"], "https://example.org/extra/v1"]
    verify_proof(signed, expected_purpose=ASSERTION)


def test_custom_resolver_for_other_did_methods() -> None:
    vm = "did:web:roc.example.nl#key-1"
    document = credential()
    options = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "created": CREATED,
               "verificationMethod": vm, "proofPurpose": ASSERTION}
    config = proof_config(document, options)
    signature = EXAMINATOR.sign(hash_data(canonicalize(config), canonicalize(document)))
    signed = {**document, "proof": {**config, "proofValue": encode_z(signature)}}
    # Not resolvable offline without a resolver...
    assert refused(signed).code == "DID_UNSUPPORTED"
    # ...verified through the caller's resolver, which is asked for exactly this method...
    asked: list[str] = []
    proof = verify_proof(signed, expected_purpose=ASSERTION, resolver=lambda m: asked.append(m) or EXAMINATOR.public_key)
    assert asked == [vm] and signer_of(proof) == "did:web:roc.example.nl"
    # ...and a resolver returning another key fails.
    assert refused(signed, resolver=lambda _: WORKER.public_key).code == "SIGNATURE_INVALID"


# --- sign refuses -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "document, options, code",
    [
        pytest.param(None, {}, "PROOF_MALFORMED", id="already-signed"),
        pytest.param(["not", "an", "object"], {}, "PROOF_MALFORMED", id="not-an-object"),
        pytest.param(credential(), {"proof_purpose": "capabilityInvocation"}, "PROOF_PURPOSE_MISMATCH", id="unknown-purpose"),
        pytest.param(credential(), {"created": "2026-11-01"}, "PROOF_MALFORMED", id="created-date-only"),
        pytest.param(credential(), {"created": "2026-11-01T09:00:00"}, "PROOF_MALFORMED", id="created-no-timezone"),
        pytest.param(credential(), {"expires": "tomorrow"}, "PROOF_MALFORMED", id="expires-not-a-date"),
        pytest.param({"n": 2**53}, {}, "NUMBER_NOT_CANONICAL", id="document-not-canonicalizable"),
    ],
)
def test_sign_refuses(document: Any, options: dict[str, Any], code: str) -> None:
    if document is None:
        document = signed_credential()
    options = {"created": CREATED, **options}
    with pytest.raises(PassportError) as caught:
        sign(document, WORKER, **options)
    assert caught.value.code == code


# --- verify refuses -----------------------------------------------------------------------
def with_proof(**changes: Any) -> dict[str, Any]:
    """A correctly signed credential whose proof then gets ``changes`` (None deletes a field)."""
    signed = signed_credential()
    for name, value in changes.items():
        name = {"context": "@context"}.get(name, name)
        if value is None:
            del signed["proof"][name]
        else:
            signed["proof"][name] = value
    return signed


SIGNATURE = decode_z(signed_credential()["proof"]["proofValue"])

INVALID_PROOFS = [
    # the suite allowlist
    # an accepted suite, but the signature was made over the JCS bytes (tests/test_rdfc_proof.py signs with it)
    pytest.param(with_proof(cryptosuite="eddsa-rdfc-2022"), "SIGNATURE_INVALID", id="cryptosuite-relabelled-rdfc"),
    pytest.param(with_proof(cryptosuite="ecdsa-jcs-2019"), "PROOF_SUITE_UNSUPPORTED", id="cryptosuite-ecdsa-jcs-2019"),
    pytest.param(with_proof(cryptosuite="eddsa-2022"), "PROOF_SUITE_UNSUPPORTED", id="cryptosuite-eddsa-2022"),
    pytest.param(with_proof(cryptosuite="EDDSA-JCS-2022"), "PROOF_SUITE_UNSUPPORTED", id="cryptosuite-uppercase"),
    pytest.param(with_proof(cryptosuite=None), "PROOF_SUITE_UNSUPPORTED", id="cryptosuite-missing"),
    pytest.param(with_proof(type="Ed25519Signature2020", cryptosuite=None), "PROOF_SUITE_UNSUPPORTED", id="type-Ed25519Signature2020"),
    pytest.param(with_proof(type="Ed25519Signature2018"), "PROOF_SUITE_UNSUPPORTED", id="type-Ed25519Signature2018"),
    pytest.param(with_proof(type="JsonWebSignature2020"), "PROOF_SUITE_UNSUPPORTED", id="type-JsonWebSignature2020"),
    pytest.param(with_proof(type=["DataIntegrityProof"]), "PROOF_SUITE_UNSUPPORTED", id="type-as-array"),
    pytest.param(with_proof(type=None), "PROOF_SUITE_UNSUPPORTED", id="type-missing"),
    # the proof's shape
    pytest.param(with_proof(proofValue="z0OIl" + "1" * 80), "PROOF_MALFORMED", id="proofValue-not-base58"),
    pytest.param(with_proof(proofValue="u" + "A" * 86), "PROOF_MALFORMED", id="proofValue-base64url"),
    pytest.param(with_proof(proofValue="z"), "PROOF_MALFORMED", id="proofValue-empty-z"),
    pytest.param(with_proof(proofValue=""), "PROOF_MALFORMED", id="proofValue-empty"),
    pytest.param(with_proof(proofValue=list(SIGNATURE)), "PROOF_MALFORMED", id="proofValue-not-a-string"),
    pytest.param(with_proof(proofValue=None), "PROOF_MALFORMED", id="proofValue-missing"),
    pytest.param(with_proof(proofValue=encode_z(SIGNATURE[:63])), "SIGNATURE_INVALID", id="proofValue-63-bytes"),
    pytest.param(with_proof(proofValue=encode_z(SIGNATURE + b"\x00")), "SIGNATURE_INVALID", id="proofValue-65-bytes"),
    pytest.param(with_proof(proofValue=encode_z(b"\x00" + SIGNATURE)), "SIGNATURE_INVALID", id="proofValue-leading-zero-byte"),
    pytest.param(with_proof(proofValue=encode_z(bytes(64))), "SIGNATURE_INVALID", id="proofValue-all-zero"),
    pytest.param(with_proof(previousProof="urn:uuid:1"), "PROOF_MALFORMED", id="previousProof-names-no-proof-in-the-set"),
    pytest.param(with_proof(jws="eyJ..", ), "PROOF_MALFORMED", id="unknown-field-jws"),
    pytest.param(with_proof(verificationMethod=None), "PROOF_MALFORMED", id="verificationMethod-missing"),
    pytest.param(with_proof(verificationMethod={"id": WORKER.verification_method}), "PROOF_MALFORMED", id="verificationMethod-object"),
    pytest.param(with_proof(proofPurpose=None), "PROOF_MALFORMED", id="proofPurpose-missing"),
    # created is optional, but it was signed: removing it changes the proof config (test_rdfc_proof.py: none signed)
    pytest.param(with_proof(created=None), "SIGNATURE_INVALID", id="created-removed"),
    pytest.param(with_proof(created="2026-11-01T09:00:00"), "PROOF_MALFORMED", id="created-no-timezone"),
    pytest.param(with_proof(created="2026-02-30T09:00:00Z"), "PROOF_MALFORMED", id="created-impossible-date"),
    pytest.param(with_proof(created=1793000000), "PROOF_MALFORMED", id="created-number"),
    pytest.param(with_proof(expires="later"), "PROOF_MALFORMED", id="expires-not-a-date"),
    # the proof's @context must lead the document's
    pytest.param(with_proof(context=[PASPOORT, VC]), "PROOF_MALFORMED", id="proof-context-reordered"),
    pytest.param(with_proof(context=[VC, "https://example.org/other"]), "PROOF_MALFORMED", id="proof-context-not-a-prefix"),
    pytest.param(with_proof(context=[VC, PASPOORT, "https://example.org/x"]), "PROOF_MALFORMED", id="proof-context-longer"),
    pytest.param(with_proof(context="https://example.org/other"), "PROOF_MALFORMED", id="proof-context-other-string"),
    pytest.param(with_proof(context=[VC]), "SIGNATURE_INVALID", id="proof-context-shortened-prefix"),
    pytest.param(with_proof(context=None), "SIGNATURE_INVALID", id="proof-context-removed"),
    # key resolution
    pytest.param(with_proof(verificationMethod="did:web:roc.example.nl#key-1"), "DID_UNSUPPORTED", id="vm-did-web"),
    pytest.param(with_proof(verificationMethod="did:key:z6MkBAD#z6MkBAD"), "DID_INVALID", id="vm-bad-did-key"),
    pytest.param(
        with_proof(verificationMethod=f"{WORKER.did}#{EXAMINATOR.public_key_multibase}"),
        "DID_INVALID",
        id="vm-fragment-mismatch",
    ),
    pytest.param(with_proof(verificationMethod=EXAMINATOR.verification_method), "SIGNATURE_INVALID", id="vm-other-key"),
]


@pytest.mark.parametrize("document, code", INVALID_PROOFS)
def test_verify_refuses(document: dict[str, Any], code: str) -> None:
    assert refused(document).code == code


def document_changes() -> Iterator[Any]:
    def without(key: str) -> dict[str, Any]:
        signed = signed_credential()
        del signed[key]
        return signed

    def replaced(key: str, value: Any) -> dict[str, Any]:
        signed = signed_credential()
        signed[key] = value
        return signed

    yield pytest.param(credential(), "PROOF_MISSING", id="proof-missing")
    yield pytest.param(replaced("proof", None), "PROOF_MISSING", id="proof-null")
    yield pytest.param(replaced("proof", []), "PROOF_MALFORMED", id="proof-empty-array")
    yield pytest.param(replaced("proof", "z2HnFSSPP"), "PROOF_MALFORMED", id="proof-string")
    yield pytest.param(without("@context"), "PROOF_MALFORMED", id="document-context-removed")
    yield pytest.param(replaced("@context", VC), "PROOF_MALFORMED", id="document-context-string")
    yield pytest.param(replaced("@context", [PASPOORT, VC]), "PROOF_MALFORMED", id="document-context-reordered")
    yield pytest.param(replaced("@context", [VC]), "PROOF_MALFORMED", id="document-context-shortened")


@pytest.mark.parametrize("document, code", list(document_changes()))
def test_verify_refuses_document(document: dict[str, Any], code: str) -> None:
    assert refused(document).code == code


@pytest.mark.parametrize(
    "purpose, expected",
    [
        pytest.param(ASSERTION, AUTHENTICATION, id="assertion-for-authentication"),
        pytest.param(AUTHENTICATION, ASSERTION, id="authentication-for-assertion"),
        pytest.param(ASSERTION, "capabilityInvocation", id="unknown-expected"),
    ],
)
def test_wrong_purpose(purpose: str, expected: str) -> None:
    signed = signed_credential(proof_purpose=purpose)
    error = refused(signed, expected_purpose=expected)
    assert error.code == "PROOF_PURPOSE_MISMATCH"
    assert error.details["value"] == purpose


def test_all_proof_refusals_are_proof_errors_or_did_errors() -> None:
    for param in INVALID_PROOFS:
        document, code = param.values
        error = refused(document)
        assert isinstance(error, ProofError) or code.startswith("DID_")
        assert error.status == 422


def test_string_context_signs_and_verifies() -> None:
    document = {"@context": VC, "id": "urn:uuid:3", "type": ["VerifiableCredential"]}
    signed = sign(document, WORKER, created=CREATED)
    verify_proof(signed, expected_purpose=ASSERTION)


def test_signed_document_does_not_alias_context_into_proof() -> None:
    signed = signed_credential()
    assert signed["proof"]["@context"] is not signed["@context"]
    signed["@context"].append("https://example.org/extra/v1")  # allowed by the spec after signing
    verify_proof(signed, expected_purpose=ASSERTION)


@pytest.mark.parametrize("document", [pytest.param([], id="array"), pytest.param("text", id="string"), pytest.param(None, id="null")])
def test_verify_non_object_document(document: Any) -> None:
    assert refused(document).code == "PROOF_MALFORMED"


def test_huge_proof_value_is_refused_fast() -> None:
    tampered = with_proof(proofValue="z" + "2" * 300_000)
    with within_seconds(0.5):
        error = refused(tampered)
    assert error.code == "SIGNATURE_INVALID"
