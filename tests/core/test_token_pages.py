"""/account/tokens/: my API tokens, a new one's key shown once, revoking one."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registry.core.models import ApiToken, AuditEvent
from registry.core.testing import assert_audit_event
from registry.core.tokens import token_create, token_revoke

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

URL = "/account/tokens/"


def revoke_url(token: ApiToken) -> str:
    return reverse("account:token_revoke", kwargs={"pk": token.pk})


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_user_menu_links_to_the_page(client, dave):
    client.force_login(dave)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()


def test_an_empty_list_says_how_to_get_a_token(client, dave):
    client.force_login(dave)
    page = client.get(URL).content.decode()
    assert "No API tokens yet" in page
    assert 'name="name"' in page


def test_the_list_shows_my_tokens_with_prefix_dates_and_state_never_a_key(client, dave, alice):
    fresh = token_create(user=dave, name="nightly export")
    gone = token_create(user=dave, name="old laptop")
    token_revoke(actor=dave, token=gone.token)
    old = token_create(user=dave, name="last year")
    ApiToken.objects.filter(pk=old.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=2)
    )
    token_create(user=alice, name="alices script")
    client.force_login(dave)

    page = client.get(URL).content.decode()

    for name in ("nightly export", "old laptop", "last year"):
        assert name in page
    assert "alices script" not in page
    assert f"{fresh.token.prefix}…" in page
    assert "Active" in page and "Revoked" in page and "Expired" in page
    assert "Revoked by its owner" in page
    assert "Never" in page  # last used
    for key in (fresh.key, gone.key, old.key):
        assert key not in page
    # A revoked token offers no revoke button; the other two do.
    assert page.count('class="button button--small button--danger"') == 2


def test_creating_a_token_shows_its_key_once_and_not_in_the_list_after(client, dave):
    client.force_login(dave)
    since = last_audit_id()

    response = client.post(URL, {"name": "ci pipeline"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    key = re.search(r'id="new-token-key"[^>]*value="([0-9a-f]{40})"', page).group(1)
    token = ApiToken.objects.get(user=dave, name="ci pipeline")
    assert key.startswith(token.prefix)
    assert_audit_event(action="token.create", obj=token, actor=dave, since_id=since)
    assert key not in client.get(URL).content.decode()

    api = Client()
    assert api.get("/api/teams/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("x" * 10_240, "at most 100 characters"),
        ("ci\x00", "Null characters are not allowed."),
        ("tab\there", "control characters"),
    ],
    ids=["empty", "10 KB", "NUL", "control character"],
)
def test_a_bad_name_is_a_form_error_and_creates_nothing(client, dave, name, message):
    client.force_login(dave)
    response = client.post(URL, {"name": name})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_name_error"' in page
    assert message in page
    assert not ApiToken.objects.exists()


def test_a_name_already_in_use_is_a_form_error(client, dave):
    token_create(user=dave, name="ci")
    client.force_login(dave)
    response = client.post(URL, {"name": "ci"})

    assert response.status_code == 400
    assert "already have an active token named" in response.content.decode()
    assert ApiToken.objects.filter(user=dave).count() == 1


def test_revoking_from_the_page_ends_the_token_and_says_so(client, dave):
    created = token_create(user=dave, name="ci")
    client.force_login(dave)
    since = last_audit_id()

    response = client.post(revoke_url(created.token), follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Revoked “ci”" in response.content.decode()
    assert_audit_event(action="token.revoke", obj=created.token, actor=dave, since_id=since)
    api = Client()
    assert api.get("/api/teams/", HTTP_AUTHORIZATION=f"Token {created.key}").status_code == 401


def test_revoking_someone_elses_token_is_404_and_changes_nothing(client, dave, alice):
    alices = token_create(user=alice, name="ci")
    client.force_login(dave)

    assert client.post(revoke_url(alices.token)).status_code == 404
    assert ApiToken.objects.get(pk=alices.token.pk).revoked_at is None


def test_revoking_needs_post_and_the_csrf_token(dave):
    created = token_create(user=dave, name="ci")
    client = Client(enforce_csrf_checks=True)
    client.force_login(dave)

    assert client.get(revoke_url(created.token)).status_code == 405
    assert client.post(revoke_url(created.token)).status_code == 403
    assert ApiToken.objects.get(pk=created.token.pk).revoked_at is None


def test_creating_needs_the_csrf_token(dave):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dave)
    assert client.post(URL, {"name": "ci"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_logging_out_ends_the_session_but_not_the_tokens(client, dave):
    created = token_create(user=dave, name="ci")
    client.force_login(dave)
    client.post(reverse("logout"))

    api = Client()
    assert api.get("/api/teams/", HTTP_AUTHORIZATION=f"Token {created.key}").status_code == 200
