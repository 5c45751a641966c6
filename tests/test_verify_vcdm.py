"""Verification beyond Paspoort: generic VCDM credentials, VC 1.1, proof sets, and the two policies.

``policy="paspoort"`` (the default) applies the Paspoort rules to every credential; ``policy="vcdm"``
(the VC API endpoints) applies them to Paspoort credentials only and reports them ``skipped`` for
any other credential.
"""
from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from support import NOW, fixed_key
from verifying import full_check, of_type, statuses
from passport import check, sign
from passport.errors import InputError
from passport.encoding.timeutil import format_datetime
from passport.proofs.proof import add_proof
from passport.roles.holder import present

VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
DI = "https://w3id.org/security/data-integrity/v2"  # VC 1.1 does not define DataIntegrityProof itself
NOW_TEXT = format_datetime(NOW)
ISSUER = fixed_key("stranger")  # a did:key issuer that no trust registry lists
SUITES = ["eddsa-jcs-2022", "eddsa-rdfc-2022"]


def generic(**changes: Any) -> dict[str, Any]:
    document = {"@context": [VC2], "id": "urn:uuid:5b3a39a6-1d0e-4d1b-9a7e-2f6f0d1c2a3b",
                "type": ["VerifiableCredential"], "issuer": ISSUER.did,
                "credentialSubject": {"id": "did:example:alice"}}
    document.update(changes)
    return document


def vc11(**changes: Any) -> dict[str, Any]:
    return generic(**{"@context": [VC1, DI], "issuanceDate": "2026-01-01T00:00:00Z", **changes})


# --- generic credentials and the trust policy -----------------------------------------------
@pytest.mark.parametrize("suite", SUITES)
def test_generic_credential_verifies_without_a_registry(suite: str) -> None:
    report = check(sign(generic(), ISSUER, created=NOW, cryptosuite=suite), now=NOW)
    assert report.verified, report.to_dict()
    assert statuses(report)["trust"] == ("skipped", None)


def test_generic_credential_with_an_unlisted_issuer_fails_trust_under_the_paspoort_policy(world) -> None:
    report = full_check(world, sign(generic(), ISSUER, created=NOW))
    assert not report.verified and statuses(report)["trust"] == ("failed", "ISSUER_UNKNOWN")


def test_generic_credential_with_an_unlisted_issuer_is_not_failed_by_trust_under_vcdm(world) -> None:
    report = full_check(world, sign(generic(), ISSUER, created=NOW), policy="vcdm")
    assert report.verified, report.to_dict()
    trust = report.check("trust")
    assert trust.status == "skipped" and "not a Paspoort credential" in trust.message


def test_generic_credential_of_a_listed_issuer_passes_trust_under_vcdm(world) -> None:
    key = world.keys["zorg-examinator"]
    report = full_check(world, sign(generic(issuer=key.did), key, created=NOW), policy="vcdm")
    assert report.verified and statuses(report)["trust"] == ("passed", None)


def test_paspoort_credentials_keep_the_trust_rule_under_vcdm(world) -> None:
    endorsement = of_type(world, "AantoonbaarBekwaamCredential")
    report = full_check(world, endorsement, policy="vcdm", trust=None)
    assert statuses(report)["trust"] == ("skipped", None)  # no registry given at all
    from passport.format.trust import TrustStore

    report = full_check(world, endorsement, policy="vcdm", trust=TrustStore([]))
    assert statuses(report)["trust"][0] == "failed"


def test_a_status_entry_of_an_unlisted_issuer_is_unknown_never_valid(world) -> None:
    entry = {"id": "https://status.example/lists/1#7", "type": "BitstringStatusListEntry",
             "statusPurpose": "revocation", "statusListIndex": "7",
             "statusListCredential": "https://status.example/lists/1"}
    report = full_check(world, sign(generic(credentialStatus=entry), ISSUER, created=NOW), policy="vcdm")
    assert not report.verified and statuses(report)["status"] == ("unknown", "STATUS_UNKNOWN")


def test_unknown_policy_is_api_misuse() -> None:
    with pytest.raises(InputError, match="policy"):
        check(sign(generic(), ISSUER, created=NOW), now=NOW, policy="lenient")


# --- VC 1.1 ----------------------------------------------------------------------------------
@pytest.mark.parametrize("suite", SUITES)
def test_vc11_credential_verifies(suite: str) -> None:
    report = check(sign(vc11(expirationDate="2027-01-01T00:00:00Z"), ISSUER, created=NOW, cryptosuite=suite), now=NOW)
    assert report.verified, report.to_dict()
    assert report.check("structure").message == "a W3C VC 1.1 credential"
    assert statuses(report)["schema"] == ("skipped", None)
    assert report.check("validity").message == "valid until 2027-01-01T00:00:00Z"


