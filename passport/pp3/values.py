"""The exact value transforms of PP3: strings that are really bytes, numbers or dates.

Each transform is applied by the encoder only when turning the value back gives the identical
string, so decoding is exact. The decoder side checks what it rebuilds (a date that exists, an
integer in JSON's safe range) and raises ``QRInvalid`` otherwise.

* ``did:key:z6Mk...`` (Ed25519) -> its 32 key bytes (``did_key_bytes`` / ``did_key_text``).
* multibase ``z...`` (base58btc) and ``u...`` (base64url, no padding) -> the raw bytes.
* ``urn:uuid:`` + lower-case UUID, and UUIDs inside text -> 16 bytes.
* ``YYYY-MM-DDThh:mm:ssZ`` and ``YYYY-MM-DD`` -> a day number (days since 1970-01-01) coded as
  the signed difference from the previous date, plus a time-of-day class.
* decimal digit strings without leading zeros (up to 18 digits) -> the number.
"""
from __future__ import annotations

import base64
import calendar
import re
import time

from ..errors import QRInvalid
from ..multibase import ED25519_PUB, b58decode, encode_u, encode_z
from .rangecoder import Adaptive, Decoder, Encoder

BASE58_TEXT = re.compile(r"z[1-9A-HJ-NP-Za-km-z]{1,400}\Z")
BASE64URL_TEXT = re.compile(r"u[A-Za-z0-9_-]{1,400}\Z")
DID_KEY = re.compile(r"did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]{44})\Z")
VERIFICATION_METHOD = re.compile(r"did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]{44})#\1\Z")  # did:key:K#K
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
URN_UUID = re.compile(r"urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\Z")
DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
DATE = re.compile(r"\d{4}-\d\d-\d\d\Z")
DIGITS = re.compile(r"(?:0|[1-9]\d{0,17})\Z")
START_DAY = 20454  # 2026-01-01: the date state before the first date
SECONDS_PER_DAY = 86400
FIRST_SECOND, LAST_SECOND = -62135596800, 253402300799  # 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z
MAX_UINT_BITS = 64


# --- base58btc and multibase (the encodings themselves are passport.multibase's) ---------------
def base58_bytes(text: str) -> bytes | None:
    """The bytes of multibase base58btc ``text`` if re-encoding them gives ``text`` back."""
    if not BASE58_TEXT.match(text):
        return None
    raw = b58decode(text[1:])
    return raw if encode_z(raw) == text else None


def base64url_bytes(text: str) -> bytes | None:
    """The bytes of multibase base64url ``text`` (no padding) if re-encoding gives ``text`` back."""
    if not BASE64URL_TEXT.match(text) or len(text) % 4 == 2:  # 1 leftover character is never valid
        return None
    raw = base64.urlsafe_b64decode(text[1:] + "=" * (-(len(text) - 1) % 4))
    return raw if encode_u(raw) == text else None


def did_key_bytes(multibase: str) -> bytes | None:
    """The 32 Ed25519 key bytes of a ``z6Mk...`` did:key identifier, if it is exactly that."""
    raw = b58decode(multibase[1:])
    if len(raw) == 34 and raw[:2] == ED25519_PUB and encode_z(raw) == multibase:
        return raw[2:]
    return None


def did_key_multibase(key: bytes) -> str:
    return encode_z(ED25519_PUB + key)


def uuid_text(raw: bytes) -> str:
    hexa = raw.hex()
    return f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}"


def uuid_bytes(text: str) -> bytes:
    return bytes.fromhex(text.replace("-", ""))


# --- dates -------------------------------------------------------------------------------------
def _format_seconds(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def parse_date_time(text: str) -> int | None:
    """Seconds since 1970 of ``text`` if formatting them gives ``text`` back exactly."""
    try:
        seconds = calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))
        return seconds if _format_seconds(seconds) == text else None
    except (ValueError, OverflowError, OSError):
        return None


