from django.db import migrations

from registry.core.migration_operations import RunSQLOnPostgreSQL

# PostgreSQL only: the title's own tsvector, indexed, so that the search finds the documents
# whose title matches without ranking every match (registry.core.search). The expression is
# exactly the one the search writes (SearchVector("title", config="english")).


class Migration(migrations.Migration):
    dependencies = [("designdocs", "0006_review_ready")]

    operations = [
        RunSQLOnPostgreSQL(
            "CREATE INDEX designdocs_designdoc_title_search_gin ON designdocs_designdoc "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(title, '')))",
            "DROP INDEX IF EXISTS designdocs_designdoc_title_search_gin",
        ),
    ]
