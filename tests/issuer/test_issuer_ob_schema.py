"""What the issuer service signs is Open Badges 3.0 valid (official 1EdTech JSON Schemas).

Every persona example and every template (with the demo's own werkervaring request) is issued
over HTTP; the signed result, with its one status entry, has no OB schema error other than the
known proof-array artefact. Skips when the published vectors are absent.
"""
from __future__ import annotations

import pytest

from issuer_helpers import bearer, example, example_paths
from ob_schemas import ob_errors

from passport.demo.story import werkervaring
from passport.roles.issuing import TEMPLATES

TEMPLATE_EXAMPLES = {
    "aantoonbaar-bekwaam": "ria/endorsements/aantoonbaar-bekwaam-tillift.json",
    "deelcertificaat": "ria/endorsements/methodisch-werken.json",
    "certificaat": "ria/endorsements/bhv-certificaat.json",
    "assessment-resultaat": "ria/endorsements/riasec-assessment.json",
    "werkervaring": "jan/endorsements/werkervaring-jeugdtrainer.json",
    "profiel-endorsement": "ria/endorsements/endorsement-rustig-bij-conflicten.json",
}


def issue(client, token, credential, **options):
    body = {"credential": credential, **({"options": options} if options else {})}
    response = client.post("/credentials/issue", json=body, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["verifiableCredential"]


def small_request(path: str) -> dict:
    """The example without what the template fills in (context, types)."""
    full = example(path)
    small = {key: value for key, value in full.items() if key not in ("@context", "type")}
    small["credentialSubject"] = {k: v for k, v in full["credentialSubject"].items() if k != "type"}
    if "achievement" in small["credentialSubject"]:
        small["credentialSubject"]["achievement"] = {
            k: v for k, v in full["credentialSubject"]["achievement"].items() if k != "type"}
    return small


def test_every_issued_example_is_ob_valid(client, tokens):
    for path in example_paths():
        signed = issue(client, tokens["admin"], example(path))
        assert isinstance(signed["credentialStatus"], dict) and signed["credentialStatus"]["statusSize"] == 2
        assert ob_errors(signed) == [], path.name


def test_every_template_is_covered():
    assert set(TEMPLATE_EXAMPLES) == set(TEMPLATES)


@pytest.mark.parametrize("name", sorted(TEMPLATE_EXAMPLES))
def test_every_template_issues_ob_valid(client, tokens, name):
    signed = issue(client, tokens["admin"], small_request(TEMPLATE_EXAMPLES[name]), template=name)
    assert signed["type"][-1] == TEMPLATES[name].credential_type
    assert ob_errors(signed) == [], name


def test_the_profile_endorsement_template_gives_a_name(client, tokens):
    request = small_request(TEMPLATE_EXAMPLES["profiel-endorsement"])
    del request["name"]
    signed = issue(client, tokens["admin"], request, template="profiel-endorsement")
    assert signed["name"] == "Aanbeveling bij een onderdeel van het profiel" and ob_errors(signed) == []


def test_an_endorsement_without_a_name_is_refused(client, tokens):
    credential = example(TEMPLATE_EXAMPLES["profiel-endorsement"])
    del credential["name"]
    response = client.post("/credentials/issue", json={"credential": credential}, headers=bearer(tokens["admin"]))
    assert response.status_code == 422 and "name" in response.get_json()["detail"]


def test_the_demo_werkervaring_request_is_ob_valid(client, tokens):
    subject = example(TEMPLATE_EXAMPLES["werkervaring"])["credentialSubject"]["id"]
    signed = issue(client, tokens["admin"], werkervaring(subject), template="werkervaring")
    assert ob_errors(signed) == []
