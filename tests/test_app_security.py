"""The wallet app lets in only the browser that started it (issue 16, part 1): the start secret
is exchanged once for an HttpOnly, SameSite=Strict cookie; a request without that cookie, with
another Host (DNS rebinding), without or with a wrong CSRF token, or after the idle time is
refused, and changes nothing: not the wallet file, not what the app holds."""
from __future__ import annotations

import http.client
import io
import sys
import threading
import time
from urllib.parse import urlsplit

import pytest

from app_support import HOST, Clock, kdf_test, make_client, ria_app, ria_wallet_file, text_of  # noqa: F401 (fixtures)
from passport.app import server
from passport.app.state import AppState
from passport.app.web import create_app
from passport.cli import main
from test_wallet_support import PASSPHRASE

CHANGES = [  # (path, form): requests that would change the wallet if let in
    ("/profiel/naam", {"name": "Mallory"}),
    ("/profiel/talenten/rustig-bij-conflicten/verwijderen", {}),
    ("/paspoort/verversen", {}),
    ("/vergrendelen", {}),
]


def snapshot(app) -> tuple[bytes, str | None, bool]:
    with open(app.state.wallet_path, "rb") as handle:
        data = handle.read()
    wallet = app.state.wallet
    return data, wallet.data["profileSource"]["name"] if wallet else None, wallet is not None


def test_the_start_link_works_once_and_gives_a_strict_cookie(tmp_path, kdf_test):
    state = AppState(str(ria_wallet_file(tmp_path / "w", with_profile=False, endorsements=False)), clock=Clock())
    client = create_app(state, hosts={HOST}).test_client()
    token = state.start_token
    assert client.get("/start?token=wrong", base_url=f"http://{HOST}").status_code == 403
    answer = client.get(f"/start?token={token}", base_url=f"http://{HOST}")
    assert answer.status_code == 303 and answer.location == "/"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert token not in cookie
    other = create_app(state, hosts={HOST}).test_client()  # another browser with the same (used) link
    assert other.get(f"/start?token={token}", base_url=f"http://{HOST}").status_code == 403
    assert other.get("/", base_url=f"http://{HOST}").status_code == 403
    assert client.get("/", base_url=f"http://{HOST}").status_code == 200


@pytest.mark.parametrize(("path", "form"), CHANGES)
def test_without_the_cookie_nothing_is_read_or_changed(ria_app, path, form):
    before = snapshot(ria_app)
    stranger = ria_app.client.application.test_client()
    assert stranger.get("/profiel", base_url=f"http://{HOST}").status_code == 403
    answer = stranger.post(path, data={"csrf": ria_app.state.csrf, **form}, base_url=f"http://{HOST}")
    assert answer.status_code == 403
    assert "Ria" not in answer.get_data(as_text=True) and ria_app.state.csrf not in answer.get_data(as_text=True)
    assert snapshot(ria_app) == before


@pytest.mark.parametrize("host", ["evil.example", "evil.example:5999", "127.0.0.1:6000", "localhost"])
def test_another_host_is_refused_even_with_the_cookie(ria_app, host):
    before = snapshot(ria_app)
    refused = ria_app.client.get("/profiel", base_url=f"http://{host}")
    assert refused.status_code == 421 and ria_app.state.csrf not in refused.get_data(as_text=True)
    answer = ria_app.client.post("/profiel/naam", data={"csrf": ria_app.state.csrf, "name": "Mallory"},
                                 base_url=f"http://{host}")
    assert answer.status_code == 421
    assert snapshot(ria_app) == before


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
@pytest.mark.parametrize(("path", "form"), CHANGES)
def test_a_form_without_the_right_csrf_token_is_refused(ria_app, path, form, token):
    before = snapshot(ria_app)
    data = dict(form) if token is None else {**form, "csrf": token}
    answer = ria_app.post(path, data, csrf=False)
    assert answer.status_code == 403
    assert "formulier is verlopen" in text_of(answer)
    assert snapshot(ria_app) == before


