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
from passport.demo.world import World, build_world
from passport.errors import StatusUnknown
from passport.format.status_list import BitstringStatusList, status_entry, status_list_credential
from passport.encoding.timeutil import format_datetime

from verifying import (
    AB, CREDENTIAL_CHECKS, ENDORSEMENT, full_check, issuer_key, of_type, resign, signed_list,
    statuses,
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


# --- status -------------------------------------------------------------------------------
def test_no_status_source_is_unknown_never_valid(world):
    report = check(of_type(world, AB), now=NOW, trust=world.trust())
    result = report.check("status")
    assert (result.status, result.code) == ("unknown", "STATUS_UNKNOWN")
    assert "no status list was supplied" in result.message
    assert not report.verified
    with pytest.raises(PassportError) as caught:
        verify(of_type(world, AB), now=NOW, trust=world.trust())
    assert caught.value.code == "STATUS_UNKNOWN"


def test_no_status_entry_is_skipped(world):
    credential = of_type(world, AB)
    plain = resign({k: v for k, v in credential.items() if k != "credentialStatus"}, issuer_key(world, credential))
    report = check(plain, now=NOW, trust=world.trust())
    assert statuses(report)["status"] == ("skipped", None)
    assert report.verified


def test_revoked():
    world = build_world("ria", NOW)
    credential = of_type(world, AB)
    world.revoke(credential["id"])
    report = full_check(world, credential)
    result = report.check("status")
    assert (result.status, result.code) == ("failed", "REVOKED")
    assert result.message == "the issuer has revoked this credential"
    assert result.error.details["index"] == int(credential["credentialStatus"]["statusListIndex"])
    others = [c for c in world.endorsements if c["id"] != credential["id"]]
    assert all(full_check(world, c).verified for c in others)  # one bit, one credential


def with_suspension(world: World, credential: dict, *, suspended: bool) -> dict:
    """The credential's one message entry (statusSize 2) set to suspended (0x1) or left valid (0x0)."""
    if suspended:
        world.set_status(credential["id"], "suspended")
    return credential


def test_one_message_entry_valid(world):
    credential = with_suspension(world, of_type(world, AB), suspended=False)
    entry = credential["credentialStatus"]
    assert (entry["statusPurpose"], entry["statusSize"], len(entry["statusMessage"])) == ("message", 2, 4)
    report = full_check(world, credential)
    assert report.check("status").message == "not revoked and not suspended"
    assert report.verified


def test_suspended():
    world = build_world("ria", NOW)
    credential = with_suspension(world, of_type(world, AB), suspended=True)
    report = full_check(world, credential)
    assert statuses(report)["status"] == ("failed", "SUSPENDED")
    with pytest.raises(PassportError) as caught:
        verify(credential, now=NOW, trust=world.trust(), status=world.status_documents)
    assert caught.value.code == "SUSPENDED"
    world.set_status(credential["id"], "valid")  # unsuspended
    assert full_check(world, credential).verified


def test_message_value_3_reads_revoked_and_unknown_messages_are_unknown(world):
    credential = of_type(world, AB)
    url, index = world.positions[credential["id"]]
    role = world.role_of(credential["issuer"]["id"])
    lists = {**world.status_documents, url: signed_list(world, role, url=url, values={index: 3})}
    assert statuses(full_check(world, credential, status=lists))["status"] == ("failed", "REVOKED")
    odd = copy.deepcopy(credential["credentialStatus"])
    odd["statusMessage"][1]["message"] = "pending_review"
    reissued = resign(credential, world.keys[role], credentialStatus=odd)
    lists = {**world.status_documents, url: signed_list(world, role, url=url, values={index: 1})}
    result = full_check(world, reissued, status=lists).check("status")
    assert (result.status, result.code) == ("unknown", "STATUS_UNKNOWN") and "pending_review" in result.message


def test_old_revocation_and_suspension_entries_still_read(world):
    """A generic VC with the two one-bit entries of earlier Paspoort releases (statusSize 1)."""
    credential = of_type(world, AB)
    role = world.role_of(credential["issuer"]["id"])
    revocation, suspension = (f"https://status.{role}.example/lists/{name}" for name in ("revocation", "suspension"))
    plain = {k: v for k, v in credential.items() if k not in ("proof", "credentialStatus")}
    plain.update({"type": ["VerifiableCredential"], "@context": ["https://www.w3.org/ns/credentials/v2"],
                  "credentialSubject": {"id": credential["credentialSubject"]["id"]}})
    plain["credentialStatus"] = [status_entry(revocation, 5, "revocation"), status_entry(suspension, 77, "suspension")]
    signed = sign(plain, world.keys[role], created=NOW)
    for suspended, expected in ((False, ("passed", None)), (True, ("failed", "SUSPENDED"))):
        lists = {revocation: signed_list(world, role, url=revocation, purpose="revocation"),
                 suspension: signed_list(world, role, url=suspension, purpose="suspension",
                                         bits=[77] if suspended else [])}
        report = check(signed, now=NOW, status=lists)
        assert statuses(report)["status"] == expected, report.to_dict()
    assert check(signed, now=NOW, status=lists).check("status").message == "the issuer has suspended this credential"


def list_url(credential: dict) -> str:
    return credential["credentialStatus"]["statusListCredential"]


def _other_issuer(world, credential):
    url = list_url(credential)
    return {url: signed_list(world, "roc", url=url)}  # ROC's own list, at the examiner's URL


def _forged(world, credential):
    url = list_url(credential)
    role = world.role_of(credential["issuer"]["id"])
    return {url: signed_list(world, role, url=url, key=fixed_key("stranger"))}  # issuer kept, attacker signs


def _tampered(world, credential):
    url = list_url(credential)
    document = copy.deepcopy(world.status_documents[url])
    document["validFrom"] = "2020-01-01T00:00:00Z"
    return {url: document}


def _expired(world, credential):
    url = list_url(credential)
    role = world.role_of(credential["issuer"]["id"])
    return {url: signed_list(world, role, url=url, valid_until=format_datetime(NOW))}  # validUntil == now


def _wrong_id(world, credential):
    url = list_url(credential)
    role = world.role_of(credential["issuer"]["id"])
    return {url: signed_list(world, role, url=url + "-old")}


def _loader_fails(world, credential):
    def load(url):
        raise StatusUnknown(f"GET {url}: timed out")
    return load


def _loader_network_error(world, credential):
    def load(url):
        raise ConnectionError(f"GET {url}: connection refused")
    return load


def _missing(world, credential):
    return {"https://elsewhere.example/list": world.status_documents[list_url(credential)]}


@pytest.mark.parametrize("make, code, words", [
    pytest.param(_other_issuer, "STATUS_LIST_INVALID", "the credential by", id="list-of-another-issuer"),
    pytest.param(_forged, "STATUS_LIST_INVALID", "not signed by its own issuer", id="list-signed-by-another-key"),
    pytest.param(_tampered, "STATUS_LIST_INVALID", "failed verification", id="list-tampered"),
    pytest.param(_expired, "STATUS_UNKNOWN", "stale", id="list-expired"),
    pytest.param(_wrong_id, "STATUS_LIST_INVALID", "but the entry points at", id="list-id-not-entry-url"),
    pytest.param(_loader_fails, "STATUS_UNKNOWN", "could not be loaded", id="loader-raises"),
    pytest.param(_loader_network_error, "STATUS_UNKNOWN", "could not be fetched", id="loader-network-error"),
    pytest.param(_missing, "STATUS_UNKNOWN", "no status list was supplied", id="list-not-supplied"),
])
def test_status_that_cannot_be_determined_is_unknown(world, make, code, words):
    credential = of_type(world, AB)
    report = full_check(world, credential, status=make(world, credential))
    result = report.check("status")
    assert (result.status, result.code) == ("unknown", code)
    assert words in result.message
    assert not report.verified


def test_status_loader_is_called_once_per_list(world):
    calls = []

    def load(url):
        calls.append(url)
        return world.status_documents.get(url)

    source = StatusSource(load)
    credential = of_type(world, AB)
    for _ in range(3):
        assert full_check(world, credential, status=source).verified
    assert calls == [list_url(credential)]


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


# --- a status list is asked for only when the credential has earned it (issue #11 item 1) --------
class CountingLoader:
    """A status loader that records every URL it is asked for."""

    def __init__(self, lists: dict) -> None:
        self.lists, self.asked = lists, []

    def __call__(self, url: str) -> dict | None:
        self.asked.append(url)
        return self.lists.get(url)


def test_no_status_list_is_asked_for_when_the_proof_fails(world):
    tampered = {**of_type(world, AB), "name": "Aantoonbaar bekwaam: alles"}
    for trust in (world.trust(), None):
        loader = CountingLoader(world.status_documents)
        report = check(tampered, now=NOW, trust=trust, status=loader)
        assert report.check("proof").code == "SIGNATURE_INVALID"
        assert report.check("status").status == "skipped" and "proof did not verify" in report.check("status").message
        assert loader.asked == []


def test_no_status_list_is_asked_for_an_untrusted_issuer(world):
    stranger = fixed_key("stranger")
    credential = {**of_type(world, AB)}
    credential["issuer"] = {**credential["issuer"], "id": stranger.did}
    forged = resign(credential, stranger)
    loader = CountingLoader(world.status_documents)
    report = check(forged, now=NOW, trust=world.trust(), status=loader)
    assert report.check("proof").status == "passed"
    assert report.check("trust").code == "ISSUER_UNKNOWN" and report.first_error().code == "ISSUER_UNKNOWN"
    assert report.check("status").status == "skipped" and not report.verified
    assert loader.asked == []


def test_status_list_outside_the_registered_location_is_unknown_and_not_asked_for(world):
    credential = of_type(world, AB)
    elsewhere = "https://attacker.example/lists/1"
    moved = resign(credential, issuer_key(world, credential), credentialStatus=status_entry(elsewhere, 7, "message"))
    lists = {**world.status_documents, elsewhere: signed_list(world, "zorg-examinator", url=elsewhere)}
    loader = CountingLoader(lists)
    report = check(moved, now=NOW, trust=world.trust(), status=loader)
    assert statuses(report)["status"] == ("unknown", "STATUS_UNKNOWN")
    assert "not at a location the trust registry lists" in report.check("status").message
    assert loader.asked == []
    assert check(moved, now=NOW, trust=world.trust(), status=lists).check("status").status == "unknown"  # a dict too
    assert check(moved, now=NOW, status=lists).verified  # without a registry the caller's lists are used as given


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
