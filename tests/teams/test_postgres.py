"""What only PostgreSQL holds: the trigger that refuses a cycle of parents, whoever writes."""

import pytest
from django.db import IntegrityError, connection, transaction

from teams.models import Team
from tests.factories import TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_on_postgresql_the_database_refuses_a_cycle_written_behind_the_services():
    assert connection.vendor == "postgresql"
    top = TeamFactory(name="Top", slug="top")
    child = TeamFactory(name="Child", slug="child", parent=top)
    with pytest.raises(IntegrityError, match="under itself"), transaction.atomic():
        Team.objects.filter(pk=top.pk).update(parent=child)
    top.refresh_from_db()
    assert top.parent is None
