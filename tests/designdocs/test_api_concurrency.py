"""Two API clients PATCH the same document from the same version at the same moment, each in
its own thread with its own database connection, against the real WSGI stack: exactly one
wins, the other gets 412, and the stored content is the winner's, whole.

PostgreSQL only: the guarantee rests on the row lock (`SELECT ... FOR UPDATE`) in
`designdocs.services.designdoc_update`, which SQLite does not have.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection

from designdocs import services
from designdocs.content import canonical_json, content_of
from designdocs.models import DesignDoc
from designdocs.selectors import with_content
from registry.core.models import AuditEvent
from tests.designdocs.factories import FullDesignDocFactory, raci_row, risk_row
from tests.factories import TeamMembershipFactory

#: How long the first writer waits, inside its transaction, for the other to catch up.
OVERLAP_SECONDS = 1.0


def _stored_json(pk: int) -> str:
    return canonical_json(content_of(with_content(DesignDoc.objects.filter(pk=pk)).get()))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_patching_from_the_same_version_exactly_one_wins(
    token_client, alice, bob, team, monkeypatch
):
    doc = FullDesignDocFactory(title="Demand forecasting", owner_team=team, product_owner=alice)
    TeamMembershipFactory(team=team, user=bob)
    url = f"/api/designdocs/{doc.pk}/"
    clients = {"alice": token_client(alice), "bob": token_client(bob)}
    etags = {name: client.get(url)["ETag"] for name, client in clients.items()}
    assert set(etags.values()) == {f'"{doc.pk}-1"'}
    original = content_of(with_content(DesignDoc.objects.filter(pk=doc.pk)).get())
    changes = {
        "alice": {
            "title": "Demand forecasting (alice)",
            "problem_statement": "Alice's framing.",
            "risks": [risk_row("Alice's risk", likelihood=2, impact=3)],
        },
        "bob": {
            "title": "Demand forecasting (bob)",
            "business_value": "Bob's estimate.",
            "raci": [raci_row("Run the model", "A", person="bob")],
        },
    }
    revisions_before, audit_before = doc.revisions.count(), AuditEvent.objects.count()

    # Each writer, once past the version check, waits for the other at this rendezvous. With
    # the row lock the other is blocked before its check, so the rendezvous times out and the
    # first writer commits alone; without the lock both would pass the check and both write.
    rendezvous = threading.Barrier(2)
    validated = services._validated

    def validated_after_rendezvous(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            rendezvous.wait(timeout=OVERLAP_SECONDS)
        return validated(*args, **kwargs)

    monkeypatch.setattr(services, "_validated", validated_after_rendezvous)

    start = threading.Barrier(2)
    responses, failures = {}, []

    def patch(name: str) -> None:
        try:
            start.wait(timeout=10)
            responses[name] = clients[name].patch(
                url, changes[name], format="json", HTTP_IF_MATCH=etags[name]
            )
        except BaseException as exc:  # reported in the main thread
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=patch, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    assert not failures, failures

    statuses = {name: response.status_code for name, response in responses.items()}
    assert sorted(statuses.values()) == [200, 412], {
        name: response.content[:300] for name, response in responses.items()
    }
    winner = next(name for name, code in statuses.items() if code == 200)
    loser = next(name for name, code in statuses.items() if code == 412)
    assert responses[loser].json()["current_version"] == 2
    assert responses[winner]["ETag"] == f'"{doc.pk}-2"'
    winner_content = {**original, **changes[winner]}
    assert _stored_json(doc.pk) == canonical_json(winner_content)
    assert doc.revisions.count() == revisions_before + 1
    assert doc.revisions.get(number=2).content == winner_content
    assert AuditEvent.objects.count() == audit_before + 1
    assert DesignDoc.objects.get(pk=doc.pk).version == 2
