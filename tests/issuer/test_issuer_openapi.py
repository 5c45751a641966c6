"""The OpenAPI document is true: every route is documented, responses match, and schemathesis
finds no server error (bounded examples, WSGI, SQLite and PostgreSQL)."""
from __future__ import annotations

import os
import re

import pytest
from jsonschema import Draft202012Validator

from issuer_helpers import bearer, example

from issuer_service.openapi import openapi_document

EXAMPLES = int(os.environ.get("ISSUER_FUZZ_EXAMPLES", "40"))  # per operation and mode; bounded for time
_PLACEHOLDER = re.compile(r"<(?:[^:>]+:)?[^>]+>|\{[^}]+\}")


def _shape(path: str) -> str:
    return _PLACEHOLDER.sub("{}", path)


def _operation(document, path: str, method: str):
    for documented, operations in document["paths"].items():
        if _shape(documented) == _shape(path) and method.lower() in operations:
            return operations[method.lower()]
    return None


def test_every_route_is_documented(app):
    document = openapi_document()
    routes = {(_shape(rule.rule), method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              and not rule.endpoint.startswith("desk.")  # the desk's pages are for people (decision 0210)
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(_shape(path), method.upper()) for path, operations in document["paths"].items()
                  for method in operations}
    assert routes == documented
    assert document["openapi"].startswith("3.1")


def _check(document, path_template: str, method: str, response) -> None:
    operation = _operation(document, path_template, method)
    assert operation is not None, path_template
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, f"{method} {path_template} answered {response.status_code}, not documented"
    content = documented.get("content")
    if content is None:
        assert not response.data
        return
    assert response.mimetype in content, (response.mimetype, list(content))
    schema = {**content[response.mimetype]["schema"], "components": document["components"]}
    errors = list(Draft202012Validator(schema).iter_errors(response.get_json()))
    assert not errors, errors[0].message


def test_responses_match_the_document(app, client, tokens):
    document = openapi_document()
    admin = bearer(tokens["admin"])
    issued = client.post("/credentials/issue", json={"credential": example("ria/endorsements/bhv-certificaat.json")},
                         headers=admin)
    credential = issued.get_json()["verifiableCredential"]
    list_path = credential["credentialStatus"]["statusListCredential"].split("example", 1)[1]
    listed = client.get(list_path)
    calls = [
        ("/credentials/issue", "POST", issued),
        ("/credentials/issue", "POST", client.post("/credentials/issue", json={"credential": {}}, headers=admin)),
        ("/credentials/issue", "POST", client.post("/credentials/issue", data=b"{", headers=admin)),
        ("/credentials/issue", "POST", client.post("/credentials/issue", json={"credential": {}})),
        ("/credentials/issue/batch", "POST", client.post("/credentials/issue/batch", json={
            "credentials": [example("ria/endorsements/bhv-certificaat.json")]}, headers=admin)),
        ("/credentials/status", "POST", client.post("/credentials/status", json={
            "credentialId": credential["id"], "action": "suspend", "reason": "check"}, headers=admin)),
        ("/credentials/status", "POST", client.post("/credentials/status", json={
            "credentialId": credential["id"], "action": "suspend", "reason": "check"},
            headers=bearer(tokens["examinator"]))),
        ("/credentials/{credentialId}", "GET", client.get(f"/credentials/{credential['id']}", headers=admin)),
        ("/credentials/{credentialId}", "GET", client.get("/credentials/urn:uuid:none", headers=admin)),
        ("/templates", "GET", client.get("/templates")),
        ("/status-lists/{listId}", "GET", listed),
        ("/status-lists/{listId}", "GET", client.get(list_path, headers={"If-None-Match": listed.headers["ETag"]})),
        ("/status-lists/{listId}", "GET", client.get("/status-lists/424242")),
        ("/.well-known/did.json", "GET", client.get("/.well-known/did.json")),
        ("/openapi.json", "GET", client.get("/openapi.json")),
        *_oid4vci_calls(client, tokens),
    ]
    for path, method, response in calls:
        _check(document, path, method, response)


def _oid4vci_calls(client, tokens):
    """One of each OpenID4VCI answer: metadata, an offer, token, nonce, credential and their errors."""
    from oid4vci_helpers import code_of, credential_request, jwt_proof, offered_body, token_request

    made = client.post("/oid4vci/offers", json={"credential": offered_body()}, headers=bearer(tokens["admin"]))
    offer_path = made.get_json()["credential_offer_uri"].split("example", 1)[1]
    offer = client.get(offer_path)
    token = token_request(client, code_of(offer.get_json()), made.get_json()["tx_code"])
    nonce = client.post("/oid4vci/nonce")
    access = token.get_json()["access_token"]
    return [
        ("/.well-known/openid-credential-issuer", "GET", client.get("/.well-known/openid-credential-issuer")),
        ("/.well-known/oauth-authorization-server", "GET", client.get("/.well-known/oauth-authorization-server")),
        ("/oid4vci/offers", "POST", made),
        ("/oid4vci/offers", "POST", client.post("/oid4vci/offers", json={"credential": {}})),
        ("/oid4vci/offers/{reference}", "GET", offer),
        ("/oid4vci/offers/{reference}", "GET", client.get(offer_path)),
        ("/oid4vci/token", "POST", token),
        ("/oid4vci/token", "POST", token_request(client, code_of(offer.get_json()), "000000")),
        ("/oid4vci/nonce", "POST", nonce),
        ("/oid4vci/credential", "POST", credential_request(client, access, jwt_proof("made-up"))),
        ("/oid4vci/credential", "POST", credential_request(client, access, jwt_proof(nonce.get_json()["c_nonce"]))),
        ("/oid4vci/credential", "POST", credential_request(client, access, jwt_proof("x"))),
    ]


def test_schemathesis_finds_no_server_errors(app, tokens):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.checks import negative_data_rejection, positive_data_acceptance

    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    headers = bearer(tokens["admin"])
    failures = []
    calls = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in schemathesis.GenerationMode:
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                calls.append(case)
                case.call_and_validate(headers=headers,
                                       excluded_checks=[positive_data_acceptance, negative_data_rejection])

            try:
                run()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                pass
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:2000]}")
    assert not failures, "\n\n".join(failures)
    assert len(calls) > 200


def test_the_copy_in_docs_is_the_served_document(client):
    """docs/api/issuer-openapi.json is written from the code (one source of truth), never edited
    by hand; regenerate with the command in ``write_docs_copy``'s docstring."""
    import json
    from pathlib import Path

    copy = Path(__file__).resolve().parents[2] / "docs" / "api" / "issuer-openapi.json"
    assert json.loads(copy.read_text(encoding="utf-8")) == client.get("/openapi.json").get_json() == openapi_document(), (
        "docs/api/issuer-openapi.json is stale: run "
        "python -c 'from issuer_service.openapi import write_docs_copy; write_docs_copy()'")


def test_write_docs_copy_writes_the_document(tmp_path):
    import json

    from issuer_service.openapi import write_docs_copy

    target = tmp_path / "issuer-openapi.json"
    write_docs_copy(str(target))
    assert json.loads(target.read_text(encoding="utf-8")) == openapi_document()
    assert target.read_text(encoding="utf-8").endswith("}\n")
