"""The generated half of the hostile-input suite can fail: its check refuses a 5xx, a
refusal that changed data and an accepted value stored differently; its strategies reach
every kind of hostile input they promise."""

from types import SimpleNamespace

import pytest
from hypothesis import find, settings

from registry.core.testing.hostile import (
    Deep,
    HostileEndpoint,
    assert_generated_input_handled,
    stored_as_sent,
)
from registry.core.testing.strategies import BIG, hostile_json, hostile_text

# Large examples: Hypothesis warns that their repr is large, which is the point here.
pytestmark = [
    pytest.mark.embedded,
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]


def _endpoint(status: int, stored=None, read_back=True):
    return HostileEndpoint(
        "fake",
        "json",
        ("title",),
        send=lambda ctx, changes: SimpleNamespace(status_code=status),
        errors=lambda response: {},
        read_back=(lambda ctx, response: stored) if read_back else None,
    )


def test_check_fails_on_a_server_error():
    with pytest.raises(AssertionError, match="answered 500"):
        assert_generated_input_handled(_endpoint(500), None, "title", "x", state=lambda: 0)


def test_check_fails_when_a_refusal_changed_stored_data():
    counter = iter(range(10))
    with pytest.raises(AssertionError, match="answered 400 and changed stored data"):
        assert_generated_input_handled(
            _endpoint(400), None, "title", "x", state=lambda: next(counter)
        )


def test_check_fails_when_an_endpoint_that_never_stores_changed_data():
    counter = iter(range(10))
    with pytest.raises(AssertionError, match="changed stored data"):
        assert_generated_input_handled(
            _endpoint(200, read_back=False), None, "title", "x", state=lambda: next(counter)
        )


def test_check_fails_when_an_accepted_value_is_stored_changed():
    endpoint = _endpoint(200, stored={"title": ""})
    with pytest.raises(AssertionError, match="accepted title=None but stored ''"):
        assert_generated_input_handled(endpoint, None, "title", None, state=lambda: 0)


def test_stored_as_sent_allows_only_the_documented_normalisations():
    assert stored_as_sent("  a\r\nb  ", "a\nb")
    assert stored_as_sent("bob, alice", ["alice", "bob"])
    assert not stored_as_sent("a\u200bb", "ab")
    assert not stored_as_sent(True, "True")
    assert not stored_as_sent(None, "")


@pytest.mark.parametrize(
    ("kind", "condition"),
    [
        ("lone surrogate", lambda s: any(0xD800 <= ord(c) <= 0xDFFF for c in s)),
        ("NUL", lambda s: "\x00" in s),
        ("bidi override", lambda s: "\u202e" in s),
        ("zero-width space", lambda s: "\u200b" in s),
        ("200 KB", lambda s: len(s) >= BIG),
        ("nested 40+ deep", lambda s: s.startswith("> " * 40) or s.startswith("[" * 40)),
    ],
)
def test_hostile_text_reaches(kind, condition):
    assert find(hostile_text(), condition, settings=settings(database=None, max_examples=2000))


def test_hostile_json_reaches_nesting_deeper_than_any_input_may_be():
    found = find(
        hostile_json(),
        lambda v: isinstance(v, Deep),
        settings=settings(database=None, max_examples=2000),
    )
    assert found.depth > 32