@pytest.mark.parametrize("changes, step, code", [
    pytest.param({"expirationDate": format_datetime(NOW - timedelta(days=1))}, "validity", "EXPIRED", id="expired"),
    pytest.param({"issuanceDate": format_datetime(NOW + timedelta(days=1))}, "validity", "NOT_YET_VALID",
                 id="issued-in-the-future"),
    pytest.param({"issuanceDate": "1 January 2026"}, "validity", "VALIDITY_INVALID", id="issuanceDate-not-a-date"),
    pytest.param({"expirationDate": "2027-01-01"}, "validity", "VALIDITY_INVALID", id="expirationDate-no-time"),
    pytest.param({"validFrom": "2026-01-01T00:00:00Z"}, "structure", "STRUCTURE_INVALID", id="vc2-date-in-vc11"),
    pytest.param({"type": ["VerifiableCredential", "CertificaatCredential"]}, "structure", "STRUCTURE_INVALID",
                 id="paspoort-type-in-vc11"),
])
def test_vc11_refusals(changes: dict[str, Any], step: str, code: str) -> None:
    report = check(sign(vc11(**changes), ISSUER, created=NOW), now=NOW)
    assert not report.verified and statuses(report)[step] == ("failed", code)


def test_vc11_without_issuanceDate_is_malformed() -> None:
    document = vc11()
    del document["issuanceDate"]
    report = check(sign(document, ISSUER, created=NOW), now=NOW)
    assert statuses(report)["structure"] == ("failed", "STRUCTURE_INVALID")
    assert "issuanceDate" in report.check("structure").message


def test_vc2_credential_may_not_use_vc11_dates() -> None:
    report = check(sign(generic(expirationDate="2030-01-01T00:00:00Z"), ISSUER, created=NOW), now=NOW)
    assert statuses(report)["structure"] == ("failed", "STRUCTURE_INVALID")


@pytest.mark.parametrize("context", [["https://www.w3.org/ns/credentials/examples/v2", VC2], [], VC2, None])
def test_other_first_contexts_are_refused(context: Any) -> None:
    report = check(sign(generic(**{"@context": context}), ISSUER, created=NOW), now=NOW)
    assert statuses(report)["structure"] == ("failed", "STRUCTURE_INVALID")


# --- proof sets on credentials -------------------------------------------------------------
def test_credential_with_a_proof_set_by_issuer_and_witness() -> None:
    signed = add_proof(sign(generic(), ISSUER, created=NOW), fixed_key("registry"), created=NOW_TEXT)
    report = check(signed, now=NOW)
    assert report.verified and report.check("proof").message.startswith("2 proofs")


def test_a_proof_set_without_the_issuers_proof_is_not_the_issuers() -> None:
    signed = add_proof(sign(generic(), fixed_key("registry"), created=NOW_TEXT), fixed_key("assessor"), created=NOW_TEXT)
    assert statuses(check(signed, now=NOW))["proof"] == ("failed", "PROOF_KEY_NOT_AUTHORIZED")


def test_a_broken_proof_in_the_set_fails_the_credential() -> None:
    signed = add_proof(sign(generic(), ISSUER, created=NOW), fixed_key("registry"), created=NOW_TEXT)
    signed["proof"][1]["proofValue"] = signed["proof"][0]["proofValue"]
    assert statuses(check(signed, now=NOW))["proof"] == ("failed", "SIGNATURE_INVALID")


def test_a_proof_without_created_verifies() -> None:
    report = check(sign(generic(), ISSUER, created=None) if False else _no_created(), now=NOW)
    assert report.verified, report.to_dict()


def _no_created() -> dict[str, Any]:
    from passport.proofs.proof import sign as sign_without_clock

    return sign_without_clock(generic(), ISSUER, created=None)


# --- presentations: the subjects rule ------------------------------------------------------
HOLDER = fixed_key("worker")


def generic_vp(credentials: list[dict[str, Any]], *, holder: Any = HOLDER.did, **options: Any) -> dict[str, Any]:
    from passport.proofs.proof import sign as sign_proof

    unsigned = {"@context": [VC2], "type": ["VerifiablePresentation"], "verifiableCredential": credentials}
    if holder is not None:
        unsigned["holder"] = holder
    return sign_proof(unsigned, HOLDER, created=format_datetime(NOW), proof_purpose="authentication",
                      challenge="caller-123", domain="example.org", **options)


def test_generic_presentation_is_not_failed_by_the_subjects_rule() -> None:
    vp = generic_vp([sign(generic(), ISSUER, created=NOW)])
    report = check(vp, now=NOW, challenge="caller-123", domain="example.org", policy="vcdm")
    assert report.verified, report.to_dict()
    subjects = report.check("subjects")
    assert subjects.status == "skipped" and "Paspoort policy" in subjects.message


