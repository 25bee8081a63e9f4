"""Export jobs through the API: 202 + Location, status and progress, download, caching,
retry, the broker down, the sweep, the task's idempotence, and a real worker on Redis."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from exports import services, tasks
from exports.choices import ExportStatus
from exports.models import PdfExport
from registry.core.models import AuditEvent
from tests.exports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def export_url(doc) -> str:
    return f"/api/designdocs/{doc.pk}/exports/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...`: the block's on-commit callbacks (the task) run at its end,
    as they would when the request's transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def renders(monkeypatch):
    """Counts the renders (the real renderer still runs)."""
    import exports.renderer

    calls = []
    real = exports.renderer.render_pdf

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(exports.renderer, "render_pdf", counting)
    return calls


@pytest.mark.embedded
def test_post_answers_202_with_location_and_the_export_completes_in_process(
    doc, token_client, alice, eager, media, renders, committed
):
    client = token_client(alice)
    with committed():
        response = client.post(export_url(doc), {}, format="json")
    assert response.status_code == 202, response.content
    location = response["Location"]
    export = PdfExport.objects.get()
    assert location == f"/api/exports/{export.pk}/"
    status = client.get(location).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["revision_number"] == 1 and status["signed"] is False
    assert status["download_url"] == f"/api/exports/{export.pk}/download/"
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    assert "Demand forecasting" in pdf_text(pdf)
    assert export.cache_key in PdfExport.objects.get().file.name
    assert AuditEvent.objects.filter(action="export.request").count() == 1
    assert renders == [1]


def test_exporting_an_unchanged_revision_again_returns_the_stored_export_without_render(
    doc, token_client, alice, dave, eager, media, renders, committed
):
    with committed():
        first = token_client(alice).post(export_url(doc), {}, format="json")
    again = token_client(dave).post(export_url(doc), {"revision": 1}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again["Location"] == first["Location"]
    assert renders == [1]
    assert PdfExport.objects.count() == 1


def test_any_revision_can_be_exported_and_a_missing_one_is_a_400(
    doc, token_client, alice, eager, media
):
    from designdocs.services import designdoc_update

    designdoc_update(doc=doc, user=alice, expected_version=1, changes={"data": "Changed."})
    client = token_client(alice)
    old = client.post(export_url(doc), {"revision": 1}, format="json")
    new = client.post(export_url(doc), {}, format="json")
    assert old.status_code == new.status_code == 202
    assert old.json()["revision_number"] == 1 and new.json()["revision_number"] == 2
    missing = client.post(export_url(doc), {"revision": 9}, format="json")
    assert missing.status_code == 400
    assert "revision" in missing.json()["errors"]
    for bad in ('"two"', "true", "-1", '{"x": 1}', '"\\ud800"', '"1\\u0000"', "1.5"):
        body = '{"revision": ' + bad + "}"
        response = client.post(export_url(doc), body, content_type="application/json")
        assert response.status_code == 400, bad
        assert "revision" in response.json()["errors"], (bad, response.json())


def test_invisible_doc_is_a_404_and_anonymous_a_401(
    doc, token_client, user_without_role, api_client
):
    assert token_client(user_without_role).post(export_url(doc), {}).status_code == 404
    assert api_client.post(export_url(doc), {}).status_code == 401
    assert token_client(user_without_role).get("/api/exports/").json()["count"] == 0


def test_a_failed_render_reports_its_reason_and_can_be_retried(
    doc, token_client, alice, eager, media, settings, committed
):
    settings.PDF_MAX_PAGES = 1
    client = token_client(alice)
    with committed():
        response = client.post(export_url(doc), {}, format="json")
    status = client.get(response["Location"]).json()
    assert status["status"] == "failed"
    assert "the limit is 1 (PDF_MAX_PAGES)" in status["error"]
    assert status["download_url"] is None
    assert client.get(f"/api/exports/{status['id']}/download/").status_code == 409
    settings.PDF_MAX_PAGES = 1000
    with committed():
        retried = client.post(f"/api/exports/{status['id']}/retry/")
    assert retried.status_code == 202
    assert client.get(response["Location"]).json()["status"] == "done"
    again = client.post(f"/api/exports/{status['id']}/retry/")
    assert again.status_code == 409
    assert "Only a failed export" in again.json()["message"]


@pytest.mark.django_db(transaction=True)
def test_broker_down_fails_fast_with_a_503_and_changes_nothing_else(
    doc, token_client, alice, media
):
    from registry.celery import app

    previous = app.conf.broker_write_url, app.conf.task_always_eager
    app.conf.broker_write_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    try:
        started = timezone.now()
        response = token_client(alice).post(export_url(doc), {}, format="json")
        elapsed = (timezone.now() - started).total_seconds()
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = previous
    assert response.status_code == 503
    assert "task queue (CELERY_BROKER_URL) is unreachable" in response.json()["message"]
    assert elapsed < 10
    export = PdfExport.objects.get()
    assert export.status == ExportStatus.FAILED and "unreachable" in export.error
    # The rest of the API is untouched.
    assert token_client(alice).get(f"/api/designdocs/{doc.pk}/").status_code == 200


def test_the_task_is_idempotent(doc, alice, eager, media, renders, committed):
    with committed():
        export, _ = services.export_designdoc_request(user=alice, doc=doc)
    assert PdfExport.objects.get().status == ExportStatus.DONE
    # `.result`: an earlier test's worker may leave Celery believing a task is running,
    # and `.get()` refuses to wait inside one.
    assert tasks.render_export.apply(args=[export.pk]).result == "skipped"
    assert renders == [1]


def test_sweep_requeues_an_export_a_killed_worker_left_rendering(
    doc, alice, eager, media, settings
):
    revision = doc.revisions.get()
    job = services.designdoc_job(revision)
    stuck = PdfExport.objects.create(
        design_doc=doc, revision=revision, cache_key=job.cache_key, title="x",
        status=ExportStatus.RENDERING, progress=40, requested_by=alice,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )  # fmt: skip
    fresh = PdfExport.objects.create(
        design_doc=doc, revision=revision, cache_key="f" * 64, title="y",
        status=ExportStatus.RENDERING, started_at=timezone.now(),
    )  # fmt: skip
    assert services.sweep_stale() == [stuck.pk]
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == ExportStatus.DONE and stuck.attempts == 1
    assert fresh.status == ExportStatus.RENDERING


def test_transient_storage_errors_are_retried_with_backoff(
    doc, alice, eager, media, monkeypatch, committed
):
    from django.core.files.storage import default_storage

    real_save = default_storage.save
    failures = []

    def flaky(name, content, *args, **kwargs):
        if not failures:
            failures.append(name)
            raise OSError("disk briefly unavailable")
        return real_save(name, content, *args, **kwargs)

    monkeypatch.setattr(default_storage, "save", flaky)
    monkeypatch.setattr(tasks.render_export, "retry_backoff", False)
    with committed():
        services.export_designdoc_request(user=alice, doc=doc)
    export = PdfExport.objects.get()
    assert failures and export.status == ExportStatus.DONE and export.attempts == 2
    assert tasks.render_export.autoretry_for and tasks.render_export.acks_late


def test_task_options_are_bounded():
    task = tasks.render_export
    assert task.acks_late and task.reject_on_worker_lost
    assert task.max_retries == 4 and task.retry_backoff and task.retry_jitter
    from django.conf import settings

    assert "exports-sweep" in settings.CELERY_BEAT_SCHEDULE


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_export_renders_through_a_real_worker_on_redis(
    celery_worker, doc, token_client, alice, media
):
    from registry.core.testing.celery_worker import wait_for

    client = token_client(alice)
    response = client.post(export_url(doc), {}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    done = wait_for(
        lambda: (
            (body := client.get(response["Location"]).json())["status"] in ("done", "failed")
            and body
        ),
        timeout=60,
    )
    assert done["status"] == "done", done["error"]
    pdf = b"".join(client.get(done["download_url"]).streaming_content)
    assert "Demand forecasting" in pdf_text(pdf)


def test_deleting_a_doc_deletes_its_exports(doc, alice, eager, media, committed):
    from designdocs.services import designdoc_delete

    with committed():
        services.export_designdoc_request(user=alice, doc=doc)
    designdoc_delete(doc=doc, user=alice)
    assert not PdfExport.objects.exists()
