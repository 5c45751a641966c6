"""The PP3 codec (SPEC.md section 9): exact round trips, frozen data, strict and bounded decoding.

Round trips are checked on the RFC 8785 bytes, which is what every proof signs: the example
documents, the demo world's presentations, held-out credentials the codec never saw
(``pp3_heldout``) and generated JSON full of near misses (DIDs, UUIDs, base58, dates that are
almost the real thing). Damaged, truncated, random and hand-made hostile texts must raise only
``QRInvalid`` or ``QRTooLarge``, quickly.
"""
from __future__ import annotations

import hashlib
import json
import time
import zlib
from pathlib import Path
from random import Random

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from passport import check, pp3, present
from passport.demo.world import build_world
from passport.errors import QRInvalid, QRTooLarge
from passport.jcs import canonicalize
from passport.pp3 import tables as t
from passport.pp3 import wordmodel
from passport.pp3.codec import check_value
from passport.pp3.rangecoder import Encoder
from passport.multibase import encode_u
from passport.proof import verify_proof
from passport.qr import decode_image, render_png, version_for
from passport.qrtext import ALPHABET, PP3_MAX_BYTES, b45encode, decode_text, encode_text, encode_text_pp2

import pp3_heldout

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DATA = Path(pp3.__file__).resolve().parent / "data"
LIMIT = 2 * 1024 * 1024
CHALLENGE, DOMAIN = "c-pp3-1", "werkgever.example"


def round_trip(document) -> str:
    text = encode_text(document)
    assert text.startswith("PP3:") and set(text[4:]) <= set(ALPHABET)
    decoded = decode_text(text)
    assert canonicalize(decoded) == canonicalize(document)
    assert encode_text(decoded) == text  # deterministic
    return text


@pytest.fixture(scope="module")
def world(now):
    return build_world("ria", now)


@pytest.fixture(scope="module")
def showcase(world):
    """Presentations of 1, 2 and 3 endorsements (AantoonbaarBekwaam first), as bench_qr measures."""
    kind = {e["id"]: e["type"][-1] for e in world.endorsements}
    chosen = sorted(world.endorsements, key=lambda e: kind[e["id"]] != "AantoonbaarBekwaamCredential")
    chosen = [e for e in chosen if kind[e["id"]] in ("AantoonbaarBekwaamCredential", "CertificaatCredential")][:3]
    return {n: present(chosen[:n], world.holder, now=world.now, challenge=CHALLENGE, domain=DOMAIN) for n in (1, 2, 3)}


# --- frozen data --------------------------------------------------------------------------------
@pytest.mark.parametrize("name, sha256", [
    ("words.txt.gz", "bea2dc501376e3ae9207cd08b66e866cdbf54d04889feb75ab0c1559fdab0dc7"),
    ("struct.bin", "becdba6fa1b4d19952d83347d7176a60ef423212bd969b2d53f3d977ff4bb90a"),
])
def test_data_files_are_the_frozen_ones(name, sha256):
    assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == sha256
    assert {wordmodel.WORDS_FILE: wordmodel.WORDS_SHA256, wordmodel.STRUCTURE_FILE: wordmodel.STRUCTURE_SHA256}[name] == sha256


def test_a_changed_data_file_is_refused(monkeypatch):
    monkeypatch.setattr(wordmodel, "STRUCTURE_SHA256", "0" * 64)
    with pytest.raises(RuntimeError, match="not the frozen PP3 file"):
        wordmodel._read(wordmodel.STRUCTURE_FILE, wordmodel.STRUCTURE_SHA256)


def test_word_model_shape():
    model = wordmodel.word_model()
    assert len(model.words) > 20_000 and model.total <= 1 << 24
    assert model.words[:2] == ["de", "van"] and model.index["zorg"] < 2000
    assert all(word == word.lower() for word in model.words)


# --- round trips -----------------------------------------------------------------------------------
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.json")) + sorted(EXAMPLES.rglob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_document_round_trips(path):
    text = path.read_text(encoding="utf-8")
    document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(document, dict):
        document = {"items": document}
    round_trip(document)


