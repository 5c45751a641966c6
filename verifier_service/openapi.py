"""The OpenAPI 3.1 description of the verifier, served at ``GET /openapi.json``.

Kept true by tests: every route of the app is described (and nothing else), and schemathesis
calls every operation with generated input and checks status codes, content types and
response shapes against this document.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

bp = Blueprint("openapi", __name__)

PROBLEM = "application/problem+json"
_OBJECT = {"type": "object"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problems(*codes: int) -> dict[str, Any]:
    text = {400: "Malformed request (not JSON, duplicate keys, too deep, wrong shape)", 404: "Not found",
            401: "No read token, or not the one handed out with this challenge (READ_TOKEN_INVALID)",
            409: "The challenge was already used", 413: "Request too large",
            429: "Too many camera frames read at once; send the next one later",
            422: "The document or request was checked and refused: every failed check is named"}
    return {str(code): {"description": text[code], "content": {PROBLEM: {"schema": _ref("Problem")}}}
            for code in codes}


def _json_body(schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _ok(description: str, schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


_REQUEST_OBJECT = {"200": {"description": "A compact JWS, typ oauth-authz-req+jwt",
                           "content": {"application/oauth-authz-req+jwt": {"schema": {"type": "string"}}}},
                   **_problems(409, 422)}

CHECK = {"type": "object", "required": ["name", "status", "code", "message"], "properties": {
    "name": {"type": "string"}, "status": {"enum": ["passed", "failed", "unknown", "skipped"]},
    "code": {"type": ["string", "null"]}, "message": {"type": "string"}, "details": _OBJECT}}

REPORT = {"type": "object", "required": ["kind", "verified", "checks"], "properties": {
    "kind": {"enum": ["credential", "presentation"]}, "verified": {"type": "boolean"},
    "id": {"type": ["string", "null"]}, "type": {"type": "array", "items": {"type": "string"}},
    "issuer": {"type": ["string", "null"]}, "selfAsserted": {"type": "boolean"},
    "checks": {"type": "array", "items": _ref("Check")},
    "trust": {"type": "object", "properties": {"outcome": {"enum": ["trusted", "out_of_scope", "unknown_issuer"]}}},
    "credentials": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}}}}

VERIFY_RESULT = {"allOf": [_ref("Report"), {"type": "object", "required": ["sources"], "properties": {
    "verified": {"const": True}, "sources": _ref("Sources"),
    "match": {"type": ["object", "null"], "description": "the match result (SPEC.md section 10), when a jobProfile was given"},
    "binding": {"enum": ["challenge", "caller"],
                "description": "presentations only: challenge: answered a challenge this verifier issued (consumed, "
                               "single use); caller: answered the caller's own challenge (only compared; replay "
                               "protection is the caller's)"}}}]}

PROBLEM_SCHEMA = {"type": "object", "required": ["type", "title", "status", "detail", "code"], "properties": {
    "type": {"type": "string", "format": "uri",
             "description": "the VCDM 2.0 or Data Integrity problem class URL when one applies (PARSING_ERROR, "
                            "CRYPTOGRAPHIC_SECURITY_ERROR, MALFORMED_VALUE_ERROR, RANGE_ERROR, INVALID_CHALLENGE_ERROR, "
                            "INVALID_DOMAIN_ERROR), else https://w3id.org/paspoort/problems/<code>"},
    "title": {"type": "string"}, "status": {"type": "integer"},
    "detail": {"type": "string"}, "code": {"type": "string"}, "details": _OBJECT,
    "errors": {"type": "array", "items": {"type": "object", "required": ["type", "check", "status", "code", "message"],
                                          "properties": {"type": {"type": "string", "format": "uri"},
                                                         "member": {"type": "string"}}}},
    "verified": {"const": False}, "checks": {"type": "array", "items": _ref("Check")},
    "documentType": {"type": "array", "items": {"type": "string"}}}}

JOB_PROFILE_REF = {"oneOf": [{"type": "string", "description": "id of an example or uploaded job profile"},
                             {"type": "object", "description": "a Vakbekwaamheidsprofiel (schema in schemas/)"}]}

REQUEST_OBJECT = {"type": "object", "description": "what the page may see of an OpenID4VP request: its request "
                  "object's claims (SPEC.md section 11), never its keys", "properties": {
    "object": {"type": ["object", "null"]}, "jobProfile": {"type": ["string", "null"]}}}

BINDING = {"enum": ["challenge", "none", None],
           "description": "challenge: answers a challenge of this verifier; none: a presentation made for "
                          "someone else (may be a copy); null: a loose credential, bound to no one"}

INSPECTED_DOCUMENT = {"type": "object", "required": ["index", "verified", "binding", "summary", "report"],
                      "properties": {
    "index": {"type": "integer", "minimum": 0, "description": "position in reading order"},
    "verified": {"type": "boolean"}, "binding": BINDING, "summary": _ref("Summary"), "report": _ref("Report")}}

INSPECTED_SUBJECT = {"type": "object", "required": ["subject", "documents", "verified", "person", "match"],
                     "properties": {
    "subject": {"type": ["string", "null"], "description": "the DID the documents are about (a presentation's holder)"},
    "documents": {"type": "array", "items": {"type": "integer", "minimum": 0}, "description": "indices into documents"},
    "verified": {"type": "boolean"},
    "person": {"type": ["object", "null"], "description": "the self-asserted profile, from verified profile "
                                                          "credentials the subject signed (all parts together)"},
    "match": {"type": ["object", "null"], "description": "the match over this group: a presentation's, or over "
                                                         "loose credentials (basis: credentials)"}}}

SCHEMAS = {
    "Check": CHECK, "Report": REPORT, "VerifyResult": VERIFY_RESULT, "Problem": PROBLEM_SCHEMA,
    "Sources": {"type": "object", "properties": {
        "trustRegistries": {"type": "array", "items": {"type": "string"}},
        "offlineBundle": {"type": "object", "properties": {"created": {"type": ["string", "null"]},
                                                             "ageSeconds": {"type": ["integer", "null"]},
                                                             "used": {"type": "boolean"}}}}},
    "PresentationRequest": REQUEST_OBJECT,
    "InspectedDocument": INSPECTED_DOCUMENT, "InspectedSubject": INSPECTED_SUBJECT,
    "Summary": {"type": "object", "required": ["kind", "verified", "credentials"], "properties": {
        "kind": {"type": "string"}, "verified": {"type": "boolean"}, "person": {"type": ["object", "null"]},
        "verdict": {"enum": ["all_verified", "unsettled", "not_verified"],
                    "description": "unsettled: only a status that could not be checked yet stands in the way"},
        "counts": {"type": "object", "description": "credentials per category (verified, self_asserted, "
                                                    "status_unknown, failed)"},
        "credentials": {"type": "array", "items": {"type": "object", "required": ["outcome"], "properties": {
            "outcome": {"enum": ["verified", "self_asserted", "expired", "not_yet_valid", "revoked", "suspended",
                                 "untrusted", "out_of_scope", "status_unknown", "invalid"]},
            "category": {"enum": ["verified", "self_asserted", "status_unknown", "failed"]}}}}}},
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Paspoort verifier", "version": "1.0.0",
             "description": "Checks Paspoort credentials and presentations (W3C VC API verify endpoints), hands "
                            "out single-use challenges, and compares a verified presentation with a job profile."},
    "paths": {
        "/credentials/verify": {"post": {
            "operationId": "verifyCredential", "summary": "Verify one credential (W3C VC API)",
            "description": "VC 2.0 and VC 1.1 credentials, one proof or a proof set or chain. The Paspoort rules "
                           "apply to Paspoort credentials only: for another credential whose issuer is not in the "
                           "trust registry, the trust check is skipped (SPEC.md section 8).",
            "requestBody": _json_body({"type": "object", "required": ["verifiableCredential"], "properties": {
                "verifiableCredential": _OBJECT,
                "options": {"type": "object", "description": "accepted; keys such as checks are ignored"}}}),
            "responses": {**_ok("Every check passed", _ref("VerifyResult")), **_problems(400, 413, 422)}}},
        "/presentations/verify": {"post": {
            "operationId": "verifyPresentation",
            "summary": "Verify a presentation bound to a challenge: the caller's own, or one of this verifier (W3C VC API)",
            "description": "options.challenge is required. A challenge from POST /challenges is consumed (single use; "
                           "409 when used before) and the Paspoort policy applies; any other challenge is the "
                           "caller's and is only compared with the proof's, and the Paspoort rules (subjects, trust) "
                           "apply to Paspoort credentials only. options.domain, when given, must be in the proof.",
            "requestBody": _json_body({"type": "object", "required": ["verifiablePresentation"], "properties": {
                "verifiablePresentation": _OBJECT,
                "options": {"type": "object", "properties": {
                    "challenge": {"type": "string", "minLength": 1, "maxLength": 1024},
                    "domain": {"type": "string", "minLength": 1}, "jobProfile": JOB_PROFILE_REF}}}}),
            "responses": {**_ok("Every check passed", _ref("VerifyResult")), **_problems(400, 409, 413, 422)}}},
        "/challenges": {"post": {
            "operationId": "createChallenge", "summary": "A new OpenID4VP request: its openid4vp:// link and QR code",
            "requestBody": _json_body({"type": "object", "properties": {
                "query": {"type": "object", "description": "what is asked for (profileBlocks, credentialTypes)"},
                "jobProfile": {"type": "string"},
                "responseMode": {"enum": ["direct_post.jwt", "direct_post"]}}}, required=False),
            "responses": {**_ok("The request: link, QR code, DCQL query and the read token", {
                "type": "object", "required": ["challenge", "domain", "clientId", "expires", "dcqlQuery",
                                               "requestUrl", "statusUrl", "readToken"],
                "properties": {"challenge": {"type": "string", "description": "the request's state and nonce"},
                               "domain": {"type": "string"}, "clientId": {"type": "string"},
                               "expires": {"type": "string"}, "dcqlQuery": _OBJECT,
                               "responseMode": {"type": "string"},
                               "requestUrl": {"type": "string", "description":
                                              "openid4vp://?client_id=...&request_uri=... (what the QR code holds)"},
                               "statusUrl": {"type": "string", "description": "where the page polls"},
                               "readToken": {"type": "string", "description": "for this caller only (never in "
                                             "the QR code or link): send it as Authorization: Bearer to "
                                             "statusUrl; the verifier keeps only its hash"},
                               "qr": {"type": ["object", "null"], "properties": {
                                   "text": {"type": "string"}, "png": {"type": "string"}}}}}, "201"),
                **_problems(400, 413)}}},
        "/oid4vp/requests/{state}": {"get": {
            "operationId": "requestObject", "summary": "The signed request object (request_uri, JAR)",
            "parameters": [{"name": "state", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": _REQUEST_OBJECT}, "post": {
            "operationId": "requestObjectForWallet", "summary": "The request object for request_uri_method=post",
            "description": "OpenID4VP 1.0, 5.10: with a wallet_nonce (16-256 base64url characters) the object is "
                           "signed again with it; without one it is the object GET serves.",
            "parameters": [{"name": "state", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object", "properties": {"wallet_nonce": {"type": "string"},
                                                 "wallet_metadata": {"type": "string"}}}}}},
            "responses": {**_REQUEST_OBJECT, **_problems(400, 413)}}},
        "/oid4vp/response": {"post": {
            "operationId": "authorizationResponse", "summary": "The wallet's answer (response_uri), taken once",
            "description": "direct_post (vp_token and state) or direct_post.jwt (response: a JWE), or an error "
                           "response (error and state, plain or in the JWE) that closes the request once. A "
                           "refused answer changes nothing and carries the OAuth error invalid_request.",
            "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object", "properties": {"vp_token": {"type": "string"}, "state": {"type": "string"},
                                                 "response": {"type": "string"}, "error": {"type": "string"},
                                                 "error_description": {"type": "string"}}}}}},
            "responses": {**_ok("Processed: verified and every failed check; or, for an error response, the "
                                "error received", {"type": "object", "properties": {
                                    "verified": {"type": "boolean"}, "errors": {"type": "array"},
                                    "received": {"type": "boolean"}, "error": {"type": "string"}}}),
                **_problems(400, 409, 413, 422)}}},
        "/requests/{challenge}": {"get": {
            "operationId": "requestStatus", "summary": "State of a request, and its answer once it arrived",
            "description": "Only for the caller that created the challenge: Authorization: Bearer <readToken>. "
                           "The answer is given once (status answered, or declined with the wallet's error code) and "
                           "then deleted; later the status is "
                           "used. An answer nobody reads is deleted after ANSWER_TTL.",
            "security": [{"readToken": []}],
            "parameters": [{"name": "challenge", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {**_ok("pending, answered, declined, used or expired", {
                "type": "object", "required": ["challenge", "status", "request"], "properties": {
                    "status": {"enum": ["pending", "answered", "declined", "used", "expired"]},
                    "request": _ref("PresentationRequest"), "answer": {"type": ["object", "null"]}}}),
                **_problems(401, 404)}}},
        "/job-profiles": {
            "get": {"operationId": "listJobProfiles", "summary": "Example and uploaded job profiles",
                    "responses": _ok("The job profiles offered by id", {
                        "type": "object", "required": ["jobProfiles"], "properties": {"jobProfiles": {
                            "type": "array", "items": {"type": "object", "required": ["id"]}}}})},
            "post": {"operationId": "uploadJobProfile", "summary": "Upload a job profile (Vakbekwaamheidsprofiel)",
                     "description": "Kept for the page session that uploaded it (cookie paspoort_page, set when "
                                    "missing) for JOB_UPLOAD_TTL; at most 64 KiB, 20 per session. GET lists the "
                                    "examples and this session's uploads.",
                     "requestBody": _json_body({"type": "object"}),
                     "responses": {**_ok("Stored; use the id as jobProfile", {
                         "type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}, "201"),
                         **_problems(400, 413, 422)}}},
        "/inspect": {"post": {
            "operationId": "inspect",
            "summary": "The page's check: a file, photos or scans with QR codes, or pasted QR text or JSON",
            "description": "Every Paspoort QR code in the images (e.g. a printed passport page) is checked on its "
                           "own: documents has one result each, subjects groups them per person. The top-level "
                           "binding, summary, report and match are the first document's (and its group's), as for "
                           "a single document; verified is true only when every document verified.",
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "properties": {
                    "file": {"type": "array", "items": {"type": "string", "format": "binary"},
                             "description": "one JSON file, or up to 8 images (the field repeated)"},
                    "text": {"type": "string"}, "jobProfile": {"type": "string"},
                    "qr": {"type": "array", "items": {"type": "string"}, "maxItems": 64,
                           "description": "QR texts the camera read (POST /scan): whole texts and every part "
                                          "of each series, in any order (the field repeated)"}}}}}},
            "responses": {**_ok("The reports in plain terms (also when a document did not verify)", {
                "type": "object", "required": ["verified", "summary", "report", "documents", "subjects"],
                "properties": {
                    "verified": {"type": "boolean"}, "binding": BINDING,
                    "summary": _ref("Summary"), "report": _ref("Report"), "match": {"type": ["object", "null"]},
                    "sources": _ref("Sources"),
                    "documents": {"type": "array", "minItems": 1, "items": _ref("InspectedDocument")},
                    "subjects": {"type": "array", "minItems": 1, "items": _ref("InspectedSubject")}}}),
                **_problems(400, 409, 413, 422)}}},
        "/scan": {"post": {
            "operationId": "scanFrame",
            "summary": "The page's camera: the Paspoort QR codes in one frame",
            "description": "One PNG or JPEG frame of at most 4 MiB and 3840x2160 pixels; nothing is kept. A frame "
                           "without a QR code answers codes: []. Each code is a whole PP text (part null) or a part "
                           "of a series (its tag, 0-based index and total); others counts QR codes that are not "
                           "Paspoort codes. The page sends the texts to /inspect (field qr) when a document is "
                           "complete.",
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["frame"],
                "properties": {"frame": {"type": "string", "format": "binary"}}}}}},
            "responses": {**_ok("The codes in the frame", {
                "type": "object", "required": ["codes", "others"], "properties": {
                    "codes": {"type": "array", "items": {
                        "type": "object", "required": ["text", "part"], "properties": {
                            "text": {"type": "string"},
                            "part": {"type": ["object", "null"], "required": ["series", "index", "total"],
                                     "properties": {"series": {"type": "string"}, "index": {"type": "integer"},
                                                    "total": {"type": "integer"}}}}}},
                    "others": {"type": "integer", "minimum": 0}}}),
                **_problems(400, 413, 429)}}},
        "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document",
                                  "responses": _ok("OpenAPI 3.1", _OBJECT)}},
        "/terms/{lang}.json": {"get": {
            "operationId": "terms", "summary": "The page's words in one language (the CLI's and the PDF's too)",
            "parameters": [{"name": "lang", "in": "path", "required": True, "schema": {"type": "string"},
                            "description": "nl or en; any other is 404"}],
            "responses": {**_ok("Every word: outcome, category, verdict, check, problem, reason, ...", _OBJECT),
                          **_problems(404)}}},
        "/": {"get": {"operationId": "page", "summary": "The recruiter's web page",
                      "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}}}},
    },
    "components": {"schemas": SCHEMAS, "securitySchemes": {"readToken": {
        "type": "http", "scheme": "bearer", "description": "the readToken from POST /challenges"}}},
}


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(DOCUMENT)


def write_docs_copy(path: str = "docs/api/verifier-openapi.json") -> None:
    """Write the document to docs/ from the repository root; a test fails when
    that copy is stale. ``python -c 'from verifier_service.openapi import write_docs_copy; write_docs_copy()'``"""
    import json
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(DOCUMENT, indent=2, ensure_ascii=False) + "\n")

