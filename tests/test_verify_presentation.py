"""Verifying presentations: holder binding, nested credential reports, endorsed profile entries.

Documents come from the demo world (Ria's signed profile and endorsements, each with a
revocation entry, the issuers' status lists and the signed trust registry) at the fixed ``NOW``;
variants are re-signed by the issuer's own key, so only the changed check can fail.
"""
from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from support import NOW, fixed_key
from passport import PassportError, check, present, sign, verify
from passport.demo.world import World, build_world
from passport.format.documents import find_entry
from passport.roles.sharing import select_profile

from verifying import (
    AB, CREDENTIAL_CHECKS, ENDORSEMENT, PRESENTATION_CHECKS, full_check, issuer_key, of_type, resign, statuses,
)


# --- presentations --------------------------------------------------------------------------
def vp_of(world: World, credentials=None, *, now=NOW, **options) -> dict:
    credentials = [world.profile, *world.endorsements] if credentials is None else credentials
    return present(credentials, world.holder, now=now, **options)


def test_presentation_verifies_with_every_check_in_order(world):
    vp = vp_of(world, challenge="c-1", domain="werkgever.example")
    report = full_check(world, vp, challenge="c-1", domain="werkgever.example", max_age=timedelta(minutes=5))
    assert report.verified, [r.to_dict() for r in report.failures()]
    assert report.kind == "presentation" and report.issuer == world.holder.did
    assert [r.name for r in report.checks] == PRESENTATION_CHECKS
    assert all(r.status == "passed" for r in report.checks)
    assert report.check("entries").message == "1 endorsed profile entry unchanged"
    assert len(report.credentials) == 1 + len(world.endorsements)
    assert [r.name for r in report.credentials[0].checks] == CREDENTIAL_CHECKS
    assert report.credentials[0].self_asserted
    out = report.to_dict()
    assert out["kind"] == "presentation" and len(out["credentials"]) == len(report.credentials)
    assert verify(vp, now=NOW, trust=world.trust(), status=world.status_documents, challenge="c-1",
                  domain="werkgever.example") is vp


def test_presentation_binding_skipped_when_nothing_expected(world):
    report = full_check(world, vp_of(world, challenge="c-1"))
    assert statuses(report)["challenge"] == ("skipped", None)
    assert statuses(report)["domain"] == ("skipped", None)
    assert statuses(report)["freshness"] == ("skipped", None)
    assert report.verified


@pytest.mark.parametrize("made_with, expected, check_name, code", [
    pytest.param({"challenge": "A"}, {"challenge": "B"}, "challenge", "CHALLENGE_MISMATCH", id="other-challenge"),
    pytest.param({}, {"challenge": "B"}, "challenge", "CHALLENGE_MISMATCH", id="no-challenge-in-proof"),
    pytest.param({"domain": "a.example"}, {"domain": "b.example"}, "domain", "DOMAIN_MISMATCH", id="other-domain"),
    pytest.param({}, {"domain": "b.example"}, "domain", "DOMAIN_MISMATCH", id="no-domain-in-proof"),
])
def test_presentation_binding_mismatch(world, made_with, expected, check_name, code):
    report = full_check(world, vp_of(world, **made_with), **expected)
    assert statuses(report)[check_name] == ("failed", code)
    assert not report.verified
    with pytest.raises(PassportError) as caught:
        verify(vp_of(world, **made_with), now=NOW, trust=world.trust(), status=world.status_documents, **expected)
    assert caught.value.code == code


def test_missing_challenge_message(world):
    result = full_check(world, vp_of(world), challenge="B").check("challenge")
    assert result.message == "the presentation has no challenge"


def test_freshness(world):
    vp = vp_of(world, now=NOW - timedelta(minutes=10))
    assert statuses(full_check(world, vp, max_age=timedelta(minutes=15)))["freshness"] == ("passed", None)
    report = full_check(world, vp, max_age=timedelta(minutes=5))
    assert statuses(report)["freshness"] == ("failed", "PROOF_NOT_CURRENT")
    assert "more than 300 s ago" in report.check("freshness").message


