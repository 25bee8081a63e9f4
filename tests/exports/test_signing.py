"""Signed sign-off: the PDF of an approved revision is signed (PAdES) by the registry's
key with the revision, hash and approvers; an unapproved one never is; verify tells
signed-by-us, unmodified, and still approved or superseded."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exports import services
from exports.models import PdfExport
from exports.signing import SIGNOFF_FILENAME, signing_key
from exports.verify import verify_pdf
from tests.exports.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_of(eager, media, django_capture_on_commit_callbacks):
    def run(user, doc, revision=None) -> PdfExport:
        with django_capture_on_commit_callbacks(execute=True):
            export, _ = services.export_designdoc_request(
                user=user, doc=doc, revision_number=revision
            )
        export.refresh_from_db()
        return export

    return run


@pytest.fixture
def signed(doc, approvals, bob, carol, alice, export_of):
    approvals.approve(doc.revisions.get(), bob, carol)
    export = export_of(alice, doc)
    with export.file.open("rb") as handle:
        return export, handle.read()


def test_approved_revision_is_signed_with_revision_hash_and_approvers(signed, doc):
    export, pdf = signed
    revision = doc.revisions.get()
    assert export.signed
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    reason = str(signature.sig_object["/Reason"])
    assert f"revision {revision.number}" in reason and revision.content_hash in reason
    assert "Bob (bob)" in reason and "Carol (carol)" in reason
    assert str(signature.sig_object["/SubFilter"]) == "/ETSI.CAdES.detached"  # PAdES
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert str(names[0]) == SIGNOFF_FILENAME
    payload = json.loads(names[1].get_object()["/EF"]["/F"].get_object().data)
    assert payload["revision_number"] == 1 and payload["content_hash"] == revision.content_hash
    assert [a["username"] for a in payload["approvers"]] == ["bob", "carol"]
    # The cover says it is a development key (none is configured in the tests).
    assert "Signed with a development key" in pdf_text(pdf)
    assert export.signature["development_key"] is True


def test_unapproved_revision_is_never_signed(doc, alice, export_of):
    export = export_of(alice, doc)
    with export.file.open("rb") as handle:
        pdf = handle.read()
    assert not export.signed
    verdict = verify_pdf(pdf)
    assert not verdict.signed and not verdict.valid
    assert "not signed" in verdict.summary


def test_signed_pdf_verifies_and_one_changed_byte_does_not(signed):
    _, pdf = signed
    verdict = verify_pdf(pdf)
    assert verdict.valid and verdict.signed_by_registry and verdict.unmodified
    assert verdict.still_approved and verdict.revision_number == 1
    assert "Valid" in verdict.summary
    # One byte of page content changed (inside the signed range, outside the signature).
    index = pdf.index(b"/MediaBox")
    tampered = pdf[:index] + b"/MediaBoy" + pdf[index + len(b"/MediaBox") :]
    broken = verify_pdf(tampered)
    assert not broken.unmodified and not broken.valid
    assert "changed after it was signed" in broken.summary


def test_appended_update_after_signing_is_a_modification(signed):
    _, pdf = signed
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("fr")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    assert not verify_pdf(out.getvalue()).unmodified


def test_edited_doc_makes_the_old_pdf_superseded(signed, doc, alice):
    from designdocs.services import designdoc_update

    _, pdf = signed
    designdoc_update(doc=doc, user=alice, expected_version=doc.version, changes={"data": "New."})
    verdict = verify_pdf(pdf)
    assert verdict.signed_by_registry and verdict.unmodified and verdict.revision_matches
    assert not verdict.still_approved and verdict.superseded_by == 2
    assert "superseded by revision 2" in verdict.summary


def test_a_pdf_signed_by_another_key_is_not_ours(signed, settings, tmp_path):
    _, pdf = signed
    first = signing_key().fingerprint()
    settings.PDF_SIGNING_DIR = str(tmp_path / "other")
    assert signing_key().fingerprint() != first
    verdict = verify_pdf(pdf)
    assert verdict.signed and not verdict.signed_by_registry and not verdict.valid


def test_verify_pdf_command_exit_codes(signed, tmp_path):
    _, pdf = signed
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf)
    out = io.StringIO()
    call_command("verify_pdf", str(good), stdout=out)
    assert "Valid" in out.getvalue() and "signed by this registry: yes" in out.getvalue()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(pdf.replace(b"/MediaBox", b"/MediaBoy", 1))
    with pytest.raises(CommandError) as refused:
        call_command("verify_pdf", str(bad), stdout=io.StringIO())
    assert refused.value.returncode == 1
    with pytest.raises(CommandError) as missing:
        call_command("verify_pdf", str(tmp_path / "missing.pdf"), stdout=io.StringIO())
    assert missing.value.returncode == 2 and "missing.pdf" in str(missing.value)


def test_verify_api(signed, token_client, dave):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, pdf = signed
    client = token_client(dave)
    response = client.post(
        "/api/exports/verify/",
        {"file": SimpleUploadedFile("a.pdf", pdf, "application/pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["valid"] and body["signed_by_registry"] and body["still_approved"]
    not_pdf = client.post(
        "/api/exports/verify/",
        {"file": SimpleUploadedFile("a.pdf", b"hello", "application/pdf")},
        format="multipart",
    )
    assert not_pdf.status_code == 200 and not not_pdf.json()["valid"]
    missing = client.post("/api/exports/verify/", {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]


def test_development_key_is_created_once_and_reused(settings, tmp_path):
    settings.PDF_SIGNING_DIR = str(tmp_path / "keys")
    out = io.StringIO()
    call_command("signing_key", stdout=out)
    first = signing_key().fingerprint()
    assert "development key" in out.getvalue() and first in out.getvalue()
    assert signing_key().fingerprint() == first
    assert oct((tmp_path / "keys" / "dev-key.pem").stat().st_mode & 0o777) == "0o600"