def test_after_the_idle_time_the_app_locks_and_stops(ria_app):
    before = snapshot(ria_app)
    ria_app.clock.advance(minutes=14, seconds=59)
    assert ria_app.get("/profiel").status_code == 200  # use keeps it going
    ria_app.clock.advance(minutes=15)
    answer = ria_app.post("/profiel/naam", {"name": "Mallory"})
    assert answer.status_code == 410
    assert ria_app.state.wallet is None and ria_app.state.stopped
    with open(ria_app.state.wallet_path, "rb") as handle:
        assert handle.read() == before[0]
    assert ria_app.get("/profiel").status_code == 410  # and it stays stopped
    assert ria_app.unlock().status_code == 410


def test_every_answer_has_the_strict_headers(ria_app):
    for answer in (ria_app.get("/profiel"), ria_app.get("/static/app.css"),
                   ria_app.client.get("/", base_url="http://evil.example")):
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["X-Frame-Options"] == "DENY"


def test_a_wrong_passphrase_leaves_the_wallet_locked_and_none_is_kept(tmp_path, kdf_test):
    app = make_client(ria_wallet_file(tmp_path / "w", with_profile=True, endorsements=False))
    answer = app.unlock("not the passphrase")
    assert answer.status_code == 400 and app.state.wallet is None
    assert "wachtwoordzin" in text_of(answer).lower()
    assert app.get("/profiel").status_code == 303  # locked: back to the door
    assert app.unlock().status_code == 303 and app.state.wallet is not None
    assert PASSPHRASE not in repr(vars(app.state)) and PASSPHRASE not in repr(vars(app.state.wallet))
    assert app.post("/vergrendelen").status_code == 303 and app.state.wallet is None


def test_the_command_says_how_to_install_flask_when_it_is_missing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "flask", None)
    for name in [name for name in sys.modules if name.startswith("passport.app")]:
        monkeypatch.delitem(sys.modules, name)
    assert main(["app", "--no-browser", "--lang", "nl"]) == 2
    err = capsys.readouterr().err
    assert "pip install '.[wallet-app]'" in err and "Flask" in err
    assert "INPUT_INVALID" not in err and "document" not in err  # a missing package, not a bad document


def test_the_command_refuses_an_idle_time_out_of_range(capsys):
    assert main(["app", "--no-browser", "--idle-minutes", "0"]) == 2
    assert "--idle-minutes" in capsys.readouterr().err


def test_serve_prints_the_start_link_and_stops_when_idle(tmp_path, kdf_test, monkeypatch):
    """The real server on 127.0.0.1 at a free port: the printed link lets one browser in, the
    browser opener gets the same link, and the watcher stops the server after the idle time."""
    monkeypatch.setattr(server, "WATCH_SECONDS", 0.05)
    wallet = ria_wallet_file(tmp_path / "w", with_profile=False, endorsements=False)
    clock, out, opened = Clock(), io.StringIO(), []
    thread = threading.Thread(target=server.serve, args=(str(wallet),), daemon=True,
                              kwargs={"out": out, "clock": clock, "opener": opened.append, "idle_minutes": 15})
    thread.start()
    for _ in range(500):  # the link is printed, then the browser is opened with it
        if opened:
            break
        time.sleep(0.01)
    url = urlsplit(out.getvalue().strip())
    assert url.hostname == "127.0.0.1" and url.port and url.path == "/start" and opened == [out.getvalue().strip()]
    connection = http.client.HTTPConnection("127.0.0.1", url.port, timeout=5)
    connection.request("GET", f"{url.path}?{url.query}", headers={"Host": url.netloc})
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 303 and "HttpOnly" in answer.getheader("Set-Cookie")
    connection.request("GET", "/", headers={"Host": f"attacker.example:{url.port}"})
    refused = connection.getresponse()
    refused.read()
    assert refused.status == 421
    clock.advance(minutes=15)
    thread.join(timeout=5)
    assert not thread.is_alive()
