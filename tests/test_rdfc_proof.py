"""eddsa-rdfc-2022 on Paspoort documents: sign, verify (alone and through the verifier), the suite
allowlist, proofs without ``created``, RDFC-1.0's escaping and its work limit.

The W3C vector itself is reproduced in test_rdfc_vectors.py.
"""
from __future__ import annotations

import copy
from typing import Any

import pytest

from passport.proofs import signing
from passport.errors import (
    JsonLdContextUnknown, JsonLdInvalid, JsonLdTermUndefined, JsonLdTypeUndefined, ProofMalformed, SignatureInvalid,
    SuiteUnsupported,
)
from passport.jsonld import canonize
from passport.jsonld.rdfc import MAX_RELATED_GROUP, escape_literal
from passport.proofs.proof import sign, unsecured, verify_proof
from passport.verification.verifier import check

from proof_docs import ASSERTION, CREATED, EXAMINATOR, WORKER, credential

RDFC = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"
VC = "https://www.w3.org/ns/credentials/v2"


def rdfc_signed(document: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
    return sign(document or credential(), WORKER, created=options.pop("created", CREATED), cryptosuite=RDFC,
                **options)


# --- round trips ---------------------------------------------------------------------------
def test_rdfc_round_trip_on_a_paspoort_credential() -> None:
    signed = rdfc_signed()
    proof = verify_proof(signed, expected_purpose=ASSERTION)
    assert proof["cryptosuite"] == RDFC and "@context" not in proof
    assert unsecured(signed) == credential()


def test_signing_default_stays_jcs_and_the_public_sign_takes_the_suite() -> None:
    assert signing.sign(credential(), WORKER, created=CREATED)["proof"]["cryptosuite"] == JCS
    signed = signing.sign(credential(), WORKER, created=CREATED, cryptosuite=RDFC)
    assert signed["proof"]["cryptosuite"] == RDFC
    verify_proof(signed, expected_purpose=ASSERTION)


@pytest.mark.parametrize("suite", [JCS, RDFC])
def test_a_proof_without_created_verifies(suite: str) -> None:
    """``created`` is optional in Data Integrity: a proof signed without it verifies."""
    signed = sign(credential(), WORKER, created=None, cryptosuite=suite)
    assert "created" not in signed["proof"]
    assert verify_proof(signed, expected_purpose=ASSERTION)["cryptosuite"] == suite


@pytest.mark.parametrize("suite", [JCS, RDFC])
def test_a_created_added_afterwards_breaks_the_signature(suite: str) -> None:
    signed = sign(credential(), WORKER, created=None, cryptosuite=suite)
    signed["proof"]["created"] = CREATED
    with pytest.raises(SignatureInvalid):
        verify_proof(signed, expected_purpose=ASSERTION)


def test_a_malformed_created_is_still_refused() -> None:
    signed = rdfc_signed()
    signed["proof"]["created"] = "yesterday"
    with pytest.raises(ProofMalformed):
        verify_proof(signed, expected_purpose=ASSERTION)


# --- the allowlist -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["ecdsa-rdfc-2019", "eddsa-2022", "EDDSA-RDFC-2022", "", None, ["eddsa-rdfc-2022"]])
def test_sign_refuses_a_suite_outside_the_allowlist(name: Any) -> None:
    with pytest.raises(SuiteUnsupported):
        sign(credential(), WORKER, created=CREATED, cryptosuite=name)


@pytest.mark.parametrize("name", ["ecdsa-rdfc-2019", "eddsa-2022", "Eddsa-rdfc-2022", None])
def test_verify_refuses_a_suite_outside_the_allowlist(name: Any) -> None:
    signed = rdfc_signed()
    signed["proof"]["cryptosuite"] = name
    with pytest.raises(SuiteUnsupported):
        verify_proof(signed, expected_purpose=ASSERTION)


def test_a_jcs_signature_relabelled_rdfc_does_not_verify() -> None:
    signed = sign(credential(), WORKER, created=CREATED)
    signed["proof"]["cryptosuite"] = RDFC
    with pytest.raises(SignatureInvalid):
        verify_proof(signed, expected_purpose=ASSERTION)


# --- what the signature covers ---------------------------------------------------------------
def test_a_changed_value_breaks_the_signature() -> None:
    signed = rdfc_signed()
    signed["credentialSubject"]["name"] = "Someone Else"
    with pytest.raises(SignatureInvalid):
        verify_proof(signed, expected_purpose=ASSERTION)


def test_an_undefined_property_is_refused_not_left_unsigned() -> None:
    signed = rdfc_signed()
    signed["credentialSubject"]["salaris"] = 1_000_000
    with pytest.raises(JsonLdTermUndefined) as caught:
        verify_proof(signed, expected_purpose=ASSERTION)
    assert caught.value.code == "JSONLD_TERM_UNDEFINED"
    assert caught.value.details == {"term": "salaris", "path": "credentialSubject.salaris"}


def test_sign_refuses_a_document_with_an_undefined_type() -> None:
    document = credential()
    document["type"] = [*document["type"], "GeheimCredential"]
    with pytest.raises(JsonLdTypeUndefined) as caught:
        rdfc_signed(document)
    assert caught.value.details["type"] == "GeheimCredential"


def test_sign_refuses_an_unknown_context_without_fetching_it() -> None:
    document = credential()
    document["@context"] = [*document["@context"], "https://example.org/mijn-context"]
    with pytest.raises(JsonLdContextUnknown):
        rdfc_signed(document)


# --- through the verifier ----------------------------------------------------------------------
def test_the_verifier_accepts_an_rdfc_endorsement(world) -> None:
    endorsement = copy.deepcopy(world.endorsements[0])
    role = world.role_of(endorsement["issuer"]["id"])
    resigned = sign(unsecured(endorsement), world.keys[role], created=CREATED, cryptosuite=RDFC)
    report = check(resigned, now=world.now, trust=world.trust(), status=world.status_documents)
    assert report.verified, [(r.name, r.code) for r in report.failures()]
    assert report.check("proof").message.startswith(f"{RDFC} signature by ")


def test_the_verifier_reports_a_tampered_rdfc_endorsement(world) -> None:
    endorsement = copy.deepcopy(world.endorsements[0])
    role = world.role_of(endorsement["issuer"]["id"])
    resigned = sign(unsecured(endorsement), world.keys[role], created=CREATED, cryptosuite=RDFC)
    resigned["validFrom"] = "2020-01-01T00:00:00Z"
    report = check(resigned, now=world.now, trust=world.trust(), status=world.status_documents)
    assert not report.verified
    assert "SIGNATURE_INVALID" in [r.code for r in report.failures()]


def test_another_key_does_not_verify() -> None:
    signed = rdfc_signed()
    signed["proof"]["verificationMethod"] = EXAMINATOR.verification_method
    with pytest.raises(SignatureInvalid):
        verify_proof(signed, expected_purpose=ASSERTION)


# --- RDFC-1.0 details ----------------------------------------------------------------------------
def test_canonical_n_quads_escape_control_characters_as_rdfc_1_0() -> None:
    assert escape_literal('a"b\\c') == 'a\\"b\\\\c'
    assert escape_literal("\b\t\n\f\r") == "\\b\\t\\n\\f\\r"
    assert escape_literal("\x00\x01\x0b\x1f\x7f") == "\\u0000\\u0001\\u000B\\u001F\\u007F"
    assert escape_literal("é €") == "é €"  # other characters stay as they are
    document = {"@context": [VC], "type": ["VerifiableCredential"], "name": "bel\x07"}
    assert '"bel\\u0007"' in canonize(document)


def test_many_indistinguishable_blank_nodes_are_refused_not_permuted() -> None:
    """Alike blank nodes make RDFC's N-degree hashing try every permutation (7 took 2 s, 8 about
    16 s): beyond the limit the document is refused; up to it, it is canonicalized."""
    def hubs(children: int) -> dict[str, Any]:
        return {"@graph": [{"@id": f"_:t{hub}_{i}", "https://example.org/p": {"@id": f"_:hub{hub}"}}
                           for hub in (1, 2) for i in range(children)]}

    assert canonize(hubs(3)).count("\n") == 6
    with pytest.raises(JsonLdInvalid) as caught:
        canonize(hubs(MAX_RELATED_GROUP + 1))
    assert caught.value.code == "JSONLD_INVALID"


def test_a_presentation_mixing_suites_verifies(world) -> None:
    """An rdfc endorsement in a jcs presentation, and an rdfc presentation: the verifier's shortcut
    (the JCS bytes of each credential made once) must not be used for an rdfc proof."""
    from passport.roles.holder import present

    endorsement = copy.deepcopy(world.endorsements[0])
    role = world.role_of(endorsement["issuer"]["id"])
    rdfc_endorsement = sign(unsecured(endorsement), world.keys[role], created=CREATED, cryptosuite=RDFC)
    options = dict(now=world.now, trust=world.trust(), status=world.status_documents, challenge="c-1",
                   domain="https://werkgever.example")
    jcs_vp = present([world.profile, rdfc_endorsement, *world.endorsements[1:]], world.holder, now=world.now,
                     challenge="c-1", domain="https://werkgever.example")
    report = check(jcs_vp, **options)
    assert report.verified, [(r.name, r.code) for r in report.failures()]
    rdfc_vp = sign(unsecured(jcs_vp), world.holder, created=jcs_vp["proof"]["created"], cryptosuite=RDFC,
                   proof_purpose="authentication", challenge="c-1", domain="https://werkgever.example",
                   expires=jcs_vp["proof"].get("expires"))
    report = check(rdfc_vp, **options)
    assert report.verified, [(r.name, r.code) for r in report.failures()]
    tampered = copy.deepcopy(rdfc_vp)
    tampered["verifiableCredential"][1]["credentialSubject"]["achievement"]["name"] = "Iets anders"
    assert not check(tampered, **options).verified


def test_an_rdfc_proof_that_carries_the_context_verifies_and_a_wrong_one_is_refused() -> None:
    """Data Integrity: a proof @context must lead the document's, and is then the context used."""
    signed = rdfc_signed()
    signed["proof"]["@context"] = list(signed["@context"])
    verify_proof(signed, expected_purpose=ASSERTION)
    signed["proof"]["@context"] = [VC, "https://example.org/other"]
    with pytest.raises(ProofMalformed):
        verify_proof(signed, expected_purpose=ASSERTION)
