"""The recruiter page's camera, on the server (decision 0215): ``POST /scan`` reads one frame and
names the Paspoort codes in it (whole, or part i of n of a series), passes other codes over, and
refuses a frame that is too large or no image; ``POST /inspect`` with the texts the camera read
(``qr``, repeated) joins a series and checks each document: Ria's genuine certificate verifies,
a forged one (changed after signing) is named as forged, an incomplete series names the part
that is missing, and text that is not a Paspoort code is refused."""
from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from passport import qr
from test_qr_frames import png as frame  # the symbols side by side, as a camera frame
from test_verifier_inspect_pdf import tampered
from verifier_helpers import endorsement


@pytest.fixture
def client(make_app):
    return make_app().test_client()


def scan(client, data: bytes, name: str = "frame.png"):
    return client.post("/scan", data={"frame": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def inspect_scanned(client, texts: list[str]):
    return client.post("/inspect", data={"qr": texts}, content_type="multipart/form-data")


def certificate_parts(world) -> list[qr.Part]:
    parts = qr.split_for_qr(qr.encode_text(endorsement(world)), max_version=12)
    assert len(parts) >= 2
    return parts


def test_a_frame_with_a_part_names_its_place_in_the_series(client, world):
    parts = certificate_parts(world)
    answer = scan(client, frame(parts[1]))
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    (code,) = answer.get_json()["codes"]
    assert code["text"] == parts[1].text
    assert code["part"] == {"series": parts[1].text[5:9], "index": 1, "total": len(parts)}
    assert answer.get_json()["others"] == 0


def test_a_frame_read_as_jpeg_with_a_whole_code(client, world):
    text = qr.encode_text({"a": "b"})
    answer = scan(client, frame(text, fmt="JPEG"), "frame.jpg").get_json()
    assert answer == {"codes": [{"text": text, "part": None}], "others": 0}


def test_a_frame_without_a_code_is_an_empty_answer_not_an_error(client):
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 120, 90)).save(out, "JPEG")
    answer = scan(client, out.getvalue(), "frame.jpg")
    assert answer.status_code == 200 and answer.get_json() == {"codes": [], "others": 0}


def test_a_frame_with_another_code_counts_it_and_passes_it_over(client):
    answer = scan(client, frame("openid4vp://?client_id=x")).get_json()
    assert answer == {"codes": [], "others": 1}


def test_an_oversize_frame_is_413_before_decoding(client):
    out = io.BytesIO()
    Image.new("1", (4000, 2200), 1).save(out, "PNG")
    answer = scan(client, out.getvalue())
    assert answer.status_code == 413 and answer.get_json()["code"] == "INPUT_TOO_LARGE"
    assert "4000x2200" in answer.get_json()["detail"]
    big = scan(client, b"\x89PNG\r\n\x1a\n" + bytes(qr.MAX_FRAME_BYTES + 100))
    assert big.status_code == 413 and big.get_json()["code"] == "INPUT_TOO_LARGE"


@pytest.mark.parametrize("data", [b"GIF89a" + bytes(40), b"%PDF-1.7 not a frame"])
def test_a_frame_that_is_no_png_or_jpeg_is_400(client, data):
    answer = scan(client, data)
    assert answer.status_code == 400 and answer.get_json()["code"] == "QR_INVALID"
    assert "PNG or JPEG" in answer.get_json()["detail"]


def test_no_frame_field_is_400_naming_the_field(client):
    answer = client.post("/scan", data={"picture": "x"}, content_type="multipart/form-data")
    assert answer.status_code == 400 and answer.get_json()["code"] == "INPUT_INVALID"
    assert "field frame" in answer.get_json()["detail"]


def test_busy_decoders_answer_429(client, monkeypatch):
    from verifier_service import scan as scan_module

    taken = [scan_module._decoding.acquire(blocking=False) for _ in range(scan_module.MAX_DECODING)]
    try:
        answer = scan(client, frame(qr.encode_text({"a": 1})))
    finally:
        for _ in taken:
            scan_module._decoding.release()
    assert answer.status_code == 429 and answer.get_json()["code"] == "HTTP_429"


