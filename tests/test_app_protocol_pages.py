"""The wallet app's Receive and Share-by-request screens in a real browser (Debian's chromium,
Playwright), at desktop (1280 px) and phone (390 px) width, with axe-core on every screen.

Ria receives a certificate from a live issuer service by its offer link, by a photo of its offer
QR code, and by holding the QR code in front of the camera (chromium's fake camera plays a video
made from the offer's QR image); she answers a live verifier's OpenID4VP request by its link.
Screenshots go to /tmp/app-shots2/ for a person to look at.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

import pages
from app_protocol_support import answered, new_offer, new_request, served_issuer, served_verifier
from app_support import Clock, wallet_app  # noqa: F401 (wallet_app: a fixture)
from pages import CAMERA_ARGS, WIDTHS, axe_or_skip, camera_video, launch, playwright_api
from passport.qr.symbols import render_png
from test_wallet_support import PASSPHRASE

SHOTS = Path("/tmp/app-shots2")


@pytest.fixture
def issuer(tmp_path):
    with served_issuer(tmp_path) as (base, _app, tokens):
        yield base, tokens


@pytest.fixture
def verifier(tmp_path):
    with served_verifier(tmp_path) as base:
        yield base


class Screens(pages.Screens):
    """One page at one width: a screenshot, axe-core and the width check for every screen."""

    def __init__(self, browser, width: str, prefix: str, **context) -> None:
        super().__init__(browser, width, SHOTS, prefix, timeout_ms=20_000, **context)

    def unlock(self, url: str) -> None:
        self.page.goto(url)
        self.page.fill("#passphrase", PASSPHRASE)
        self.page.click("#unlock")
        assert self.page.locator("h1").inner_text() == "Mijn profiel"


def fill_code_and_accept(screens: Screens, created: dict, name: str, *, keyboard: bool = False) -> str:
    page = screens.page
    assert page.locator("h1").inner_text() == "Aanbod bekijken"
    assert "ROC Testland" in page.locator("#offer-name").inner_text()
    assert page.locator("#offer-unregistered").is_visible()
    screens.look(name)
    if keyboard:  # the code field, then Enter: the form is sent with the default button, "accept"
        page.focus("#tx-code")
        page.keyboard.type(created["tx_code"])
        page.keyboard.press("Enter")
    else:
        page.fill("#tx-code", created["tx_code"])
        page.click("#offer-accept")
    banner = page.locator("#received").inner_text()
    assert "Bewaard: Certificaat" in banner and "Opgehaald bij ROC Testland" in banner, banner
    return banner


@pytest.mark.parametrize("width", list(WIDTHS))
def test_ria_receives_by_link_and_by_photo_of_the_qr(wallet_app, issuer, tmp_path, width):
    axe_or_skip()
    base, tokens = issuer
    url, state = wallet_app(Clock(datetime.now(timezone.utc)))
    before = None
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        screens = Screens(browser, width, "receive")
        page = screens.page
        screens.unlock(url)
        before = len(state.wallet.credentials)
        page.click("#nav-receive")
        page.locator("[data-scan=offer]").wait_for(state="visible")  # the camera part shows once the script ran
        assert page.locator("#scan-offer-start").is_visible() and not page.locator("#scan-offer-stop").is_visible()
        screens.look("start")
        created = new_offer(base, tokens["administratie"])
        page.fill("#offer-form-link", created["offer"])
        page.click("#offer-form-submit")
        fill_code_and_accept(screens, created, "offer-link", keyboard=True)
        screens.look("received-link")
        assert len(state.wallet.credentials) == before + 1

        photo = tmp_path / "offer-qr.png"
        created = new_offer(base, tokens["administratie"])
        render_png(created["offer"], photo)
        page.set_input_files("#offer-form-photo", str(photo))
        page.click("#offer-form-submit")
        fill_code_and_accept(screens, created, "offer-photo")
        assert len(state.wallet.credentials) == before + 2

        page.set_input_files("#offer-form-photo", str(photo))  # the same offer again: used up
        page.click("#offer-form-submit")
        assert page.locator("#problem").is_visible()
        screens.look("offer-used")
        browser.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_ria_scans_the_offer_qr_with_the_camera(wallet_app, issuer, tmp_path, width):
    axe_or_skip()
    base, tokens = issuer
    url, state = wallet_app(Clock(datetime.now(timezone.utc)))
    created = new_offer(base, tokens["administratie"])
    render_png(created["offer"], tmp_path / "offer-qr.png")
    video = camera_video(tmp_path / "offer-qr.png", tmp_path / "offer-qr.y4m")
    with playwright_api.sync_playwright() as p:
        browser = launch(p, *CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}")
        screens = Screens(browser, width, "camera", permissions=["camera"])
        page = screens.page
        screens.unlock(url)
        before = len(state.wallet.credentials)
        page.click("#nav-receive")
        page.click("#scan-offer-start")
        page.wait_for_url("**/ontvangen/aanbod/*")  # the code was found and the form sent
        fill_code_and_accept(screens, created, "offer-camera")
        screens.look("received-camera")
        assert len(state.wallet.credentials) == before + 1
        browser.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_ria_answers_the_employers_request_by_its_link(wallet_app, verifier, width):
    axe_or_skip()
    url, state = wallet_app(Clock())  # the verifier's clock: NOW
    created = new_request(verifier)
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        screens = Screens(browser, width, "request")
        page = screens.page
        screens.unlock(url)
        page.click("#nav-share")
        page.click("#share-request-link")
        assert page.locator("h1").inner_text() == "Verzoek van een werkgever beantwoorden"
        screens.look("start")
        page.fill("#request-form-link", created["requestUrl"])
        page.click("#request-form-submit")
        assert page.locator("#request-unregistered").is_visible()
        assert "Je profiel: Skills" in page.locator("#request-items").inner_text()
        assert not page.locator("#sensitive-1").is_checked()
        screens.look("shown")
        page.click("#lang-en")  # the request is kept: the page shows it again, in English
        assert "Your profile: Skills" in page.locator("#request-items").inner_text()
        screens.look("shown-en")
        page.click("#lang-nl")
        assert answered(verifier, created)["status"] == "pending"
        page.click("#request-send")
        assert "alles klopt" in page.locator("#request-verdict").inner_text()
        screens.look("sent")
        state_of = answered(verifier, created)
        assert state_of["status"] == "answered" and state_of["answer"]["verified"] is True
        browser.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_camera_can_be_turned_on_and_off(wallet_app, width):
    """chromium's own fake camera (a moving test pattern, no QR code): the picture and "looking"
    show, nothing is sent on, and turning the camera off hides the picture again."""
    axe_or_skip()
    url, _state = wallet_app(Clock())
    with playwright_api.sync_playwright() as p:
        browser = launch(p, *CAMERA_ARGS)
        screens = Screens(browser, width, "camera")
        screens.context.grant_permissions(["camera"])
        page = screens.page
        screens.unlock(url)
        page.click("#nav-share")
        page.click("#share-request-link")
        page.click("#scan-request-start")
        page.wait_for_function("document.querySelector('video.camera').videoWidth > 0")
        assert page.locator("video.camera").is_visible()
        assert "Zoeken naar een QR-code" in page.locator("[data-scan-status]").inner_text()
        assert page.evaluate("document.activeElement.id") == "scan-request-stop"
        screens.look("scanning")
        page.keyboard.press("Enter")  # the focused "turn off" button
        assert not page.locator("video.camera").is_visible() and page.locator("#scan-request-start").is_visible()
        assert page.url.endswith("/delen/verzoek")
        browser.close()
