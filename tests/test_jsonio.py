"""Strict JSON input: everything a lenient parser lets through is refused with its own code."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support import within_seconds
from passport.encoding import jsonio
from passport.errors import InputTooLarge, MalformedJSON, NestingTooDeep, PassportError
from passport.encoding.jcs import MAX_DEPTH, MAX_SAFE_INTEGER, canonicalize


def refused(data: bytes | str, **kwargs: object) -> PassportError:
    with pytest.raises(PassportError) as caught:
        jsonio.loads(data, **kwargs)
    return caught.value


# --- malformed ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data, line, column",
    [
        pytest.param('{"a": 1,}', 1, 9, id="trailing-comma"),
        pytest.param('{\n  "a": 1\n  "b": 2\n}', 3, 3, id="missing-comma-line-3"),
        pytest.param("{'a': 1}", 1, 2, id="single-quotes"),
        pytest.param("", 1, 1, id="empty"),
        pytest.param('{"a": 1} x', 1, 10, id="extra-data"),
        pytest.param('["unterminated', 1, 2, id="unterminated-string"),
        pytest.param('{"a": tru}', 1, 7, id="bad-literal"),
        pytest.param('["tab\there"]', 1, 6, id="raw-control-character-in-string"),
        pytest.param('\ufeff{"a": 1}', 1, 1, id="byte-order-mark"),
        pytest.param("[01]", 1, 3, id="leading-zero"),
    ],
)
def test_malformed_json_names_line_and_column(data: str, line: int, column: int) -> None:
    error = refused(data)
    assert error.code == "MALFORMED_JSON"
    assert (error.details["line"], error.details["column"]) == (line, column)
    assert f"line {line} column {column}" in error.message
    assert error.status == 400


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'{"a": "\xff"}', id="invalid-byte"),
        pytest.param(b'{"a": "\xc3"}', id="truncated-sequence"),
        pytest.param(b'{"a": "\xed\xa0\x80"}', id="encoded-surrogate"),
        pytest.param('{"a": 1}'.encode("utf-16"), id="utf-16"),
        pytest.param('{"a": "\u00e9"}'.encode("latin-1"), id="latin-1"),
    ],
)
def test_non_utf8_bytes(data: bytes) -> None:
    error = refused(data)
    assert error.code == "MALFORMED_JSON"
    assert "UTF-8" in error.message


def test_text_with_lone_surrogate_is_refused_with_a_code() -> None:
    # A str can hold a lone surrogate (e.g. read with errors="surrogateescape"); it has no UTF-8 form.
    error = refused('{"a": "\udcff"}')
    assert error.code in ("MALFORMED_JSON", "STRING_NOT_CANONICAL")


# --- duplicate keys -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "data, key",
    [
        pytest.param('{"a": 1, "a": 1}', "a", id="top-level-same-value"),
        pytest.param('{"a": 1, "b": 2, "a": 3}', "a", id="top-level"),
        pytest.param('{"x": {"proof": {}, "proof": {}}}', "proof", id="nested-object"),
        pytest.param('[{"ok": 1}, {"id": "a", "id": "b"}]', "id", id="object-in-array"),
        pytest.param('{"\\u0061": 1, "a": 2}', "a", id="escaped-spelling"),
    ],
)
def test_duplicate_key(data: str, key: str) -> None:
    error = refused(data)
    assert error.code == "DUPLICATE_KEY"
    assert error.details["key"] == key


# --- numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        pytest.param('{"n": NaN}', id="NaN"),
        pytest.param('{"n": Infinity}', id="Infinity"),
        pytest.param('[-Infinity]', id="minus-Infinity"),
        pytest.param('{"n": 1e400}', id="1e400-overflow"),
        pytest.param('[-1E+400]', id="minus-1e400-overflow"),
        pytest.param("[" + "9" * 400 + ".0]", id="400-digit-float-overflow"),
        pytest.param(f"[{2**53 + 1}]", id="int-2**53+1"),
        pytest.param(f"[-{2**53 + 1}]", id="int-minus-2**53-1"),
        pytest.param("[" + "1" * 400 + "]", id="int-400-digits"),
        pytest.param("[-" + "1" * 400 + "]", id="int-minus-400-digits"),
    ],
)
def test_numbers_without_canonical_form(data: str) -> None:
    assert refused(data).code == "NUMBER_NOT_CANONICAL"


def test_huge_integer_is_refused_fast() -> None:
    with within_seconds(1.0):
        error = refused("[" + "7" * 1_000_000 + "]")
    assert error.code == "NUMBER_NOT_CANONICAL"
    assert len(error.details["value"]) <= 40


@pytest.mark.parametrize(
    "data, value",
    [
        pytest.param(f"[{MAX_SAFE_INTEGER}]", [MAX_SAFE_INTEGER], id="max-safe-integer"),
        pytest.param(f"[-{MAX_SAFE_INTEGER}]", [-MAX_SAFE_INTEGER], id="min-safe-integer"),
        pytest.param("[1e308, -0.0, 1e-400]", [1e308, -0.0, 0.0], id="large-and-underflowing-floats"),
        pytest.param("[0, -0, 1.5e3]", [0, 0, 1500.0], id="zeros-and-exponent"),
    ],
)
def test_numbers_accepted(data: str, value: list) -> None:
    assert jsonio.loads(data) == value


# --- size ---------------------------------------------------------------------------------
def test_over_size_cap_bytes() -> None:
    error = refused(b" " * (jsonio.MAX_DOCUMENT_BYTES + 1))
    assert isinstance(error, InputTooLarge)
    assert error.code == "INPUT_TOO_LARGE"
    assert error.status == 413
    assert error.details == {"size": jsonio.MAX_DOCUMENT_BYTES + 1, "limit": jsonio.MAX_DOCUMENT_BYTES}


def test_size_cap_counts_utf8_bytes_of_text() -> None:
    text = '["' + "\u00e9" * 10 + '"]'  # 14 characters, 24 bytes
    assert jsonio.loads(text, max_bytes=24) == ["\u00e9" * 10]
    assert refused(text, max_bytes=23).code == "INPUT_TOO_LARGE"


def test_at_size_cap_is_accepted() -> None:
    data = b"[" + b" " * (jsonio.MAX_DOCUMENT_BYTES - 2) + b"]"
    assert jsonio.loads(data) == []


def test_load_file_caps_before_reading_whole(tmp_path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"[" + b" " * 100 + b"]")
    assert jsonio.load_file(str(path)) == []
    with pytest.raises(InputTooLarge) as caught:
        jsonio.load_file(str(path), max_bytes=50)
    assert caught.value.code == "INPUT_TOO_LARGE"
    assert caught.value.details["size"] == 51  # read max_bytes + 1, never the whole file


# --- nesting ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        pytest.param("[" * 10_000 + "]" * 10_000, id="array-10000"),
        pytest.param('{"a":' * 10_000 + "1" + "}" * 10_000, id="object-10000"),
        pytest.param("[{" * 5_000 + "}]" * 5_000, id="mixed-10000"),
        pytest.param("[" * 10_000, id="array-10000-unclosed"),
        pytest.param("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), id="array-65"),
    ],
)
def test_nesting_too_deep_without_recursing(data: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def recursive_parser(*args: object, **kwargs: object) -> None:
        raise AssertionError("the recursive parser must not see over-deep input")

    monkeypatch.setattr(jsonio.json, "loads", recursive_parser)
    with within_seconds(1.0):
        error = refused(data)
    assert isinstance(error, NestingTooDeep)
    assert error.code == "NESTING_TOO_DEEP"
    assert error.details["limit"] == MAX_DEPTH


def test_nesting_at_limit_is_accepted() -> None:
    data = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    value = jsonio.loads(data)
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []


def test_brackets_inside_strings_do_not_count() -> None:
    data = json.dumps({"a": "[" * 1000, "b": ["{" * 1000, '\\"[[[', "]]]"], "c": [[["]" * 500]]]})
    assert jsonio.loads(data) == json.loads(data)


def test_escaped_quote_does_not_end_a_string_for_the_depth_count() -> None:
    # If \" ended the string, the brackets after it would count and this would be refused.
    data = '["\\"' + "[" * 100 + '"]'
    assert jsonio.loads(data) == ['"' + "[" * 100]


def test_unterminated_string_of_escaped_quotes_is_refused_fast() -> None:
    # 65 brackets force the depth scan; then an unterminated string full of \" makes the
    # string regex try every quote as a start and scan to the end: O(n**2) (a 2 MB request
    # takes hours). Linear code refuses this in milliseconds.
    data = "[" * (MAX_DEPTH + 1) + '"' + '\\"' * 100_000
    with within_seconds(1.0):
        error = refused(data)
    assert error.code in ("NESTING_TOO_DEEP", "MALFORMED_JSON")


# --- valid documents ----------------------------------------------------------------------
json_documents = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=10),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(st.characters(exclude_categories=["Cs"]), max_size=5), children, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_documents, st.sampled_from([None, 2]), st.booleans(), st.booleans())
def test_valid_documents_parse_like_json_loads(document: object, indent: int | None, ascii_: bool, as_bytes: bool) -> None:
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_)
    data = text.encode("utf-8") if as_bytes else text
    parsed = jsonio.loads(data)
    assert parsed == json.loads(text)
    assert json.dumps(parsed) == json.dumps(json.loads(text))  # same types, same order


def test_dumps_pretty_round_trips() -> None:
    document = {"naam": "Ri\u00eb", "lijst": [1, 2.5, None, True], "leeg": {}}
    text = jsonio.dumps_pretty(document)
    assert text.endswith("}\n") and "Ri\u00eb" in text
    assert jsonio.loads(text) == document


def test_malformed_is_an_input_error() -> None:
    error = refused("{")
    assert isinstance(error, MalformedJSON)
    assert error.to_dict()["code"] == "MALFORMED_JSON"


@pytest.mark.parametrize("literal", ["9007199254740992", "-9007199254740992", "295147905179352830000"])
def test_large_literals_that_are_exactly_a_canonical_double_read_back_as_that_double(literal: str) -> None:
    # RFC 8785 writes whole doubles below 1e21 without an exponent; reading them back must work.
    value = jsonio.loads(f"[{literal}]")[0]
    assert isinstance(value, float)
    assert canonicalize([value]) == f"[{literal}]".encode()


def test_copy_json_is_a_deep_copy_that_shares_nothing():
    from datetime import datetime, timezone

    from passport.encoding.jsonio import copy_json
    when = datetime(2026, 11, 23, tzinfo=timezone.utc)
    original = {"a": [1, 2.5, True, None, {"b": "c"}], "d": {"e": []}, "t": (1, [2]), "when": when}
    copied = copy_json(original)
    assert copied == original and copied is not original
    copied["a"][4]["b"] = "changed"
    copied["d"]["e"].append(1)
    copied["t"][1].append(3)  # a tuple (not JSON) is copied by copy.deepcopy, its list too
    assert original == {"a": [1, 2.5, True, None, {"b": "c"}], "d": {"e": []}, "t": (1, [2]), "when": when}
