"""The recruiter's page end to end in headless Chromium (Debian's chromium, driven by Playwright):
upload Ria's presentation, read the verified and self-asserted labels and the match, switch
language, reach every control with the keyboard; upload scans of her printed passport and read one
result per QR code. Saves /tmp/verifier-page.png and /tmp/pp/page-multi.png for a person to look at.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from passport import present, sign
from passport.roles.sharing import select_profile
from pages import ARGS, CHROMIUM, browser, playwright_api  # noqa: F401 (skips without chromium; browser: a fixture)
from verifier_helpers import NOW, base_config
from verifier_service import create_app

SCREENSHOT = "/tmp/verifier-page.png"
SCREENSHOT_MULTI = "/tmp/pp/page-multi.png"



@pytest.fixture
def live_server(trust_files, sqlite_database):
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()


def unfold(page) -> None:
    """Open "Alle details" (the result shows the verdict and the match first, the rest folded)."""
    page.evaluate("document.querySelectorAll('#result-body details.more').forEach((d) => { d.open = true; })")


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
        assert "Ria de Vries" not in result.inner_text()  # who she says she is: folded under "Alle details"
        page.click("#result-body details.more > summary")
        assert "Zelf opgegeven" in result.inner_text() and "Ria de Vries" in result.inner_text()
        assert "Aangetoond" in result.inner_text() and "leerpad" in result.inner_text()
        assert page.locator("#result-body [id=match-demonstrated]").count() == 1
        assert page.get_attribute("#result-body", "aria-live") == "polite"

        page.click("#lang-en")
        assert page.locator("h1").inner_text() == "Check a passport"
        assert page.evaluate("document.documentElement.lang") == "en"
        page.locator("html[data-terms=en]").wait_for(state="attached")
        unfold(page)
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


def pasted(browser, base: str, document: dict):
    """A new page of the verifier at ``base`` that has checked ``document``, pasted as text."""
    page = browser.new_page()
    page.set_default_timeout(10_000)
    page.goto(base + "/")
    page.fill("#qrtext", json.dumps(document))
    page.click("#form-text button[type=submit]")
    return page


def test_page_shows_a_revoked_endorsement(live_server, world, browser):
    """A presentation file not made for this verifier is marked as possibly a copy."""
    base, _app = live_server
    page = pasted(browser, base, present([world.profile, world.endorsements[0]], world.holder, now=NOW))
    page.wait_for_selector("#result-body .banner.warn")
    assert "niet gemaakt als antwoord op een verzoek" in page.locator("#result-body").inner_text()


def test_printing_unfolds_the_details_and_folds_them_again_after(live_server, world, browser):
    """Chromium unfolds them by CSS (::details-content); other browsers only by the page's
    beforeprint handler, which this drives: the folds opened for printing close after it."""
    base, _app = live_server
    page = pasted(browser, base, present([world.profile, world.endorsements[0]], world.holder, now=NOW))
    page.wait_for_selector("#result-body details.more", state="attached")
    opened = "[...document.querySelectorAll('#result-body details')].map((d) => d.open)"
    assert page.evaluate(opened) == [False]
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(opened) == [True]
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(opened) == [False]
    page.click("#result-body details.more > summary")  # opened by the reader: stays open after printing
    page.evaluate("window.dispatchEvent(new Event('beforeprint')); window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(opened) == [True]


def test_page_shows_every_code_of_a_printed_passport(live_server, world, tmp_path):
    """A scan of one printed page gives one result per QR code; a forged code among them is shown
    as not verified beside the verified ones; all pages at once are shown together with the
    person's self-asserted profile and the match with the job."""
    from test_verifier_inspect_pdf import codes_on, print_passport, scan, sheets, tampered

    from passport.format.documents import CERTIFICAAT_TYPE, PROFILE_TYPE

    endorsements, forged_id = tampered(world, CERTIFICAAT_TYPE)
    info, pdf = print_passport(world, tmp_path, endorsements)
    pages = scan(pdf)
    files = {n: tmp_path / f"scan-{n}.png" for n in pages if codes_on(info, n)}
    for n, path in files.items():
        path.write_bytes(pages[n])
    # the pages that hold whole documents (a series of QR codes may run onto the next page)
    forged_page = next(group for group in sheets(info) if forged_id in codes_on(info, *group))
    profile_ids = {code.credential_id for code in info.codes if code.kind == PROFILE_TYPE}
    clean_page = next(group for group in sheets(info) if group != forged_page and len(codes_on(info, *group)) >= 2
                      and not profile_ids & set(codes_on(info, *group)))
    assert len(codes_on(info, *forged_page)) >= 2
    documents = len(codes_on(info, *files))

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(10_000)
        page.goto(live_server[0] + "/")
        result = page.locator("#result-body")

        def upload(*numbers: int) -> str:
            page.evaluate("document.getElementById('result-body').replaceChildren()")
            page.set_input_files("#photo", [str(files[n]) for n in numbers])
            page.click("#form-photo button[type=submit]")
            page.wait_for_selector("#result-body .banner")
            unfold(page)
            return result.inner_text()

        count = len(codes_on(info, *clean_page))
        text = upload(*clean_page)
        assert result.locator("article.document").count() == count
        assert result.locator("article.document.verified").count() == count
        assert f"{count} documenten gelezen. Alle controles kloppen." in text and "Echt, actueel" in text
        assert "Documenten over" in text and "losse documenten" in text  # paper is bound to no one

        count = len(codes_on(info, *forged_page))
        text = upload(*forged_page)
        assert result.locator("article.document").count() == count
        forged = result.locator("article.document.invalid")
        assert forged.count() == 1 and "Ongeldig of vervalst" in forged.inner_text()
        assert "Niet geverifieerd: dit document telt niet mee." in forged.inner_text()
        assert "De handtekening klopt niet" in forged.inner_text()  # the reason, in the page's language
        assert result.locator("article.document.verified").count() == count - 1
        assert f"{count} documenten gelezen. 1 daarvan klopt niet" in text

        page.wait_for_selector("#job option[value='begeleider-gehandicaptenzorg']", state="attached")
        page.select_option("#job", "begeleider-gehandicaptenzorg")
        text = upload(*files)
        assert result.locator("article.document").count() == documents
        assert result.locator("article.document.invalid").count() == 1
        assert result.locator("article.document.self_asserted").count() == 1  # her profile: never "verified"
        assert result.locator("article.document.verified").count() == documents - 2
        assert "Documenten over Ria de Vries" in text and "Wie de persoon zegt te zijn" in text
        assert page.locator("#result-body h3").count() == 1  # one person: everything together
        assert page.locator("#result-body [id=match-demonstrated-s0]").count() == 1
        assert "Op basis van alle geverifieerde documenten" in text
        headings = page.eval_on_selector_all("#result-body article", "nodes => nodes.map(n => "
                                             "document.getElementById(n.getAttribute('aria-labelledby')).tagName)")
        assert headings == ["H5"] * documents
        assert page.get_attribute("#result-body", "aria-live") == "polite"
        Path(SCREENSHOT_MULTI).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_MULTI, full_page=True)

        page.click("#lang-en")
        page.locator("html[data-terms=en]").wait_for(state="attached")
        unfold(page)
        english = result.inner_text()
        assert f"{documents} documents read. 1 of them does not check out" in english
        assert "Not verified: this document does not count." in english and "Documents about Ria de Vries" in english
        browser.close()
