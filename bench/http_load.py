"""The HTTP load generator of the verifier benchmark: raw sockets, HTTP/1.1, bounded in requests
and time, run in its own process so its CPU is measured apart from the server's."""
from __future__ import annotations

import itertools
import socket
import threading
import time


def read_response(sock: socket.socket, buffer: bytes) -> tuple[int, bool, bytes]:
    """One HTTP/1.1 response from ``sock``: (status, server closes, bytes left over)."""
    status, closing, _body, rest = read_answer(sock, buffer)
    return status, closing, rest


def read_answer(sock: socket.socket, buffer: bytes) -> tuple[int, bool, bytes, bytes]:
    """One HTTP/1.1 response from ``sock``: (status, server closes, body, bytes left over).

    Reads the head up to the blank line and then exactly Content-Length bytes of body (the
    services always send Content-Length); a connection closed early raises ``ConnectionError``.
    """
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before the response head")
        buffer += chunk
    head, _, buffer = buffer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, closing = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            closing = value.strip().lower() == b"close"
    while len(buffer) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed in the middle of the body")
        buffer += chunk
    return status, closing, buffer[:length], buffer[length:]


def load(port: int, body: bytes, clients: int, seconds: float, max_requests: int, keep_alive: bool,
         queue, path: str = "/credentials/verify", headers: tuple[tuple[str, str], ...] = (),
         expect: int = 200) -> None:
    """``clients`` threads POST ``body`` to ``path`` until ``seconds`` pass or ``max_requests`` are sent.

    With ``keep_alive`` each thread keeps one persistent connection (reopened only when the
    server closes it); without, every request opens a new TCP connection (``Connection: close``).
    ``headers``: more request headers (e.g. the issuer's ``Authorization``); ``expect``: the
    status that counts as answered. Puts (latencies, other answers, wall seconds, CPU seconds of
    this process) on ``queue``.
    """
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n{extra}"
               f"Content-Length: {len(body)}\r\nConnection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
               ).encode() + body
    latencies: list[float] = []
    errors = [0]
    tickets = itertools.count()  # next() on it is atomic under the GIL: the shared request budget
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def client() -> None:
        mine, bad = [], 0
        sock: socket.socket | None = None
        buffer = b""
        try:
            while time.perf_counter() < deadline and next(tickets) < max_requests:
                start = time.perf_counter()
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    buffer = b""
                try:
                    sock.sendall(request)
                    status, closing, buffer = read_response(sock, buffer)
                except (ConnectionError, TimeoutError):
                    status, closing = 0, True
                mine.append(time.perf_counter() - start)
                bad += status != expect
                if closing or not keep_alive:
                    sock.close()
                    sock = None
        finally:
            if sock is not None:
                sock.close()
            with lock:
                latencies.extend(mine)
                errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors[0], time.perf_counter() - started, time.process_time() - cpu))
