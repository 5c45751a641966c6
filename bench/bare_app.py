"""The reference app of the server benchmarks: Flask doing nothing but a small JSON answer.

Served by the same server, with the same workers, under the same load as a service, its worker
CPU per request is what the server, Flask and Werkzeug cost on their own; the service's CPU per
request minus this is what the service adds (``bench_verifier.py``, ``bench_servers.py``). Each
POST reads its body, as every view of the services does; ``GET /openapi.json`` answers the
readiness probe of ``passport.demo.servers.Server``.

    gunicorn 'bench.bare_app:create_app()'        (from the repository root)
"""
from __future__ import annotations

from flask import Flask, Response, request

PATHS = ("/credentials/verify", "/presentations/verify", "/credentials/issue")
ANSWER = b'{"verified":true}'


def create_app() -> Flask:
    app = Flask(__name__)

    def answer() -> Response:
        request.get_data(cache=False)
        return Response(ANSWER, content_type="application/json")

    for path in PATHS:
        app.add_url_rule(path, endpoint=path, view_func=answer, methods=["POST"])
    app.add_url_rule("/openapi.json", endpoint="openapi", view_func=lambda: {"openapi": "3.1.0"})
    return app
