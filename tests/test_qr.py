"""The QR transport form: base45 (RFC 9285), the PP2 text codec (zlib with the preset dictionary),
rendered images read back. tests/test_qr_spec.py decodes from SPEC section 9 alone."""
from __future__ import annotations

import hashlib
import io
import re
import zlib
from pathlib import Path
from random import Random
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageOps
from qrcode import util

from passport import check, present, qr
from passport.demo.world import build_world
from passport.errors import MalformedJSON, QRInvalid, QRTooLarge
from passport.encoding.jcs import canonicalize
from passport.qr import (
    ECC_LEVELS,
    capacity,
    decode_image,
    qr_matrix,
    read_document,
    read_documents,
    render_image,
    render_png,
    render_svg,
    render_terminal,
    version_for,
)
from passport.qr.codewords import codewords
from passport.qr.dictionary import DICTIONARY
from passport.qr.text import MAX_TEXT_CHARS, PREFIX, b45decode, b45encode, decode_text, encode_text

CHALLENGE, DOMAIN = "c-qr-1", "werkgever.example"


@pytest.fixture(scope="module")
def world(now):
    """Ria's demo world at the suite's fixed ``now`` (conftest.NOW); tests read it as ``world.now``."""
    return build_world("ria", now)


@pytest.fixture(scope="module")
def one(world):
    """A presentation of one AantoonbaarBekwaam endorsement with the holder's proof."""
    bekwaam = [e for e in world.endorsements if e["type"][-1] == "AantoonbaarBekwaamCredential"]
    return present(bekwaam[:1], world.holder, now=world.now, challenge=CHALLENGE, domain=DOMAIN)


@pytest.fixture(scope="module")
def one_png(one) -> bytes:
    out = io.BytesIO()
    render_png(encode_text(one), out)
    return out.getvalue()


def payload(data: bytes) -> str:
    """PP2 text of a zlib payload."""
    return "PP2:" + b45encode(data)


def pp2_deflate(data: bytes, dictionary: bytes = DICTIONARY) -> bytes:
    deflater = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, zdict=dictionary)
    return deflater.compress(data) + deflater.flush()


# --- base45, RFC 9285 ----------------------------------------------------------------------
@pytest.mark.parametrize("raw, text", [
    (b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"), (b"ietf!", "QED8WEX0"),
    (b"", ""), (b"\x00", "00"), (b"\xff\xff", "FGW"),
])
def test_base45_rfc9285_examples(raw, text):
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@pytest.mark.parametrize("text, fragment", [
    pytest.param("BB8a", "not in the base45 alphabet", id="lowercase-char"),
    pytest.param("BB\n", "not in the base45 alphabet", id="newline"),
    pytest.param("BB8B", "cut short", id="length-1-mod-3"),
    pytest.param("GGW", "above 65535", id="triplet-overflow"),
    pytest.param("ZZ", "above 255", id="pair-overflow"),
])
def test_base45_refuses_invalid_text(text, fragment):
    with pytest.raises(QRInvalid, match=fragment) as caught:
        b45decode(text)
    assert caught.value.code == "QR_INVALID" and caught.value.status == 400


@given(st.binary(max_size=200))
def test_base45_round_trip(data):
    assert b45decode(b45encode(data)) == data


# --- the PP2 text codec ------------------------------------------------------------------
# Every finite float, including whole ones in [2**53, 1e21) that RFC 8785 writes as integer
# literals: jsonio.loads reads exactly those literals back as the same double.
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | FLOATS | st.text(st.characters(blacklist_categories=("Cs",))),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=6))
def test_text_round_trip_gives_identical_canonical_json(document):
    text = encode_text(document)
    assert text.startswith("PP2:") and set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    decoded = decode_text(text)
    assert canonicalize(decoded) == canonicalize(document)


def test_text_is_deterministic_and_keeps_the_signature(world, one):
    text = encode_text(one)
    assert text == encode_text(decode_text(text))
    report = check(decode_text(text), now=world.now, trust=world.trust(), status=world.status_documents,
                   challenge=CHALLENGE, domain=DOMAIN)
    assert report.verified, report.failures()


