"""Revoke / suspend / unsuspend, the served status lists, index allocation and the audit log."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from issuer_helpers import BASE_URL, bearer, example, issuer_did, verify_with_service

from issuer_service.models import AuditEntry, IssuedCredential, StatusAllocation, StatusList
from passport.format.status_list import MIN_LIST_SIZE, BitstringStatusList


def issue(client, token, path="ria/endorsements/bhv-certificaat.json"):
    response = client.post("/credentials/issue", json={"credential": example(path)}, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["verifiableCredential"]


def change(client, token, credential_id, action, reason="test"):
    return client.post("/credentials/status", json={"credentialId": credential_id, "action": action,
                                                    "reason": reason}, headers=bearer(token))


def entry(credential, purpose="message"):
    """The credential's one status entry (OB 3.0 allows one): a message entry, statusSize 2."""
    status = credential["credentialStatus"]
    assert isinstance(status, dict) and status["statusPurpose"] == purpose
    return status


def value_of(client, credential):
    listed = fetch(client, entry(credential)["statusListCredential"]).get_json()
    bits = BitstringStatusList.decode(listed["credentialSubject"]["encodedList"])
    return bits.get_value(int(entry(credential)["statusListIndex"]), 2)


def fetch(client, url, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(url[len(BASE_URL):], headers=headers)


def test_revoke_shows_in_the_status_list(client, app, tokens):
    credential = issue(client, tokens["admin"])
    url = entry(credential)["statusListCredential"]
    first = fetch(client, url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=300"
    etag = first.headers["ETag"]
    assert fetch(client, url, etag).status_code == 304  # unchanged: cached copy is current
    response = change(client, tokens["admin"], credential["id"], "revoke", "fraude bij examen")
    assert response.status_code == 200 and response.get_json()["revoked"] is True
    second = fetch(client, url, etag)
    assert second.status_code == 200 and second.headers["ETag"] != etag  # re-signed on change
    assert fetch(client, url, second.headers["ETag"]).status_code == 304
    report = verify_with_service(client, credential, issuer_did(app))
    assert not report.verified and report.first_error().code == "REVOKED"


def test_suspend_and_unsuspend(client, app, tokens):
    credential = issue(client, tokens["admin"])
    did = issuer_did(app)
    assert value_of(client, credential) == 0
    assert change(client, tokens["admin"], credential["id"], "suspend", "onderzoek loopt").status_code == 200
    assert value_of(client, credential) == 1
    assert verify_with_service(client, credential, did).first_error().code == "SUSPENDED"
    record = change(client, tokens["admin"], credential["id"], "unsuspend", "onderzoek afgerond").get_json()
    assert record["suspended"] is False and record["revoked"] is False
    assert value_of(client, credential) == 0
    assert verify_with_service(client, credential, did).verified


def test_revocation_is_final(client, app, tokens):
    credential = issue(client, tokens["admin"])
    for action, value in (("suspend", 1), ("revoke", 2), ("unsuspend", 2), ("suspend", 2)):
        response = change(client, tokens["admin"], credential["id"], action)
        assert response.status_code == 200
        assert value_of(client, credential) == value, action  # 0x2 never goes back
        # the record says what the list says: one message, so revoked is never also suspended
        assert response.get_json()["suspended"] is (value == 1), action
    record = change(client, tokens["admin"], credential["id"], "unsuspend").get_json()
    assert record["revoked"] is True and value_of(client, credential) == 2
    assert verify_with_service(client, credential, issuer_did(app)).first_error().code == "REVOKED"


def test_status_change_needs_a_reason_and_a_known_credential(client, tokens):
    credential = issue(client, tokens["admin"])
    response = client.post("/credentials/status", json={"credentialId": credential["id"], "action": "revoke"},
                           headers=bearer(tokens["admin"]))
    assert response.status_code == 422 and "reason" in response.get_json()["detail"]
    assert change(client, tokens["admin"], credential["id"], "delete").status_code == 422
    assert change(client, tokens["admin"], "urn:uuid:00000000-0000-4000-8000-000000000000", "revoke").status_code == 404


def test_served_list_is_signed_and_at_least_the_minimum_size(client, tokens):
    credential = issue(client, tokens["admin"])
    document = fetch(client, entry(credential)["statusListCredential"]).get_json()
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["credentialSubject"]["statusPurpose"] == "message"
    assert BitstringStatusList.decode(document["credentialSubject"]["encodedList"]).size >= 2 * MIN_LIST_SIZE
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"


def test_audit_log_is_complete(client, app, tokens):
    credential = issue(client, tokens["admin"])
    for action, reason in (("suspend", "twijfel"), ("unsuspend", "opgehelderd"), ("revoke", "ingetrokken")):
        assert change(client, tokens["admin"], credential["id"], action, reason).status_code == 200
    with app.extensions["paspoort_issuer_db"].reading() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.credential_id == credential["id"])
                               .order_by(AuditEntry.id)).all()
    assert [(row.action, row.actor, row.reason) for row in rows] == [
        ("issue", "admin-staff", None), ("suspend", "admin-staff", "twijfel"),
        ("unsuspend", "admin-staff", "opgehelderd"), ("revoke", "admin-staff", "ingetrokken")]
    assert all(row.at is not None for row in rows)
    assert rows[0].details["type"] == "CertificaatCredential"


