"""The design-doc services: permissions, revisions, optimistic locking, atomicity, audit."""

from __future__ import annotations

import hashlib
import json
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from designdocs import services
from designdocs.content import canonical_json, content_of
from designdocs.models import DesignDoc, Revision, Risk
from designdocs.services import (
    designdoc_create,
    designdoc_delete,
    designdoc_import,
    designdoc_update,
)
from registry.core import roles
from registry.core.errors import (
    DomainError,
    PermissionDeniedError,
    PreconditionRequiredError,
    StaleVersionError,
)
from registry.core.models import AuditEvent
from tests.designdocs.factories import (
    DesignDocFactory,
    full_content,
    monitoring_row,
    raci_row,
    risk_row,
)
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory


def independent_sha256(content: dict) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot(doc: DesignDoc) -> dict:
    """Everything an update could touch, to prove that a refused one touched nothing."""
    doc = DesignDoc.objects.get(pk=doc.pk)
    return {
        "content": canonical_json(content_of(doc)),
        "version": doc.version,
        "revision_number": doc.revision_number,
        "content_hash": doc.content_hash,
        "updated_at": doc.updated_at,
        "row_ids": (
            list(doc.success_criteria.values_list("pk", flat=True)),
            list(doc.raci_assignments.values_list("pk", flat=True)),
            list(doc.risks.values_list("pk", flat=True)),
            list(doc.monitoring_items.values_list("pk", flat=True)),
        ),
        "revisions": list(doc.revisions.values_list("number", "content_hash")),
        "audit_events": list(AuditEvent.objects.values_list("pk", flat=True)),
    }


# --- create ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_by_product_owner_of_the_team_makes_revision_1_with_sha256_of_canonical_json(
    alice, team
):
    content = full_content(title="Demand forecasting", team=team.slug, product_owner="alice")
    doc = designdoc_create(user=alice, title=content["title"], owner_team=team, content=content)

    doc = DesignDoc.objects.get(pk=doc.pk)
    assert (doc.version, doc.revision_number, doc.slug) == (1, 1, "demand-forecasting")
    assert content_of(doc) == content
    revision = doc.revisions.get()
    assert revision.number == 1
    assert revision.author == alice
    assert revision.content == content
    assert revision.content_hash == independent_sha256(content)
    assert doc.content_hash == revision.content_hash


@pytest.mark.django_db
def test_create_records_audit_event_with_actor_and_payload(alice, team):
    doc = designdoc_create(user=alice, title="Churn model", owner_team=team.slug)
    event = AuditEvent.objects.get()
    assert event.action == "designdoc.create"
    assert (event.actor, event.actor_username) == (alice, "alice")
    assert (event.object_type, event.object_id) == ("designdocs.designdoc", str(doc.pk))
    assert event.payload == {"revision": 1, "content_hash": doc.content_hash}


@pytest.mark.django_db
def test_create_gives_unique_slugs_to_equal_titles(alice, team):
    first = designdoc_create(user=alice, title="Churn model", owner_team=team)
    second = designdoc_create(user=alice, title="Churn model", owner_team=team)
    assert (first.slug, second.slug) == ("churn-model", "churn-model-2")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["viewer_member", "architect_member", "product_owner_elsewhere", "user_without_role"]
)
def test_create_refused_unless_product_owner_member_of_the_team(who, team, dave, bob, carol):
    if who == "viewer_member":
        user = dave
        TeamMembershipFactory(team=team, user=dave)
    elif who == "architect_member":
        user = bob
        TeamMembershipFactory(team=team, user=bob)
    elif who == "product_owner_elsewhere":
        user = UserFactory(username="paul", roles=[roles.PRODUCT_OWNERS])
        TeamMembershipFactory(team=TeamFactory(slug="other-team"), user=user)
    else:
        user = UserFactory(username="erin")
        TeamMembershipFactory(team=team, user=user)

    with pytest.raises(PermissionDeniedError) as caught:
        designdoc_create(user=user, title="Sneaky", owner_team=team)
    assert caught.value.status_code == 403
    assert not DesignDoc.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_create_by_superuser_for_any_team(superuser):
    team = TeamFactory(slug="platform")
    doc = designdoc_create(user=superuser, title="Feature store", owner_team=team)
    assert doc.product_owner == superuser
    assert doc.revision_number == 1


