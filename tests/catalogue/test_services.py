"""Catalogue services: permissions, RACI, dependencies, lifecycle transitions (a table),
deprecation warnings, audit."""

import pytest

from catalogue import services
from catalogue.models import LifecycleTransition
from registry.core.errors import ConflictError, DomainError, PermissionDeniedError
from registry.core.models import AuditEvent
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.designdocs.factories import DesignDocFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def _create(actor, team, **extra):
    return services.component_create(
        actor=actor,
        data={"name": "Feature store", "owner_team": team, "kind": "feature_store", **extra},
    )


def test_team_member_creates_component_with_history_and_audit(alice, team):
    component = _create(
        alice, team, tags=["features", "online"], model_registry_uri="models:/churn@champion"
    )
    assert component.slug == "feature-store"
    assert [t.name for t in component.tags.all()] == ["features", "online"]
    history = list(component.lifecycle_history.all())
    assert [(h.from_state, h.to_state, h.actor_username) for h in history] == [
        ("", "experimental", "alice")
    ]
    assert (
        AuditEvent.objects.filter(action="component.create", object_id=str(component.pk)).count()
        == 1
    )


def test_someone_outside_the_owner_team_cannot_create_or_edit(dave, alice, team):
    with pytest.raises(PermissionDeniedError):
        _create(dave, team)
    component = _create(alice, team)
    with pytest.raises(PermissionDeniedError):
        services.component_update(actor=dave, component=component, data={"name": "x"})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("repository_url", "javascript:alert(1)"),
        ("docs_url", "ftp://example.com/docs"),
        ("model_registry_uri", "https://example.com/model"),
        ("model_registry_uri", "models:/"),
    ],
)
def test_links_accept_only_their_schemes(alice, team, field, value):
    with pytest.raises(DomainError) as caught:
        _create(alice, team, **{field: value})
    assert field in caught.value.errors


def test_raci_needs_exactly_one_accountable_per_activity(alice, team, bob):
    rows = [
        {"activity": "run", "person": alice, "team": None, "role": "A"},
        {"activity": "run", "person": bob, "team": None, "role": "A"},
    ]
    with pytest.raises(DomainError) as caught:
        _create(alice, team, raci=rows)
    assert "raci.1.role" in caught.value.errors
    assert "exactly one is allowed" in caught.value.errors["raci.1.role"][0]


def test_raci_row_names_a_person_or_a_team(alice, team):
    with pytest.raises(DomainError) as caught:
        _create(
            alice, team, raci=[{"activity": "design", "person": alice, "team": team, "role": "A"}]
        )
    assert "raci.0.person" in caught.value.errors


def test_dependencies_refuse_self_and_cycles(alice, team):
    a = _create(alice, team, name="A")
    b = _create(alice, team, name="B", depends_on=[a])
    with pytest.raises(DomainError, match="itself"):
        services.component_update(actor=alice, component=a, data={"depends_on": [a]})
    with pytest.raises(DomainError, match="cycle"):
        services.component_update(actor=alice, component=a, data={"depends_on": [b]})
    assert list(a.depends_on.all()) == []


LEGAL = [
    ("experimental", "production"),
    ("experimental", "deprecated"),
    ("production", "deprecated"),
    ("deprecated", "production"),
    ("deprecated", "retired"),
]
ILLEGAL = [
    ("experimental", "retired"),
    ("production", "experimental"),
    ("production", "retired"),
    ("production", "production"),
    ("retired", "production"),
    ("retired", "deprecated"),
    ("retired", "experimental"),
]


@pytest.mark.parametrize(("start", "to"), LEGAL)
def test_legal_transitions_are_recorded(alice, team, start, to):
    component = ComponentFactory(owner_team=team, lifecycle=start)
    result = services.component_transition(
        actor=alice, component=component, to=to, reason="Because"
    )
    component.refresh_from_db()
    assert component.lifecycle == to
    t = LifecycleTransition.objects.get(component=component)
    assert (t.from_state, t.to_state, t.actor, t.reason) == (start, to, alice, "Because")
    assert result.transition == t


