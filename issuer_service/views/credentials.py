"""Staff endpoints: issue (one, a batch, from a template), change status, look up."""
from __future__ import annotations

from flask import Blueprint

from . import answer, issuer, json_body, now, staff

bp = Blueprint("credentials", __name__)


@bp.post("/credentials/issue")
def issue():
    who = staff()
    body = json_body("credential")
    credential = issuer().issue(who, body["credential"], body.get("options"), now())
    return answer({"verifiableCredential": credential}, 201)


@bp.post("/credentials/issue/batch")
def issue_batch():
    who = staff()
    body = json_body("credentials")
    credentials = issuer().issue_batch(who, body["credentials"], body.get("options"), now())
    return answer({"verifiableCredentials": credentials}, 201)


@bp.post("/credentials/status")
def update_status():
    who = staff()
    body = json_body("credentialId")
    return answer(issuer().change_status(who, body, now()))


@bp.post("/status-lists/<int:list_id>/publish")
def publish_status_list(list_id: int):
    who = staff()
    issuer().publish_status_list(who, list_id, now())
    return "", 204


@bp.get("/credentials/<path:credential_id>")
def lookup(credential_id: str):
    who = staff()
    return answer(issuer().lookup(who, credential_id))


@bp.get("/templates")
def templates():
    return answer({"templates": issuer().templates()})
