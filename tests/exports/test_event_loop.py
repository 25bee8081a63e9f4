"""pyHanko signs and verifies from a thread that already runs an event loop."""

import asyncio
import threading

from exports.sync import outside_event_loop


def test_a_pyhanko_call_runs_when_the_thread_already_runs_an_event_loop():
    # A thread of its own, so that whatever loop the test session keeps does not matter.
    result = {}

    def with_a_running_loop():
        async def inside():
            return outside_event_loop(lambda: asyncio.run(asyncio.sleep(0, result="signed")))

        result["value"] = asyncio.run(inside())

    thread = threading.Thread(target=with_a_running_loop)
    thread.start()
    thread.join(timeout=30)
    assert result == {"value": "signed"}
