"""Keep the search vector inside the table's row (compressed) instead of in TOAST.

A common word matches a third of the docs: finding the first candidates reads rows one
after another and tests `search_vector @@ query` on each, and ranking them reads the vector
again. Out of line, every test fetched its vector from the TOAST table (about 7 buffer reads
a row at 100,000 docs); in the row, the long text columns go to TOAST instead, and they are
not read by a search. Measured with bench/search.py: the candidate query 14 ms -> 5 ms, the
ranking of 172 rows 3.3 ms -> 2.1 ms. Rows written before this migration keep their layout
until they are next saved (or `VACUUM FULL` after an `UPDATE ... SET search_vector =
search_vector || ''`). PostgreSQL only.
"""

from django.db import migrations

from registry.core.migration_operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("designdocs", "0009_lifecycle_transitions")]

    operations = [
        RunSQLOnPostgreSQL(
            "ALTER TABLE designdocs_designdoc ALTER COLUMN search_vector SET STORAGE MAIN",
            "ALTER TABLE designdocs_designdoc ALTER COLUMN search_vector SET STORAGE EXTENDED",
        )
    ]
