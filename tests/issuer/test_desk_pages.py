"""The issuing desk in a real browser (Debian's chromium, driven by Playwright) at desktop (1280 px)
and phone (390 px) width, as the wallet app's page tests do (tests/test_app_pages.py).

The examiner signs in with the keyboard, finds a procedure in her scope by searching, issues an
AantoonbaarBekwaam certificate (date, method, evidence file), sees the offer's QR code and
transaction code; the worker's wallet collects it; the examiner finds it under Issued, suspends
it with a reason, sees the audit trail, and signs out. Every screen is checked with axe-core
(``npm ci --prefix tests/interop``) and has no violations; nothing is wider than the screen.
Screenshots of every screen at both widths go to /tmp/desk-shots/ for a person to look at.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import pages
from desk_helpers import EVIDENCE, redeem
from oid4vci_helpers import served_issuer
from pages import WIDTHS, axe_or_skip, browser  # noqa: F401 (browser: a fixture)

SHOTS = Path("/tmp/desk-shots")


class Screens(pages.Screens):
    """One page at one width: a screenshot, the width check and axe-core after every screen; any
    console error but the 401 of a refused sign-in fails it."""

    def __init__(self, browser, width: str) -> None:
        super().__init__(browser, width, SHOTS, "desk", watch=lambda text: "401" not in text, errors_only=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_examiner_issues_an_aantoonbaar_bekwaam_and_suspends_it(browser, tmp_path, width):
    axe_or_skip()
    evidence = tmp_path / "beoordelingsformulier.pdf"
    evidence.write_bytes(EVIDENCE)
    with served_issuer(tmp_path, NAME="Stichting De Wilgenhoeve", URL="https://wilgenhoeve.example") as (
            base, app, tokens):
        screens = Screens(browser, width)
        page = screens.page
        page.goto(base + "/desk/")
        assert page.locator("h1").inner_text() == "Aanmelden"
        screens.look("sign-in")
        page.fill("#token", "psi_wrong")
        page.click("#sign-in")
        assert "werkt niet" in page.locator("#problem").inner_text()
        screens.look("sign-in-wrong")
        page.focus("#token")  # by keyboard: type the token, Enter
        page.keyboard.type(tokens["examinator"])
        page.keyboard.press("Enter")
        page.wait_for_url("**/desk/new")
        assert "examinator-staff" in page.locator("#who").inner_text()
        screens.look("new")

        page.focus("#procedure-search")
        page.keyboard.type("medicatie aan")
        assert page.locator("#procedure-list .choice:visible").count() == 1
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        assert page.is_checked("#procedure-vrh-medicatie-aanreiken")
        page.fill("#assessment_date", "2026-11-20")
        page.fill("#method", "Observatie bij drie medicatierondes en een criteriumgericht interview")
        page.fill("#location", "Woonvoorziening De Hoeksteen, Tiel")
        page.set_input_files("#evidence", str(evidence))
        screens.look("new-filled")
        page.click("#make-offer")
        assert page.locator("h1").inner_text() == "Geef deze code aan de medewerker"
        tx_code = page.locator("#tx-code").inner_text()
        link = page.locator("#offer-link").inner_text()
        assert len(tx_code) == 6 and tx_code.isdigit() and link.startswith("openid-credential-offer://")
        assert page.locator("#offer-qr").evaluate("img => img.naturalWidth") > 0
        screens.look("offer")

        credential = redeem(app.test_client(), link, tx_code, base=base)  # the worker's wallet collects it
        assert credential["credentialSubject"]["procedure"]["code"] == "vrh:medicatie-aanreiken"

        page.click("#nav-issued")
        page.fill("#q", "medicatie")
        page.click("#search")
        item = page.locator("#issued li").first
        assert "Aantoonbaar bekwaam: medicatie aanreiken" in item.inner_text() and "Geldig" in item.inner_text()
        screens.look("issued")
        item.locator("a").click()
        screens.look("credential")
        page.check("#action-suspend")
        page.fill("#reason", "Twijfel na een melding; opnieuw beoordelen")
        page.click("#save-status")
        assert page.locator("#state").inner_text() == "Geschorst"
        assert "Twijfel na een melding" in page.locator("#audit").inner_text()
        assert "examinator-staff" in page.locator("#audit").inner_text()
        screens.look("suspended")

        page.click("#lang-en")
        assert page.locator("#state").inner_text() == "Suspended"
        screens.look("suspended-en")
        page.click("#sign-out")
        assert page.locator("h1").inner_text() == "Sign in" and "signed out" in page.locator("#notice").inner_text()
        screens.look("signed-out")
        page.goto(base + "/desk/issued")
        assert page.locator("h1").inner_text() in ("Aanmelden", "Sign in")
        screens.context.close()
