import django.contrib.postgres.search
from django.db import migrations

from registry.core.migration_operations import RunSQLOnPostgreSQL


def fill_search_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from registry.search import DESIGNDOC_FIELDS, weighted_vector

    apps.get_model("designdocs", "DesignDoc").objects.update(
        search_vector=weighted_vector(DESIGNDOC_FIELDS)
    )


class Migration(migrations.Migration):
    dependencies = [("designdocs", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="designdoc",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="search vector"
            ),
        ),
        RunSQLOnPostgreSQL(
            "CREATE INDEX designdocs_designdoc_search_gin ON designdocs_designdoc "
            "USING gin (search_vector)",
            "DROP INDEX IF EXISTS designdocs_designdoc_search_gin",
        ),
        migrations.RunPython(fill_search_vectors, migrations.RunPython.noop),
    ]
