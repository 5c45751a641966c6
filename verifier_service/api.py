"""The HTTP API: W3C VC API verify endpoints, challenges, and the wallet's answer.

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

from passport import Report, jsonio
from passport.errors import ChallengeUnknown, DomainMismatch, InputError, PassportError
from passport.timeutil import format_datetime

from . import challenges, jobs
from .config import as_timedelta
from .errors import json_response, problem, report_problem
from .summary import summarize
from .verification import Verifier

bp = Blueprint("api", __name__)
MAX_QUERY_CHARS = 16_384

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
    return answer(state().verifier.check(credential))


@bp.post("/presentations/verify")
def verify_presentation() -> Response:
    presentation, options = body_with("verifiablePresentation")
    s = state()
    job = jobs.resolve(s.engine, options.get("jobProfile"))
    record = challenges.consume(s.engine, options.get("challenge"), now=s.clock())
    if options.get("domain") is not None and options["domain"] != record.domain:
        raise DomainMismatch(f"this verifier issued the challenge for {record.domain!r}, not {options['domain']!r}",
                             expected=record.domain, actual=options["domain"])
    report = _check_presentation(presentation, record)
    return answer(report, match=jobs.match(job, report, presentation))


def _check_presentation(presentation: dict[str, Any], record: challenges.Challenge) -> Report:
    max_age = as_timedelta(current_app.config["PRESENTATION_MAX_AGE"])
    return state().verifier.check(presentation, challenge=record.challenge, domain=record.domain, max_age=max_age)


@bp.post("/challenges")
def new_challenge() -> Response:
    body = read_json() if request.get_data(cache=True) else {}
    if not isinstance(body, dict):
        raise InputError("the body must be a JSON object (or empty)")
    query = body.get("query", DEFAULT_QUERY)
    if not isinstance(query, dict) or len(json.dumps(query)) > MAX_QUERY_CHARS:
        raise InputError(f"query must be a JSON object (at most {MAX_QUERY_CHARS} characters) saying what is asked for")
    s = state()
    job_id = body.get("jobProfile")
    if "jobProfile" in body:
        if not isinstance(job_id, str):
            raise InputError("jobProfile must be the id of a job profile")
        jobs.resolve(s.engine, job_id)  # refuse an unknown id now, not when the wallet answers
    base = (current_app.config["PUBLIC_URL"] or request.host_url).rstrip("/")
    domain = current_app.config["DOMAIN"] or request.host.split(":")[0]
    token = challenges.new_token()
    now = s.clock()
    ttl = as_timedelta(current_app.config["CHALLENGE_TTL"])
    presentation_request = {
        "type": "PaspoortPresentationRequest", "version": 1, "verifier": base, "challenge": token,
        "domain": domain, "query": query, "responseUrl": f"{base}/presentations/submit/{token}",
        "expires": format_datetime(now + ttl),
    }
    if job_id is not None:
        presentation_request["jobProfile"] = job_id
    challenges.issue(s.engine, token=token, domain=domain, now=now, ttl=ttl, request=presentation_request)
    out = {"challenge": token, "domain": domain, "expires": presentation_request["expires"],
           "request": presentation_request, "requestUrl": f"{base}/requests/{token}", "qr": _qr(presentation_request)}
    return json_response(out, 201)


def _qr(document: dict[str, Any]) -> dict[str, Any] | None:
    try:
        from passport import qr
    except ImportError:
        return None
    text = qr.encode_text(document)
    buffer = io.BytesIO()
    qr.render_png(text, buffer, box_size=6)
    return {"text": text, "png": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")}


@bp.post("/presentations/submit/<challenge>")
def submit(challenge: str) -> Response:
    presentation, _options = body_with("verifiablePresentation", allow_bare=True)
    s = state()
    token = challenge
    record = challenges.consume(s.engine, token, now=s.clock())
    report = _check_presentation(presentation, record)
    try:
        match = jobs.match(jobs.resolve(s.engine, record.request.get("jobProfile")), report, presentation)
    except PassportError as exc:
        match = {"available": False, "reason": exc.message}
    response = answer(report, match=match)
    challenges.store_answer(s.engine, token, now=s.clock(), verified=report.verified,
                            result={"report": report.to_dict(), "summary": summarize(presentation, report),
                                    "match": match, "binding": "challenge"})
    return response


@bp.get("/requests/<challenge>")
def request_status(challenge: str) -> Response:
    s, token = state(), challenge
    record = challenges.find(s.engine, token)
    if record is None:
        return problem(404, ChallengeUnknown.code, "this verifier did not issue that challenge")
    found = challenges.answer_for(s.engine, token)
    now = s.clock()
    if found is not None:
        status = "answered"
    elif record.used_at is not None:
        status = "used"
    elif record.expires <= now:
        status = "expired"
    else:
        status = "pending"
    out = {"challenge": token, "status": status, "expires": format_datetime(record.expires),
           "request": record.request, "answer": None}
    if found is not None:
        out["answer"] = {"received": format_datetime(found["received"]), "verified": found["verified"],
                         **found["result"]}
    return json_response(out)
