"""Bitstring Status List entries wider than one bit: statusSize, statusMessage, the 2-bit values."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passport.errors import StatusListInvalid
from passport.format.status_list import (
    MIN_LIST_SIZE, STATUS_MESSAGES, BitstringStatusList, open_list, read_status, status_entries, status_entry,
    status_list_credential, status_message,
)

LIST_URL = "https://status.example.nl/lists/3"
ISSUER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def message_list(values: dict[int, int], purpose: str = "message", size: int = 2) -> dict:
    bits = BitstringStatusList(MIN_LIST_SIZE * size)
    for index, value in values.items():
        bits.set_value(index, size, value)
    return status_list_credential(issuer=ISSUER, list_id=LIST_URL, purpose=purpose, status_list=bits,
                                  valid_from="2026-01-01T00:00:00Z")


def test_a_message_entry_has_size_2_and_a_message_for_every_value():
    entry = status_entry(LIST_URL, 94567, "message")
    assert entry == {"id": f"{LIST_URL}#94567", "type": "BitstringStatusListEntry", "statusPurpose": "message",
                     "statusListIndex": "94567", "statusListCredential": LIST_URL, "statusSize": 2,
                     "statusMessage": [dict(item) for item in STATUS_MESSAGES]}
    assert [item["status"] for item in entry["statusMessage"]] == ["0x0", "0x1", "0x2", "0x3"]
    assert "statusSize" not in status_entry(LIST_URL, 5, "revocation")  # one bit: as before


def test_values_are_read_at_index_times_size_most_significant_bit_first():
    bits = BitstringStatusList(MIN_LIST_SIZE * 2)
    bits.set_value(0, 2, 2)
    bits.set_value(3, 2, 1)
    assert bits.to_bytes()[:2] == bytes([0b10000001, 0])  # entry 0 = bits 0-1, entry 3 = bits 6-7
    assert [bits.get_value(i, 2) for i in range(5)] == [2, 0, 0, 1, 0]
    with pytest.raises(ValueError, match="0 to 3"):
        bits.set_value(1, 2, 4)
    with pytest.raises(IndexError):
        bits.get_value(MIN_LIST_SIZE, 2)  # the list holds MIN_LIST_SIZE 2-bit entries
    with pytest.raises(ValueError, match="statusSize"):
        bits.get_value(0, 9)


@given(st.dictionaries(st.integers(0, MIN_LIST_SIZE - 1), st.integers(0, 3), max_size=20))
def test_every_value_round_trips_through_encoded_list(values):
    document = message_list(values)
    view = open_list(document, LIST_URL)
    for index, value in values.items():
        entry = status_entry(LIST_URL, index, "message")
        assert view.value(entry) == value
        assert read_status(entry, document) is (value != 0)
        assert status_message(entry, value) == ["valid", "suspended", "revoked", "revoked"][value]


def test_one_bit_entries_still_read_with_their_purpose_words():
    document = message_list({7: 1}, purpose="suspension", size=1)
    entry = status_entry(LIST_URL, 7, "suspension")
    assert open_list(document, LIST_URL).value(entry) == 1
    assert status_message(entry, 1) == "suspended" and status_message(entry, 0) == "valid"
    assert status_message(status_entry(LIST_URL, 7, "revocation"), 1) == "revoked"


def _with(change) -> dict:
    entry = copy.deepcopy(status_entry(LIST_URL, 5, "message"))
    change(entry)
    return {"credentialStatus": entry}


@pytest.mark.parametrize("change, message", [
    (lambda e: e.pop("statusMessage"), "needs statusMessage|must be a list"),
    (lambda e: e.update(statusSize=0), "statusSize must be a whole number 1 to 8"),
    (lambda e: e.update(statusSize=9), "statusSize must be a whole number 1 to 8"),
    (lambda e: e.update(statusSize="2"), "statusSize must be a whole number"),
    (lambda e: e.update(statusSize=True), "statusSize must be a whole number"),
    (lambda e: e["statusMessage"].pop(), "must hold 4 messages"),
    (lambda e: e.update(statusMessage=e["statusMessage"][:2]), "must hold 4 messages"),
    (lambda e: e["statusMessage"].reverse(), r"statusMessage\[0\] must be"),
    (lambda e: e["statusMessage"][1].update(status=1), r"statusMessage\[1\] must be"),
    (lambda e: e["statusMessage"][2].pop("message"), r"statusMessage\[2\] must be"),
    (lambda e: e.update(statusMessage={"0x0": "valid"}), "must be a list"),
    (lambda e: e.update(statusSize=1), "needs statusMessage|must hold 2 messages"),
])
def test_bad_size_or_messages_are_refused_with_what_is_wrong(change, message):
    with pytest.raises(StatusListInvalid, match=message):
        status_entries(_with(change))


def test_a_message_entry_needs_its_messages_even_at_size_1():
    entry = {**status_entry(LIST_URL, 5, "message"), "statusSize": 1}
    del entry["statusMessage"]
    with pytest.raises(StatusListInvalid, match="needs statusMessage"):
        status_entries({"credentialStatus": entry})


def test_uppercase_hex_status_is_accepted():
    entry = status_entry(LIST_URL, 5, "message")
    entry["statusMessage"][3]["status"] = "0X3"
    assert status_entries({"credentialStatus": entry}) == [entry]


def test_list_and_entry_must_agree():
    document = message_list({})
    one_bit = {**status_entry(LIST_URL, 5, "revocation"), "statusPurpose": "message"}
    with pytest.raises(StatusListInvalid, match="needs statusMessage"):
        read_status(one_bit, document)
    sized = copy.deepcopy(document)
    sized["credentialSubject"]["statusSize"] = 1
    with pytest.raises(StatusListInvalid, match="the list at .* says statusSize 1"):
        read_status(status_entry(LIST_URL, 5, "message"), sized)
    revocation = message_list({}, purpose="revocation", size=1)
    with pytest.raises(StatusListInvalid, match="statusPurpose is 'message'"):
        read_status(status_entry(LIST_URL, 5, "message"), revocation)


def test_a_2_bit_list_must_hold_131072_entries():
    short = status_list_credential(issuer=ISSUER, list_id=LIST_URL, purpose="message",
                                   status_list=BitstringStatusList(MIN_LIST_SIZE), valid_from="2026-01-01T00:00:00Z")
    with pytest.raises(StatusListInvalid, match="holds 65536 entries of 2 bits"):
        read_status(status_entry(LIST_URL, 5, "message"), short)


def test_a_one_bit_read_of_a_2_bit_entry_is_refused():
    document = message_list({5: 2})
    with pytest.raises(StatusListInvalid, match="read its value"):
        open_list(document, LIST_URL).bit(status_entry(LIST_URL, 5, "message"))
