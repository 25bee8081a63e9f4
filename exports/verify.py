"""What a PDF says about itself: signed by this registry? unmodified? still the approved
revision? Used by `manage.py verify_pdf` and `POST /api/exports/verify/`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from io import BytesIO
from typing import Any

from designdocs.models import Revision
from exports.signing import SIGNOFF_FILENAME, signing_key
from exports.sync import outside_event_loop
from registry.core import printing

MAX_PDF_BYTES = 50 * 1024 * 1024


@dataclass
class Verdict:
    signed: bool = False
    signed_by_registry: bool = False
    unmodified: bool = False
    development_key: bool = False
    design_doc_id: int | None = None
    revision_number: int | None = None
    content_hash: str = ""
    approvers: list[dict[str, Any]] = field(default_factory=list)
    revision_matches: bool = False
    still_approved: bool = False
    superseded_by: int | None = None
    summary: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.signed_by_registry and self.unmodified and self.revision_matches

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "valid": self.valid}


def _embedded_signoff(reader) -> dict[str, Any] | None:
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        return None
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) == SIGNOFF_FILENAME:
            spec = names[index + 1].get_object()
            stream = spec["/EF"]["/F"].get_object()
            try:
                return json.loads(stream.data)
            except ValueError:
                return None
    return None


def verify_pdf(data: bytes) -> Verdict:
    """Check `data` against the registry's signing certificate and the database."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    verdict = Verdict()
    if not data.startswith(b"%PDF-"):
        verdict.summary = "This is not a PDF file."
        verdict.problems.append(verdict.summary)
        return verdict
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        verdict.summary = f"The PDF could not be read: {str(exc)[:200]}"
        verdict.problems.append(verdict.summary)
        return verdict
    if not signatures:
        verdict.summary = "The PDF is not signed (a draft, or not exported by this registry)."
        verdict.problems.append(verdict.summary)
        return verdict
    verdict.signed = True
    key = signing_key()
    from asn1crypto import x509 as asn1_x509

    trust_root = asn1_x509.Certificate.load(key.cert_der())
    signature = signatures[0]
    try:
        status = outside_event_loop(
            validate_pdf_signature,
            signature,
            ValidationContext(trust_roots=[trust_root], allow_fetching=False),
        )
    except Exception as exc:  # a malformed signature is a verdict, not a crash
        verdict.problems.append(f"The signature could not be validated: {str(exc)[:200]}")
        verdict.summary = "The PDF's signature could not be validated."
        return verdict
    signer_der = status.signing_cert.dump()
    import hashlib

    verdict.signed_by_registry = (
        hashlib.sha256(signer_der).hexdigest() == key.fingerprint() and status.trusted
    )
    verdict.development_key = key.development and verdict.signed_by_registry
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    verdict.unmodified = bool(
        status.intact
        and status.valid
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        and len(signatures) == 1
    )
    if not verdict.signed_by_registry:
        verdict.problems.append("It was not signed by this registry's signing key.")
    if not verdict.unmodified:
        verdict.problems.append("It was changed after it was signed.")
    payload = _embedded_signoff(reader) if verdict.unmodified else None
    if payload is None:
        verdict.summary = "; ".join(verdict.problems) or "The sign-off record is missing."
        return verdict
    verdict.design_doc_id = payload.get("design_doc_id")
    verdict.revision_number = payload.get("revision_number")
    verdict.content_hash = str(payload.get("content_hash", ""))
    verdict.approvers = list(payload.get("approvers") or [])
    revision = (
        Revision.objects.select_related("design_doc")
        .filter(design_doc_id=verdict.design_doc_id, number=verdict.revision_number)
        .first()
    )
    if revision is None or revision.content_hash != verdict.content_hash:
        verdict.problems.append("Its revision is not in this registry (or its hash differs).")
    else:
        verdict.revision_matches = True
        approval = printing.approval_of(revision)
        verdict.still_approved = approval.approved
        verdict.superseded_by = approval.superseded_by
        latest = revision.design_doc.revision_number
        if not approval.approved and verdict.superseded_by is None and latest > revision.number:
            verdict.superseded_by = latest
    if not verdict.signed_by_registry or not verdict.unmodified:
        verdict.summary = "Not valid: " + " ".join(verdict.problems)
    elif not verdict.revision_matches:
        verdict.summary = "Signed by this registry and unmodified, but " + verdict.problems[-1]
    elif verdict.still_approved:
        verdict.summary = (
            f"Valid: signed by this registry, unmodified, revision {verdict.revision_number} "
            "is still the approved one."
        )
    elif verdict.superseded_by:
        verdict.summary = (
            f"Signed by this registry and unmodified; revision {verdict.revision_number} "
            f"was superseded by revision {verdict.superseded_by}."
        )
    else:
        verdict.summary = (
            f"Signed by this registry and unmodified; revision {verdict.revision_number} "
            "is no longer approved."
        )
    return verdict
