"""The recruiter's page end to end in headless Chromium (Debian's chromium, driven by Playwright):
upload Ria's presentation, read the verified and self-asserted labels and the match, switch
language, reach every control with the keyboard. Saves /tmp/verifier-page.png for a person to look at.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from passport import present, sign
from passport.sharing import select_profile
from verifier_helpers import NOW, base_config
from verifier_service import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = "/tmp/verifier-page.png"

if not Path(CHROMIUM).exists() and os.environ.get("CI") != "true":
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the page test needs it",
                allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api") if os.environ.get("CI") != "true" else \
    __import__("playwright.sync_api", fromlist=["sync_playwright"])


@pytest.fixture
def live_server(trust_files, sqlite_database):
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()


def ria_presentation(world, challenge: str, domain: str) -> dict:
    shared = select_profile(world.profile, blocks=["talenten", "skills", "werkEnDenkniveau", "doelEnMotivatie"])
    profile = sign(shared, world.holder, created=NOW)
    return present([profile, *world.endorsements], world.holder, now=NOW, challenge=challenge, domain=domain)


def test_page_end_to_end(live_server, world, tmp_path):
    base, app = live_server
    created = app.test_client().post("/challenges", json={}, base_url=base).get_json()
    path = tmp_path / "ria-presentation.json"
    path.write_text(json.dumps(ria_presentation(world, created["challenge"], created["domain"])), encoding="utf-8")

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(10_000)
        page.goto(base + "/")
        assert page.locator("h1").inner_text() == "Paspoort controleren"
        page.wait_for_selector("#job option[value='begeleider-gehandicaptenzorg']", state="attached")
        page.select_option("#job", "begeleider-gehandicaptenzorg")
        page.set_input_files("#file", str(path))
        page.click("#form-file button[type=submit]")
        page.wait_for_selector("#result-body .banner")
        result = page.locator("#result-body")
        assert "Alle certificaten zijn echt" in result.inner_text()
        assert result.locator(".badge.verified").count() >= 4  # endorsements, verified by their issuers
        assert "Geverifieerd" in result.inner_text()
        assert "Zelf opgegeven" in result.inner_text() and "Ria de Vries" in result.inner_text()
        assert "Aangetoond" in result.inner_text() and "leerpad" in result.inner_text()
        assert page.locator("#result-body [id=match-demonstrated]").count() == 1
        assert page.get_attribute("#result-body", "aria-live") == "polite"

        page.click("#lang-en")
        assert page.locator("h1").inner_text() == "Check a passport"
        assert page.evaluate("document.documentElement.lang") == "en"
        english = result.inner_text()
        assert "Verified" in english and "Self-asserted" in english and "Demonstrated" in english
        assert "learning path" in english

        page.screenshot(path=SCREENSHOT, full_page=True)

        page.click("#lang-nl")
        page.evaluate("document.activeElement.blur()")
        page.focus("body")
        reached = set()
        for _ in range(30):
            page.keyboard.press("Tab")
            reached.add(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        assert {"lang-nl", "lang-en", "job", "file", "photo", "qrtext", "request"} <= reached, reached
        browser.close()


def test_page_shows_a_revoked_endorsement(live_server, world, tmp_path):
    """A presentation file not made for this verifier is marked as possibly a copy."""
    base, _app = live_server
    vp = present([world.profile, world.endorsements[0]], world.holder, now=NOW)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        page.set_default_timeout(10_000)
        page.goto(base + "/")
        page.fill("#qrtext", json.dumps(vp))
        page.click("#form-text button[type=submit]")
        page.wait_for_selector("#result-body .banner.warn")
        assert "niet gemaakt als antwoord op een verzoek" in page.locator("#result-body").inner_text()
        browser.close()
