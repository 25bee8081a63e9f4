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


def _tsvector(column: str, config: str) -> str:
    return f"to_tsvector('{config}'::regconfig, COALESCE({column}, ''))"


def _weighted_tsvector(fields: dict[str, str], config: str) -> str:
    """The search's weighted vector of `fields` ({column: weight}), as SQL."""
    return " || ".join(
        f"setweight({_tsvector(name, config)}, '{weight}')" for name, weight in fields.items()
    )


class SearchIndexes(RunSQLOnPostgreSQL):
    """PostgreSQL-only GIN indexes for a searchable type without a stored vector
    (registry.core.search): one on its weighted vector and one on its title, written as
    exactly the expressions the search writes, so that both are used. A no-op on SQLite.

        SearchIndexes("teams_team", {"name": "A", "description": "B"}, title="name")

    Give the fields and weights as they are when the migration is written (a migration
    never imports live code); change them with a new migration."""

    def __init__(self, table: str, fields: dict[str, str], title: str, config: str = "english"):
        vector = _weighted_tsvector(fields, config)
        super().__init__(
            [
                f"CREATE INDEX {table}_search_gin ON {table} USING gin (({vector}))",
                f"CREATE INDEX {table}_title_search_gin ON {table} "
                f"USING gin ({_tsvector(title, config)})",
            ],
            [
                f"DROP INDEX IF EXISTS {table}_search_gin",
                f"DROP INDEX IF EXISTS {table}_title_search_gin",
            ],
        )


class GeneratedSearchVector(RunSQLOnPostgreSQL):
    """PostgreSQL only: a searchable type's weighted vector as a generated column the
    database keeps on every write (whoever writes: services, the admin, an importer, a
    factory), GIN-indexed, replacing `SearchIndexes`' expression index on the same vector.
    The search reads it (`Searchable.vector_column`) instead of computing the vector for
    every row it ranks. A no-op on SQLite.

        GeneratedSearchVector("teams_team", {"name": "A", "description": "B"})
    """

    def __init__(
        self,
        table: str,
        fields: dict[str, str],
        column: str = "search_vector",
        config: str = "english",
    ):
        vector = _weighted_tsvector(fields, config)
        super().__init__(
            [
                f"DROP INDEX IF EXISTS {table}_search_gin",
                f"ALTER TABLE {table} ADD COLUMN {column} tsvector "
                f"GENERATED ALWAYS AS ({vector}) STORED",
                f"CREATE INDEX {table}_{column}_gin ON {table} USING gin ({column})",
            ],
            [
                f"DROP INDEX IF EXISTS {table}_{column}_gin",
                f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}",
                f"CREATE INDEX {table}_search_gin ON {table} USING gin (({vector}))",
            ],
        )
