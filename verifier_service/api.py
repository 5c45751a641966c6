"""The HTTP API: W3C VC API verify endpoints, challenges, and the wallet's answer.

``POST /credentials/verify`` and ``POST /presentations/verify`` follow the VC API: the Paspoort
rules apply to Paspoort credentials only (policy ``vcdm``). A presentation is bound to a
challenge in one of two ways (``binding`` in the answer): a challenge this verifier issued
(``POST /challenges``) is consumed, once, and the Paspoort policy applies (``"challenge"``);
any other challenge is the caller's, as the VC API has it: it is only compared with the
proof's, and replay protection is the caller's (``"caller"``). A challenge is always required.

``POST /challenges`` makes an OpenID4VP request (``oid4vp.py``: its ``state`` and ``nonce`` are
the challenge) and answers the page that asked with a ``readToken``; ``GET /requests/<challenge>``
shows the state and the wallet's answer only with it (``Authorization: Bearer``), once.

Each view parses the request, makes one library call (through ``State.verifier``), and returns
JSON; failures are Problem Details from ``errors.py``.
"""
from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from flask import Blueprint, Response, current_app, request
from sqlalchemy import Engine

from passport import Report
from passport.encoding import jsonio
from passport.crypto.keys import Ed25519Key
from passport.errors import (ChallengeUnknown, DocumentInvalid, DomainMismatch, InputError, PassportError,
                             ReadTokenInvalid)
from passport.verification.policy import VCDM
from passport.verification.report import FAILED, CheckResult
from passport.encoding.timeutil import format_datetime

from . import challenges, jobs, oid4vp
from .config import as_timedelta
from .errors import json_response, problem, report_problem
from .housekeeping import Housekeeper
from .verification import Verifier

bp = Blueprint("api", __name__)
MAX_QUERY_CHARS = 2_048  # the request must fit a QR code and a wallet's 4,096-character limit

DEFAULT_QUERY = {
    "credentialTypes": ["PersoonlijkProfielCredential", "AantoonbaarBekwaamCredential", "CertificaatCredential",
                        "WerkervaringCredential", "AssessmentResultaatCredential", "ProfielEndorsementCredential"],
    "profileBlocks": ["skills", "talenten", "werkEnDenkniveau", "doelEnMotivatie"],
    "description": {"nl": "Uw vaardigheden en uw certificaten 'aantoonbaar bekwaam'",
                    "en": "Your skills and your 'aantoonbaar bekwaam' certificates"},
}


@dataclass
class State:
    engine: Engine
    verifier: Verifier
    clock: Callable[[], datetime]
    key: Ed25519Key
    housekeeper: Housekeeper | None = None

    def housekeeping(self) -> Housekeeper:
        if self.housekeeper is None:
            config = current_app.config
            self.housekeeper = Housekeeper(self.engine, answer_ttl=as_timedelta(config["ANSWER_TTL"]),
                                           upload_ttl=as_timedelta(config["JOB_UPLOAD_TTL"]))
        return self.housekeeper


def state() -> State:
    return current_app.extensions["paspoort_verifier"]


# --- parsing ---------------------------------------------------------------------------
def read_json() -> Any:
    """The request body, strictly parsed (size, duplicate keys, depth, numbers)."""
    return jsonio.loads(request.get_data(cache=False), max_bytes=current_app.config["MAX_REQUEST_BYTES"])