def test_credential_about_someone_else(world):
    jan = build_world("jan", NOW)
    report = full_check(world, vp_of(world, [world.profile, jan.endorsements[0]]),
                        trust=jan.trust(), status={**world.status_documents, **jan.status_documents})
    result = report.check("subjects")
    assert (result.status, result.code) == ("failed", "SUBJECT_NOT_HOLDER")
    assert jan.holder.did in result.message
    assert all(nested.verified for nested in report.credentials)  # each credential is fine on its own


def test_presentation_signed_by_another_key_than_the_holder(world):
    unsigned = {k: v for k, v in vp_of(world).items() if k != "proof"}
    forged = sign(unsigned, fixed_key("stranger"), created=NOW, proof_purpose="authentication")
    report = full_check(world, forged)
    assert statuses(report)["proof"] == ("failed", "HOLDER_MISMATCH")
    assert "not the holder" in report.check("proof").message
    assert statuses(report)["freshness"] == ("skipped", None)


def changed_profile(world: World, entry_id: str) -> dict:
    """The profile with an endorsed entry edited, re-signed by the worker."""
    profile = {k: v for k, v in copy.deepcopy(world.profile).items() if k != "proof"}
    entry = find_entry(profile, entry_id)
    entry["description"] = "Ook bij een brand blijf ik altijd volkomen kalm."
    return sign(profile, world.holder, created=NOW)


def test_endorsed_entry_changed(world):
    endorsement = of_type(world, ENDORSEMENT)
    entry_id = endorsement["credentialSubject"]["entry"]["id"]
    vp = vp_of(world, [changed_profile(world, entry_id), endorsement])
    report = full_check(world, vp)
    result = report.check("entries")
    assert (result.status, result.code) == ("failed", "ENTRY_DIGEST_MISMATCH")
    assert entry_id in result.message
    assert all(nested.verified for nested in report.credentials)  # both signatures are fine
    with pytest.raises(PassportError) as caught:
        verify(vp, now=NOW, trust=world.trust(), status=world.status_documents)
    assert caught.value.code == "ENTRY_DIGEST_MISMATCH"


def test_endorsed_entry_not_shared(world):
    endorsement = of_type(world, ENDORSEMENT)
    entry_id = endorsement["credentialSubject"]["entry"]["id"]
    shared = sign(select_profile(world.profile, blocks=["skills"]), world.holder, created=NOW)
    assert find_entry(shared, entry_id) is None
    report = full_check(world, vp_of(world, [shared, endorsement]))
    assert report.check("entries").status in ("passed", "skipped")
    assert report.verified


def test_endorsement_without_profile_skips_entries(world):
    report = full_check(world, vp_of(world, [of_type(world, ENDORSEMENT)]))
    assert statuses(report)["entries"] == ("skipped", None)
    assert report.verified


def test_endorsement_with_malformed_subject_does_not_crash(world):
    endorsement = of_type(world, ENDORSEMENT)
    odd = resign(endorsement, issuer_key(world, endorsement), credentialSubject=[endorsement["credentialSubject"]])
    report = full_check(world, vp_of(world, [world.profile, odd]))
    assert not report.verified  # the endorsement's own schema check fails


def test_nested_credential_failure_fails_the_presentation(world):
    credential = of_type(world, AB)
    tampered = {**credential, "name": "Aantoonbaar bekwaam: alles"}
    vp = vp_of(world, [world.profile, tampered])
    report = full_check(world, vp)
    assert all(r.ok for r in report.checks)  # the presentation itself is fine
    assert not report.verified and not bool(report)
    assert report.credentials[1].check("proof").code == "SIGNATURE_INVALID"
    assert report.to_dict()["verified"] is False
    assert report.to_dict()["credentials"][1]["verified"] is False
    with pytest.raises(PassportError) as caught:
        verify(vp, now=NOW, trust=world.trust(), status=world.status_documents)
    assert caught.value.code == "SIGNATURE_INVALID"


