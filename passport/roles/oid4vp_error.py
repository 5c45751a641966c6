"""A wallet's error response in OpenID4VP 1.0: the holder declines, or the wallet cannot answer.

Instead of a ``vp_token`` the wallet posts OAuth 2.0 error parameters (RFC 6749, section 4.1.2.1)
to ``response_uri``: ``error`` (one code, ``access_denied`` when the holder says no),
optionally ``error_description`` and ``error_uri``, and ``state`` as the request had it. With
``direct_post`` they are form fields; with ``direct_post.jwt`` the same members are the JSON
payload of the encrypted ``response`` (a verifier takes either form). ``error_form`` makes the
fields; ``read_error`` checks them and raises ``ResponseInvalid`` when they are malformed: a
code or description outside RFC 6749's characters, a missing ``state``, or an error beside a
``vp_token``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..crypto.jwe import encrypt_jwe
from ..protocol_errors import ResponseInvalid
from .oid4vp import DIRECT_POST_JWT, AuthorizationRequest

ACCESS_DENIED = "access_denied"
ERROR_CHARS = re.compile(r"^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$")  # RFC 6749 NQSCHAR, bounded
DESCRIPTION_CHARS = re.compile(r"^[\x20-\x21\x23-\x5B\x5D-\x7E]{0,500}$")
ERROR_FIELDS = frozenset({"error", "error_description", "error_uri", "state"})


@dataclass(frozen=True)
class WalletError:
    state: str
    error: str
    description: str | None

    @property
    def declined(self) -> bool:
        return self.error == ACCESS_DENIED


def error_form(request: AuthorizationRequest, error: str = ACCESS_DENIED,
               description: str | None = None) -> dict[str, str]:
    """The form fields of an error response to ``request`` (encrypted when it asks)."""
    fields = {"error": error, "state": request.state}
    if description:
        fields["error_description"] = description
    read_error(fields)  # never send what a verifier must refuse
    if request.response_mode == DIRECT_POST_JWT:
        payload = json.dumps(fields, ensure_ascii=False).encode("utf-8")
        return {"response": encrypt_jwe(payload, request.encryption_jwk or {}, enc=request.enc)}
    return fields


def is_error(params: Mapping[str, Any]) -> bool:
    return "error" in params


def read_error(params: Mapping[str, Any]) -> WalletError:
    """The error response in ``params`` (form fields or a decrypted payload), checked."""
    extra = sorted(set(params) - ERROR_FIELDS)
    if extra:
        raise ResponseInvalid(f"an error response carries only error, error_description, error_uri and state, "
                              f"not {', '.join(name[:40] for name in extra[:5])}")
    error, state = params.get("error"), params.get("state")
    if not isinstance(error, str) or not ERROR_CHARS.match(error) or error != error.strip():
        raise ResponseInvalid("error must be one OAuth error code (printable ASCII without quote or backslash)")
    if not isinstance(state, str) or not state:
        raise ResponseInvalid("an error response carries the request's state")
    description = params.get("error_description")
    if description is not None and (not isinstance(description, str) or not DESCRIPTION_CHARS.match(description)):
        raise ResponseInvalid("error_description must be printable ASCII without quote or backslash, "
                              "at most 500 characters")
    uri = params.get("error_uri")
    if uri is not None and (not isinstance(uri, str) or not DESCRIPTION_CHARS.match(uri)):
        raise ResponseInvalid("error_uri must be printable ASCII without quote or backslash")
    return WalletError(state, error, description or None)
