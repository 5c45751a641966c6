"""OpenID4VCI 1.0 (pre-authorized code flow): metadata, offers, token, nonce, credential.

Views parse the request, call ``Offers`` or ``Exchange`` once and return JSON. The wallet-facing
endpoints answer OAuth errors (``errors``) and take small bodies only (``MAX_FORM_BYTES``,
``MAX_REQUEST_BYTES``: 413 beyond); the staff endpoint answers Problem Details like the rest
of the staff API.
"""
from __future__ import annotations

from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from passport.encoding import jsonio
from passport.errors import InputError, PassportError
from passport.roles.oid4vci import (
    AS_METADATA_PATH,
    CREDENTIAL_PATH,
    ISSUER_METADATA_PATH,
    NONCE_PATH,
    OFFERS_PATH,
    TOKEN_PATH,
    authorization_server_metadata,
    issuer_metadata,
)

from ..views import answer, issuer, json_body, now, staff
from . import errors
from .exchange import Exchange
from .housekeeping import Housekeeper
from .offers import Offers

bp = Blueprint("oid4vci", __name__)
MAX_FORM_BYTES = 4 * 1024
MAX_REQUEST_BYTES = 64 * 1024


def _housekeeping() -> None:
    """Bounded purge of stale offers, tokens and nonces, at most every few seconds per process."""
    keeper = current_app.extensions.get("paspoort_oid4vci_housekeeper")
    if keeper is None:
        keeper = current_app.extensions.setdefault("paspoort_oid4vci_housekeeper", Housekeeper(issuer().db))
    keeper.maybe_purge(now())


def _no_store(body, status: int = 200) -> Response:
    response = answer(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _body(limit: int, media_type: str, what: str) -> bytes:
    if request.mimetype != media_type:
        raise errors.OAuthError("invalid_request" if what == "token" else "invalid_credential_request",
                                f"the {what} request must be sent as {media_type}")
    request.max_content_length = limit
    try:
        return request.get_data(cache=False)
    except RequestEntityTooLarge:
        raise errors.OAuthError("invalid_request" if what == "token" else "invalid_credential_request",
                                f"the {what} request is larger than {limit} bytes") from None


@bp.errorhandler(errors.OAuthError)
def _oauth_error(error: errors.OAuthError) -> Response:
    return errors.response(error)


@bp.get(ISSUER_METADATA_PATH)
def credential_issuer_metadata():
    config = current_app.config
    return jsonify(issuer_metadata(config["BASE_URL"], config.get("NAME")))


@bp.get(AS_METADATA_PATH)
def oauth_metadata():
    return jsonify(authorization_server_metadata(current_app.config["BASE_URL"]))


@bp.post(OFFERS_PATH)
def create_offer():
    who = staff()
    body = json_body("credential")
    _housekeeping()
    qr = request.args.get("qr")
    if qr not in (None, "svg"):
        raise InputError("qr: the only QR format offered is svg (?qr=svg)", path="qr")
    return _no_store(Offers(issuer()).create(who, body["credential"], body.get("options"), now(), qr=qr == "svg"), 201)


@bp.get(OFFERS_PATH + "/<reference>")
def offer(reference: str):
    return _no_store(Offers(issuer()).document(reference, now()))


@bp.post(TOKEN_PATH)
def token():
    raw = _body(MAX_FORM_BYTES, "application/x-www-form-urlencoded", "token")
    try:
        form = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw), max_num_fields=16)
    except (UnicodeDecodeError, ValueError):
        raise errors.OAuthError("invalid_request", "the token request is not a valid form") from None
    _housekeeping()
    return _no_store(Exchange(issuer()).token(form, now()))


@bp.post(NONCE_PATH)
def nonce():
    return _no_store(Exchange(issuer()).nonce(now()))


@bp.post(CREDENTIAL_PATH)
def credential():
    def read_body():  # read once the access token is known good (401 before 400)
        raw = _body(MAX_REQUEST_BYTES, "application/json", "credential")
        try:
            return jsonio.loads(raw, max_bytes=MAX_REQUEST_BYTES)
        except PassportError as exc:
            raise errors.OAuthError("invalid_credential_request", f"the body is not usable JSON: {exc.message}") \
                from None
    _housekeeping()
    return _no_store(Exchange(issuer()).credential(request.headers.get("Authorization"), read_body, now()))
