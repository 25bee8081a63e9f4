"""The import page's second path: a design doc from another template. The upload shows how
its headings map onto the sections (with word counts) and asks for the title and team;
only the confirmation creates the document. Both steps call the import services, so the
page, the API and the command read files the same way."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from designdocs import services
from designdocs.duplicates import DuplicateTitleError, refuse_duplicate_title
from designdocs.forms import ForeignImportForm
from designdocs.markdown_io import is_registry_format
from registry.core.errors import DomainError

_LINE = re.compile(r"^Line (\d+):")


def is_foreign_upload(data: bytes) -> bool:
    return not is_registry_format(data[:256].decode("utf-8-sig", "replace"))


def error_lines(exc: DomainError) -> list[str]:
    """Each message once, in the order of the lines they name."""
    lines = [message for messages_ in exc.errors.values() for message in messages_] or [exc.message]

    def line_of(message: str) -> int:
        match = _LINE.match(message)
        return int(match.group(1)) if match else 0

    return sorted(dict.fromkeys(lines), key=line_of)


def foreign_import_step(
    request: HttpRequest, *, teams: list, upload: bytes | None = None, file_name: str = ""
) -> tuple[HttpResponse | None, dict[str, Any], int]:
    """(redirect when created, else extra page context, status). With `upload`: step 1,
    the mapping and the confirmation form. Without: step 2, the confirmation was posted."""
    context: dict[str, Any] = {"errors": []}
    status = 200
    if upload is not None:
        text, title, team = upload, None, None
        confirm = None
    else:
        confirm = ForeignImportForm(request.POST, teams=teams)
        if not confirm.is_valid():
            text = request.POST.get("markdown", "")
            title, team, file_name = None, None, request.POST.get("file_name", "")
            context["errors"] = [e for errors in confirm.errors.values() for e in errors]
        else:
            data = confirm.cleaned_data
            text, title, team = data["markdown"], data["title"] or None, data["owner_team"]
            file_name = data["file_name"]
            try:
                if not data["allow_duplicate_title"]:
                    refuse_duplicate_title(
                        user=request.user,
                        title=title
                        or services.designdoc_import_preview(
                            user=request.user, data=text, field="markdown", file_name=file_name
                        ).title,
                        allowed=False,
                    )
                doc = services.designdoc_import_markdown(
                    user=request.user,
                    data=text,
                    field="markdown",
                    owner_team=team,
                    title=title,
                    file_name=file_name,
                )
            except DuplicateTitleError as exc:
                status, context["duplicates"] = 409, exc.existing
            except DomainError as exc:
                if exc.status_code == 403:
                    status = 403
                context["errors"] = error_lines(exc)
            else:
                messages.success(request, f"Imported “{doc.title}” as revision 1.")
                return redirect(doc), {}, 302
    try:
        preview = services.designdoc_import_preview(
            user=request.user, data=text, field="file", file_name=file_name
        )
    except DomainError as exc:
        context["errors"] = context["errors"] or error_lines(exc)
        return None, context, status
    if confirm is None:
        confirm = ForeignImportForm(
            initial={
                "title": preview.title,
                "markdown": text.decode("utf-8-sig") if isinstance(text, bytes) else text,
                "file_name": file_name,
                "owner_team": teams[0].slug if len(teams) == 1 else "",
            },
            teams=teams,
        )
    context.update(preview=preview, confirm=confirm)
    return None, context, status
