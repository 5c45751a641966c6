"""The recruiter's page on a phone (390 px wide) and its request flow in a real browser (headless
Chromium, as test_verifier_page.py launches it): every control can be tapped and none overlaps
another, the language switch works by touch, nothing breaks the Content-Security-Policy, and the
command the page shows for the candidate holds a link the wallet accepts; the wallet's answer
then appears on the page (polled with the read token). Screenshots for a person to look at:
/tmp/verifier-390.png, /tmp/verifier-390-request.png and /tmp/verifier-1280.png."""
from __future__ import annotations

import re

from passport.roles.oid4vp import parse_authorization_link
from pages import browser  # noqa: F401 (a fixture)
from test_verifier_page import live_server  # noqa: F401 (a fixture)
from verifier_helpers import client_answer

CONTROLS = "button, input, select, textarea, summary, a[href]"
TEXT = "h1, h2, h3, label, p, .intro"

# Every visible control's box, and its label's, as the browser lays them out.
BOXES = """(selector) => [...document.querySelectorAll(selector)].filter((node) => {
  const box = node.getBoundingClientRect();
  const parked = node.classList.contains("skip") && document.activeElement !== node;  // shown on focus
  return !parked && box.width > 0 && box.height > 0 && node.checkVisibility({checkVisibilityCSS: true});
}).map((node) => {
  const box = node.getBoundingClientRect();
  return {id: node.id || node.tagName + ":" + node.textContent.trim().slice(0, 20),
          x: box.left, y: box.top + window.scrollY, w: box.width, h: box.height};
})"""

# The boxes of the text itself (one per line), of headings, labels and paragraphs that hold no control:
# a heading's element box spans the whole width, its words do not.
TEXT_BOXES = """(selector) => [...document.querySelectorAll(selector)]
  .filter((node) => !node.querySelector("button, input, select, textarea, a") && node.checkVisibility())
  .flatMap((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return [...range.getClientRects()].filter((box) => box.width > 0).map((box) => (
      {id: node.id || node.tagName + ":" + node.textContent.trim().slice(0, 20),
       x: box.left, y: box.top + window.scrollY, w: box.width, h: box.height}));
  })"""

CSP_WATCH = """window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => window.__csp.push(event.violatedDirective));"""


def overlaps(boxes: list[dict], others: list[dict] | None = None) -> list[tuple[str, str]]:
    """Pairs of boxes that overlap: among ``boxes``, or each of ``boxes`` with each of ``others``."""
    found = []
    for i, a in enumerate(boxes):
        for b in (boxes[i + 1:] if others is None else others):
            width = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            height = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if width > 0.5 and height > 0.5:
                found.append((a["id"], b["id"]))
    return found


def check_layout(page, width: int, controls: int = 10) -> None:
    """No two controls overlap, no control overlaps a heading or paragraph it is not inside, every
    control is at least 24 by 24 px and inside the screen, and the page never scrolls sideways."""
    boxes = page.evaluate(BOXES, CONTROLS)
    assert len(boxes) >= controls, boxes
    assert overlaps(boxes) == []
    assert overlaps(boxes, page.evaluate(TEXT_BOXES, TEXT)) == []
    small = [box["id"] for box in boxes if box["w"] < 24 or box["h"] < 24]  # WCAG 2.2 target size (minimum)
    assert small == []
    outside = [box["id"] for box in boxes if box["x"] < 0 or box["x"] + box["w"] > width + 0.5]
    assert outside == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling


def test_page_on_a_phone_every_control_tappable_none_overlapping(live_server, browser):
    base, _app = live_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base + "/")
    page.wait_for_selector("#job option[value='begeleider-gehandicaptenzorg']", state="attached")
    assert page.locator("h1").inner_text() == "Paspoort controleren"
    check_layout(page, 390)

    page.tap("#lang-en")
    assert page.locator("h1").inner_text() == "Check a passport"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_attribute("#lang-en", "aria-pressed") == "true"
    page.screenshot(path="/tmp/verifier-390.png", full_page=True)

    page.tap("#request")
    page.wait_for_selector("#request-box:not([hidden])")
    page.locator("summary").tap()  # the upload form opens too: everything that can be shown at once
    check_layout(page, 390)
    page.screenshot(path="/tmp/verifier-390-request.png", full_page=True)
    page.tap("#lang-nl")
    assert page.locator("h1").inner_text() == "Paspoort controleren"
    assert page.evaluate("window.__csp") == []
    context.close()


def test_page_on_a_wide_screen(live_server, browser):
    base, _app = live_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/")
    page.wait_for_selector("#job option[value='begeleider-gehandicaptenzorg']", state="attached")
    check_layout(page, 1280)
    page.screenshot(path="/tmp/verifier-1280.png", full_page=True)


def test_page_request_flow_link_for_the_wallet_and_the_answer(live_server, browser, world):
    base, app = live_server
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base + "/")
    page.click("#request")
    page.wait_for_selector("#request-box:not([hidden])")
    command = page.input_value("#request-command")
    found = re.fullmatch(r"passport respond '([^']+)'", command)
    assert found, command
    client_id, request_uri = parse_authorization_link(found.group(1))  # the exact text shown, as a wallet reads it
    assert client_id.startswith("decentralized_identifier:did:key:") and "/oid4vp/requests/" in request_uri
    assert page.get_attribute("#request-qr", "src").startswith("data:image/png;base64,")

    posted = client_answer(app.test_client(), {"requestUrl": found.group(1)}, world,
                           [world.profile, *world.endorsements])
    assert posted.status_code == 200, posted.get_json()
    page.wait_for_selector("#result-body .banner")
    assert page.locator("#request-status").inner_text() == "Antwoord ontvangen."
    assert "Alle certificaten zijn echt" in page.locator("#result-body").inner_text()
    assert "Gemaakt als antwoord op uw verzoek." in page.locator("#result-body").inner_text()
    check_layout(page, 390)  # the result too: long DIDs and names wrap instead of widening the page
    page.screenshot(path="/tmp/verifier-390-result.png", full_page=True)
    assert page.evaluate("window.__csp") == []

    context.close()
