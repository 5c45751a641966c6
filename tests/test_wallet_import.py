"""Import verifies first: refuses another DID, tampering, expiry, revocation; flags unknown status."""
from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from passport.format.documents import issuer_id
from passport.errors import CredentialNotFound, ImportRefused
from passport.proofs.signing import sign
from passport.wallet import inbox
from passport.wallet.store import Wallet
from support import NOW
from test_wallet_support import PASSPHRASE, endorsement, ria_world, wallet_env  # noqa: F401 (fixture)


@pytest.fixture
def empty_ria(wallet_env) -> Wallet:
    return Wallet.create(str(wallet_env), PASSPHRASE, holder_key=ria_world().holder, now=NOW)


def _refused(wallet, credential, check, **options):
    with pytest.raises(ImportRefused) as caught:
        inbox.import_credential(wallet, credential, now=options.pop("now", NOW), source="test", **options)
    assert caught.value.details["check"] == check, caught.value.message
    assert wallet.credentials == []
    return caught.value


def test_valid_endorsement_is_imported_with_status_unknown_flag(empty_ria):
    item = inbox.import_credential(empty_ria, endorsement("CertificaatCredential"), now=NOW, source="file:x.json")
    assert item["flags"] == ["status-unknown"] and item["status"] == "unknown"
    assert item["importedAt"] == "2026-11-23T12:00:00Z" and item["source"] == "file:x.json"


def test_status_checked_when_a_list_is_given(empty_ria):
    world = ria_world()
    item = inbox.import_credential(empty_ria, endorsement("CertificaatCredential"), now=NOW, source="t",
                                   status=world.status_documents)
    assert item["status"] == "passed" and item["flags"] == []


def test_revoked_credential_is_refused():
    from passport.demo.world import build_world

    world = build_world("ria", NOW)
    credential = next(e for e in world.endorsements if e["type"][-1] == "CertificaatCredential")
    world.revoke(credential["id"])
    wallet = Wallet.__new__(Wallet)
    wallet.data = {"credentials": [], "holderKey": world.holder.to_multikey(), "profile": None}
    error = _refused(wallet, credential, "status", status=world.status_documents)
    assert error.details["reason"] == "REVOKED"


def test_credential_about_another_did_is_refused(wallet_env):
    stranger = Wallet.create(str(wallet_env), PASSPHRASE, now=NOW)  # a fresh key, not Ria's
    error = _refused(stranger, endorsement("CertificaatCredential"), "subject")
    assert error.details["reason"] == "SUBJECT_NOT_HOLDER" and "not about this wallet" in error.message


def test_tampered_credential_is_refused(empty_ria):
    credential = copy.deepcopy(endorsement("AantoonbaarBekwaamCredential"))
    credential["validUntil"] = "2099-12-31T23:59:59Z"
    error = _refused(empty_ria, credential, "proof")
    assert error.details["reason"] == "SIGNATURE_INVALID"


def test_expired_credential_is_refused(empty_ria):
    credential = endorsement("AantoonbaarBekwaamCredential")
    error = _refused(empty_ria, credential, "validity", now=NOW + timedelta(days=3 * 365))
    assert error.details["reason"] == "EXPIRED"


def test_schema_failure_is_refused(empty_ria):
    world = ria_world()
    unsigned = {k: v for k, v in endorsement("CertificaatCredential").items() if k != "proof"}
    unsigned = copy.deepcopy(unsigned)
    del unsigned["credentialSubject"]["achievement"]
    signed = sign(unsigned, world.keys[world.role_of(issuer_id(unsigned))], created=NOW)
    assert _refused(empty_ria, signed, "schema").details["reason"] == "SCHEMA_INVALID"


def test_presentations_and_profiles_are_refused(empty_ria):
    world = ria_world()
    _refused(empty_ria, world.profile, "type")
    from passport import present
    _refused(empty_ria, present([world.profile], world.holder, now=NOW), "structure")
    _refused(empty_ria, ["not", "a", "credential"], "structure")


def test_same_credential_twice_is_stored_once_and_lookup_works(empty_ria):
    credential = endorsement("AantoonbaarBekwaamCredential")
    first = inbox.import_credential(empty_ria, credential, now=NOW, source="a")
    assert inbox.import_credential(empty_ria, credential, now=NOW, source="b") is first
    assert len(empty_ria.credentials) == 1
    assert inbox.find(empty_ria, "1") is first
    assert inbox.find(empty_ria, credential["id"]) is first
    assert inbox.find(empty_ria, inbox.short_id(credential)) is first
    with pytest.raises(CredentialNotFound):
        inbox.find(empty_ria, "ffffffff")


def test_entry_endorsement_of_a_changed_entry_is_flagged(empty_ria):
    from passport.wallet import profile
    from test_wallet_support import RIA_PROFILE

    source = profile.load_source(str(RIA_PROFILE))
    source["talenten"][0]["description"] = "Anders geformuleerd."
    profile.set_profile(empty_ria, source, now=NOW)
    item = inbox.import_credential(empty_ria, endorsement("ProfielEndorsementCredential"), now=NOW, source="t")
    assert "entry-mismatch" in item["flags"]
