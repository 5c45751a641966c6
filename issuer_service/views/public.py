"""Public endpoints: status lists (cacheable), the Paspoort JSON-LD context, the DID document, the OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from passport.jsonld import CONTEXTS, PASPOORT_V1, context_bytes

from ..openapi import openapi_document
from . import issuer, now

bp = Blueprint("public", __name__)
CONTEXT_PATH = "/contexts/paspoort/v1"


@bp.get("/status-lists/<int:list_id>")
def status_list(list_id: int):
    gzipped = request.accept_encodings.quality("gzip") > 0
    status, etag, body = issuer().status_list(list_id, request.headers.get("If-None-Match"), now(), gzipped=gzipped)
    response = Response(body, status=status, mimetype=None if body is None else "application/json")
    response.headers["ETag"] = etag
    response.headers["Vary"] = "Accept-Encoding"
    if gzipped and body is not None:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['STATUS_MAX_AGE']}"
    return response


@bp.get(CONTEXT_PATH)
def paspoort_context():
    """The Paspoort JSON-LD context (the shipped copy of https://w3id.org/paspoort/v1), cacheable."""
    body = context_bytes(PASPOORT_V1)
    response = Response(body, mimetype="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.set_etag(CONTEXTS[PASPOORT_V1].sha256)
    return response.make_conditional(request)


@bp.get("/.well-known/did.json")
def did_json():
    return Response(current_app.json.dumps(issuer().did_document()), mimetype="application/did+json")


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
