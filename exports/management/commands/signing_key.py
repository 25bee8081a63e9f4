"""`manage.py signing_key`: make sure the PDF signing key exists (creates the development
key when none is configured) and say which one signs."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from exports.signing import signing_key


class Command(BaseCommand):
    help = "Create the development PDF signing key if no key is configured; show the key in use."

    def handle(self, *args, **options) -> None:
        key = signing_key()
        kind = "development key (self-signed)" if key.development else "configured key"
        self.stdout.write(f"PDF signing: {kind} {key.cert_path} sha256:{key.fingerprint()}")
