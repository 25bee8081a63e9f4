"""Teams get a validated contact (e-mail and chat channel, from the one free-text
`contact`), a lock version, an update time, and the constraints of their invariants;
memberships get the date they started and a role check."""

import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import migrations, models


def split_contact(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    for team in Team.objects.exclude(contact=""):
        contact = team.contact.strip()
        try:
            validate_email(contact)
        except ValidationError:
            team.chat_channel = contact[:200]  # kept as written: nothing is lost
        else:
            team.email = contact
        team.save(update_fields=["email", "chat_channel"])


def join_contact(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    for team in Team.objects.all():
        team.contact = (team.email or team.chat_channel)[:200]
        team.save(update_fields=["contact"])


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="team",
            name="email",
            field=models.EmailField(blank=True, help_text="The address that reaches the team (a list or alias).", max_length=254, verbose_name="e-mail"),
        ),
        migrations.AddField(
            model_name="team",
            name="chat_channel",
            field=models.CharField(blank=True, help_text="A channel name such as #ml-platform, or an https:// link to it.", max_length=200, verbose_name="chat channel"),
        ),
        migrations.RunPython(split_contact, join_contact),
        migrations.RemoveField(model_name="team", name="contact"),
        migrations.AddField(
            model_name="team",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, help_text="Lock version: every accepted change increments it; updates must state it.", verbose_name="version"),
        ),
        migrations.AddField(
            model_name="team",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated"),
        ),
        migrations.AddField(
            model_name="teammembership",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name="member since"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="team",
            name="description",
            field=models.TextField(blank=True, help_text="What the team does and owns. Markdown.", verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="team",
            name="slug",
            field=models.SlugField(help_text="The team's address in the registry and its Backstage name: lowercase letters, digits and hyphens.", max_length=100, unique=True, verbose_name="slug"),
        ),
        migrations.AlterField(
            model_name="teammembership",
            name="team",
            field=models.ForeignKey(on_delete=models.deletion.CASCADE, related_name="memberships", to="teams.team", verbose_name="team"),
        ),
        migrations.AlterField(
            model_name="teammembership",
            name="user",
            field=models.ForeignKey(on_delete=models.deletion.CASCADE, related_name="team_memberships", to=settings.AUTH_USER_MODEL, verbose_name="person"),
        ),
        migrations.AlterField(
            model_name="teammembership",
            name="role",
            field=models.CharField(choices=[("lead", "Lead"), ("member", "Member")], default="member", max_length=16, verbose_name="role in team"),
        ),
        migrations.AddConstraint(
            model_name="team",
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower("name"), name="teams_team_unique_name_any_case", violation_error_message="A team with this name exists already."),
        ),
        migrations.AddConstraint(
            model_name="team",
            constraint=models.CheckConstraint(condition=models.Q(("parent", models.F("pk")), _negated=True), name="teams_team_not_own_parent", violation_error_message="A team cannot be its own parent."),
        ),
        migrations.AddConstraint(
            model_name="team",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("name", ""), _negated=True), models.Q(("slug", ""), _negated=True)), name="teams_team_name_and_slug_given", violation_error_message="A team needs a name and a slug."),
        ),
        migrations.AddConstraint(
            model_name="team",
            constraint=models.CheckConstraint(condition=models.Q(("kind__in", ["feature", "platform"])), name="teams_team_kind_valid", violation_error_message="Unknown kind of team."),
        ),
        migrations.AddConstraint(
            model_name="teammembership",
            constraint=models.CheckConstraint(condition=models.Q(("role__in", ["lead", "member"])), name="teams_teammembership_role_valid", violation_error_message="Unknown role in a team."),
        ),
    ]
