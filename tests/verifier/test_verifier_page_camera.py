"""The recruiter's page reads QR codes with the camera (decision 0215), in Debian's chromium with
a fake camera playing a video of QR codes, at desktop and phone width (axe-core, nothing wider
than the screen, no CSP error on every screen; screenshots in /tmp/recruiter-shots/):

- Ria's certificate split over three codes, then a second certificate in one code: "1 of 3 parts
  read" on the way, each document checked as it is complete, both verified and matched with the job;
- a forged certificate (changed after signing) is "not genuine"; a QR code that is no passport
  code is named; a part of another series while one is being gathered is refused with the reason;
  "Start again" forgets the parts;
- the idle page, the OpenID4VP request waiting for the wallet, and the result in print.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

import pages
from pages import CAMERA_ARGS, WIDTHS, axe_or_skip, camera_video, launch, playwright_api
from passport import qr
from test_verifier_inspect_pdf import tampered
from test_verifier_page import live_server  # noqa: F401 (fixture)
from verifier_helpers import endorsement

SHOTS = Path("/tmp/recruiter-shots")
JOB = "begeleider-gehandicaptenzorg"


class Screens(pages.Screens):
    def __init__(self, browser, width: str, **context) -> None:
        super().__init__(browser, width, SHOTS, "recruiter", timeout_ms=30_000, **context)


def pngs(tmp_path: Path, name: str, symbols: list) -> list[Path]:
    out = []
    for number, symbol in enumerate(symbols, 1):
        path = tmp_path / f"{name}-{number}.png"
        qr.render_image(symbol, box_size=3, max_version=40).save(path)
        out.append(path)
    return out


def three_parts(world) -> list[qr.Part]:
    parts = qr.split_for_qr(qr.encode_text(endorsement(world)), max_version=16)
    assert len(parts) == 3
    return parts


def open_camera_page(screens: Screens, base: str, *, job: bool = True) -> None:
    page = screens.page
    page.goto(base + "/")
    page.locator(f"#job option[value='{JOB}']").wait_for(state="attached")
    if job:
        page.select_option("#job", JOB)
    assert page.locator("#camera-way").is_visible()  # shown when the browser has a camera API


@contextmanager
def camera_page(base: str, video: Path, width: str, *, job: bool = True) -> Iterator[Screens]:
    """The recruiter's page at ``width`` in a chromium whose camera plays ``video``, job chosen or not."""
    with playwright_api.sync_playwright() as p:
        browser = launch(p, *CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}")
        try:
            screens = Screens(browser, width, permissions=["camera"])
            open_camera_page(screens, base, job=job)
            yield screens
        finally:
            browser.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_certificate_over_three_codes_then_another_each_checked_as_it_arrives(live_server, world, tmp_path, width):
    axe_or_skip()
    base, _app = live_server
    whole = qr.encode_text(endorsement(world, "CertificaatCredential"))
    video = camera_video([*pngs(tmp_path, "part", three_parts(world)), None, *pngs(tmp_path, "whole", [whole])],
                         tmp_path / "camera.y4m", frames=15)
    with camera_page(base, video, width) as screens:
        page = screens.page
        screens.look("idle")
        page.click("#camera-start")
        page.locator("#camera-stop").wait_for()
        assert page.evaluate("document.activeElement.id") == "camera-stop"
        status = page.locator("#camera-status")
        page.locator("#camera-status", has_text="van 3 delen gelezen").wait_for()
        assert page.locator("#camera-progress").is_visible()
        assert page.get_attribute("#camera-progress", "max") == "3"
        screens.look("camera-progress")
        page.locator("#camera-status", has_text="2 document(en) gelezen").wait_for(timeout=40_000)
        result = page.locator("#result-body")
        page.locator("#result-body .banner.ok").wait_for()
        page.locator("#result-body", has_text="2 documenten gelezen").wait_for()
        assert result.locator("article.document.verified").count() == 2
        assert "Alle controles kloppen" in result.inner_text() and "Vergelijking met de functie" in result.inner_text()
        assert "opgeslagen statusinformatie" in result.inner_text()  # the offline bundle's age, when used
        assert not page.locator("#camera-progress").is_visible()  # no series half read
        assert "gelezen en gecontroleerd" in status.inner_text()
        # Another language: the status line is said again in it, and the details the reader opened stay open
        page.click("#result-body details.more > summary")
        page.click("#lang-en")
        page.wait_for_selector("html[data-terms='en']", state="attached")
        assert status.inner_text().startswith("2 document(s) read and checked.")
        assert page.evaluate("document.querySelector('#result-body details.more').open") is True
        assert "2 documents read" in result.inner_text()
        page.click("#lang-nl")
        page.wait_for_selector("html[data-terms='nl']", state="attached")
        assert status.inner_text().startswith("2 document(en) gelezen en gecontroleerd.")
        page.click("#result-body details.more > summary")  # folded again, as the screenshot shows it
        page.click("#camera-stop")
        assert not page.locator("#camera-video").is_visible()
        screens.look("result-verified")
        page.emulate_media(media="print")
        assert not page.locator("#camera-way").is_visible() and not page.locator("#lang-nl").is_visible()
        assert page.locator("#result-body details.more article").first.is_visible()  # details unfolded on paper
        screens.look("print")
        page.emulate_media(media="screen")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_forged_certificate_is_not_genuine_and_another_code_is_named(live_server, world, tmp_path, width):
    axe_or_skip()
    base, _app = live_server
    endorsements, forged_id = tampered(world)
    forged = qr.encode_text(next(c for c in endorsements if c["id"] == forged_id))
    video = camera_video([*pngs(tmp_path, "forged", [forged]), None, *pngs(tmp_path, "other", ["https://example.org/x"])],
                         tmp_path / "camera.y4m", frames=15)
    with camera_page(base, video, width, job=False) as screens:
        page = screens.page
        page.click("#camera-start")
        page.locator("#result-body .banner.bad").wait_for()
        result = page.locator("#result-body")
        assert "Ongeldig of vervalst" in result.inner_text() and "De handtekening klopt niet" in result.inner_text()
        page.locator("#camera-status", has_text="Dit is geen QR-code van een paspoort.").wait_for()
        page.click("#camera-stop")
        screens.look("result-not-verified")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_part_of_another_series_is_refused_and_start_again_forgets(live_server, world, tmp_path, width):
    axe_or_skip()
    base, _app = live_server
    mine = three_parts(world)
    other = qr.split_for_qr(qr.encode_text(endorsement(world, "CertificaatCredential")), max_version=14)
    video = camera_video(pngs(tmp_path, "mixed", [mine[0], other[1]]), tmp_path / "camera.y4m", frames=15)
    with camera_page(base, video, width, job=False) as screens:
        page = screens.page
        page.click("#camera-start")
        page.locator("#camera-status", has_text="hoort bij een ander document").wait_for()
        assert "(1 van 3 gelezen)" in page.locator("#camera-status").inner_text()
        assert page.locator("#result-body", has_text="Nog niets gecontroleerd").is_visible()  # nothing checked
        page.click("#camera-stop")
        screens.look("camera-other-series")
        page.click("#camera-reset")
        assert not page.locator("#camera-progress").is_visible() and not page.locator("#camera-reset").is_visible()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_openid4vp_request_waiting_for_the_wallet(live_server, width):
    axe_or_skip()
    base, _app = live_server
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        screens = Screens(browser, width)
        page = screens.page
        page.goto(base + "/")
        page.locator(f"#job option[value='{JOB}']").wait_for(state="attached")
        page.select_option("#job", JOB)
        page.click("#request")
        page.locator("#request-box:not([hidden])").wait_for()
        assert page.locator("#request-status").inner_text() == "Wachten op het antwoord van de kandidaat…"
        page.locator("#request-way").scroll_into_view_if_needed()
        screens.look("request-waiting")
        browser.close()