@pytest.mark.django_db
def test_create_for_unknown_team_is_refused_naming_the_team(alice):
    with pytest.raises(DomainError) as caught:
        designdoc_create(user=alice, title="Doc", owner_team="atlantis")
    assert caught.value.errors == {"owner_team": ["There is no team “atlantis”."]}
    assert not DesignDoc.objects.exists()


@pytest.mark.django_db
def test_create_with_invalid_content_creates_nothing(alice, team):
    with pytest.raises(DomainError):
        designdoc_create(
            user=alice, title="Doc", owner_team=team, content={"risks": [risk_row(impact=0)]}
        )
    assert not DesignDoc.objects.exists()
    assert not Revision.objects.exists()
    assert not Risk.objects.exists()
    assert not AuditEvent.objects.exists()


# --- update -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_update_with_current_version_creates_next_revision_and_bumps_version(designdoc_full, alice):
    before = content_of(designdoc_full)
    result = designdoc_update(
        doc=designdoc_full,
        user=alice,
        expected_version=1,
        changes={"data": "Three years of sales.", "risks": [risk_row(likelihood=1, impact=3)]},
        message="More history",
    )
    assert result.changed
    doc = DesignDoc.objects.get(pk=designdoc_full.pk)
    assert (doc.version, doc.revision_number) == (2, 2)
    expected = {
        **before,
        "data": "Three years of sales.",
        "risks": [risk_row(likelihood=1, impact=3)],
    }
    assert content_of(doc) == expected
    revision = doc.revisions.get(number=2)
    assert result.revision == revision
    assert (revision.author, revision.message) == (alice, "More history")
    assert revision.content == expected
    assert revision.content_hash == independent_sha256(expected) == doc.content_hash
    # Revision 1 still holds the content before the change.
    assert doc.revisions.get(number=1).content == before


@pytest.mark.django_db
def test_update_records_audit_event_naming_changed_sections(designdoc_full, alice):
    designdoc_update(
        doc=designdoc_full, user=alice, expected_version=1, changes={"title": "Demand v2"}
    )
    event = AuditEvent.objects.get(action="designdoc.update")
    assert event.actor == alice
    doc = DesignDoc.objects.get(pk=designdoc_full.pk)
    assert event.payload == {
        "revision": 2,
        "version": 2,
        "changed": ["title"],
        "content_hash": doc.content_hash,
    }


@pytest.mark.django_db
def test_successive_updates_number_revisions_consecutively(designdoc_full, alice):
    for version in (1, 2, 3):
        designdoc_update(
            doc=designdoc_full,
            user=alice,
            expected_version=version,
            changes={"open_questions": f"Question {version}"},
        )
    doc = DesignDoc.objects.get(pk=designdoc_full.pk)
    assert (doc.version, doc.revision_number) == (4, 4)
    assert list(doc.revisions.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"data": "Two years of point-of-sale data, promotions and weather."},
        {"data": "\r\n  Two years of point-of-sale data, promotions and weather.  \r\n"},
        {"co_authors": []},
    ],
    ids=["nothing", "same-text", "same-text-after-normalising", "same-list"],
)
def test_update_that_changes_nothing_creates_no_revision(designdoc_full, alice, changes):
    before = snapshot(designdoc_full)
    result = designdoc_update(doc=designdoc_full, user=alice, expected_version=1, changes=changes)
    assert not result.changed
    assert result.revision is None
    assert snapshot(designdoc_full) == before


@pytest.mark.django_db
def test_stale_update_is_refused_with_current_version_and_changes_nothing(designdoc_full, alice):
    designdoc_update(doc=designdoc_full, user=alice, expected_version=1, changes={"data": "v2"})
    before = snapshot(designdoc_full)

    with pytest.raises(StaleVersionError) as caught:
        designdoc_update(
            doc=designdoc_full,
            user=alice,
            expected_version=1,
            changes={"data": "lost?", "risks": [], "title": "Renamed"},
        )
    assert caught.value.status_code == 412
    assert caught.value.current_version == 2
    assert "version 2" in caught.value.message
    assert snapshot(designdoc_full) == before


