"""One named regression test per known attack; each names the exact error code it must produce.

The honest documents come from the demo world (Ria at ``NOW``); the attacker holds the
``stranger`` key. A test asserts the code that ``verify`` raises first, so an attack must be
stopped by the check meant for it, not by an accident further down.
"""
from __future__ import annotations

import copy
import gzip
import json
from datetime import timedelta

import pytest

from support import NOW, TookTooLong, fixed_key, within_seconds
from passport import PassportError, TrustRegistry, check, present, sign, verify
from passport.encoding import jsonio
from passport.demo.world import World, build_world
from passport.format.documents import find_entry, paspoort_type
from passport.encoding.jcs import MAX_DEPTH
from passport.encoding.multibase import encode_u
from passport.format.status_list import BitstringStatusList, status_list_credential
from passport.encoding.timeutil import format_datetime

ATTACKER = fixed_key("stranger")
AB = "AantoonbaarBekwaamCredential"


@pytest.fixture(scope="module")
def world() -> World:
    return build_world("ria", NOW)


@pytest.fixture(scope="module")
def credential(world) -> dict:
    return next(c for c in world.endorsements if paspoort_type(c) == AB)


def examiner(world):
    return world.keys["zorg-examinator"]


def unsigned(document: dict, **changes) -> dict:
    out = {k: v for k, v in copy.deepcopy(document).items() if k != "proof"}
    out.update(changes)
    return out


def code_of(document, world, **options) -> str:
    """The code ``verify`` raises (it must raise)."""
    options = {"now": NOW, "trust": world.trust(), "status": world.status_documents, **options}
    with pytest.raises(PassportError) as caught:
        verify(document, **options)
    assert check(document, **options).first_error().code == caught.value.code
    return caught.value.code


def holders_vp(world, credentials, **options) -> dict:
    return present(credentials, world.holder, now=options.pop("now", NOW), **options)


# --- signatures and proofs ------------------------------------------------------------------
def test_tampered_credential(world, credential):
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["procedure"]["code"] = "vrh:alles"
    assert code_of(tampered, world) == "SIGNATURE_INVALID"


def test_signature_by_another_key(world, credential):
    """The attacker re-signs with their own key and keeps the examiner as issuer."""
    forged = sign(unsigned(credential, name="Aantoonbaar bekwaam: alles"), ATTACKER, created=NOW)
    assert code_of(forged, world) == "PROOF_KEY_NOT_AUTHORIZED"


def test_swapped_verification_method(world, credential):
    """Signed by the attacker, then the proof names the examiner's verification method."""
    forged = sign(unsigned(credential, name="x"), ATTACKER, created=NOW)
    forged["proof"]["verificationMethod"] = examiner(world).verification_method
    assert code_of(forged, world) == "SIGNATURE_INVALID"


def test_issuer_did_with_attackers_key_fragment(world, credential):
    """``did:key:<issuer>#<attacker key>``: the controller looks right, the key is not the DID's."""
    forged = sign(unsigned(credential, name="x"), ATTACKER, created=NOW)
    forged["proof"]["verificationMethod"] = f"{examiner(world).did}#{ATTACKER.public_key_multibase}"
    assert code_of(forged, world) == "DID_INVALID"


@pytest.mark.parametrize("field, value", [
    pytest.param("cryptosuite", "ecdsa-rdfc-2019", id="ecdsa-rdfc-2019"),
    pytest.param("type", "Ed25519Signature2020", id="Ed25519Signature2020"),
    pytest.param("cryptosuite", "none", id="cryptosuite-none"),
])
def test_suite_confusion(world, credential, field, value):
    confused = copy.deepcopy(credential)
    confused["proof"][field] = value
    assert code_of(confused, world) == "PROOF_SUITE_UNSUPPORTED"


