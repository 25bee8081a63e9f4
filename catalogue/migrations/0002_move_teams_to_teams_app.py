"""Team and TeamMembership now belong to the teams app (teams/migrations/0001_initial.py
renamed their tables). Here they leave the catalogue's migration state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("teams", "0001_initial"),
        ("designdocs", "0003_owner_team_in_teams_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="TeamMembership"),
                migrations.DeleteModel(name="Team"),
            ],
            database_operations=[],
        )
    ]
