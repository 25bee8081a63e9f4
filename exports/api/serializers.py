from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from exports.choices import ExportStatus
from exports.models import PdfExport


class PdfExportSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    revision_number = serializers.SerializerMethodField()
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PdfExport
        fields = [
            "id", "url", "kind", "design_doc", "revision_number", "subject_name", "subject_key",
            "title", "status", "progress", "stage", "error", "download_url", "page_url",
            "pages", "file_size", "pdf_hash", "cache_key", "signed", "signature",
            "requested_by", "attempts", "created_at", "started_at", "finished_at",
            "render_seconds",
        ]  # fmt: skip
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("api:export-detail", kwargs={"pk": obj.pk})

    def get_page_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get_download_url(self, obj) -> str | None:
        if obj.status != ExportStatus.DONE:
            return None
        return reverse("api:export-download", kwargs={"pk": obj.pk})

    def get_revision_number(self, obj) -> int | None:
        return obj.revision.number if obj.revision_id else None


class ExportRequestSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        required=False, min_value=1, help_text="The revision to print (default: the latest)."
    )


class SubjectExportRequestSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=64, help_text="A registered printable subject.")
    key = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class VerifyRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The PDF to check.")


class VerdictSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    signed = serializers.BooleanField()
    signed_by_registry = serializers.BooleanField()
    unmodified = serializers.BooleanField()
    development_key = serializers.BooleanField()
    design_doc_id = serializers.IntegerField(allow_null=True)
    revision_number = serializers.IntegerField(allow_null=True)
    content_hash = serializers.CharField(allow_blank=True)
    approvers = serializers.ListField(child=serializers.DictField())
    revision_matches = serializers.BooleanField()
    still_approved = serializers.BooleanField()
    superseded_by = serializers.IntegerField(allow_null=True)
    summary = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())
