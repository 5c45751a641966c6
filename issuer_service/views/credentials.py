"""Staff endpoints: issue (one, a batch, from a template), change status, look up."""
from __future__ import annotations

from flask import Blueprint, jsonify

from . import issuer, json_body, now, staff

bp = Blueprint("credentials", __name__)


@bp.post("/credentials/issue")
def issue():
    who = staff()
    body = json_body("credential")
    credential = issuer().issue(who, body["credential"], body.get("options"), now())
    return jsonify({"verifiableCredential": credential}), 201


@bp.post("/credentials/issue/batch")
def issue_batch():
    who = staff()
    body = json_body("credentials")
    credentials = issuer().issue_batch(who, body["credentials"], body.get("options"), now())
    return jsonify({"verifiableCredentials": credentials}), 201


@bp.post("/credentials/status")
def update_status():
    who = staff()
    body = json_body("credentialId", "action")
    record = issuer().update_status(who, body["credentialId"], body["action"], body.get("reason"), now())
    return jsonify(record), 200


@bp.get("/credentials/<path:credential_id>")
def lookup(credential_id: str):
    who = staff()
    return jsonify(issuer().lookup(who, credential_id)), 200


@bp.get("/templates")
def templates():
    return jsonify({"templates": issuer().templates()}), 200
