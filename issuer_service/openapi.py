"""The OpenAPI 3.1 document of the issuer API (tests keep it true: every route, every response)."""
from __future__ import annotations

import copy
from typing import Any

from passport.roles.issuing import TEMPLATES

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _problems(*statuses: int) -> dict[str, Any]:
    words = {400: "Malformed request (not JSON, not an object, missing fields)",
             401: "Missing, invalid or expired token",
             403: "The token's role, types or scopes do not allow this", 404: "Not found",
             409: "Already issued (same id)", 413: "Request body too large",
             422: "The credential does not conform (missing @context, bad dates, unknown type, subject without DID...)",
             503: "The database is out of reach: retry the same request (Retry-After); give credentials their own id"}
    return {str(status): {"description": words[status], "content": PROBLEM} for status in statuses}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


_ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
SECURED = [{"bearer": []}]
_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Paspoort issuer service", "version": "1.0.0",
             "description": "Issue, revoke and suspend Paspoort endorsements (W3C VC API subset); "
                            "signed Bitstring status lists; the issuer's DID document."},
    "paths": {
        "/credentials/issue": {"post": {
            "summary": "Issue one credential (W3C VC API)", "operationId": "issueCredential", "security": SECURED,
            "requestBody": {"required": True, "content": _json(_ref("IssueRequest"))},
            "responses": {"201": {"description": "Issued", "content": _json(_ref("IssueResponse"))},
                          **_problems(400, 401, 403, 409, 413, 422, 503)}}},
        "/credentials/issue/batch": {"post": {
            "summary": "Issue several credentials at once: all or nothing", "operationId": "issueBatch",
            "security": SECURED,
            "requestBody": {"required": True, "content": _json(_ref("BatchRequest"))},
            "responses": {"201": {"description": "All issued", "content": _json(_ref("BatchResponse"))},
                          **_problems(400, 401, 403, 409, 413, 422, 503)}}},
        "/credentials/status": {"post": {
            "summary": "Revoke, suspend or unsuspend a credential (admin)", "operationId": "updateStatus",
            "security": SECURED,
            "requestBody": {"required": True, "content": _json(_ref("StatusRequest"))},
            "responses": {"200": {"description": "The credential's status now",
                                  "content": _json(_ref("CredentialRecord"))},
                          **_problems(400, 401, 403, 404, 413, 422, 503)}}},
        "/credentials/{credentialId}": {"get": {
            "summary": "Look up an issued credential (staff; only inside the token's types and scope)",
            "operationId": "getCredential", "security": SECURED,
            "parameters": [{"name": "credentialId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The record, the credential and its audit entries",
                                  "content": _json(_ref("CredentialRecord"))},
                          **_problems(401, 403, 404, 503)}}},
        "/templates": {"get": {
            "summary": "Credential templates per endorsement type", "operationId": "listTemplates",
            "responses": {"200": {"description": "The templates", "content": _json({
                "type": "object", "required": ["templates"],
                "properties": {"templates": {"type": "array", "items": _ref("Template")}}})}}}},
        "/status-lists/{listId}": {"get": {
            "summary": "A signed BitstringStatusListCredential (cacheable)", "operationId": "getStatusList",
            "parameters": [{"name": "listId", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647}},
                           {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The signed status list",
                                  "headers": {"ETag": {"schema": {"type": "string"}},
                                              "Cache-Control": {"schema": {"type": "string"}}},
                                  "content": _json(_ref("SignedCredential"))},
                          "304": {"description": "Not modified (the client's ETag is current)"},
                          **_problems(404, 503)}}},
        "/.well-known/did.json": {"get": {
            "summary": "The issuer's DID document (did:web; also answers for did:key)", "operationId": "didDocument",
            "responses": {"200": {"description": "DID document",
                                  "content": {"application/did+json": {"schema": _ref("DIDDocument")}}}}}},
        "/openapi.json": {"get": {
            "summary": "This document", "operationId": "openapi",
            "responses": {"200": {"description": "OpenAPI 3.1", "content": _json({"type": "object"})}}}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "A staff token from `create-token`"}},
        "schemas": {
            "Problem": {"type": "object", "required": ["type", "title", "status", "detail", "code"],
                        "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                                       "status": {"type": "integer"}, "detail": {"type": "string"},
                                       "code": {"type": "string"},
                                       "errors": {"type": "array", "items": {"type": "object"}}}},
            "Credential": {"type": "object", "description": "An unsigned Paspoort endorsement (W3C VC 2.0); "
                                                            "issuer, id, validFrom and credentialStatus are filled in",
                           "properties": {"@context": {"type": "array", "items": {"type": "string"}},
                                          "type": {"type": "array", "items": {"type": "string"}},
                                          "credentialSubject": {"type": "object"}}},
            "IssueOptions": {"type": "object", "properties": {"template": {"enum": sorted(TEMPLATES)}},
                             "additionalProperties": False},
            "IssueRequest": {"type": "object", "required": ["credential"],
                             "properties": {"credential": _ref("Credential"), "options": _ref("IssueOptions")}},
            "SignedCredential": {"type": "object", "required": ["@context", "type", "issuer", "proof"],
                                 "properties": {"proof": {"type": "object"}}},
            "IssueResponse": {"type": "object", "required": ["verifiableCredential"],
                              "properties": {"verifiableCredential": _ref("SignedCredential")}},
            "BatchRequest": {"type": "object", "required": ["credentials"],
                             "properties": {"credentials": {"type": "array", "minItems": 1,
                                                            "items": _ref("Credential")},
                                            "options": _ref("IssueOptions")}},
            "BatchResponse": {"type": "object", "required": ["verifiableCredentials"],
                              "properties": {"verifiableCredentials": {"type": "array",
                                                                       "items": _ref("SignedCredential")}}},
            "StatusRequest": {"type": "object", "required": ["credentialId", "action", "reason"],
                              "properties": {"credentialId": {"type": "string"},
                                             "action": {"enum": ["revoke", "suspend", "unsuspend"]},
                                             "reason": {"type": "string", "minLength": 1, "maxLength": 2000}}},
            "CredentialRecord": {"type": "object",
                                 "required": ["credentialId", "type", "subject", "issuedAt", "issuedBy", "revoked",
                                              "suspended"],
                                 "properties": {"credentialId": {"type": "string"}, "type": {"type": "string"},
                                                "subject": {"type": "string"}, "issuedAt": {"type": "string"},
                                                "issuedBy": {"type": "string"}, "revoked": {"type": "boolean"},
                                                "suspended": {"type": "boolean"},
                                                "verifiableCredential": {"type": "object"},
                                                "audit": {"type": "array", "items": {"type": "object"}}}},
            "Template": {"type": "object", "required": ["name", "type", "description", "credential"],
                         "properties": {"name": {"type": "string"}, "type": {"type": "string"},
                                        "description": {"type": "string"},
                                        "validDays": {"type": ["integer", "null"]},
                                        "needs": {"type": "array", "items": {"type": "string"}},
                                        "credential": {"type": "object"}}},
            "DIDDocument": {"type": "object", "required": ["id", "verificationMethod"],
                            "properties": {"id": {"type": "string"},
                                           "verificationMethod": {"type": "array", "items": {"type": "object"}}}},
        },
    },
}


def openapi_document() -> dict[str, Any]:
    return copy.deepcopy(_DOCUMENT)


def write_docs_copy(path: str = "docs/api/issuer-openapi.json") -> None:
    """Write the document to docs/ from the repository root; a test fails when
    that copy is stale. ``python -c 'from issuer_service.openapi import write_docs_copy; write_docs_copy()'``"""
    import json
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n")

