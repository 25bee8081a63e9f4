"""The data migration that turns DRF's plain `authtoken` keys into hashed ApiTokens."""

import datetime
import importlib

import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.utils import timezone

from registry.core.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

migration = importlib.import_module("registry.core.migrations.0004_hash_legacy_tokens")
LEGACY_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"


@pytest.fixture
def legacy_table(alice):
    """The table `rest_framework.authtoken` left behind, with one of alice's keys."""
    created = timezone.now() - datetime.timedelta(days=400)
    stamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created {stamp} "
            "NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [LEGACY_KEY, connection.ops.adapt_datetimefield_value(created), alice.pk],
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["authtoken", "0001_initial", connection.ops.adapt_datetimefield_value(created)],
        )
    return created


def run_migration():
    # Not entered as a context: SQLite's schema editor refuses to open inside the test's
    # transaction, and this migration needs none of what entering it sets up.
    migration.hash_legacy_tokens(global_apps, connection.schema_editor())


def test_legacy_keys_keep_working_hashed_and_their_table_is_dropped(
    legacy_table, api_client, alice, settings
):
    settings.API_TOKEN_TTL_DAYS = 30
    run_migration()

    token = ApiToken.objects.get(user=alice)
    assert token.name == "legacy token"
    assert token.prefix == LEGACY_KEY[:8]
    assert abs(token.created_at - legacy_table) < datetime.timedelta(seconds=1)
    # Expires a full TTL after the migration, not after its (long past) creation.
    assert token.expires_at > timezone.now() + datetime.timedelta(days=29)
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = %s", ["authtoken"])
        assert cursor.fetchone()[0] == 0
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {LEGACY_KEY}")
    assert api_client.get("/api/teams/").status_code == 200


def test_a_database_without_the_legacy_table_has_nothing_to_migrate(alice):
    run_migration()
    assert not ApiToken.objects.exists()