@pytest.mark.parametrize(("start", "to"), ILLEGAL)
def test_illegal_transitions_are_refused_and_change_nothing(alice, team, start, to):
    component = ComponentFactory(owner_team=team, lifecycle=start)
    with pytest.raises(ConflictError) as caught:
        services.component_transition(actor=alice, component=component, to=to, reason="x")
    assert caught.value.message
    component.refresh_from_db()
    assert component.lifecycle == start
    assert not LifecycleTransition.objects.filter(component=component).exists()


def test_retired_is_final_with_a_sentence_saying_so(alice, team):
    component = ComponentFactory(owner_team=team, lifecycle="retired")
    with pytest.raises(ConflictError, match="final"):
        services.component_transition(actor=alice, component=component, to="production")


def test_deprecating_needs_a_reason_and_keeps_the_replacement(alice, team):
    old, new = ComponentFactory(owner_team=team), ComponentFactory(owner_team=team)
    with pytest.raises(DomainError) as caught:
        services.component_transition(actor=alice, component=old, to="deprecated", reason=" ")
    assert "reason" in caught.value.errors
    services.component_transition(
        actor=alice, component=old, to="deprecated", reason="Replaced", replacement=new
    )
    old.refresh_from_db()
    assert (old.deprecation_reason, old.replacement) == ("Replaced", new)


def test_deprecating_a_component_live_docs_use_warns_with_their_list(alice, team):
    component = ComponentFactory(owner_team=team)
    live = DesignDocFactory(title="Churn scoring", owner_team=team, product_owner=alice)
    ended = DesignDocFactory(title="Old model", owner_team=team, product_owner=alice)
    live.components_used.add(component)
    ended.components_used.add(component)
    type(ended).objects.filter(pk=ended.pk).update(stage="retired")
    result = services.component_transition(
        actor=alice, component=component, to="deprecated", reason="Old"
    )
    assert result.using_docs == [live]
    assert len(result.warnings) == 1 and "Churn scoring" in result.warnings[0]
    assert "Old model" not in result.warnings[0]


def test_architects_curate_architecture_examples(bob, alice, team):
    component = ComponentFactory(owner_team=team)
    arch = services.architecture_create(
        actor=bob,
        data={
            "title": "Batch forecasting",
            "summary": "Nightly",
            "owner_team": team,
            "components": [{"component": component, "role": "Feature source"}],
        },
    )
    assert [(r.component, r.role) for r in arch.component_roles.all()] == [
        (component, "Feature source")
    ]
    with pytest.raises(PermissionDeniedError):
        services.architecture_update(actor=alice, architecture=arch, data={"title": "x"})


def test_architecture_components_need_a_role_and_appear_once(bob, team):
    component = ComponentFactory(owner_team=team)
    with pytest.raises(DomainError, match="role"):
        services.architecture_create(
            actor=bob,
            data={
                "title": "T",
                "summary": "S",
                "owner_team": team,
                "components": [{"component": component, "role": ""}],
            },
        )
    with pytest.raises(DomainError, match="twice"):
        services.architecture_create(
            actor=bob,
            data={
                "title": "T",
                "summary": "S",
                "owner_team": team,
                "components": [
                    {"component": component, "role": "a"},
                    {"component": component, "role": "b"},
                ],
            },
        )


def test_lifecycle_is_not_edited_outside_a_transition(alice, team):
    component = _create(alice, team)
    with pytest.raises(DomainError) as caught:
        services.component_update(actor=alice, component=component, data={"lifecycle": "retired"})
    assert "lifecycle" in caught.value.errors


def test_component_used_by_an_architecture_cannot_be_deleted(alice, team):
    component = ComponentFactory(owner_team=team)
    arch = ArchitectureFactory(owner_team=team)
    arch.component_roles.create(component=component, role="x")
    with pytest.raises(ConflictError):
        services.component_delete(actor=alice, component=component)
