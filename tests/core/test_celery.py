"""Celery wiring: the heartbeat task eagerly, and through a real worker on Redis."""

import pytest
from django.conf import settings

from registry.celery import app
from registry.core.models import WorkerHeartbeat
from registry.core.tasks import worker_heartbeat
from registry.core.testing.celery_worker import wait_for


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

    with transaction.atomic():
        worker_heartbeat.delay_on_commit(hostname="after-commit@tests")
        assert not WorkerHeartbeat.objects.filter(hostname="after-commit@tests").exists()
    wait_for(lambda: WorkerHeartbeat.objects.filter(hostname="after-commit@tests").exists())

    with pytest.raises(RuntimeError), transaction.atomic():
        worker_heartbeat.delay_on_commit(hostname="rolled-back@tests")
        raise RuntimeError("roll back")
    worker_heartbeat.delay(hostname="marker@tests")
    wait_for(lambda: WorkerHeartbeat.objects.filter(hostname="marker@tests").exists())
    # The worker handles one message at a time in order: the rolled-back one never went.
    assert not WorkerHeartbeat.objects.filter(hostname="rolled-back@tests").exists()


def test_no_broker_url_means_tasks_run_in_process():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert app.conf.broker_url == "memory://"
    else:
        assert app.conf.broker_url.startswith("redis://")
