from django.db import migrations

from registry.core.migration_operations import GeneratedSearchVector


class Migration(migrations.Migration):
    dependencies = [("teams", "0004_search_indexes")]

    # PostgreSQL only: the team's search vector (teams.search: name A, description B) kept
    # by the database in a generated column, read by the search instead of computed for
    # every team it ranks; the title index of 0004 stays.
    operations = [GeneratedSearchVector("teams_team", {"name": "A", "description": "B"})]