@pytest.mark.django_db
def test_update_without_version_is_refused_as_precondition_required(designdoc_full, alice):
    before = snapshot(designdoc_full)
    with pytest.raises(PreconditionRequiredError) as caught:
        designdoc_update(
            doc=designdoc_full, user=alice, expected_version=None, changes={"data": "x"}
        )
    assert caught.value.status_code == 428
    assert snapshot(designdoc_full) == before


@pytest.mark.django_db
def test_invalid_update_changes_nothing_not_even_its_valid_parts(designdoc_full, alice):
    before = snapshot(designdoc_full)
    with pytest.raises(DomainError) as caught:
        designdoc_update(
            doc=designdoc_full,
            user=alice,
            expected_version=1,
            changes={
                "problem_statement": "A perfectly valid new problem statement.",
                "monitoring": [monitoring_row("Latency")],
                "risks": [risk_row(), risk_row(likelihood=9)],
            },
        )
    assert caught.value.errors == {
        "risks.1.likelihood": ["Risks, row 2: likelihood must be between 1 and 5 (not 9)."]
    }
    assert snapshot(designdoc_full) == before


@pytest.mark.django_db
def test_update_failing_midway_in_the_database_rolls_back_everything(
    designdoc_full, alice, monkeypatch
):
    # Validation passed, rows were already replaced, then the snapshot fails.
    def broken_revision(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_new_revision", broken_revision)
    before = snapshot(designdoc_full)
    with pytest.raises(RuntimeError):
        designdoc_update(
            doc=designdoc_full,
            user=alice,
            expected_version=1,
            changes={"data": "new", "risks": [], "raci": []},
        )
    assert snapshot(designdoc_full) == before


@pytest.mark.django_db
def test_revision_is_immutable_once_written(designdoc_full):
    revision = designdoc_full.revisions.get()
    revision.content = {"title": "forged"}
    with pytest.raises(ValidationError, match="immutable"):
        revision.save()
    assert Revision.objects.get(pk=revision.pk).content["title"] == "Demand forecasting"


@pytest.mark.django_db
def test_revision_number_is_unique_per_document(designdoc_full, alice):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.create(
            design_doc=designdoc_full, number=1, content={}, content_hash="0" * 64, author=alice
        )


# --- who may edit and delete --------------------------------------------------------------------


@pytest.mark.django_db
def test_co_author_may_edit(alice, team, carol):
    doc = DesignDocFactory(product_owner=alice, owner_team=team, content={"co_authors": ["carol"]})
    result = designdoc_update(doc=doc, user=carol, expected_version=1, changes={"data": "By Carol"})
    assert result.revision.author == carol
    assert AuditEvent.objects.get(action="designdoc.update").actor == carol


@pytest.mark.django_db
def test_owner_team_member_may_edit(designdoc_full, designdoc_team_member):
    result = designdoc_update(
        doc=designdoc_full, user=designdoc_team_member, expected_version=1, changes={"data": "x"}
    )
    assert result.changed


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["viewer", "architect", "user_without_role"])
def test_reader_who_is_neither_member_nor_co_author_may_not_edit(designdoc_full, who, request):
    user = request.getfixturevalue(who)
    before = snapshot(designdoc_full)
    with pytest.raises(PermissionDeniedError) as caught:
        designdoc_update(doc=designdoc_full, user=user, expected_version=1, changes={"data": "x"})
    assert caught.value.status_code == 403
    assert snapshot(designdoc_full) == before


@pytest.mark.django_db
def test_editor_may_not_move_doc_to_a_team_they_cannot_create_for(designdoc_full, alice):
    elsewhere = TeamFactory(slug="elsewhere")
    before = snapshot(designdoc_full)
    with pytest.raises(PermissionDeniedError):
        designdoc_update(
            doc=designdoc_full,
            user=alice,
            expected_version=1,
            changes={"owner_team": elsewhere.slug},
        )
    assert snapshot(designdoc_full) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["carol", "designdoc_team_member"], ids=["co-author", "team-member"]
)
def test_editor_may_not_make_someone_else_product_owner(alice, team, carol, who, request):
    # Else a co-author could make themselves product owner, then delete the document.
    doc = DesignDocFactory(product_owner=alice, owner_team=team, content={"co_authors": ["carol"]})
    user = request.getfixturevalue(who)
    before = snapshot(doc)
    with pytest.raises(PermissionDeniedError) as caught:
        designdoc_update(
            doc=doc, user=user, expected_version=1, changes={"product_owner": user.username}
        )
    assert caught.value.errors == {
        "product_owner": ["Only the product owner can hand the document to another product owner."]
    }
    assert snapshot(doc) == before
    # Restating the current product owner is not a change.
    designdoc_update(doc=doc, user=user, expected_version=1, changes={"product_owner": " alice "})


