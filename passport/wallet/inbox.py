"""Receiving endorsements: verify on import, keep them with import metadata, find them again.

On import (docs/guides/wallet.md, "Importing endorsements"), ``passport.check`` runs with the import time as ``now``. The
wallet refuses the credential (``IMPORT_REFUSED``, with the failing check and its code) when
structure, schema, proof or validity fails, when its subject is not this wallet's DID, when it
is revoked or suspended, or when it is a presentation, the worker's own profile or not a
credential at all. A status that cannot be checked (no list at hand) is allowed and flagged
``status-unknown``; an entry endorsement that does not match the current profile entry is
allowed and flagged ``entry-mismatch``.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Mapping

from ..encoding import jsonio
from ..format.documents import PROFILE_TYPE, entry_digest, find_entry, paspoort_type
from ..errors import CredentialNotFound, ImportRefused, InputError, PassportError
from ..encoding.timeutil import format_datetime
from ..verification.verifier import check
from .profile import endorsed_entry
from .store import Wallet

PNG_MAGIC, JPEG_MAGIC = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
MAX_IMPORT_BYTES = 8 * 1024 * 1024
REQUIRED_CHECKS = ("structure", "schema", "proof", "validity")


def qr_module():
    """The QR codec (``passport.qr``), or a clear error when it is not installed yet."""
    try:
        from .. import qr
    except ImportError as exc:
        raise InputError(f"QR codes are not available in this installation ({exc})") from None
    return qr


def read_document(path: str) -> tuple[Any, str]:
    """A credential from a JSON file, a file holding QR text, or an image with a QR code."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", path=path) from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise InputError(f"{path} is larger than {MAX_IMPORT_BYTES} bytes")
    name = Path(path).name
    if raw.startswith(PNG_MAGIC) or raw.startswith(JPEG_MAGIC):
        return qr_module().read_document(path), f"qr-image:{name}"
    if raw.lstrip()[:1] in (b"{", b"["):
        return jsonio.loads(raw), f"file:{name}"
    try:
        text = raw.decode("ascii").rstrip("\r\n")
    except UnicodeDecodeError:
        raise InputError(f"{path} is neither JSON, QR text nor a PNG/JPEG image") from None
    return qr_module().decode_text(text), f"qr-text-file:{name}"


def from_qr_text(text: str) -> tuple[Any, str]:
    return qr_module().decode_text(text.rstrip("\r\n")), "qr-text"


def import_credential(wallet: Wallet, credential: Any, *, now, source: str, status: Any = None,
                      trust: Any = None) -> dict[str, Any]:
    """Verify ``credential`` for this wallet and store it; returns the stored item.

    Importing the same credential again is a no-op that returns the stored item.
    """
    if isinstance(credential, Mapping) and "VerifiablePresentation" in (credential.get("type") or []):
        raise ImportRefused("this is a presentation, not a credential: import the credentials it holds one by one",
                            check="structure")
    report = check(credential, now=now, status=status, trust=trust)
    for name in REQUIRED_CHECKS:
        result = report.check(name)
        if result is not None and not result.ok:
            raise ImportRefused(f"refused: {name} check failed: {result.message} [{result.code}]",
                                check=name, reason=result.code)
    kind = paspoort_type(credential)
    if kind == PROFILE_TYPE:
        raise ImportRefused("refused: this is a profile, not an endorsement; use 'passport profile set'",
                            check="type", reason="PROFILE")
    subjects = credential["credentialSubject"]
    for subject in subjects if isinstance(subjects, list) else [subjects]:
        subject_id = subject.get("id") if isinstance(subject, Mapping) else None
        if subject_id != wallet.did:
            raise ImportRefused(f"refused: the credential is about {subject_id}, not about this wallet's holder "
                                f"{wallet.did}", check="subject", reason="SUBJECT_NOT_HOLDER")
    flags = []
    status_result = report.check("status")
    if status_result is not None and status_result.status == "failed":
        raise ImportRefused(f"refused: {status_result.message} [{status_result.code}]", check="status",
                            reason=status_result.code)
    if status_result is not None and status_result.status == "unknown":
        flags.append("status-unknown")
    trust_result = report.check("trust")
    if trust_result is not None and trust_result.status == "failed":
        flags.append("issuer-not-trusted")
    if _entry_mismatch(wallet, credential):
        flags.append("entry-mismatch")
    existing = next((item for item in wallet.credentials if item["credential"].get("id") == credential.get("id")), None)
    if existing is not None:
        if existing["credential"] != credential:
            raise ImportRefused(f"refused: another credential with id {credential.get('id')} is already in the wallet",
                                check="duplicate", reason="DUPLICATE_ID")
        return existing
    item = {"credential": copy.deepcopy(credential), "importedAt": format_datetime(now), "source": source,
            "status": status_result.status if status_result else "skipped", "flags": flags}
    wallet.credentials.append(item)
    return item


def _entry_mismatch(wallet: Wallet, credential: Mapping[str, Any]) -> bool:
    entry = endorsed_entry(credential)
    profile = wallet.data.get("profile")
    if entry is None or not profile:
        return False
    current = find_entry(profile, entry.get("id"))
    return current is None or entry_digest(current) != entry.get("digestMultibase")


def short_id(credential: Mapping[str, Any]) -> str:
    value = str(credential.get("id", ""))
    return value.removeprefix("urn:uuid:")[:8]


def find(wallet: Wallet, reference: str) -> dict[str, Any]:
    """A stored item by list number (1, 2, ...), full id, or a unique prefix of its uuid."""
    items = wallet.credentials
    if reference.isdigit() and 1 <= int(reference) <= len(items):
        return items[int(reference) - 1]
    exact = [item for item in items if item["credential"].get("id") == reference]
    if exact:
        return exact[0]
    bare = reference.removeprefix("urn:uuid:")
    matches = [item for item in items if str(item["credential"].get("id", "")).removeprefix("urn:uuid:").startswith(bare)]
    if len(matches) == 1 and bare:
        return matches[0]
    if len(matches) > 1:
        raise CredentialNotFound(f"{reference!r} matches {len(matches)} credentials; give more of the id")
    raise CredentialNotFound(f"no credential {reference!r} in the wallet; 'passport list' shows them")


def remove(wallet: Wallet, reference: str) -> dict[str, Any]:
    item = find(wallet, reference)
    wallet.credentials.remove(item)
    return item


def parse_error(exc: PassportError) -> ImportRefused:
    return ImportRefused(f"refused: not a readable credential: {exc.message} [{exc.code}]", check="input",
                         reason=exc.code)