def test_demo_world_documents_round_trip_and_verify(world, showcase):
    for document in [world.profile, world.registry, *world.endorsements, *world.status_documents.values()]:
        round_trip(document)
    everything = present(world.endorsements, world.holder, now=world.now, challenge=CHALLENGE, domain=DOMAIN)
    for presentation in [*showcase.values(), everything]:
        decoded = decode_text(round_trip(presentation))
        report = check(decoded, now=world.now, trust=world.trust(), status=world.status_documents,
                       challenge=CHALLENGE, domain=DOMAIN)
        assert report.verified, report.failures()


def test_issue_3_size_target(showcase):
    """One AantoonbaarBekwaam endorsement plus the holder proof fits version 25 at M (PP2: 29)."""
    versions = {n: version_for(encode_text(vp), "M") for n, vp in showcase.items()}
    assert versions[1] <= 21 and versions[2] <= 27 and versions[3] <= 32, versions  # measured: 21, 27, 32
    assert version_for(encode_text_pp2(showcase[1]), "M") >= 29


@pytest.mark.parametrize("slug, presentation", pp3_heldout.presentations(), ids=lambda x: x if isinstance(x, str) else "")
def test_held_out_credentials_fit_and_verify(slug, presentation):
    text = round_trip(presentation)
    assert version_for(text, "M") <= 22, (slug, len(text))
    decoded = decode_text(text)
    verify_proof(decoded, expected_purpose="authentication")
    verify_proof(decoded["verifiableCredential"][0], expected_purpose="assertionMethod")


def test_rendered_png_reads_back_with_zxing(showcase):
    text = encode_text(showcase[1])
    png = io_png(text)
    assert decode_image(png) == [text]
    assert decode_text(decode_image(png)[0]) == showcase[1]


def io_png(text: str) -> bytes:
    import io
    out = io.BytesIO()
    render_png(text, out)
    return out.getvalue()


# --- generated documents ------------------------------------------------------------------------
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
B58 = st.text(st.sampled_from(BASE58_ALPHABET), min_size=1, max_size=70)
HEX = st.text(st.sampled_from("0123456789abcdefABCDEF-"), min_size=30, max_size=40)
NEAR_MISSES = st.one_of(
    st.builds(lambda s: "did:key:z6Mk" + s, st.text(st.sampled_from(BASE58_ALPHABET), min_size=43, max_size=45)),
    st.builds(lambda s: f"did:key:{s}#{s}", st.sampled_from([
        "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWq"])),
    st.just("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"),
    st.builds(lambda s: "z" + s, B58), st.builds(lambda s: "z1" + s, B58),
    st.builds(lambda b: encode_u(b), st.binary(max_size=80)),
    st.builds(lambda s: "u" + s, st.text(st.sampled_from("AZaz09-_="), min_size=1, max_size=12)),
    st.builds(lambda s: "urn:uuid:" + s, HEX), st.uuids().map(lambda u: f"urn:uuid:{u}"),
    st.uuids().map(lambda u: f"http://data.europa.eu/esco/skill/{u}"), st.uuids().map(lambda u: f"x {u} y {str(u).upper()}"),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")), st.dates().map(str),
    st.sampled_from(["2026-02-30", "2026-13-01T00:00:00Z", "0999-12-31", "2026-01-01T24:00:00Z", "2026-1-01",
                     "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01", "\x01", "a\x01b", "PP3:"]),
    st.integers(0, 10**25).map(str), st.sampled_from(["0", "00", "007", "-1", "+1", "1e5", "١٢٣", "½"]),
    st.sampled_from(t.CONSTS + t.KEYS + t.PREFIXES + t.GAPS),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.lists(st.sampled_from(["zorg", "Zorg", "ZORG", "zOrG", "İstanbul", "straße", "ǅemal", "ﬁets", "e\u0301",
                              "medicatieveiligheidsprotocol", "x", "co2", "😀", " ", ", ", ". ", "\x00", " – ", "::"]),
             max_size=12).map("".join),
)
LEAVES = (st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1)
          | st.floats(allow_nan=False, allow_infinity=False) | NEAR_MISSES)
