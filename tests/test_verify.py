"""The verification layer: ``check`` reports every step in order, ``verify`` raises the first failure.

Documents come from the demo world (Ria's signed profile and endorsements, each with a
revocation entry, the issuers' status lists and the signed trust registry) at the fixed ``NOW``;
variants are re-signed by the issuer's own key, so only the changed check can fail.
"""
from __future__ import annotations

import copy

import pytest

from support import NOW, fixed_key
from passport import CheckResult, PassportError, StatusSource, check, sign, verify
from passport.demo.world import World
from passport.errors import StatusUnknown
from passport.format.status_list import BitstringStatusList, status_list_credential

from verifying import (
    AB, CREDENTIAL_CHECKS, ENDORSEMENT, full_check, issuer_key, of_type, resign, statuses,
)


# --- the pass path ----------------------------------------------------------------------------
def test_every_endorsement_verifies_with_trust_and_status(world):
    for credential in world.endorsements:
        report = full_check(world, credential)
        assert report.verified, report.to_dict()
        assert [r.name for r in report.checks] == CREDENTIAL_CHECKS
        assert all(r.status == "passed" and r.code is None for r in report.checks)
        assert report.trust.outcome == "trusted"


def test_credential_report_entries_name_what_passed(world):
    credential = of_type(world, AB)
    report = full_check(world, credential)
    assert bool(report) is True
    assert report.kind == "credential"
    assert report.document_id == credential["id"]
    assert report.issuer == credential["issuer"]["id"]
    messages = {r.name: r.message for r in report.checks}
    assert messages["structure"] == "a W3C VC 2.0 credential"
    assert messages["schema"] == "valid against schema aantoonbaar-bekwaam"
    assert messages["proof"] == f"eddsa-jcs-2022 signature by {credential['issuer']['id']}"
    assert messages["validity"] == f"valid until {credential['validUntil']}"
    assert messages["status"] == "not revoked and not suspended"
    assert "Stichting De Wilgenhoeve" in messages["trust"] and "vrh:" in messages["trust"]
    assert report.failures() == [] and report.first_error() is None


def test_validity_without_end_date(world):
    credential = of_type(world, ENDORSEMENT)
    assert full_check(world, credential).check("validity").message == "valid, with no end date"


def test_to_dict_shape(world):
    credential = of_type(world, AB)
    out = full_check(world, credential).to_dict()
    assert set(out) == {"kind", "verified", "id", "type", "issuer", "selfAsserted", "checks", "trust"}
    assert out["kind"] == "credential" and out["verified"] is True and out["selfAsserted"] is False
    assert out["type"] == credential["type"]
    assert [c["name"] for c in out["checks"]] == CREDENTIAL_CHECKS
    assert all(set(c) == {"name", "status", "code", "message"} for c in out["checks"])
    assert out["trust"]["outcome"] == "trusted" and out["trust"]["role"] == "examinator"
    assert out["trust"]["registry"] == "Loopbruggen demo-register"


def test_to_dict_of_a_failure_carries_code_and_details(world):
    credential = of_type(world, AB)
    tampered = {**credential, "name": "Aantoonbaar bekwaam: alles"}
    out = full_check(world, tampered).to_dict()
    proof = next(c for c in out["checks"] if c["name"] == "proof")
    assert out["verified"] is False
    assert proof["status"] == "failed" and proof["code"] == "SIGNATURE_INVALID" and proof["message"]


def test_check_result_is_plain_data():
    result = CheckResult.passed("proof", "ok")
    assert (result.name, result.status, result.code, result.ok) == ("proof", "passed", None, True)
    assert CheckResult.skipped("trust", "n/a").ok
    failed = CheckResult.failed("status", StatusUnknown("no list"), unknown=True)
    assert (failed.status, failed.code, failed.message, failed.ok) == ("unknown", "STATUS_UNKNOWN", "no list", False)


def test_verify_returns_the_document(world):
    credential = of_type(world, AB)
    assert verify(credential, now=NOW, trust=world.trust(), status=world.status_documents) is credential


def test_verify_raises_the_first_failure(world):
    """Tampered (proof) and checked after its end date (validity): the proof error comes first."""
    credential = of_type(world, AB)
    tampered = {**credential, "name": "Aantoonbaar bekwaam: alles"}
    later = "2027-12-01T00:00:00Z"
    report = check(tampered, now=later, status=world.status_documents)
    assert [r.code for r in report.failures()] == ["SIGNATURE_INVALID", "EXPIRED"]
    with pytest.raises(PassportError) as caught:
        verify(tampered, now=later, status=world.status_documents)
    assert caught.value.code == "SIGNATURE_INVALID"
    assert caught.value.status == 422


def test_all_checks_run_after_a_failure(world):
    credential = of_type(world, AB)
    report = check({**credential, "name": "x"}, now=NOW)  # no status, no trust
    assert statuses(report) == {
        "structure": ("passed", None), "schema": ("passed", None), "proof": ("failed", "SIGNATURE_INVALID"),
        "validity": ("passed", None), "status": ("skipped", None), "trust": ("skipped", None),
    }
    assert "proof did not verify" in report.check("status").message  # and no status list was asked for


