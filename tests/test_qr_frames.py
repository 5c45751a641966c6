"""One camera frame read by ``passport.qr.read_frame``: whole Paspoort texts and numbered parts of
a series are told apart (so a page can collect a series over many frames), other QR codes are
counted and passed over, a frame without a code has none, and a frame that is too large or no
image is refused before it is decoded."""
from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from passport import qr
from passport.errors import InputTooLarge, QRInvalid

DOCUMENT = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "id": [hashlib.sha256(str(n).encode()).hexdigest() for n in range(12)]}  # does not compress


def png(*symbols, box: int = 3, fmt: str = "PNG") -> bytes:
    """The symbols side by side on white, as one frame (PNG, or ``fmt``)."""
    images = [qr.render_image(symbol, box_size=box, max_version=40) for symbol in symbols]
    frame = Image.new("L", (sum(i.width for i in images) + 20 * len(images), max(i.height for i in images)), 255)
    x = 0
    for image in images:
        frame.paste(image, (x, 0))
        x += image.width + 20
    out = io.BytesIO()
    frame.save(out, fmt)
    return out.getvalue()


def series() -> list[qr.Part]:
    parts = qr.split_for_qr(qr.encode_text(DOCUMENT), max_version=6)
    assert len(parts) >= 3 and all(isinstance(part, qr.Part) for part in parts)
    return parts


def test_a_whole_text_is_one_code_without_a_part():
    text = qr.encode_text({"a": 1})
    frame = qr.read_frame(png(text))
    assert frame.to_dict() == {"codes": [{"text": text, "part": None}], "others": 0}


def test_a_part_names_its_series_place_and_total():
    parts = series()
    frame = qr.read_frame(png(parts[1]))
    (code,) = frame.codes
    assert code.text == parts[1].text and (code.index, code.total) == (1, len(parts))
    assert code.series == parts[1].text[5:9]
    two = qr.read_frame(png(parts[0], parts[2]))  # two parts in one frame: both, in reading order
    assert [c.index for c in two.codes] == [0, 2] and len({c.series for c in two.codes}) == 1


def test_the_parts_read_from_frames_join_into_the_document():
    parts = series()
    texts = [code.text for part in reversed(parts) for code in qr.read_frame(png(part)).codes]
    assert qr.documents_in_texts(texts) == [DOCUMENT]


def test_other_codes_are_counted_and_passed_over():
    frame = qr.read_frame(png("https://example.org/not-a-passport", qr.encode_text({"a": 1})))
    assert frame.others == 1 and len(frame.codes) == 1


def test_a_frame_without_a_code_has_none():
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 200, 200)).save(out, "JPEG")
    assert qr.read_frame(out.getvalue()).to_dict() == {"codes": [], "others": 0}


def test_a_frame_over_the_byte_limit_is_refused_unread():
    with pytest.raises(InputTooLarge) as caught:
        qr.read_frame(b"\x89PNG\r\n\x1a\n" + bytes(qr.MAX_FRAME_BYTES))
    assert caught.value.details["limit"] == qr.MAX_FRAME_BYTES


def test_a_frame_over_the_pixel_limit_is_refused_from_its_header():
    out = io.BytesIO()
    Image.new("1", (4000, 2200), 1).save(out, "PNG")  # 8.8 MP in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(InputTooLarge) as caught:
        qr.read_frame(out.getvalue())
    assert caught.value.details == {"width": 4000, "height": 2200, "limit": qr.MAX_FRAME_PIXELS}


@pytest.mark.parametrize("data", [b"GIF89a" + bytes(20), b"not an image", b"\x89PNG\r\n\x1a\n" + b"broken"])
def test_a_frame_that_is_no_png_or_jpeg_is_refused(data):
    with pytest.raises(QRInvalid):
        qr.read_frame(data)


def test_a_part_that_contradicts_itself_is_refused():
    with pytest.raises(QRInvalid, match="part 4 of 3"):
        qr.read_frame(png("PPS32ABCD:PIECE"))
