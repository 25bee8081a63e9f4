from django.db import migrations

from registry.core.migration_operations import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_parent_cycle_trigger")]

    # PostgreSQL only: the search's vector of a team (teams.search: name A, description B)
    # and of its name, indexed, instead of computed for every team on every search.
    operations = [SearchIndexes("teams_team", {"name": "A", "description": "B"}, title="name")]