@pytest.mark.parametrize("document", [
    pytest.param([], id="not-an-object"),
    pytest.param({"type": ["VerifiableCredential"]}, id="no-context"),
    pytest.param({"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
                  "issuer": "did:example:1", "credentialSubject": {}}, id="vc-1.1-context"),
    pytest.param({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                  "credentialSubject": {}}, id="no-issuer"),
    pytest.param({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                  "issuer": "did:example:1"}, id="no-subject"),
])
def test_bad_structure_skips_every_later_check(document):
    report = check(document, now=NOW)
    assert statuses(report)["structure"] == ("failed", "STRUCTURE_INVALID")
    assert [r.status for r in report.checks[1:]] == ["skipped"] * 5
    assert not report


def test_two_paspoort_types_is_a_structure_failure_not_an_exception(world):
    credential = of_type(world, AB)
    doubled = resign(credential, issuer_key(world, credential),
                     type=[*credential["type"], "CertificaatCredential"])
    report = full_check(world, doubled)
    assert statuses(report)["structure"] == ("failed", "STRUCTURE_INVALID")


def test_scope_problem_is_reported_not_raised(world):
    credential = of_type(world, AB)
    subject = {k: v for k, v in credential["credentialSubject"].items() if k != "procedure"}
    broken = resign(credential, issuer_key(world, credential), credentialSubject=subject)
    report = full_check(world, broken)
    assert statuses(report)["schema"] == ("failed", "SCHEMA_INVALID")
    assert statuses(report)["trust"][0] == "failed"


# --- trust --------------------------------------------------------------------------------
def test_trust_skipped_without_registry(world):
    report = check(of_type(world, AB), now=NOW, status=world.status_documents)
    assert statuses(report)["trust"] == ("skipped", None)
    assert report.trust is None and "trust" not in report.to_dict()
    assert report.verified


def test_examiner_outside_its_procedure_scope(world):
    credential = of_type(world, AB)
    subject = copy.deepcopy(credential["credentialSubject"])
    subject["procedure"]["code"] = "wzd:insuline-injecteren"
    report = full_check(world, resign(credential, issuer_key(world, credential), credentialSubject=subject))
    result = report.check("trust")
    assert (result.status, result.code) == ("failed", "ISSUER_OUT_OF_SCOPE")
    assert "wzd:insuline-injecteren" in result.message and "vrh:*" in result.message
    assert report.trust.outcome == "out_of_scope"


def reissued_by(world: World, credential: dict, role: str) -> dict:
    """The credential as if ``role`` issued it (no status entry, so only trust can differ)."""
    key = world.keys[role]
    unsigned = {k: v for k, v in credential.items() if k not in ("proof", "credentialStatus")}
    return resign(unsigned, key, issuer={**credential["issuer"], "id": key.did})


def test_issuer_listed_but_not_for_this_type(world):
    certificate = of_type(world, "CertificaatCredential")
    report = full_check(world, reissued_by(world, certificate, "loopbaancoach"))  # an assessor
    result = report.check("trust")
    assert (result.status, result.code) == ("failed", "ISSUER_OUT_OF_SCOPE")
    assert "may issue only AssessmentResultaatCredential" in result.message


def test_unknown_issuer(world):
    certificate = of_type(world, "CertificaatCredential")
    stranger = fixed_key("stranger")
    unsigned = {k: v for k, v in certificate.items() if k not in ("proof", "credentialStatus")}
    report = full_check(world, resign(unsigned, stranger, issuer={**certificate["issuer"], "id": stranger.did}))
    result = report.check("trust")
    assert (result.status, result.code) == ("failed", "ISSUER_UNKNOWN")
    assert stranger.did in result.message
    assert report.trust.outcome == "unknown_issuer"
    assert report.to_dict()["trust"]["outcome"] == "unknown_issuer"


def test_profile_is_self_asserted_and_trust_skipped(world):
    report = full_check(world, world.profile)
    assert report.self_asserted and report.to_dict()["selfAsserted"] is True
    assert statuses(report)["trust"] == ("skipped", None)
    assert "self-asserted" in report.check("trust").message
    assert statuses(report)["status"] == ("skipped", None)
    assert report.verified


# --- validity -----------------------------------------------------------------------------
@pytest.mark.parametrize("changes, code", [
    pytest.param({"validFrom": "2026-11-24T00:00:00Z"}, "NOT_YET_VALID", id="not-yet-valid"),
    pytest.param({"validUntil": "2026-11-23T11:59:59Z"}, "EXPIRED", id="expired"),
    pytest.param({"validUntil": "2026-11-23T12:00:00Z"}, "EXPIRED", id="expires-exactly-now"),
    pytest.param({"validUntil": "2026-13-01T00:00:00Z"}, "VALIDITY_INVALID", id="month-13"),
    pytest.param({"validFrom": "2026-11-01T09:00:00"}, "VALIDITY_INVALID", id="no-time-zone"),
])
def test_validity(world, changes, code):
    credential = of_type(world, AB)
    report = full_check(world, resign(credential, issuer_key(world, credential), **changes))
    result = report.check("validity")
    assert (result.status, result.code) == ("failed", code)
    assert report.check("proof").status == "passed"


