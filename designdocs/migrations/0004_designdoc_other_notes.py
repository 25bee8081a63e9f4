from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("designdocs", "0003_owner_team_in_teams_app"),
    ]

    operations = [
        migrations.AddField(
            model_name="designdoc",
            name="other_notes",
            field=models.TextField(blank=True, verbose_name="other notes"),
        ),
    ]
