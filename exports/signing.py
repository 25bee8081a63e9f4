"""Signing approved PDFs (PAdES, pyHanko) and verifying them.

The registry signs with the key and certificate named by PDF_SIGNING_KEY/PDF_SIGNING_CERT
(PEM). With neither configured, a self-signed development key is created on first use
(and by `make run`) under PDF_SIGNING_DIR, and the PDFs it signs say so on their cover.

What a signature carries: the signature dictionary's /Reason names the document, revision
number, content hash and approving architects in words; an embedded file
`registry-signoff.json` carries the same facts for machines (design doc id, revision
number, content hash, approvers). Both lie inside the signed byte range, so neither can be
changed without breaking the signature.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from exports.sync import outside_event_loop

SIGNOFF_FILENAME = "registry-signoff.json"
FIELD_NAME = "RegistrySignOff"
DEV_SUBJECT = "ML Design Registry development signing key"


@dataclass(frozen=True)
class SigningKey:
    key_path: Path
    cert_path: Path
    passphrase: bytes | None
    development: bool

    def cert_der(self) -> bytes:
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import Encoding

        cert = x509.load_pem_x509_certificate(self.cert_path.read_bytes())
        return cert.public_bytes(Encoding.DER)

    def fingerprint(self) -> str:
        return hashlib.sha256(self.cert_der()).hexdigest()


def _create_development_key(directory: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEV_SUBJECT),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ML Design Registry (development)"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    for filename, data in (
        (
            "dev-key.pem",
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        ),
        ("dev-cert.pem", cert.public_bytes(serialization.Encoding.PEM)),
    ):
        scratch = directory / f".{filename}.tmp"
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(scratch, directory / filename)


def signing_key(*, create: bool = True) -> SigningKey:
    """The registry's signing key: the configured one, else the development key (created
    under PDF_SIGNING_DIR when missing and `create`)."""
    if settings.PDF_SIGNING_KEY or settings.PDF_SIGNING_CERT:
        if not (settings.PDF_SIGNING_KEY and settings.PDF_SIGNING_CERT):
            raise ImproperlyConfigured("Set both PDF_SIGNING_KEY and PDF_SIGNING_CERT, or neither.")
        passphrase = settings.PDF_SIGNING_KEY_PASSPHRASE.encode() or None
        return SigningKey(
            Path(settings.PDF_SIGNING_KEY), Path(settings.PDF_SIGNING_CERT), passphrase, False
        )
    directory = Path(settings.PDF_SIGNING_DIR)
    key_path, cert_path = directory / "dev-key.pem", directory / "dev-cert.pem"
    if not (key_path.exists() and cert_path.exists()):
        if not create:
            raise ImproperlyConfigured(f"No signing key under {directory}.")
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # two first uses at once create one key
            if not (key_path.exists() and cert_path.exists()):
                _create_development_key(directory)
    return SigningKey(key_path, cert_path, None, True)


def signing_note() -> str:
    """What the cover of a signed PDF says of its signature."""
    key = signing_key()
    if key.development:
        return (
            "Signed with a development key (PAdES): this registry has no production "
            "signing key configured; the signature proves integrity, not identity."
        )
    return "Digitally signed (PAdES) by this registry's signing key on approval."


def signoff_payload(revision, approval) -> dict[str, Any]:
    return {
        "registry": "ML Design Registry",
        "design_doc_id": revision.design_doc_id,
        "design_doc_slug": revision.design_doc.slug,
        "title": revision.content.get("title", ""),
        "revision_number": revision.number,
        "content_hash": revision.content_hash,
        "approvers": [a.as_dict() for a in approval.approvers],
    }


def sign_pdf(pdf: bytes, payload: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """Sign `pdf` (PAdES B-B) with the registry's key, embedding `payload` as
    registry-signoff.json. Returns the signed PDF and what the signature says."""
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter

    key = signing_key()
    signer = signers.SimpleSigner.load(
        str(key.key_path), str(key.cert_path), key_passphrase=key.passphrase
    )
    if signer is None:
        raise ImproperlyConfigured("The PDF signing key or certificate could not be loaded.")
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    embed.embed_file(
        writer,
        embed.FileSpec(
            file_spec_string=SIGNOFF_FILENAME,
            file_name=SIGNOFF_FILENAME,
            embedded_data=embed.EmbeddedFileObject.from_file_data(
                writer, data=data, mime_type="application/json"
            ),
            description="Sign-off: design doc, revision, content hash, approving architects",
            af_relationship=generic.NameObject("/Data"),
        ),
    )
    approvers = ", ".join(f"{a['name']} ({a['username']})" for a in payload["approvers"])
    reason = (
        f"Approved: {payload['title']}, revision {payload['revision_number']}, "
        f"sha256:{payload['content_hash']}; approved by {approvers or 'nobody'}"
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason[:1000],
        location="ML Design Registry",
        contact_info=approvers[:500],
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = outside_event_loop(
        signers.sign_pdf,
        writer,
        meta,
        signer=signer,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME),
    )
    signed = out.getvalue()
    info = {
        "reason": meta.reason,
        "location": meta.location,
        "contact_info": meta.contact_info,
        "certificate_sha256": key.fingerprint(),
        "development_key": key.development,
        "payload": payload,
    }
    return signed, info
