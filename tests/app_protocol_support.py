"""Helpers for the wallet app's OpenID4VCI and OpenID4VP tests (no tests here): a live issuer
service and a live verifier service on 127.0.0.1 (free ports, real HTTP), as
tests/issuer/test_oid4vci_wallet.py and tests/verifier/test_verifier_wallet_interop.py start them,
and a signed trust registry that names them."""
from __future__ import annotations

import json
import sys
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).resolve().parent
for folder in (HERE.parent, HERE / "issuer", HERE / "verifier"):  # the services' own test helpers
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import requests  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from oid4vci_helpers import new_offer, served_issuer  # noqa: E402,F401 (re-exported)
from passport import sign  # noqa: E402
from passport.crypto.keys import Ed25519Key  # noqa: E402
from passport.encoding.timeutil import format_datetime  # noqa: E402
from passport.format.trust import TrustRegistry, TrustStore  # noqa: E402
from support import NOW  # noqa: E402
from test_wallet_support import ria_world  # noqa: E402
from verifier_helpers import base_config as verifier_config  # noqa: E402
from verifier_service import create_app as create_verifier  # noqa: E402

VERIFIER_KEY = Ed25519Key(bytes(range(32)))
EMPLOYER = "Zorggroep De Brug"
REGISTERED_ISSUER = "ROC Testland (vertrouwensregister)"


@contextmanager
def served_verifier(tmp_path: Path, *, registry_document: dict[str, Any] | None = None,
                    **config: Any) -> Iterator[str]:
    """The verifier service (Ria's demo registry or ``registry_document``, SQLite, its clock at NOW
    unless ``config`` sets ``CLOCK``) on 127.0.0.1; its base URL."""
    world = ria_world()
    now = config.get("CLOCK", lambda: NOW)()
    registry, bundle = tmp_path / "verifier-registry.json", tmp_path / "verifier-bundle.json"
    registry.write_text(json.dumps(registry_document or world.registry), encoding="utf-8")
    bundle.write_text(json.dumps({"created": format_datetime(now - timedelta(hours=2)),
                                  "statusLists": world.status_documents, "didDocuments": {}}), encoding="utf-8")
    key_file = tmp_path / "verifier.key.json"
    VERIFIER_KEY.save(str(key_file))
    trust_files = {"registry": str(registry), "bundle": str(bundle), "signer": world.keys["registry"].did}
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'verifier.sqlite3'}", "DATABASE_SCHEMA": None}
    app = create_verifier(verifier_config(trust_files, database, DOMAIN="127.0.0.1", PUBLIC_URL=None,
                                          KEY_FILE=str(key_file), **config))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app.config["PUBLIC_URL"]
    finally:
        server.shutdown()
        thread.join(timeout=10)


def new_request(base: str, **body: Any) -> dict[str, Any]:
    """An OpenID4VP request made by the verifier (its link, QR code and read token)."""
    answer = requests.post(base + "/challenges", json=body, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


def answered(base: str, created: dict[str, Any]) -> dict[str, Any]:
    return requests.get(base + created["statusUrl"], timeout=10,
                        headers={"Authorization": f"Bearer {created['readToken']}"}).json()


def signed_registry(*entries: dict[str, Any]) -> dict[str, Any]:
    """Ria's demo registry with ``entries`` added, signed again by the registry operator's key."""
    world = ria_world()
    registry = json.loads(json.dumps(world.registry))
    registry.pop("proof")
    registry["credentialSubject"]["issuers"].extend(entries)
    return sign(registry, world.keys["registry"], created=NOW)


def registry_trust(signed: dict[str, Any], now: datetime) -> TrustStore:
    """``signed`` (a registry from ``signed_registry``) as the worker's own trust registry."""
    signer = ria_world().keys["registry"].did
    return TrustStore([TrustRegistry.from_credential(signed, trusted_signers=frozenset({signer}), now=now)])


def employer_entry() -> dict[str, Any]:
    return {"id": VERIFIER_KEY.did, "name": EMPLOYER, "role": "werkgever", "credentialTypes": []}


def trust_store(*, issuer: tuple[str, str] | None = None, employer: bool = False) -> TrustStore:
    """Ria's demo registry, signed again with the issuer (``(did, base URL)``: found by its status
    lists) and the employer's verifier key added, as the worker's own trust registry."""
    listed = []
    if issuer is not None:
        did, base = issuer
        listed.append({"id": did, "name": REGISTERED_ISSUER, "role": "opleider", "credentialTypes": [],
                       "statusLists": [base + "/status/"]})
    if employer:
        listed.append(employer_entry())
    return registry_trust(signed_registry(*listed), NOW + timedelta(days=10))
