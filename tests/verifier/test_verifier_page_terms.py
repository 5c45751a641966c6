"""The recruiter's page speaks the words of ``passport.terms`` (the CLI's and the PDF's too).

``GET /terms/<lang>.json`` serves one language's table (cacheable, 404 for a language not
offered); the summary counts a credential whose status could not be fetched as ``status_unknown``
and calls the whole ``unsettled``, never failed. In headless Chromium: such a presentation shows
the amber "status onbekend" verdict in Dutch and in English and is never counted as "klopt niet";
a forged one shows the Dutch sentence for its problem code, never the library's English message;
a refused input shows the sentence for the service's error code.
"""
from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from passport import present, terms
from registry_helpers import registry_file
from verifier_helpers import NOW, base_config, endorsement, issue_with_status
from verifier_service import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = "/tmp/pp/page-status-unknown.png"


def unreachable_list(world, tmp_path) -> tuple[str, str]:
    """A registry placing the examiner's status lists on a port nobody listens on, and one list there."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    registry = registry_file(world, tmp_path, [f"http://127.0.0.1:{port}/lists/"])
    return registry, f"http://127.0.0.1:{port}/lists/gone"


@pytest.fixture
def unknown_status(world, trust_files, sqlite_database, tmp_path):
    """An app that cannot fetch the examiner's status list, and a presentation relying on it."""
    registry, url = unreachable_list(world, tmp_path)
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None,
                                 TRUST_REGISTRIES=[registry]))
    vp = present([world.profile, issue_with_status(world, url), endorsement(world, "CertificaatCredential")],
                 world.holder, now=NOW)
    return app, vp


# --- the table, served ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", terms.LANGS)
def test_terms_are_served_per_language_and_cacheable(client, lang):
    response = client.get(f"/terms/{lang}.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == terms.table(lang)
    assert response.cache_control.public and response.cache_control.max_age == 3600
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    again = client.get(f"/terms/{lang}.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("lang", ["fr", "NL", "nl_NL", "..", "en.json"])
def test_a_language_not_offered_is_404_with_the_choices(client, lang):
    response = client.get(f"/terms/{lang}.json")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == "NOT_FOUND" and "choose one of nl, en" in body["detail"] and repr(lang) in body["detail"]


# --- the summary counts an unknown status as its own category ------------------------------------
def test_summary_of_an_unfetchable_status_is_unsettled_not_failed(unknown_status):
    app, vp = unknown_status
    summary = app.test_client().post("/inspect", data={"text": json.dumps(vp)}).get_json()["summary"]
    assert summary["verified"] is False and summary["verdict"] == "unsettled"
    assert summary["counts"] == {"verified": 1, "self_asserted": 1, "status_unknown": 1, "failed": 0}
    unknown = [line for line in summary["credentials"] if line["outcome"] == "status_unknown"]
    assert len(unknown) == 1 and unknown[0]["category"] == "status_unknown"
    assert [p["code"] for p in unknown[0]["problems"]] == ["STATUS_UNKNOWN"]


def test_summary_of_a_forged_credential_is_not_verified(client, world):
    forged = endorsement(world)
    forged["credentialSubject"]["procedure"]["name"] = "Katheteriseren"
    body = client.post("/inspect", data={"text": json.dumps(forged)}).get_json()
    summary = body["summary"]
    assert summary["verdict"] == "not_verified"
    assert summary["counts"] == {"verified": 0, "self_asserted": 0, "status_unknown": 0, "failed": 1}
    assert summary["credentials"][0]["outcome"] == "invalid" and summary["credentials"][0]["category"] == "failed"


# --- in the browser ------------------------------------------------------------------------------
def _browser_available() -> None:
    if not Path(CHROMIUM).exists() and os.environ.get("CI") != "true":
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the page test needs it")


@pytest.fixture
def browser_page():
    _browser_available()
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))  # an uncaught exception in the script
        yield page, errors
        browser.close()


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def paste(page, base: str, document) -> str:
    page.goto(base + "/")
    page.wait_for_selector("html[data-terms=nl]", state="attached")  # the page's words are loaded
    page.fill("#qrtext", document if isinstance(document, str) else json.dumps(document))
    page.click("#form-text button[type=submit]")
    page.wait_for_selector("#result-body .banner")
    return page.locator("#result-body").inner_text()


