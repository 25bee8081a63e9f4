import django.contrib.postgres.search
from django.db import migrations

from registry.core.migration_operations import RunSQLOnPostgreSQL


# The searched fields and weights as they were when this migration was written (a
# migration never imports live code: registry.search may change later).
FIELDS = {
    "title": "A",
    "problem_statement": "B",
    "business_value": "B",
    "architecture": "C",
    "data": "C",
    "deployment_constraints": "D",
    "alternatives": "D",
    "open_questions": "D",
}


def fill_search_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    vector = None
    for name, weight in FIELDS.items():
        part = SearchVector(name, weight=weight, config="english")
        vector = part if vector is None else vector + part
    apps.get_model("designdocs", "DesignDoc").objects.update(search_vector=vector)


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
