"""OpenID4VCI 1.0 pre-authorized flow against the issuer: metadata, offer, token, nonce, credential."""
from __future__ import annotations

from sqlalchemy import func, select

from issuer_helpers import bearer, issuer_did, verify_with_service
from issuer_service.models import AuditEntry, IssuedCredential
from issuer_service.oid4vci.models import Offer
from oid4vci_helpers import (
    AUDIENCE, WALLET_KEY, code_of, credential_request, di_vp_proof, fetch_offer, jwt_proof, make_offer, nonce,
    offered_body, redeemed, token_request,
)
from passport.roles.oid4vci import PRE_AUTHORIZED_GRANT


def test_the_issuer_metadata_names_every_paspoort_type_as_ldp_vc(client):
    metadata = client.get("/.well-known/openid-credential-issuer").get_json()
    assert metadata["credential_issuer"] == AUDIENCE
    assert metadata["credential_endpoint"] == AUDIENCE + "/oid4vci/credential"
    assert metadata["nonce_endpoint"] == AUDIENCE + "/oid4vci/nonce"
    configurations = metadata["credential_configurations_supported"]
    assert set(configurations) == {"AantoonbaarBekwaamCredential", "CertificaatCredential",
                                   "AssessmentResultaatCredential", "WerkervaringCredential",
                                   "ProfielEndorsementCredential"}
    certificate = configurations["CertificaatCredential"]
    assert certificate["format"] == "ldp_vc"
    assert certificate["cryptographic_binding_methods_supported"] == ["did:key"]
    assert certificate["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"] == ["EdDSA"]
    assert certificate["proof_types_supported"]["di_vp"]["proof_signing_alg_values_supported"] == ["eddsa-jcs-2022"]
    assert certificate["credential_definition"]["type"][-1] == "CertificaatCredential"
    assert {item["locale"] for item in certificate["credential_metadata"]["display"]} == {"nl", "en"}
    server = client.get("/.well-known/oauth-authorization-server").get_json()
    assert server["token_endpoint"] == AUDIENCE + "/oid4vci/token"
    assert server["grant_types_supported"] == [PRE_AUTHORIZED_GRANT]


def test_an_offer_by_reference_with_a_six_digit_transaction_code(client, tokens):
    created = make_offer(client, tokens["administratie"])
    assert created["offer"].startswith("openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.example")
    assert len(created["tx_code"]) == 6 and created["tx_code"].isdigit()
    document = fetch_offer(client, created)
    assert document["credential_issuer"] == AUDIENCE
    assert document["credential_configuration_ids"] == ["CertificaatCredential"]
    assert document["grants"][PRE_AUTHORIZED_GRANT]["tx_code"]["length"] == 6


def _issue(client, tokens, proofs_for):
    created, access_token = redeemed(client, tokens["administratie"])
    response = credential_request(client, access_token, proofs_for(nonce(client)))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()["credentials"][0]["credential"]


def test_a_jwt_proof_gets_a_credential_about_the_wallets_did_recorded_with_status_and_audit(client, app, tokens):
    credential = _issue(client, tokens, jwt_proof)
    assert credential["credentialSubject"]["id"] == WALLET_KEY.did
    assert credential["credentialStatus"]["statusPurpose"] == "message"
    report = verify_with_service(client, credential, issuer_did(app))
    assert report.verified, [c.to_dict() for c in report.failures()]
    with app.extensions["paspoort_issuer_db"].reading() as session:
        row = session.get(IssuedCredential, credential["id"])
        assert row.subject_did == WALLET_KEY.did and row.issued_by == "administratie-staff"
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.credential_id == credential["id"])).all()
        assert actions == ["issue"]
        offer = session.scalars(select(Offer).where(Offer.credential_id == credential["id"])).one()
        assert offer.state == "issued"


def test_a_di_vp_proof_gets_the_credential_too(client, app, tokens):
    credential = _issue(client, tokens, di_vp_proof)
    assert credential["credentialSubject"]["id"] == WALLET_KEY.did
    assert verify_with_service(client, credential, issuer_did(app)).verified


def test_a_staff_token_may_offer_only_what_it_may_issue(client, tokens):
    response = client.post("/oid4vci/offers", json={"credential": offered_body()}, headers=bearer(tokens["examinator"]))
    assert response.status_code == 403
    response = client.post("/oid4vci/offers", json={"credential": offered_body()})
    assert response.status_code == 401


def test_an_offer_with_the_subjects_did_or_a_bad_body_is_refused_and_nothing_is_stored(client, app, tokens):
    body = offered_body()
    body["credentialSubject"]["id"] = WALLET_KEY.did
    response = client.post("/oid4vci/offers", json={"credential": body}, headers=bearer(tokens["admin"]))
    assert response.status_code == 422 and "credentialSubject.id" in response.get_json()["detail"]
    body = offered_body()
    del body["credentialSubject"]["achievement"]
    response = client.post("/oid4vci/offers", json={"credential": body}, headers=bearer(tokens["admin"]))
    assert response.status_code == 422
    with app.extensions["paspoort_issuer_db"].reading() as session:
        assert session.scalar(select(func.count()).select_from(Offer)) == 0


def test_the_offer_document_is_gone_once_redeemed(client, tokens):
    created = make_offer(client, tokens["admin"])
    assert token_request(client, code_of(fetch_offer(client, created)), created["tx_code"]).status_code == 200
    assert client.get(created["credential_offer_uri"].removeprefix(AUDIENCE)).status_code == 404
