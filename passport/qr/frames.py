"""One camera frame: the Paspoort QR codes in it, each a whole text or a numbered part of a series.

A page that reads QR codes with a camera sends its frames one at a time; each is read here with
the same reader as photos (zxing-cpp) and described, so that the page can collect the parts of a
series over many frames and say how far it is ("2 of 3 parts read"). Nothing is kept between
frames. A frame is bounded before it is decoded: at most ``MAX_FRAME_BYTES`` of PNG or JPEG and
``MAX_FRAME_PIXELS`` pixels (read from the header only).

    frame = read_frame(png_bytes)
    [(code.text, code.index, code.total) for code in frame.codes]
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError

from ..errors import InputTooLarge, QRInvalid
from .parts import is_part, parts_in
from .reading import decode_image, is_paspoort_text

MAX_FRAME_BYTES = 4 * 1024 * 1024
MAX_FRAME_PIXELS = 3840 * 2160  # a 4K camera; the page sends at most 1280 pixels on the long side
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


@dataclass(frozen=True)
class Code:
    """One Paspoort QR code in a frame: its text, and for a part its place in its series."""

    text: str
    series: str | None = None  # the series tag of a part; None for a whole PP text
    index: int | None = None  # 0-based position of a part
    total: int | None = None  # how many parts its series has

    def to_dict(self) -> dict[str, Any]:
        part = None if self.series is None else {"series": self.series, "index": self.index, "total": self.total}
        return {"text": self.text, "part": part}


@dataclass(frozen=True)
class Frame:
    codes: tuple[Code, ...]  # the Paspoort codes, in reading order
    others: int  # QR codes that are not Paspoort codes (a link, a request QR): passed over

    def to_dict(self) -> dict[str, Any]:
        return {"codes": [code.to_dict() for code in self.codes], "others": self.others}


def read_frame(data: bytes, *, max_pixels: int = MAX_FRAME_PIXELS) -> Frame:
    """The Paspoort codes in one camera frame; a frame without any QR code has none (not an error).
    ``InputTooLarge`` for more than ``MAX_FRAME_BYTES`` or ``max_pixels``; ``QRInvalid`` for
    bytes that are not a PNG or JPEG image, or a part whose marker contradicts itself."""
    if len(data) > MAX_FRAME_BYTES:
        raise InputTooLarge(f"a camera frame is at most {MAX_FRAME_BYTES // (1024 * 1024)} MiB; this one has "
                            f"{len(data)} bytes", size=len(data), limit=MAX_FRAME_BYTES)
    if not data.startswith(_MAGIC):
        raise QRInvalid("a camera frame must be a PNG or JPEG image")
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > max_pixels:
            raise InputTooLarge(f"a camera frame of {width}x{height} pixels is too large; at most "
                                f"{max_pixels} pixels are read", width=width, height=height, limit=max_pixels)
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise QRInvalid(f"the camera frame is not a readable image: {exc}") from None
    try:
        texts = decode_image(image)
    except QRInvalid:  # no QR code in view: the usual frame while the person aims the camera
        return Frame((), 0)
    codes: list[Code] = []
    others = 0
    for text in texts:
        if is_part(text):
            codes += [Code(part, tag, index, total) for part, index, total, tag in parts_in(text)]
        elif is_paspoort_text(text):
            codes.append(Code(text))
        else:
            others += 1
    return Frame(tuple(codes), others)
