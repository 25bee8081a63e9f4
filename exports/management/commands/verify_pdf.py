"""`manage.py verify_pdf FILE`: was the PDF signed by this registry, is it unmodified, and
is its revision still the approved one? Exit 0 when valid, 1 when not, 2 on a bad file."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports.verify import MAX_PDF_BYTES, verify_pdf


class Command(BaseCommand):
    help = "Verify a PDF exported (and signed) by this registry."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The PDF to check.")
        parser.add_argument("--json", action="store_true", help="Print the verdict as JSON.")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_PDF_BYTES:
                raise CommandError(
                    f"{path}: larger than {MAX_PDF_BYTES // (1024 * 1024)} MiB.", returncode=2
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}", returncode=2) from exc
        verdict = verify_pdf(data)
        if options["json"]:
            self.stdout.write(json.dumps(verdict.as_dict(), indent=2, sort_keys=True))
        else:
            self.stdout.write(f"{path}: {verdict.summary}")
            for label, value in (
                ("signed by this registry", verdict.signed_by_registry),
                ("unmodified", verdict.unmodified),
                ("revision matches", verdict.revision_matches),
                ("still approved", verdict.still_approved),
            ):
                self.stdout.write(f"  {label}: {'yes' if value else 'no'}")
            if verdict.superseded_by:
                self.stdout.write(f"  superseded by revision {verdict.superseded_by}")
        if not verdict.valid:
            raise CommandError(verdict.summary, returncode=1)
