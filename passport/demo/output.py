"""The output folder: a fixed list of files the demo owns, cleaned before each run.

``--out`` may be a folder with other work in it. The demo only ever deletes the files named
by ``owned_files`` (never a glob, never a whole folder) and afterwards removes its own
sub-folders only when they are empty, so anything else in the folder, or put into one of the
demo's sub-folders, stays. Running twice in a row into one folder therefore leaves one set of
artifacts, not two.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..encoding.jsonio import dumps_pretty
from .story import ISSUERS, PERSONAS, example_endorsements
from .world import load_keys

WALLET = "ria.wallet"
PASSPHRASE = "ria.passphrase"  # no longer written (the passphrase is shown once); removed if an older run left it
WERKERVARING = "werkervaring-hoofdconducteur"
TOP_LEVEL = (
    WALLET, PASSPHRASE, "trust-registry.json", "request.json", "request-qr.png", "request-after-revocation-qr.png",
    "presentation.json", "report.json", "report.html", "match.json",
    "presentation-after-revocation.json", "report-after-revocation.json", "report-after-revocation.html",
    "match-after-revocation.json", "presentation-qr.json", "presentation-qr.png", "inspect.json",
    "status-bundle.json",  # the status lists as a verifier's offline bundle (PASPOORT_VERIFIER_OFFLINE_BUNDLE)
    "profile.json", "profile-shared.json",  # written by --offline
)
# What only the live demo writes: a folder holding any of these is not --offline's to clean.
LIVE_ONLY = (WALLET, "request.json", "inspect.json", "status-bundle.json", "services", "logs")
SQLITE_SIDES = ("", "-wal", "-shm", "-journal")


def service_folder(role: str) -> str:
    return f"services/{role}"


def issuer_database(role: str) -> str:
    return f"{service_folder(role)}/issuer.sqlite3"


def offer_qr(stem: str) -> str:
    """The issuer's OpenID4VCI offer of endorsement ``stem`` as a QR code, as Ria's wallet scans it."""
    return f"offers/{stem}.png"


def owned_files() -> list[str]:
    """Every file the demo may write, relative to the output folder."""
    files = list(TOP_LEVEL)
    stems = {stem for persona in PERSONAS for stem in example_endorsements(persona)}  # --offline --persona
    files += [f"endorsements/{stem}.json" for stem in sorted(stems | {WERKERVARING})]
    files += [offer_qr(stem) for stem in sorted(stems | {WERKERVARING})]
    for role in load_keys():
        files += [f"status-lists/{role}-message.json"]
    for part in ISSUERS:
        files += [f"{service_folder(part.role)}/key.json", f"logs/issuer-{part.role}.log"]
        files += [issuer_database(part.role) + side for side in SQLITE_SIDES]
    files += ["services/verifier/verifier.sqlite3" + side for side in SQLITE_SIDES]
    files += ["logs/verifier.log"]
    return files


def live_artifacts(root: str | os.PathLike[str]) -> list[str]:
    """The live demo's artifacts present in ``root`` (names from ``LIVE_ONLY``)."""
    return [name for name in LIVE_ONLY if os.path.lexists(Path(root) / name)]


def owned_folders() -> list[str]:
    """The demo's sub-folders, deepest first (removed only when empty)."""
    folders = {str(Path(name).parent) for name in owned_files()} - {"."}
    return sorted(folders, key=lambda name: (-name.count("/"), name))


class Output:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._owned = frozenset(owned_files())

    def clean(self) -> int:
        """Delete the previous run's files (only those the demo owns); the number deleted."""
        removed = 0
        for name in owned_files():
            path = self.root / name
            if (path.is_symlink() or path.is_file()) and self._inside(path.parent):
                path.unlink()  # a symlink itself, never what it points at
                removed += 1
        for name in owned_folders():
            folder = self.root / name
            if folder.is_symlink() or not self._inside(folder.parent):
                continue
            try:
                folder.rmdir()
            except OSError:  # not there, or holds something that is not the demo's
                pass
        return removed

    def _inside(self, folder: Path) -> bool:
        """False when a sub-folder is a symlink leading out of the output folder."""
        return folder.resolve().is_relative_to(self.root.resolve())

    def path(self, name: str) -> Path:
        """The path of one owned file, with its folder created."""
        if name not in self._owned:
            raise RuntimeError(f"{name} is not one of the demo's files (add it to owned_files)")
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def json(self, name: str, document: Any) -> Path:
        path = self.path(name)
        path.write_text(dumps_pretty(document), encoding="utf-8")
        return path

    def text(self, name: str, text: str) -> Path:
        path = self.path(name)
        path.write_text(text, encoding="utf-8")
        return path

    def bytes(self, name: str, data: bytes) -> Path:
        path = self.path(name)
        path.write_bytes(data)
        return path