def test_the_paspoort_policy_fails_a_credential_about_someone_else() -> None:
    vp = generic_vp([sign(generic(), ISSUER, created=NOW)])
    report = check(vp, now=NOW, challenge="caller-123", domain="example.org")
    assert statuses(report)["subjects"] == ("failed", "SUBJECT_NOT_HOLDER")


def test_vcdm_policy_still_applies_the_subjects_rule_to_paspoort_credentials(world) -> None:
    from passport.demo.world import build_world

    jans = build_world("jan", NOW)
    stolen = jans.endorsements[0]  # a Paspoort credential about Jan
    vp = present([stolen, sign(generic(), ISSUER, created=NOW)], world.holder, now=NOW, challenge="c", domain="d")
    report = full_check(world, vp, challenge="c", domain="d", policy="vcdm")
    assert statuses(report)["subjects"] == ("failed", "SUBJECT_NOT_HOLDER")


def test_vcdm_policy_reports_what_it_checked(world) -> None:
    mine = of_type(world, "AantoonbaarBekwaamCredential")
    vp = present([mine, sign(generic(), ISSUER, created=NOW)], world.holder, now=NOW, challenge="c", domain="d")
    subjects = full_check(world, vp, challenge="c", domain="d", policy="vcdm").check("subjects")
    assert subjects.status == "passed" and "1 other credential(s) not checked" in subjects.message


@pytest.mark.parametrize("holder", [{"id": HOLDER.did}, None])
def test_holder_as_object_or_absent_under_vcdm(holder: Any) -> None:
    report = check(generic_vp([], holder=holder), now=NOW, challenge="caller-123", policy="vcdm")
    assert report.verified, report.to_dict()
    if holder is None:
        assert "names no holder" in report.check("proof").message


def test_the_paspoort_policy_requires_a_holder_did() -> None:
    report = check(generic_vp([], holder=None), now=NOW, challenge="caller-123")
    assert statuses(report)["structure"] == ("failed", "STRUCTURE_INVALID")


@pytest.mark.parametrize("holder", [7, "", "not a url", {"name": "x"}])
def test_holder_must_be_a_url_or_an_object_with_one(holder: Any) -> None:
    vp = generic_vp([])
    vp["holder"] = holder
    report = check(vp, now=NOW, challenge="caller-123", policy="vcdm")
    assert statuses(report)["structure"] == ("failed", "STRUCTURE_INVALID")


def test_a_vc11_presentation_with_a_vc11_credential() -> None:
    from passport.proofs.proof import sign as sign_proof

    credential = sign(vc11(), ISSUER, created=NOW)
    unsigned = {"@context": [VC1, DI], "type": ["VerifiablePresentation"], "holder": HOLDER.did,
                "verifiableCredential": [credential]}
    vp = sign_proof(unsigned, HOLDER, created=format_datetime(NOW), proof_purpose="authentication", challenge="x")
    report = check(vp, now=NOW, challenge="x", policy="vcdm")
    assert report.verified, report.to_dict()
    assert report.check("structure").message.startswith("a W3C VC 1.1 presentation")


def test_freshness_without_created_is_not_fresh() -> None:
    from passport.proofs.proof import sign as sign_proof

    unsigned = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": HOLDER.did}
    vp = sign_proof(unsigned, HOLDER, created=None, proof_purpose="authentication", challenge="x")
    report = check(vp, now=NOW, challenge="x", max_age=timedelta(minutes=5), policy="vcdm")
    assert statuses(report)["freshness"] == ("failed", "PROOF_NOT_CURRENT")
    assert report.check("proof").ok  # the proof itself is fine: created is optional


def test_presentation_proof_set_binds_with_the_holders_proof() -> None:
    vp = generic_vp([])
    vp = add_proof(vp, fixed_key("registry"), created=format_datetime(NOW), proof_purpose="authentication")
    vp["proof"].reverse()  # the holder's proof need not come first
    report = check(copy.deepcopy(vp), now=NOW, challenge="caller-123", domain="example.org", policy="vcdm")
    assert report.verified, report.to_dict()


def test_a_status_list_credential_is_a_w3c_type_for_the_policy(world) -> None:
    """BitstringStatusListCredential has a schema here, but it is not a Paspoort type: under vcdm the
    registry's silence about its issuer does not fail it."""
    from passport.format.status_list import BitstringStatusList, status_list_credential

    unsigned = status_list_credential(issuer=ISSUER.did, list_id="https://status.example/lists/1",
                                      purpose="revocation", status_list=BitstringStatusList(), valid_from=NOW_TEXT)
    signed = sign(unsigned, ISSUER, created=NOW)
    assert full_check(world, signed, policy="vcdm").verified
    assert statuses(full_check(world, signed))["trust"][0] == "failed"
