"""pyHanko signs and verifies from a thread that already runs an event loop."""

import asyncio

from exports.sync import outside_event_loop


def test_a_pyhanko_call_runs_when_the_thread_already_runs_an_event_loop():
    async def inside():
        return outside_event_loop(lambda: asyncio.run(asyncio.sleep(0, result="signed")))

    assert asyncio.run(inside()) == "signed"
