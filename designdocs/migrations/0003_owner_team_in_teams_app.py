"""Design documents point at teams.Team (the same table, renamed by the teams app)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("designdocs", "0002_search_vector"),
        ("teams", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="designdoc",
            name="owner_team",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="design_docs", to="teams.team", verbose_name="owner team"),
        ),
        migrations.AlterField(
            model_name="raciassignment",
            name="team",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="teams.team", verbose_name="team"),
        ),
    ]
