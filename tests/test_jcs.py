"""RFC 8785 canonical form: ``passport.encoding.jcs.canonicalize`` against the reference ``rfc8785``.

``canonicalize`` takes a fast path (``json.dumps`` with sorted keys) when it can prove that the
result is the same, and the reference implementation otherwise; generated documents check
both paths, and the RFC's own examples pin the exact bytes.
"""
from __future__ import annotations

import json
import math
import struct

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passport.encoding import jsonio
from passport.errors import NestingTooDeep, NumberNotCanonical, PassportError, StringNotCanonical, StructureInvalid
from passport.encoding import jcs
from passport.encoding.jcs import (
    MAX_DEPTH,
    MAX_SAFE_INTEGER,
    canonicalize,
    canonicalize_python,
    canonical_chunks_with_member,
    canonicalize_split,
)

# --- strategies ---------------------------------------------------------------------------
NO_SURROGATES = {"exclude_categories": ["Cs"]}
_characters = st.one_of(
    st.characters(max_codepoint=0x1F),                                        # control characters
    st.sampled_from('"\\/\u007f\u2028\u2029\ufeff'),                        # escapes and oddities
    st.characters(min_codepoint=0xE000, max_codepoint=0xFFFF, **NO_SURROGATES),  # sort above surrogates
    st.characters(min_codepoint=0x10000),                                     # non-BMP (surrogate pairs)
    st.characters(**NO_SURROGATES),
)
texts = st.text(_characters, max_size=12)
# Few distinct key characters so that objects often mix BMP-high and non-BMP keys.
keys = st.one_of(
    st.text(st.sampled_from(["a", "b", "\u00e9", "\ue000", "\uffee", "\ufb33", "\U0001f600", "\U00010000"]), max_size=3),
    texts,
)
safe_integers = st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=True, max_value=1e-300, min_value=-1e-300),
    st.integers(-(2**60), 2**60).map(float),                                 # integral floats
    st.sampled_from([0.0, -0.0, 1e21, 1e-7, 1e20, 1e-6, 5e-324, -5e-324, 2.0**53, 1.7976931348623157e308, 0.1, 4.5]),
)
scalars = st.one_of(st.none(), st.booleans(), texts, safe_integers)


def json_values(leaves: st.SearchStrategy) -> st.SearchStrategy:
    return st.recursive(
        leaves,
        lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)),
        max_leaves=25,
    )


values_without_floats = json_values(scalars)
values_with_floats = json_values(st.one_of(scalars, floats))
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- properties ---------------------------------------------------------------------------
@SETTINGS
@given(values_without_floats)
def test_matches_reference_without_floats(value: object) -> None:
    assert canonicalize(value) == rfc8785.dumps(value)


@SETTINGS
@given(values_with_floats)
def test_matches_reference_with_floats(value: object) -> None:
    assert canonicalize(value) == rfc8785.dumps(value)


@SETTINGS
@given(json_values(st.one_of(scalars, floats)))
def test_python_path_matches_reference(value: object) -> None:
    """The path taken without the native module, and for whatever it declines."""
    assert canonicalize_python(value) == rfc8785.dumps(value)


def test_native_module_is_built() -> None:
    """Without it verification is about a third slower; `pip install -e .` builds it."""
    assert jcs.NATIVE, "passport._native is missing: reinstall with `pip install -e .` (needs a C compiler)"


@pytest.mark.skipif(not jcs.NATIVE, reason="passport._native is not built")
@pytest.mark.parametrize("value, answer", [
    ({"a": [1, "x", None, True, False]}, b'{"a":[1,"x",null,true,false]}'),
    (1.5, 1), ({"\U0001f600": 1}, 1), ([0.0], 1),
    (2**53, 2), (-(2**53), 2), ("\ud800", 2), ((1,), 2), ({1: 2}, 2), (b"x", 2),
    (type("Sub", (dict,), {})(), 2), (type("Text", (str,), {})("x"), 2),
])
def test_native_encoder_declines_what_python_must_handle(value: object, answer: object) -> None:
    """1: the reference path formats it; 2: the Python path raises the error with its message."""
    from passport._native import canonical
    assert canonical(value) == answer


@SETTINGS
@given(st.text(st.one_of(_characters, st.sampled_from("abcdefgh")), min_size=7, max_size=70))
def test_long_strings_with_escapes_anywhere(value: str) -> None:
    """The native encoder skips plain bytes eight at a time: escapes at every offset of a word."""
    assert canonicalize(value) == rfc8785.dumps(value)
    assert canonicalize({value: [value]}) == rfc8785.dumps({value: [value]})


