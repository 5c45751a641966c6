"""gunicorn server processes on 127.0.0.1: start on a free port, wait until ready, always stop.

The demo's servers, and the benchmarks' and the load and fault test's (``bench/``): one place
that starts and stops them. Each server is ``gunicorn`` (one worker unless asked) in its own
session, so stopping it stops its workers too (``killpg`` of the group it leads, never anything by name). Output goes to a log file in
``logs/``; when a step fails, the tail of each log is printed. Servers are stopped all at once
(SIGTERM, then SIGKILL after ``STOP_TIMEOUT``). On Linux every server also gets
``PR_SET_PDEATHSIG``: if the demo itself is killed hard, the servers go with it.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 30.0  # seconds a server may take to answer its first request
STOP_TIMEOUT = 5.0  # seconds between SIGTERM and SIGKILL
START_ATTEMPTS = 3  # a free port can be taken between choosing it and binding it
SERVICE_PREFIXES = ("PASPOORT_ISSUER_", "PASPOORT_VERIFIER_")  # only the demo's own settings reach its servers


def _gunicorn_flags() -> tuple[str, ...]:
    """gunicorn 27 opens a control socket in ~/.gunicorn by default; one per server would clash."""
    try:
        from gunicorn import version_info
    except ImportError:
        return ()
    return ("--no-control-socket",) if version_info >= (27, 0) else ()


_NO_CONTROL = _gunicorn_flags()


class ServerError(RuntimeError):
    """A server or admin command did not do what the demo needs; the message says which."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()  # looked up before any fork: the child only calls it


def _die_with_parent() -> None:  # runs in the child between fork and exec
    _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: SIGTERM when the demo process ends


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def open_log(path: Path) -> TextIO:
    """``path`` opened for appending, created readable by its owner only (a log may quote a request)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(descriptor, 0o600)  # a log left by an older run keeps no wider mode
    return os.fdopen(descriptor, "a", encoding="utf-8")


def tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.rstrip("\n").splitlines()[-lines:]) or "(empty log)"


@dataclass
class Server:
    """One gunicorn server for ``app`` (e.g. ``issuer_service:create_app()``)."""

    name: str
    app: str
    env: dict[str, str]
    log: Path
    url_vars: tuple[str, ...] = ()  # variables that get this server's own base URL (known at start)
    port: int = 0
    workers: int = 1
    options: tuple[str, ...] = ()  # more gunicorn options, e.g. ("--worker-class", "gthread", "--threads", "4")
    access_log: bool = True  # the demo's logs show every request; benchmarks leave it out
    process: subprocess.Popen | None = None
    attempts: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int | None = None) -> None:
        self.port = port or self.port or free_port()
        self.attempts += 1
        logging = ("--access-logfile", "-", "--log-level", "info") if self.access_log else ("--log-level", "warning")
        command = [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
                   "--graceful-timeout", "2", *logging, *_NO_CONTROL, *self.options, self.app]
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(SERVICE_PREFIXES)}
        env = {**inherited, **self.env, **{name: self.base for name in self.url_vars}, "PYTHONUNBUFFERED": "1"}
        with open_log(self.log) as out:
            out.write(f"$ gunicorn -w {self.workers} -b 127.0.0.1:{self.port} {' '.join(self.options)} '{self.app}'\n")
            out.flush()
            self.process = subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True,
                                            preexec_fn=_die_with_parent if _PRCTL else None)

    def ready(self) -> bool:
        """True once ``GET /openapi.json`` answers 200; ``ServerError`` when the process has ended."""
        if self.process is None or self.process.poll() is not None:
            code = None if self.process is None else self.process.returncode
            raise ServerError(f"the {self.name} server exited (code {code}) before it was ready")
        try:
            with urllib.request.urlopen(self.base + "/openapi.json", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> float:
        """Wait until it answers; the seconds that took. ``ServerError`` when it exits or takes longer."""
        started = time.monotonic()
        while not self.ready():
            if time.monotonic() - started > timeout:
                self.stop()
                raise ServerError(f"the {self.name} server did not answer within {timeout:.0f} s; see {self.log}")
            time.sleep(0.05)
        return time.monotonic() - started

    def kill(self) -> None:
        """SIGKILL master and workers at once (a crash, no graceful shutdown); return when the port refuses."""
        self.send_signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(STOP_TIMEOUT)
            self.process = None
        deadline = time.monotonic() + STOP_TIMEOUT
        while listening(self.port) and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM, then SIGKILL after ``timeout``."""
        self.send_signal(signal.SIGTERM)
        self.wait_stopped(timeout)

    def send_signal(self, signum: int) -> None:
        """Signal the process group this server leads (its master and workers), if it still runs."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signum)
            except ProcessLookupError:
                pass

    def wait_stopped(self, timeout: float) -> None:
        """Wait for the server to end after ``send_signal``; SIGKILL it when it takes longer."""
        process = self.process
        if process is None:
            return
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.send_signal(signal.SIGKILL)
            process.wait(STOP_TIMEOUT)
        self.process = None


@dataclass
class Servers:
    """The servers of one demo run; a context manager that always stops them all."""

    started: list[Server] = field(default_factory=list)

    def launch(self, server: Server) -> None:
        """Start a server without waiting for it (``wait_ready`` waits for all)."""
        self.started.append(server)
        server.start()

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait until every launched server answers (starting one again on another port if its
        port was taken between choosing and binding it)."""
        deadline = time.monotonic() + timeout
        waiting = list(self.started)
        while waiting:
            for server in list(waiting):
                try:
                    if server.ready():
                        waiting.remove(server)
                except ServerError:
                    if "in use" not in tail(server.log, 10) or server.attempts >= START_ATTEMPTS:
                        raise
                    server.start(free_port())  # the port was taken meanwhile: try another
            if waiting and time.monotonic() > deadline:
                names = ", ".join(server.name for server in waiting)
                raise ServerError(f"not ready after {timeout:.0f} s: {names}")
            if waiting:
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM to every server at once, then wait for each (SIGKILL after ``STOP_TIMEOUT``)."""
        for server in self.started:
            server.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for server in self.started:
            server.wait_stopped(max(0.1, deadline - time.monotonic()))

    def __enter__(self) -> "Servers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
