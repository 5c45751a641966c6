"""QR text too long for one code: split over up to 16 codes (QR Structured Append) and joined again.

Each symbol starts with the Structured Append header of ISO/IEC 18004 (7.4.2, 8.3): mode
indicator ``0011``, 4-bit symbol position, 4-bit total minus one, 8-bit parity (XOR of every
data byte of the whole message), then one alphanumeric segment. zxing-cpp's Python binding (3.1.1)
reads such symbols but does not report the header (no sequence index, size or id), so each
segment also starts with a part marker in the QR alphanumeric set::

    PPS<position hex><total - 1 hex><tag, 4 characters>:<piece of the PP2 text>

``tag`` names the message (the first 4 base45 characters of SHA-256 of the whole text), so parts
of two messages are never mixed. Joined in position order the pieces give back the ``PP2:``
text; a reader that merges Structured Append itself gives the markers in order, which
``join_parts`` also reads. Each symbol is at most version ``MAX_PART_VERSION`` at level M.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

import qrcode
from qrcode import util

from ..errors import QRInvalid, QRTooLarge
from .codewords import codewords
from .text import ALPHABET

MAX_PARTS = 16
MAX_PART_VERSION = 25
HEADER_BITS = 4 + 4 + 4 + 8  # mode 0011, position, total - 1, parity
MARKER = re.compile(r"PPS([0-9A-F])([0-9A-F])([0-9A-Z $%*+\-./:]{4}):")
MARKER_LENGTH = 10
_ALNUM = frozenset(ALPHABET)


@dataclass(frozen=True)
class Part:
    """One symbol of a Structured Append sequence: its segment text and header fields."""

    text: str  # marker + piece, alphanumeric
    index: int  # 0-based position
    total: int
    parity: int

    @property
    def label(self) -> str:
        return f"{self.index + 1}/{self.total}"


def _tag(text: str) -> str:
    digest = hashlib.sha256(text.encode("ascii")).digest()
    value = int.from_bytes(digest[:3], "big")
    return "".join(ALPHABET[(value // 45 ** power) % 45] for power in range(4))


def _bits(length: int, version: int) -> int:
    count_bits = util.length_in_bits(util.MODE_ALPHA_NUM, version)
    return HEADER_BITS + 4 + count_bits + 11 * (length // 2) + 6 * (length % 2)


def part_capacity(version: int, level: int) -> int:
    """Alphanumeric characters one Structured Append symbol of ``version`` holds (marker included)."""
    limit = util.BIT_LIMIT_TABLE[level][version]
    room = limit - HEADER_BITS - 4 - util.length_in_bits(util.MODE_ALPHA_NUM, version)
    return room // 11 * 2 + (1 if room % 11 >= 6 else 0)


def split_text(text: str, level: int, *, max_version: int = MAX_PART_VERSION, max_parts: int = MAX_PARTS) -> list[Part]:
    """``text`` as 2 to ``max_parts`` Structured Append parts of at most ``max_version``; ``QRTooLarge``
    (saying how many characters fit and how many the text has) when even that is not enough."""
    if not _ALNUM.issuperset(text):
        raise QRInvalid("only QR alphanumeric text (Paspoort QR text) is split over several QR codes")
    room = part_capacity(max_version, level) - MARKER_LENGTH
    count = max(2, math.ceil(len(text) / room))
    if count > max_parts:
        fits = room * max_parts
        raise QRTooLarge(
            f"too large even for {max_parts} QR codes: the text has {len(text)} characters, {max_parts} codes "
            f"of version {max_version} hold {fits}; share fewer endorsements or profile entries "
            f"(about {len(text) - fits} characters too many), or share the file instead",
            size=len(text), capacity=fits, parts=max_parts, max_version=max_version, unit="characters")
    size = math.ceil(len(text) / count)
    pieces = [text[start:start + size] for start in range(0, len(text), size)]
    tag = _tag(text)
    texts = [f"PPS{index:X}{len(pieces) - 1:X}{tag}:{piece}" for index, piece in enumerate(pieces)]
    parity = 0
    for byte in "".join(texts).encode("ascii"):
        parity ^= byte
    return [Part(part, index, len(texts), parity) for index, part in enumerate(texts)]


def part_version(part: Part, level: int, max_version: int = MAX_PART_VERSION) -> int:
    for version in range(1, max_version + 1):
        if _bits(len(part.text), version) <= util.BIT_LIMIT_TABLE[level][version]:
            return version
    raise QRTooLarge(f"part {part.label} does not fit a QR code of version {max_version}")


def part_matrix(part: Part, level: int, mask: int, max_version: int = MAX_PART_VERSION) -> qrcode.QRCode:
    """The built QR code of one part (``.modules``: True = dark), header first."""
    version = part_version(part, level, max_version)
    code = qrcode.QRCode(version=version, error_correction=level, mask_pattern=mask)
    code.add_data(util.QRData(part.text.encode("ascii"), mode=util.MODE_ALPHA_NUM, check_data=False))
    code.data_cache = _codewords(part, version, level)
    code.make(fit=False)
    return code


def _codewords(part: Part, version: int, level: int) -> list[int]:
    header = f"0011{part.index:04b}{part.total - 1:04b}{part.parity:08b}"
    return codewords(part.text.encode("ascii"), util.MODE_ALPHA_NUM, version, level, header=header)


def is_part(text: str) -> bool:
    return MARKER.match(text) is not None


def series_of(text: str) -> str:
    """The series tag of a part's text (``is_part`` must hold)."""
    match = MARKER.match(text)
    if match is None:
        raise QRInvalid("not the text of a part of a QR code series")
    return match.group(3)