KEYS = st.one_of(st.sampled_from(t.KEYS), st.text(max_size=8), NEAR_MISSES)
JSON = st.recursive(LEAVES, lambda children: st.lists(children, max_size=5) | st.dictionaries(KEYS, children, max_size=5),
                    max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, JSON, max_size=6))
@example({"credentialStatus": {"id": "https://s.example/1#7", "statusListCredential": "https://s.example/1",
                               "statusListIndex": "7"}})
@example({"id": "x#1", "statusListCredential": "x", "statusListIndex": 1})
@example({"a": 1e21, "b": -0.0, "c": 5e-324, "d": 2**53 - 1, "e": -(2**53 - 1), "f": 1.0})
@example({"deep": json.loads("[" * 63 + "]" * 63)})
def test_generated_documents_round_trip_exactly(document):
    round_trip(document)


# --- damaged, random and hostile text ---------------------------------------------------------------
def decode_fails_cleanly(text: str, *, max_bytes: int = LIMIT) -> Exception | None:
    started = time.perf_counter()
    try:
        decode_text(text, max_bytes=max_bytes)
        error = None
    except (QRInvalid, QRTooLarge) as exc:
        error = exc
    assert time.perf_counter() - started < 1.0, text[:60]
    return error


def test_damaged_and_truncated_texts_are_reported_as_damaged(showcase):
    text = encode_text(showcase[1])
    rng = Random(20261123)
    refused = 0
    for _ in range(400):
        chars = list(text)
        for _ in range(rng.randrange(1, 4)):
            chars[rng.randrange(4, len(chars))] = rng.choice(ALPHABET)
        damaged = "".join(chars) if rng.random() < 0.8 else text[:rng.randrange(4, len(text))]
        error = decode_fails_cleanly(damaged)
        if error is None:  # only possible when the change left the payload bytes' meaning intact
            assert decode_text(damaged) == showcase[1]
        else:
            refused += 1
    assert refused > 350


def test_random_texts_fail_cleanly():
    rng = Random(7)
    for size in list(range(0, 40)) + [rng.randrange(40, 3000) for _ in range(200)]:
        assert decode_fails_cleanly("PP3:" + "".join(rng.choice(ALPHABET) for _ in range(size))) is not None \
            or size % 3 != 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_random_payloads_fail_cleanly(data):
    decode_fails_cleanly("PP3:" + b45encode(data))


def hostile(structure: bytes, values_: bytes = b"", check: bytes = b"\0\0\0") -> str:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict=wordmodel.structure_dictionary())
    return "PP3:" + b45encode(check + deflater.compress(structure) + deflater.flush() + values_)


def coded(*symbols: tuple[int, int]) -> bytes:
    encoder = Encoder()
    for value, count in symbols:
        encoder.uniform(value, count)
    return encoder.finish()


ID = t.KEY_CODES["id"]
OBJ, ARR, END = t.OBJECT, t.ARRAY, t.END