def test_the_scanned_parts_in_any_order_make_the_certificate_which_verifies(client, world):
    parts = certificate_parts(world)
    texts = [code["text"] for part in reversed(parts) for code in scan(client, frame(part)).get_json()["codes"]]
    answer = inspect_scanned(client, texts)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["verified"] is True and len(body["documents"]) == 1 and body["binding"] is None


def test_a_forged_certificate_read_by_the_camera_is_not_genuine(client, world):
    endorsements, forged_id = tampered(world)
    forged = next(c for c in endorsements if c["id"] == forged_id)
    genuine = endorsement(world, "CertificaatCredential")
    texts = [qr.encode_text(forged), qr.encode_text(genuine)]
    body = inspect_scanned(client, texts).get_json()
    assert body["verified"] is False and len(body["documents"]) == 2
    outcomes = {doc["summary"]["credentials"][0]["outcome"] for doc in body["documents"]}
    assert outcomes == {"invalid", "verified"}


def test_an_incomplete_series_names_the_missing_part(client, world):
    parts = certificate_parts(world)
    answer = inspect_scanned(client, [part.text for part in parts[1:]])
    assert answer.status_code == 400 and answer.get_json()["code"] == "QR_INVALID"
    assert f"part 1 of {len(parts)} is missing" in answer.get_json()["detail"]


def test_parts_of_two_series_that_disagree_are_refused(client, world):
    parts = certificate_parts(world)
    other = qr.split_for_qr(qr.encode_text(endorsement(world, "CertificaatCredential")), max_version=12)
    answer = inspect_scanned(client, [parts[0].text, other[1].text])
    assert answer.status_code == 400 and answer.get_json()["code"] == "QR_INVALID"


def test_scanned_text_that_is_no_paspoort_code_is_refused(client):
    answer = inspect_scanned(client, [qr.encode_text({"a": 1}), "https://example.org"])
    assert answer.status_code == 400 and answer.get_json()["code"] == "QR_INVALID"
    assert "scanned QR text 2 of 2 is not a Paspoort code" in answer.get_json()["detail"]


def test_too_many_scanned_texts_are_refused(client):
    answer = inspect_scanned(client, [qr.encode_text({"a": n}) for n in range(65)])
    assert answer.status_code == 400 and "at most 64" in answer.get_json()["detail"]


def series_with_a_piece_ending_in_a_space() -> tuple[dict, list[qr.Part]]:
    """A document whose first part's piece ends with a space, a base45 digit (about 1 part in 45 does)."""
    for number in range(1000):
        note = "".join(hashlib.sha256(f"{number}-{k}".encode()).hexdigest() for k in range(4))
        document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                    "id": f"urn:example:{number}", "issuer": "did:example:school",
                    "credentialSubject": {"note": note}}
        parts = qr.split_for_qr(qr.encode_text(document), max_version=6)
        if len(parts) > 1 and parts[0].text.endswith(" "):
            return document, parts
    raise AssertionError("no such series among 1000 documents")


def test_a_part_ending_in_a_space_is_taken_as_read_not_stripped(client):
    document, parts = series_with_a_piece_ending_in_a_space()
    texts = [code["text"] for part in parts for code in scan(client, frame(part)).get_json()["codes"]]
    assert texts[0] == parts[0].text and texts[0].endswith(" ")
    answer = inspect_scanned(client, texts)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["report"]["id"] == document["id"]  # read whole, checked (unsigned: not verified)


def test_pasted_parts_keep_a_space_that_ends_a_line(client):
    document, parts = series_with_a_piece_ending_in_a_space()
    for pasted in ("\r\n".join(part.text for part in reversed(parts)) + "\r\n",  # the spaced part last
                   "\n".join("  " + part.text for part in parts)):  # indented
        answer = client.post("/inspect", data={"text": pasted}, content_type="multipart/form-data")
        assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()["report"]["id"] == document["id"]  # read whole, checked (unsigned: not verified)
    cut = client.post("/inspect", data={"text": "\n".join([parts[0].text.rstrip()] + [p.text for p in parts[1:]])})
    assert cut.status_code == 400 and "do not fit together" in cut.get_json()["detail"]
