"""docker-compose.yml, the Dockerfile and .env.example, checked without a Docker engine:
the services, images, health checks and volumes are there, and every environment
variable handed to the app is one that registry/settings.py actually reads."""

import ast
import re
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
APP_SERVICES = {"web", "worker", "beat"}
ENV_READERS = {"env_bool", "env_int", "env_list"}


def settings_variables() -> set[str]:
    """Names read from the environment by registry/settings.py (os.environ / env_*)."""
    tree = ast.parse((BASE_DIR / "registry" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            is_reader = (isinstance(func, ast.Name) and func.id in ENV_READERS) or (
                isinstance(func, ast.Attribute)
                and func.attr in {"get", "getenv"}
                and ast.unparse(func.value) in {"os.environ", "os"}
            )
            first = node.args[0]
            if is_reader and isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return names


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def test_settings_parser_finds_the_known_variables():
    assert {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL",
            "API_MAX_PAGE_SIZE", "SQLITE_PATH"} <= settings_variables()  # fmt: skip


def test_compose_has_web_worker_beat_postgres_and_redis(services):
    assert set(services) == APP_SERVICES | {"postgres", "redis"}


def test_app_services_share_one_image_built_here(services):
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1, images
    for name in APP_SERVICES:
        assert services[name]["build"] == "."


def test_services_run_the_right_processes(services):
    assert "gunicorn registry.wsgi:application" in services["web"]["command"]
    assert "migrate --noinput" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A registry worker")
    assert services["beat"]["command"].startswith("celery -A registry beat")
    assert services["web"]["ports"] == ["${WEB_PORT:-8000}:8000"]


def test_backing_services_use_supported_images(services):
    name, tag = services["postgres"]["image"].split(":")
    assert name == "postgres" and int(tag.split(".")[0]) >= 14  # Django 5.2 needs PG >= 14
    name, tag = services["redis"]["image"].split(":")
    assert name == "redis" and int(tag.split(".")[0]) >= 6


def test_every_service_has_a_health_check(services):
    for name, service in services.items():
        check = service.get("healthcheck", {})
        assert check.get("test"), f"{name} has no health check"
        assert check.get("interval") and check.get("retries"), name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in " ".join(services["redis"]["healthcheck"]["test"])


def test_app_waits_for_healthy_database_and_broker(services):
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["redis"]["condition"] == "service_healthy", name
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_data_lives_in_named_volumes(compose, services):
    declared = set(compose["volumes"])
    mounts = {
        mount.split(":")[0]: mount.split(":")[1]
        for service in services.values()
        for mount in service.get("volumes", [])
    }
    assert mounts["pgdata"] == "/var/lib/postgresql/data"
    assert mounts["redisdata"] == "/data"
    assert mounts["media"] == "/app/media"
    assert set(mounts) <= declared


def test_app_environment_uses_only_variables_the_settings_read(services):
    known = settings_variables()
    for name in APP_SERVICES:
        unknown = set(services[name]["environment"]) - known
        assert not unknown, f"{name} sets variables registry/settings.py never reads: {unknown}"


def test_app_environment_points_at_the_compose_services(services):
    environment = services["web"]["environment"]
    assert environment["DJANGO_DEBUG"] == "0"
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), "no default secret key"


def test_env_example_lists_only_variables_that_are_used(compose):
    compose_text = (BASE_DIR / "docker-compose.yml").read_text()
    interpolated = set(re.findall(r"\$\{([A-Z_]+)", compose_text))
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    names = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert "SECRET_KEY" in names
    assert names <= interpolated, names - interpolated
    assert {"SECRET_KEY", "ALLOWED_HOSTS"} <= names & settings_variables()


def test_dockerfile_builds_a_slim_non_root_image_with_weasyprint_libraries():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim$", dockerfile, re.M)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fontconfig",
                    "fonts-dejavu-core"):  # fmt: skip
        assert package in dockerfile, package
    assert "manage.py collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert "gunicorn" in dockerfile.split("CMD", 1)[1]


def test_dockerfile_uses_a_supported_python_of_3_12_or_newer():
    base = re.findall(r"^FROM python:(\d+)\.(\d+)", (BASE_DIR / "Dockerfile").read_text(), re.M)
    assert base, "no python base image"
    assert all((int(major), int(minor)) >= (3, 12) for major, minor in base), base


def test_dockerfile_installs_every_dependency_from_the_lock_with_hashes():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert re.search(r"^COPY requirements\.lock ", dockerfile, re.M)
    installs = re.findall(r"pip install [^\n]*", dockerfile)
    assert installs == ["pip install --require-hashes -r requirements.lock"], installs


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((BASE_DIR / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "db.sqlite3"} <= ignored