# --- issuers that are not did:key: the caller's resolver reaches the status list too ---------
def test_did_web_issuer_with_status_list_verifies_through_the_callers_resolver() -> None:
    from passport.roles.issuing import did_document, document_resolver, method_key
    from passport.format.status_list import status_entry

    did = "did:web:roc.example"
    key = fixed_key("opleider")
    signer = method_key(key, did)
    resolver = document_resolver(did_document(did, [key.public_key_multibase]))
    url = "https://roc.example/status-lists/1"
    status_list = status_list_credential(issuer=did, list_id=url, purpose="revocation",
                                         status_list=BitstringStatusList(), valid_from="2026-11-01T00:00:00Z")
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:9a0f4a8e-0d3c-4c4e-9a43-2b7f3f7e1d01",
        "type": ["VerifiableCredential"],
        "issuer": did,
        "validFrom": "2026-11-01T00:00:00Z",
        "credentialSubject": {"id": fixed_key("worker").did},
        "credentialStatus": status_entry(url, 42, "revocation"),
    }
    signed = sign(credential, signer, created=NOW)
    signed_list = sign(status_list, signer, created=NOW)

    report = check(signed, now=NOW, status={url: signed_list}, resolver=resolver)
    assert report.verified, report.to_dict()
    assert report.check("status").status == "passed"
    # Without the resolver the credential cannot be checked, and its status list is not asked for.
    without = check(signed, now=NOW, status={url: signed_list})
    assert without.check("proof").code == "DID_UNSUPPORTED"
    assert without.check("status").status == "skipped"


# --- check()/verify() take trust= and status= as the README says (issue #11 item 23) -------------
def test_trust_as_a_signed_registry_with_trust_signers(world):
    credential = of_type(world, AB)
    operator = world.keys["registry"].did
    for trust, signers in ((world.registry, {operator}), (world.registry, operator), ([world.registry], [operator])):
        report = check(credential, now=NOW, trust=trust, trust_signers=signers, status=world.status_documents)
        assert report.verified, report.to_dict()
        assert report.trust.outcome == "trusted"
    assert verify(credential, now=NOW, trust=world.registry, trust_signers={operator},
                  status=world.status_documents) is credential


def test_signed_registry_without_trust_signers_says_what_to_pass(world):
    for call in (check, verify):
        with pytest.raises(PassportError, match="pass trust_signers=") as caught:
            call(of_type(world, AB), now=NOW, trust=world.registry, status=world.status_documents)
        assert caught.value.code == "INPUT_INVALID"


def test_signed_registry_with_the_wrong_signers_is_refused(world):
    with pytest.raises(PassportError) as caught:
        check(of_type(world, AB), now=NOW, trust=world.registry, trust_signers={fixed_key("stranger").did})
    assert caught.value.code == "TRUST_REGISTRY_INVALID" and "not a trusted registry operator" in caught.value.message


@pytest.mark.parametrize("trust, signers, words", [
    pytest.param("trust-registry.json", None, "pass a TrustStore", id="a-file-name"),
    pytest.param(42, None, "pass a TrustStore", id="a-number"),
    pytest.param([42], None, "item 0", id="a-list-of-numbers"),
    pytest.param(None, {"did:key:z6Mk"}, "without trust=", id="signers-without-registry"),
    pytest.param("registry", 42, "trust_signers=", id="signers-not-dids"),
])
def test_trust_of_another_kind_says_what_to_pass(world, trust, signers, words):
    with pytest.raises(PassportError, match=words) as caught:
        check(of_type(world, AB), now=NOW, trust=trust, trust_signers=signers)
    assert caught.value.code == "INPUT_INVALID"


@pytest.mark.parametrize("form", ["dict", "list", "loader", "source"])
def test_status_in_every_documented_form(world, form):
    lists = world.status_documents
    status = {"dict": lambda: lists, "list": lambda: list(lists.values()), "loader": lambda: lists.get,
              "source": lambda: StatusSource(lists)}[form]()
    for credential in world.endorsements:
        report = check(credential, now=NOW, trust=world.trust(), status=status)
        assert report.verified and report.check("status").message == "not revoked and not suspended", report.to_dict()


@pytest.mark.parametrize("status, words", [
    pytest.param(42, "pass a StatusSource", id="a-number"),
    pytest.param("https://status.zorg-examinator.example/lists/1", "pass a StatusSource", id="a-url"),
    pytest.param([42], "item 0 is not a status list credential", id="a-list-of-numbers"),
    pytest.param([{"type": ["VerifiableCredential"]}], "with an id", id="a-list-without-ids"),
    pytest.param({1: {}}, "keyed by statusListCredential URL", id="a-dict-keyed-by-numbers"),
])
def test_status_of_another_kind_says_what_to_pass(world, status, words):
    for call in (check, verify):
        with pytest.raises(PassportError, match=words) as caught:
            call(of_type(world, AB), now=NOW, trust=world.trust(), status=status)
        assert caught.value.code == "INPUT_INVALID"
