"""The OpenAPI document stays true: it describes exactly the app's routes, and schemathesis
finds no server error and no response outside the document (bounded run)."""
from __future__ import annotations

import re

import pytest
import schemathesis
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from verifier_helpers import base_config
from verifier_service import create_app


def test_openapi_describes_exactly_the_routes(app):
    document = app.test_client().get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    described = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith("static"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        served |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert described == served


@pytest.fixture(scope="module")
def fuzz_app(trust_files, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    return create_app(base_config(trust_files, {"DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
                                                "DATABASE_SCHEMA": None}))


def test_api_fuzz(fuzz_app):
    """Every operation, positive and negative input, 25 examples each: no 5xx, every response as
    documented (status code, content type, schema). Driven directly: schemathesis's pytest plugin
    does not load under pytest 9."""
    api = schemathesis.openapi.from_wsgi("/openapi.json", fuzz_app)
    failures = []
    operations = [result.ok() for result in api.get_all_operations()]
    for operation, mode in [(op, mode) for op in operations for mode in GenerationMode]:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case):
            # A random object is schema-valid yet no credential: 422 is the right answer, so the
            # "positive data accepted" check does not apply to a verifier. A multipart form field
            # is always text: "text" given as an object arrives as its JSON, which /inspect rightly
            # reads, so "negative data rejected" does not apply to the multipart form.
            excluded = [positive_data_acceptance]
            if operation.label == "POST /inspect":
                excluded.append(negative_data_rejection)
            case.call_and_validate(excluded_checks=excluded)

        try:
            run()
        except Unsatisfiable:  # no invalid input exists for it (e.g. GET / has no parameters)
            continue
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report
            failures.append(f"{operation.label} ({mode}): {exc}")
    assert not failures, "\n\n".join(failures)


def test_the_copy_in_docs_is_the_served_document(app):
    """docs/api/verifier-openapi.json is written from the code (one source of truth), never
    edited by hand; regenerate with the command in ``write_docs_copy``'s docstring."""
    import json
    from pathlib import Path

    from verifier_service.openapi import DOCUMENT

    copy = Path(__file__).resolve().parents[2] / "docs" / "api" / "verifier-openapi.json"
    served = app.test_client().get("/openapi.json").get_json()
    assert json.loads(copy.read_text(encoding="utf-8")) == served == json.loads(json.dumps(DOCUMENT)), (
        "docs/api/verifier-openapi.json is stale: run "
        "python -c 'from verifier_service.openapi import write_docs_copy; write_docs_copy()'")