def test_indexes_are_unique_and_random(client, app, tokens):
    indexes = [int(entry(issue(client, tokens["admin"]))["statusListIndex"]) for _ in range(40)]
    assert len(set(indexes)) == 40
    assert indexes != sorted(indexes)  # not handed out in order
    assert max(indexes) > 1000  # spread over the list, not packed at the start


class TestSmallLists:
    """A small allocation capacity (the encoded list stays 131072 bits) shows list chaining."""

    @pytest.fixture
    def app_config(self):
        return {"STATUS_LIST_CAPACITY": 8}

    def test_a_new_list_starts_when_one_fills_up(self, client, app, tokens):
        credentials = [issue(client, tokens["admin"]) for _ in range(20)]
        positions = [(entry(c)["statusListCredential"], int(entry(c)["statusListIndex"]))
                     for c in credentials]
        assert len(set(positions)) == 20  # never reused
        assert all(index < 8 for _, index in positions)
        assert len({url for url, _ in positions}) == 3  # 8 + 8 + 4
        with app.extensions["paspoort_issuer_db"].reading() as session:
            lists = session.scalars(select(StatusList).where(StatusList.purpose == "message")
                                    .order_by(StatusList.id)).all()
            assert [item.full for item in lists] == [True, True, False]
            assert lists[0].next_list_id == lists[1].id and lists[1].next_list_id == lists[2].id
            assert session.scalar(select(func.count()).select_from(StatusAllocation)) == 20
        last = credentials[-1]
        assert change(client, tokens["admin"], last["id"], "revoke").status_code == 200
        assert verify_with_service(client, last, issuer_did(app)).first_error().code == "REVOKED"
        assert verify_with_service(client, credentials[0], issuer_did(app)).verified


def test_issued_record_matches_the_credential(client, app, tokens):
    credential = issue(client, tokens["admin"])
    with app.extensions["paspoort_issuer_db"].reading() as session:
        row = session.get(IssuedCredential, credential["id"])
    assert row.status_index == int(entry(credential)["statusListIndex"])
    assert row.revocation_index is None and row.suspension_index is None
    assert row.subject_did == credential["credentialSubject"]["id"]


class TestRolledBackList:
    @pytest.fixture
    def app_config(self):
        return {"STATUS_LIST_CAPACITY": 2}

    def test_a_rolled_back_batch_leaves_no_list_behind_in_the_cache(self, client, tokens):
        first = example("ria/endorsements/bhv-certificaat.json")
        first["id"] = "urn:uuid:11111111-2222-4333-8444-555555555555"
        assert client.post("/credentials/issue", json={"credential": first}, headers=bearer(tokens["admin"])
                           ).status_code == 201
        # three credentials fill the open list and start a new one, then the duplicate id rolls it all back
        batch = [example("ria/endorsements/bhv-certificaat.json") for _ in range(3)] + [first]
        response = client.post("/credentials/issue/batch", json={"credentials": batch},
                               headers=bearer(tokens["admin"]))
        assert response.status_code == 409
        for _ in range(3):  # the list created inside the rolled-back batch is not used
            issue(client, tokens["admin"])


