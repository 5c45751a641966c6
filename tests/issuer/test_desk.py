"""The issuing desk (/desk/) over the Flask test client, on SQLite and PostgreSQL.

Sessions and their security (no cookie, wrong CSRF, an expired session, a revoked token, sign
out), what a token may do (types and scope), and the audit log: every desk action has an entry
with the staff member's name. The browser flow is in ``test_desk_pages.py``.
"""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from desk_helpers import COOKIE, EVIDENCE, HTTPS, csrf, examiner_form, field, offer_parts, redeem, sign_in
from issuer_helpers import bearer, example
from issuer_service.desk.forms import evidence_digest
from issuer_service.desk.models import DeskSession
from issuer_service.models import AuditEntry, IssuedCredential, Token
from issuer_service.oid4vci.models import Offer

MULTIPART = {"content_type": "multipart/form-data", **HTTPS}


def audit(app, action: str) -> list[AuditEntry]:
    with app.extensions["paspoort_issuer_db"].reading() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def count(app, model) -> int:
    with app.extensions["paspoort_issuer_db"].reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def later(app, minutes: int) -> None:
    moment = datetime.now(timezone.utc) + timedelta(minutes=minutes)
    app.config["CLOCK"] = lambda: moment


def offered(client, token_csrf: str, **changes) -> str:
    response = client.post("/desk/new", data=examiner_form(token_csrf, **changes), **MULTIPART)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


# --- sessions ---------------------------------------------------------------------------------
def test_without_a_cookie_pages_lead_to_sign_in_and_forms_are_refused(client, app):
    response = client.get("/desk/new", **HTTPS)
    assert response.status_code == 303 and response.headers["Location"].endswith("/desk/sign-in")
    assert client.get("/desk/issued", **HTTPS).status_code == 303
    response = client.post("/desk/new", data=examiner_form("anything"), **MULTIPART)
    assert response.status_code == 403 and "niet aangemeld" in response.get_data(as_text=True)
    assert count(app, Offer) == 0


def test_a_bad_token_opens_no_session_and_sign_in_needs_the_forms_own_value(client, app, tokens):
    response = sign_in(client, "psi_not-a-token")
    assert response.status_code == 401 and "werkt niet" in response.get_data(as_text=True)
    assert sign_in(client, tokens["expired"]).status_code == 401
    assert sign_in(client, tokens["revoked"]).status_code == 401
    client.get("/desk/sign-in", **HTTPS)
    forged = client.post("/desk/sign-in", data={"login": "guessed", "token": tokens["examinator"]}, **HTTPS)
    assert forged.status_code == 403  # login CSRF: another site cannot sign a browser in
    assert count(app, DeskSession) == 0 and audit(app, "desk-sign-in") == []


def test_the_session_cookie_is_httponly_strict_secure_and_holds_no_token(client, app, tokens):
    response = sign_in(client, tokens["examinator"])
    assert response.status_code == 303 and response.headers["Location"].endswith("/desk/new")
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(COOKIE + "="))
    assert {"HttpOnly", "Secure", "SameSite=Strict", "Path=/"} <= {part.strip() for part in cookie.split(";")}
    assert tokens["examinator"] not in cookie and "Domain" not in cookie
    page = client.get("/desk/new", **HTTPS)
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store" and page.headers["X-Frame-Options"] == "DENY"
    assert "examinator-staff" in page.get_data(as_text=True)
    with app.extensions["paspoort_issuer_db"].reading() as session:
        row = session.scalars(select(DeskSession)).one()
    assert row.staff_name == "examinator-staff" and cookie.split(";")[0].split("=", 1)[1] != row.id_hash
    assert [entry.actor for entry in audit(app, "desk-sign-in")] == ["examinator-staff"]


def test_a_form_without_the_sessions_csrf_token_is_refused(client, app, tokens):
    sign_in(client, tokens["examinator"])
    for wrong in ("", "0" * 64, csrf(client)[:-1] + "x"):
        response = client.post("/desk/new", data=examiner_form(wrong), **MULTIPART)
        assert response.status_code == 403 and "formulier" in response.get_data(as_text=True)
    assert client.post("/desk/sign-out", data={}, **HTTPS).status_code == 403
    assert count(app, Offer) == 0 and audit(app, "desk-offer") == []