def test_suite_relabelled_to_the_other_accepted_suite(world, credential):
    """A jcs signature presented as eddsa-rdfc-2022 (accepted too) is checked over the RDFC bytes: fails."""
    confused = copy.deepcopy(credential)
    confused["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    assert code_of(confused, world) == "SIGNATURE_INVALID"


def test_credential_proof_reused_as_presentation_proof(world):
    """A proof made for assertions (a credential's purpose) does not authenticate a holder."""
    vp = holders_vp(world, [world.profile])
    reused = sign(unsigned(vp), world.holder, created=NOW, proof_purpose="assertionMethod")
    assert code_of(reused, world) == "PROOF_PURPOSE_MISMATCH"


def test_presentation_proof_used_as_credential_proof(world, credential):
    confused = sign(unsigned(world.profile), world.holder, created=NOW, proof_purpose="authentication")
    assert code_of(confused, world) == "PROOF_PURPOSE_MISMATCH"


def test_proof_created_in_the_future(world, credential):
    future = sign(unsigned(credential), examiner(world), created=NOW + timedelta(hours=1))
    assert code_of(future, world) == "PROOF_NOT_CURRENT"


def test_proof_created_within_clock_skew_is_accepted(world, credential):
    near = sign(unsigned(credential), examiner(world), created=NOW + timedelta(minutes=4))
    assert verify(near, now=NOW, trust=world.trust(), status=world.status_documents) is near


# --- validity and status --------------------------------------------------------------------
def test_expired(world, credential):
    assert code_of(credential, world, now="2027-04-01T00:00:00Z") == "EXPIRED"


def test_not_yet_valid(world, credential):
    early = sign(unsigned(credential, validFrom="2026-12-01T00:00:00Z"), examiner(world), created=NOW)
    assert code_of(early, world) == "NOT_YET_VALID"


def test_revoked():
    world = build_world("ria", NOW)
    target = next(c for c in world.endorsements if paspoort_type(c) == AB)
    world.revoke(target["id"])
    assert code_of(target, world) == "REVOKED"


def status_list_doc(world, url, *, purpose="revocation", bits=(), key=None, encoded=None) -> dict:
    status_list = BitstringStatusList()
    for index in bits:
        status_list.set(index, True)
    document = status_list_credential(issuer=examiner(world).did, list_id=url, purpose=purpose,
                                      status_list=status_list, valid_from=format_datetime(NOW - timedelta(days=1)))
    if encoded is not None:
        document["credentialSubject"]["encodedList"] = encoded
    return sign(document, key or examiner(world), created=NOW - timedelta(days=1))


def test_suspended(world, credential):
    """The one message entry (statusSize 2) reads 0x1: suspended, never valid."""
    world.set_status(credential["id"], "suspended")
    try:
        assert code_of(credential, world, status=world.status_documents) == "SUSPENDED"
    finally:
        world.set_status(credential["id"], "valid")  # the world is shared by this module's tests


def test_status_list_forged_by_another_key(world, credential):
    """The attacker publishes an all-clear list in the examiner's name, signed with their own key."""
    url = credential["credentialStatus"]["statusListCredential"]
    lists = {**world.status_documents, url: status_list_doc(world, url, key=ATTACKER)}
    assert code_of(credential, world, status=lists) == "STATUS_LIST_INVALID"


def test_status_list_gzip_bomb(world, credential):
    """A list that inflates past the cap is refused quickly, and the status is not valid."""
    url = credential["credentialStatus"]["statusListCredential"]
    bomb = encode_u(gzip.compress(bytes(17 * 1024 * 1024), compresslevel=9, mtime=0))
    lists = {**world.status_documents, url: status_list_doc(world, url, encoded=bomb)}
    with within_seconds(5):
        report = check(credential, now=NOW, trust=world.trust(), status=lists)
    result = report.check("status")
    assert (result.status, result.code) == ("unknown", "STATUS_LIST_INVALID")
    assert "GZIP bomb" in result.message
    assert code_of(credential, world, status=lists) == "STATUS_LIST_INVALID"


def test_status_list_for_the_wrong_purpose(world, credential):
    """A suspension list (all clear) answering a revocation entry."""
    url = credential["credentialStatus"]["statusListCredential"]
    lists = {**world.status_documents, url: status_list_doc(world, url, purpose="suspension")}
    assert code_of(credential, world, status=lists) == "STATUS_LIST_INVALID"


# --- trust ------------------------------------------------------------------------------------
def test_issuer_not_in_registry(world, credential):
    own = unsigned(credential, issuer={**credential["issuer"], "id": ATTACKER.did})
    del own["credentialStatus"]
    assert code_of(sign(own, ATTACKER, created=NOW), world) == "ISSUER_UNKNOWN"


def test_issuer_out_of_scope(world, credential):
    """The examiner is listed for ``vrh:*`` procedures only."""
    document = unsigned(credential)
    document["credentialSubject"]["procedure"]["code"] = "big:injecteren"
    assert code_of(sign(document, examiner(world), created=NOW), world) == "ISSUER_OUT_OF_SCOPE"


def test_registry_signed_by_untrusted_key(world):
    """The attacker issues a registry that lists themselves; the verifier trusts only the operator."""
    registry = unsigned(world.registry, issuer={**world.registry["issuer"], "id": ATTACKER.did})
    registry["credentialSubject"]["issuers"].append(
        {"id": ATTACKER.did, "name": "Nep-examinator", "role": "examinator",
         "credentialTypes": [AB], "scope": None})
    forged = sign(registry, ATTACKER, created=NOW)
    with pytest.raises(PassportError) as caught:
        TrustRegistry.from_credential(forged, trusted_signers={world.keys["registry"].did}, now=NOW)
    assert caught.value.code == "TRUST_REGISTRY_INVALID"


def test_registry_re_signed_keeping_the_operator_as_issuer(world):
    forged = sign(unsigned(world.registry), ATTACKER, created=NOW)
    with pytest.raises(PassportError) as caught:
        TrustRegistry.from_credential(forged, trusted_signers={world.keys["registry"].did}, now=NOW)
    assert caught.value.code == "TRUST_REGISTRY_INVALID"


# --- presentations ------------------------------------------------------------------------------
def test_credential_about_someone_else(world):
    jan = build_world("jan", NOW)
    vp = holders_vp(world, [world.profile, jan.endorsements[0]])
    status = {**world.status_documents, **jan.status_documents}
    assert code_of(vp, world, status=status) == "SUBJECT_NOT_HOLDER"


def test_replayed_challenge(world):
    vp = holders_vp(world, [world.profile], challenge="challenge-A")
    assert code_of(vp, world, challenge="challenge-B") == "CHALLENGE_MISMATCH"


def test_wrong_domain(world):
    vp = holders_vp(world, [world.profile], challenge="c", domain="ander-bedrijf.example")
    assert code_of(vp, world, challenge="c", domain="werkgever.example") == "DOMAIN_MISMATCH"


def test_presentation_too_old(world):
    vp = holders_vp(world, [world.profile], now=NOW - timedelta(minutes=10))
    assert code_of(vp, world, max_age=timedelta(minutes=2)) == "PROOF_NOT_CURRENT"


def test_presentation_proof_expired(world):
    vp = holders_vp(world, [world.profile], now=NOW - timedelta(hours=1), lifetime=timedelta(minutes=15))
    assert code_of(vp, world) == "PROOF_NOT_CURRENT"


def test_endorsed_entry_changed(world):
    endorsement = next(c for c in world.endorsements if paspoort_type(c) == "ProfielEndorsementCredential")
    profile = unsigned(world.profile)
    find_entry(profile, endorsement["credentialSubject"]["entry"]["id"])["name"] = "Onverstoorbaar in elke crisis"
    vp = holders_vp(world, [sign(profile, world.holder, created=NOW), endorsement])
    assert code_of(vp, world) == "ENTRY_DIGEST_MISMATCH"


def test_enveloped_credential_in_presentation(world):
    enveloped = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["EnvelopedVerifiableCredential"],
                 "id": "data:application/vc+sd-jwt,eyJhbGciOiJFUzI1NiJ9.e30.sig"}
    vp = holders_vp(world, [world.profile, enveloped])
    assert code_of(vp, world) == "STRUCTURE_INVALID"


