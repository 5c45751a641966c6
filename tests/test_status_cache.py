"""Verified status lists kept across sources (``VerifiedLists``): a list is verified once and
reused for as long as the loader hands over the same document; new bytes, an expired list and a
list that failed verification are each verified again. Verifications are counted by wrapping
the proof check the status step calls."""
from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from support import NOW
from passport import StatusSource
from passport.verification import status_check
from passport.verification.status_check import VerifiedLists
from passport.encoding.timeutil import format_datetime

from verifying import AB, full_check, of_type, signed_list, statuses


def list_url(credential: dict) -> str:
    return credential["credentialStatus"]["statusListCredential"]


def issuer_role(world, credential: dict) -> str:
    return world.role_of(credential["issuer"]["id"] if isinstance(credential["issuer"], dict) else credential["issuer"])


def test_a_verified_list_is_reused_by_every_source_sharing_the_cache(world, verifications):
    credential = of_type(world, AB)
    shared = VerifiedLists()
    document = world.status_documents[list_url(credential)]
    for _ in range(4):  # four requests, one StatusSource each
        assert full_check(world, credential, status=StatusSource(lambda url: document, verified=shared)).verified
    assert verifications == [list_url(credential)]
    assert len(shared) == 1


def test_without_a_shared_cache_each_source_verifies_again(world, verifications):
    credential = of_type(world, AB)
    for _ in range(2):
        assert full_check(world, credential, status=StatusSource(world.status_documents)).verified
    assert verifications == [list_url(credential)] * 2


def test_new_bytes_for_the_url_are_verified_again(world, verifications):
    """The loader's cache time is over and it fetched the list again: another document, verified."""
    credential = of_type(world, AB)
    shared = VerifiedLists()
    first = world.status_documents[list_url(credential)]
    second = copy.deepcopy(first)  # same content, new bytes off the wire
    for document in (first, first, second, second):
        assert full_check(world, credential, status=StatusSource(lambda url: document, verified=shared)).verified
    assert len(verifications) == 2


def test_a_revocation_in_new_bytes_is_seen(world):
    credential = of_type(world, AB)
    shared = VerifiedLists()
    url = list_url(credential)
    before = world.status_documents[url]
    assert full_check(world, credential, status=StatusSource({url: before}, verified=shared)).verified
    world.revoke(credential["id"])
    after = world.status_documents[url]
    assert after is not before
    report = full_check(world, credential, status=StatusSource({url: after}, verified=shared))
    assert statuses(report)["status"][1] in ("REVOKED", "SUSPENDED")


def test_an_expired_list_is_loaded_again_and_verified(world, verifications):
    credential = of_type(world, AB)
    url = list_url(credential)
    role = issuer_role(world, credential)
    purpose = credential["credentialStatus"]["statusPurpose"]
    expired = signed_list(world, role, url=url, purpose=purpose, valid_until=format_datetime(NOW - timedelta(hours=1)))
    current = signed_list(world, role, url=url, purpose=purpose, valid_until=format_datetime(NOW + timedelta(days=1)))
    shared, reloads = VerifiedLists(), []

    def reload(asked: str) -> dict:
        reloads.append(asked)
        return current
    report = full_check(world, credential, status=StatusSource(lambda u: expired, verified=shared, reload=reload))
    assert report.verified, statuses(report)
    assert reloads == [url] and len(verifications) == 2
    # the fresh list is what the cache keeps now
    assert full_check(world, credential, status=StatusSource(lambda u: current, verified=shared)).verified
    assert len(verifications) == 2


def test_an_expired_list_without_reload_is_stale_never_valid(world):
    credential = of_type(world, AB)
    url = list_url(credential)
    expired = signed_list(world, issuer_role(world, credential), url=url,
                          purpose=credential["credentialStatus"]["statusPurpose"],
                          valid_until=format_datetime(NOW - timedelta(hours=1)))
    report = full_check(world, credential, status=StatusSource({url: expired}, verified=VerifiedLists()))
    result = report.check("status")
    assert (result.status, result.code) == ("unknown", "STATUS_UNKNOWN")
    assert "stale" in result.message


def test_a_list_whose_proof_fails_is_not_kept(world, verifications):
    credential = of_type(world, AB)
    url = list_url(credential)
    forged = copy.deepcopy(world.status_documents[url])
    forged["credentialSubject"]["encodedList"] = signed_list(
        world, issuer_role(world, credential), url=url, purpose=credential["credentialStatus"]["statusPurpose"],
        bits=range(0, 131072))["credentialSubject"]["encodedList"]
    shared = VerifiedLists()
    for _ in range(2):
        report = full_check(world, credential, status=StatusSource({url: forged}, verified=shared))
        assert statuses(report)["status"] == ("unknown", "STATUS_LIST_INVALID")
    assert len(verifications) == 2 and len(shared) == 0


def test_the_cache_is_bounded():
    shared = VerifiedLists(max_entries=4)
    window = ((None, None), (NOW, "x"), (None, None))
    for number in range(9):
        shared.keep(f"https://lists.example/{number}", {}, status_check._Verified("did:key:z", window, None))
    assert len(shared) <= 4
    with pytest.raises(ValueError):
        VerifiedLists(max_entries=0)
