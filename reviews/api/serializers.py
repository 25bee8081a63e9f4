"""Representations of the review workflow. Request serializers document the bodies (and
check their types before a service runs); responses are built from the models."""

from __future__ import annotations

from rest_framework import serializers

from designdocs.choices import WorkflowStatus
from reviews.choices import Decision, Verb


class SubmitSerializer(serializers.Serializer):
    reviewers = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        max_length=20,
        help_text="Usernames of architects; empty or absent: every architect may review.",
    )
    due_date = serializers.DateField(required=False, allow_null=True)


class SupersedeSerializer(serializers.Serializer):
    superseded_by = serializers.CharField(
        max_length=220, help_text="The id or slug of the document replacing this one."
    )


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    body = serializers.CharField(
        required=False, allow_blank=True, help_text="Markdown; required unless `approve`."
    )
    revision = serializers.IntegerField(
        required=False, min_value=1, help_text="The revision number you reviewed."
    )
    content_hash = serializers.CharField(
        required=False, max_length=64, help_text="Or its content hash (sha256)."
    )


class CommentCreateSerializer(serializers.Serializer):
    section = serializers.CharField(max_length=64, help_text="A section key, e.g. `risks`.")
    body = serializers.CharField(help_text="Markdown.")
    quote = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReplySerializer(serializers.Serializer):
    body = serializers.CharField(help_text="Markdown.")


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=500
    )


class ApprovalStateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=WorkflowStatus.choices)
    approvals_required = serializers.IntegerField(allow_null=True)
    approvals = serializers.IntegerField()
    approved_by = serializers.ListField(child=serializers.CharField())
    approved_revision = serializers.IntegerField(allow_null=True)
    revision = serializers.IntegerField()
    stale_approvals = serializers.ListField(child=serializers.DictField())
    summary = serializers.CharField()


class ReviewRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    revision = serializers.IntegerField()
    requested_by = serializers.CharField()
    reviewers = serializers.ListField(child=serializers.CharField())
    to_architects_group = serializers.BooleanField()
    due_date = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    created_at = serializers.DateTimeField()


class WorkflowSerializer(serializers.Serializer):
    """A document's place in review, answered by every workflow operation."""

    design_doc = serializers.IntegerField()
    status = serializers.ChoiceField(choices=WorkflowStatus.choices)
    revision = serializers.IntegerField()
    content_hash = serializers.CharField()
    superseded_by = serializers.IntegerField(allow_null=True)
    approval = ApprovalStateSerializer()
    review_request = ReviewRequestSerializer(allow_null=True)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = serializers.CharField()
    decision = serializers.ChoiceField(choices=Decision.choices)
    body = serializers.CharField(allow_blank=True)
    body_html = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField()
    content_hash = serializers.CharField()
    stale = serializers.BooleanField(help_text="Given on a revision that is not the latest.")
    created_at = serializers.DateTimeField()


class CommentReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    revision = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class CommentSerializer(CommentReplySerializer):
    section = serializers.CharField()
    quote = serializers.CharField(allow_blank=True)
    resolved = serializers.BooleanField()
    resolved_by = serializers.CharField(allow_null=True)
    outdated = serializers.BooleanField(
        help_text="Made on an older revision whose section has changed since."
    )
    replies = CommentReplySerializer(many=True)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    verb = serializers.ChoiceField(choices=Verb.choices)
    summary = serializers.CharField()
    design_doc = serializers.IntegerField()
    design_doc_title = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    read = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
