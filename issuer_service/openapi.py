"""The OpenAPI 3.1 document of the issuer API (tests keep it true: every route, every response)."""
from __future__ import annotations

import copy
from typing import Any

from passport.proofs.cryptosuites import SUITES
from passport.roles.issuing import TEMPLATES

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _problems(*statuses: int) -> dict[str, Any]:
    words = {400: "Malformed request (not JSON, not an object, missing fields)",
             401: "Missing, invalid or expired token",
             403: "The token's role, types or scopes do not allow this", 404: "Not found",
             409: "Already issued (same id)", 413: "Request body too large",
             422: "The credential does not conform (missing @context, bad dates, unknown type, subject without DID...); "
                  "a VCDM 2.0 problem has type https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR (or "
                  "PARSING_ERROR, RANGE_ERROR) and names the member in path",
             503: "The database is out of reach: retry the same request (Retry-After); give credentials their own id"}
    return {str(status): {"description": words[status], "content": PROBLEM} for status in statuses}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


_ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
SECURED = [{"bearer": []}]
_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Paspoort issuer service", "version": "1.0.0",
             "description": "Issue, revoke and suspend Paspoort endorsements and, for tokens allowed to, any "
                            "W3C VCDM 2.0 credential (W3C VC API subset); "
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
            "summary": "Revoke, suspend or unsuspend a credential (admin): this service's action form or the "
                       "W3C VC API form (credentialStatus + status)", "operationId": "updateStatus",
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
        "/status-lists/{listId}/publish": {"post": {
            "summary": "Publish a status list (W3C VC API / Bitstring Status List; admin). Lists are served signed "
                       "at every version, so this confirms the list exists and its current version is signed",
            "operationId": "publishStatusList", "security": SECURED,
            "parameters": [{"name": "listId", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647}}],
            "responses": {"204": {"description": "Published"}, **_problems(401, 403, 404, 503)}}},
        "/contexts/paspoort/v1": {"get": {
            "summary": "The Paspoort JSON-LD context (https://w3id.org/paspoort/v1), the copy shipped in the "
                       "package (cacheable; ETag is its SHA-256)", "operationId": "paspoortContext",
            "parameters": [{"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The context document",
                                  "headers": {"ETag": {"schema": {"type": "string"}},
                                              "Cache-Control": {"schema": {"type": "string"}}},
                                  "content": {"application/ld+json": {"schema": {
                                      "type": "object", "required": ["@context"]}}}},
                          "304": {"description": "Not modified (the client's ETag is current)"}}}},
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
            "Credential": {"type": "object",
                           "description": "An unsigned credential conforming to W3C VCDM 2.0: a Paspoort endorsement "
                                          "(checked against its schema too), or any type for a token made with "
                                          "--types any. issuer, id, validFrom and credentialStatus are filled in; "
                                          "a general credential may bring its own credentialStatus",
                           "properties": {"@context": {"type": "array", "minItems": 1,
                                                       "items": {"type": ["string", "object"]}},
                                          "type": {"type": ["string", "array"], "items": {"type": "string"}},
                                          "credentialSubject": {"type": ["object", "array"]}}},
            "IssueOptions": {"type": "object", "properties": {
                "template": {"enum": sorted(TEMPLATES)},
                "credentialId": {"type": "string", "maxLength": 64,
                                 "description": "The credential's id when the credential has none (W3C VC API)"},
                "cryptosuite": {"enum": sorted(SUITES),
                                "description": "Overrides PASPOORT_ISSUER_CRYPTOSUITE for this request"}},
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
            "StatusRequest": {"oneOf": [_ref("StatusAction"), _ref("VcApiStatusRequest")]},
            "StatusAction": {"type": "object", "required": ["credentialId", "action", "reason"],
                             "properties": {"credentialId": {"type": "string"},
                                            "action": {"enum": ["revoke", "suspend", "unsuspend"]},
                                            "reason": {"type": "string", "minLength": 1, "maxLength": 2000}}},
            "VcApiStatusRequest": {
                "type": "object", "required": ["credentialId", "credentialStatus"],
                "description": "W3C VC API: status true sets the purpose's bit (default), false clears it "
                               "(suspension only: a revocation cannot be undone)",
                "properties": {"credentialId": {"type": "string"},
                               "credentialStatus": {"oneOf": [_ref("StatusChoice"), {
                                   "type": "array", "minItems": 1, "maxItems": 1, "items": _ref("StatusChoice")}]},
                               "status": {"type": "boolean"},
                               "reason": {"type": "string", "minLength": 1, "maxLength": 2000}}},
            "StatusChoice": {"type": "object", "required": ["type", "statusPurpose"],
                             "properties": {"type": {"const": "BitstringStatusListEntry"},
                                            "statusPurpose": {"enum": ["revocation", "suspension"]}}},
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
    from .oid4vci.openapi import add_to  # the OpenID4VCI endpoints (their own module)
    return add_to(copy.deepcopy(_DOCUMENT))


def write_docs_copy(path: str = "docs/api/issuer-openapi.json") -> None:
    """Write the document to docs/ from the repository root; a test fails when
    that copy is stale. ``python -c 'from issuer_service.openapi import write_docs_copy; write_docs_copy()'``"""
    import json
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n")

