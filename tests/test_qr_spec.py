"""SPEC section 9 alone is enough: a decoder written here from its text (Python's ``zlib``, the
dictionary file SPEC names, a small base45 decoder) reads what the library writes, Structured
Append series included; and the library reads what another zlib writes from the same text.

Nothing from ``passport.qr`` is used to decode here; the constants (prefix, file, SHA-256,
DICTID, limits) are read from SPEC.md, so SPEC and code cannot drift apart unnoticed.
"""
from __future__ import annotations

import hashlib
import json
import re
import zlib
from pathlib import Path
from random import Random

import pytest

from passport import present, qr
from passport.demo.world import build_world
from passport.errors import QRInvalid
from passport.encoding.jcs import canonicalize

ROOT = Path(__file__).resolve().parents[1]
SPEC = (ROOT / "SPEC.md").read_text(encoding="utf-8")
SECTION = SPEC[SPEC.index("## 9. QR transport form"):SPEC.index("## 10. ")]


def spec(pattern: str) -> str:
    found = re.search(pattern, SECTION)
    assert found, f"SPEC section 9 does not say {pattern!r}"
    return found.group(1)


PREFIX = spec(r"QR text = \"(PP\d+:)\"")
DICTIONARY_FILE = ROOT / "passport" / "qr" / spec(r"The [\d,]+-byte file `([^`]+)`")  # where the package keeps it
DICTIONARY_SHA256 = spec(r"SHA-256\s+`([0-9a-f]{64})`")
DICTID = int(spec(r"`DICTID` = the dictionary's Adler-32 \(`([0-9a-f]{8})`\)"), 16)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"  # RFC 9285, "0-9 A-Z space $ % * + - . / :"
MARKER = re.compile(r"PPS([0-9A-F])([0-9A-F])(.{4}):")


def b45decode(text: str) -> bytes:
    """RFC 9285, as SPEC 9.1 step 3 and 9.2 say: triplets c + 45d + 2025e, a final pair c + 45d."""
    values = [ALPHABET.index(char) for char in text]
    assert len(values) % 3 != 1
    out = bytearray()
    for i in range(0, len(values), 3):
        group = values[i:i + 3]
        n = sum(value * 45 ** power for power, value in enumerate(group))
        out += n.to_bytes(2 if len(group) == 3 else 1, "big")
    return bytes(out)


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data), 2):
        n = int.from_bytes(data[i:i + 2], "big")
        out += [ALPHABET[n // 45 ** power % 45] for power in range(3 if i + 1 < len(data) else 2)]
    return "".join(out)


def spec_decode(text: str) -> dict:
    """SPEC 9.2 from its table, with nothing but zlib and json."""
    assert text.startswith(PREFIX)
    data = b45decode(text[len(PREFIX):])
    cmf, flg = data[0], data[1]
    assert cmf & 0x0F == 8 and cmf >> 4 <= 7 and (cmf * 256 + flg) % 31 == 0
    assert flg & 0x20 and int.from_bytes(data[2:6], "big") == DICTID
    inflater = zlib.decompressobj(zdict=DICTIONARY_FILE.read_bytes())
    canonical = inflater.decompress(data)
    assert inflater.eof and not inflater.unused_data
    document = json.loads(canonical)
    assert isinstance(document, dict) and canonicalize(document) == canonical
    return document


def spec_tag(text: str) -> str:
    """SPEC 9.4 step 2: v = first 3 bytes of SHA-256, written as four base45 digits, low first."""
    v = int.from_bytes(hashlib.sha256(text.encode("ascii")).digest()[:3], "big")
    return "".join(ALPHABET[v // 45 ** power % 45] for power in range(4))


def spec_join(texts: list[str]) -> str:
    """SPEC 9.4 step 4, for one series."""
    pieces, counts, tags = {}, set(), set()
    for text in texts:
        marker = MARKER.match(text)
        assert marker
        index, count = int(marker.group(1), 16), int(marker.group(2), 16) + 1
        assert index < count
        pieces[index] = text[marker.end():]
        counts.add(count)
        tags.add(marker.group(3))
    (count,), (tag,) = counts, tags
    assert sorted(pieces) == list(range(count))
    joined = "".join(pieces[index] for index in range(count))
    assert spec_tag(joined) == tag
    return joined


@pytest.fixture(scope="module")
def world(now):
    return build_world("ria", now)


@pytest.fixture(scope="module")
def one(world):
    bekwaam = next(e for e in world.endorsements if e["type"][-1] == "AantoonbaarBekwaamCredential")
    return present([bekwaam], world.holder, now=world.now, challenge="c-spec-1", domain="werkgever.example")


def test_the_dictionary_file_is_the_one_spec_pins():
    data = DICTIONARY_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == DICTIONARY_SHA256 and zlib.adler32(data) == DICTID
    assert f"The {len(data):,}-byte file" in SECTION


def test_base45_written_here_matches_rfc_9285():
    assert b45encode(b"AB") == "BB8" and b45decode("BB8") == b"AB"
    assert b45decode("%69 VD92EX0") == b"Hello!!" and b45encode(b"ietf!") == "QED8WEX0"


def test_what_the_library_writes_decodes_from_spec_alone(world, one):
    for document in [one, world.profile, *world.endorsements]:
        assert spec_decode(qr.encode_text(document)) == document


def test_a_series_joins_from_spec_alone_in_any_order(one):
    text = qr.encode_text(one)
    parts = [part.text for part in qr.split_for_qr(text)]
    assert len(parts) >= 2
    Random(5).shuffle(parts)
    assert spec_decode(spec_join(parts)) == one


@pytest.mark.parametrize("level, window", [(9, 15), (6, 15), (1, 12), (0, 9)])
def test_the_library_reads_what_another_zlib_writes_from_spec(one, level, window):
    """SPEC 9.1 step 2: any level, any window up to 32 KiB; texts need not be unique."""
    deflater = zlib.compressobj(level, zlib.DEFLATED, window, 8, zlib.Z_DEFAULT_STRATEGY,
                                zdict=DICTIONARY_FILE.read_bytes())
    text = PREFIX + b45encode(deflater.compress(canonicalize(one)) + deflater.flush())
    assert qr.decode_text(text) == one


def test_both_refuse_a_stream_without_the_dictionary(one):
    plain = PREFIX + b45encode(zlib.compress(canonicalize(one), 9))
    with pytest.raises(AssertionError):
        spec_decode(plain)
    with pytest.raises(QRInvalid, match="preset dictionary"):
        qr.decode_text(plain)


def test_spec_section_9_is_short_and_names_no_code():
    assert len(SECTION.encode("utf-8")) <= 6 * 1024
    assert not re.search(r"passport\.\w|encode_text|decode_text|render_png|\.py\b", SECTION)
