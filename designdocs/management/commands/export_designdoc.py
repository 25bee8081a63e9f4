"""`manage.py export_designdoc SLUG [-o FILE]`: write a design document as one Markdown file
(YAML front matter with the metadata and structured rows, then the narrative sections).

`import_designdoc` reads the file back into an identical document.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designdocs.content import content_of
from designdocs.markdown_io import export_markdown
from designdocs.models import DesignDoc
from designdocs.selectors import with_content


class Command(BaseCommand):
    help = "Write a design document as Markdown with YAML front matter (see import_designdoc)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The document's slug, as in its URL.")
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args, slug: str, output: str | None, **options) -> None:
        try:
            doc = with_content(DesignDoc.objects.filter(slug=slug)).get()
        except DesignDoc.DoesNotExist:
            raise CommandError(f"There is no design document “{slug}”.") from None
        text = export_markdown(content_of(doc))
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from None
            self.stderr.write(f"Wrote {doc.slug} (revision {doc.revision_number}) to {output}.")
        else:
            self.stdout.write(text, ending="")
