"""Every error a request can meet, as RFC 9457 Problem Details, mapped in this one place.

- a ``PassportError`` keeps its ``code`` and HTTP ``status`` (SCHEMA_INVALID 422, MALFORMED_JSON 400...);
  one that says which VCDM 2.0 processing error it is (``vcdmError``) gets that error's URL as ``type``;
- the service's own problems (``ServiceProblem``: 401, 403, 404, 409) carry theirs;
- werkzeug's HTTP errors (404 route, 405, 413) get a code from their status;
- the database out of reach (refused, reset, locked too long) is 503 ``SERVICE_UNAVAILABLE`` with
  ``Retry-After``: nothing was committed unless the commit itself was cut off, so a client
  retries the same request (a credential with its own ``id`` then answers 409 if it was stored);
- anything else is logged and answered 500 ``INTERNAL_ERROR`` without a traceback.
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, json
from sqlalchemy.exc import DisconnectionError, OperationalError
from werkzeug.exceptions import HTTPException

from passport.errors import PassportError
from passport.format.vcdm import problem_type

PROBLEM_TYPE = "https://w3id.org/paspoort/problems/"
PROBLEM_JSON = "application/problem+json"
_HTTP_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
               405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE", 409: "CONFLICT", 413: "INPUT_TOO_LARGE",
               415: "UNSUPPORTED_MEDIA_TYPE", 500: "INTERNAL_ERROR", 503: "SERVICE_UNAVAILABLE"}
RETRY_AFTER_SECONDS = 1


class ServiceProblem(Exception):
    """A problem with the request itself rather than a document (auth, lookups)."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message, self.details = message, details


class Unauthorized(ServiceProblem):
    status, code = 401, "UNAUTHORIZED"


class Forbidden(ServiceProblem):
    status, code = 403, "FORBIDDEN"


class NotFound(ServiceProblem):
    status, code = 404, "NOT_FOUND"


class Conflict(ServiceProblem):
    status, code = 409, "CONFLICT"


def problem(status: int, code: str, detail: str, *, problem_type: str | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {"type": problem_type or PROBLEM_TYPE + code.lower().replace("_", "-"),
                            "title": HTTPStatus(status).phrase, "status": status, "detail": detail, "code": code}
    body.update({key: value for key, value in extra.items() if value is not None and key not in body})
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="paspoort-issuer"'
    return response


def _details(details: dict[str, Any]) -> dict[str, Any]:
    """Keep what is JSON and useful: ``errors`` (schema paths) and simple values."""
    out: dict[str, Any] = {}
    for key, value in details.items():
        if isinstance(value, (str, int, float, bool)) or value is None or key == "errors":
            out[key] = value
        elif isinstance(value, (list, tuple)) and all(isinstance(v, (str, int)) for v in value):
            out[key] = list(value)
    return out


def from_passport_error(error: PassportError) -> Response:
    """A document that does not conform to VCDM 2.0 gets the VCDM's own problem ``type``
    (``https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR``...); ``code`` stays ours."""
    return problem(error.status, error.code, error.message, problem_type=problem_type(error),
                   **_details(error.details))


def register(app: Flask) -> None:
    app.register_error_handler(PassportError, from_passport_error)
    app.register_error_handler(
        ServiceProblem, lambda error: problem(error.status, error.code, error.message, **_details(error.details)))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        status = error.code or 500
        detail = error.description or HTTPStatus(status).phrase
        response = problem(status, _HTTP_CODES.get(status, "HTTP_ERROR"), detail)
        if status == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response

    def _database_unavailable(error: Exception) -> Response:
        current_app.logger.warning("database unavailable: %s", (str(error) or type(error).__name__).splitlines()[0])
        response = problem(503, "SERVICE_UNAVAILABLE",
                           "the database is not reachable right now; retry the same request shortly")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    app.register_error_handler(OperationalError, _database_unavailable)  # refused, reset, locked too long
    app.register_error_handler(DisconnectionError, _database_unavailable)  # the pool's pre-ping gave up

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        current_app.logger.exception("unexpected error")
        return problem(500, "INTERNAL_ERROR", "the service could not complete the request; it has been logged")
