"""Hostile input on the catalogue's page forms (architecture example, component with its
RACI): NUL characters, oversized text, wrong types, absurd row counts, tampered choices.
Each is a 400 with the error on the page, never a 500, and nothing is stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import ArchitectureExample, Component, ComponentRaci
from registry.core.models import AuditEvent
from tests.catalogue.factories import ComponentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def state():
    return (
        ArchitectureExample.objects.count(),
        Component.objects.count(),
        ComponentRaci.objects.count(),
        AuditEvent.objects.count(),
    )


def architecture(team, **changes):
    data = {
        "title": "Hostile",
        "summary": "S",
        "owner_team": team.slug,
        "lifecycle": "experimental",
        "components-TOTAL_FORMS": "1",
        "components-INITIAL_FORMS": "0",
        "components-0-component": "part",
        "components-0-role": "a part",
    }
    data.update(changes)
    return data


ARCHITECTURE_CASES = {
    "nul-in-title": {"title": "a\x00b"},
    "nul-in-summary": {"summary": "a\x00b"},
    "nul-in-body": {"body": "a\x00b"},
    "nul-in-tags": {"tags": "a\x00b"},
    "nul-in-row-role": {"components-0-role": "a\x00b"},
    "nul-in-row-component": {"components-0-component": "pa\x00rt"},
    "title-too-long": {"title": "x" * 201},
    "role-too-long": {"components-0-role": "x" * 201},
    "unknown-team": {"owner_team": "no-such-team"},
    "team-as-list": {"owner_team": ["a", "b", {"x": 1}]},
    "lifecycle-retired": {"lifecycle": "retired"},
    "lifecycle-empty": {"lifecycle": ""},
    "huge-row-count": {"components-TOTAL_FORMS": "100000000"},
    "row-count-not-a-number": {"components-TOTAL_FORMS": "many"},
    "row-count-negative": {"components-TOTAL_FORMS": "-5"},
    "initial-count-not-a-number": {"components-INITIAL_FORMS": "x"},
    "tags-invalid": {"tags": "UPPER, ok"},
    "too-many-tags": {"tags": ", ".join(f"t{n}" for n in range(31))},
    "diagram-as-text": {"diagram": "not a file"},
    "markdown-too-deep": {"body": "> " * 5000 + "x"},
}


@pytest.mark.parametrize("changes", ARCHITECTURE_CASES.values(), ids=ARCHITECTURE_CASES.keys())
def test_architecture_form_refuses_hostile_input(client, bob, team, changes):
    ComponentFactory(slug="part", owner_team=team)
    client.force_login(bob)
    before = state()
    response = client.post(reverse("catalogue:architecture_add"), architecture(team, **changes))
    if "diagram" in changes:
        # Text where a file goes is no file at all: the form sees no diagram.
        assert response.status_code == 302
        assert not ArchitectureExample.objects.get(title="Hostile").diagram
        return
    assert response.status_code == 400, response.status_code
    assert 'class="field-error' in response.content.decode()
    assert state() == before


def test_huge_row_count_renders_only_the_rows_sent(client, bob, team):
    ComponentFactory(slug="part", owner_team=team)
    client.force_login(bob)
    data = architecture(team, **{"components-TOTAL_FORMS": "100000000"})
    html = client.post(reverse("catalogue:architecture_add"), data).content.decode()
    assert "at most 100 rows" in html and html.count('name="components-') < 20


COMPONENT_CASES = {
    "nul-in-name": {"name": "a\x00b"},
    "nul-in-raci-person": {"raci-0-person": "al\x00ice"},
    "raci-role-list": {"raci-0-role": ["A", "R"]},  # the last value counts: R, no Accountable
    "raci-activity-tampered": {"raci-0-activity": "<script>"},
    "raci-huge-count": {"raci-TOTAL_FORMS": "99999999999999999999"},
    "raci-count-float": {"raci-TOTAL_FORMS": "1.5"},
    "raci-sixty-one-rows": {
        "raci-TOTAL_FORMS": "61",
        **{f"raci-{i}-person": "alice" for i in range(61)},
        **{f"raci-{i}-activity": "run" for i in range(61)},
        **{f"raci-{i}-role": "I" for i in range(61)},
    },
}


@pytest.mark.parametrize("changes", COMPONENT_CASES.values(), ids=COMPONENT_CASES.keys())
def test_component_form_refuses_hostile_input(client, alice, team, changes):
    client.force_login(alice)
    data = {
        "name": "Hostile",
        "kind": "service",
        "owner_team": team.slug,
        "lifecycle": "production",
        "raci-TOTAL_FORMS": "1",
        "raci-INITIAL_FORMS": "0",
        "raci-0-activity": "run",
        "raci-0-team": "",
        "raci-0-person": "alice",
        "raci-0-role": "A",
        **changes,
    }
    before = state()
    response = client.post(reverse("catalogue:component_add"), data)
    assert response.status_code == 400, response.status_code
    assert "field-error" in response.content.decode()
    assert state() == before
