"""OpenID4VP 1.0: the page's request, its request object (``request_uri``) and the wallet's
answer (``response_uri``).

``new_request`` makes what ``POST /challenges`` hands the page: a request id (the ``state``), a
``nonce``, a DCQL query from what is asked (or the job profile), a signed request object (JAR)
and the ``openid4vp://`` link the QR code holds. The database keeps the request object, the
signed token and, for ``direct_post.jwt``, the private half of the ephemeral P-256 key; the page
sees none of the secrets.

``GET /oid4vp/requests/<state>`` serves the request object while the request is open; a POST
there (``request_uri_method=post``) gets it signed again with the wallet's ``wallet_nonce``.
``POST /oid4vp/response`` takes the answer once: it is read, decrypted, matched against the
DCQL query and every presentation checked (challenge = ``nonce``, domain = ``client_id``)
before the request is used up. An answer that is malformed, for another request, encrypted to
another key, or not bound to this request is refused with an OAuth ``error`` (``invalid_request``)
beside the Problem Details, and changes nothing; the request stays open for the real wallet.
A well-formed error response (``passport.roles.oid4vp_error``: the holder declined, or the
wallet cannot answer) closes the request once like an answer: the page learns only the code.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Response, current_app, request

from passport.crypto.jwe import EphemeralKey, decrypt_jwe, read_jwe_header
from passport.crypto.keys import Ed25519Key
from passport.encoding import jsonio
from passport.errors import ChallengeUnknown, PassportError, RequestInvalid
from passport.protocol_errors import JWEInvalid, ResponseInvalid
from passport.format.documents import BLOCK_KEYS, PROFILE_TYPE
from passport.roles import dcql, oid4vp
from passport.roles.oid4vp_answer import binding_error, combine, one_holder
from passport.roles.oid4vp_error import WalletError, is_error, read_error

from . import challenges, jobs
from .config import as_timedelta
from .errors import failed_checks, json_response, problem
from .summary import summarize

bp = Blueprint("oid4vp", __name__)
REQUEST_PATH, RESPONSE_PATH = "/oid4vp/requests/", "/oid4vp/response"
MAX_WALLET_FORM_BYTES = 16 * 1024  # wallet_metadata and wallet_nonce (request_uri_method=post)
MAX_ERRORS_SHOWN = 50  # the wallet is told what failed (processed answers are always 200, as OpenID4VP says)
ENDORSEMENT_TYPES = ("AantoonbaarBekwaamCredential", "CertificaatCredential", "WerkervaringCredential",
                     "AssessmentResultaatCredential", "ProfielEndorsementCredential")


@dataclass(frozen=True)
class NewRequest:
    state: str
    link: str
    claims: dict[str, Any]
    stored: dict[str, Any]


def dcql_for(query: dict[str, Any], job: dict[str, Any] | None) -> dict[str, Any]:
    """The DCQL query: the blocks and types of ``query``; with a job profile, the endorsement types
    its requirements accept instead (a requirement that names none accepts every kind)."""
    blocks = [item for item in query.get("profileBlocks", []) if isinstance(item, str)]
    kinds = [item for item in query.get("credentialTypes", []) if isinstance(item, str)]
    unknown = [kind for kind in kinds if kind not in (*ENDORSEMENT_TYPES, PROFILE_TYPE)]
    if unknown:
        raise RequestInvalid(f"the request asks for {unknown}, which are no Paspoort credential types")
    if PROFILE_TYPE in kinds and not blocks:
        blocks = list(BLOCK_KEYS)  # the profile asked for without naming blocks: all of them
    if job is not None:
        from passport.roles.matching import DEFAULT_ACCEPTED

        kinds = [kind for kind in ENDORSEMENT_TYPES if any(
            kind in (requirement.get("acceptedTypes") or DEFAULT_ACCEPTED.get(requirement.get("kind"), ()))
            for requirement in job.get("requirements", []))]
    return dcql.build_query(blocks=blocks, types=kinds)


def new_request(*, key: Ed25519Key, public_url: str, mode: str, dcql_query: dict[str, Any], now: datetime,
                ttl: timedelta, job_id: str | None) -> NewRequest:
    state = nonce = challenges.new_token()  # no secret: the holder's signature over it is what counts
    client_id = oid4vp.client_id_for(key.did)
    encryption = EphemeralKey.generate(kid=state) if mode == oid4vp.DIRECT_POST_JWT else None
    claims = oid4vp.request_claims(client_id=client_id, response_uri=public_url + RESPONSE_PATH, nonce=nonce,
                                   state=state, dcql_query=dcql_query, response_mode=mode, now=now, lifetime=ttl,
                                   encryption_jwk=encryption.public_jwk() if encryption else None)
    stored = {"object": claims, "jwt": oid4vp.sign_request(claims, key), "jobProfile": job_id,
              "decryptionKey": encryption.private_jwk() if encryption else None}
    link = oid4vp.authorization_link(client_id, public_url + REQUEST_PATH + state)
    return NewRequest(state, link, claims, stored)


def page_view(stored: dict[str, Any]) -> dict[str, Any]:
    """What the page may see of a stored request: the request object, never the keys."""
    return {"object": stored.get("object"), "jobProfile": stored.get("jobProfile")}


@bp.route(REQUEST_PATH + "<state>", methods=["GET", "POST"])
def request_object(state: str) -> Response:
    """The signed request object. A wallet that POSTs (``request_uri_method=post``) may send a
    ``wallet_nonce``: the object is then signed again with that nonce in it."""
    from .api import state as app_state

    s = app_state()
    wallet_nonce = _wallet_nonce() if request.method == "POST" else None  # a bad form: 400 before any lookup
    record = challenges.find(s.engine, state)
    if record is None:
        raise ChallengeUnknown("this verifier made no such request")
    challenges.check_open(record, now=s.clock())  # used or expired: say so
    if "jwt" not in record.request:
        raise ChallengeUnknown("this verifier made no OpenID4VP request with that state")
    token = record.request["jwt"] if wallet_nonce is None else \
        oid4vp.sign_request({**record.request["object"], "wallet_nonce": wallet_nonce}, s.key)
    response = Response(token, status=200, content_type=oid4vp.REQUEST_MEDIA_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response


def _wallet_nonce() -> str | None:
    """The ``wallet_nonce`` of a wallet's POST to the request URI (OpenID4VP 1.0, 5.10): a small
    form, each parameter at most once; ``wallet_metadata``, when sent, a JSON object."""
    request.max_content_length = MAX_WALLET_FORM_BYTES
    request.max_form_memory_size = MAX_WALLET_FORM_BYTES
    if request.content_length and request.mimetype != "application/x-www-form-urlencoded":
        raise RequestInvalid("POST the wallet's parameters as application/x-www-form-urlencoded")
    form = request.form
    if any(len(form.getlist(name)) > 1 for name in form):
        raise RequestInvalid("a parameter appears more than once")
    if "wallet_metadata" in form:
        try:
            metadata = jsonio.loads(form["wallet_metadata"].encode("utf-8"), max_bytes=MAX_WALLET_FORM_BYTES)
        except PassportError as exc:
            raise RequestInvalid(f"wallet_metadata is not usable JSON: {exc.message}") from None
        if not isinstance(metadata, dict):
            raise RequestInvalid("wallet_metadata must be a JSON object")
    nonce = form.get("wallet_nonce")
    if nonce is not None and not oid4vp.WALLET_NONCE.match(nonce):
        raise RequestInvalid("wallet_nonce must be 16 to 256 base64url characters")
    return nonce


@bp.post(RESPONSE_PATH)
def response_endpoint() -> Response:
    try:
        return _receive()
    except PassportError as exc:  # Problem Details, with the OAuth error members beside them
        details = {"details": exc.details} if exc.details else {}
        return problem(exc.status, exc.code, exc.message, **details,
                       **{"error": "invalid_request", "error_description": exc.message})


def _receive() -> Response:
    from .api import state as app_state

    s = app_state()
    config = current_app.config
    request.max_form_memory_size = config["MAX_REQUEST_BYTES"]
    if request.mimetype != "application/x-www-form-urlencoded":
        raise ResponseInvalid("the authorization response is sent as application/x-www-form-urlencoded")
    form = request.form
    if any(len(form.getlist(name)) > 1 for name in form):
        raise ResponseInvalid("a response parameter appears more than once")
    record, payload = _open(s.engine, form, now=s.clock())
    if is_error(payload):
        return _declined(s, record, read_error(payload))
    nonce, client_id = record.request["object"]["nonce"], record.request["object"]["client_id"]
    query = dcql.parse_query(record.request["object"]["dcql_query"])
    pairs = dcql.answered(query, payload.get("vp_token"))
    presentations = [presentation for _asked, presentation in pairs]
    max_age = as_timedelta(config["PRESENTATION_MAX_AGE"])
    reports = [s.verifier.check(presentation, challenge=nonce, domain=client_id, max_age=max_age)
               for presentation in presentations]
    for report in reports:
        error = binding_error(report)
        if error is not None:
            raise error
    one_holder(presentations)
    view, report = combine(presentations, reports)
    try:
        job = jobs.resolve(s.engine, record.request.get("jobProfile"), now=s.clock(),
                           ttl=as_timedelta(config["JOB_UPLOAD_TTL"]))
        match = jobs.match(job, report, view)
    except PassportError as exc:
        match = {"available": False, "reason": exc.message}
    s.housekeeping().maybe_purge(s.clock())
    challenges.answer_once(s.engine, record.challenge, now=s.clock(), verified=report.verified,  # once: the DB decides
                           result={"report": report.to_dict(), "summary": summarize(view, report), "match": match,
                                   "binding": "challenge", "sources": s.verifier.sources()},
                           request=page_view(record.request))  # the decryption key goes with the use
    return json_response({"verified": report.verified, "errors": failed_checks(report)[:MAX_ERRORS_SHOWN]})


def _declined(s: Any, record: challenges.Challenge, error: WalletError) -> Response:
    """The wallet's error response: the request is used up once, the page learns only the code."""
    s.housekeeping().maybe_purge(s.clock())
    challenges.answer_once(s.engine, record.challenge, now=s.clock(), verified=False,
                           result={"declined": error.declined, "error": error.error},
                           request=page_view(record.request))
    return json_response({"received": True, "error": error.error})


