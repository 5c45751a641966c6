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

import os
from pathlib import Path

import pytest

from desk_helpers import EVIDENCE, redeem
from oid4vci_helpers import served_issuer

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).resolve().parents[1] / "interop" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path("/tmp/desk-shots")
CI = os.environ.get("CI") == "true"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth"

if not Path(CHROMIUM).exists() and not CI:
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the page tests need it",
                allow_module_level=True)
playwright_api = __import__("playwright.sync_api", fromlist=["sync_playwright"]) if CI else \
    pytest.importorskip("playwright.sync_api")


@pytest.fixture
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


class Screens:
    """One page at one width: a screenshot, the width check and axe-core after every screen."""

    def __init__(self, browser, width: str) -> None:
        # bypass_csp: the test injects axe-core; the desk's own CSP allows no such script
        self.context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.width = width
        self.console: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text)
                     if message.type == "error" else None)
        SHOTS.mkdir(exist_ok=True)

    def look(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        page.screenshot(path=str(SHOTS / f"desk-{name}-{self.width}.png"), full_page=True)
        assert not page.evaluate(WIDER_THAN_SCREEN), f"{name} is wider than the {self.width} screen"
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))""")
        assert violations == [], f"axe-core on {name} ({self.width}): {violations}"
        assert [text for text in self.console if "401" not in text] == [], self.console


def axe_or_skip() -> None:
    if not AXE.exists():
        if CI:
            pytest.fail(f"{AXE} is missing: .ci/run installs it with npm ci --prefix tests/interop")
        pytest.skip(f"axe-core is not installed ({AXE} missing): run npm ci --prefix tests/interop")


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
