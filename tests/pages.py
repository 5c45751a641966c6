"""What the page tests share: Debian's chromium driven by Playwright, axe-core, two widths.

A test module that imports this is skipped when chromium or Playwright is missing, except under
``CI=true``, where that fails. ``Screens`` is one browser page at one width: ``look(name)`` takes
a full-page screenshot (for a person to look at), checks that nothing is wider than the screen and
that axe-core (``npm ci --prefix tests/interop``) reports no violations, and that the console
showed none of the errors the test watches for.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).parent / "interop" / "node_modules" / "axe-core" / "axe.min.js"
CI = os.environ.get("CI") == "true"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth"
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']}))
    .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""

if not Path(CHROMIUM).exists() and not CI:
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the page tests need it",
                allow_module_level=True)
playwright_api = __import__("playwright.sync_api", fromlist=["sync_playwright"]) if CI else \
    pytest.importorskip("playwright.sync_api")


def axe_or_skip() -> None:
    if not AXE.exists():
        if CI:
            pytest.fail(f"{AXE} is missing: .ci/run installs it with npm ci --prefix tests/interop")
        pytest.skip(f"axe-core is not installed ({AXE} missing): run npm ci --prefix tests/interop")


def launch(p, *extra: str):
    return p.chromium.launch(executable_path=CHROMIUM, args=ARGS + list(extra), headless=True)


CAMERA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def camera_video(pngs: Path | Sequence[Path | None], out: Path, frames: int = 6) -> Path:
    """A Y4M video (what chromium's fake camera plays, in a loop; ``--use-file-for-fake-video-capture``)
    of each QR image in turn on white, ``frames`` frames each (10 a second); ``None`` is a blank scene."""
    from PIL import Image

    width, height = 640, 480
    chroma = bytes([128]) * (width * height // 4)
    with open(out, "wb") as handle:
        handle.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for png in [pngs] if isinstance(pngs, Path) else pngs:
            canvas = Image.new("L", (width, height), 255)
            if png is not None:
                code = Image.open(png).convert("L")
                side = min(420, code.width * (420 // code.width or 1))
                code = code.resize((side, side), Image.NEAREST)
                canvas.paste(code, ((width - side) // 2, (height - side) // 2))
            luma = canvas.tobytes()
            for _ in range(frames):
                handle.write(b"FRAME\n" + luma + chroma + chroma)
    return out


@pytest.fixture
def browser():
    """Debian's chromium, for one test (import this fixture into the test module)."""
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def csp_errors(text: str) -> bool:
    return "Content Security Policy" in text


class Screens:
    """One page at one width; ``watch`` picks the console messages that fail a screen."""

    def __init__(self, browser, width: str, shots: Path, prefix: str, *, timeout_ms: int = 15_000,
                 watch: Callable[[str], bool] = csp_errors, errors_only: bool = False, **context) -> None:
        # bypass_csp: the test injects axe-core into the page; the page's own CSP allows no such script
        self.context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True, **context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(timeout_ms)
        self.width, self.shots, self.prefix = width, shots, prefix
        self.console: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text)
                     if watch(message.text) and (message.type == "error" or not errors_only) else None)
        shots.mkdir(exist_ok=True)

    def look(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        page.screenshot(path=str(self.shots / f"{self.prefix}-{name}-{self.width}.png"), full_page=True)
        assert not page.evaluate(WIDER_THAN_SCREEN), f"{name} is wider than the {self.width} screen"
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(AXE_RUN)
        assert violations == [], f"axe-core on {name} ({self.width}): {violations}"
        assert self.console == [], self.console
