"""The blueprints, and what every view shares: the clock, the request body, the staff member."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, current_app, jsonify, request

from passport.encoding import jsonio
from passport.errors import InputError
from passport.encoding.timeutil import utcnow

from ..encoding import sorted_json_bytes


def issuer():
    return current_app.extensions["paspoort_issuer"]


def now() -> datetime:
    """The clock is read here, at the edge (tests may set CLOCK)."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else utcnow()


def staff():
    return issuer().staff(request.headers.get("Authorization"), now())


def json_body(*required: str) -> dict[str, Any]:
    """The strict JSON object body; 400 when it is not JSON or not an object with ``required``."""
    data = request.get_data(cache=False)  # 413 beyond MAX_CONTENT_LENGTH
    body = jsonio.loads(data, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    if not isinstance(body, dict):
        raise InputError("the request body must be a JSON object", path="")
    missing = [name for name in required if name not in body]
    if missing:
        raise InputError(f"the request body needs {', '.join(missing)}", path=missing[0])
    return body


def answer(body: Any, status: int = 200) -> Response:
    """``body`` as JSON with ``status``: the bytes of ``jsonify`` (keys sorted), but UTF-8 as it is
    rather than escaped (``encoding``)."""
    data = sorted_json_bytes(body)
    if data is not None:
        return Response(data, status=status, mimetype="application/json")
    response = jsonify(body)
    response.status_code = status
    return response
