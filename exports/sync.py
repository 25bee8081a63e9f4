"""pyHanko's synchronous calls start their own event loop (`asyncio.run`), which Python
refuses inside a thread that already runs one (an ASGI server, or a test session whose
browser driver keeps a loop). `outside_event_loop` runs such a call on a short-lived
thread when, and only when, this thread has a running loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_event_loop(call: Callable[..., T], *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(call, *args, **kwargs).result()