def test_an_idle_session_expires_and_a_long_one_ends(client, app, tokens):
    sign_in(client, tokens["examinator"])
    later(app, 29)
    assert client.get("/desk/new", **HTTPS).status_code == 200  # used again: the idle time starts over
    later(app, 29 + 31)
    response = client.get("/desk/new", **HTTPS)
    assert response.status_code == 303 and "notice=expired" in response.headers["Location"]
    later(app, 0)
    assert client.get("/desk/new", **HTTPS).status_code == 303  # an ended session stays ended
    sign_in(client, tokens["examinator"])
    for minutes in range(25, 501, 25):  # used every 25 minutes, still at most DESK_SESSION_HOURS (8)
        later(app, minutes)
        assert client.get("/desk/new", **HTTPS).status_code == (200 if minutes < 480 else 303), minutes


def test_a_token_revoked_after_sign_in_ends_its_session(client, app, tokens):
    sign_in(client, tokens["examinator"])
    assert client.get("/desk/issued", **HTTPS).status_code == 200
    with app.extensions["paspoort_issuer_db"].transaction() as session:
        session.scalars(select(Token).where(Token.name == "examinator-staff")).one().revoked_at = \
            datetime.now(timezone.utc)
    response = client.get("/desk/issued", **HTTPS)
    assert response.status_code == 303 and "notice=token_gone" in response.headers["Location"]


def test_sign_out_ends_the_session_clears_the_cookie_and_is_in_the_audit_log(client, app, tokens):
    sign_in(client, tokens["examinator"])
    token_csrf = csrf(client)
    response = client.post("/desk/sign-out", data={"csrf": token_csrf}, **HTTPS)
    assert response.status_code == 303 and "notice=signed_out" in response.headers["Location"]
    assert any(value.startswith(COOKIE + "=;") for value in response.headers.getlist("Set-Cookie"))
    assert "afgemeld" in client.get(response.headers["Location"], **HTTPS).get_data(as_text=True)
    with app.extensions["paspoort_issuer_db"].reading() as session:
        assert session.scalars(select(DeskSession)).one().ended_at is not None
    assert [entry.actor for entry in audit(app, "desk-sign-out")] == ["examinator-staff"]
    assert client.get("/desk/new", **HTTPS).status_code == 303


def test_english_by_choice(client, tokens):
    assert "Sign in" in client.get("/desk/sign-in?lang=en", **HTTPS).get_data(as_text=True)
    sign_in(client, tokens["examinator"], lang="en")
    page = client.get("/desk/new", **HTTPS).get_data(as_text=True)
    assert 'lang="en"' in page and "New endorsement" in page
    client.post("/desk/language", data={"csrf": field(page, "csrf"), "lang": "nl", "next": "/desk/issued"}, **HTTPS)
    assert "Uitgegeven" in client.get("/desk/issued", **HTTPS).get_data(as_text=True)


# --- new endorsement -> offer -----------------------------------------------------------------
def test_the_examiner_sees_only_procedures_in_scope_and_offers_one_with_its_evidence_digest(client, app, tokens):
    sign_in(client, tokens["examinator"])
    page = client.get("/desk/new", **HTTPS).get_data(as_text=True)
    assert 'value="vrh:medicatie-aanreiken"' in page and "kind=module" not in page
    html = offered(client, field(page, "csrf"))
    link, tx_code = offer_parts(html)
    assert 'id="offer-qr" src="data:image/svg+xml;base64,' in html and link.startswith("openid-credential-offer://")
    credential = redeem(client, link, tx_code)
    subject = credential["credentialSubject"]
    assert subject["procedure"]["code"] == "vrh:medicatie-aanreiken"
    assert subject["assessment"]["examiner"]["name"] == "Marleen Kuipers"
    assert credential["evidence"][0]["digestMultibase"] == evidence_digest(EVIDENCE)
    assert credential["validUntil"] == "2027-11-20T23:59:59Z"
    [entry] = audit(app, "desk-offer")
    assert entry.actor == "examinator-staff" and entry.details["scope"] == "vrh:medicatie-aanreiken"
    assert [item.actor for item in audit(app, "issue")] == ["examinator-staff"]


