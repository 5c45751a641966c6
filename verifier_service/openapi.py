"""OpenAPI 3.1 description of the API (stub, filled below)."""
from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)


@bp.get("/openapi.json")
def openapi_document():
    return jsonify({"openapi": "3.1.0"})
