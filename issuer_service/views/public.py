"""Public endpoints: status lists (cacheable), the DID document, the OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from ..openapi import openapi_document
from . import issuer

bp = Blueprint("public", __name__)


@bp.get("/status-lists/<int:list_id>")
def status_list(list_id: int):
    status, etag, body = issuer().status_list(list_id, request.headers.get("If-None-Match"))
    response = Response(body, status=status, mimetype=None if body is None else "application/json")
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['STATUS_MAX_AGE']}"
    return response


@bp.get("/.well-known/did.json")
def did_json():
    return Response(current_app.json.dumps(issuer().did_document()), mimetype="application/did+json")


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
