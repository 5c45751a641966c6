"""Reading QR codes from images: every code in a photo or scan, and the Paspoort documents they hold.

Reading uses zxing-cpp and finds every QR code in an image (a photo of a screen, a printed page
with several codes), in reading order. The parts of a document split over several codes
(``qr.parts``) are put back together in any order, from any number of images.

    document = read_document("photo.jpg")
"""
from __future__ import annotations

import io
import os
from typing import Any, BinaryIO

import zxingcpp
from PIL import Image, UnidentifiedImageError

from ..errors import QRInvalid
from .parts import is_part, join_parts, series_of
from .text import PREFIX, PREFIX_SHAPE, decode_text

MAX_IMAGE_PIXELS = 40_000_000  # refuse larger images before decoding them

Source = str | os.PathLike[str] | bytes | BinaryIO | Image.Image


def _open(source: Source) -> Image.Image:
    if isinstance(source, Image.Image):
        return source
    stream: Any = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        image = Image.open(stream)
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise QRInvalid(f"image of {image.width}x{image.height} pixels is too large to scan",
                            width=image.width, height=image.height)
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise QRInvalid(f"not a readable image: {exc}") from None
    return image


def decode_image(source: Source) -> list[str]:
    """The text of every QR code in an image (path, bytes, binary file or PIL image), in reading
    order (top to bottom, then left to right); ``QRInvalid`` when there is none."""
    image = _open(source)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:  # transparent = paper
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))
    if image.mode not in ("L", "RGB"):
        image = image.convert("L")
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    if not found:
        raise QRInvalid("no readable QR code in the image; try a sharper, straighter, better-lit picture")

    def place(barcode: Any) -> tuple[int, int]:
        corner = barcode.position.top_left
        return (corner.y // max(1, image.height // 8), corner.x)

    return [barcode.text for barcode in sorted(found, key=place)]


def is_paspoort_text(text: str) -> bool:
    """Whether scanned QR text is ours: whole ``PP<n>:`` text (any version, so that an unknown one is
    named, not skipped) or one part of a Structured Append series."""
    return PREFIX_SHAPE.match(text) is not None or is_part(text)


def documents_in_texts(texts: list[str]) -> list[dict[str, Any]]:
    """The documents in scanned QR texts (from any number of images): whole texts decoded, the parts
    of a series put back together in any order; other texts are passed over. A missing part raises
    ``QRInvalid`` naming it."""
    joined = iter(join_parts([text for text in texts if is_part(text)]))  # series in order of first part
    ordered, series = [], set()
    for text in texts:  # documents in the order their (first) code was scanned
        if PREFIX_SHAPE.match(text):
            ordered.append(text)
        elif is_part(text) and series_of(text) not in series:
            series.add(series_of(text))
            ordered.append(next(joined))
    return [decode_text(text) for text in ordered]


def read_documents(source: Source | list[Source]) -> list[dict[str, Any]]:
    """Every Paspoort document in the image (or images), decoded; QR codes of other kinds are passed
    over (a ``PP<n>:`` code of another version is not: it raises ``QRInvalid``). The parts of a
    document split over several codes are put back together in any order, from any of the images;
    a missing part raises ``QRInvalid`` naming it."""
    return documents_in_texts([text for one in (source if isinstance(source, list) else [source])
                               for text in decode_image(one)])


def read_document(source: Source) -> dict[str, Any]:
    """The document in the first Paspoort QR code of the image (reading order)."""
    texts = decode_image(source)
    for text in texts:
        if PREFIX_SHAPE.match(text):
            return decode_text(text)
    joined = join_parts([text for text in texts if is_part(text)])
    if joined:
        return decode_text(joined[0])
    raise QRInvalid(f"the image has {len(texts)} QR code(s) but none holds Paspoort text ({PREFIX})",
                    found=len(texts))
