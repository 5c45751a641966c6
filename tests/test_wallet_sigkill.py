"""Atomic writes: a child process rewrites the wallet in a loop and is killed with SIGKILL at
random moments. After every kill the wallet opens with the last confirmed content or the one
being written, and no temporary file holds plain text."""
from __future__ import annotations

import os
import random
import select
import signal
import time

from support import NOW
from passport.wallet.store import Wallet
from test_wallet_support import PASSPHRASE, wallet_env  # noqa: F401 (fixture)

KILLS = 40
MARKER = "PLAINTEXT-MARKER-7f3a"


def _writer(path: str, write_end: int) -> None:
    """Child: open, then save counter+1, counter+2, ... reporting each completed save."""
    try:
        wallet = Wallet.open(path, PASSPHRASE)
        counter = wallet.data["settings"]["counter"]
        os.write(write_end, b"ready\n")
        while True:
            counter += 1
            wallet.data["settings"]["counter"] = counter
            wallet.data["settings"]["padding"] = MARKER * (counter % 50 + 1)  # vary the size
            wallet.save()
            os.write(write_end, f"{counter}\n".encode())
    finally:
        os._exit(0)


def _read_all(fd: int, deadline: float) -> bytes:
    chunks = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_sigkill_during_writes_leaves_old_or_new_content(wallet_env):
    path = str(wallet_env)
    wallet = Wallet.create(path, PASSPHRASE, now=NOW)
    wallet.data["settings"].update(counter=0, padding=MARKER)
    wallet.save()
    rng = random.Random(20261123)
    confirmed = 0
    started = time.monotonic()
    writes_seen = 0
    for _ in range(KILLS):
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            os.close(read_end)
            _writer(path, write_end)
        os.close(write_end)
        assert os.read(read_end, 6) == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.06))
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        lines = _read_all(read_end, time.monotonic() + 2).split()
        os.close(read_end)
        if lines:
            confirmed = int(lines[-1])
            writes_seen += len(lines)
        with Wallet.open(path, PASSPHRASE) as reopened:  # releases the lock before the next child
            counter = reopened.data["settings"]["counter"]
        assert counter in (confirmed, confirmed + 1), (counter, confirmed)
        confirmed = counter
    assert writes_seen >= KILLS  # the kills really landed among writes
    assert time.monotonic() - started < 20
    for name in os.listdir(os.path.dirname(path)):
        data = open(os.path.join(os.path.dirname(path), name), "rb").read()
        assert MARKER.encode() not in data, name
        assert b"holderKey" not in data, name
