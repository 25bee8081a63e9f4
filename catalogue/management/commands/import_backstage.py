"""manage.py import_backstage PATH...: import Backstage catalog-info files (or every
*.yaml / *.yml under a folder). Each file imports whole or not at all; rejected documents
are printed with file and line, and the command exits 1 if there were any."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalogue.backstage.descriptor import MAX_FILE_BYTES
from catalogue.backstage.importer import catalog_import


class Command(BaseCommand):
    help = "Import Backstage catalog-info.yaml files or folders of them."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders.")
        parser.add_argument(
            "--as", dest="username", default="", help="The administrator recorded as importer."
        )

    def handle(self, *args, paths, username, **options):
        user_model = get_user_model()
        if username:
            actor = user_model.objects.filter(username=username, is_superuser=True).first()
            if actor is None:
                raise CommandError(f"There is no administrator “{username}”.")
        else:
            actor = (
                user_model.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            )
            if actor is None:
                raise CommandError("Create an administrator first (createsuperuser), or pass --as.")
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files += sorted(
                    p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                )
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{raw}: no such file or folder.")
        loaded = []
        for path in files:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KB.")
            loaded.append((str(path), path.read_bytes()))
        report = catalog_import(actor=actor, files=loaded)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{report.rejected} document(s) rejected.", returncode=1)
