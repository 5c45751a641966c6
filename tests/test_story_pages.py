"""Issue 16's story, end to end through the three screens, in Debian's chromium (Playwright), as the
people would use them: Ria's wallet app, the examiner's issuing desk and the recruiter's page, each
served live on 127.0.0.1 (the issuer with its desk, the verifier, the app over a new wallet), all on
the real clock.

1. Ria opens the app with its start link, makes her wallet, builds her profile in the guided
   builder (her name; "Wat wil ik?": a goal; "Wat kan ik?": a skill), each save signed, and locks it.
2. The practice examiner signs in at /desk/ with her staff token (scope ``vrh:*``), makes an
   "aantoonbaar bekwaam" certificate for "medicatie aanreiken" (date, method, her name, location,
   the signed assessment form as evidence) and gets
   the offer's QR code and transaction code on screen.
3. Ria unlocks the app and holds the desk's QR code in front of the camera (chromium's fake camera
   plays a video made from a screenshot of the QR code on the desk's page), types the code and
   keeps the certificate; in "Mijn paspoort" she has its status checked: valid.
4. The recruiter opens the verifier's page, chooses the job "begeleider gehandicaptenzorg" (which
   needs "medicatie aanreiken") and makes an OpenID4VP request; its QR code shows.
5. Ria scans that QR code with the app's camera, sees who asks (registered: Zorggroep De Brug) and
   what, and agrees.
6. The recruiter's page shows the verdict and, under the match with the job, the requirement
   "Medicatie aanreiken volgens protocol" as demonstrated, issued by the examiner's organisation.

The fake camera plays one file for the whole browser; chromium opens it again each time a page
turns the camera on, so the test writes the next QR code's video over it (``os.replace``) before
Ria turns the camera on. Every screen the story passes is checked with axe-core, for width and for
console errors; screenshots go to /tmp/story-shots/ (numbered in story order) for a person to look at.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

import pages
from app_protocol_support import employer_entry, registry_trust, served_issuer, served_verifier, signed_registry
from desk_helpers import EVIDENCE
from pages import CAMERA_ARGS, WIDTHS, axe_or_skip, camera_video, launch, playwright_api
from test_app_pages import add
from app_support import wallet_app  # noqa: F401 (fixture)
from test_wallet_support import PASSPHRASE

SHOTS = Path("/tmp/story-shots")
JOB = "begeleider-gehandicaptenzorg"
EXAMINER = "Stichting De Wilgenhoeve"
EMPLOYER = "Zorggroep De Brug"
CUSTOMERS = "http://data.europa.eu/esco/skill/870644c8-5fa8-4e19-9f5d-7e8af62ccc01"  # ESCO: communicate with customers


def real_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Services:
    issuer: str
    examiner_token: str
    verifier: str
    registry: dict


@pytest.fixture
def services(tmp_path):
    """The examiner's organisation (issuer service with its desk) and the employer's verifier, whose
    trust registry lists the issuer (examiner, AantoonbaarBekwaam, scope vrh:*, its status lists)."""
    (tmp_path / "issuer").mkdir()
    (tmp_path / "verifier").mkdir()
    with served_issuer(tmp_path / "issuer", NAME=EXAMINER, URL="https://wilgenhoeve.example") as (base, app, tokens):
        examiner = {"id": app.extensions["paspoort_issuer"].keyring.did, "name": EXAMINER, "role": "examinator",
                    "credentialTypes": ["AantoonbaarBekwaamCredential"], "scope": ["vrh:*"],
                    "statusLists": [base + "/status-lists/"]}
        registry = signed_registry(examiner, employer_entry())
        with served_verifier(tmp_path / "verifier", registry_document=registry, CLOCK=real_now,
                             OFFLINE_BUNDLE=None) as verifier:
            yield Services(base, tokens["examinator"], verifier, registry)


class Screens(pages.Screens):
    """One person's page; ``look(what)`` names the screenshot by its place in the story and the person."""

    shown = 0  # screens looked at so far in this story, by anyone

    def __init__(self, browser, width: str, who: str, **context) -> None:
        super().__init__(browser, width, SHOTS, "story", timeout_ms=30_000, **context)
        self.who = who

    def look(self, what: str) -> None:
        Screens.shown += 1
        super().look(f"{Screens.shown:02d}-{self.who}-{what}")