def date_time_text(seconds: int) -> str:
    """Decoder side: only date-times the encoder could have produced (years 1000-9999)."""
    if not FIRST_SECOND <= seconds <= LAST_SECOND:
        raise QRInvalid("QR text is damaged: it holds a date outside the years 1-9999")
    text = _format_seconds(seconds)
    if not DATE_TIME.match(text):
        raise QRInvalid("QR text is damaged: it holds a date before the year 1000")
    return text


# --- integers ------------------------------------------------------------------------------------
def zigzag(number: int) -> int:
    return number * 2 if number >= 0 else -number * 2 - 1


def unzigzag(number: int) -> int:
    return number >> 1 if not number & 1 else -(number >> 1) - 1


class NumberModels:
    """The adaptive models of numbers and dates, and the date state, for one document."""

    def __init__(self) -> None:
        self.integer = Adaptive([1] * (MAX_UINT_BITS + 1), increment=16)  # bit length of zigzag(n)
        self.digits = Adaptive([1] * (MAX_UINT_BITS + 1), increment=16)
        self.days = Adaptive([1] * (MAX_UINT_BITS + 1), increment=16)
        self.time_of_day = Adaptive([4, 2, 2, 2, 2, 1])  # same, midnight, 23:59:59, hour, minute, second
        self.day = START_DAY
        self.second = 0


def encode_uint(encoder: Encoder, model: Adaptive, number: int) -> None:
    """Bit length with ``model``, then the bits below the leading one, uniformly."""
    width = number.bit_length()
    if width > MAX_UINT_BITS:
        raise ValueError("PP3 codes unsigned integers of at most 64 bits")  # callers never pass more
    model.encode(encoder, width)
    if width > 1:
        encoder.bits(number - (1 << (width - 1)), width - 1)


def decode_uint(decoder: Decoder, model: Adaptive) -> int:
    width = model.decode(decoder)
    return width if width <= 1 else (1 << (width - 1)) + decoder.bits(width - 1)


_TIME_UNITS = ((3600, 24), (60, 1440), (1, 86400))  # classes 3, 4, 5: whole hours, minutes, seconds


def encode_date_time(encoder: Encoder, numbers: NumberModels, seconds: int) -> None:
    day, second = divmod(seconds, SECONDS_PER_DAY)
    encode_uint(encoder, numbers.days, zigzag(day - numbers.day))
    if second == numbers.second:
        numbers.time_of_day.encode(encoder, 0)
    elif second == 0:
        numbers.time_of_day.encode(encoder, 1)
    elif second == SECONDS_PER_DAY - 1:
        numbers.time_of_day.encode(encoder, 2)
    else:
        kind = 3 if second % 3600 == 0 else 4 if second % 60 == 0 else 5
        numbers.time_of_day.encode(encoder, kind)
        unit, count = _TIME_UNITS[kind - 3]
        encoder.uniform(second // unit, count)
    numbers.day, numbers.second = day, second


def decode_date_time(decoder: Decoder, numbers: NumberModels) -> str:
    day = numbers.day + unzigzag(decode_uint(decoder, numbers.days))
    kind = numbers.time_of_day.decode(decoder)
    if kind == 0:
        second = numbers.second
    elif kind in (1, 2):
        second = 0 if kind == 1 else SECONDS_PER_DAY - 1
    else:
        unit, count = _TIME_UNITS[kind - 3]
        second = decoder.uniform(count) * unit
    numbers.day, numbers.second = day, second
    return date_time_text(day * SECONDS_PER_DAY + second)


def encode_date(encoder: Encoder, numbers: NumberModels, seconds: int) -> None:
    day = seconds // SECONDS_PER_DAY
    encode_uint(encoder, numbers.days, zigzag(day - numbers.day))
    numbers.day = day


def decode_date(decoder: Decoder, numbers: NumberModels) -> str:
    numbers.day += unzigzag(decode_uint(decoder, numbers.days))
    return date_time_text(numbers.day * SECONDS_PER_DAY)[:10]
