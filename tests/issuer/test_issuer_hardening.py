"""Named attacks on the issuer's staff API (issue #11 items 8 and 9).

Item 8, narrowed tokens stay narrow: a token narrowed by ``--types``/``--scope`` reads,
revokes and suspends only credentials inside its types and scope, and is refused (403) before
any schema check when it submits a credential outside them.
Item 9, names that stay true: ``issuer`` (name, web site, image) comes from the service's
configuration, and links signed into a credential are ``https:``.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from issuer_helpers import base_config, bearer, example, make_tokens

from issuer_service import create_app
from issuer_service.auth import Staff, create_token
from issuer_service.config import ConfigError
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, CERTIFICAAT_TYPE
from passport.errors import StructureInvalid
from passport.roles.issuing import prepare

TILLIFT = "ria/endorsements/aantoonbaar-bekwaam-tillift.json"
MEDICATIE = "ria/endorsements/aantoonbaar-bekwaam-medicatie-aanreiken.json"
BHV = "ria/endorsements/bhv-certificaat.json"


@pytest.fixture(scope="module")
def app(shared_app):
    return shared_app


@pytest.fixture(scope="module")
def tokens(shared_app):
    tokens = make_tokens(shared_app)
    narrowed = {"tillift-admin": dict(role="admin", types=None, scopes=["vrh:tillift*"]),
                "ab-admin": dict(role="admin", types=[AANTOONBAAR_BEKWAAM_TYPE], scopes=None)}
    with shared_app.extensions["paspoort_issuer_db"].transaction() as session:
        for name, spec in narrowed.items():
            _, tokens[name] = create_token(session, name=name, expires_days=30, now=datetime.now(timezone.utc), **spec)
    return tokens


def issue(client, token, credential):
    return client.post("/credentials/issue", json={"credential": credential}, headers=bearer(token))


def issued_id(client, tokens, path) -> str:
    response = issue(client, tokens["admin"], example(path))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["verifiableCredential"]["id"]


def change(client, token, credential_id, action):
    return client.post("/credentials/status", headers=bearer(token),
                       json={"credentialId": credential_id, "action": action, "reason": "test"})


def forbidden(response) -> dict:
    assert response.status_code == 403, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == "FORBIDDEN"
    return body


# --- item 8: reading and changing stored credentials --------------------------------------------
def test_attack_scoped_admin_revokes_a_certificate_outside_its_scope(client, tokens):
    certificate, other_procedure, own = (issued_id(client, tokens, path) for path in (BHV, MEDICATIE, TILLIFT))
    for action in ("revoke", "suspend", "unsuspend"):
        body = forbidden(change(client, tokens["tillift-admin"], certificate, action))
        assert "outside the token's credential types or scope" in body["detail"]
        assert CERTIFICAAT_TYPE not in body["detail"]  # learns nothing about the credential
        forbidden(change(client, tokens["tillift-admin"], other_procedure, action))
    record = client.get(f"/credentials/{certificate}", headers=bearer(tokens["admin"])).get_json()
    assert record["revoked"] is False and record["suspended"] is False
    assert [entry["action"] for entry in record["audit"]] == ["issue"]
    assert change(client, tokens["tillift-admin"], own, "revoke").status_code == 200


def test_attack_type_narrowed_admin_suspends_another_type(client, tokens):
    certificate, procedure = issued_id(client, tokens, BHV), issued_id(client, tokens, TILLIFT)
    forbidden(change(client, tokens["ab-admin"], certificate, "suspend"))
    assert change(client, tokens["ab-admin"], procedure, "suspend").status_code == 200


def test_attack_narrowed_tokens_read_credentials_outside_their_types_or_scope(client, tokens):
    certificate, other_procedure, own = (issued_id(client, tokens, path) for path in (BHV, MEDICATIE, TILLIFT))

    def read(who, credential_id):
        return client.get(f"/credentials/{credential_id}", headers=bearer(tokens[who]))

    for who, credential_id in [("tillift-admin", certificate), ("tillift-admin", other_procedure),
                               ("examinator", certificate), ("administratie", own), ("ab-admin", certificate)]:
        body = forbidden(read(who, credential_id))
        assert "verifiableCredential" not in body and credential_id not in body["detail"]
    for who, credential_id in [("tillift-admin", own), ("examinator", other_procedure), ("administratie", certificate),
                               ("ab-admin", own), ("admin", certificate)]:
        response = read(who, credential_id)
        assert response.status_code == 200 and response.get_json()["credentialId"] == credential_id


def test_a_scoped_token_never_reaches_a_credential_whose_scope_text_was_purged():
    staff = Staff(token_id=1, name="examinator", role="examinator", types=frozenset({AANTOONBAAR_BEKWAAM_TYPE}),
                  scopes=("vrh:*",))
    reduced = {"credentialSubject": {"id": "did:key:z6Mk"}}  # what purge-text keeps
    with pytest.raises(Exception, match="outside the token's credential types or scope") as caught:
        staff.may_use(AANTOONBAAR_BEKWAAM_TYPE, reduced)
    assert caught.value.status == 403
    full = example(TILLIFT)
    staff.may_use(AANTOONBAAR_BEKWAAM_TYPE, full)  # in scope: no exception


# --- item 8: issuing is authorised before the document is checked --------------------------------
def _schema_invalid_certificate():
    credential = example(BHV)
    credential["credentialSubject"]["studyLoad"] = {"hours": -4}  # 422 SCHEMA_INVALID for the admin
    return credential


def _procedure(code, *, break_schema=False, drop_code=False):
    credential = example(TILLIFT)
    if drop_code:
        del credential["credentialSubject"]["procedure"]["code"]
    else:
        credential["credentialSubject"]["procedure"]["code"] = code
    if break_schema:
        credential["credentialSubject"]["assessment"]["date"] = "not a date"
        credential["validUntil"] = "2020-01-01T00:00:00Z"
    return credential


@pytest.mark.parametrize("who, credential", [
    ("examinator", _schema_invalid_certificate()),
    ("examinator", example(BHV)),
    ("examinator", _procedure("ggz:separeren", break_schema=True)),
    ("examinator", _procedure("ggz:separeren")),
    ("examinator", _procedure("", drop_code=True)),
    ("examinator", {**example(BHV), "type": ["VerifiableCredential", "DiplomaCredential"]}),
    ("examinator", {"credentialSubject": 7}),
    ("tillift-admin", _schema_invalid_certificate()),
    ("tillift-admin", _procedure("vrh:medicatie-aanreiken", break_schema=True)),
    ("ab-admin", _schema_invalid_certificate()),
], ids=["invalid-certificate", "valid-certificate", "invalid-out-of-scope", "valid-out-of-scope", "no-scope-value",
        "unknown-type", "no-type", "scoped-admin-invalid-certificate", "scoped-admin-invalid-procedure",
        "typed-admin-invalid-certificate"])
def test_attack_narrowed_token_probes_the_schema(client, tokens, who, credential):
    forbidden(issue(client, tokens[who], credential))


def test_the_unrestricted_admin_still_learns_what_is_wrong(client, tokens):
    response = issue(client, tokens["admin"], _schema_invalid_certificate())
    assert response.status_code == 422 and response.get_json()["code"] == "SCHEMA_INVALID"
    in_scope_but_broken = _procedure("vrh:tillift-gebruiken", break_schema=True)
    assert issue(client, tokens["examinator"], in_scope_but_broken).status_code == 422


def test_attack_narrowed_token_probes_the_schema_in_a_batch(client, tokens):
    """Every item is authorised before any item is checked: item 1 is 403 although item 0 is broken."""
    broken_own = _procedure("vrh:tillift-gebruiken", break_schema=True)
    response = client.post("/credentials/issue/batch", headers=bearer(tokens["examinator"]),
                           json={"credentials": [broken_own, _schema_invalid_certificate()]})
    body = forbidden(response)
    assert body["index"] == 1 and body["detail"].startswith("credentials[1]: ")
    response = client.post("/credentials/issue/batch", headers=bearer(tokens["examinator"]),
                           json={"credentials": [example(TILLIFT), example(BHV)]})
    assert forbidden(response)["index"] == 1


def test_attack_narrowed_token_hides_behind_a_template(client, tokens):
    response = client.post("/credentials/issue", headers=bearer(tokens["examinator"]),
                           json={"credential": {"credentialSubject": {"id": "did:key:z6Mk", "studyLoad": "x"}},
                                 "options": {"template": "certificaat"}})
    forbidden(response)


# --- item 9: names that stay true ----------------------------------------------------------------
def _with_issuer(issuer):
    credential = example(BHV)
    credential["issuer"] = issuer
    return credential


def _own_profile(app, **changes):
    return {"id": app.extensions["paspoort_issuer"].keyring.did, "type": ["Profile"], "name": "ROC Testland",
            "url": "https://roc.example", **changes}


def _problem(response, words):
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == "STRUCTURE_INVALID" and words in body["detail"], body["detail"]
    return body


@pytest.mark.parametrize("changes, words", [
    ({"name": "Ministerie van Volksgezondheid"}, "come from this service's configuration"),
    ({"url": "javascript:alert(document.cookie)"}, "come from this service's configuration"),
    ({"url": "http://roc.example"}, "come from this service's configuration"),
    ({"image": {"id": "https://evil.example/logo.png", "type": "Image"}}, "come from this service's configuration"),
    ({"id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}, "this service issues as"),
], ids=["other-name", "javascript-url", "http-url", "other-image", "other-did"])
def test_attack_staff_signs_another_organisations_name(client, app, tokens, changes, words):
    _problem(issue(client, tokens["admin"], _with_issuer(_own_profile(app, **changes))), words)


def test_the_issuer_profile_always_comes_from_configuration(client, app, tokens):
    for submitted in (None, _own_profile(app), _own_profile(app)["id"]):
        credential = example(BHV) if submitted is None else _with_issuer(submitted)
        response = issue(client, tokens["admin"], credential)
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["verifiableCredential"]["issuer"] == _own_profile(app)


def _link(path, value):
    credential = example(TILLIFT)
    target = credential
    *parents, last = path
    for name in parents:
        target = target[name]
    target[last] = value
    return credential


@pytest.mark.parametrize("credential, path", [
    (_link(["credentialSubject", "achievement", "id"], "javascript:alert(1)"), "credentialSubject.achievement.id"),
    (_link(["credentialSubject", "achievement", "id"], "http://wilgenhoeve.example/a"),
     "credentialSubject.achievement.id"),
    (_link(["credentialSubject", "achievement", "image"], {"id": "http://evil.example/x.png", "type": "Image"}),
     "credentialSubject.achievement.image.id"),
    (_link(["credentialSubject", "achievement", "image"], "data:image/png;base64,AAAA"),
     "credentialSubject.achievement.image"),
    (_link(["credentialSubject", "achievement", "criteria", "id"], "javascript:void(0)"),
     "credentialSubject.achievement.criteria.id"),
    (_link(["evidence", 0, "id"], "http://evil.example/form.pdf"), "evidence[0].id"),
    (_link(["evidence", 0, "url"], "JavaScript:alert(1)"), "evidence[0].url"),
    (_link(["credentialSubject", "achievement", "alignment", 0, "targetUrl"], "javascript:alert(1)"),
     "credentialSubject.achievement.alignment[0].targetUrl"),
], ids=["achievement-javascript", "achievement-http", "image-http", "image-data", "criteria-javascript",
        "evidence-http", "evidence-url-javascript", "alignment-javascript"])
def test_attack_staff_signs_an_unsafe_link(client, tokens, credential, path):
    body = _problem(issue(client, tokens["admin"], credential), path)
    assert body["path"] == path


def test_an_esco_concept_stays_an_http_identifier(client, tokens):
    assert issue(client, tokens["admin"], example(TILLIFT)).status_code == 201  # targetUrl http://data.europa.eu/...


def test_prepare_refuses_a_submitted_profile_even_with_the_right_did():
    own = {"id": "did:web:roc.example", "type": ["Profile"], "name": "ROC"}
    credential = {**example(BHV), "issuer": {**own, "name": "Andere Organisatie"}}
    with pytest.raises(StructureInvalid, match="configuration"):
        prepare(credential, issuer=own, valid_from="2026-11-20T09:00:00Z")
    assert prepare({**example(BHV), "issuer": own}, issuer=own, valid_from="2026-11-20T09:00:00Z")["issuer"] == own


@pytest.mark.parametrize("url", ["http://roc.example", "javascript:alert(1)", "roc.example", "https://"])
def test_the_configured_web_site_is_https(tmp_path, url):
    with pytest.raises(ConfigError, match="PASPOORT_ISSUER_URL must be an absolute https URL"):
        create_app(base_config(tmp_path, {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, URL=url))

