"""A real Celery worker in a thread of the test process, for tests on Redis.

Built on `celery.contrib.testing.worker.TestWorkController`, but with bounded waits: the
stock `start_worker` waits forever for a worker that never comes up and needs a result
backend for its ping check (we have none). Tests using it must be
`@pytest.mark.django_db(transaction=True)`: the worker thread has its own database
connection and sees only committed rows. Its task runs close that connection afterwards
(Celery's Django fix-up), so the test database can be dropped at the end of the session.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

from celery import Celery
from celery.contrib.testing.worker import TestWorkController, setup_app_for_worker
from celery.worker import state as worker_state

START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


@contextlib.contextmanager
def running_worker(app: Celery, *, hostname: str, loglevel: str = "WARNING") -> Iterator:
    """Start a solo-pool worker consuming the app's queues; stop it on exit."""
    setup_app_for_worker(app, loglevel, None)
    # Messages left on the queues by an earlier run (a crashed session, a beat) would run
    # against this session's database; start from empty queues.
    app.control.purge()
    worker = TestWorkController(
        app=app,
        concurrency=1,
        hostname=hostname,
        pool="solo",
        loglevel=loglevel,
        logfile=None,
        ready_callback=None,
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
    )
    failure: list[BaseException] = []

    def run() -> None:
        try:
            worker.start()
        except BaseException as exc:  # surfaced by the waiting thread below
            failure.append(exc)
            worker._on_started.set()
        finally:
            from django.db import connections

            connections.close_all()

    thread = threading.Thread(target=run, name=f"celery-{hostname}", daemon=True)
    thread.start()
    if not worker._on_started.wait(START_TIMEOUT) or failure:
        worker_state.should_terminate = 0
        raise RuntimeError(f"The test Celery worker did not start: {failure or 'timeout'}")
    try:
        yield worker
    finally:
        worker_state.should_terminate = 0
        thread.join(STOP_TIMEOUT)
        worker_state.should_terminate = None
        if thread.is_alive():
            raise RuntimeError(f"The test Celery worker did not stop within {STOP_TIMEOUT}s.")


def wait_for(condition: Callable[[], object], *, timeout: float = 20.0, interval: float = 0.1):
    """Poll `condition` until it returns something truthy (and return it), or fail."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Condition not met within {timeout}s: {condition!r}")
        time.sleep(interval)
