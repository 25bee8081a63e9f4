from django.contrib import admin

from exports.models import PdfExport
from registry.core.admin import ReadOnlyAdmin


@admin.register(PdfExport)
class PdfExportAdmin(ReadOnlyAdmin):
    """Exports are written by exports.services only: listed and shown, never edited."""

    list_display = ("id", "title", "kind", "status", "progress", "signed", "pages", "created_at")
    list_filter = ("status", "kind", "signed")
    search_fields = ("title", "cache_key", "subject_name")
    list_select_related = ("requested_by",)