def test_the_evidence_file_is_kept_only_when_configured(client, app, tokens, tmp_path):
    sign_in(client, tokens["examinator"])
    offered(client, csrf(client))
    assert not (tmp_path / "evidence").exists()
    app.config["DESK_EVIDENCE_DIR"] = str(tmp_path / "evidence")
    offered(client, csrf(client))
    [kept] = list((tmp_path / "evidence").iterdir())
    assert kept.read_bytes() == EVIDENCE and kept.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("changes, problem", [
    ({"procedure": "wzd:insuline-injecteren"}, "Kies een handeling"),  # outside the token's scope
    ({"procedure": None}, "Kies een handeling"),
    ({"assessment_date": "2999-01-01"}, "in de toekomst"),
    ({"assessment_date": "2020-01-01"}, "al verlopen"),
    ({"method": " "}, "hoe u heeft beoordeeld"),
    ({"evidence": "no file"}, "bestand van het bewijsstuk"),
    ({"valid_months": "999"}, "hoe lang"),
])
def test_every_bad_field_gets_a_clear_message_and_nothing_is_offered(client, app, tokens, changes, problem):
    sign_in(client, tokens["examinator"])
    if changes.get("evidence") == "no file":
        changes = {"evidence": (io.BytesIO(b""), "", "application/octet-stream")}
    response = client.post("/desk/new", data=examiner_form(csrf(client), **changes), **MULTIPART)
    assert response.status_code == 422 and problem in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True) or "procedure-problem" in response.get_data(
        as_text=True)
    assert count(app, Offer) == 0


def test_a_token_without_the_type_cannot_use_the_form(client, app, tokens):
    sign_in(client, tokens["administratie"])  # certificates, not AantoonbaarBekwaam
    page = client.get("/desk/new", **HTTPS).get_data(as_text=True)
    assert 'name="procedure"' not in page and 'name="module"' in page
    response = client.post("/desk/new", data=examiner_form(field(page, "csrf")), **MULTIPART)
    assert response.status_code == 403 and count(app, Offer) == 0


def test_the_opleider_offers_a_module_certificate(client, app, tokens):
    sign_in(client, tokens["administratie"])
    form = {"csrf": csrf(client), "kind": "module", "module": "Methodisch werken",
            "description": "Werken volgens de methodische cyclus met een ondersteuningsplan.",
            "framework": "mbo", "level": "3", "outcomes": "Stelt doelen op\nEvalueert de ondersteuning", "hours": "80"}
    response = client.post("/desk/new", data=form, **MULTIPART)
    assert response.status_code == 200, response.get_data(as_text=True)
    link, tx_code = offer_parts(response.get_data(as_text=True))
    credential = redeem(client, link, tx_code, configuration="CertificaatCredential")
    assert credential["credentialSubject"]["level"] == {"framework": "mbo", "level": 3}
    assert [item["name"] for item in credential["credentialSubject"]["learningOutcomes"]] == [
        "Stelt doelen op", "Evalueert de ondersteuning"]
    response = client.post("/desk/new", data={**form, "csrf": csrf(client), "level": "7"}, **MULTIPART)
    assert response.status_code == 422 and "Kies een niveau" in response.get_data(as_text=True)  # mbo is 1-4


# --- issued: list, search, status, audit trail ------------------------------------------------
def test_issued_lists_searches_and_suspends_within_scope_with_an_audit_trail(client, app, tokens):
    bhv = client.post("/credentials/issue", json={"credential": example("ria/endorsements/bhv-certificaat.json")},
                      headers=bearer(tokens["admin"])).get_json()["verifiableCredential"]
    sign_in(client, tokens["examinator"])
    html = offered(client, csrf(client))
    credential = redeem(client, *offer_parts(html))
    listing = client.get("/desk/issued", **HTTPS).get_data(as_text=True)
    assert credential["id"] in listing and bhv["id"] not in listing  # a certificate is outside the token's types
    assert credential["id"] in client.get("/desk/issued?q=medicatie", **HTTPS).get_data(as_text=True)
    assert "Niets gevonden" in client.get("/desk/issued?q=katheter", **HTTPS).get_data(as_text=True)

    token_csrf = csrf(client, f"/desk/issued/{credential['id']}")
    missing = client.post(f"/desk/issued/{credential['id']}", data={"csrf": token_csrf, "action": "suspend"}, **HTTPS)
    assert missing.status_code == 422 and "reden" in missing.get_data(as_text=True)
    response = client.post(f"/desk/issued/{credential['id']}", data={
        "csrf": token_csrf, "action": "suspend", "reason": "Twijfel na een incident"}, **HTTPS)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="state">Geschorst<' in page and "Twijfel na een incident" in page
    [entry] = audit(app, "suspend")
    assert (entry.actor, entry.reason, entry.credential_id) == ("examinator-staff", "Twijfel na een incident",
                                                                credential["id"])
    with app.extensions["paspoort_issuer_db"].reading() as session:
        assert session.get(IssuedCredential, credential["id"]).suspended

    for path in (f"/desk/issued/{bhv['id']}",):  # outside the token's types: not shown, not changed
        assert client.get(path, **HTTPS).status_code == 404
        response = client.post(path, data={"csrf": token_csrf, "action": "revoke", "reason": "x"}, **HTTPS)
        assert response.status_code in (403, 404)
    with app.extensions["paspoort_issuer_db"].reading() as session:
        assert not session.get(IssuedCredential, bhv["id"]).revoked
    assert len(audit(app, "revoke")) == 0


