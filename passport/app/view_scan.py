"""Reading a QR code for the Receive and Share screens: from a photo the person uploads, or from
the laptop camera, whose frames the page posts here one at a time (decision 0205: decoded here by
zxing-cpp, as ``passport import`` reads photos; no decoder is shipped to the page).

``POST /scannen`` takes one frame (PNG or JPEG, the ``frame`` field, with the form's CSRF token)
and answers JSON ``{"text": ...}``: the first QR code in it that starts with one of the link
prefixes the page asks for (``kind``: ``offer`` or ``request``), or ``null``. Nothing is kept.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..errors import PassportError
from ..wallet import inbox
from . import words
from .pages import unlocked

bp = Blueprint("scan", __name__)
OFFER_PREFIXES = ("openid-credential-offer://", "haip://")
REQUEST_PREFIXES = ("openid4vp://",)
KINDS = {"offer": OFFER_PREFIXES, "request": REQUEST_PREFIXES}
MAX_FRAME_BYTES = 4 * 1024 * 1024
MAX_LINK = 8 * 1024


def link_in_image(data: bytes, prefixes: tuple[str, ...]) -> str | None:
    """The first QR code in the image ``data`` whose text starts with one of ``prefixes``."""
    if not (data.startswith(inbox.PNG_MAGIC) or data.startswith(inbox.JPEG_MAGIC)):
        return None
    try:
        texts = inbox.qr_module().decode_image(data)
    except PassportError:
        return None
    return next((text.strip() for text in texts if text.strip().startswith(prefixes)), None)


def link_from_form(form, files, prefixes: tuple[str, ...], lang: str) -> str:
    """The link the person pasted (``link``) or the one in the photo they uploaded (``photo``)."""
    text = (form.get("link") or "").strip()
    upload = files.get("photo")
    if not text and upload is not None and upload.filename:
        text = link_in_image(upload.read(MAX_FRAME_BYTES + 1), prefixes) or ""
        if not text:
            raise words.refusal(words.t("scan_no_code", lang))
    if not text:
        raise words.refusal(words.t("scan_need_link", lang))
    if len(text) > MAX_LINK:
        raise words.refusal(words.t("text_too_long", lang))
    if not text.startswith(prefixes):
        raise words.refusal(words.t("scan_wrong_link", lang))
    return text


@bp.post("/scannen")
@unlocked
def frame():
    prefixes = KINDS.get(request.form.get("kind", ""))
    upload = request.files.get("frame")
    if prefixes is None or upload is None:
        return jsonify({"text": None, "error": "bad-frame"}), 400
    data = upload.read(MAX_FRAME_BYTES + 1)
    if len(data) > MAX_FRAME_BYTES:
        return jsonify({"text": None, "error": "too-large"}), 413
    return jsonify({"text": link_in_image(data, prefixes)})
