"""Trust registries for the verifier tests whose status lists live on a local test server.

The demo world's registry places each issuer's status lists at ``https://status.<role>.example/
lists/``; a verifier fetches nothing elsewhere. Tests that serve lists from 127.0.0.1 list that
location for the examiner (De Wilgenhoeve) in a copy of the registry, signed by the same operator.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from passport import sign
from passport.demo.world import World
from verifier_helpers import NOW


def registry_listing(world: World, locations: list[str], role: str = "zorg-examinator") -> dict[str, Any]:
    """The world's registry with ``locations`` added to ``role``'s ``statusLists``, signed again."""
    registry = copy.deepcopy(world.registry)
    registry.pop("proof")
    did = world.keys[role].did
    entry = next(e for e in registry["credentialSubject"]["issuers"] if e["id"] == did)
    entry["statusLists"] = [*entry.get("statusLists", []), *locations]
    return sign(registry, world.keys["registry"], created=NOW)


def registry_file(world: World, folder: Path, locations: list[str], role: str = "zorg-examinator") -> str:
    path = Path(folder) / f"registry-{abs(hash(tuple(locations)))}.json"
    path.write_text(json.dumps(registry_listing(world, locations, role)), encoding="utf-8")
    return str(path)
