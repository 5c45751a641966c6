"""QR symbols for documents: render ``PP2:`` text as PNG, SVG or terminal text.

The text form is in ``qr.text`` (``encode_text``/``decode_text``). Here that text becomes one QR
code in alphanumeric mode (base45 uses exactly the QR alphanumeric set) at error correction
level M by default, with a fixed mask pattern: choosing the "best" of the eight masks costs
most of the encoding time and every decoder reads any mask. Text that does not fit in one
reliable QR code (beyond ``max_version``, at most 40) raises ``QRTooLarge`` saying what fits;
an unreadable code is never produced. Reading images is ``qr.reading``.

    text = encode_text(presentation)
    render_png(text, "share.png")
"""
from __future__ import annotations

import os
from typing import BinaryIO

import qrcode
from PIL import Image
from qrcode import constants, util

from ..errors import QRTooLarge
from .codewords import codewords
from .parts import MAX_PART_VERSION, Part, part_matrix, part_version, split_text
from .text import ALPHABET

ECC_LEVELS = {
    "L": constants.ERROR_CORRECT_L, "M": constants.ERROR_CORRECT_M,
    "Q": constants.ERROR_CORRECT_Q, "H": constants.ERROR_CORRECT_H,
}
FIXED_MASK = 2  # any of 0..7 works; fixed so encoding skips the eight-way mask evaluation
_ALNUM = frozenset(ALPHABET)


def _level(ecc: str) -> int:
    try:
        return ECC_LEVELS[ecc]
    except KeyError:
        raise ValueError(f"ecc must be one of L, M, Q, H, not {ecc!r}") from None


def _mode(text: str) -> int:
    return util.MODE_ALPHA_NUM if _ALNUM.issuperset(text) else util.MODE_8BIT_BYTE


