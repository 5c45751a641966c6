"""Digital Bazaar's eddsa-rdfc-2022 stack (node), run from Python: verify, sign and time.

``eddsa-rdfc.js`` beside this file does the work; the npm packages are pinned in
``package-lock.json`` and installed by ``npm ci --prefix tests/interop`` (``.ci/run`` does it).
The JSON-LD contexts node may read are ours: every shipped context (``passport.jsonld.CONTEXTS``,
read from the package's files) and any extra the caller passes, sent on stdin with the request.
Node's loader refuses every other URL, so nothing is fetched. Used by tests/test_rdfc_interop.py
and bench/bench_rdfc.py.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Mapping

from passport.jsonld import CONTEXTS, context_document

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "eddsa-rdfc.js"
PACKAGE = "@digitalbazaar/eddsa-rdfc-2022-cryptosuite"


class NodeFailed(RuntimeError):
    """The node script exited with an error (its stderr is the message)."""


def unavailable() -> str | None:
    """Why the node stack cannot run here (None: it can)."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm)"
    if not (HERE / "node_modules" / PACKAGE).is_dir():
        return f"{PACKAGE} is not installed in tests/interop/node_modules (run: npm ci --prefix tests/interop)"
    return None


def contexts(extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every shipped context document by URL, plus ``extra`` (URL -> parsed context document)."""
    return {**{url: context_document(url) for url in CONTEXTS}, **(extra or {})}


def run(request: Mapping[str, Any], *, extra_contexts: Mapping[str, Any] | None = None,
        timeout: float = 120) -> dict[str, Any]:
    """Send one request to the script; its JSON answer. ``NodeFailed`` when it fails."""
    payload = json.dumps({**request, "contexts": contexts(extra_contexts)})
    done = subprocess.run(["node", str(SCRIPT)], input=payload, capture_output=True, text=True, timeout=timeout,
                          cwd=HERE)
    if done.returncode != 0:
        raise NodeFailed(done.stderr.strip() or f"node exited with {done.returncode}")
    return json.loads(done.stdout)


def verify(documents: list[Mapping[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
    """``{"verified": bool, "error": str | None}`` for each signed document (proof purpose assertionMethod)."""
    return run({"command": "verify", "documents": documents}, **kwargs)["results"]


def sign(document: Mapping[str, Any], seed: bytes, created: str, **kwargs: Any) -> dict[str, Any]:
    """``document`` signed by node with eddsa-rdfc-2022, by the did:key of the Ed25519 ``seed``."""
    return run({"command": "sign", "document": document, "seed": seed.hex(), "created": created}, **kwargs)["signed"]


def time_verify(document: Mapping[str, Any], seconds: float = 2.0, *, count: int | None = None,
                warmup: float = 2.0, **kwargs: Any) -> float:
    """Node's median CPU seconds per verify of ``document`` (warm; as bench/common.py's per_call).

    ``count``: five rounds of ``count / 5`` verifies instead of about ``seconds / 5`` each;
    ``warmup``: seconds of verifies first. ``NodeFailed`` when the document does not verify."""
    request = {"command": "time", "document": document, "seconds": seconds, "warmup": warmup,
               **({"count": count} if count else {})}
    return run(request, timeout=120 + 5 * seconds + warmup + (count or 0), **kwargs)["cpuMicroseconds"] / 1e6
