"""The official 1EdTech Open Badges 3.0 JSON Schemas (draft 2019-09), read from the published vectors.

``ob_errors`` validates an OB-shaped credential against AchievementCredential (OpenBadgeCredential)
or EndorsementCredential and returns every error as ``(path, message)``, except the one known
schema artefact: the schema build asks for ``proof`` as an array, the OB data model allows one
object (1EdTech's own signed example fails the same way; see the vectors' README).
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import pytest
from jsonschema import Draft201909Validator

from support import VECTORS, VECTORS_MISSING, VECTORS_PRESENT

OB_FOLDER = VECTORS / "open-badges-3.0"
SCHEMA_FILES = {"EndorsementCredential": "endorsementcredential.schema.json",
                "OpenBadgeCredential": "achievementcredential.schema.json"}


def _validator(kind: str) -> Draft201909Validator:
    """The official schema's validator; skips the test when the vectors are absent."""
    if not VECTORS_PRESENT or not OB_FOLDER.is_dir():
        pytest.skip(VECTORS_MISSING if not VECTORS_PRESENT else f"the OB 3.0 schemas are not in {OB_FOLDER}")
    return _compiled(kind)


@lru_cache(maxsize=None)
def _compiled(kind: str) -> Draft201909Validator:
    return Draft201909Validator(json.loads((OB_FOLDER / SCHEMA_FILES[kind]).read_text(encoding="utf-8")))


def ob_kind(credential: dict[str, Any]) -> str | None:
    types = credential.get("type", [])
    return next((kind for kind in SCHEMA_FILES if kind in types), None)


def is_proof_artefact(error) -> bool:
    """The schema's ``proof`` must be an array; one proof object is what the OB data model allows."""
    return list(error.absolute_path) == ["proof"] and error.validator == "type" and isinstance(error.instance, dict)


def ob_errors(credential: dict[str, Any]) -> list[tuple[str, str]]:
    """Every OB 3.0 schema error but the proof artefact; skips the test when the vectors are absent."""
    kind = ob_kind(credential)
    assert kind is not None, f"{credential.get('type')} is not an OB credential type"
    return [("/".join(map(str, error.absolute_path)), error.message)
            for error in _validator(kind).iter_errors(credential) if not is_proof_artefact(error)]