def _payload_bits(length: int, mode: int, version: int) -> int:
    header = 4 + util.length_in_bits(mode, version)
    if mode == util.MODE_ALPHA_NUM:
        return header + 11 * (length // 2) + 6 * (length % 2)
    return header + 8 * length


def capacity(version: int, ecc: str = "M", *, alphanumeric: bool = True) -> int:
    """How many characters (alphanumeric) or bytes one QR code of ``version`` holds at ``ecc``."""
    util.check_version(version)
    mode = util.MODE_ALPHA_NUM if alphanumeric else util.MODE_8BIT_BYTE
    bits = util.BIT_LIMIT_TABLE[_level(ecc)][version] - 4 - util.length_in_bits(mode, version)
    return bits // 11 * 2 + (1 if bits % 11 >= 6 else 0) if alphanumeric else bits // 8


def version_for(text: str, ecc: str = "M", *, max_version: int = 40) -> int:
    """The smallest QR version that holds ``text`` at ``ecc``; ``QRTooLarge`` above ``max_version``."""
    limit = min(max_version, 40)
    util.check_version(limit)
    mode = _mode(text)
    size = len(text) if mode == util.MODE_ALPHA_NUM else len(text.encode("utf-8"))
    table = util.BIT_LIMIT_TABLE[_level(ecc)]
    for version in range(1, limit + 1):
        if _payload_bits(size, mode, version) <= table[version]:
            return version
    fits = capacity(limit, ecc, alphanumeric=mode == util.MODE_ALPHA_NUM)
    unit = "characters" if mode == util.MODE_ALPHA_NUM else "bytes"
    raise QRTooLarge(
        f"too large for one QR code: the text has {size} {unit}, but a QR code at error correction "
        f"{ecc} up to version {limit} holds {fits}; share fewer endorsements or profile entries "
        f"(about {size - fits} {unit} too many), or share a file instead",
        size=size, capacity=fits, ecc=ecc, max_version=limit, unit=unit,
    )


def qr_matrix(text: str, *, ecc: str = "M", max_version: int = 40, mask: int = FIXED_MASK) -> qrcode.QRCode:
    """The built ``qrcode.QRCode`` (``.modules`` holds the matrix, True = dark)."""
    version = version_for(text, ecc, max_version=max_version)
    code = qrcode.QRCode(version=version, error_correction=_level(ecc), mask_pattern=mask)
    data, mode = text.encode("utf-8"), _mode(text)
    code.add_data(util.QRData(data, mode=mode, check_data=False))
    code.data_cache = codewords(data, mode, version, _level(ecc))  # qrcode's own layout, faster bytes
    code.make(fit=False)
    return code


def split_for_qr(text: str, ecc: str = "M", *, max_version: int = MAX_PART_VERSION) -> list[str | Part]:
    """``[text]`` when one code of at most ``max_version`` holds it, else its Structured Append parts
    (``qr.parts``: up to 16 codes); ``QRTooLarge`` says how many characters fit when even that is too little."""
    try:
        version_for(text, ecc, max_version=max_version)
        return [text]
    except QRTooLarge:
        return list(split_text(text, _level(ecc), max_version=max_version))


def symbol_version(symbol: str | Part, ecc: str = "M", *, max_version: int = 40) -> int:
    """The QR version of one symbol (whole text, or a Structured Append part) at ``ecc``."""
    if isinstance(symbol, Part):
        return part_version(symbol, _level(ecc), min(max_version, 40))
    return version_for(symbol, ecc, max_version=max_version)


def symbol_modules(symbol: str | Part, *, ecc: str = "M", max_version: int = 40) -> list[list[bool]]:
    """The module matrix of one symbol (True = dark), without the quiet zone."""
    return _dark_rows(symbol, ecc, 0, max_version)


def _dark_rows(text: str | Part, ecc: str, border: int, max_version: int) -> list[list[bool]]:
    if isinstance(text, Part):
        modules = part_matrix(text, _level(ecc), FIXED_MASK, min(max_version, 40)).modules
    else:
        modules = qr_matrix(text, ecc=ecc, max_version=max_version).modules
    blank = [False] * (len(modules) + 2 * border)
    return [blank] * border + [[False] * border + [bool(m) for m in row] + [False] * border
                               for row in modules] + [blank] * border


def render_image(text: str | Part, *, ecc: str = "M", box_size: int = 3, border: int = 4,
                 max_version: int = 40) -> Image.Image:
    """A black-on-white greyscale PIL image, ``box_size`` pixels per module, quiet zone ``border``."""
    return _bilevel(text, ecc, box_size, border, max_version).convert("L")


def _bilevel(text: str | Part, ecc: str, box_size: int, border: int, max_version: int) -> Image.Image:
    rows = _dark_rows(text, ecc, border, max_version)
    side = len(rows)
    pixels = bytes(0 if dark else 255 for row in rows for dark in row)
    image = Image.frombytes("L", (side, side), pixels).convert("1")  # one pixel per module
    return image.resize((side * box_size, side * box_size), Image.NEAREST) if box_size > 1 else image


def render_png(text: str | Part, target: str | os.PathLike[str] | BinaryIO, *, ecc: str = "M",
               box_size: int = 3, border: int = 4, max_version: int = 40) -> int:
    """Write the QR code as a 1-bit PNG to a path or binary file; return the QR version."""
    image = _bilevel(text, ecc, box_size, border, max_version)
    image.save(target, format="PNG", compress_level=1)
    return (image.width // box_size - 2 * border - 17) // 4


def render_svg(text: str | Part, target: str | os.PathLike[str] | None = None, *, ecc: str = "M",
               border: int = 4, module_mm: float = 0.5, max_version: int = 40) -> str:
    """The QR code as a standalone SVG (one path, one unit per module); written to ``target`` if given."""
    rows = _dark_rows(text, ecc, border, max_version)
    side = len(rows)
    runs: list[str] = []
    for y, row in enumerate(rows):
        x = 0
        while x < side:
            if row[x]:
                start = x
                while x < side and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            x += 1
    size = f"{side * module_mm:g}mm"
    svg = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{size}" height="{size}" '
        f'viewBox="0 0 {side} {side}" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>\n'
    )
    if target is not None:
        with open(target, "w", encoding="utf-8") as out:
            out.write(svg)
    return svg


def render_terminal(text: str | Part, *, ecc: str = "M", border: int = 4, invert: bool = False,
                    max_version: int = 40) -> str:
    """The QR code as lines of half-block characters, two modules per character cell.

    By default light modules are drawn (for a light-on-dark terminal, like ``qrencode -t UTF8``);
    ``invert=True`` draws the dark modules instead, for dark-on-light terminals.
    The width is the module count plus twice ``border`` columns.
    """
    rows = _dark_rows(text, ecc, border, max_version)
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    glyph = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2]):
        lines.append("".join(glyph[(t == invert, b == invert)] for t, b in zip(top, bottom)))
    return "\n".join(lines) + "\n"
