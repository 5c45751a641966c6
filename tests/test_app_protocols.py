"""The wallet app receives by OpenID4VCI and answers OpenID4VP, over real HTTP to an issuer and a
verifier service started here (127.0.0.1, free ports); the app itself through Flask's client.

Receive: an offer link (or a photo of its QR code) is fetched and shown first (who offers what:
the registered name, or clearly "not in a trust registry"), the transaction code is asked for
after that, and only then is the credential fetched, verified and kept. Share: the request is
fetched and shown (who asks, where the answer goes, what is asked), sensitive entries go only
when ticked, and the verifier's verdict is shown. The camera's frames are read by ``/scannen``.
"""
from __future__ import annotations

import base64
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from app_protocol_support import (EMPLOYER, REGISTERED_ISSUER, VERIFIER_KEY, answered, new_offer, new_request,
                                  served_issuer, served_verifier, trust_store)
from app_support import Clock, kdf_test, make_client, ria_wallet_file, text_of  # noqa: F401 (fixture)
from oid4vci_helpers import offered_body
from passport import sign
from passport.app import server
from passport.cli import main
from passport.qr.symbols import render_png
from passport.wallet.store import Wallet
from test_wallet_support import PASSPHRASE, ria_world


@pytest.fixture
def issuer(tmp_path):
    with served_issuer(tmp_path) as (base, app, tokens):
        yield base, app, tokens


@pytest.fixture
def verifier(tmp_path):
    with served_verifier(tmp_path) as base:
        yield base


def wallet_app(tmp_path, clock: Clock):
    app = make_client(ria_wallet_file(tmp_path / "ria.wallet", with_profile=True, endorsements=True), clock)
    assert app.unlock().status_code == 303
    return app


@pytest.fixture
def today_app(tmp_path, kdf_test):  # noqa: F811
    """Ria's wallet app on today's clock (the issuer signs with today's date)."""
    return wallet_app(tmp_path, Clock(datetime.now(timezone.utc)))


@pytest.fixture
def fixed_app(tmp_path, kdf_test):  # noqa: F811
    """Ria's wallet app at NOW, the verifier's clock."""
    return wallet_app(tmp_path, Clock())


def png_of(text: str) -> bytes:
    buffer = io.BytesIO()
    render_png(text, buffer)
    return buffer.getvalue()


def count(app) -> int:
    return len(app.state.wallet.credentials)


def offer_token(app) -> str:
    [token] = app.state.offers
    return token


# --- Ontvangen: OpenID4VCI --------------------------------------------------------------------
def test_an_offer_link_is_shown_first_then_received_with_its_code(issuer, today_app):
    base, _app, tokens = issuer
    created = new_offer(base, tokens["administratie"])
    before = count(today_app)
    opened = today_app.post("/ontvangen/aanbod", {"link": created["offer"]})
    assert opened.status_code == 303
    shown = today_app.get(opened.headers["Location"])
    page = text_of(shown)
    assert shown.status_code == 200
    assert "ROC Testland" in page and "127.0.0.1:" in page and "Certificaat" in page
    assert "niet in een vertrouwensregister" in page and 'name="tx_code"' in shown.get_data(as_text=True)
    assert count(today_app) == before  # nothing fetched but the offer and metadata
    token = offer_token(today_app)
    again = today_app.post(f"/ontvangen/aanbod/{token}", {"tx_code": ""})
    assert again.status_code == 400 and "Vul eerst de code in" in text_of(again)
    done = today_app.post(f"/ontvangen/aanbod/{token}", {"tx_code": created["tx_code"]})
    assert done.status_code == 200, text_of(done)
    assert "Bewaard:" in text_of(done) and "Opgehaald bij ROC Testland" in text_of(done)
    assert count(today_app) == before + 1
    today_app.state.close()
    wallet = Wallet.open(today_app.state.wallet_path, PASSPHRASE)  # saved to the wallet file
    try:
        assert wallet.credentials[-1]["credential"]["type"][-1] == "CertificaatCredential"
        assert wallet.credentials[-1]["credential"]["credentialSubject"]["id"] == wallet.holder_key.did
        # its status was asked for at once; this app may not fetch over plain http, so: unknown, and said so
        assert wallet.credentials[-1]["statusCheck"]["status"] == "unknown"
        assert "status-unknown" in wallet.credentials[-1]["flags"]
    finally:
        wallet.close()


