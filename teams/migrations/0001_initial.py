"""Team and TeamMembership move here from the catalogue app, with their data: in the
migration state they are created anew; in the database their tables are renamed (and the
audit trail and content types follow), so nothing is copied and nothing is lost."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = (("catalogue_team", "teams_team"), ("catalogue_teammembership", "teams_teammembership"))
OLD_CONSTRAINT = "catalogue_teammembership_unique_team_user"
NEW_CONSTRAINT = "teams_teammembership_unique_team_user"


def rename_tables(apps, schema_editor):
    tables = set(schema_editor.connection.introspection.table_names())
    for old, new in MOVED:
        if old in tables:
            schema_editor.alter_db_table(None, old, new)


def unrename_tables(apps, schema_editor):
    for old, new in MOVED:
        schema_editor.alter_db_table(None, new, old)


def rename_constraint(apps, schema_editor, old=OLD_CONSTRAINT, new=NEW_CONSTRAINT):
    table = "teams_teammembership"
    if schema_editor.connection.vendor == "sqlite":
        # SQLite keeps constraints in the table definition: rebuild it from the model state,
        # which names the constraint as it is now (Django's own way of altering SQLite).
        schema_editor._remake_table(apps.get_model("teams", "TeamMembership"))
        return
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"ALTER TABLE {quote(table)} RENAME CONSTRAINT {quote(old)} TO {quote(new)}"
    )


def unrename_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        return  # the table is rebuilt with the old name by unrename's state on the way back
    rename_constraint(apps, schema_editor, old=NEW_CONSTRAINT, new=OLD_CONSTRAINT)


def relabel(apps, schema_editor, old="catalogue", new="teams"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for model in ("team", "teammembership"):
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        AuditEvent.objects.filter(object_type=f"{old}.{model}").update(
            object_type=f"{new}.{model}"
        )


def unrelabel(apps, schema_editor):
    relabel(apps, schema_editor, old="teams", new="catalogue")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0001_initial"),
        # The tables are renamed after every table pointing at them exists (their foreign
        # keys follow the rename); later migrations of those apps point at teams.Team.
        ("designdocs", "0002_search_vector"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Team",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                        ("slug", models.SlugField(max_length=100, unique=True, verbose_name="slug")),
                        ("kind", models.CharField(choices=[("feature", "Feature team"), ("platform", "Platform team")], default="feature", max_length=16, verbose_name="kind")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("contact", models.CharField(blank=True, help_text="E-mail address or chat channel.", max_length=200, verbose_name="contact")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="teams.team", verbose_name="parent team")),
                    ],
                    options={"ordering": ["name"]},
                ),
                migrations.CreateModel(
                    name="TeamMembership",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("member", "Member"), ("lead", "Lead")], default="member", max_length=16, verbose_name="role in team")),
                        ("team", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="teams.team")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="team_memberships", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["team__name", "user__username"]},
                ),
                migrations.AddField(
                    model_name="team",
                    name="members",
                    field=models.ManyToManyField(blank=True, related_name="teams", through="teams.TeamMembership", to=settings.AUTH_USER_MODEL),
                ),
                migrations.AddConstraint(
                    model_name="teammembership",
                    constraint=models.UniqueConstraint(fields=("team", "user"), name=NEW_CONSTRAINT, violation_error_message="This person is already a member of the team."),
                ),
            ],
            database_operations=[migrations.RunPython(rename_tables, unrename_tables)],
        ),
        migrations.RunPython(rename_constraint, unrename_constraint),
        migrations.RunPython(relabel, unrelabel),
    ]
