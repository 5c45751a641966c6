"""W3C Bitstring Status List v1.0: bit order, encodedList, entries and reading a status."""
from __future__ import annotations

import gzip
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support import vector_json
from passport.errors import StatusListInvalid
from passport.encoding.multibase import encode_u
from passport.format.status_list import (
    MIN_LIST_SIZE,
    BitstringStatusList,
    read_status,
    status_entries,
    status_entry,
    status_list_credential,
)

EXAMPLE = "bitstring-status-list/example-credential.json"  # a published vector (support.vector_json)
ISSUER = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
LIST_URL = "https://status.example.nl/lists/3"


def encoded(raw: bytes) -> str:
    return encode_u(gzip.compress(raw, mtime=0))


# --- the published vector -----------------------------------------------------------------
def test_example_vector_decodes_to_131072_zero_bits():
    credential = vector_json(EXAMPLE)
    status_list = BitstringStatusList.decode(credential["credentialSubject"]["encodedList"])
    assert status_list.size == MIN_LIST_SIZE == 131_072
    assert status_list.to_bytes() == bytes(16_384)


def test_fresh_list_round_trips_to_the_vector_bits_never_string_compared():
    credential = vector_json(EXAMPLE)
    ours = BitstringStatusList().encode()
    assert ours.startswith("u")
    assert BitstringStatusList.decode(ours) == BitstringStatusList.decode(credential["credentialSubject"]["encodedList"])


def test_read_status_on_the_example_vector():
    credential = vector_json(EXAMPLE)
    entry = status_entry(credential["id"], 94567, "revocation")
    assert read_status(entry, credential) is False


# --- bits -----------------------------------------------------------------------------------
@pytest.mark.parametrize("index", [0, 7, 8, 131_071])
def test_set_get_round_trip(index):
    status_list = BitstringStatusList()
    status_list.set(index, True)
    assert status_list.get(index) is True
    assert [i for i in (0, 1, 6, 7, 8, 9, 131_070, 131_071) if status_list.get(i)] == [index]
    again = BitstringStatusList.decode(status_list.encode())
    assert again.get(index) is True and again == status_list
    status_list.set(index, False)
    assert status_list == BitstringStatusList()


def test_bit_zero_is_the_most_significant_bit_of_the_first_byte():
    status_list = BitstringStatusList()
    status_list.set(0, True)
    assert status_list.to_bytes()[0] == 0x80
    status_list.set(7, True)
    status_list.set(8, True)
    assert status_list.to_bytes()[:2] == b"\x81\x80"


def test_decoded_bit_order_matches_the_spec():
    raw = bytearray(16_384)
    raw[0] = 0b0100_0000  # index 1
    raw[-1] = 0b0000_0001  # the last index
    status_list = BitstringStatusList.decode(encoded(bytes(raw)))
    assert [status_list.get(i) for i in (0, 1, 2)] == [False, True, False]
    assert status_list.get(131_071) is True


@pytest.mark.parametrize("index", [-1, 131_072, 10**12])
def test_out_of_range_index(index):
    status_list = BitstringStatusList()
    with pytest.raises(IndexError):
        status_list.get(index)
    with pytest.raises(IndexError):
        status_list.set(index, True)


def test_bad_sizes_and_values():
    with pytest.raises(ValueError):
        BitstringStatusList(1024)  # below the herd-privacy minimum
    with pytest.raises(ValueError):
        BitstringStatusList(MIN_LIST_SIZE + 1)
    with pytest.raises(TypeError):
        BitstringStatusList().set(0, 1)  # a bit is a bool
    assert BitstringStatusList(MIN_LIST_SIZE * 2).size == 262_144


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=MIN_LIST_SIZE - 1), max_size=300))
def test_any_set_of_indexes_round_trips(indexes):
    status_list = BitstringStatusList()
    for index in indexes:
        status_list.set(index, True)
    decoded = BitstringStatusList.decode(status_list.encode())
    assert {i for i in range(MIN_LIST_SIZE) if decoded.get(i)} == indexes


# --- hostile or broken encodedList ----------------------------------------------------------
def test_gzip_bomb_is_refused_quickly():
    bomb = encode_u(gzip.compress(bytes(64 * 1024 * 1024), mtime=0))  # 64 MiB of zeros, ~65 KB
    started = time.perf_counter()
    with pytest.raises(StatusListInvalid, match="GZIP bomb"):
        BitstringStatusList.decode(bomb)
    assert time.perf_counter() - started < 2


def test_truncated_gzip():
    whole = gzip.compress(bytes(16_384), mtime=0)
    with pytest.raises(StatusListInvalid, match="truncated"):
        BitstringStatusList.decode(encode_u(whole[:-10]))


def test_corrupt_gzip_and_trailing_bytes():
    whole = bytearray(gzip.compress(bytes(16_384), mtime=0))
    whole[-5] ^= 0xFF  # the ISIZE / CRC trailer
    with pytest.raises(StatusListInvalid, match="GZIP"):
        BitstringStatusList.decode(encode_u(bytes(whole)))
    with pytest.raises(StatusListInvalid, match="after the end"):
        BitstringStatusList.decode(encode_u(gzip.compress(bytes(16_384), mtime=0) + b"junk"))
    with pytest.raises(StatusListInvalid, match="GZIP"):
        BitstringStatusList.decode(encode_u(b"not gzip at all"))


@pytest.mark.parametrize("text", [
    "uH4sI+AAAA/AA",  # standard base64 characters
    "uH4sIAA==",      # padding
    "u!!!",
    "u" + "A",         # impossible length
])
def test_not_base64url(text):
    with pytest.raises(StatusListInvalid):
        BitstringStatusList.decode(text)


