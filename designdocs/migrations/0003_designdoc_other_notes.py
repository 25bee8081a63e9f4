from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("designdocs", "0002_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="designdoc",
            name="other_notes",
            field=models.TextField(blank=True, verbose_name="other notes"),
        ),
    ]
