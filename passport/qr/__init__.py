"""QR codes for documents: the text form, its symbols, and reading them from images.

``text`` (the ``PP2:`` text: zlib with the preset dictionary of ``dictionary``, then base45),
``symbols`` (QR codes as PNG, SVG or terminal text; ``codewords`` builds them fast), ``parts``
(a text too long for one code, over up to 16 codes with Structured Append) and ``reading``
(every code in an image, and the documents they hold).

    text = encode_text(presentation)
    render_png(text, "share.png")
    document = read_document("photo.jpg")
"""
from __future__ import annotations

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
    "Part",
    "capacity",
    "decode_image",
    "decode_text",
    "documents_in_texts",
    "encode_text",
    "is_paspoort_text",
    "qr_matrix",
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
