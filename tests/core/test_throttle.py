"""registry.core.throttle: fixed-window limits counted in the cache."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from registry.core import throttle


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("60/min", (60, 60)), ("5/s", (5, 1)), ("100/hour", (100, 3600)), ("1/day", (1, 86400))],
)
def test_rate_is_read_as_drf_writes_it(rate, parsed):
    assert throttle.parse_rate(rate) == parsed


@pytest.mark.embedded
@pytest.mark.parametrize("rate", ["60", "many/min", "60/fortnight", ""])
def test_unreadable_rate_is_a_configuration_error_naming_the_format(rate):
    with pytest.raises(ImproperlyConfigured, match=re.escape("<count>/<s|min|hour|day>")):
        throttle.parse_rate(rate)


@pytest.mark.embedded
def test_uses_within_the_rate_pass_and_the_next_one_waits_for_the_window():
    assert [throttle.seconds_to_wait("test", "k", "3/hour") for _ in range(3)] == [0, 0, 0]
    wait = throttle.seconds_to_wait("test", "k", "3/hour")
    assert 1 <= wait <= 3600


@pytest.mark.embedded
def test_each_key_and_scope_has_its_own_count():
    assert throttle.seconds_to_wait("test", "a", "1/hour") == 0
    assert throttle.seconds_to_wait("test", "b", "1/hour") == 0
    assert throttle.seconds_to_wait("other", "a", "1/hour") == 0
    assert throttle.seconds_to_wait("test", "a", "1/hour") > 0


@pytest.mark.embedded
def test_a_cache_outage_lets_the_use_through(monkeypatch):
    class Unreachable:
        def add(self, *args, **kwargs):
            raise ConnectionError("cache down")

    monkeypatch.setattr(throttle, "cache", Unreachable())
    assert throttle.seconds_to_wait("test", "k", "1/hour") == 0
