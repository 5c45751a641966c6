"""eddsa-rdfc-2022 against software we did not write: Digital Bazaar's node stack.

``@digitalbazaar/eddsa-rdfc-2022-cryptosuite`` with ``data-integrity`` and ``jsonld-signatures``
(tests/interop, pinned by its package-lock.json) verifies what we sign, and we verify what it
signs: every Paspoort document the demo makes (each Paspoort credential type, the profile, the
trust registry, a status list) and a general VCDM 2.0 credential. Node reads our shipped
contexts, passed to it by ``interop.dbstack``, and refuses every other URL. A change after
signing fails on both sides.

Without node or ``npm ci --prefix tests/interop`` these tests skip with the reason; under
``CI=true`` they fail instead (.ci/run installs both).
"""
from __future__ import annotations

import copy
import os
from typing import Any

import pytest

from interop import dbstack
from support import NOW, NOW_TEXT
from passport.demo.world import build_world
from passport.errors import PassportError, SignatureInvalid
from passport.format.documents import issuer_id
from passport.proofs.proof import sign, unsecured, verify_proof

from proof_docs import ASSERTION, CREATED, WORKER, credential

RDFC = "eddsa-rdfc-2022"
VC = "https://www.w3.org/ns/credentials/v2"
PASPOORT_TYPES = {"PersoonlijkProfielCredential", "ProfielEndorsementCredential", "AantoonbaarBekwaamCredential",
                  "CertificaatCredential", "AssessmentResultaatCredential", "WerkervaringCredential",
                  "TrustRegistryCredential"}


@pytest.fixture(scope="module", autouse=True)
def node() -> None:
    reason = dbstack.unavailable()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (required in CI: .ci/run installs it)")
        pytest.skip(reason)


def general_credential() -> dict[str, Any]:
    """A VCDM 2.0 credential with the VC context and an inline vocabulary: no Paspoort context."""
    return {
        "@context": [VC, {"@vocab": "https://vereniging.example/vocab#"}],
        "id": "urn:uuid:2d2b5a3e-1b55-4c3e-9a37-6f3c8e0f4a21",
        "type": ["VerifiableCredential", "ExampleMembershipCredential"],
        "issuer": {"id": WORKER.did, "name": "Voorbeeldvereniging"},
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2027-01-01T00:00:00Z",
        "name": {"@value": "Lidmaatschap", "@language": "nl"},
        "credentialSubject": {"id": "did:example:member-17", "memberSince": 2019, "active": True,
                              "dues": 12.5, "note": "tab\there, quote \" and é"},
    }


@pytest.fixture(scope="module")
def ours() -> dict[str, dict[str, Any]]:
    """Every document of every persona's demo world, signed again by its issuer with eddsa-rdfc-2022."""
    signed: dict[str, dict[str, Any]] = {}
    for persona in ("ria", "jan", "samira"):
        world = build_world(persona, NOW)
        documents = {"profile": world.profile, "trust registry": world.registry,
                     **{f"endorsement {stem}": doc for stem, doc in zip(world.stems, world.endorsements)},
                     "status list": next(iter(world.status_documents.values()))}
        for name, document in documents.items():
            key = world.keys[world.role_of(issuer_id(document))]
            signed[f"{persona}: {name}"] = sign(unsecured(document), key, created=NOW_TEXT, cryptosuite=RDFC)
    signed["general VCDM credential"] = sign(general_credential(), WORKER, created=CREATED, cryptosuite=RDFC)
    return signed


def test_the_documents_cover_every_paspoort_type(ours: dict[str, dict[str, Any]]) -> None:
    types = {name for document in ours.values() for name in document["type"]}
    assert PASPOORT_TYPES | {"BitstringStatusListCredential"} <= types


def test_their_stack_verifies_every_document_we_sign(ours: dict[str, dict[str, Any]]) -> None:
    results = dbstack.verify(list(ours.values()))
    refused = {name: result["error"] for name, result in zip(ours, results) if not result["verified"]}
    assert refused == {}
    assert len(results) == len(ours) > 15


def _tampered(signed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One change after signing each: a literal, a type, the proof's created, another signature."""
    variants = {name: copy.deepcopy(signed) for name in ("literal", "type", "created", "proofValue")}
    variants["literal"]["credentialSubject"]["name"] = "Piet de Vries"
    variants["type"]["type"] = ["VerifiableCredential", "ProfielEndorsementCredential"]
    variants["created"]["proof"]["created"] = "2026-11-02T09:00:00Z"
    other = sign(unsecured(signed), WORKER, created=CREATED, cryptosuite=RDFC, challenge="other")
    variants["proofValue"]["proof"]["proofValue"] = other["proof"]["proofValue"]
    return variants


def test_their_stack_rejects_what_we_signed_once_changed() -> None:
    signed = sign(credential(), WORKER, created=CREATED, cryptosuite=RDFC)
    variants = _tampered(signed)
    results = dbstack.verify([signed, *variants.values()])
    assert results[0]["verified"] is True and results[0]["error"] is None
    for name, result in zip(variants, results[1:]):
        assert result["verified"] is False, name
        assert "Invalid signature" in result["error"], (name, result["error"])


@pytest.mark.parametrize("unsigned", [credential(), general_credential()], ids=["paspoort", "general VCDM"])
def test_we_verify_what_they_sign(unsigned: dict[str, Any]) -> None:
    theirs = dbstack.sign(unsigned, bytes([1]) * 32, CREATED)  # WORKER's seed
    proof = verify_proof(theirs, expected_purpose=ASSERTION)
    assert proof["cryptosuite"] == RDFC and proof["verificationMethod"] == WORKER.verification_method
    assert unsecured(theirs) == unsigned
    # Ed25519 is deterministic: the same canonical bytes give the same signature as ours
    assert theirs["proof"] == sign(unsigned, WORKER, created=CREATED, cryptosuite=RDFC)["proof"]


def test_we_reject_what_they_signed_once_changed() -> None:
    theirs = dbstack.sign(credential(), bytes([1]) * 32, CREATED)
    for name, variant in _tampered(theirs).items():
        with pytest.raises(SignatureInvalid):
            verify_proof(variant, expected_purpose=ASSERTION)


def test_their_loader_fetches_nothing() -> None:
    """A context we do not ship is refused by node's loader as by ours; no URL is fetched."""
    document = {**credential(), "@context": [VC, "https://example.org/not-shipped/v1"]}
    signed = {**document, "proof": sign(credential(), WORKER, created=CREATED, cryptosuite=RDFC)["proof"]}
    [result] = dbstack.verify([signed])
    assert result["verified"] is False
    assert set(result["refused"]) == {"https://example.org/not-shipped/v1"}  # for the document and the proof
    with pytest.raises(PassportError) as caught:
        verify_proof(signed, expected_purpose=ASSERTION)
    assert caught.value.code == "JSONLD_CONTEXT_UNKNOWN"


def test_the_timing_command_times_only_a_document_that_verifies() -> None:
    """bench_rdfc's node figure: a number per verify, and never the time of a failing verify."""
    signed = sign(credential(), WORKER, created=CREATED, cryptosuite=RDFC)
    assert dbstack.time_verify(signed, count=5, warmup=0) > 0
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["name"] = "Piet de Vries"
    with pytest.raises(dbstack.NodeFailed, match="does not verify"):
        dbstack.time_verify(changed, count=5, warmup=0)
