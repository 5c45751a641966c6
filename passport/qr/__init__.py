"""QR codes for documents: the text form, its symbols, and reading them from images.

``text`` (the ``PP2:`` text: zlib with the preset dictionary of ``dictionary``, then base45),
``symbols`` (QR codes as PNG, SVG or terminal text; ``codewords`` builds them fast), ``parts``
(a text too long for one code, over up to 16 codes with Structured Append) and ``reading``
(every code in an image, and the documents they hold) and ``frames`` (one camera frame's codes,
each a whole text or a numbered part, for a page that collects a series over many frames).

    text = encode_text(presentation)
    render_png(text, "share.png")
    document = read_document("photo.jpg")
"""
from __future__ import annotations

from .frames import MAX_FRAME_BYTES, MAX_FRAME_PIXELS, Code, Frame, read_frame
from .parts import Part
from .reading import decode_image, documents_in_texts, is_paspoort_text, read_document, read_documents
from .symbols import (
    ECC_LEVELS,
    capacity,
    qr_matrix,
    render_image,
    render_png,
    render_svg,
    render_terminal,
    split_for_qr,
    symbol_modules,
    symbol_version,
    version_for,
)
from .text import decode_text, encode_text

__all__ = [
    "ECC_LEVELS",
    "MAX_FRAME_BYTES",
    "MAX_FRAME_PIXELS",
    "Code",
    "Frame",
    "Part",
    "capacity",
    "decode_image",
    "decode_text",
    "documents_in_texts",
    "encode_text",
    "is_paspoort_text",
    "qr_matrix",
    "read_frame",
    "read_document",
    "read_documents",
    "render_image",
    "render_png",
    "render_svg",
    "render_terminal",
    "split_for_qr",
    "symbol_modules",
    "symbol_version",
    "version_for",
]
