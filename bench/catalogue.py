"""Benchmark: catalogue list, component page latency and query counts with 2,000
components and 500 architecture examples, and the import rate of a 1,000-entity
catalog-info.yaml. Nothing is asserted: it prints.

    .venv/bin/python bench/catalogue.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench .venv/bin/python bench/catalogue.py

With SQLite it uses a throwaway file under /tmp; with DATABASE_URL it uses (and empties)
that database: point it at a scratch one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _time(client, url: str, repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=2000)
    parser.add_argument("--architectures", type=int, default=500)
    parser.add_argument("--import-entities", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from catalogue.backstage.importer import catalog_import
    from catalogue.models import (
        ArchitectureComponent,
        ArchitectureExample,
        Component,
        ComponentDependency,
        Tag,
    )
    from registry.core.roles import ALL_ROLES
    from teams.demo import seed_people_and_teams
    from teams.models import Team

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)
    seed_people_and_teams()
    teams = list(Team.objects.all())
    tags = [Tag.objects.get_or_create(name=n)[0] for n in ("batch", "online", "features", "ml")]
    started = time.perf_counter()
    components = Component.objects.bulk_create(
        Component(name=f"Component {n}", slug=f"component-{n}", kind="service",
                  owner_team=teams[n % len(teams)], lifecycle="production",
                  description="A platform component used by forecasting solutions.")
        for n in range(args.components)
    )  # fmt: skip
    Component.tags.through.objects.bulk_create(
        Component.tags.through(component_id=c.pk, tag_id=tags[i % 4].pk)
        for i, c in enumerate(components)
    )
    ComponentDependency.objects.bulk_create(
        ComponentDependency(component=components[i], target=components[i - 1])
        for i in range(1, len(components))
    )
    archs = ArchitectureExample.objects.bulk_create(
        ArchitectureExample(title=f"Architecture {n}", slug=f"architecture-{n}",
                            summary="Nightly batch forecasting.", owner_team=teams[n % len(teams)],
                            lifecycle="production")
        for n in range(args.architectures)
    )  # fmt: skip
    ArchitectureComponent.objects.bulk_create(
        ArchitectureComponent(architecture=a, component=components[(i * 3 + k) % len(components)], role="part", position=k)
        for i, a in enumerate(archs) for k in range(3)
    )  # fmt: skip
    print(f"database: {connection.vendor}; components: {Component.objects.count()}, "
          f"architecture examples: {ArchitectureExample.objects.count()} "
          f"(made in {time.perf_counter() - started:.1f} s)")  # fmt: skip

    dave = User.objects.get(username="dave")
    client = Client()
    client.force_login(dave)
    middle = components[len(components) // 2]
    for label, url in [
        ("catalogue browse page (architecture cards)", "/catalogue/"),
        ("component list page", "/catalogue/components/"),
        ("component list page, filtered by tag", "/catalogue/components/?tag=batch"),
        ("component page", middle.get_absolute_url()),
        ("GET /api/components/?limit=50", "/api/components/?limit=50"),
        ("GET /api/architectures/?limit=50", "/api/architectures/?limit=50"),
        ("GET /api/components/<slug>/", f"/api/components/{middle.slug}/"),
    ]:
        p50, p95, queries = _time(client, url, args.repeat)
        print(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {queries} queries")

    admin = User.objects.filter(is_superuser=True).first()
    docs = ["apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: bench-team}\n"
            "spec: {type: team, children: []}\n"]  # fmt: skip
    for n in range(args.import_entities - 1):
        docs.append(
            f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: imported-{n}\n"
            f"  tags: [batch]\n  annotations: {{github.com/project-slug: org/imported-{n}}}\n"
            f"spec:\n  type: service\n  lifecycle: production\n  owner: group:default/bench-team\n"
            + (f"  dependsOn: [component:default/imported-{n - 1}]\n" if n else "")
        )
    text = "---\n".join(docs)
    for label in ("first import (creates)", "re-import (unchanged)"):
        started = time.perf_counter()
        report = catalog_import(actor=admin, files=[("bench.yaml", text)]).as_dict()
        elapsed = time.perf_counter() - started
        print(f"import of a {args.import_entities}-entity catalog-info.yaml, {label}: "
              f"{elapsed:.2f} s ({args.import_entities / elapsed:.0f} entities/s); created "
              f"{report['created']}, updated {report['updated']}, unchanged {report['unchanged']}, "
              f"rejected {report['rejected']}")  # fmt: skip


if __name__ == "__main__":
    main()