def test_subject_array_with_one_foreign_id(world, credential):
    """The examiner's (signed) credential names Ria and someone else; Ria presents it."""
    subject = credential["credentialSubject"]
    both = sign(unsigned(credential, credentialSubject=[subject, {**subject, "id": ATTACKER.did}]),
                examiner(world), created=NOW)
    vp = holders_vp(world, [world.profile, both])
    assert code_of(vp, world) == "SUBJECT_NOT_HOLDER"


# --- hostile JSON ---------------------------------------------------------------------------
def test_huge_json():
    data = b'{"a": "' + b"x" * (jsonio.MAX_DOCUMENT_BYTES + 1) + b'"}'
    with pytest.raises(PassportError) as caught:
        jsonio.loads(data)
    assert caught.value.code == "INPUT_TOO_LARGE" and caught.value.status == 413


def test_deeply_nested_json():
    data = "[" * 100_000 + "]" * 100_000
    with within_seconds(2), pytest.raises(PassportError) as caught:
        jsonio.loads(data)
    assert caught.value.code == "NESTING_TOO_DEEP"
    assert caught.value.details["limit"] == MAX_DEPTH


def test_duplicate_keys(credential):
    """Two ``validUntil`` keys: a lenient parser keeps the last, a signature covers one."""
    text = json.dumps(credential)
    doubled = text.replace('"validUntil": ', '"validUntil": "2099-01-01T00:00:00Z", "validUntil": ', 1)
    with pytest.raises(PassportError) as caught:
        jsonio.loads(doubled)
    assert caught.value.code == "DUPLICATE_KEY"


def test_big_integer():
    with pytest.raises(PassportError) as caught:
        jsonio.loads('{"hoursPerWeek": 9007199254740993}')
    assert caught.value.code == "NUMBER_NOT_CANONICAL"


def test_million_digit_integer_is_refused_quickly():
    try:
        with within_seconds(2), pytest.raises(PassportError) as caught:
            jsonio.loads('{"n": ' + "9" * 1_000_000 + "}")
    except TookTooLong:  # pragma: no cover - the regression this test exists for
        pytest.fail("a long integer is parsed in more than linear time")
    assert caught.value.code == "NUMBER_NOT_CANONICAL"