def show_to_camera(element, video: Path, tmp_path: Path, name: str) -> None:
    """The QR code on another person's screen, held in front of Ria's camera: a screenshot of the
    element becomes the video the fake camera plays the next time a page turns it on."""
    png = tmp_path / f"{name}.png"
    element.screenshot(path=str(png))
    os.replace(camera_video(png, tmp_path / f"{name}.y4m"), video)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_ria_builds_receives_and_answers_and_the_recruiter_sees_the_match(services, wallet_app, tmp_path, width):
    axe_or_skip()
    url, state = wallet_app(real_now, tmp_path / "ria.wallet", allow_http_hosts=("127.0.0.1",))
    state.trust = registry_trust(services.registry, real_now())  # her own trust registry: the same one
    video = camera_video([None], tmp_path / "camera.y4m")  # nothing in front of the camera yet
    with playwright_api.sync_playwright() as p:
        browser = launch(p, *CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}")
        Screens.shown = 0
        ria = Screens(browser, width, "ria", permissions=["camera"])
        examiner = Screens(browser, width, "examiner", watch=lambda text: True, errors_only=True)
        recruiter = Screens(browser, width, "recruiter")
        app = ria.page

        # 1. Ria makes her wallet and builds her profile
        app.goto(url)
        app.fill("#new-passphrase", PASSPHRASE)
        app.fill("#new-passphrase-again", PASSPHRASE)
        ria.look("create")
        app.click("#create")
        assert app.locator("h1").inner_text() == "Mijn profiel"
        app.fill("#profile-name", "Ria de Vries")
        app.click("#save-name")
        add(app, "talenten", "Rustig blijven bij conflicten", "Blijft kalm als reizigers boos zijn.", kind="getoond")
        ria.look("profile-wie")
        app.click("#next-step")
        add(app, "doelEnMotivatie", "Begeleider gehandicaptenzorg", hours="32", sectors="gehandicaptenzorg")
        ria.look("profile-wil")
        app.click("#next-step")
        add(app, "skills", "Klantcontact en service", years="19", link=(CUSTOMERS, "communicate with customers"))
        assert "Klantcontact en service" in app.locator("#entry-klantcontact-en-service").inner_text()
        ria.look("profile-kan")
        profile = state.wallet.data["profile"]
        assert profile["proof"]["verificationMethod"].startswith(state.wallet.holder_key.did)  # signed, by her key
        subject = profile["credentialSubject"]
        assert subject["name"] == "Ria de Vries"
        assert [e["id"] for e in subject["skills"]] == ["klantcontact-en-service"]
        assert [e["id"] for e in subject["doelEnMotivatie"]] == ["begeleider-gehandicaptenzorg"]
        app.click("#lock")
        assert app.locator("h1").inner_text() == "Wallet openen"
        ria.look("locked")

        # 2. The examiner makes the certificate at the desk
        desk = examiner.page
        desk.goto(services.issuer + "/desk/")
        assert desk.locator("h1").inner_text() == "Aanmelden"
        examiner.look("sign-in")
        desk.fill("#token", services.examiner_token)
        desk.click("#sign-in")
        desk.wait_for_url("**/desk/new")
        desk.fill("#procedure-search", "medicatie aan")
        desk.check("#procedure-vrh-medicatie-aanreiken")
        desk.fill("#assessment_date", real_now().date().isoformat())
        desk.fill("#method", "Observatie bij drie medicatierondes en een criteriumgericht interview")
        desk.fill("#examiner", "Marleen Kuipers")
        desk.fill("#location", "Woonvoorziening De Hoeksteen, Tiel")
        evidence = tmp_path / "beoordelingsformulier.pdf"
        evidence.write_bytes(EVIDENCE)
        desk.set_input_files("#evidence", str(evidence))
        examiner.look("new-filled")
        desk.click("#make-offer")
        assert desk.locator("h1").inner_text() == "Geef deze code aan de medewerker", desk.locator("main").inner_text()
        tx_code = desk.locator("#tx-code").inner_text()
        assert len(tx_code) == 6 and tx_code.isdigit()
        desk.locator("#offer-qr").wait_for()
        assert desk.locator("#offer-qr").evaluate("img => img.naturalWidth") > 0
        examiner.look("offer")
        show_to_camera(desk.locator("#offer-qr"), video, tmp_path, "offer")

        # 3. Ria scans the offer with the camera, types the code, keeps the certificate
        app.fill("#passphrase", PASSPHRASE)
        app.click("#unlock")
        assert app.locator("h1").inner_text() == "Mijn profiel"
        app.click("#nav-receive")
        assert app.locator("#scan-offer-start").is_visible()
        ria.look("receive")
        app.click("#scan-offer-start")
        app.wait_for_url("**/ontvangen/aanbod/*")  # the camera found the code and sent the form
        assert app.locator("#offer-name").inner_text() == EXAMINER
        assert app.locator("#offer-registered").is_visible()
        ria.look("offer")
        app.fill("#tx-code", tx_code)
        app.click("#offer-accept")
        app.locator("#received, #problem").first.wait_for()
        assert app.locator("#received").count() == 1, app.locator("main").inner_text()
        banner = app.locator("#received").inner_text()
        assert "Bewaard" in banner and f"Opgehaald bij {EXAMINER}" in banner, banner
        app.click("#nav-passport")
        card = app.locator("li.document").filter(has_text="Medicatie aanreiken")
        assert card.count() == 1 and EXAMINER in card.inner_text()
        # its status was read from the desk's status list right after receiving, over HTTP
        assert card.locator(".badge").inner_text() == "Geldig", card.inner_text()
        app.click("#refresh")  # "check now whether everything still holds": the same answer again
        card = app.locator("li.document").filter(has_text="Medicatie aanreiken")
        assert card.locator(".badge").inner_text() == "Geldig", card.inner_text()
        ria.look("passport")

        # 4. The recruiter asks for the passport, for the job
        page = recruiter.page
        page.goto(services.verifier + "/")
        page.locator(f"#job option[value='{JOB}']").wait_for(state="attached")
        page.select_option("#job", JOB)
        recruiter.look("job")
        page.click("#request")
        page.locator("#request-box:not([hidden])").wait_for()
        page.wait_for_function("document.getElementById('request-qr').naturalWidth > 0")
        assert page.locator("#request-status").inner_text() == "Wachten op het antwoord van de kandidaat…"
        page.locator("#request-way").scroll_into_view_if_needed()
        recruiter.look("request")
        show_to_camera(page.locator("#request-qr"), video, tmp_path, "request")

        # 5. Ria scans the request, sees who asks and what, and agrees
        app.click("#nav-share")
        app.click("#share-request-link")
        assert app.locator("h1").inner_text() == "Verzoek van een werkgever beantwoorden"
        ria.look("request-ways")
        app.click("#scan-request-start")
        app.wait_for_url("**/delen/verzoek/*")
        assert EMPLOYER in app.locator("#request-registered").inner_text()
        asked = app.locator("#request-items").inner_text()
        assert "Je profiel: Skills, Talenten, Werk- en denkniveau, Doel & motivatie" in asked, asked
        assert "Aantoonbaar bekwaam" in asked, asked
        sent = app.locator("#request-preview").inner_text()
        assert "Klantcontact en service" in sent and "Begeleider gehandicaptenzorg" in sent, sent
        assert f"Aantoonbaar bekwaam: Medicatie aanreiken (vrh:medicatie-aanreiken) ({EXAMINER})" in sent, sent
        ria.look("request")
        app.click("#request-send")
        assert "alles klopt" in app.locator("#request-verdict").inner_text()
        ria.look("sent")

        # 6. The recruiter sees the verdict and the match
        page.locator("#result-body .banner").wait_for()
        assert page.locator("#request-status").inner_text() == "Antwoord ontvangen."
        result = page.locator("#result-body").inner_text()
        assert "Alle certificaten zijn echt" in result and "Status onbekend: 0" in result, result
        assert "opgeslagen statusinformatie" not in result  # no offline bundle: the issuer's list, fetched now
        demonstrated = page.locator("#result-body section[aria-labelledby=match-demonstrated]").inner_text()
        assert "Medicatie aanreiken volgens protocol" in demonstrated and EXAMINER in demonstrated, demonstrated
        claimed = page.locator("#result-body section[aria-labelledby=match-claimed]").inner_text()
        assert "Contact maken en communiceren" in claimed and "Alleen zelf opgegeven" in claimed, claimed  # her skill
        assert "Medicatie aanreiken" not in claimed
        recruiter.look("result")
        browser.close()
