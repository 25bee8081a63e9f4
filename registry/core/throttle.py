"""Rate limits for page endpoints, counted in the cache (shared by every web process when
CACHE_URL is Redis; per process otherwise).

A rate is written as DRF's throttles write it ("60/min", "5/s", "1000/day"), so that every
limit of the product reads alike in the settings. Counting is a fixed window: one atomic
`incr` per use, whatever the rate.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """("60/min") -> (60 uses, 60 seconds)."""
    count, _, period = rate.partition("/")
    try:
        return int(count), _PERIODS[period.strip()[:1]]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"Rate {rate!r}: write it as <count>/<s|min|hour|day>, e.g. 60/min."
        ) from None


def seconds_to_wait(scope: str, key: str, rate: str) -> int:
    """Count one use of `scope` by `key`: 0 while within `rate`, else the seconds until the
    count starts again. A cache outage lets the use through (and logs it): a limit must not
    take the page down with it."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    counter = f"throttle:{scope}:{key}:{window}"
    try:
        cache.add(counter, 0, timeout=period + 1)
        try:
            used = cache.incr(counter)
        except ValueError:  # expired between add and incr: this is the first use again
            cache.add(counter, 1, timeout=period + 1)
            used = 1
    except Exception:  # any cache backend's connection error
        logger.warning("Throttle %s not counted: cache unavailable", scope, exc_info=True)
        return 0
    if used <= limit:
        return 0
    return max(1, math.ceil((window + 1) * period - now))


def markdown_preview_wait(user) -> int:
    """The live preview's limit per user (MARKDOWN_PREVIEW_RATE): a render per request."""
    return seconds_to_wait("markdown_preview", str(user.pk), settings.MARKDOWN_PREVIEW_RATE)
