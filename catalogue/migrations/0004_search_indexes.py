"""GIN indexes on the stored search vectors (PostgreSQL only; nothing on SQLite)."""

from django.db import migrations

from registry.core.migration_operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_components_and_architectures")]

    operations = [
        RunSQLOnPostgreSQL(
            "CREATE INDEX IF NOT EXISTS catalogue_component_search_idx "
            "ON catalogue_component USING gin (search_vector);",
            "DROP INDEX IF EXISTS catalogue_component_search_idx;",
        ),
        RunSQLOnPostgreSQL(
            "CREATE INDEX IF NOT EXISTS catalogue_architecture_search_idx "
            "ON catalogue_architectureexample USING gin (search_vector);",
            "DROP INDEX IF EXISTS catalogue_architecture_search_idx;",
        ),
    ]
