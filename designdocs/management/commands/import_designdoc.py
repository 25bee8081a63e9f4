"""`manage.py import_designdoc FILE --user USERNAME [--team SLUG] [--title T] [--dry-run]`:
create a design document from a Markdown file.

Two kinds of file are read, through `designdocs.services.designdoc_import_markdown` with
the same permission checks and validation as the page and the API:

- the format `export_designdoc` writes (YAML front matter, section markers), which names
  its own team and title;
- a design doc from another template or a wiki (no front matter): its headings are mapped
  onto the sections with the synonym table, and `--team` is required.

`--dry-run` prints the mapping (line, source heading, section, words) and creates nothing.
A real import prints the new document's slug on standard output and the mapping of a
foreign file on standard error. A malformed file creates nothing: every error is printed
with its line number and the command exits with a non-zero status.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from designdocs.content import content_of
from designdocs.duplicates import DuplicateTitleError, refuse_duplicate_title
from designdocs.foreign_import import ForeignPlan, plan_foreign_import
from designdocs.import_preview import ImportPreview
from designdocs.markdown_io import is_registry_format
from designdocs.services import designdoc_import_markdown, designdoc_import_preview
from registry.core.errors import DomainError


def error_lines(exc: DomainError) -> list[str]:
    """Every message of the error, once each, in the order they were found."""
    lines = [message for messages in exc.errors.values() for message in messages]
    return list(dict.fromkeys(lines)) or [exc.message]


def foreign_plan_of(data: bytes, file_name: str) -> ForeignPlan | None:
    """The mapping of a file already imported, if it came from another template."""
    text = data.decode("utf-8-sig")
    if is_registry_format(text):
        return None
    return plan_foreign_import(text, file_name=file_name)


def mapping_lines(preview) -> list[str]:
    """The preview as a plain-text table, one source heading a line."""
    heading_width = min(max([len(row.heading) for row in preview.rows] + [7]), 60)
    section_width = max([len(row.section_title) for row in preview.rows] + [7])
    out = [
        f"Title: {preview.title}",
        f"Owner team: {preview.owner_team or '(not given)'}",
        "",
        f"{'Line':>5}  {'Heading':<{heading_width}}  {'Section':<{section_width}}  {'Words':>6}  Note",
    ]
    for row in preview.rows:
        heading = row.heading if len(row.heading) <= 60 else row.heading[:59] + "…"
        out.append(
            f"{row.line:>5}  {heading:<{heading_width}}  {row.section_title or '-':<{section_width}}"
            f"  {row.words:>6}  {row.note}".rstrip()
        )
    out.append("")
    for total in preview.totals:
        out.append(f"{total.title}: {total.words} words from {total.headings} part(s)")
    return out


class Command(BaseCommand):
    help = (
        "Create a design document from a Markdown file: this registry's export format, or a "
        "design doc from another template (then --team is required)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The Markdown file to import, or - for standard input.")
        parser.add_argument(
            "--user",
            required=True,
            help="Username of the person importing; the product owner unless the file names one.",
        )
        parser.add_argument(
            "--team", help="Owner team slug, for a file without front matter (another template)."
        )
        parser.add_argument(
            "--title", help="Title, for a file without front matter (default: its first heading)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print how the file maps onto the sections; create nothing.",
        )
        parser.add_argument(
            "--allow-duplicate-title",
            action="store_true",
            help="Import it even though a design doc with its title exists.",
        )

    def handle(
        self,
        *args,
        file: str,
        user: str,
        team: str | None = None,
        title: str | None = None,
        dry_run: bool = False,
        allow_duplicate_title: bool = False,
        **options,
    ) -> None:
        user_model = get_user_model()
        try:
            importer = user_model.objects.get(**{user_model.USERNAME_FIELD: user}, is_active=True)
        except user_model.DoesNotExist:
            raise CommandError(f"There is no active user “{user}”.") from None

        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from None

        arguments = {
            "user": importer,
            "data": data,
            "owner_team": team,
            "title": title,
            "file_name": "" if file == "-" else Path(file).name,
        }
        try:
            if dry_run:
                preview = designdoc_import_preview(**arguments)
                self.stdout.write("\n".join(mapping_lines(preview)))
                self.stdout.write("Dry run: nothing was created.")
                return
            if not allow_duplicate_title:
                refuse_duplicate_title(
                    user=importer, title=designdoc_import_preview(**arguments).title, allowed=False
                )
            doc = designdoc_import_markdown(**arguments)
        except DuplicateTitleError as exc:
            raise CommandError(
                f"{file} was not imported: a design doc titled “{exc.existing[0].title}” exists "
                f"({exc.existing[0].slug}). Add --allow-duplicate-title to import it anyway."
            ) from None
        except DomainError as exc:
            lines = error_lines(exc)
            if "owner_team" in exc.errors and not team:
                lines.append("Name it with --team SLUG (add --dry-run to see the mapping first).")
            raise CommandError(
                f"{file} was not imported; nothing was created.\n" + "\n".join(lines)
            ) from None
        plan = foreign_plan_of(data, arguments["file_name"])
        if plan is not None:
            preview = ImportPreview.of_foreign_file(plan, content_of(doc), owner_team=team)
            self.stderr.write("\n".join(mapping_lines(preview)))
        self.stdout.write(doc.slug)
