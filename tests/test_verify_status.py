"""Status in verification: message and one-bit entries, unknown never valid, and a status list
asked for only when the credential has earned it (issue #11 item 1).

Documents come from the demo world at the fixed ``NOW``, as in ``test_verify.py``.
"""
from __future__ import annotations

import copy

import pytest

from support import NOW, fixed_key
from passport import PassportError, StatusSource, check, sign, verify
from passport.demo.world import World, build_world
from passport.errors import StatusUnknown
from passport.format.status_list import status_entry
from passport.encoding.timeutil import format_datetime

from verifying import (
    AB, full_check, issuer_key, of_type, resign, signed_list, statuses,
)


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