def parts_in(text: str) -> list[tuple[str, int, int, str]]:
    """Each part in a scanned text (one part, or a reader's merged series) as ``(part text, index,
    total, series tag)``; a part text is its own marker and piece, as ``split_text`` made it."""
    return [(f"PPS{index:X}{total - 1:X}{tag}:{piece}", index, total, tag) for index, total, tag, piece in _pieces(text)]


def join_parts(texts: list[str]) -> list[str]:
    """The whole ``PP2:`` texts the parts among ``texts`` make, in any order and from any number of
    images (a reader's merged Structured Append text counts as its parts). ``QRInvalid`` names the
    missing parts of an incomplete message."""
    groups: dict[str, dict[int, str]] = {}
    totals: dict[str, int] = {}
    for text in texts:
        for index, total, tag, piece in _pieces(text):
            if totals.setdefault(tag, total) != total:
                raise QRInvalid(f"the QR codes of message {tag} disagree on how many parts it has")
            groups.setdefault(tag, {})[index] = piece
    whole = []
    for tag, pieces in groups.items():
        total = totals[tag]
        missing = [str(index + 1) for index in range(total) if index not in pieces]
        if missing:
            found = ", ".join(str(index + 1) for index in sorted(pieces))
            message = (f"part {missing[0]} of {total} is missing" if len(missing) == 1
                       else f"parts {', '.join(missing)} of {total} are missing")
            raise QRInvalid(f"{message} (scanned: {found}); scan every QR code of the series",
                            missing=[int(m) for m in missing], total=total)
        joined = "".join(pieces[index] for index in range(total))
        if _tag(joined) != tag:
            raise QRInvalid(f"the {total} parts of message {tag} do not fit together")
        whole.append(joined)
    return whole


def _pieces(text: str) -> list[tuple[int, int, str, str]]:
    """(index, total, tag, piece) of each marker in ``text`` (one part, or several merged)."""
    found = list(MARKER.finditer(text))
    if not found or found[0].start() != 0:
        return []
    out = []
    for number, match in enumerate(found):
        end = found[number + 1].start() if number + 1 < len(found) else len(text)
        index, total = int(match.group(1), 16), int(match.group(2), 16) + 1
        if index >= total:
            raise QRInvalid(f"a QR code says it is part {index + 1} of {total}")
        out.append((index, total, match.group(3), text[match.end():end]))
    return out
