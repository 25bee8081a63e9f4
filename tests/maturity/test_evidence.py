"""Automatic evidence of the catalogue's entries and of a doc's components: no dependency
on a deprecated or retired component (design docs, components, architecture examples), owner
team set and RACI complete for components; every finding links to its evidence."""

from __future__ import annotations

import pytest

from catalogue.models import ArchitectureComponent, ComponentDependency, ComponentRaci
from designdocs.services import designdoc_update
from maturity.evidence import scorecard
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.designdocs.factories import DesignDocFactory

pytestmark = pytest.mark.django_db


def card(subject) -> dict:
    return {row.check.key: row.finding for row in scorecard(subject)}


def test_a_doc_using_a_deprecated_component_fails_the_check_and_links_to_it(alice, team):
    store = ComponentFactory(name="Feature store", owner_team=team)
    legacy = ComponentFactory(name="Legacy scorer", owner_team=team, lifecycle="deprecated")
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    assert card(doc)["components"].passed
    assert card(doc)["components"].url.endswith("#section-architecture")

    designdoc_update(doc=doc, user=alice, expected_version=doc.version,
                     changes={"components_used": [store.slug, legacy.slug]})  # fmt: skip
    finding = card(doc)["components"]
    assert not finding.passed
    assert finding.detail == "Uses a deprecated or retired component: Legacy scorer (deprecated)."
    assert finding.url == legacy.get_absolute_url()

    doc.refresh_from_db()
    designdoc_update(doc=doc, user=alice, expected_version=doc.version,
                     changes={"components_used": [store.slug]})  # fmt: skip
    assert card(doc)["components"].passed
    assert card(doc)["components"].detail == (
        "The 1 component it uses is experimental or in production."
    )


@pytest.mark.parametrize(("lifecycle", "passed"), [("experimental", True), ("production", True),
                                                   ("deprecated", False), ("retired", False)])  # fmt: skip
def test_a_component_passes_only_without_deprecated_or_retired_dependencies(
    team, lifecycle, passed
):
    component = ComponentFactory(name="Scoring service", owner_team=team)
    target = ComponentFactory(name="Model registry", owner_team=team, lifecycle=lifecycle)
    ComponentDependency.objects.create(component=component, target=target)
    finding = card(component)["component_dependencies"]
    assert finding.passed is passed
    assert finding.url == (
        f"{component.get_absolute_url()}#graph-title" if passed else target.get_absolute_url()
    )


def test_a_component_has_its_owner_team_and_a_complete_raci(alice, team):
    component = ComponentFactory(owner_team=team)
    assert card(component)["component_owner_team"].passed
    assert card(component)["component_owner_team"].url == team.get_absolute_url()
    raci = card(component)["component_raci"]
    assert not raci.passed and raci.detail == "No RACI rows."
    for activity in ("design", "deploy"):
        ComponentRaci.objects.create(component=component, activity=activity, person=alice, role="A")
    ComponentRaci.objects.create(component=component, activity="run", team=team, role="R")
    raci = card(component)["component_raci"]
    assert not raci.passed and raci.detail == "No Accountable for: Run."
    assert raci.url.endswith("#raci-title")
    ComponentRaci.objects.create(component=component, activity="run", person=alice, role="A")
    assert card(component)["component_raci"].passed


def test_an_architecture_example_checks_its_components_and_owner(team):
    architecture = ArchitectureFactory(owner_team=team)
    assert set(card(architecture)) == {"architecture_owner_team", "architecture_components"}
    retired = ComponentFactory(name="Old queue", owner_team=team, lifecycle="retired")
    ArchitectureComponent.objects.create(architecture=architecture, component=retired, role="queue")
    finding = card(architecture)["architecture_components"]
    assert not finding.passed and "Old queue (retired)" in finding.detail


def test_the_component_page_links_its_evidence(client, alice, team):
    """The scorecard is shown on the component's page (maturity's panel)."""
    legacy = ComponentFactory(name="Legacy scorer", owner_team=team, lifecycle="retired")
    component = ComponentFactory(name="Scoring service", owner_team=team)
    ComponentDependency.objects.create(component=component, target=legacy)
    client.force_login(alice)
    page = client.get(component.get_absolute_url()).content.decode()
    assert "No dependency on a deprecated or retired component" in page
    assert f'href="{legacy.get_absolute_url()}"' in page
