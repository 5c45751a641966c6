"""OAuth 2.0 / OpenID4VCI error responses: ``{"error": code, "error_description": text}``.

The token endpoint answers RFC 6749 section 5.2 codes, the credential endpoint the codes of
OID4VCI 1.0 section 8.3.1.2, an unusable access token RFC 6750's ``invalid_token`` (401 with
``WWW-Authenticate``). Nothing is stored when a request gets one of these, except a wrong
transaction code, which counts as a try.
"""
from __future__ import annotations

from flask import Response, json

STATUS = {"invalid_request": 400, "invalid_grant": 400, "unsupported_grant_type": 400, "invalid_client": 401,
          "invalid_token": 401, "invalid_credential_request": 400, "unknown_credential_configuration": 400,
          "invalid_proof": 400, "invalid_nonce": 400, "credential_request_denied": 400}


class OAuthError(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description
        self.status = STATUS[error]


def response(error: OAuthError) -> Response:
    body = {"error": error.error, "error_description": error.description}
    answer = Response(json.dumps(body), status=error.status, mimetype="application/json")
    answer.headers["Cache-Control"] = "no-store"
    if error.status == 401:
        answer.headers["WWW-Authenticate"] = f'Bearer error="{error.error}"'
    return answer