@pytest.mark.django_db
def test_product_owner_may_hand_the_document_over_to_a_product_owner_of_the_team(
    designdoc_full, alice, team
):
    erin = UserFactory(username="erin", roles=[roles.PRODUCT_OWNERS])
    TeamMembershipFactory(team=team, user=erin)
    designdoc_update(
        doc=designdoc_full, user=alice, expected_version=1, changes={"product_owner": "erin"}
    )
    assert DesignDoc.objects.get(pk=designdoc_full.pk).product_owner == erin


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "in_team", "active", "reason"),
    [
        (None, True, True, "not an active product owner"),
        (roles.VIEWERS, True, True, "not an active product owner"),
        (roles.ARCHITECTS, True, True, "not an active product owner"),
        (roles.PRODUCT_OWNERS, False, True, "not a member of the owner team"),
    ],
    ids=["no-role", "viewer", "architect", "product-owner-elsewhere"],
)
def test_handover_to_anyone_but_an_active_product_owner_of_the_team_is_refused(
    designdoc_full, alice, team, role, in_team, active, reason
):
    heir = UserFactory(username="heir", roles=[role] if role else [], is_active=active)
    if in_team:
        TeamMembershipFactory(team=team, user=heir)
    before = snapshot(designdoc_full)
    with pytest.raises(DomainError) as caught:
        designdoc_update(
            doc=designdoc_full, user=alice, expected_version=1, changes={"product_owner": "heir"}
        )
    assert reason in caught.value.errors["product_owner"][0]
    assert snapshot(designdoc_full) == before


@pytest.mark.django_db
def test_product_owner_may_delete_and_the_audit_trail_keeps_the_record(designdoc_full, alice):
    pk, slug = designdoc_full.pk, designdoc_full.slug
    designdoc_delete(doc=designdoc_full, user=alice)
    assert not DesignDoc.objects.filter(pk=pk).exists()
    assert not Revision.objects.filter(design_doc_id=pk).exists()
    event = AuditEvent.objects.get(action="designdoc.delete")
    assert (event.actor, event.object_id, event.object_repr) == (
        alice,
        str(pk),
        "Demand forecasting",
    )
    assert event.payload == {"slug": slug, "revision": 1}


@pytest.mark.django_db
def test_superuser_may_delete(designdoc_full, superuser):
    designdoc_delete(doc=designdoc_full, user=superuser)
    assert not DesignDoc.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who",
    ["carol", "designdoc_team_member", "bob", "dave"],
    ids=["co-author", "team-member", "architect", "viewer"],
)
def test_only_product_owner_or_superuser_may_delete(alice, team, carol, who, request):
    doc = DesignDocFactory(product_owner=alice, owner_team=team, content={"co_authors": ["carol"]})
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDeniedError):
        designdoc_delete(doc=doc, user=user)
    assert DesignDoc.objects.filter(pk=doc.pk).exists()
    assert not AuditEvent.objects.filter(action="designdoc.delete").exists()


# --- import ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_doc_with_import_audit_action_and_keeps_named_product_owner(
    alice, team, superuser
):
    content = full_content(title="Imported", team=team.slug, product_owner="alice")
    doc = designdoc_import(user=superuser, content=content)
    assert content_of(doc) == content
    assert doc.revisions.get().message == "Imported from Markdown"
    event = AuditEvent.objects.get()
    assert (event.action, event.actor) == ("designdoc.import", superuser)


@pytest.mark.django_db
def test_import_without_product_owner_makes_the_importer_product_owner(alice, team):
    content = full_content(title="Imported", team=team.slug, product_owner="")
    content["raci"] = [raci_row("Approve design", "A", team=team.slug)]
    content["risks"] = []
    doc = designdoc_import(user=alice, content=content)
    assert doc.product_owner == alice


