"""The recruiter's web page and the endpoints only it uses.

``GET /`` serves the page (plain HTML and a small script, Dutch and English). ``POST /inspect``
takes what the recruiter has: a passport or presentation file, a photo or screenshot of a QR
code (decoded on the server with ``passport.qr``), or pasted QR text or JSON, and answers with
the report, a plain-language summary and the match with the chosen job profile. A presentation
whose challenge this verifier issued is bound to it (and the challenge is used up); any other
presentation is checked as a document and marked ``binding: "none"`` (it may be a copy).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from passport import jsonio
from passport.errors import InputError, QRInvalid

from . import challenges, jobs
from .api import read_json, state
from .config import as_timedelta
from .summary import summarize

bp = Blueprint("page", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"BM")


@bp.get("/")
def index() -> str:
    return render_template("index.html")


@bp.get("/job-profiles")
def list_job_profiles() -> Response:
    return jsonify({"jobProfiles": jobs.list_profiles(state().engine)})


@bp.post("/job-profiles")
def upload_job_profile() -> Response:
    job_id = jobs.upload(state().engine, read_json())
    return current_app.response_class(current_app.json.dumps({"id": job_id}), status=201,
                                      mimetype="application/json")


@bp.post("/inspect")
def inspect() -> Response:
    document = _document_from_form()
    s = state()
    job = jobs.resolve(s.engine, request.form.get("jobProfile") or None)
    binding = None
    if _is_presentation(document):
        proof = document.get("proof") if isinstance(document.get("proof"), dict) else {}
        token = proof.get("challenge")
        record = challenges.find(s.engine, token) if isinstance(token, str) else None
        if record is not None:
            record = challenges.consume(s.engine, token, now=s.clock())
            max_age = as_timedelta(current_app.config["PRESENTATION_MAX_AGE"])
            report = s.verifier.check(document, challenge=record.challenge, domain=record.domain, max_age=max_age)
            binding = "challenge"
        else:
            report = s.verifier.check(document)
            binding = "none"
        match = jobs.match(job, report, document)
    else:
        report = s.verifier.check(document)
        match = None
    return jsonify({"verified": report.verified, "binding": binding, "summary": summarize(document, report),
                    "match": match, "report": report.to_dict(), "sources": s.verifier.sources()})


def _is_presentation(document: Any) -> bool:
    kinds = document.get("type") if isinstance(document, dict) else None
    return isinstance(kinds, list) and "VerifiablePresentation" in kinds


MAX_UPLOAD_BYTES = 12 * 1024 * 1024  # phone photos of a QR code are large


def _document_from_form() -> Any:
    request.max_content_length = max(MAX_UPLOAD_BYTES, current_app.config["MAX_REQUEST_BYTES"])
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if data.startswith(_IMAGE_MAGIC):
            from passport import qr

            texts = qr.decode_image(data)
            text = next((t for t in texts if t.startswith("PP")), None)
            if text is None:
                raise QRInvalid("the image holds a QR code, but not a Paspoort one")
            return _unwrap(qr.decode_text(text))
        return _unwrap(_parse_text(data.decode("utf-8", errors="replace")))
    pasted = (request.form.get("text") or "").strip()
    if not pasted:
        raise InputError("choose a file, a photo of a QR code, or paste the QR text")
    return _unwrap(_parse_text(pasted))


def _parse_text(text: str) -> Any:
    stripped = text.strip()
    if stripped[:2] == "PP" and ":" in stripped[:8]:
        from passport import qr

        return qr.decode_text(stripped)
    return jsonio.loads(stripped, max_bytes=current_app.config["MAX_REQUEST_BYTES"])


def _unwrap(document: Any) -> Any:
    if isinstance(document, dict):
        for key in ("verifiablePresentation", "verifiableCredential"):
            if isinstance(document.get(key), dict) and "@context" not in document:
                return document[key]
        if document.get("type") == "PaspoortPresentationRequest":
            raise InputError("this is a presentation request (for the worker's wallet), not a passport")
    if not isinstance(document, dict):
        raise InputError("expected one credential or presentation (a JSON object)")
    return document