def test_a_photo_of_the_offer_qr_and_a_registered_issuer_in_english(issuer, today_app):
    base, app, tokens = issuer
    today_app.state.trust = trust_store(issuer=(app.extensions["paspoort_issuer"].keyring.did, base))
    today_app.state.lang = "en"
    created = new_offer(base, tokens["admin"])
    shown = today_app.post("/ontvangen/aanbod", {"photo": (io.BytesIO(png_of(created["offer"])), "offer.png")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert shown.status_code == 200, text_of(shown)
    page = text_of(shown)
    assert REGISTERED_ISSUER in page and "is in your trust registry" in page and "not in a trust" not in page
    done = today_app.post(f"/ontvangen/aanbod/{offer_token(today_app)}", {"tx_code": created["tx_code"]})
    assert done.status_code == 200, text_of(done)
    assert "Kept: " in text_of(done) and f"Fetched from {REGISTERED_ISSUER}" in text_of(done)


def test_a_credential_signed_by_another_than_the_registered_issuer_is_refused(issuer, today_app):
    base, _app, tokens = issuer
    today_app.state.trust = trust_store(issuer=(VERIFIER_KEY.did, base))  # the registry names another DID here
    created = new_offer(base, tokens["admin"])
    before = count(today_app)
    shown = today_app.post("/ontvangen/aanbod", {"link": created["offer"]}, follow_redirects=True)
    assert REGISTERED_ISSUER in text_of(shown)
    refused = today_app.post(f"/ontvangen/aanbod/{offer_token(today_app)}", {"tx_code": created["tx_code"]})
    assert refused.status_code == 400 and "IMPORT_REFUSED" in refused.get_data(as_text=True)
    assert count(today_app) == before


def test_a_credential_valid_from_its_signing_is_checked_after_it_was_signed(issuer, kdf_test, tmp_path):  # noqa: F811
    """As the issuing desk makes them, the credential is valid from the moment the issuer signs it
    (no ``validFrom`` in the offer). The app reads its clock when the credential has arrived, not
    when the code was sent: here the clock moves on while the issuer signs, as time does."""
    import requests
    from flask import request

    base, issuer_app, tokens = issuer
    clock = Clock(datetime.now(timezone.utc) - timedelta(seconds=20))  # the moment "accept" was pressed

    @issuer_app.after_request
    def time_passes(response):
        if request.path == "/oid4vci/credential":
            clock.now = datetime.now(timezone.utc) + timedelta(seconds=1)
        return response

    body = offered_body()
    del body["validFrom"]
    created = requests.post(base + "/oid4vci/offers", json={"credential": body}, timeout=10,
                            headers={"Authorization": f"Bearer {tokens['administratie']}"}).json()
    app = wallet_app(tmp_path, clock)
    before = count(app)
    app.post("/ontvangen/aanbod", {"link": created["offer"]})
    done = app.post(f"/ontvangen/aanbod/{offer_token(app)}", {"tx_code": created["tx_code"]})
    assert done.status_code == 200, text_of(done)  # not "Het document is nog niet geldig"
    assert "Bewaard:" in text_of(done) and count(app) == before + 1
    kept = app.state.wallet.credentials[-1]
    assert kept["credential"]["validFrom"] <= kept["importedAt"]
    app.state.close()


def test_a_wrong_code_keeps_nothing_and_says_so(issuer, today_app):
    base, _app, tokens = issuer
    created = new_offer(base, tokens["admin"])
    before = count(today_app)
    today_app.post("/ontvangen/aanbod", {"link": created["offer"]})
    refused = today_app.post(f"/ontvangen/aanbod/{offer_token(today_app)}", {"tx_code": "12345x"})
    assert refused.status_code == 400 and "ISSUANCE_FAILED" in refused.get_data(as_text=True)
    assert count(today_app) == before and today_app.state.offers == {}


def test_declining_an_offer_fetches_nothing(issuer, today_app):
    base, _app, tokens = issuer
    created = new_offer(base, tokens["admin"])
    before = count(today_app)
    today_app.post("/ontvangen/aanbod", {"link": created["offer"]})
    token = offer_token(today_app)
    declined = today_app.post(f"/ontvangen/aanbod/{token}", {"cancel": "1"})
    assert declined.status_code == 303
    assert "niets bewaard" in text_of(today_app.get("/ontvangen"))
    assert count(today_app) == before
    assert today_app.post(f"/ontvangen/aanbod/{token}", {"tx_code": created["tx_code"]}).status_code == 404


@pytest.mark.parametrize("form, said", [
    ({"link": ""}, "Plak eerst de link"),
    ({"link": "openid4vp://?client_id=x&request_uri=https://x"}, "niet het goede soort link"),
    ({"link": "openid-credential-offer://?credential_offer_uri=https%3A%2F%2F127.0.0.1%3A1%2Fo"}, ""),  # nobody there
    ({"link": "openid-credential-offer://?credential_offer_uri=http%3A%2F%2Froc.example%2Fo"}, ""),  # not https
])
def test_a_missing_wrong_or_unreachable_offer_link_is_refused_plainly(today_app, form, said):
    refused = today_app.post("/ontvangen/aanbod", form)
    assert refused.status_code == 400 and 'id="problem"' in refused.get_data(as_text=True)
    assert said in text_of(refused)
    assert today_app.state.offers == {}


def test_a_photo_without_an_offer_code_is_refused(today_app):
    not_an_offer = png_of("PP2:not an offer")
    refused = today_app.post("/ontvangen/aanbod", {"photo": (io.BytesIO(not_an_offer), "x.png")},
                             content_type="multipart/form-data")
    assert refused.status_code == 400 and "geen QR-code" in text_of(refused)


def test_the_offer_forms_need_the_csrf_token(today_app):
    assert today_app.post("/ontvangen/aanbod", {"link": "x"}, csrf=False).status_code == 403
    assert today_app.post("/ontvangen/aanbod/abc", {"tx_code": "1"}, csrf=False).status_code == 403
    assert today_app.post("/delen/verzoek", {"link": "x"}, csrf=False).status_code == 403
    assert today_app.post("/scannen", {"kind": "offer"}, csrf=False).status_code == 403


# --- the camera's frames ------------------------------------------------------------------------
def test_a_camera_frame_gives_the_link_in_it_or_nothing(today_app):
    link = "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Froc.example%2Fo%2F1"
    found = today_app.post("/scannen", {"kind": "offer", "frame": (io.BytesIO(png_of(link)), "frame.png")},
                           content_type="multipart/form-data")
    assert found.status_code == 200 and found.get_json() == {"text": link}
    other = today_app.post("/scannen", {"kind": "request", "frame": (io.BytesIO(png_of(link)), "frame.png")},
                           content_type="multipart/form-data")
    assert other.get_json() == {"text": None}  # an offer is not a request
    junk = today_app.post("/scannen", {"kind": "offer", "frame": (io.BytesIO(b"GIF89a..."), "frame.gif")},
                          content_type="multipart/form-data")
    assert junk.get_json() == {"text": None}
    assert today_app.post("/scannen", {"kind": "backup"}).status_code == 400


# --- Delen: OpenID4VP ---------------------------------------------------------------------------
def test_a_request_link_shows_who_asks_what_and_sends_after_confirming(verifier, fixed_app):
    created = new_request(verifier, responseMode="direct_post")
    shown = fixed_app.post("/delen/verzoek", {"link": created["requestUrl"]}, follow_redirects=True)
    assert shown.status_code == 200, text_of(shown)
    page = text_of(shown)
    assert "niet in een vertrouwensregister" in page and VERIFIER_KEY.did in page
    assert "Je profiel: Skills, Talenten, Werk- en denkniveau, Doel & motivatie nodig" in page
    assert "Aantoonbaar bekwaam mag" in page and "Uit je profiel: Rustig blijven bij conflicten" in page
    assert "Fysieke belastbaarheid" in page  # the sensitive entry is offered, unticked
    assert 'name="sensitive"' in shown.get_data(as_text=True) and " checked" not in shown.get_data(as_text=True)
    assert answered(verifier, created)["status"] == "pending"  # looking sends nothing
    [token] = fixed_app.state.requests
    sent = fixed_app.post(f"/delen/verzoek/{token}", {})
    assert sent.status_code == 200, text_of(sent)
    assert "alles klopt" in text_of(sent)
    state = answered(verifier, created)
    assert state["status"] == "answered" and state["answer"]["verified"] is True
    assert "Fysieke belastbaarheid" not in text_of(sent)  # not ticked, not sent


def test_a_registered_employer_is_named_and_a_ticked_sensitive_entry_goes(verifier, fixed_app):
    fixed_app.state.trust = trust_store(employer=True)
    created = new_request(verifier)  # encrypted answer (direct_post.jwt)
    shown = fixed_app.post("/delen/verzoek", {"link": created["requestUrl"]}, follow_redirects=True)
    page = text_of(shown)
    assert f"{EMPLOYER} (werkgever)" in page and "alleen de vrager kan het lezen" in page
    [token] = fixed_app.state.requests
    sent = fixed_app.post(f"/delen/verzoek/{token}", {"sensitive": ["fysieke-belastbaarheid", "not-asked"]})
    assert sent.status_code == 200 and "Fysieke belastbaarheid" in text_of(sent)
    assert answered(verifier, created)["answer"]["verified"] is True


def test_declining_a_request_sends_nothing(verifier, fixed_app):
    created = new_request(verifier)
    fixed_app.post("/delen/verzoek", {"link": created["requestUrl"]})
    [token] = fixed_app.state.requests
    assert fixed_app.post(f"/delen/verzoek/{token}", {"cancel": "1"}).status_code == 303
    assert "niets verstuurd" in text_of(fixed_app.get("/delen"))
    assert answered(verifier, created)["status"] == "pending"


def test_a_photo_of_the_request_qr_is_read(verifier, fixed_app):
    created = new_request(verifier)
    png = base64.b64decode(created["qr"]["png"].split(",", 1)[1])
    shown = fixed_app.post("/delen/verzoek", {"photo": (io.BytesIO(png), "request.png")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert shown.status_code == 200 and "Wat wordt gevraagd?" in text_of(shown)
    assert len(fixed_app.state.requests) == 1


def test_a_request_link_that_is_not_one_is_refused(fixed_app):
    refused = fixed_app.post("/delen/verzoek", {"link": "openid4vp://?client_id=nope"})
    assert refused.status_code == 400 and 'id="problem"' in refused.get_data(as_text=True)
    assert fixed_app.state.requests == {}


# --- the command: the worker's trust registries -------------------------------------------------
def test_the_command_hands_the_checked_trust_registry_to_the_app(tmp_path, monkeypatch, capsys):
    world = ria_world()
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps(world.registry), encoding="utf-8")
    given = {}
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: given.update(kwargs))
    assert main(["app", "--no-browser", "--wallet", str(tmp_path / "w"), "--trust-registry", str(registry),
                 "--trust-signer", world.keys["registry"].did]) == 0
    assert [len(r.entries) for r in given["trust"].registries] == [len(world.registry["credentialSubject"]["issuers"])]
    forged = json.loads(json.dumps(world.registry))
    forged.pop("proof")
    registry.write_text(json.dumps(sign(forged, VERIFIER_KEY)), encoding="utf-8")  # signed by someone else
    given.clear()
    assert main(["app", "--no-browser", "--wallet", str(tmp_path / "w"), "--trust-registry", str(registry),
                 "--trust-signer", world.keys["registry"].did]) == 2
    assert given == {} and "TRUST_REGISTRY" in capsys.readouterr().err


def test_a_request_the_wallet_cannot_answer_says_what_is_missing_and_offers_no_send(verifier, tmp_path, kdf_test):  # noqa: F811
    app = make_client(ria_wallet_file(tmp_path / "no-profile.wallet", with_profile=False, endorsements=True), Clock())
    assert app.unlock().status_code == 303
    created = new_request(verifier)
    shown = app.post("/delen/verzoek", {"link": created["requestUrl"]}, follow_redirects=True)
    assert shown.status_code == 200
    assert "niet in je wallet: Je profiel: Skills" in text_of(shown)
    assert 'id="request-send"' not in shown.get_data(as_text=True)
    [token] = app.state.requests
    assert app.post(f"/delen/verzoek/{token}", {}).status_code == 400  # sending anyway sends nothing
    assert answered(verifier, created)["status"] == "pending"


@pytest.mark.parametrize("status, reply, kind, said", [
    (200, {"verified": True}, "ok", "alles klopt"),
    (200, {"verified": False, "checks": []}, "warn", "niet alles klopt"),
    (409, {"code": "CHALLENGE_USED", "detail": "already answered"}, "error", "HTTP 409"),
    (502, "<html>", "error", "HTTP 502"),
])
def test_the_verifiers_verdict_in_one_sentence(status, reply, kind, said):
    from passport.app.view_respond import _verdict
    verdict = _verdict(status, reply, "nl")
    assert verdict["kind"] == kind and said in verdict["text"]
