"""The document points at its latest and its approved revision (Wagtail's latest_revision /
live_revision) instead of carrying a revision counter and a hash that had to move together;
the workflow states of review; the document that supersedes another."""

import django.db.models.deletion
from django.db import migrations, models

STATUSES = [
    ("draft", "Draft"),
    ("in_review", "In review"),
    ("changes_requested", "Changes requested"),
    ("approved", "Approved"),
    ("superseded", "Superseded"),
    ("archived", "Archived"),
]


def point_at_latest_revisions(apps, schema_editor):
    DesignDoc = apps.get_model("designdocs", "DesignDoc")
    Revision = apps.get_model("designdocs", "Revision")
    for doc in DesignDoc.objects.only("pk", "revision_number").iterator():
        latest = Revision.objects.filter(design_doc_id=doc.pk, number=doc.revision_number).first()
        if latest is None:
            latest = Revision.objects.filter(design_doc_id=doc.pk).order_by("-number").first()
        DesignDoc.objects.filter(pk=doc.pk).update(latest_revision=latest)


def restore_counters(apps, schema_editor):
    DesignDoc = apps.get_model("designdocs", "DesignDoc")
    for doc in DesignDoc.objects.select_related("latest_revision").iterator():
        if doc.latest_revision is not None:
            DesignDoc.objects.filter(pk=doc.pk).update(
                revision_number=doc.latest_revision.number,
                content_hash=doc.latest_revision.content_hash,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("designdocs", "0005_unclassified_by_default"),
    ]

    operations = [
        migrations.AddField(
            model_name="designdoc",
            name="latest_revision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="designdocs.revision",
                verbose_name="latest revision",
            ),
        ),
        migrations.AddField(
            model_name="designdoc",
            name="approved_revision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="designdocs.revision",
                verbose_name="approved revision",
            ),
        ),
        migrations.AddField(
            model_name="designdoc",
            name="superseded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="supersedes",
                to="designdocs.designdoc",
                verbose_name="superseded by",
            ),
        ),
        migrations.RunPython(point_at_latest_revisions, restore_counters),
        migrations.RemoveField(model_name="designdoc", name="content_hash"),
        migrations.RemoveField(model_name="designdoc", name="revision_number"),
        migrations.RemoveConstraint(
            model_name="designdoc", name="designdocs_designdoc_valid_status"
        ),
        migrations.AlterField(
            model_name="designdoc",
            name="status",
            field=models.CharField(
                choices=STATUSES, default="draft", max_length=32, verbose_name="workflow status"
            ),
        ),
        migrations.AddConstraint(
            model_name="designdoc",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", [value for value, _ in STATUSES])),
                name="designdocs_designdoc_valid_status",
                violation_error_message=(
                    "status must be one of: draft, in_review, changes_requested, approved, "
                    "superseded, archived."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="designdoc",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "approved"), _negated=True),
                    ("approved_revision", models.F("latest_revision")),
                    _connector="OR",
                ),
                name="designdocs_designdoc_approved_is_latest",
                violation_error_message=(
                    "An approved document's approved revision is its latest revision."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="designdoc",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "superseded"), _negated=True),
                    ("superseded_by__isnull", False),
                    _connector="OR",
                ),
                name="designdocs_designdoc_superseded_names_successor",
                violation_error_message="A superseded document names the document replacing it.",
            ),
        ),
        migrations.AddConstraint(
            model_name="designdoc",
            constraint=models.CheckConstraint(
                condition=models.Q(("superseded_by", models.F("id")), _negated=True),
                name="designdocs_designdoc_not_superseded_by_itself",
                violation_error_message="A document cannot supersede itself.",
            ),
        ),
    ]
