"""Celery wiring: the heartbeat task eagerly, and through a real worker on Redis."""

import contextlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from celery.signals import task_prerun

from registry.celery import app
from registry.core.models import WorkerHeartbeat
from registry.core.tasks import worker_heartbeat
from registry.core.testing.celery_worker import wait_for

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def heartbeats_started():
    """The hostnames of the `worker_heartbeat` runs the worker starts meanwhile, in order.

    Read from Celery's `task_prerun` signal (the worker runs in a thread of this process),
    not from the database: a test inside a transaction may not see the worker's rows yet.
    """
    started: list[str] = []

    def record(sender=None, kwargs=None, **_):
        if getattr(sender, "name", None) == worker_heartbeat.name:
            started.append((kwargs or {}).get("hostname"))

    task_prerun.connect(record, weak=False)
    try:
        yield started
    finally:
        task_prerun.disconnect(record)


@pytest.fixture
def eager_tasks():
    """Tasks run in-process for this test, as in the embedded default (no broker)."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.mark.django_db
@pytest.mark.embedded
def test_heartbeat_task_runs_eagerly_and_is_idempotent(eager_tasks):
    result = worker_heartbeat.delay(hostname="eager@host")
    assert result.successful()
    first = WorkerHeartbeat.objects.get(hostname="eager@host").last_seen
    worker_heartbeat.delay(hostname="eager@host")
    assert WorkerHeartbeat.objects.filter(hostname="eager@host").count() == 1
    assert WorkerHeartbeat.objects.get(hostname="eager@host").last_seen >= first


def test_celery_app_uses_json_late_acks_and_time_limits():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert "registry.core.tasks.worker_heartbeat" in app.tasks


@pytest.mark.django_db
@pytest.mark.embedded
def test_task_enqueued_on_commit_runs_only_after_commit(
    eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        worker_heartbeat.delay_on_commit(hostname="on-commit@host")
        assert not WorkerHeartbeat.objects.filter(hostname="on-commit@host").exists()
    assert len(callbacks) == 1
    assert WorkerHeartbeat.objects.filter(hostname="on-commit@host").exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_heartbeat_runs_through_a_real_worker_on_redis(celery_worker):
    assert not app.conf.task_always_eager, "with a broker, .delay() must not run in-process"
    worker_heartbeat.delay(hostname="real-worker@tests")
    # The row is committed by the worker thread's own connection and seen from this one.
    beat = wait_for(lambda: WorkerHeartbeat.objects.filter(hostname="real-worker@tests").first())
    assert beat.last_seen is not None


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_task_enqueued_on_commit_reaches_the_worker_only_after_commit(celery_worker):
    from django.db import transaction

    with heartbeats_started() as started:
        with transaction.atomic():
            worker_heartbeat.delay_on_commit(hostname="after-commit@tests")
            # A probe sent now with plain .delay(): the worker takes messages one at a time
            # in the order they were sent (solo pool, prefetch 1, one FIFO queue), so once it
            # has started the probe, it would have started a task sent before it with
            # .delay() too. The on-commit one must not have been sent at all yet.
            worker_heartbeat.delay(hostname="probe@tests")
            wait_for(lambda: "probe@tests" in started, timeout=10)
            assert "after-commit@tests" not in started, "the task ran before the commit"
        wait_for(lambda: "after-commit@tests" in started, timeout=10)
        wait_for(lambda: WorkerHeartbeat.objects.filter(hostname="after-commit@tests").exists())

        with pytest.raises(RuntimeError), transaction.atomic():
            worker_heartbeat.delay_on_commit(hostname="rolled-back@tests")
            raise RuntimeError("roll back")
        worker_heartbeat.delay(hostname="marker@tests")
        wait_for(lambda: "marker@tests" in started, timeout=10)
        # In order, as above: had the rolled-back task been sent, it would have run by now.
        assert "rolled-back@tests" not in started
    assert not WorkerHeartbeat.objects.filter(hostname="rolled-back@tests").exists()


#: Run in a fresh interpreter: what settings make of the environment, and where a task runs.
SETTINGS_PROBE = textwrap.dedent(
    """
    import json, os, threading

    import django

    django.setup()
    from django.conf import settings

    from registry.celery import app

    ran_in = []

    @app.task(name="tests.where_am_i")
    def where_am_i():
        ran_in.append((os.getpid(), threading.get_ident()))
        return "ran"

    result = where_am_i.delay().get(timeout=5) if settings.CELERY_TASK_ALWAYS_EAGER else None
    print(json.dumps({
        "settings_always_eager": settings.CELERY_TASK_ALWAYS_EAGER,
        "app_always_eager": app.conf.task_always_eager,
        "broker_url": app.conf.broker_url,
        "result": result,
        "ran_in_this_thread": ran_in == [(os.getpid(), threading.get_ident())],
    }))
    """
)


def _settings_probe(broker_url: str | None) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "CELERY_BROKER_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "registry.settings"
    if broker_url is not None:
        env["CELERY_BROKER_URL"] = broker_url
    completed = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_no_broker_url_means_tasks_run_in_process():
    without = _settings_probe(broker_url=None)
    assert without["settings_always_eager"] is True
    assert without["app_always_eager"] is True
    assert without["broker_url"] == "memory://"
    assert without["result"] == "ran"
    assert without["ran_in_this_thread"] is True

    # Never connected to: .delay() is not called with a broker.
    broker = "redis://broker.invalid:6379/0"
    with_broker = _settings_probe(broker_url=broker)
    assert with_broker["settings_always_eager"] is False
    assert with_broker["app_always_eager"] is False
    assert with_broker["broker_url"] == broker
