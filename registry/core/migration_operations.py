"""Migration operations shared by the apps."""

from django.db import migrations


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """Raw SQL that only PostgreSQL understands (GIN indexes, extensions); a no-op on the
    SQLite default, so that `migrate` works on both."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
