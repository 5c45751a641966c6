"""The wallet app in a real browser (Debian's chromium, driven by Playwright, as
tests/verifier/test_verifier_page.py launches it), at desktop (1280 px) and phone (390 px) width.

Ria unlocks her wallet, builds her profile by the three questions, receives an endorsement file,
shares a chosen part as QR codes and as a file, makes a backup with a recovery code and restores
it. Every screen is checked with axe-core (``tests/interop``: ``npm ci --prefix tests/interop``)
and has no violations; nothing is wider than the screen. Screenshots of every screen at both
widths go to /tmp/app-shots/ for a person to look at.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import pages
from app_support import Clock, ria_wallet_file, wallet_app  # noqa: F401 (wallet_app: a fixture)
from pages import WIDTHS, axe_or_skip, browser  # noqa: F401 (browser: a fixture)
from support import NOW
from passport import check
from test_wallet_support import PASSPHRASE, endorsement, ria_world

SHOTS = Path("/tmp/app-shots")


class Screens(pages.Screens):
    """One browser page at one width: axe after every screen, a screenshot of each, no side scrolling."""

    def __init__(self, browser, width: str, prefix: str) -> None:
        super().__init__(browser, width, SHOTS, prefix, accept_downloads=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_ria_builds_shares_receives_and_backs_up(wallet_app, browser, tmp_path, width):
    axe_or_skip()
    url, state = wallet_app(Clock(), ria_wallet_file(tmp_path / "ria.wallet", with_profile=False, endorsements=False))
    screens = Screens(browser, width, "flow")
    page = screens.page
    page.goto(url)
    assert page.locator("h1").inner_text() == "Wallet openen"
    screens.look("unlock")
    page.fill("#passphrase", "wrong passphrase")
    page.click("#unlock")
    assert "klopt niet" in page.locator("#problem").inner_text()
    screens.look("unlock-wrong")
    page.fill("#passphrase", PASSPHRASE)
    page.click("#unlock")
    assert page.locator("h1").inner_text() == "Mijn profiel"

    # Wie ben ik?
    page.fill("#profile-name", "Ria de Vries")
    page.click("#save-name")
    screens.look("profile-wie-start")
    add(page, "talenten", "Rustig blijven bij conflicten", "Blijft kalm als reizigers boos zijn.", kind="getoond")
    page.click("#add-talenten")
    screens.look("entry-new-talent")
    page.click("text=" + "Terug naar je profiel")
    add(page, "wendbaarheid", "Gewend aan onregelmatige diensten")
    screens.look("profile-wie")
    page.click("#next-step")
    # Wat wil ik?
    add(page, "drijfveren", "Betekenisvol werk met mensen")
    add(page, "doelEnMotivatie", "Begeleider gehandicaptenzorg", hours="32", sectors="gehandicaptenzorg",
        start="2027-01-01")
    add(page, "doelEnMotivatie", "Fysieke belastbaarheid", "Niet zwaarder tillen dan 10 kg.", sensitive=True)
    screens.look("profile-wil")
    page.click("#next-step")
    # Wat kan ik?
    add(page, "skills", "Klantcontact en service", years="19",
        link=("http://data.europa.eu/esco/skill/870644c8-5fa8-4e19-9f5d-7e8af62ccc01", "communicate with customers"))
    add(page, "werkEnDenkniveau", "Werk- en denkniveau mbo 3", level=("mbo", "3"))
    screens.look("profile-kan")
    source = state.wallet.data["profileSource"]
    assert [len(source[key]) for key in ("talenten", "skills", "drijfveren", "wendbaarheid", "werkEnDenkniveau",
                                         "doelEnMotivatie")] == [1, 1, 1, 1, 1, 2]
    assert source["doelEnMotivatie"][1]["sensitive"] is True and source["doelEnMotivatie"][0]["hoursPerWeek"] == 32
    assert source["skills"][0]["alignment"][0]["targetFramework"] == "ESCO"
    assert source["werkEnDenkniveau"][0]["level"] == {"framework": "mbo", "level": 3}

    # Ontvangen: the BHV certificate as a file
    bhv = endorsement("CertificaatCredential")
    (tmp_path / "bhv-certificaat.json").write_text(json.dumps(bhv), encoding="utf-8")
    page.click("#nav-receive")
    screens.look("receive")
    page.set_input_files("#receive-file", str(tmp_path / "bhv-certificaat.json"))
    page.click("#receive-file-submit")
    assert "Bewaard" in page.locator("#received").inner_text()
    screens.look("received")
    page.click("#nav-passport")
    assert "BHV" in page.locator("main").inner_text() or len(state.wallet.credentials) == 1
    screens.look("passport")

    # Delen: two blocks' entries and the certificate; the sensitive entry stays off
    page.click("#nav-share")
    assert not page.is_checked("#entry-fysieke-belastbaarheid")
    for block in ("talenten", "wendbaarheid", "drijfveren", "werkEnDenkniveau"):
        page.uncheck(f"#block-{block}")  # the page unticks the block's entries with it
    assert not page.is_checked("#entry-rustig-blijven-bij-conflicten")
    screens.look("share")
    page.click("#make-share")
    assert page.locator("h1").inner_text() == "Klaar om te delen"
    assert page.locator("img.qr").count() >= 1
    screens.look("shared")
    with page.expect_download() as download:
        page.click("#download-file")
    presentation = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    report = check(presentation, now=NOW, status=ria_world().status_documents)
    assert report.verified
    profile = next(c for c in presentation["verifiableCredential"] if "PersoonlijkProfielCredential" in c["type"])
    subject = profile["credentialSubject"]
    assert [e["id"] for e in subject["skills"]] == ["klantcontact-en-service"]
    assert [e["id"] for e in subject["doelEnMotivatie"]] == ["begeleider-gehandicaptenzorg"]  # not the sensitive one
    assert subject["talenten"] == [] and len(presentation["verifiableCredential"]) == 2
    with page.expect_download() as pdf:
        page.click("#download-pdf")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")

    # Back-up with a recovery code, then restore with the code and a new passphrase
    page.click("#nav-backup")
    screens.look("backup")
    page.fill("#backup-passphrase", PASSPHRASE)
    page.click("#make-backup")
    code = page.locator("#recovery-code").inner_text()
    screens.look("backup-made")
    with page.expect_download() as saved:
        page.click("#download-backup")
    backup = tmp_path / "backup.json"
    backup.write_bytes(Path(saved.value.path()).read_bytes())
    page.click("#nav-backup")
    assert page.locator("#recovery-code").count() == 0  # shown once
    page.set_input_files("#restore-file", str(backup))
    page.check("#with-code")
    assert page.is_hidden("#restore-passphrase") and page.is_visible("#restore-code")
    page.fill("#restore-code", code)
    page.fill("#restore-new", "een nieuwe zin voor Ria")
    page.fill("#restore-new-again", "een nieuwe zin voor Ria")
    page.check("#restore-replace")
    page.click("#restore")
    assert "teruggezet" in page.locator("main").inner_text()
    assert len(state.wallet.credentials) == 1 and state.wallet.data["profileSource"]["name"] == "Ria de Vries"
    screens.look("restored")

    page.click("#lang-en")
    assert page.locator("h1").inner_text() == "My passport"
    page.click("#nav-profile")
    screens.look("profile-en")
    page.click("#lock")
    assert page.locator("h1").inner_text() == "Open your wallet" and state.wallet is None
    screens.context.close()


def add(page, block: str, name: str, description: str = "", *, kind: str | None = None, years: str | None = None,
        hours: str | None = None, sectors: str | None = None, start: str | None = None, sensitive: bool = False,
        link: tuple[str, str] | None = None, level: tuple[str, str] | None = None) -> None:
    """Add an entry through its form, as a person would, and come back to the profile."""
    page.click(f"#add-{block}")
    page.fill("#name", name)
    if description:
        page.fill("#description", description)
    if kind:
        page.check(f"#kind-{kind}")
    if years:
        page.fill("#experienceYears", years)
    if hours:
        page.fill("#hoursPerWeek", hours)
    if sectors:
        page.fill("#sectors", sectors)
    if start:
        page.fill("#startDate", start)
    if link:
        page.fill("#link_url", link[0])
        page.fill("#link_name", link[1])
    if level:
        page.select_option("#level_framework", level[0])
        page.fill("#level", level[1])
    if sensitive:
        page.check("#sensitive")
    page.click("#save-entry")
    banner = page.locator("main .banner").first.inner_text()
    assert "Opgeslagen" in banner, banner


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_screen_of_a_full_wallet(wallet_app, browser, tmp_path, width):
    """Ria's whole example wallet: each screen, the entry form of an endorsed entry, the keyboard."""
    axe_or_skip()
    url, state = wallet_app(Clock(), ria_wallet_file(tmp_path / "ria.wallet", with_profile=True, endorsements=True))
    screens = Screens(browser, width, "full")
    page = screens.page
    page.goto(url)
    page.fill("#passphrase", PASSPHRASE)
    page.click("#unlock")
    for step in ("wie", "wil", "kan"):
        page.click(f"#step-{step}")
        screens.look(f"profile-{step}")
    page.goto(url.split("/start")[0] + "/profiel/talenten/rustig-bij-conflicten")
    assert "bevestigd (door" in page.locator("main").inner_text()
    screens.look("entry-endorsed")
    page.goto(url.split("/start")[0] + "/profiel/skills/ondersteuningsplan/verwijderen")
    screens.look("remove")
    for screen in ("passport", "share", "receive", "backup"):
        page.click(f"#nav-{screen}")
        screens.look(screen)
    page.click("#nav-share")
    page.uncheck("#entry-overzicht-in-drukte")  # one entry of a ticked block
    assert page.evaluate("document.getElementById('block-talenten').indeterminate")
    page.click("#make-share")
    shared = next(iter(state.shares.values()))
    assert "overzicht-in-drukte" not in shared.profile_entries
    assert "rustig-bij-conflicten" in shared.profile_entries and "fysieke-belastbaarheid" not in shared.profile_entries
    screens.look("shared")
    page.click("#lang-en")
    screens.look("shared-en")
    page.click("#nav-passport")
    screens.look("passport-en")

    page.evaluate("document.activeElement.blur()")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert reached[0] == "Skip to content"
    assert {"lang-nl", "lang-en", "lock", "nav-profile", "nav-passport", "nav-share"} <= set(reached), reached
    screens.context.close()