def test_page_shows_an_unfetchable_status_as_amber_unknown_in_both_languages(unknown_status, browser_page):
    app, vp = unknown_status
    page, errors = browser_page
    server, base = serve(app)
    try:
        text = paste(page, base, vp)
        result = page.locator("#result-body")
        verdict = page.locator("#result-body .banner.unknown")
        assert verdict.count() == 1 and verdict.inner_text() == terms.term("verdict.unsettled", "nl")
        assert result.locator(".banner.bad").count() == 0  # not shown as failed
        assert "Niet geverifieerd" not in text and "Ongeldig" not in text
        badge = result.locator(".badge.status_unknown")
        assert badge.count() == 1 and badge.inner_text() == "Status onbekend"
        assert terms.problem("STATUS_UNKNOWN", "nl") in text  # the sentence for the code
        assert "Geverifieerd: 1 · Zelf opgegeven: 1 · Status onbekend: 1 · Klopt niet: 0" in text
        colour = page.eval_on_selector("#result-body .banner.unknown", "n => getComputedStyle(n).color")
        background = page.eval_on_selector("#result-body .banner.unknown",
                                           "n => getComputedStyle(n).backgroundColor")
        assert (colour, background) == ("rgb(107, 71, 0)", "rgb(255, 232, 163)")  # amber, 6.9:1
        Path(SCREENSHOT).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT, full_page=True)

        page.click("#lang-en")
        page.wait_for_selector("html[data-terms=en]", state="attached")
        page.wait_for_selector("#result-body .banner.unknown:has-text('Not certain yet')")
        english = result.inner_text()
        assert page.locator("#result-body .banner.unknown").inner_text() == terms.term("verdict.unsettled", "en")
        assert result.locator(".badge.status_unknown").inner_text() == "Status unknown"
        assert terms.problem("STATUS_UNKNOWN", "en") in english
        assert "Verified: 1 · Self-asserted: 1 · Status unknown: 1 · Does not check out: 0" in english
        assert "Not verified" not in english and "not valid" not in english.lower()
        page.set_viewport_size({"width": 390, "height": 844})  # a phone: the amber verdict wraps, no sideways scroll
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=SCREENSHOT.replace(".png", "-390.png"), full_page=True)
        assert errors == []
    finally:
        server.shutdown()


def test_page_shows_the_dutch_problem_text_of_a_forged_document(world, trust_files, sqlite_database,
                                                                 browser_page):
    page, errors = browser_page
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None))
    forged = endorsement(world)
    forged["credentialSubject"]["procedure"]["name"] = "Katheteriseren"
    library_message = app.test_client().post("/inspect", data={"text": json.dumps(forged)}).get_json()[
        "summary"]["credentials"][0]["problems"][0]["message"]
    server, base = serve(app)
    try:
        text = paste(page, base, forged)
        assert page.locator("#result-body .banner.bad").inner_text() == terms.term("verdict.not_verified", "nl")
        assert terms.problem("SIGNATURE_INVALID", "nl") in text
        assert library_message not in text  # never the library's English
        assert "Ongeldig of vervalst" in text and "Uitgegeven door" not in text  # its claims are not facts

        text = paste(page, base, "{\"a\": 1, \"a\": 2}")  # refused by the service: its code's sentence
        alert = page.locator("#result-body [role=alert]").inner_text()
        assert alert == f"Controle mislukt: {terms.problem('DUPLICATE_KEY', 'nl')}"
        assert "Code: DUPLICATE_KEY" in text and "duplicate key" not in text.lower()  # not the English detail
        page.click("#lang-en")
        page.wait_for_selector("#result-body [role=alert]:has-text('Check failed')")
        assert terms.problem("DUPLICATE_KEY", "en") in page.locator("#result-body").inner_text()
        assert errors == []
    finally:
        server.shutdown()


def test_page_counts_an_unknown_status_apart_among_several_codes(world, trust_files, sqlite_database, tmp_path,
                                                                  browser_page):
    """Two QR codes (a photo of a printed page): one credential whose status cannot be fetched,
    one verified. The summary banner is amber and names one unsettled document, none failed."""
    from passport import qr
    from passport.qr import encode_text

    page, errors = browser_page
    registry, url = unreachable_list(world, tmp_path)
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None,
                                 TRUST_REGISTRIES=[registry]))
    images = []
    for number, document in enumerate([issue_with_status(world, url), endorsement(world, "CertificaatCredential")]):
        images.append(str(tmp_path / f"code-{number}.png"))
        qr.render_png(encode_text(document), images[-1], box_size=4)
    server, base = serve(app)
    try:
        page.goto(base + "/")
        page.wait_for_selector("html[data-terms=nl]", state="attached")
        page.set_input_files("#photo", images)
        page.click("#form-photo button[type=submit]")
        page.wait_for_selector("#result-body .banner")
        result = page.locator("#result-body")
        text = result.inner_text()
        banner = result.locator(".banner.unknown").first
        assert banner.inner_text() == ("2 documenten gelezen. Van 1 daarvan kon de status niet worden gecontroleerd; "
                                       "verder klopt alles.")
        assert result.locator(".banner.bad").count() == 0 and "klopt niet:" not in text.lower().replace(
            "klopt niet: 0", "")
        assert "Geverifieerd: 1 · Zelf opgegeven: 0 · Status onbekend: 1 · Klopt niet: 0" in text
        unknown = result.locator("article.document.status_unknown")
        assert unknown.count() == 1 and terms.term("verdict.status_unknown", "nl") in unknown.inner_text()
        assert result.locator("article.document.verified").count() == 1
        assert errors == []
    finally:
        server.shutdown()

