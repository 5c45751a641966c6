"""Is granian sound in front of the services? Checks behind decision 0170, on 127.0.0.1.

Starts ``granian --interface wsgi`` (2 workers, the options of the documented production
command) for a small Flask app (``/fast``, ``/slow?s=N``) and reports, one line each:

1. graceful reload: requests under load while the master gets ``SIGHUP`` (workers replaced one
   by one): how many failed. Each granian worker accepts on a socket of its own
   (``SO_REUSEPORT``): unless the kernel migrates a stopping worker's queued connections
   (``sysctl net.ipv4.tcp_migrate_req=1``, Linux 5.14+) they are reset, and the line says
   which setting this machine has;
2. a worker killed (``SIGKILL``) under load: requests failed, and whether a new worker took its
   place (``--respawn-failed-workers``);
3. graceful stop: a request in flight when the master gets ``SIGTERM`` is answered;
4. a request that runs long: whether the server cuts it off (granian has no WSGI request
   timeout: the app must bound its own work; the services do - fetch budget, size limits);
5. a client that sends its headers slowly (slowloris): cut off after
   ``--http1-header-read-timeout``, without taking a Python thread.

    python bench/granian_soundness.py
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

APP = '''
import time
from flask import Flask, request
def create_app():
    app = Flask(__name__)
    app.add_url_rule("/fast", "fast", view_func=lambda: "ok")
    def slow():
        time.sleep(float(request.args.get("s", "1")))
        return "slow done"
    app.add_url_rule("/slow", view_func=slow)
    app.add_url_rule("/openapi.json", "openapi", view_func=lambda: {})
    return app
'''
OPTIONS = ("--workers", "2", "--blocking-threads", "4", "--backpressure", "16", "--respawn-failed-workers",
           "--respawn-interval", "0.5", "--workers-kill-timeout", "10", "--http1-header-read-timeout", "2000")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, timeout: float = 30) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
            return response.status, response.read().decode()
    except Exception as exc:  # noqa: BLE001 - any failure is a failed request here
        return 0, type(exc).__name__


GUNICORN = ("-w", "2", "--timeout", "5", "--graceful-timeout", "10", "--no-control-socket")


def start(folder: Path, port: int, server: str) -> subprocess.Popen:
    command = ([sys.executable, "-m", "granian", "--interface", "wsgi", "--factory", "--no-ws", "--host", "127.0.0.1",
                "--port", str(port), *OPTIONS, "soundapp:create_app"] if server == "granian" else
               [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", *GUNICORN, "soundapp:create_app()"])
    process = subprocess.Popen(command, cwd=folder, stdout=open(folder / "granian.log", "a"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while get(port, "/fast", 1)[0] != 200:
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError("granian did not start: " + (folder / "granian.log").read_text()[-800:])
        time.sleep(0.1)
    return process


def workers(master: int) -> set[str]:
    try:
        return set(Path(f"/proc/{master}/task/{master}/children").read_text().split())
    except OSError:
        return set()


def under_load(port: int, seconds: float, action) -> tuple[int, int]:
    """(requests, failed) of 4 clients hitting /fast for ``seconds`` while ``action()`` runs."""
    counts, stop = [0, 0], time.monotonic() + seconds
    lock = threading.Lock()
    kinds: dict[str, int] = {}

    def client() -> None:
        while time.monotonic() < stop:
            status, text = get(port, "/fast", 10)
            with lock:
                counts[0] += 1
                counts[1] += status != 200
                if status != 200:
                    kinds[text] = kinds.get(text, 0) + 1
    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 4)
    action()
    for thread in threads:
        thread.join()
    if kinds:
        print("   failures:", kinds)
    return counts[0], counts[1]


def main() -> list[str]:
    try:
        migrate = Path("/proc/sys/net/ipv4/tcp_migrate_req").read_text().strip()
    except OSError:
        migrate = "not available"
    lines = [f"net.ipv4.tcp_migrate_req = {migrate}"]
    for server in ("granian", "gunicorn"):
        lines.append(f"{server}:")
        lines += check(server)
    for line in lines:
        print(line)
    return lines


def check(server: str) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "soundapp.py").write_text(APP)
        port = free_port()
        process = start(folder, port, server)
        try:
            before = workers(process.pid)
            total, failed = under_load(port, 8, lambda: os.kill(process.pid, signal.SIGHUP))
            time.sleep(1)
            after = workers(process.pid)
            lines.append(f"1. SIGHUP under load: {failed} of {total} requests failed; workers replaced: "
                         f"{not (before & after)} ({len(after)} running)")
            victim = sorted(after)[0]
            total, failed = under_load(port, 6, lambda: os.kill(int(victim), signal.SIGKILL))
            time.sleep(1.5)
            now = workers(process.pid)
            lines.append(f"2. a worker SIGKILLed under load: {failed} of {total} requests failed; "
                         f"respawned: {victim not in now and len(now) == 2} ({len(now)} running)")
            result: list[tuple[int, str]] = []
            slow = threading.Thread(target=lambda: result.append(get(port, "/slow?s=3")))
            slow.start()
            time.sleep(0.5)
            started = time.monotonic()
            long_running = get(port, "/slow?s=8", 30)
            lines.append(f"4. a request running 8 s: answered {long_running} after "
                         f"{time.monotonic() - started:.1f} s")
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(b"GET /fast HTTP/1.1\r\nHost: x\r\n")
                sock.settimeout(10)
                started = time.monotonic()
                try:
                    closed = sock.recv(100)
                except TimeoutError:
                    closed = b"(still open after 10 s)"
                lines.append(f"5. headers never finished: connection answered {closed[:30]!r} after "
                             f"{time.monotonic() - started:.1f} s")
            slow.join()
            pending: list[tuple[int, str]] = []
            inflight = threading.Thread(target=lambda: pending.append(get(port, "/slow?s=2")))
            inflight.start()
            time.sleep(0.5)
            os.kill(process.pid, signal.SIGTERM)
            inflight.join()
            process.wait(20)
            lines.append(f"3. SIGTERM with a request in flight: it was answered {pending[0]}; "
                         f"the server exited with {process.returncode}")
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    return lines


if __name__ == "__main__":
    main()
