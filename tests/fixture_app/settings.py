"""The project's settings with the fixture app installed (what adding an app to the
composition root is), used only by the separate pytest process of test_fixture_app.py."""

from registry.settings import *  # noqa: F403
from registry.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.fixture_app"]
ROOT_URLCONF = "tests.fixture_app.urls"

# Its own test database: the suite's process may be using the default one at the same time.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_fixture_app"}
