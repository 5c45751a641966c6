"""The reference apps of the server benchmarks, served like the services (same server, workers
and load), so that the difference in worker CPU per request is what the service adds:

- ``create_app()``: Flask doing nothing but a small JSON answer. Its worker CPU per request is
  what the server, Flask and Werkzeug cost on their own.
- ``create_library_app()``: the same, plus what the verifier cannot avoid: the strict parse of
  the body and one ``passport.check`` (the VC API policy, the caller's challenge and domain from
  ``options``), with the trust registries, signers and offline bundle of the verifier's
  ``PASPOORT_VERIFIER_*`` variables and the status lists verified once. Minus the bare app, it
  is the library's parse + check measured in a worker under the same load, not in a quiet loop.

Each POST reads its body, as every view of the services does; ``GET /openapi.json`` answers the
readiness probe of ``passport.demo.servers.Server``.

    gunicorn 'bench.bare_app:create_app()'        (from the repository root)
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Callable

from flask import Flask, Response, request

PATHS = ("/credentials/verify", "/presentations/verify", "/credentials/issue")
ANSWER = b'{"verified":true}'


def _app(view: Callable[[bytes], None]) -> Flask:
    app = Flask(__name__)

    def answer() -> Response:
        view(request.get_data(cache=False))
        return Response(ANSWER, content_type="application/json")

    for path in PATHS:
        app.add_url_rule(path, endpoint=path, view_func=answer, methods=["POST"])
    app.add_url_rule("/openapi.json", endpoint="openapi", view_func=lambda: {"openapi": "3.1.0"})
    return app


def create_app() -> Flask:
    return _app(lambda body: None)


def create_library_app() -> Flask:
    from passport import StatusSource, TrustRegistry, TrustStore, check
    from passport.encoding import jsonio
    from passport.verification.policy import VCDM

    now = datetime.now(timezone.utc)
    signers = frozenset(os.environ["PASPOORT_VERIFIER_TRUST_SIGNERS"].split(","))
    trust = TrustStore([TrustRegistry.from_credential(jsonio.load_file(path), trusted_signers=signers, now=now)
                        for path in os.environ["PASPOORT_VERIFIER_TRUST_REGISTRIES"].split(",")])
    bundle = os.environ.get("PASPOORT_VERIFIER_OFFLINE_BUNDLE")
    status = StatusSource(jsonio.load_file(bundle, max_bytes=64 * 1024 * 1024)["statusLists"] if bundle else None)

    def parse_and_check(body: bytes) -> None:
        parsed = jsonio.loads(body)
        document = parsed.get("verifiableCredential") or parsed["verifiablePresentation"]
        options = parsed.get("options", {})
        report = check(document, now=datetime.now(timezone.utc), trust=trust, status=status, policy=VCDM,
                       challenge=options.get("challenge"), domain=options.get("domain"))
        if not report.verified:
            raise RuntimeError("the benchmark's document did not verify")
    return _app(parse_and_check)
