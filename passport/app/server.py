"""``passport app``: serve the wallet app on 127.0.0.1 at a free port, open the browser at the
first URL (which holds the one-time start secret), print that URL, and stop after the idle time.

Requests are taken in by threads (a browser's idle pre-opened connection cannot block the
others) but handled one at a time, under the state's lock: the wallet is one file, opened once.
A watcher stops the server when nobody used the app for the idle time; the wallet is locked first.
"""
from __future__ import annotations

import threading
import webbrowser
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, TextIO

from werkzeug.serving import WSGIRequestHandler, make_server

from ..encoding.timeutil import as_datetime
from .state import AppState
from .web import create_app

HOST = "127.0.0.1"
WATCH_SECONDS = 5.0


def serve(wallet_path: str, *, port: int = 0, idle_minutes: float = 15, lang: str = "nl", open_browser: bool = True,
          allow_http_hosts: Iterable[str] = (), out: TextIO, clock: Callable[[], datetime] | None = None,
          opener: Callable[[str], object] = webbrowser.open, trust: Any = None) -> None:
    """Run until stopped (idle time, Ctrl-C). ``out`` gets the URL and what to do. ``trust``: the
    worker's trust registries, which name the issuers that offer and the employers that ask."""
    clock = clock or (lambda: as_datetime(None))
    state = AppState(wallet_path, clock=clock, idle=timedelta(minutes=idle_minutes), lang=lang, trust=trust)
    app = create_app(state, hosts=(), allow_http_hosts=allow_http_hosts)
    server = make_server(HOST, port, one_at_a_time(app.wsgi_app, state), threaded=True, request_handler=Quiet)
    bound = server.server_port
    app.config["APP_HOSTS"] = {f"{HOST}:{bound}", f"localhost:{bound}"}
    stop = threading.Event()
    state.on_stop = stop.set
    state.touch()  # the idle time runs from the start, also when nobody opens the page
    url = f"http://{HOST}:{bound}/start?token={state.start_token}"
    out.write(f"{url}\n")
    out.flush()
    watcher = threading.Thread(target=_watch, args=(state, server, stop), daemon=True)
    watcher.start()
    if open_browser:
        opener(url)
    try:
        server.serve_forever()
    finally:
        with state.lock:
            state.close()
        server.server_close()


class Quiet(WSGIRequestHandler):
    """No line per request in the person's terminal (the first one would repeat the start secret)."""

    def log_request(self, *args, **kwargs) -> None:
        pass


def one_at_a_time(wsgi_app, state: AppState):
    """``wsgi_app`` run under the state's lock, its answer read whole inside it."""
    def run(environ, start_response):
        with state.lock:
            answer = wsgi_app(environ, start_response)
            try:
                return [b"".join(answer)]
            finally:
                if hasattr(answer, "close"):
                    answer.close()
    return run


def _watch(state: AppState, server, stop: threading.Event) -> None:
    while not stop.wait(WATCH_SECONDS):
        with state.lock:
            if state.idle_expired():
                state.close()
                state.stopped = True
                break
    server.shutdown()
