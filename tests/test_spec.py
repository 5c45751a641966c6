"""SPEC.md says what the code does: every error code is in its table, every check in its order."""
from pathlib import Path

import pytest

from passport.errors import all_error_classes
from passport.verifier import CREDENTIAL_STEPS

SPEC = (Path(__file__).resolve().parents[1] / "SPEC.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("cls", all_error_classes(), ids=lambda cls: cls.code)
def test_every_error_code_is_in_the_spec_table(cls):
    assert f"| `{cls.code}` | {cls.status} | `{cls.__name__}` |" in SPEC


def test_credential_checks_are_listed_in_code_order():
    table = SPEC[SPEC.index("### 8.1"):SPEC.index("### 8.2")]
    positions = [table.index(f"| `{step}` |") for step in CREDENTIAL_STEPS]
    assert positions == sorted(positions)
