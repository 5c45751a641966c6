"""Helpers for the wallet app's tests (no tests here): Ria's wallet, a fixed clock that tests move,
and a Flask test client that came in through the start link."""
from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

import pytest
from werkzeug.serving import make_server

from support import NOW
from passport.app.server import one_at_a_time
from passport.app.state import AppState
from passport.app.web import create_app
from passport.wallet import inbox, profile
from passport.wallet.profile import load_source
from passport.wallet.store import Wallet
from test_wallet_support import PASSPHRASE, RIA_PROFILE, ria_world

HOST = "127.0.0.1:5999"


class Clock:
    """``clock()`` for the app: NOW until a test moves it on."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def ria_wallet_file(path: Path, *, with_profile: bool, endorsements: bool) -> Path:
    """A wallet with Ria's holder key (so her demo endorsements are about it), and optionally her
    example profile and every demo endorsement."""
    wallet = Wallet.create(str(path), PASSPHRASE, holder_key=ria_world().holder, now=NOW)
    if with_profile:
        profile.set_profile(wallet, load_source(str(RIA_PROFILE)), now=NOW)
    if endorsements:
        for credential in ria_world().endorsements:
            inbox.import_credential(wallet, credential, now=NOW, source="test")
    wallet.save()
    wallet.close()
    return path


@dataclass
class AppClient:
    state: AppState
    client: object
    clock: Clock

    def get(self, path: str, **kwargs):
        return self.client.get(path, base_url=f"http://{HOST}", **kwargs)

    def post(self, path: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf", self.state.csrf)
        return self.client.post(path, data=form, base_url=f"http://{HOST}", **kwargs)

    def unlock(self, passphrase: str = PASSPHRASE):
        return self.post("/ontgrendelen", {"passphrase": passphrase})


def make_client(wallet_path: Path, clock: Clock | None = None, **app_options) -> AppClient:
    clock = clock or Clock()
    state = AppState(str(wallet_path), clock=clock)
    app = create_app(state, hosts={HOST}, **app_options)
    client = app.test_client()
    answer = client.get(f"/start?token={state.start_token}", base_url=f"http://{HOST}")
    assert answer.status_code == 303
    return AppClient(state, client, clock)


@pytest.fixture
def kdf_test(monkeypatch):
    monkeypatch.setenv("PASSPORT_KDF_PROFILE", "test")


@pytest.fixture
def ria_app(tmp_path, kdf_test) -> AppClient:
    """The app over Ria's full wallet (example profile and endorsements), unlocked."""
    app = make_client(ria_wallet_file(tmp_path / "ria.wallet", with_profile=True, endorsements=True))
    assert app.unlock().status_code == 303
    return app


def text_of(answer) -> str:
    """The page's visible text, roughly: tags dropped, white space folded."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.get_data(as_text=True))))


@pytest.fixture
def wallet_app(tmp_path, monkeypatch):
    """``wallet_app(clock)`` -> (start URL, state): Ria's full wallet in the app on 127.0.0.1; with
    ``wallet_path``, the wallet there (a path without a file: the app offers to create one);
    ``options`` go to ``create_app``."""
    monkeypatch.setenv("PASSPORT_KDF_PROFILE", "test")
    servers = []

    def start(clock: Callable[[], datetime], wallet_path: Path | None = None, **options):
        if wallet_path is None:
            wallet_path = ria_wallet_file(tmp_path / "ria.wallet", with_profile=True, endorsements=True)
        state = AppState(str(wallet_path), clock=clock)
        app = create_app(state, hosts=(), **options)
        # as ``passport app`` serves it: requests taken in by threads (an idle connection chromium
        # opened ahead cannot block the next request), handled one at a time
        server = make_server("127.0.0.1", 0, one_at_a_time(app.wsgi_app, state), threaded=True)
        app.config["APP_HOSTS"] = {f"127.0.0.1:{server.server_port}"}
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append((server, state))
        return f"http://127.0.0.1:{server.server_port}/start?token={state.start_token}", state

    yield start
    for server, state in servers:
        server.shutdown()
        state.close()