# --- one service round trip, also run on the embedded default ----------------------------------


@pytest.mark.embedded
@pytest.mark.django_db
def test_service_round_trip_create_update_noop_stale(alice, team):
    doc = designdoc_create(
        user=alice,
        title="Price elasticity",
        owner_team=team,
        content={"problem_statement": "Prices are set by hand."},
    )
    result = designdoc_update(
        doc=doc, user=alice, expected_version=1, changes={"problem_statement": "Set by a model."}
    )
    assert result.revision.number == 2
    assert not designdoc_update(doc=doc, user=alice, expected_version=2, changes={}).changed
    with pytest.raises(StaleVersionError):
        designdoc_update(doc=doc, user=alice, expected_version=1, changes={"data": "x"})
    doc = DesignDoc.objects.get(pk=doc.pk)
    assert content_of(doc)["problem_statement"] == "Set by a model."
    assert [r.content_hash for r in doc.revisions.order_by("number")][-1] == independent_sha256(
        content_of(doc)
    )
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "designdoc.create",
        "designdoc.update",
    ]


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_from_same_version_exactly_one_wins_whole(
    alice, team, designdoc_team_member, monkeypatch
):
    doc = DesignDocFactory(
        title="Demand forecasting",
        product_owner=alice,
        owner_team=team,
        content={
            key: value
            for key, value in full_content(
                title="Demand forecasting", team=team.slug, product_owner="alice"
            ).items()
            if key not in ("title", "owner_team")
        },
    )
    original = content_of(doc)
    changes = {
        "alice": {
            "problem_statement": "Alice's problem statement.",
            "risks": [risk_row("Alice's risk", likelihood=1, impact=1)],
            "monitoring": [monitoring_row("Alice's metric")],
        },
        "frank": {
            "problem_statement": "Frank's problem statement.",
            "architecture": "Frank's architecture.",
            "risks": [],
            "success_criteria": [],
        },
    }

    # Hold the row lock a little after the version check, so that the other writer is
    # certainly waiting on it (or, without the lock, would read the same old version).
    validated = services._validated

    def slow_validated(*args, **kwargs):
        result = validated(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(services, "_validated", slow_validated)

    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def edit(username: str) -> None:
        try:
            user = type(alice).objects.get(username=username)
            stale_doc = DesignDoc.objects.get(pk=doc.pk)
            barrier.wait()
            outcomes[username] = designdoc_update(
                doc=stale_doc, user=user, expected_version=1, changes=changes[username]
            )
        except Exception as exc:  # the outcome is what the test checks
            outcomes[username] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(name,)) for name in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    winners = [
        name for name, outcome in outcomes.items() if isinstance(outcome, services.UpdateResult)
    ]
    losers = [name for name, outcome in outcomes.items() if isinstance(outcome, StaleVersionError)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    assert outcomes[losers[0]].current_version == 2

    stored = DesignDoc.objects.get(pk=doc.pk)
    expected = {**original, **changes[winners[0]]}
    assert canonical_json(content_of(stored)) == canonical_json(expected)
    assert (stored.version, stored.revision_number) == (2, 2)
    assert stored.revisions.count() == 2
    assert stored.revisions.get(number=2).content == expected
    assert AuditEvent.objects.filter(action="designdoc.update").count() == 1


# --- ownership, deactivated people, visibility without a role --------------------------------


def fresh(user):
    """The user without the policy's per-instance caches (team ids, role names)."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.django_db
def test_creator_becomes_product_owner_and_cannot_name_someone_else(alice, team):
    erin = UserFactory(username="erin", roles=[roles.PRODUCT_OWNERS])
    TeamMembershipFactory(team=team, user=erin)
    with pytest.raises(PermissionDeniedError) as refused:
        designdoc_create(user=alice, title="X", owner_team=team, content={"product_owner": "erin"})
    assert refused.value.field == "product_owner"
    assert not DesignDoc.objects.exists()


@pytest.mark.django_db
def test_an_administrator_may_create_a_doc_for_another_product_owner(superuser, alice, team):
    doc = designdoc_create(
        user=superuser, title="X", owner_team=team, content={"product_owner": "alice"}
    )
    assert doc.product_owner == alice


@pytest.mark.django_db
def test_a_co_author_cannot_move_the_doc_to_another_team(alice, team):
    erin = UserFactory(username="erin", roles=[roles.PRODUCT_OWNERS])
    other = TeamFactory(slug="personalisation")
    TeamMembershipFactory(team=other, user=erin)
    doc = DesignDocFactory(product_owner=alice, owner_team=team, content={"co_authors": ["erin"]})
    before = snapshot(doc)
    with pytest.raises(PermissionDeniedError) as refused:
        designdoc_update(
            doc=doc, user=fresh(erin), expected_version=doc.version,
            changes={"owner_team": "personalisation"},
        )  # fmt: skip
    assert refused.value.field == "owner_team"
    assert snapshot(doc) == before


@pytest.mark.django_db
def test_the_product_owner_may_move_the_doc_to_another_of_their_teams(alice, team):
    other = TeamFactory(slug="pricing")
    TeamMembershipFactory(team=other, user=alice)
    doc = DesignDocFactory(product_owner=alice, owner_team=team)
    result = designdoc_update(
        doc=doc, user=fresh(alice), expected_version=doc.version, changes={"owner_team": "pricing"}
    )
    assert result.design_doc.owner_team == other


@pytest.mark.django_db
def test_a_deactivated_person_named_in_the_doc_does_not_freeze_it(alice, team):
    dave = UserFactory(username="dave", roles=[roles.VIEWERS])
    doc = DesignDocFactory(
        product_owner=alice,
        owner_team=team,
        content={"raci": [raci_row("Run", "A", person="dave")]},
    )
    dave.is_active = False
    dave.save()
    result = designdoc_update(
        doc=doc, user=fresh(alice), expected_version=doc.version, changes={"data": "New data."}
    )
    assert result.changed
    assert content_of(result.design_doc)["raci"][0]["person"] == "dave"


@pytest.mark.django_db
def test_naming_a_deactivated_person_anew_is_refused(alice, team):
    UserFactory(username="gone", is_active=False)
    doc = DesignDocFactory(product_owner=alice, owner_team=team)
    with pytest.raises(DomainError) as refused:
        designdoc_update(
            doc=doc, user=fresh(alice), expected_version=doc.version,
            changes={"raci": [raci_row("Run", "A", person="gone")]},
        )  # fmt: skip
    assert "raci.0.person" in refused.value.errors


@pytest.mark.django_db
def test_a_co_author_without_a_role_sees_and_edits_the_doc_but_nothing_else(alice, team):
    frank = UserFactory(username="frank")  # no role, no team
    doc = DesignDocFactory(product_owner=alice, owner_team=team, content={"co_authors": ["frank"]})
    other = DesignDocFactory(product_owner=alice, owner_team=team)
    visible = set(DesignDoc.objects.restrict(fresh(frank), "view"))
    assert visible == {doc}
    assert other not in visible
    result = designdoc_update(
        doc=doc, user=fresh(frank), expected_version=doc.version, changes={"data": "Edited."}
    )
    assert result.changed


@pytest.mark.django_db
def test_a_slug_taken_between_check_and_insert_is_replaced_not_a_crash(alice, team, monkeypatch):
    first = DesignDocFactory(title="Same title", product_owner=alice, owner_team=team)
    # As if a concurrent creation took the slug after this one checked it was free.
    monkeypatch.setattr(services, "_unique_slug", lambda title: first.slug)
    second = designdoc_create(user=alice, title="Same title", owner_team=team)
    assert second.slug.startswith(f"{first.slug}-") and second.slug != first.slug
    assert second.revision_number == 1
    assert DesignDoc.objects.count() == 2


def test_a_new_revision_returns_an_approved_doc_to_draft_and_keeps_its_approved_revision(
    designdoc_full, alice
):
    doc = designdoc_full
    approved = doc.latest_revision
    DesignDoc.objects.filter(pk=doc.pk).update(status="approved", approved_revision=approved)
    doc.refresh_from_db()
    result = designdoc_update(
        doc=doc, user=alice, expected_version=doc.version, changes={"title": "Renamed"}
    )
    stored = DesignDoc.objects.select_related("latest_revision").get(pk=doc.pk)
    assert (stored.status, stored.approved_revision_id) == ("draft", approved.pk)
    assert stored.latest_revision == result.revision != approved
    assert not stored.is_approved
