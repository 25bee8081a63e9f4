"""Backstage import and export, on the real corpus (../shared/reference/backstage-corpus/,
each file's expectation from its SOURCES.md) and on synthetic hostile files."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue.backstage.exporter import export_catalog
from catalogue.backstage.importer import catalog_import
from catalogue.models import Component, ComponentDependency, ExternalIdentity, System
from registry.core.errors import PermissionDeniedError
from teams.models import Team, TeamMembership

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

CORPUS = Path("/work/shared/reference/backstage-corpus")
if not CORPUS.is_dir():  # the corpus beside the checkout
    CORPUS = Path(__file__).resolve().parents[3] / "shared/reference/backstage-corpus"

#: file prefix -> (created, skipped, rejected), what SOURCES.md says of the file alone.
EXPECTED = {
    "01": (6, 0, 0),  # 1 Group, 5 Users (two `guest` in different namespaces)
    "02": (1, 0, 0),  # Component in namespace alternative
    "03": (0, 0, 1),  # invalid metadata.name
    "04": (1, 0, 0),  # API with $text
    "05": (1, 0, 0),  # Domain
    "06": (1, 0, 0),
    "07": (1, 0, 0),  # Resource
    "08": (1, 0, 0),  # API with $openapi
    "09": (0, 1, 0),  # Template: not imported
    "10": (1, 1, 0),  # Component + Location not imported
    "11": (5, 1, 0),  # 6 documents, one an exact duplicate
    "12": (15, 0, 0),  # System, 6 Components, Group, 7 Users
    "13": (0, 0, 1),  # empty kind
    "14": (1, 0, 0),  # owned by a User
    "15": (1, 0, 0),  # API with an inline OpenAPI definition
}


def _file(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}-*.yaml"))


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_each_corpus_file_imports_as_backstage_says(superuser, prefix):
    path = _file(prefix)
    report = catalog_import(actor=superuser, files=[(path.name, path.read_bytes())]).as_dict()
    created, skipped, rejected = EXPECTED[prefix]
    assert (report["created"], report["skipped"], report["rejected"]) == (
        created,
        skipped,
        rejected,
    ), report
    if rejected:
        assert Component.objects.count() == 0
        problem = report["files"][0]["rejected"][0]
        assert problem["document"] == 1 and problem["line"] is not None


def test_invalid_name_is_reported_with_its_line_and_nothing_imported(superuser):
    path = _file("03")
    report = catalog_import(actor=superuser, files=[(path.name, path.read_bytes())]).as_dict()
    problem = report["files"][0]["rejected"][0]
    assert "metadata.name" in problem["message"] and problem["line"] == 4
    assert not Team.objects.exists() and not Component.objects.exists()


def test_corpus_details_survive_the_import(superuser):
    for prefix in sorted(EXPECTED):
        path = _file(prefix)
        catalog_import(actor=superuser, files=[(path.name, path.read_bytes())])
    # 01: two guests, distinct accounts; memberships from memberOf in both forms.
    guests = ExternalIdentity.objects.filter(
        ref__in=["user:default/guest", "user:development/guest"]
    )
    assert guests.count() == 2 and len({g.user_id for g in guests}) == 2
    team_a = ExternalIdentity.objects.get(ref="group:default/team-a").team
    assert TeamMembership.objects.filter(team=team_a).count() >= 3
    # 02: owner default/team-a is team A; namespace kept in the ref.
    other = Component.objects.get(external_ref="component:alternative/different-namespace")
    assert other.owner_team == team_a
    # 06: website -> service, annotations kept, dependsOn resources kept though dangling.
    showcase = Component.objects.get(external_ref="component:default/backstage-showcase")
    assert showcase.kind == "service"
    assert len(showcase.backstage["annotations"]) == 7
    assert len(showcase.backstage["unresolved_depends_on"]) == 5
    # 12: the Group's members and the System.
    ui = ExternalIdentity.objects.get(ref="group:default/ui-team").team
    assert TeamMembership.objects.filter(team=ui).count() == 7
    assert System.objects.filter(ref="system:default/cactus").exists()
    # 14: a User owns it: a personal team.
    codejail = Component.objects.get(external_ref="component:default/codejail-service")
    assert codejail.owner_team.backstage_identity.ref == "group:default/user-moisesgsalas"
    # 15: the inline definition is kept whole.
    wagtail = Component.objects.get(external_ref__endswith="/wagtail-api")
    assert 'openapi: "3.0.3"' in wagtail.backstage["spec"]["definition"]


def test_reimport_is_idempotent(superuser):
    path = _file("12")
    catalog_import(actor=superuser, files=[(path.name, path.read_bytes())])
    counts = (Team.objects.count(), Component.objects.count(), TeamMembership.objects.count())
    again = catalog_import(actor=superuser, files=[(path.name, path.read_bytes())]).as_dict()
    assert (again["created"], again["updated"]) == (0, 0)
    assert again["unchanged"] == 15
    assert (
        Team.objects.count(),
        Component.objects.count(),
        TeamMembership.objects.count(),
    ) == counts


def _wipe():
    ComponentDependency.objects.all().delete()
    Component.objects.all().delete()
    System.objects.all().delete()
    ExternalIdentity.objects.all().delete()
    TeamMembership.objects.all().delete()
    Team.objects.all().delete()


def test_export_reimports_to_the_same_catalogue_byte_for_byte(superuser):
    for prefix in sorted(EXPECTED):
        path = _file(prefix)
        catalog_import(actor=superuser, files=[(path.name, path.read_bytes())])
    first = export_catalog(actor=superuser)
    _wipe()
    report = catalog_import(actor=superuser, files=[("catalog-info.yaml", first)]).as_dict()
    assert report["rejected"] == 0, report
    second = export_catalog(actor=superuser)
    assert second == first
    again = catalog_import(actor=superuser, files=[("catalog-info.yaml", second)]).as_dict()
    assert (again["created"], again["updated"], again["rejected"]) == (0, 0, 0)


def test_native_catalogue_exports_and_round_trips(superuser, alice, team):
    from catalogue import services

    store = services.component_create(
        actor=alice,
        data={
            "name": "Feature store",
            "owner_team": team,
            "kind": "feature_store",
            "tags": ["features"],
            "repository_url": "https://git.example/fs",
            "model_registry_uri": "models:/churn@champion",
        },
    )
    services.component_create(
        actor=alice, data={"name": "Batch scoring", "owner_team": team, "depends_on": [store]}
    )
    first = export_catalog(actor=superuser)
    assert "kind: Component" in first and "feature-store" in first
    _wipe()
    catalog_import(actor=superuser, files=[("x.yaml", first)])
    assert export_catalog(actor=superuser) == first
    scoring = Component.objects.get(slug="batch-scoring")
    assert [c.slug for c in scoring.depends_on.all()] == ["feature-store"]
    assert (
        Component.objects.get(slug="feature-store").model_registry_uri == "models:/churn@champion"
    )


def test_a_file_with_one_rejected_document_imports_nothing(superuser):
    text = (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: good}\n"
        "spec: {type: service, lifecycle: production, owner: team-x}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: bad}\n"
        "spec: {type: service, owner: team-x}\n"
    )
    report = catalog_import(actor=superuser, files=[("f.yaml", text)]).as_dict()
    assert report["rejected"] == 1 and report["created"] == 0
    assert report["files"][0]["rejected"][0]["document"] == 2
    assert "lifecycle" in report["files"][0]["rejected"][0]["message"]
    assert not Component.objects.exists() and not Team.objects.exists()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Synthetic: an alias bomb.
        (
            "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{c}: &{c} [{','.join('*' + p for _ in range(10))}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "YAML",
        ),
        ("[" * 5000 + "]" * 5000, "nested"),  # synthetic: deep nesting
        ("kind: [unclosed\n", "YAML"),
        ("a\x00b", "NUL"),
        (
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\nmetadata: {name: y}\n",
            "YAML",
        ),
    ],
)
def test_hostile_files_are_refused_with_a_sentence(superuser, text, words):
    report = catalog_import(actor=superuser, files=[("h.yaml", text)]).as_dict()
    assert report["rejected"] >= 1, report
    assert not Component.objects.exists()


def test_only_administrators_import(alice):
    with pytest.raises(PermissionDeniedError):
        catalog_import(actor=alice, files=[("x.yaml", "")])


def test_command_imports_a_folder_and_fails_on_rejections(superuser, capsys):
    with pytest.raises(CommandError) as caught:
        call_command("import_backstage", str(CORPUS))
    assert caught.value.returncode == 1
    out = capsys.readouterr().out
    assert "03-backstage-backstage-invalid-component-name.yaml:4: rejected" in out
    assert "13-openedx-openedx-ledger-empty-kind-and-placeholders.yaml:5: rejected" in out
    assert Component.objects.filter(external_ref="component:default/backstage-showcase").exists()
    call_command("import_backstage", str(_file("12")))
    assert "0 created" in capsys.readouterr().out


def test_a_dependency_cycle_rejects_the_file(superuser):
    text = "---\n".join(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\n"
        f"metadata: {{name: {name}}}\n"
        f"spec: {{type: service, lifecycle: production, owner: team-x, dependsOn: [component:{dep}]}}\n"
        for name, dep in (("a", "b"), ("b", "a"))
    )
    report = catalog_import(actor=superuser, files=[("cycle.yaml", text)]).as_dict()
    assert report["rejected"] == 1 and "cycle" in report["files"][0]["rejected"][0]["message"]
    assert not Component.objects.exists()
