"""The text checks every input path shares (registry.core.text) and the API's bounded JSON
parser (registry.core.api.parsers): what they refuse, under which field name, and that no
input makes them recurse."""

from __future__ import annotations

import pytest

from registry.core.api.parsers import JSONBodyError, parse_json_text
from registry.core.text import (
    MAX_DEPTH,
    MAX_ITEMS,
    NUL_MESSAGE,
    SURROGATE_MESSAGE,
    bidi_control_in,
    data_problems,
    is_blank,
    shown,
)

pytestmark = pytest.mark.embedded


def test_nul_and_lone_surrogates_are_named_by_dotted_field_keys_included():
    problems = data_problems(
        {"title": "a\ud800", "risks": [{"owner": "x\x00"}], "k\udc00": 1, "fine": "é ✓"}
    )
    assert problems == {
        "title": [SURROGATE_MESSAGE],
        "risks.0.owner": [NUL_MESSAGE],
        "k\\udc00": [f"The name of this field: {SURROGATE_MESSAGE}"],
    }


def test_field_names_in_problems_are_always_encodable():
    problems = data_problems({"\ud800\x00" * 100: "x"})
    (name,) = problems
    name.encode("utf-8")  # a response naming it can be rendered
    assert name.startswith("\\ud800\\x00") and name.endswith("…")


def test_nesting_beyond_the_limit_is_refused_without_recursion():
    value: list = []
    for _ in range(100_000):  # far beyond Python's recursion limit
        value = [value]
    assert data_problems({"data": value}) == {
        "data" + ".0" * (MAX_DEPTH - 1): [f"Nested more than {MAX_DEPTH} levels deep."]
    }


def test_the_deepest_legitimate_content_is_accepted():
    value: list = []
    for _ in range(MAX_DEPTH - 2):  # the object, then MAX_DEPTH - 1 lists
        value = [value]
    assert data_problems({"data": value}) == {}


def test_more_values_than_the_limit_are_refused_at_the_root():
    problems = data_problems({f"k{i}": 1 for i in range(MAX_ITEMS + 1)})
    assert list(problems) == ["non_field_errors"]
    assert "at most 20,000" in problems["non_field_errors"][0]


@pytest.mark.parametrize(
    "text", ["", "   ", "\u200b", "\u200c\u200d\u2060", "\ufeff", "\u202e", "\u3164", "\u2800"]
)
def test_text_showing_nothing_is_blank(text):
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", "\u200ba", "٣", "\u05d0"])
def test_text_showing_something_is_not_blank(text):
    assert not is_blank(text)


def test_bidi_controls_are_found_but_direction_marks_are_allowed():
    assert bidi_control_in("abc\u202edef") == "\u202e"
    assert bidi_control_in("\u2067x") == "\u2067"
    assert bidi_control_in("שלום\u200f abc") is None


def test_shown_escapes_what_cannot_be_encoded():
    assert shown("a\ud800b\x00") == "a\\ud800b\\x00"


# --- the JSON parser --------------------------------------------------------------------------


def _refusal(text: str) -> dict[str, list[str]]:
    with pytest.raises(JSONBodyError) as exc:
        parse_json_text(text)
    assert exc.value.status_code == 400
    return exc.value.errors


def test_json_900_deep_is_refused_before_parsing_naming_the_top_level_field():
    errors = _refusal('{"title": "x", "co_authors": ' + "[" * 900 + "]" * 900 + "}")
    assert list(errors) == ["co_authors"]


def test_json_nested_a_million_deep_is_refused_without_recursion_error():
    assert list(_refusal("[" * 1_000_000)) == ["non_field_errors"]


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = '{"title": "' + "[" * 5000 + '\\"[[", "data": [[["ok"]]]}'
    assert parse_json_text(text)["data"] == [[["ok"]]]


def test_json_with_200000_keys_is_refused_before_building_them():
    text = "{" + ",".join(f'"k{i}":1' for i in range(200_000)) + "}"
    assert list(_refusal(text)) == ["non_field_errors"]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"title": "a\\ud800b"}', "title"),
        ('{"\\udfff": 1}', "\\udfff"),
        ('{"risks": [{"title": "\\u0000"}]}', "risks.0.title"),
        ('{"a": NaN}', "non_field_errors"),
        ('{"a": Infinity}', "non_field_errors"),
        ('{"a": ', "non_field_errors"),
    ],
)
def test_json_that_is_not_storable_text_or_not_json_is_refused_naming_the_field(text, field):
    assert list(_refusal(text)) == [field]


@pytest.mark.parametrize(
    "text",
    ['{"title": "x", "title": "y"}', '{"risks": [{"title": "a", "title": "b"}]}'],
)
def test_json_naming_a_key_twice_in_one_object_is_refused_naming_the_key(text):
    # json.loads keeps the last value silently: the first one sent would be dropped, and a
    # proxy that reads the first would see another document than the one stored.
    with pytest.raises(JSONBodyError) as exc:
        parse_json_text(text)
    assert "“title” twice" in exc.value.message


def test_api_body_naming_a_field_twice_changes_nothing(token_client, alice):
    response = token_client(alice).post(
        "/api/designdocs/", '{"title": "x", "title": "y"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_api_body_that_is_not_utf8_is_a_400_in_the_error_shape(token_client, alice):
    response = token_client(alice).post(
        "/api/designdocs/", b'{"title": "\xff"}', content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error" and "not utf-8 text" in body["message"]


def test_token_endpoint_refuses_json_nested_too_deep_with_a_400(api_client, alice):
    # It parsed with DRF's own JSONParser: json.loads recursed into a RecursionError (500).
    body = "[" * 100_000 + "]" * 100_000
    response = api_client.post("/api/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json; charset=punycode", '{"title": "x"}'),
        ("application/x-www-form-urlencoded; charset=punycode", "markdown=%23+x"),
    ],
)
def test_api_body_in_a_charset_that_cannot_decode_it_is_a_400(
    token_client, alice, content_type, body
):
    # punycode (and idna) fail with UnicodeError, not UnicodeDecodeError: it was a 500.
    response = token_client(alice).post("/api/designdocs/import/", body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