def test_pp2_dictionary_is_frozen():
    """PP2 texts decode only with these exact bytes (a new dictionary is a new version)."""
    assert hashlib.sha256(DICTIONARY).hexdigest() == "3bc95faeee914b909aba78c556488996eba64ad2e45a58680174f25fbf534bae"
    assert len(DICTIONARY) == 9173
    assert (Path(qr.__file__).parent / "pp2-dictionary.bin").read_bytes() == DICTIONARY  # the file SPEC names


def test_the_text_is_zlib_with_the_preset_dictionary(one):
    """Any zlib reads it: a zlib stream whose header names the dictionary by its Adler-32."""
    data = b45decode(encode_text(one)[len(PREFIX):])
    assert data[0] == 0x78 and data[1] & 0x20 and int.from_bytes(data[2:6], "big") == zlib.adler32(DICTIONARY)
    inflater = zlib.decompressobj(zdict=DICTIONARY)
    assert inflater.decompress(data) == canonicalize(one) and inflater.eof and not inflater.unused_data


def test_the_dictionary_makes_it_much_shorter_than_plain_zlib(one):
    plain = "PP2:" + b45encode(zlib.compress(canonicalize(one), 9))
    assert len(encode_text(one)) < 0.75 * len(plain)
    with pytest.raises(QRInvalid, match="preset dictionary"):  # plain zlib is not PP2, nor any other version
        decode_text(plain)


@pytest.mark.parametrize("text, error, fragment", [
    pytest.param("HC1:6BF", QRInvalid, "does not start with PP2:", id="wrong-prefix"),
    pytest.param("pp2:BB8", QRInvalid, "does not start with PP2:", id="lowercase-prefix"),
    pytest.param("PP4:BB8", QRInvalid, "version PP4, this reader understands PP2: only", id="unknown-version"),
    pytest.param("PP1:" + b45encode(zlib.compress(b'{"a":1}')), QRInvalid, "version PP1", id="plain-zlib-version-1"),
    pytest.param("PP02:BB8", QRInvalid, "version PP02", id="zero-padded-version"),
    pytest.param(" PP2:BB8", QRInvalid, "does not start with PP2:", id="leading-space"),
    pytest.param("PP2:" + b45encode(pp2_deflate(b'{"a":1}', b"another dictionary")), QRInvalid,
                 "preset dictionary", id="another-dictionary"),
    pytest.param(payload(zlib.compress(b'{"a":1}')), QRInvalid, "preset dictionary", id="no-dictionary"),
    pytest.param(payload(b"not zlib at all"), QRInvalid, "bad zlib header", id="corrupt-zlib"),
    pytest.param(payload(b"x\xbb"), QRInvalid, "too short", id="header-only"),
    pytest.param(payload(pp2_deflate(b"{}")[:2] + b"\0\0\0\0" + pp2_deflate(b"{}")[6:]), QRInvalid,
                 "preset dictionary", id="wrong-dictid"),
    pytest.param(payload(pp2_deflate(b'{"a":1}')[:-3]), QRInvalid, "truncated", id="truncated-zlib"),
    pytest.param(payload(pp2_deflate(b'{"a":1}')[:-1] + b"x"), QRInvalid, "not a valid zlib stream",
                 id="bad-adler32"),
    pytest.param(payload(pp2_deflate(b'{"a":1}') + b"x"), QRInvalid, "after the zlib stream", id="trailing-bytes"),
    pytest.param(payload(pp2_deflate(b'[1,2]')), QRInvalid, "not a document", id="json-array"),
    pytest.param(payload(pp2_deflate(b'{"b":1, "a":2}')), QRInvalid, "canonical", id="not-canonical"),
    pytest.param(payload(pp2_deflate(b'{"a":')), MalformedJSON, "not valid JSON", id="bad-json"),
    pytest.param("PP2:" + "0" * (MAX_TEXT_CHARS - 3), QRTooLarge, "the limit is 68736", id="text-too-long"),
    pytest.param(PREFIX + "BB8a", QRInvalid, "base45 alphabet", id="bad-base45"),
])
def test_decode_text_refuses(text, error, fragment):
    with pytest.raises(error, match=fragment):
        decode_text(text)