def test_missing_u_prefix():
    body = BitstringStatusList().encode()[1:]
    with pytest.raises(StatusListInvalid, match="starts with 'u'"):
        BitstringStatusList.decode(body)
    with pytest.raises(StatusListInvalid, match="starts with 'u'"):
        BitstringStatusList.decode("z" + body)
    with pytest.raises(StatusListInvalid, match="string"):
        BitstringStatusList.decode(None)  # type: ignore[arg-type]


def test_too_short_list():
    with pytest.raises(StatusListInvalid, match="at least 131072"):
        BitstringStatusList.decode(encoded(bytes(16_383)))
    with pytest.raises(StatusListInvalid):
        BitstringStatusList.decode(encoded(b""))


def test_decoded_lists_are_independent_copies_of_the_cache():
    text = BitstringStatusList().encode()
    first = BitstringStatusList.decode(text)
    first.set(3, True)
    assert BitstringStatusList.decode(text).get(3) is False


# --- documents ------------------------------------------------------------------------------
def make_list_credential(purpose="revocation", revoked=()):
    status_list = BitstringStatusList()
    for index in revoked:
        status_list.set(index, True)
    return status_list_credential(issuer=ISSUER, list_id=LIST_URL, purpose=purpose, status_list=status_list,
                                  valid_from="2026-01-01T00:00:00Z", valid_until="2027-01-01T00:00:00Z")


def test_status_list_credential_shape():
    credential = make_list_credential()
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["id"] == LIST_URL
    assert credential["validUntil"] == "2027-01-01T00:00:00Z"
    subject = credential["credentialSubject"]
    assert subject["id"] == LIST_URL + "#list"
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert BitstringStatusList.decode(subject["encodedList"]) == BitstringStatusList()
    with pytest.raises(StatusListInvalid):
        status_list_credential(issuer=ISSUER, list_id=LIST_URL, purpose="refresh",
                               status_list=BitstringStatusList(), valid_from="2026-01-01T00:00:00Z")
    with pytest.raises(StatusListInvalid):
        status_list_credential(issuer=ISSUER, list_id=LIST_URL, purpose="revocation",
                               status_list=BitstringStatusList(), valid_from="yesterday")


def test_status_entry_shape():
    assert status_entry(LIST_URL, 42, "suspension") == {
        "id": LIST_URL + "#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "suspension",
        "statusListIndex": "42",
        "statusListCredential": LIST_URL,
    }
    for bad in (-1, True, "42"):
        with pytest.raises(StatusListInvalid):
            status_entry(LIST_URL, bad, "revocation")


def test_status_entries_normalises():
    entry = status_entry(LIST_URL, 5, "revocation")
    other = status_entry(LIST_URL + "s", 9, "suspension")
    assert status_entries({"id": "urn:uuid:x"}) == []
    assert status_entries({"credentialStatus": entry}) == [entry]
    assert status_entries({"credentialStatus": [entry, other]}) == [entry, other]


@pytest.mark.parametrize("change", [
    {"type": "StatusList2021Entry"},
    {"statusPurpose": "refresh"},
    {"statusPurpose": ["revocation"]},
    {"statusListIndex": 5},
    {"statusListIndex": "-5"},
    {"statusListIndex": "05"},
    {"statusListIndex": "5.0"},
    {"statusListCredential": "ftp://status.example.nl/3"},
    {"statusListCredential": None},
    {"id": LIST_URL},
])
def test_status_entries_rejects_bad_entries(change):
    entry = {**status_entry(LIST_URL, 5, "revocation"), **change}
    with pytest.raises(StatusListInvalid):
        status_entries({"credentialStatus": entry})


@pytest.mark.parametrize("status", ["revoked", 7, None, [1]])
def test_status_entries_rejects_bad_containers(status):
    with pytest.raises(StatusListInvalid):
        status_entries({"credentialStatus": status})


def test_read_status():
    credential = make_list_credential(revoked=[5, 131_071])
    assert read_status(status_entry(LIST_URL, 5, "revocation"), credential) is True
    assert read_status(status_entry(LIST_URL, 6, "revocation"), credential) is False
    assert read_status(status_entry(LIST_URL, 131_071, "revocation"), credential) is True


def test_read_status_refuses_mismatches():
    credential = make_list_credential(purpose="suspension")
    with pytest.raises(StatusListInvalid, match="statusPurpose"):
        read_status(status_entry(LIST_URL, 5, "revocation"), credential)
    with pytest.raises(StatusListInvalid, match="outside"):
        read_status(status_entry(LIST_URL, 131_072, "suspension"), credential)
    with pytest.raises(StatusListInvalid, match="points at"):
        read_status(status_entry(LIST_URL + "/other", 5, "suspension"), credential)
    wrong_type = {**credential, "type": ["VerifiableCredential", "OpenBadgeCredential"]}
    with pytest.raises(StatusListInvalid, match="not a BitstringStatusListCredential"):
        read_status(status_entry(LIST_URL, 5, "suspension"), wrong_type)
    sized = {**credential, "credentialSubject": {**credential["credentialSubject"], "statusSize": 2}}
    with pytest.raises(StatusListInvalid, match="statusSize"):
        read_status(status_entry(LIST_URL, 5, "suspension"), sized)


def test_encode_and_decode_timings():
    status_list = BitstringStatusList()
    for index in range(0, MIN_LIST_SIZE, 97):
        status_list.set(index, True)
    started = time.perf_counter()
    text = status_list.encode()
    encode_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    BitstringStatusList.decode(text)  # first decode (then cached)
    decode_ms = (time.perf_counter() - started) * 1000
    print(f"encode {encode_ms:.2f} ms, decode {decode_ms:.2f} ms, {len(text)} chars")
    assert encode_ms < 500 and decode_ms < 500