def test_presentation_own_failure_comes_before_nested(world):
    credential = of_type(world, AB)
    vp = vp_of(world, [world.profile, {**credential, "name": "x"}], challenge="A")
    with pytest.raises(PassportError) as caught:
        verify(vp, now=NOW, trust=world.trust(), status=world.status_documents, challenge="B")
    assert caught.value.code == "CHALLENGE_MISMATCH"


def test_presentation_bad_structure_stops(world):
    vp = vp_of(world)
    report = check({**vp, "holder": "Ria"}, now=NOW)
    assert [(r.name, r.status, r.code) for r in report.checks] == [("structure", "failed", "STRUCTURE_INVALID")]
    assert not report


def test_report_to_dict_is_json_with_schema_error_details(world):
    import json

    credential = of_type(world, AB)
    unsigned = {k: v for k, v in credential.items() if k not in ("proof", "evidence")}
    broken = sign(unsigned, issuer_key(world, credential), created=NOW)
    vp = vp_of(world, [world.profile, broken])
    out = json.loads(json.dumps(full_check(world, vp).to_dict()))
    schema = next(c for c in out["credentials"][1]["checks"] if c["name"] == "schema")
    assert schema["code"] == "SCHEMA_INVALID"
    assert any(error["path"] == "" or "evidence" in error["message"] for error in schema["details"]["errors"])


# --- the presentation's bytes are made from its credentials' bytes (verifier._canonical_parts) ----
def test_single_embedded_credential_object_verifies_and_tampering_breaks_both_proofs(world):
    credential = of_type(world, AB)
    vp = vp_of(world, [credential])
    vp["verifiableCredential"] = vp["verifiableCredential"][0]  # VC 2.0 allows one object
    holder_signed = sign({k: v for k, v in vp.items() if k != "proof"}, world.holder, created=NOW,
                         proof_purpose="authentication")
    assert full_check(world, holder_signed).verified
    tampered = copy.deepcopy(holder_signed)
    tampered["verifiableCredential"]["validUntil"] = "2099-01-01T00:00:00Z"
    report = full_check(world, tampered)
    assert report.check("proof").code == "SIGNATURE_INVALID"
    assert report.credentials[0].check("proof").code == "SIGNATURE_INVALID"


def test_credential_whose_proof_context_is_a_prefix_still_verifies_inside_a_presentation(world):
    """Its signed bytes carry the proof's @context, not the document's: the shared bytes are not used."""
    credential = of_type(world, AB)
    short = resign(credential, issuer_key(world, credential), **{"@context": credential["@context"][:1]})
    assert short["proof"]["@context"] == credential["@context"][:1]
    widened = {**short, "@context": credential["@context"]}
    report = full_check(world, vp_of(world, [widened]))
    assert report.check("proof").status == "passed"
    assert report.credentials[0].check("proof").status == "passed", report.credentials[0].check("proof")
    forged = {**widened, "name": "Aantoonbaar bekwaam: alles"}
    assert full_check(world, vp_of(world, [forged])).credentials[0].check("proof").code == "SIGNATURE_INVALID"


def test_credential_without_proof_inside_a_presentation(world):
    credential = {k: v for k, v in of_type(world, AB).items() if k != "proof"}
    report = full_check(world, vp_of(world, [world.profile, credential]))
    assert report.check("proof").status == "passed"  # the holder signed what it holds
    assert report.credentials[0].verified
    assert report.credentials[1].check("proof").code == "PROOF_MISSING"


@pytest.mark.parametrize("embedded", [[], "absent"])
def test_presentation_without_credentials_verifies(world, embedded):
    unsigned = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                "holder": world.holder.did}
    if embedded != "absent":
        unsigned["verifiableCredential"] = embedded
    vp = sign(unsigned, world.holder, created=NOW, proof_purpose="authentication")
    report = full_check(world, vp)
    assert report.check("proof").status == "passed", report.check("proof")
    assert report.credentials == []
