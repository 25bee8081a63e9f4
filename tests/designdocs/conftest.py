"""Fixtures shared by the design-doc tests. Append new fixtures; keep their names specific."""

from __future__ import annotations

import pytest

from registry.core import roles
from tests.designdocs.factories import FullDesignDocFactory
from tests.factories import TeamMembershipFactory, UserFactory


@pytest.fixture
def designdoc_team_member(team):
    """Frank: an architect in `team` (edits its docs; neither creates nor deletes them)."""
    frank = UserFactory(username="frank", first_name="Frank", roles=[roles.ARCHITECTS])
    TeamMembershipFactory(team=team, user=frank)
    return frank


@pytest.fixture
def designdoc_full(alice, team):
    """A document by alice for `team` with every section filled, at version 1, revision 1."""
    return FullDesignDocFactory(title="Demand forecasting", product_owner=alice, owner_team=team)
