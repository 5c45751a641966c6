"""Proof sets and proof chains (W3C Data Integrity): every proof in a set must verify; a chained
proof covers the document with the proofs its ``previousProof`` names."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from proof_docs import ASSERTION, CREATED, EXAMINATOR, OTHER_KEYS, WORKER, credential, refused, signed_credential
from passport.errors import PassportError
from passport.proofs.chains import MAX_PROOFS
from passport.proofs.proof import add_proof, signer_of, verify_proof, verify_proofs

SUITES = ["eddsa-jcs-2022", "eddsa-rdfc-2022"]


def proof_set(suite: str) -> dict[str, Any]:
    first = signed_credential(cryptosuite=suite)
    return add_proof(first, EXAMINATOR, created=CREATED, cryptosuite=suite)


def proof_chain(suite: str) -> dict[str, Any]:
    first = signed_credential(cryptosuite=suite, proof_id="urn:uuid:proof-1")
    return add_proof(first, EXAMINATOR, created=CREATED, proof_id="urn:uuid:proof-2",
                     previous_proof="urn:uuid:proof-1", cryptosuite=suite)


@pytest.mark.parametrize("suite", SUITES)
def test_a_set_of_one_verifies_like_a_single_proof(suite: str) -> None:
    signed = signed_credential(cryptosuite=suite)
    signed["proof"] = [signed["proof"]]
    assert signer_of(verify_proof(signed, expected_purpose=ASSERTION)) == WORKER.did


@pytest.mark.parametrize("suite", SUITES)
def test_every_proof_of_a_set_verifies(suite: str) -> None:
    signed = proof_set(suite)
    proofs = verify_proofs(signed, expected_purpose=ASSERTION)
    assert [signer_of(item.proof) for item in proofs] == [WORKER.did, EXAMINATOR.did]


def test_mixed_suites_in_one_set() -> None:
    signed = add_proof(signed_credential(cryptosuite="eddsa-rdfc-2022"), EXAMINATOR, created=CREATED)
    assert [p.proof["cryptosuite"] for p in verify_proofs(signed, expected_purpose=ASSERTION)] == SUITES[::-1]


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("broken", [0, 1])
def test_one_bad_proof_fails_the_set(suite: str, broken: int) -> None:
    signed = proof_set(suite)
    other = signed["proof"][1 - broken]["proofValue"]
    signed["proof"][broken]["proofValue"] = other  # a real signature, by the wrong key for this proof
    assert refused(signed).code == "SIGNATURE_INVALID"


def test_a_changed_document_fails_every_proof_of_the_set() -> None:
    signed = proof_set("eddsa-jcs-2022")
    signed["credentialSubject"]["name"] = "Someone Else"
    assert refused(signed).code == "SIGNATURE_INVALID"


def test_wrong_purpose_on_any_proof_of_the_set() -> None:
    signed = add_proof(signed_credential(), EXAMINATOR, created=CREATED, proof_purpose="authentication")
    assert refused(signed).code == "PROOF_PURPOSE_MISMATCH"


@pytest.mark.parametrize("suite", SUITES)
def test_a_chain_verifies(suite: str) -> None:
    signed = proof_chain(suite)
    assert [p.proof["id"] for p in verify_proofs(signed, expected_purpose=ASSERTION)] == \
        ["urn:uuid:proof-1", "urn:uuid:proof-2"]


def test_a_chain_over_two_previous_proofs() -> None:
    signed = proof_chain("eddsa-jcs-2022")
    signed = add_proof(signed, OTHER_KEYS[0], created=CREATED, proof_id="urn:uuid:proof-3",
                       previous_proof=["urn:uuid:proof-1", "urn:uuid:proof-2"])
    assert len(verify_proofs(signed, expected_purpose=ASSERTION)) == 3


@pytest.mark.parametrize("suite", SUITES)
def test_a_chained_proof_covers_the_previous_proof(suite: str) -> None:
    signed = proof_chain(suite)
    signed["proof"][0]["created"] = "2026-11-02T09:00:00Z"  # the first proof changed: both fail
    assert refused(signed).code == "SIGNATURE_INVALID"


def test_removing_previous_proof_breaks_the_chained_signature() -> None:
    signed = proof_chain("eddsa-jcs-2022")
    del signed["proof"][1]["previousProof"]
    assert refused(signed).code == "SIGNATURE_INVALID"


def chain_changes():
    def changed(change) -> dict[str, Any]:
        signed = proof_chain("eddsa-jcs-2022")
        change(signed["proof"])
        return signed

    yield pytest.param(changed(lambda p: p.pop(0)), id="previous-proof-removed")
    yield pytest.param(changed(lambda p: p[1].update(previousProof="urn:uuid:nothing")), id="names-an-unknown-id")
    yield pytest.param(changed(lambda p: p[1].update(previousProof="urn:uuid:proof-2")), id="names-itself")
    yield pytest.param(changed(lambda p: p[1].update(previousProof=[])), id="empty-list")
    yield pytest.param(changed(lambda p: p[1].update(previousProof=7)), id="a-number")
    yield pytest.param(changed(lambda p: p[1].update(id="urn:uuid:proof-1")), id="duplicate-ids")
    yield pytest.param(changed(lambda p: p[1].update(id=5)), id="id-not-a-string")


@pytest.mark.parametrize("document", list(chain_changes()))
def test_broken_chains_are_malformed(document: dict[str, Any]) -> None:
    assert refused(document).code == "PROOF_MALFORMED"


def test_proof_set_size_is_bounded() -> None:
    signed = signed_credential()
    signed["proof"] = [copy.deepcopy(signed["proof"]) for _ in range(MAX_PROOFS + 1)]
    error = refused(signed)
    assert error.code == "PROOF_MALFORMED" and str(MAX_PROOFS) in error.message


@pytest.mark.parametrize("item", ["z3abc", None, ["nested"]])
def test_every_item_of_a_set_is_an_object(item: Any) -> None:
    signed = signed_credential()
    signed["proof"] = [signed["proof"], item]
    assert refused(signed).code == "PROOF_MALFORMED"


def test_add_proof_needs_a_signed_document() -> None:
    with pytest.raises(PassportError) as caught:
        add_proof(credential(), WORKER, created=CREATED)
    assert caught.value.code == "PROOF_MALFORMED"
