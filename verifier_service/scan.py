"""Camera frames from the recruiter's page (decision 0215): read on the server, as photos are.

``POST /scan`` takes one frame (PNG or JPEG, the multipart field ``frame``) and answers the
Paspoort QR codes in it, each a whole text or a numbered part of a series
(``passport.qr.read_frame``), and how many other QR codes it passed over. A frame without a code
is an ordinary answer (``codes`` empty): the camera is still being aimed. The page keeps what it
collected and sends it to ``POST /inspect`` (field ``qr``, repeated) once a document is complete;
nothing is kept here. Bounded: the frame's bytes and pixels (``passport.qr``), and
``MAX_DECODING`` frames decoded at once per process (more get 429; the page sends one at a time,
at most two a second, so only a stuck or hostile client meets it).
"""
from __future__ import annotations

import threading

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import TooManyRequests

from passport import qr
from passport.errors import InputError

bp = Blueprint("scan", __name__)

MAX_DECODING = 2
_decoding = threading.BoundedSemaphore(MAX_DECODING)
_FORM_OVERHEAD = 16 * 1024  # the multipart boundary and headers around the frame


@bp.post("/scan")
def scan_frame() -> Response:
    request.max_content_length = qr.MAX_FRAME_BYTES + _FORM_OVERHEAD  # 413 before the body is read
    upload = request.files.get("frame")
    if upload is None:
        raise InputError("send one camera frame (a PNG or JPEG image) in the form field frame")
    data = upload.read(qr.MAX_FRAME_BYTES + 1)
    if not _decoding.acquire(blocking=False):
        raise TooManyRequests(f"at most {MAX_DECODING} camera frames are read at once; send the next one later")
    try:
        frame = qr.read_frame(data)
    finally:
        _decoding.release()
    return jsonify(frame.to_dict())