@SETTINGS
@given(st.dictionaries(keys, json_values(st.one_of(scalars, floats)), min_size=1, max_size=7), st.data())
def test_split_equals_two_canonicalizations(document: dict, data: st.DataObject) -> None:
    """The one-pass (whole, without one member) pair that presentation checks use."""
    key = data.draw(st.sampled_from(sorted(document)))
    rest = {name: value for name, value in document.items() if name != key}
    assert canonicalize_split(document, key) == (rfc8785.dumps(document), rfc8785.dumps(rest))


@SETTINGS
@given(st.dictionaries(keys, values_with_floats, max_size=6), keys, values_with_floats)
def test_member_added_to_canonical_bytes(rest: dict, key: str, value: object) -> None:
    """How a presentation's bytes are put together from its credentials' bytes."""
    whole = canonicalize(value)
    chunks = [whole[:3], whole[3:]]
    assert b"".join(canonical_chunks_with_member(rest, key, value, chunks)) == rfc8785.dumps({**rest, key: value})


@pytest.mark.parametrize("document, key", [
    ({"a": 1}, "proof"),  # not there
    ({"proof": 1, "x": 2**60}, "proof"),  # an integer the Python path refuses
    ({"proof": {"a": 1}, "b": [[[]]]}, "proof"),
])
def test_split_agrees_with_canonicalize_on_odd_input(document: dict, key: str) -> None:
    rest = {name: value for name, value in document.items() if name != key}
    try:
        expected = (canonicalize(document), canonicalize(rest))
    except PassportError as exc:
        with pytest.raises(type(exc)):
            canonicalize_split(document, key)
    else:
        assert canonicalize_split(document, key) == expected


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, scalars, min_size=2, max_size=8))
def test_object_key_order_matches_reference(value: dict) -> None:
    assert canonicalize(value) == rfc8785.dumps(value)


@settings(max_examples=200, deadline=None)
@given(values_without_floats)
def test_canonical_form_parses_back_strictly(value: object) -> None:
    data = canonicalize(value)
    assert jsonio.loads(data) == value
    assert canonicalize(jsonio.loads(data)) == data


# --- RFC 8785 examples --------------------------------------------------------------------
# Appendix B: IEEE 754 bit patterns and their ES6 serialisation.
RFC_NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


def from_bits(hex_bits: str) -> float:
    return struct.unpack(">d", bytes.fromhex(hex_bits))[0]


@pytest.mark.parametrize("bits, expected", [pytest.param(b, e, id=b) for b, e in RFC_NUMBERS])
def test_rfc8785_appendix_b_numbers(bits: str, expected: str) -> None:
    assert canonicalize(from_bits(bits)) == expected.encode()
    assert canonicalize([from_bits(bits)]) == f"[{expected}]".encode()


@pytest.mark.parametrize("bits", [pytest.param("7fffffffffffffff", id="NaN"), pytest.param("7ff0000000000000", id="Infinity")])
def test_rfc8785_appendix_b_non_finite(bits: str) -> None:
    with pytest.raises(NumberNotCanonical) as caught:
        canonicalize({"n": from_bits(bits)})
    assert caught.value.code == "NUMBER_NOT_CANONICAL"


def test_rfc8785_section_3_2_2_example() -> None:
    source = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonicalize(jsonio.loads(source)) == expected.encode("utf-8")


def test_rfc8785_section_3_2_3_sorting_example() -> None:
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    expected = (
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",'
        '"\u20ac":"Euro Sign","\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
    )
    assert canonicalize(value) == expected.encode("utf-8")


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param({"b": 1, "a": [True, False, None]}, b'{"a":[true,false,null],"b":1}', id="sorted-keys-literals"),
        pytest.param("\u0000\u0008\u0009\u000a\u000c\u000d\u001f", b'"\\u0000\\b\\t\\n\\f\\r\\u001f"', id="control-escapes"),
        pytest.param("\u007f\u2028/\u00e9", '"\u007f\u2028/\u00e9"'.encode("utf-8"), id="no-escape-above-1f"),
        pytest.param('"\\', b'"\\"\\\\"', id="quote-backslash"),
        pytest.param(MAX_SAFE_INTEGER, b"9007199254740991", id="max-safe-integer"),
        pytest.param(-MAX_SAFE_INTEGER, b"-9007199254740991", id="min-safe-integer"),
        pytest.param(-0.0, b"0", id="minus-zero"),
        pytest.param(1.0, b"1", id="integral-float"),
        pytest.param({"\ue000": 1, "\U00010000": 2}, '{"\U00010000":2,"\ue000":1}'.encode("utf-8"), id="utf16-order"),
        pytest.param([], b"[]", id="empty-array"),
        pytest.param({}, b"{}", id="empty-object"),
    ],
)
def test_explicit_values(value: object, expected: bytes) -> None:
    assert canonicalize(value) == expected
    assert rfc8785.dumps(value) == expected


