"""Bitstring Status List v1.0 entries wider than one bit: ``statusSize`` and ``statusMessage``.

- ``check_size_and_messages``: statusSize is a whole number 1 to 8 (default 1); above 1 (and on
  every ``message`` entry) ``statusMessage`` names every possible value, 0x0 up, in order;
- ``status_message``: the message an entry gives for a value read from its list;
- ``STATUS_MESSAGES``: what Paspoort issuers write in their single ``message`` entry (statusSize 2).
"""
from __future__ import annotations

from typing import Any, Mapping

from ..errors import StatusListInvalid

MESSAGE_PURPOSE = "message"
MESSAGE_STATUS_SIZE = 2
# Every value of a 2-bit entry has a message (the spec: as many messages as possible values);
# 0x3 is never written and reads as revoked, so a stray bit never makes a credential valid.
STATUS_MESSAGES = ({"status": "0x0", "message": "valid"}, {"status": "0x1", "message": "suspended"},
                   {"status": "0x2", "message": "revoked"}, {"status": "0x3", "message": "revoked"})
MESSAGE_VALUES = {"valid": 0, "suspended": 1, "revoked": 2}
MAX_STATUS_SIZE = 8
_STATUS_NAMES = tuple(f"0x{value:x}" for value in range(1 << MAX_STATUS_SIZE))  # "0x0", "0x1", ... "0xff"


def bits_value(data: bytes | bytearray, first: int, status_size: int) -> int:
    value = 0
    for position in range(first, first + status_size):
        value = value << 1 | bool(data[position >> 3] & (0x80 >> (position & 7)))
    return value


def status_message(entry: Mapping[str, Any], value: int) -> str:
    """The message a checked entry gives for ``value`` (statusSize 1: the purpose's own words)."""
    if entry.get("statusSize", 1) == 1 and "statusMessage" not in entry:
        return "valid" if value == 0 else {"revocation": "revoked", "suspension": "suspended"}.get(
            entry["statusPurpose"], "set")
    wanted = f"0x{value:x}"
    for item in entry["statusMessage"]:
        if item["status"].lower() == wanted:
            return item["message"]
    raise StatusListInvalid(f"the entry's statusMessage has no message for status {wanted}")


def check_size_and_messages(entry: Mapping[str, Any], where: str) -> None:
    """statusSize: a whole number 1 to 8 (default 1); above 1, statusMessage names every value 0x0 up."""
    size = entry.get("statusSize", 1)
    if type(size) is not int or not 1 <= size <= MAX_STATUS_SIZE:
        raise StatusListInvalid(f"{where}.statusSize must be a whole number 1 to {MAX_STATUS_SIZE}, got {size!r}")
    if entry["statusPurpose"] == MESSAGE_PURPOSE and size == 1 and "statusMessage" not in entry:
        raise StatusListInvalid(f"{where}: a 'message' entry needs statusMessage")
    if size == 1 and "statusMessage" not in entry:
        return
    messages = entry.get("statusMessage")
    if not isinstance(messages, list):
        raise StatusListInvalid(f"{where}.statusMessage must be a list when statusSize is above 1")
    if len(messages) != 1 << size:
        raise StatusListInvalid(f"{where}.statusMessage must hold {1 << size} messages (one per value of "
                                f"statusSize {size}), got {len(messages)}")
    for value, item in enumerate(messages):
        if not isinstance(item, dict) or not isinstance(item.get("message"), str) or \
                not isinstance(item.get("status"), str) or item["status"].lower() != _STATUS_NAMES[value]:
            raise StatusListInvalid(f"{where}.statusMessage[{value}] must be {{\"status\": \"0x{value:x}\", "
                                    f"\"message\": \"...\"}}")