@pytest.mark.parametrize("text, error, fragment", [
    pytest.param("PP3:", QRInvalid, "too short", id="empty"),
    pytest.param("PP3:" + b45encode(b"\0\0\0"), QRInvalid, "too short", id="check-only"),
    pytest.param("PP3:" + b45encode(b"\0\0\0\xff\xff"), QRInvalid, "not valid DEFLATE", id="bad-deflate"),
    pytest.param(hostile(bytes([OBJ, ID, 200])), QRInvalid, "unknown value tag 200", id="unknown-tag"),
    pytest.param(hostile(bytes([OBJ, 0xEE, t.NULL, END])), QRInvalid, "unknown key code", id="unknown-key"),
    pytest.param(hostile(bytes([OBJ, ID, t.CONST, 250, END])), QRInvalid, "unknown value code", id="unknown-const"),
    pytest.param(hostile(bytes([OBJ, ID, t.NULL, ID, t.NULL, END])), QRInvalid, "repeats the key", id="repeated-key"),
    pytest.param(hostile(bytes([OBJ, ID, t.DID_REF, END])), QRInvalid, "DID before any", id="dangling-did"),
    pytest.param(hostile(bytes([OBJ, ID, t.TEXT_REF, END])), QRInvalid, "text before any", id="dangling-text"),
    pytest.param(hostile(bytes([OBJ, ID, t.STATUS_ID, END])), QRInvalid, "without its list", id="status-id-alone"),
    pytest.param(hostile(bytes([OBJ, ID, t.PREFIXED, 9, END])), QRInvalid, "unknown prefix", id="unknown-prefix"),
    pytest.param(hostile(bytes([OBJ, ID, t.NULL])), QRInvalid, "cut short", id="structure-cut-short"),
    pytest.param(hostile(bytes([OBJ, ID, t.NULL, END, t.NULL])), QRInvalid, "after the document", id="trailing-structure"),
    pytest.param(hostile(bytes([OBJ, ID, t.NULL, END]), b"\x55" * 20), QRInvalid, "after the document",
                 id="trailing-values"),
    pytest.param(hostile(bytes([OBJ, ID, t.BASE58_64, END])), QRInvalid, "cut short", id="values-cut-short"),
    pytest.param(hostile(bytes([OBJ, ID, t.NULL, END])), QRInvalid, "check value does not match", id="bad-check"),
    pytest.param(hostile(bytes([ARR, t.NULL, END]), check=check_value(b"[null]")), QRInvalid, "not a document",
                 id="not-an-object"),
    pytest.param(hostile(bytes([OBJ, ID] + [ARR] * 70 + [END] * 70 + [END])), QRInvalid, "deeper than 64",
                 id="too-deep"),
    pytest.param(hostile(bytes([OBJ, ID, t.INTEGER, END]), coded((55, 65), (0, 1 << 24), (0, 1 << 24), (0, 1 << 6))),
                 QRInvalid, "safe range", id="integer-too-large"),
    pytest.param(hostile(bytes([OBJ, ID, t.DATE, END]), coded((60, 65), *[(0, 1 << 24)] * 3)), QRInvalid,
                 "years", id="date-out-of-range"),
    pytest.param(hostile(bytes([OBJ, ID, ARR] + [t.NULL] * (3 * 1024 * 1024) + [END, END])), QRTooLarge,
                 "more than 262144 bytes", id="structure-bomb"),
])
def test_hostile_payloads_are_refused(text, error, fragment):
    started = time.perf_counter()
    with pytest.raises(error, match=fragment):
        decode_text(text)
    assert time.perf_counter() - started < 1.0


def test_cheap_repetition_stops_at_the_size_limit():
    """A text seen once and referenced 100,000 times costs no bits per reference; the output
    counter stops it at the limit."""
    structure = bytes([OBJ, ID, ARR, t.TEXT] + [t.TEXT_REF] * 100_000 + [END, END])
    encoder = Encoder()
    text_state = pp3.text.TextState(wordmodel.word_model(), 0)
    pp3.text.encode_text(encoder, text_state, "lange tekst " * 20)
    started = time.perf_counter()
    with pytest.raises(QRTooLarge, match="more than 100000 bytes"):
        decode_text(hostile(structure, encoder.finish()), max_bytes=100_000)
    assert time.perf_counter() - started < 1.0


def test_the_check_catches_a_valid_but_different_document():
    text = encode_text({"naam": "Ria de Vries", "n": 7})
    forged = "PP3:" + b45encode(check_value(b"{}") + pp3.encode({"naam": "Ria de Vries", "n": 7}, max_bytes=LIMIT)[3:])
    assert decode_text(text) == {"naam": "Ria de Vries", "n": 7}
    with pytest.raises(QRInvalid, match="check value does not match"):
        decode_text(forged)


def test_oversized_documents_are_refused_when_encoding():
    with pytest.raises(QRTooLarge, match=f"more than the {PP3_MAX_BYTES}"):
        encode_text({"a": "x" * PP3_MAX_BYTES})
    assert decode_text(encode_text({"a": "x" * (PP3_MAX_BYTES // 4)}))["a"] == "x" * (PP3_MAX_BYTES // 4)