def test_a_credential_issued_before_migration_0004_keeps_its_two_one_bit_entries(client, app, tokens):
    """Rows with revocation and suspension positions (and no message position) still change by bit."""
    from datetime import datetime, timezone

    from issuer_service.status import reserve

    credential = issue(client, tokens["admin"])
    db = app.extensions["paspoort_issuer_db"]
    now = datetime.now(timezone.utc)
    with db.transaction() as session:
        row = session.get(IssuedCredential, credential["id"])
        positions = {purpose: reserve(session, issuer_did=row.issuer_did, purpose=purpose, count=1,
                                      size=MIN_LIST_SIZE, capacity=MIN_LIST_SIZE, now=now)[0]
                     for purpose in ("revocation", "suspension")}
        row.status_list_id = row.status_index = None
        (row.revocation_list_id, row.revocation_index), (row.suspension_list_id, row.suspension_index) = \
            positions["revocation"], positions["suspension"]

    def bit(purpose):
        with db.reading() as session:
            stored = session.get(StatusList, positions[purpose][0])
            return BitstringStatusList.from_bytes(stored.bits).get(positions[purpose][1])

    assert not bit("suspension") and not bit("revocation")
    assert change(client, tokens["admin"], credential["id"], "suspend").status_code == 200
    assert bit("suspension") and not bit("revocation")
    assert change(client, tokens["admin"], credential["id"], "unsuspend").status_code == 200
    assert not bit("suspension")
    assert change(client, tokens["admin"], credential["id"], "revoke").get_json()["revoked"] is True
    assert bit("revocation")
    assert value_of(client, credential) == 0  # the message position it was issued with is untouched


# --- status indexes reserved in blocks (decision 0175) -----------------------------------------------
def test_indexes_are_reserved_a_block_at_a_time_and_handed_out_once(client, app, tokens):
    from issuer_service.status import BLOCK
    credentials = [issue(client, tokens["admin"]) for _ in range(BLOCK + 1)]
    positions = {(entry(c)["statusListCredential"], int(entry(c)["statusListIndex"])) for c in credentials}
    assert len(positions) == BLOCK + 1
    with app.extensions["paspoort_issuer_db"].reading() as session:
        assert session.scalar(select(func.count()).select_from(StatusAllocation)) == 2 * BLOCK  # two reservations
        assert session.scalar(select(func.count()).select_from(StatusAllocation)
                              .where(StatusAllocation.credential_id.is_not(None))) == 0


def test_a_request_refused_before_storing_gives_its_index_back(client, app, tokens):
    issue(client, tokens["admin"])
    free = list(app.extensions["paspoort_issuer"].indexes._free)
    bad = example("ria/endorsements/bhv-certificaat.json")
    bad["credentialSubject"]["undefinedTerm"] = "x"  # the strict JSON-LD expansion refuses it
    response = client.post("/credentials/issue", json={"credential": bad}, headers=bearer(tokens["admin"]))
    assert response.status_code == 422 and response.get_json()["code"] == "JSONLD_TERM_UNDEFINED"
    assert app.extensions["paspoort_issuer"].indexes._free == free


def test_a_position_held_twice_is_an_error_never_a_conflict(client, app, tokens):
    """The unique index on the credential's position is the second guard (migration 0005)."""
    from sqlalchemy.exc import IntegrityError
    first = issue(client, tokens["admin"])
    issuer = app.extensions["paspoort_issuer"]
    held = (int(first["credentialStatus"]["statusListCredential"].rsplit("/", 1)[1]),
            int(first["credentialStatus"]["statusListIndex"]))
    issuer.indexes.give_back([held])  # a broken invariant, forced
    with pytest.raises(IntegrityError):
        issuer.issue(issuer.staff(bearer(tokens["admin"])["Authorization"], _now()),
                     example("ria/endorsements/bhv-certificaat.json"), None, _now())


def _now():
    from datetime import datetime, timezone
    return datetime.now(timezone.utc)
