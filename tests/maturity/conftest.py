import pytest


@pytest.fixture(autouse=True)
def _rubrics(published_rubrics):
    """Every maturity test reads the published rubrics (see `published_rubrics`)."""
