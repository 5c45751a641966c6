"""QR output of ``passport share``: image files and the terminal, one code or several.

A presentation that fits one QR code of at most version 25 (level M) becomes one code; a larger
one is split over up to 16 codes with QR Structured Append (``passport.qr.parts``), written as
``NAME-1.png`` ... ``NAME-N.png`` (or ``.svg``) and shown one after another in the terminal.
``--qr-terminal`` refuses, saying the width needed, when the code is wider than the terminal.
"""
from __future__ import annotations

import io
import os
import shutil
import sys
from typing import Any

from ..crypto.keys import write_private_file
from ..errors import InputError, QRTooLarge
from ..terms import DEFAULT_LANG
from ..wallet import inbox
from .language import say


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def part_paths(path: str, count: int) -> list[str]:
    """``vp.png`` for one code; ``vp-1.png`` ... ``vp-N.png`` for several."""
    if count == 1:
        return [path]
    stem, extension = os.path.splitext(path)
    return [f"{stem}-{number}{extension}" for number in range(1, count + 1)]


def terminal_columns() -> int | None:
    """The terminal's width, when there is a terminal (or ``$COLUMNS``) to go by."""
    try:
        interactive = sys.stdout.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if os.environ.get("COLUMNS") or interactive:
        return shutil.get_terminal_size().columns
    return None


def deliver(presentation: dict[str, Any], qr_paths: list[str], terminal: bool, *, written: str | None = None,
            lang: str = DEFAULT_LANG) -> None:
    qr = inbox.qr_module()
    text = qr.encode_text(presentation)
    try:
        parts = qr.split_for_qr(text)
    except QRTooLarge as exc:
        if not written:
            raise
        raise QRTooLarge(say("err_qr_written_instead", lang, message=exc.message, path=written),
                         **exc.details) from None
    drawings = [qr.render_terminal(part) for part in parts] if terminal else []
    if drawings:
        needed = max(len(drawing.split("\n", 1)[0]) for drawing in drawings)
        columns = terminal_columns()
        if columns is not None and needed > columns:
            raise InputError(say("err_terminal_width", lang, needed=needed, columns=columns),
                             needed=needed, columns=columns)
    total = len(text)
    for path in qr_paths:
        targets = part_paths(path, len(parts))
        for part, target in zip(parts, targets):
            if target.lower().endswith(".png"):
                image = io.BytesIO()
                qr.render_png(part, image)
                data = image.getvalue()
            else:
                data = qr.render_svg(part).encode("utf-8")
            write_private_file(target, data, overwrite=True)  # personal data, as private as the JSON file
        if len(parts) == 1:
            _print(say("qr_written", lang, total=total, path=path))
        else:
            _print(say("qr_series", lang, total=total, count=len(parts), first=targets[0], last=targets[-1]))
    for number, drawing in enumerate(drawings, 1):
        if len(drawings) > 1:
            _print(say("qr_number", lang, number=number, count=len(drawings)))
        _print(drawing)