def test_an_organisations_procedure_list_replaces_the_built_in_one_and_a_bad_one_stops_the_start(tmp_path):
    import json
    from issuer_helpers import base_config
    from issuer_service import create_app
    from issuer_service.config import ConfigError
    listing = tmp_path / "procedures.json"
    listing.write_text(json.dumps([{"code": "vrh:eigen-handeling", "name": "Eigen handeling", "category": "overig"}]))
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    app = create_app(base_config(tmp_path, database, DESK_PROCEDURES=str(listing)))
    assert [item.code for item in app.extensions["paspoort_desk_procedures"]] == ["vrh:eigen-handeling"]
    for bad in ("not json", json.dumps([{"code": "Geen Code", "name": "x"}]), json.dumps({"code": "vrh:x"})):
        listing.write_text(bad)
        with pytest.raises(ConfigError, match="DESK_PROCEDURES"):
            create_app(base_config(tmp_path, database, DESK_PROCEDURES=str(listing)))
    with pytest.raises(ConfigError, match="DESK_IDLE_MINUTES"):
        create_app(base_config(tmp_path, database, DESK_IDLE_MINUTES=0))


def test_lifting_a_suspension_and_revoking_for_good(client, app, tokens):
    sign_in(client, tokens["examinator"])
    credential = redeem(client, *offer_parts(offered(client, csrf(client))))
    path = f"/desk/issued/{credential['id']}"
    for action, state in (("suspend", "Geschorst"), ("unsuspend", "Geldig"), ("revoke", "Ingetrokken")):
        response = client.post(path, data={"csrf": csrf(client, path), "action": action, "reason": f"reden {action}"},
                               **HTTPS)
        assert response.status_code == 200 and f'id="state">{state}<' in response.get_data(as_text=True)
    page = client.get(path, **HTTPS).get_data(as_text=True)
    assert "definitief" in page and 'id="status-form"' not in page  # a revoked credential stays revoked
    assert [(entry.action, entry.actor) for entry in audit(app, "unsuspend") + audit(app, "revoke")] == [
        ("unsuspend", "examinator-staff"), ("revoke", "examinator-staff")]
    listing = client.get("/desk/issued", **HTTPS).get_data(as_text=True)
    assert "Ingetrokken" in listing


def test_an_admin_sees_both_forms_and_everything_issued(client, tokens):
    sign_in(client, tokens["admin"])
    page = client.get("/desk/new", **HTTPS).get_data(as_text=True)
    assert 'id="kind-examiner"' in page and 'id="kind-module"' in page
    assert 'value="vrh:tillift-gebruiken"' in page
    module = client.get("/desk/new?kind=module", **HTTPS).get_data(as_text=True)
    assert 'name="outcomes"' in module and 'name="procedure"' not in module


def test_an_evidence_file_over_10_mb_is_refused_with_a_page(client, app, tokens):
    sign_in(client, tokens["examinator"])
    big = (io.BytesIO(b"x" * (10 * 1024 * 1024 + 1)), "groot.pdf", "application/pdf")
    response = client.post("/desk/new", data=examiner_form(csrf(client), evidence=big), **MULTIPART)
    assert response.status_code in (413, 422) and "10 MB" in response.get_data(as_text=True)
    medium = (io.BytesIO(b"%PDF" + b"x" * (2 * 1024 * 1024)), "scan.pdf", "application/pdf")  # above the API's 1 MB
    assert client.post("/desk/new", data=examiner_form(csrf(client), evidence=medium), **MULTIPART).status_code == 200
    assert count(app, Offer) == 1