def _open(engine: Any, form: Any, *, now: datetime) -> tuple[challenges.Challenge, dict[str, Any]]:
    """The open request an answer is for, and the answer's parameters (decrypted when sealed)."""
    if "response" in form:
        token = form["response"]
        state = read_jwe_header(token).get("kid")
        record = _record(engine, state, now=now)
        secret = record.request.get("decryptionKey")
        if secret is None:
            raise ResponseInvalid("this request asked for a plain direct_post answer, not an encrypted one")
        _header, plaintext = decrypt_jwe(token, EphemeralKey.from_jwk(secret))
        try:
            payload = jsonio.loads(plaintext, max_bytes=current_app.config["MAX_REQUEST_BYTES"])
        except PassportError as exc:
            raise JWEInvalid(f"the decrypted response is not JSON: {exc.message}") from None
        if not isinstance(payload, dict) or payload.get("state") != state:
            raise ResponseInvalid("the decrypted response is not an object with this request's state")
        return record, payload
    if is_error(form):
        error = read_error(form)  # malformed: refused before any lookup
        return _record(engine, error.state, now=now), dict(form)
    if "vp_token" not in form or "state" not in form:
        raise ResponseInvalid("the response needs vp_token and state (direct_post) or response (direct_post.jwt)")
    record = _record(engine, form["state"], now=now)
    if record.request.get("decryptionKey") is not None:
        raise ResponseInvalid("this request asked for an encrypted answer (direct_post.jwt)")
    try:
        vp_token = jsonio.loads(form["vp_token"].encode("utf-8"), max_bytes=current_app.config["MAX_REQUEST_BYTES"])
    except PassportError as exc:
        raise ResponseInvalid(f"vp_token is not JSON: {exc.message}") from None
    return record, {"vp_token": vp_token, "state": form["state"]}


def _record(engine: Any, state: Any, *, now: datetime) -> challenges.Challenge:
    record = challenges.find(engine, state) if isinstance(state, str) else None
    if record is None or "object" not in record.request:
        raise ChallengeUnknown("this verifier made no request with that state")
    challenges.check_open(record, now=now)
    return record
