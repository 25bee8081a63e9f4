"""Acceptance tests of issue 10 (lifecycle and maturity), tried as a new user would: through
the real services, the API and the pages of several apps at once, nothing faked."""

import pytest


@pytest.fixture(autouse=True)
def _rubrics(published_rubrics):
    """The published maturity models, as the data migration loads them."""
