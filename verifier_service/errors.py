"""Problem Details (RFC 9457) in one place: library errors, failed reports, HTTP errors, crashes.

Every error leaves the service as ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail`` and the library's stable ``code``; a failed verification also names each
failed check (``errors``, each with its own ``type``) and carries the full report. Where the W3C
VC Data Model 2.0 names a problem class (``PARSING_ERROR``, ``CRYPTOGRAPHIC_SECURITY_ERROR``,
``MALFORMED_VALUE_ERROR``, ``RANGE_ERROR``) or Data Integrity does (``INVALID_CHALLENGE_ERROR``,
``INVALID_DOMAIN_ERROR``), ``type`` is that URL (``VCDM_TYPES``); every other code keeps the
Paspoort type ``https://w3id.org/paspoort/problems/<code>`` (decision 0140). Nothing else ever reaches the client: an
unexpected exception is logged and answered with a plain 500 problem, never a traceback.
``json_response`` writes the API's JSON bodies, problems and results alike, with one encoder made once.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

from passport import PassportError, Report

PROBLEM_BASE = "https://w3id.org/paspoort/problems/"
VCDM_BASE = "https://www.w3.org/TR/vc-data-model#"
SECURITY_BASE = "https://w3id.org/security#"
_CLASSES = {
    "PARSING_ERROR": ("MALFORMED_JSON", "DUPLICATE_KEY", "NESTING_TOO_DEEP", "NUMBER_NOT_CANONICAL",
                      "STRING_NOT_CANONICAL", "JSONLD_INVALID", "JSONLD_CONTEXT_UNKNOWN", "JSONLD_TERM_UNDEFINED",
                      "JSONLD_TYPE_UNDEFINED", "JSONLD_RELATIVE_IRI", "JSONLD_PROTECTED_TERM"),
    "CRYPTOGRAPHIC_SECURITY_ERROR": ("PROOF_INVALID", "PROOF_MISSING", "PROOF_MALFORMED", "PROOF_SUITE_UNSUPPORTED",
                                     "PROOF_PURPOSE_MISMATCH", "PROOF_KEY_NOT_AUTHORIZED", "SIGNATURE_INVALID",
                                     "PROOF_NOT_CURRENT", "HOLDER_MISMATCH", "DID_UNSUPPORTED", "DID_INVALID",
                                     "KEY_INVALID"),
    "MALFORMED_VALUE_ERROR": ("DOCUMENT_INVALID", "STRUCTURE_INVALID", "SCHEMA_INVALID", "VALIDITY_INVALID",
                              "INPUT_INVALID"),
    "RANGE_ERROR": ("EXPIRED", "NOT_YET_VALID"),
}
VCDM_TYPES: dict[str, str] = {code: VCDM_BASE + name for name, codes in _CLASSES.items() for code in codes}
VCDM_TYPES.update(CHALLENGE_MISMATCH=SECURITY_BASE + "INVALID_CHALLENGE_ERROR",
                  DOMAIN_MISMATCH=SECURITY_BASE + "INVALID_DOMAIN_ERROR")


def problem_type(code: str) -> str:
    """The problem ``type`` URL for a library code: the W3C class when one applies, else Paspoort's."""
    return VCDM_TYPES.get(code) or PROBLEM_BASE + code.lower().replace("_", "-")
PROBLEM_TYPE = "application/problem+json"
JSON_TYPE = "application/json"

# One encoder for the process, set up like the app's JSON provider (compact, UTF-8, keys in order):
# json.dumps with options would build a new encoder for every response.
_stdlib_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"),
                                  default=DefaultJSONProvider.default).encode


def _stdlib_bytes(body: Any) -> bytes:
    return _stdlib_encode(body).encode("utf-8")


try:  # orjson (the verifier extra) writes the same bytes about ten times faster (decision 0171)
    import orjson
except ImportError:  # pragma: no cover - the extra is missing: the standard library's encoder
    orjson = None
_PASSTHROUGH = 0 if orjson is None else (orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
                                         | orjson.OPT_PASSTHROUGH_SUBCLASS)


def _encode(body: Any) -> bytes:
    """``body`` as compact UTF-8 JSON, keys in order. What orjson would write differently from the
    standard encoder (dates, dataclasses, subclasses of str and int: passed through to Flask's
    ``default``) or refuses (integers beyond 64 bits, keys that are not strings) goes the
    standard library's way; strings, integers, lists and objects come out byte for byte the
    same either way (floats may differ in notation only, e.g. ``1e16`` for ``1e+16``)."""
    if orjson is not None:
        try:
            return orjson.dumps(body, default=DefaultJSONProvider.default, option=_PASSTHROUGH)
        except (TypeError, orjson.JSONEncodeError):
            pass
    return _stdlib_bytes(body)

_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 409: "Already used",
           413: "Request too large", 415: "Unsupported media type", 422: "Verification failed",
           429: "Too many requests", 500: "Internal error"}


def json_response(body: Any, status: int = 200, content_type: str = JSON_TYPE) -> Response:
    return Response(_encode(body), status=status, content_type=content_type)


def problem(status: int, code: str, detail: str, *, title: str | None = None, **extra: Any) -> Response:
    body = {"type": problem_type(code), "title": title or _TITLES.get(status, "Error"),
            "status": status, "detail": detail, "code": code, **extra}
    return json_response(body, status, PROBLEM_TYPE)


def error_problem(error: PassportError, **extra: Any) -> Response:
    details = {"details": error.details} if error.details else {}
    return problem(error.status, error.code, error.message, **details, **extra)


def failed_checks(report: Report) -> list[dict[str, Any]]:
    """Each failed or unknown check, with the credential it belongs to."""
    found = [{"type": problem_type(r.code or "VERIFICATION_FAILED"), "check": r.name, "status": r.status,
              "code": r.code, "message": r.message, "document": report.document_id, **_member(r)}
             for r in report.checks if not r.ok]
    for index, inner in enumerate(report.credentials):
        for item in failed_checks(inner):
            found.append({**item, "credentialIndex": index})
    return found


def _member(result: Any) -> dict[str, Any]:
    """The document member a failure is about, when the library named it (``path`` or ``field``)."""
    details = result.error.details if result.error is not None else {}
    member = details.get("path") or details.get("field")
    return {"member": member} if isinstance(member, str) else {}


def report_problem(report: Report, **extra: Any) -> Response:
    """422 for a document that was checked and did not verify: every failure, and the report."""
    errors = failed_checks(report)
    first = errors[0]
    names = ", ".join(dict.fromkeys(f"{e['check']} ({e['code']})" for e in errors))
    results = report.to_dict()
    results["documentType"] = results.pop("type")  # "type" is the problem type here
    return problem(422, first["code"] or "VERIFICATION_FAILED",
                   f"the {report.kind} did not verify: {names}",
                   errors=errors, **results, **extra)


def register(app: Flask) -> None:
    @app.errorhandler(PassportError)
    def _passport(error: PassportError) -> Response:
        return error_problem(error)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        status = error.code or 500
        code = {413: "INPUT_TOO_LARGE", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(status, f"HTTP_{status}")
        return problem(status, code, error.description or _TITLES.get(status, "error"))

    @app.errorhandler(Exception)
    def _crash(error: Exception) -> Response:
        app.logger.exception("unexpected error")
        return problem(500, "INTERNAL_ERROR", "the verifier hit an unexpected error; it has been logged")