# --- refusals -----------------------------------------------------------------------------
def nested(depth: int, inner: object = 1) -> object:
    value = inner
    for _ in range(depth):
        value = [value]
    return value


circular: dict = {}
circular["self"] = circular

INVALID = [
    pytest.param(2**53, "NUMBER_NOT_CANONICAL", id="int-2**53"),
    pytest.param(-(2**53), "NUMBER_NOT_CANONICAL", id="int-minus-2**53"),
    pytest.param({"a": [10**30]}, "NUMBER_NOT_CANONICAL", id="int-10**30-nested"),
    pytest.param({"a": 10**30, "f": 1.5}, "NUMBER_NOT_CANONICAL", id="int-10**30-with-float"),
    pytest.param(math.nan, "NUMBER_NOT_CANONICAL", id="nan"),
    pytest.param(math.inf, "NUMBER_NOT_CANONICAL", id="inf"),
    pytest.param({"x": [-math.inf]}, "NUMBER_NOT_CANONICAL", id="minus-inf-nested"),
    pytest.param({"\U0001f600": math.nan}, "NUMBER_NOT_CANONICAL", id="nan-slow-path"),
    pytest.param("\ud800", "STRING_NOT_CANONICAL", id="lone-high-surrogate"),
    pytest.param(["ok", "\udfff"], "STRING_NOT_CANONICAL", id="lone-low-surrogate-nested"),
    pytest.param({"\ud83d": 1}, "STRING_NOT_CANONICAL", id="lone-surrogate-key"),
    pytest.param({"s": "\ud800", "f": 1.5}, "STRING_NOT_CANONICAL", id="lone-surrogate-slow-path"),
    pytest.param({"\U0001f600": "\udc00"}, "STRING_NOT_CANONICAL", id="lone-surrogate-non-bmp-key"),
    pytest.param((1, 2), "STRUCTURE_INVALID", id="tuple"),
    pytest.param({"a": (1,)}, "STRUCTURE_INVALID", id="tuple-nested"),
    pytest.param(b"bytes", "STRUCTURE_INVALID", id="bytes"),
    pytest.param({1: "a"}, "STRUCTURE_INVALID", id="int-key"),
    pytest.param({None: "a"}, "STRUCTURE_INVALID", id="none-key"),
    pytest.param({True: "a"}, "STRUCTURE_INVALID", id="bool-key"),
    pytest.param({"a": {1, 2}}, "STRUCTURE_INVALID", id="set"),
    pytest.param({"a": object()}, "STRUCTURE_INVALID", id="object"),
    pytest.param({"a": 1.5, "b": (1,)}, "STRUCTURE_INVALID", id="tuple-with-float"),
    pytest.param(nested(MAX_DEPTH + 1), "NESTING_TOO_DEEP", id="depth-65"),
    pytest.param(nested(1000), "NESTING_TOO_DEEP", id="depth-1000"),
    pytest.param(nested(MAX_DEPTH + 1, 1.5), "NESTING_TOO_DEEP", id="depth-65-with-float"),
    pytest.param(circular, "NESTING_TOO_DEEP", id="circular"),
]


@pytest.mark.parametrize("encode", [canonicalize, canonicalize_python], ids=["canonicalize", "python"])
@pytest.mark.parametrize("value, code", INVALID)
def test_refused(value: object, code: str, encode) -> None:
    with pytest.raises(PassportError) as caught:
        encode(value)
    assert caught.value.code == code
    assert type(caught.value) in (NumberNotCanonical, StringNotCanonical, StructureInvalid, NestingTooDeep)


def test_depth_limit_matches_strict_parser() -> None:
    deepest = "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH
    assert canonicalize(jsonio.loads(deepest)) == deepest.encode()
    assert canonicalize(nested(MAX_DEPTH)) == deepest.encode()


def test_integer_error_names_the_value() -> None:
    with pytest.raises(NumberNotCanonical) as caught:
        canonicalize({"n": 2**53})
    assert caught.value.details["value"] == str(2**53)
    assert caught.value.status == 400


def test_output_is_utf8_not_ascii_escaped() -> None:
    assert canonicalize({"naam": "Ri\u00eb \U0001f600"}) == '{"naam":"Ri\u00eb \U0001f600"}'.encode("utf-8")
    assert json.loads(canonicalize({"naam": "\u00eb"})) == {"naam": "\u00eb"}
