"""What the app remembers while it runs: one wallet path, the browser let in, the opened wallet.

Nothing here reaches the disk except through the wallet library. The passphrase is never kept:
an unlocked wallet holds only the key derived from it (``Wallet``), and locking closes the wallet
(releasing its lock, so the CLI can use it again). Shares and backups made in this run are kept in
memory under random tokens until the wallet is locked or the app stops; so are the offers
(OpenID4VCI) and requests (OpenID4VP) fetched and shown, until the person accepts or sends.
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from ..terms import DEFAULT_LANG
from ..wallet.store import Wallet

IDLE_MINUTES = 15  # the app stops after this many minutes without a request (``passport app --idle-minutes``)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class AppState:
    """The one wallet this app serves and the one browser session that may use it."""

    wallet_path: str
    clock: Callable[[], datetime]
    idle: timedelta = timedelta(minutes=IDLE_MINUTES)
    lang: str = DEFAULT_LANG
    start_token: str | None = field(default_factory=new_secret)  # in the first URL; used once
    session: str | None = None  # the cookie's value, once the start token was exchanged
    csrf: str = field(default_factory=new_secret)
    wallet: Wallet | None = None
    last_seen: datetime | None = None
    stopped: bool = False
    notice: tuple[str, str] | None = None  # (kind, text) shown once on the next page
    shares: dict[str, Any] = field(default_factory=dict)
    backups: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    offers: dict[str, Any] = field(default_factory=dict)  # OpenID4VCI offers opened, waiting for "accept"
    requests: dict[str, Any] = field(default_factory=dict)  # OpenID4VP requests fetched, waiting for "send"
    trust: Any = None  # the worker's trust registries (``passport app --trust-registry``): names who offers/asks
    on_stop: Callable[[], None] | None = None  # the server's shutdown, when it runs in one
    lock: threading.RLock = field(default_factory=threading.RLock)

    def touch(self) -> None:
        self.last_seen = self.clock()

    def idle_expired(self, now: datetime | None = None) -> bool:
        if self.last_seen is None:
            return False
        return (now or self.clock()) - self.last_seen >= self.idle

    def open(self, wallet: Wallet) -> None:
        self.close()
        self.wallet = wallet

    def close(self) -> None:
        """Lock: forget the wallet, its shares and its backups, and release the wallet file."""
        wallet, self.wallet = self.wallet, None
        for kept in (self.shares, self.backups, self.offers, self.requests):
            kept.clear()
        if wallet is not None:
            wallet.close()

    def stop(self) -> None:
        """Lock and stop serving: every later request is refused; the server is asked to shut down."""
        with self.lock:
            self.close()
            self.stopped = True
        if self.on_stop is not None:
            self.on_stop()

    def say(self, kind: str, text: str) -> None:
        self.notice = (kind, text)

    def take_notice(self) -> tuple[str, str] | None:
        notice, self.notice = self.notice, None
        return notice

    def keep(self, store: dict[str, Any], value: Any) -> str:
        token = secrets.token_urlsafe(16)
        store[token] = value
        return token
