"""Fixtures of the export tests: an approval provider registered from here (the reviews
app supplies the real one), tasks run in-process, a signing directory per test session."""

from __future__ import annotations

import datetime
import io

import pytest

from registry.core import printing
from tests.designdocs.factories import FullDesignDocFactory


class FakeApprovals:
    """An approval provider: `approve(revision, *architects)` makes that revision the
    approved one of its document; a later revision of the same doc supersedes it."""

    def __init__(self) -> None:
        self.approved: dict[int, tuple[int, tuple]] = {}  # doc id -> (revision number, approvers)

    def approve(self, revision, *architects) -> None:
        when = datetime.datetime(2026, 11, 30, 9, 30, tzinfo=datetime.UTC)
        self.approved[revision.design_doc_id] = (
            revision.number,
            tuple(
                printing.Approver(
                    name=user.get_full_name() or user.username,
                    username=user.username,
                    decision="approved",
                    decided_at=when,
                    revision_number=revision.number,
                    content_hash=revision.content_hash,
                )
                for user in architects
            ),
        )

    def __call__(self, revision) -> printing.Approval:
        entry = self.approved.get(revision.design_doc_id)
        if entry is None:
            return printing.NOT_APPROVED
        number, approvers = entry
        latest = type(revision).objects.filter(design_doc_id=revision.design_doc_id)
        latest_number = max(latest.values_list("number", flat=True))
        if revision.number == number and latest_number == number:
            return printing.Approval(approved=True, approvers=approvers)
        if revision.number == number:
            return printing.Approval(
                approved=False, approvers=approvers, superseded_by=latest_number
            )
        return printing.NOT_APPROVED


@pytest.fixture
def approvals():
    provider = FakeApprovals()
    with printing.approval_provider_override(provider):
        yield provider


@pytest.fixture(autouse=True)
def _signing_dir(settings, tmp_path_factory):
    settings.PDF_SIGNING_DIR = str(tmp_path_factory.getbasetemp() / "signing")
    settings.PDF_SIGNING_KEY = settings.PDF_SIGNING_CERT = ""


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def eager(settings):
    """Tasks run in-process, as in the embedded default (no broker)."""
    from registry.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def doc(alice, team):
    return FullDesignDocFactory(title="Demand forecasting", product_owner=alice, owner_team=team)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
