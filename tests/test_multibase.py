"""base58btc: the native decoder, the Python decoder and the encoder agree on every input."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passport.encoding import multibase
from passport.encoding.multibase import b58decode, b58decode_python, b58encode

# Bitcoin's base58 test cases (hex, base58), leading zero bytes included.
KNOWN = [
    ("", ""),
    ("61", "2g"),
    ("626262", "a3gV"),
    ("636363", "aPEr"),
    ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
    ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
    ("516b6fcd0f", "ABnLTmg"),
    ("bf4f89001e670274dd", "3SEo3LWLoPntC"),
    ("572e4794", "3EFU7m"),
    ("ecac89cad93923c02321", "EJDM8drfXA6uyA"),
    ("10c8511e", "Rt5zm"),
    ("00000000000000000000", "1111111111"),
]


@pytest.mark.parametrize("decode", [b58decode, b58decode_python], ids=["b58decode", "python"])
@pytest.mark.parametrize("hex_bytes, text", KNOWN)
def test_known_values(decode, hex_bytes: str, text: str) -> None:
    assert decode(text) == bytes.fromhex(hex_bytes)
    assert b58encode(bytes.fromhex(hex_bytes)) == text


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=80))
def test_round_trip_and_paths_agree(data: bytes) -> None:
    text = b58encode(data)
    assert b58decode(text) == data == b58decode_python(text)


@pytest.mark.parametrize("decode", [b58decode, b58decode_python], ids=["b58decode", "python"])
@pytest.mark.parametrize("text, bad", [("z0abc", "0"), ("abcO", "O"), ("Il", "I"), ("ab\u00e9", "\u00e9"),
                                       ("ab cd", " "), ("12\U0001f600", "\U0001f600")])
def test_character_outside_alphabet_is_named(decode, text: str, bad: str) -> None:
    with pytest.raises(ValueError) as caught:
        decode(text)
    assert repr(bad) in str(caught.value)


def test_native_decoder_is_built() -> None:
    assert multibase._native_b58decode is not None, "reinstall with `pip install -e .` (needs a C compiler)"