def body_with(document_key: str, *, allow_bare: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(document, options)`` from a VC API body ``{document_key: {...}, "options": {...}}``."""
    body = read_json()
    if allow_bare and isinstance(body, dict) and document_key not in body and "proof" in body:
        body = {document_key: body}
    if not isinstance(body, dict) or not isinstance(body.get(document_key), dict):
        raise InputError(f"the body must be a JSON object with {document_key} (a JSON object)")
    options = body.get("options", {})
    if not isinstance(options, dict):
        raise InputError("options must be a JSON object")
    if "jobProfile" in body and "jobProfile" not in options:
        options = {**options, "jobProfile": body["jobProfile"]}
    return body[document_key], options


def answer(report: Report, **extra: Any) -> Response:
    """200 with the report when it verified; 422 Problem Details naming every failure otherwise."""
    sources = state().verifier.sources()
    if not report.verified:
        return report_problem(report, sources=sources, **extra)
    return json_response({**report.to_dict(), "sources": sources, **extra})


# --- views -----------------------------------------------------------------------------
@bp.post("/credentials/verify")
def verify_credential() -> Response:
    credential, _options = body_with("verifiableCredential")
    return answer(state().verifier.check(credential, policy=VCDM))


@bp.post("/presentations/verify")
def verify_presentation() -> Response:
    presentation, options = body_with("verifiablePresentation")
    s = state()
    job = _resolve_job(options.get("jobProfile"))
    given, domain = _challenge_options(options)
    record = challenges.find(s.engine, given) if challenges.could_be_issued(given) else None
    if record is None:  # the caller's challenge: compared, never stored
        report = s.verifier.check(presentation, challenge=given, domain=domain, policy=VCDM)
        return answer(report, match=jobs.match(job, report, presentation), binding="caller")
    record = challenges.consume(s.engine, given, now=s.clock())  # ours: single use
    if domain is not None and domain != record.domain:
        raise DomainMismatch(f"this verifier issued the challenge for {record.domain!r}, not {domain!r}",
                             expected=record.domain, actual=domain)
    report = check_presentation(presentation, record)
    return answer(report, match=jobs.match(job, report, presentation), binding="challenge")


def _challenge_options(options: dict[str, Any]) -> tuple[str, str | None]:
    """``options.challenge`` (required) and ``options.domain`` (optional), as the VC API names them."""
    given, domain = options.get("challenge"), options.get("domain")
    if given is None:
        raise ChallengeUnknown("options.challenge is missing: give the challenge the presentation must answer "
                               "(your own, or one from POST /challenges); without one a presentation can be replayed")
    if not isinstance(given, str) or not given or len(given) > challenges.MAX_CALLER_CHALLENGE_CHARS:
        raise InputError(f"options.challenge must be a non-empty string of at most "
                         f"{challenges.MAX_CALLER_CHALLENGE_CHARS} characters", field="challenge")
    if domain is not None and (not isinstance(domain, str) or not domain):
        raise InputError("options.domain must be a non-empty string", field="domain")
    return given, domain


def check_presentation(presentation: dict[str, Any], record: challenges.Challenge) -> Report:
    """The presentation checked against the challenge it answers, and against what was asked."""
    max_age = as_timedelta(current_app.config["PRESENTATION_MAX_AGE"])
    report = state().verifier.check(presentation, challenge=record.challenge, domain=record.domain, max_age=max_age)
    return _check_answered(report, presentation, record.request)


def _check_answered(report: Report, presentation: Any, stored: dict[str, Any]) -> Report:
    """A failed ``request`` check when the request asked for credentials and the presentation holds
    none: an empty presentation proves only that its holder has a key."""
    inner = presentation.get("verifiableCredential") if isinstance(presentation, dict) else None
    if stored.get("object") and not inner:
        error = DocumentInvalid("the request asked for credentials; the presentation holds none")
        report.add(CheckResult("request", FAILED, error.message, error.code, error))
    return report


@bp.post("/challenges")
def new_challenge() -> Response:
    """An OpenID4VP request (its link and QR code) and the read token for the page that asked."""
    body = read_json() if request.get_data(cache=True) else {}
    if not isinstance(body, dict):
        raise InputError("the body must be a JSON object (or empty)")
    query = body.get("query", DEFAULT_QUERY)
    if not isinstance(query, dict) or len(json.dumps(query)) > MAX_QUERY_CHARS:
        raise InputError(f"query must be a JSON object (at most {MAX_QUERY_CHARS} characters) saying what is asked for")
    s = state()
    job_id, job = body.get("jobProfile"), None
    if "jobProfile" in body:
        if not isinstance(job_id, str):
            raise InputError("jobProfile must be the id of a job profile")
        job = _resolve_job(job_id)  # refuse an unknown id now, not when the wallet answers
    config = current_app.config
    mode = body.get("responseMode", config["RESPONSE_MODE"])
    if mode not in ("direct_post.jwt", "direct_post"):
        raise InputError("responseMode must be direct_post.jwt or direct_post", field="responseMode")
    read_token, now = challenges.new_token(), s.clock()
    ttl = as_timedelta(config["CHALLENGE_TTL"])
    try:
        dcql_query = oid4vp.dcql_for(query, job)
    except PassportError as exc:
        raise InputError(f"a wallet would refuse this request: {exc.message}") from None
    made = oid4vp.new_request(key=s.key, public_url=config["PUBLIC_URL"], mode=mode, dcql_query=dcql_query,
                              now=now, ttl=ttl, job_id=job_id)
    qr = _qr(made.link)
    s.housekeeping().maybe_purge(now)
    record = challenges.issue(s.engine, token=made.state, domain=config["DOMAIN"], now=now, ttl=ttl,
                              request=made.stored, read_token=read_token)
    out = {"challenge": made.state, "domain": config["DOMAIN"], "clientId": made.claims["client_id"],
           "expires": format_datetime(record.expires),
           "dcqlQuery": dcql_query, "responseMode": mode, "requestUrl": made.link,
           "statusUrl": f"/requests/{made.state}", "readToken": read_token, "qr": qr}
    return json_response(out, 201)


def _resolve_job(given: Any) -> dict[str, Any] | None:
    return jobs.resolve(state().engine, given, now=state().clock(),
                        ttl=as_timedelta(current_app.config["JOB_UPLOAD_TTL"]))


def _qr(text: str) -> dict[str, Any] | None:
    try:
        from passport import qr
    except ImportError:
        return None
    buffer = io.BytesIO()
    qr.render_png(text, buffer, box_size=6)
    return {"text": text, "png": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")}


@bp.get("/requests/<challenge>")
def request_status(challenge: str) -> Response:
    """The request's state, for the page that asked only (its read token); the answer is handed
    over once and then deleted."""
    s, token = state(), challenge
    record = challenges.find(s.engine, token)
    if record is None:
        return problem(404, ChallengeUnknown.code, "this verifier did not issue that challenge")
    if not record.readable_with(_bearer_token()):
        response = problem(401, ReadTokenInvalid.code, "send the readToken that POST /challenges returned, as "
                           "'Authorization: Bearer <readToken>'; the challenge alone does not show the answer")
        response.headers["WWW-Authenticate"] = 'Bearer realm="paspoort-verifier"'
        return response
    found = challenges.take_answer(s.engine, token)
    now = s.clock()
    if found is not None:
        status = "declined" if "error" in found["result"] else "answered"
    elif record.used_at is not None:
        status = "used"
    elif record.expires <= now:
        status = "expired"
    else:
        status = "pending"
    out = {"challenge": token, "status": status, "expires": format_datetime(record.expires),
           "request": oid4vp.page_view(record.request), "answer": None}
    if found is not None:
        out["answer"] = {"received": format_datetime(found["received"]), "verified": found["verified"],
                         **found["result"]}
    return json_response(out)


def _bearer_token() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
