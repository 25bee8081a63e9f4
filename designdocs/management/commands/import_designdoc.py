"""`manage.py import_designdoc FILE --user USERNAME`: create a design document from a
Markdown file in the format `export_designdoc` writes.

The file is read whole and imported through `designdocs.services.designdoc_import_markdown`,
with the same permission checks and validation as the page and the API. A malformed file
creates nothing: every error is printed with its line number and the command exits with a
non-zero status.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from designdocs.services import designdoc_import_markdown
from registry.core.errors import DomainError


def error_lines(exc: DomainError) -> list[str]:
    """Every message of the error, once each, in the order they were found."""
    lines = [message for messages in exc.errors.values() for message in messages]
    return list(dict.fromkeys(lines)) or [exc.message]


class Command(BaseCommand):
    help = "Create a design document from a Markdown file (see export_designdoc)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The Markdown file to import, or - for standard input.")
        parser.add_argument(
            "--user",
            required=True,
            help="Username of the person importing; the product owner unless the file names one.",
        )

    def handle(self, *args, file: str, user: str, **options) -> None:
        user_model = get_user_model()
        try:
            importer = user_model.objects.get(**{user_model.USERNAME_FIELD: user}, is_active=True)
        except user_model.DoesNotExist:
            raise CommandError(f"There is no active user “{user}”.") from None

        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from None

        try:
            doc = designdoc_import_markdown(user=importer, data=data)
        except DomainError as exc:
            lines = error_lines(exc)
            raise CommandError(
                f"{file} was not imported; nothing was created.\n" + "\n".join(lines)
            ) from None
        self.stdout.write(doc.slug)
