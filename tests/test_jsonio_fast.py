"""``jsonio.loads`` (native scan + CPython's parser + a member count) agrees with
``jsonio.loads_reference`` (the pairs-hook parser) on every input: the same value with the same
types and key order, or the same error code and details."""
from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from passport.encoding import jsonio
from passport.encoding.jcs import MAX_DEPTH
from passport.errors import PassportError

pytestmark = pytest.mark.skipif(jsonio._scan is None, reason="the native module is not built")

keys = st.sampled_from(["a", "b", "id", "proof", "\\u0061", "\u00e9", "\\\"", ":", "[{", "\\\\"])
numbers = st.one_of(
    st.integers(-(2**60), 2**60).map(str),
    st.sampled_from(["1e400", "-1E+400", "NaN", "Infinity", "-Infinity", "9007199254740992", "1.5", "-0",
                     "1e-400", "01", "1" * 30, "2.", ".5"]),
)
strings = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=6).map(json.dumps),
    st.sampled_from(['"\\ud800"', '"a:b"', '"{[\\""', '"\\u0000"', '"\\x"', '"tab\there"']),
)
leaves = st.one_of(numbers, strings, st.sampled_from(["true", "false", "null", "tru"]))


def _join(items: list[str], open_: str, close: str, spaced: bool) -> str:
    separator = ", " if spaced else ","
    return open_ + separator.join(items) + close


texts = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.builds(_join, st.lists(children, max_size=4), st.just("["), st.just("]"), st.booleans()),
        st.builds(_join, st.lists(st.builds(lambda k, v: f'"{k}": {v}', keys, children), max_size=4),
                  st.just("{"), st.just("}"), st.booleans()),
    ),
    max_leaves=25,
)


def outcome(parse, data):
    try:
        value = parse(data)
    except PassportError as exc:
        return ("error", exc.code, exc.message, exc.details)
    return ("value", json.dumps(value), repr(value))


def assert_agree(data) -> None:
    assert outcome(jsonio.loads, data) == outcome(jsonio.loads_reference, data)


@settings(max_examples=500, deadline=None)
@given(texts, st.booleans())
@example('{"a": 1, "a": 1}', False)
@example('[{"ok": {"x": 1}}, {"id": "a", "\\u0069d": "b"}]', True)
@example('{"a": [1, {"b": 2}], "c": {"b": 1}, "b": 3}', False)  # equal keys in different objects are fine
@example("[" * MAX_DEPTH + "]" * MAX_DEPTH, False)
@example("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), False)
@example('["' + "[" * 100 + '"]', False)
def test_fast_path_agrees_with_the_reference(text: str, as_bytes: bool) -> None:
    assert_agree(text.encode("utf-8") if as_bytes else text)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_agreement_on_damaged_text(text: str, data) -> None:
    """Characters cut out or put in anywhere: both accept the same, or name the same error."""
    position = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 3))
    inserted = data.draw(st.sampled_from(["", ":", ",", '"', "\\", "{", "]", '"a":1,', "\ufeff", " "]))
    assert_agree(text[:position] + inserted + text[position + cut:])


@pytest.mark.parametrize("data", [
    pytest.param('{"a": 1, "b": {"a": 2, "a": 3}}', id="nested-duplicate"),
    pytest.param('{"k": "x:y", "k": 1}', id="colon-in-string-and-duplicate"),
    pytest.param('{"a": 1}' + " " * 10 + ":", id="stray-colon-after-document"),
    pytest.param('[1, 2', id="unclosed"),
])
def test_named_cases_agree(data: str) -> None:
    assert_agree(data)


def test_member_count_of_a_value() -> None:
    assert jsonio._members({"a": [{"b": 1, "c": {}}, [], {"d": None}], "e": "f:g"}) == 5
    assert jsonio._scan(b'{"a": [{"b": 1, "c": {}}, [], {"d": null}], "e": "f:g"}') == 5
    assert jsonio._scan(b"[" * (MAX_DEPTH + 1)) == -1
    assert jsonio._scan(b'["\\"' + b"[" * 100 + b'"]') == 0
