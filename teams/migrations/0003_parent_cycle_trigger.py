"""On PostgreSQL, the database itself refuses a parent chain that loops back (A under B
under A), whoever writes: a trigger walks the new parent's ancestors. Every change of a
parent first takes one transaction-scoped advisory lock, the same the service takes, so
two concurrent moves that would close a loop together run one after the other and the
second sees the first. SQLite (the embedded default) serialises writes; there the service's
check is the guard."""

from django.db import migrations

from registry.core.migration_operations import RunSQLOnPostgreSQL

LOCK_KEY = "hashtext('teams_team.parent')"

FORWARDS = f"""
CREATE OR REPLACE FUNCTION teams_team_refuse_parent_cycle() RETURNS trigger AS $$
BEGIN
    IF NEW.parent_id IS NULL THEN
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK_KEY});
    IF EXISTS (
        WITH RECURSIVE ancestors(id) AS (
            SELECT NEW.parent_id
            UNION
            SELECT t.parent_id FROM teams_team t JOIN ancestors a ON t.id = a.id
            WHERE t.parent_id IS NOT NULL
        )
        SELECT 1 FROM ancestors WHERE id = NEW.id
    ) THEN
        RAISE EXCEPTION 'A team cannot be placed under itself or one of its sub-teams (team %, parent %).',
            NEW.id, NEW.parent_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'teams_team_parent_acyclic';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER teams_team_parent_acyclic
    BEFORE INSERT OR UPDATE OF parent_id ON teams_team
    FOR EACH ROW EXECUTE FUNCTION teams_team_refuse_parent_cycle();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS teams_team_parent_acyclic ON teams_team;
DROP FUNCTION IF EXISTS teams_team_refuse_parent_cycle();
"""


class Migration(migrations.Migration):
    dependencies = [("teams", "0002_team_contact_version_constraints")]

    operations = [RunSQLOnPostgreSQL(FORWARDS, BACKWARDS)]