def test_zip_bomb_is_refused_without_inflating_it():
    bomb = pp2_deflate(b'{"a":"' + b"A" * (8 * 1024 * 1024) + b'"}')  # 8 MiB in ~8 KB
    with pytest.raises(QRTooLarge, match="inflates to more than") as caught:
        decode_text(payload(bomb))
    assert caught.value.status == 413 and caught.value.code == "QR_TOO_LARGE"
    with pytest.raises(QRTooLarge):
        decode_text(payload(pp2_deflate(b'{"a":"' + b"A" * 2000 + b'"}')), max_bytes=1000)


# --- sizes ------------------------------------------------------------------------------------
def test_capacity_matches_the_qr_standard_tables():
    assert (capacity(1, "M"), capacity(24, "M"), capacity(40, "M"), capacity(40, "L")) == (20, 1326, 3391, 4296)
    assert capacity(40, "L", alphanumeric=False) == 2953
    assert version_for("A" * 20) == 1 and version_for("A" * 21) == 2


@pytest.mark.parametrize("version", [1, 2, 9, 10, 26, 27, 40])
@pytest.mark.parametrize("ecc", ["L", "M", "Q", "H"])
def test_fast_codewords_equal_qrcodes_own(ecc, version):
    rng = Random(version)
    full = bytes(rng.choice(util.ALPHA_NUM) for _ in range(capacity(version, ecc)))
    raw = bytes(rng.randrange(256) for _ in range(capacity(version, ecc, alphanumeric=False) // 2))
    for data, mode in ((full, util.MODE_ALPHA_NUM), (full[: len(full) // 3], util.MODE_ALPHA_NUM),
                       (raw, util.MODE_8BIT_BYTE)):
        expected = util.create_data(version, ECC_LEVELS[ecc], [util.QRData(data, mode=mode, check_data=False)])
        assert codewords(data, mode, version, ECC_LEVELS[ecc]) == expected
    assert version_for("A" * capacity(version, ecc), ecc) == version
    if version < 40:
        assert version_for("A" * (capacity(version, ecc) + 1), ecc) == version + 1


def test_too_large_says_what_fits(world, one):
    everything = present(world.endorsements, world.holder, now=world.now, challenge=CHALLENGE, domain=DOMAIN)
    text = encode_text(everything)
    with pytest.raises(QRTooLarge) as caught:
        render_png(text, io.BytesIO())
    error = caught.value
    assert f"{len(text)} characters" in error.message and "holds 3391" in error.message
    assert "fewer endorsements" in error.message
    assert error.details == {"size": len(text), "capacity": 3391, "ecc": "M", "max_version": 40, "unit": "characters"}
    with pytest.raises(QRTooLarge, match="up to version 20 holds 970"):
        qr_matrix(encode_text(one), max_version=20)


# --- images -----------------------------------------------------------------------------------
def test_png_round_trip_through_zxing_still_verifies(world, one, one_png):
    assert Image.open(io.BytesIO(one_png)).format == "PNG"
    texts = decode_image(one_png)
    assert texts == [encode_text(one)]
    document = decode_text(texts[0])
    assert document == one
    assert check(document, now=world.now, trust=world.trust(), status=world.status_documents,
                 challenge=CHALLENGE, domain=DOMAIN).verified


def test_png_to_a_path_and_read_document(tmp_path, one):
    path = tmp_path / "share.png"
    version = render_png(encode_text(one), path, ecc="L", box_size=3)
    assert version == version_for(encode_text(one), "L")
    assert read_document(path) == one
    assert read_document(str(path)) == one


def test_matrix_uses_alphanumeric_mode_and_the_fixed_mask(one):
    code = qr_matrix(encode_text(one))
    assert code.mask_pattern == 2 and code.data_list[0].mode == 2  # MODE_ALPHA_NUM
    assert len(code.modules) == 17 + 4 * code.version


def svg_to_image(svg: str) -> Image.Image:
    side = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        draw.rectangle([int(x), int(y), int(x) + int(w) - 1, int(y)], fill=0)
    return image.resize((side * 4, side * 4), Image.NEAREST)


def test_svg_is_well_formed_and_scans(tmp_path, one):
    text = encode_text(one)
    svg = render_svg(text, tmp_path / "share.svg")
    assert (tmp_path / "share.svg").read_text(encoding="utf-8") == svg
    root = ElementTree.fromstring(svg.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("width").endswith("mm")
    assert decode_image(svg_to_image(svg)) == [text]


def test_terminal_output_is_half_blocks_and_scans(one):
    text = encode_text(one)
    drawing = render_terminal(text)
    lines = drawing.rstrip("\n").split("\n")
    side = 17 + 4 * version_for(text) + 8
    assert len(lines) == (side + 1) // 2 and {len(line) for line in lines} == {side}
    assert set(drawing) <= set("█▀▄ \n")
    light = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}
    pixels = [[255 * light[c][half] for c in line] for line in lines for half in (0, 1)]
    image = Image.new("L", (side, len(pixels)))
    image.putdata([p for row in pixels for p in row])
    assert decode_image(image.resize((side * 4, len(pixels) * 4), Image.NEAREST)) == [text]
    assert set(render_terminal(text, invert=True)) <= set("█▀▄ \n")


def test_photo_of_a_screen_still_decodes(one, one_png):
    image = Image.open(io.BytesIO(one_png)).convert("L")
    image = image.resize((int(image.width * 1.6), int(image.height * 1.6)), Image.BILINEAR)
    image = image.rotate(4, resample=Image.BICUBIC, expand=True, fillcolor=235)
    image = ImageEnhance.Contrast(image).enhance(0.55)
    noise = Image.effect_noise(image.size, 40)  # Gaussian around 128
    image = ImageChops.add(image, noise, scale=1, offset=-128).filter(ImageFilter.GaussianBlur(1))
    jpeg = io.BytesIO()
    image.convert("RGB").save(jpeg, format="JPEG", quality=70)
    assert read_document(jpeg.getvalue()) == one


def test_two_codes_in_one_image_both_decode():
    first, second = encode_text({"n": 1, "who": "links"}), encode_text({"n": 2, "who": "rechts"})
    left, right = render_image(first), render_image(second)
    page = Image.new("L", (left.width + right.width + 40, max(left.height, right.height) + 20), 255)
    page.paste(left, (0, 10))
    page.paste(right, (left.width + 40, 10))
    assert decode_image(page) == [first, second]
    assert [doc["n"] for doc in read_documents(page)] == [1, 2]


def test_other_qr_text_is_passed_over_and_byte_mode_works():
    url = "https://werkgever.example/verzoek?c=abc"
    assert decode_image(render_image(url)) == [url]
    with pytest.raises(QRInvalid, match="none holds Paspoort text"):
        read_document(render_image(url))


@pytest.mark.parametrize("source, fragment", [
    pytest.param(Image.new("L", (300, 300), 255), "no readable QR code", id="blank-image"),
    pytest.param(Image.radial_gradient("L").resize((400, 400)), "no readable QR code", id="gradient"),
    pytest.param(b"\x89PNG\r\n\x1a\nnot really", "not a readable image", id="broken-png"),
    pytest.param(b"just text", "not a readable image", id="not-an-image"),
])
def test_image_without_a_qr_code_is_refused(source, fragment):
    with pytest.raises(QRInvalid, match=fragment):
        decode_image(source)


def test_a_paspoort_code_of_another_version_is_named_not_skipped():
    with pytest.raises(QRInvalid, match="version PP4"):
        read_document(render_image("PP4:BB8"))


def test_huge_images_are_refused_before_decoding(monkeypatch, one_png):
    monkeypatch.setattr(qr.reading, "MAX_IMAGE_PIXELS", 10_000)
    with pytest.raises(QRInvalid, match="too large to scan"):
        decode_image(one_png)


def test_transparent_background_reads_as_paper():
    text = encode_text({"n": 3})
    grey = render_image(text)
    image = Image.new("RGBA", grey.size, (0, 0, 0, 255))
    image.putalpha(ImageOps.invert(grey))  # dark modules opaque black, the rest transparent
    assert decode_image(image) == [text]
