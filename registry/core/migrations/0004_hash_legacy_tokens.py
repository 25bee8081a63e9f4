"""DRF's `authtoken` tokens (plain keys, no expiry) become hashed ApiTokens, so that the
scripts using them keep working; then their table, which holds the keys in clear, is dropped.

A migrated token is named "legacy token" and expires API_TOKEN_TTL_DAYS after this
migration (not after its creation, which would end most of them at once). A database that
never had `rest_framework.authtoken` (a new one) has nothing to migrate.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

LEGACY_TABLE = "authtoken_token"
LEGACY_NAME = "legacy token"


def _aware(value):
    """The raw cursor gives SQLite's timestamps as naive datetimes (or text): they are UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def hash_legacy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn('key')}, {qn('created')}, {qn('user_id')} FROM {qn(LEGACY_TABLE)}")
        rows = cursor.fetchall()
    ApiToken = apps.get_model("core", "ApiToken")
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    ApiToken.objects.using(connection.alias).bulk_create(
        ApiToken(
            user_id=user_id,
            name=LEGACY_NAME,
            prefix=key[:8],
            digest=hashlib.sha256(key.encode()).hexdigest(),
            created_at=_aware(created) or now,
            expires_at=expires_at,
        )
        for key, created, user_id in rows
    )
    schema_editor.execute(f"DROP TABLE {qn(LEGACY_TABLE)}")
    # The app is gone from INSTALLED_APPS: forget its migrations too, so that adding it back
    # one day creates its table instead of assuming the dropped one.
    schema_editor.execute(f"DELETE FROM {qn('django_migrations')} WHERE {qn('app')} = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("core", "0003_api_tokens")]

    operations = [migrations.RunPython(hash_legacy_tokens, migrations.RunPython.noop)]
