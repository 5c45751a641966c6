"""The OpenID4VCI part of the issuer's OpenAPI document (paths and schemas), merged in by ``openapi``."""
from __future__ import annotations

from typing import Any

from passport.roles.oid4vci import CONFIGURATIONS

from .errors import STATUS

NO_STORE = {"Cache-Control": {"schema": {"const": "no-store"}}}
_ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
PROBLEM = {"application/problem+json": {"schema": _ref("Problem")}}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _oauth(*codes: str) -> dict[str, Any]:
    """OAuth error answers, grouped by HTTP status."""
    by_status: dict[int, list[str]] = {}
    for code in codes:
        by_status.setdefault(STATUS[code], []).append(code)
    return {str(status): {"description": "OAuth / OpenID4VCI error: " + ", ".join(names), "headers": NO_STORE,
                          "content": _json({"allOf": [_ref("OAuthError"), {"properties": {"error": {"enum": names}}}]})}
            for status, names in by_status.items()}


PATHS: dict[str, Any] = {
    "/.well-known/openid-credential-issuer": {"get": {
        "summary": "OpenID4VCI 1.0 credential issuer metadata: one ldp_vc configuration per Paspoort type",
        "operationId": "credentialIssuerMetadata",
        "responses": {"200": {"description": "The metadata", "content": _json(_ref("IssuerMetadata"))}}}},
    "/.well-known/oauth-authorization-server": {"get": {
        "summary": "RFC 8414 metadata: the token endpoint and the pre-authorized code grant",
        "operationId": "authorizationServerMetadata",
        "responses": {"200": {"description": "The metadata", "content": _json({
            "type": "object", "required": ["issuer", "token_endpoint", "grant_types_supported"]})}}}},
    "/oid4vci/offers": {"post": {
        "summary": "Make a credential offer for one person (staff): the body of /credentials/issue without "
                   "credentialSubject.id, which the wallet's key proof supplies. Answers the offer link (by "
                   "reference), its QR code and the 6-digit transaction code, shown once",
        "operationId": "createOffer", "security": [{"bearer": []}],
        "parameters": [{"name": "qr", "in": "query", "required": False, "schema": {"enum": ["svg"]},
                        "description": "also answer the offer's QR code as SVG (qr_svg)"}],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["credential"], "properties": {
            "credential": _ref("Credential"), "options": {"type": "object", "properties": {
                "template": {"type": "string"}, "cryptosuite": {"type": "string"}}, "additionalProperties": False}}})},
        "responses": {"201": {"description": "The offer", "headers": NO_STORE, "content": _json(_ref("OfferCreated"))},
                      **{str(status): {"description": text, "content": PROBLEM} for status, text in (
                          (400, "Malformed request"), (401, "Missing, invalid or expired token"),
                          (403, "The token may not issue this"), (413, "Request body too large"),
                          (422, "The credential would not be issuable"), (503, "The database is out of reach"))}}}},
    "/oid4vci/offers/{reference}": {"get": {
        "summary": "The credential offer (what credential_offer_uri points at), while open",
        "operationId": "getOffer",
        "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "The offer", "headers": NO_STORE, "content": _json(_ref("CredentialOffer"))},
                      "404": {"description": "No open offer here (used, expired, withdrawn)", "content": PROBLEM},
                      "503": {"description": "The database is out of reach", "content": PROBLEM}}}},
    "/oid4vci/token": {"post": {
        "summary": "Token endpoint: pre-authorized code + tx_code -> an access token bound to that offer",
        "operationId": "token",
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["grant_type", "pre-authorized_code", "tx_code"], "properties": {
                "grant_type": {"const": "urn:ietf:params:oauth:grant-type:pre-authorized_code"},
                "pre-authorized_code": {"type": "string"}, "tx_code": {"type": "string"}}}}}},
        "responses": {"200": {"description": "The access token", "headers": NO_STORE, "content": _json({
            "type": "object", "required": ["access_token", "token_type", "expires_in"], "properties": {
                "access_token": {"type": "string"}, "token_type": {"const": "Bearer"},
                "expires_in": {"type": "integer"}}})},
                      **_oauth("invalid_request", "invalid_grant", "unsupported_grant_type"),
                      "503": {"description": "The database is out of reach", "content": PROBLEM}}}},
    "/oid4vci/nonce": {"post": {
        "summary": "Nonce endpoint: a fresh c_nonce (single use)", "operationId": "nonce",
        "responses": {"200": {"description": "The nonce", "headers": NO_STORE, "content": _json({
            "type": "object", "required": ["c_nonce"], "properties": {"c_nonce": {"type": "string"}}})},
                      "503": {"description": "The database is out of reach", "content": PROBLEM}}}},
    "/oid4vci/credential": {"post": {
        "summary": "Credential endpoint: access token + one key proof (jwt or di_vp) -> the credential (ldp_vc)",
        "operationId": "credential", "security": [{"accessToken": []}],
        "requestBody": {"required": True, "content": _json({
            "type": "object", "required": ["credential_configuration_id", "proofs"], "properties": {
                "credential_configuration_id": {"enum": list(CONFIGURATIONS)},
                "proofs": {"type": "object", "minProperties": 1, "maxProperties": 1, "properties": {
                    "jwt": {"type": "array", "minItems": 1, "maxItems": 1, "items": {"type": "string"}},
                    "di_vp": {"type": "array", "minItems": 1, "maxItems": 1, "items": {"type": "object"}}}}}})},
        "responses": {"200": {"description": "The credential", "headers": NO_STORE, "content": _json({
            "type": "object", "required": ["credentials"], "properties": {"credentials": {
                "type": "array", "minItems": 1, "maxItems": 1, "items": {
                    "type": "object", "required": ["credential"],
                    "properties": {"credential": _ref("SignedCredential")}}}}})},
                      **_oauth("invalid_token", "invalid_credential_request", "unknown_credential_configuration",
                               "credential_request_denied", "invalid_proof", "invalid_nonce"),
                      "503": {"description": "The database is out of reach", "content": PROBLEM}}}},
}

SCHEMAS: dict[str, Any] = {
    "OAuthError": {"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string"}, "error_description": {"type": "string"}}},
    "IssuerMetadata": {"type": "object", "required": ["credential_issuer", "credential_endpoint", "nonce_endpoint",
                                                      "credential_configurations_supported"]},
    "CredentialOffer": {"type": "object", "required": ["credential_issuer", "credential_configuration_ids", "grants"]},
    "OfferCreated": {"type": "object", "required": ["credential_offer_uri", "offer", "tx_code",
                                                    "credential_configuration_id", "expires"], "properties": {
        "credential_offer_uri": {"type": "string"}, "offer": {"type": "string"}, "qr_svg": {"type": "string"},
        "tx_code": {"type": "string", "pattern": "^[0-9]{6}$"}, "credential_configuration_id": {"type": "string"},
        "expires": {"type": "string"}}},
}
SECURITY = {"accessToken": {"type": "http", "scheme": "bearer", "description": "An OpenID4VCI access token"}}


def add_to(document: dict[str, Any]) -> dict[str, Any]:
    document["paths"].update(PATHS)
    document["components"]["schemas"].update(SCHEMAS)
    document["components"]["securitySchemes"].update(SECURITY)
    return document
