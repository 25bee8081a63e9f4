"""Run only with tests.fixture_app.settings (see tests/core/test_fixture_app.py): the
fixture app, installed without editing any other app, shows up everywhere apps contribute."""

import pytest
from django.urls import reverse

from registry.core import navigation, panels, search
from registry.core.audit import audit_actions, record_audit_event
from tests.fixture_app.models import FieldNote

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(db):
    return FieldNote.objects.create(title="Lighthouse outage", body="Beacon lamps failed at dawn.")


def test_its_model_is_in_the_search_registry():
    assert search.searchable_for(FieldNote).label == "Field notes"
    assert "field-notes" in [s.key for s in search.searchables()]


def test_search_page_finds_its_objects_under_its_type(client, alice, note):
    client.force_login(alice)
    response = client.get(reverse("search"), {"q": "lighthouse"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Field notes" in page
    assert "Lighthouse outage" in page
    only = client.get(reverse("search"), {"q": "beacon", "type": "field-notes"})
    assert "Lighthouse outage" in only.content.decode()


def test_its_audit_action_is_declared_and_shown_with_its_label_in_the_admin(
    client, superuser, note
):
    assert "fieldnote.publish" in [a.code for a in audit_actions()]
    record_audit_event(actor=superuser, action="fieldnote.publish", obj=note)
    client.force_login(superuser)
    page = client.get("/admin/core/auditevent/").content.decode()
    assert "fieldnote.publish (published a field note)" in page  # the event and the filter
    filtered = client.get("/admin/core/auditevent/", {"action": "fieldnote.publish"})
    assert "Lighthouse outage" in filtered.content.decode()


def test_its_panel_is_on_the_home_page(client, alice, note):
    assert "fixture-field-notes" in [p.panel.key for p in panels.panels_for(_request(alice))]
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert '<p class="field-note">Lighthouse outage</p>' in page


def test_its_menu_entry_is_on_every_page(client, alice):
    assert "fixture_app:note_list" in [item.url_name for item in navigation.menu_items()]
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("fixture_app:note_list")}"' in page
    assert "Field notes" in page


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
