"""API tokens end: they expire, are revoked by their owner, a password change or a
deactivation, are stored hashed, and a user holds several named ones."""

import datetime
import hashlib
import json

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.core.choices import TokenRevocation
from registry.core.errors import DomainError, PermissionDeniedError
from registry.core.models import ApiToken, AuditEvent
from registry.core.testing import assert_audit_event, assert_error_shape
from registry.core.tokens import token_authenticate, token_create, token_revoke

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

TOKEN_URL = "/api/auth/token/"
TOKENS_URL = "/api/auth/tokens/"
NEW_PASSWORD = "Correct-horse-battery-9"
#: The signal's read of the stored password and is_active before a user is saved.
CHECK_QUERY = 'SELECT "auth_user"."password" AS "password", "auth_user"."is_active" AS'


def sign_in(api_client, username="dave", password="demo", **extra):
    return api_client.post(TOKEN_URL, {"username": username, "password": password, **extra})


def calls_with(api_client, key: str, url: str = "/api/teams/"):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.get(url)


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- signing in: a new named token -----------------------------------------------------------


def test_sign_in_returns_a_key_that_expires_after_the_configured_days(api_client, dave, settings):
    settings.API_TOKEN_TTL_DAYS = 7
    before = timezone.now()
    response = sign_in(api_client, name="nightly export")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"token", "id", "name", "prefix", "expires"}
    assert body["name"] == "nightly export"
    assert body["token"].startswith(body["prefix"])
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(pk=body["id"])
    assert before + datetime.timedelta(days=7) <= token.expires_at
    assert token.expires_at <= timezone.now() + datetime.timedelta(days=7)
    assert calls_with(api_client, body["token"]).status_code == 200


def test_sign_in_without_a_name_names_the_token_after_its_prefix(api_client, dave):
    body = sign_in(api_client).json()
    assert body["name"] == f"token-{body['prefix']}"


def test_sign_in_records_a_token_create_event_without_the_key(api_client, dave):
    since = last_audit_id()
    body = sign_in(api_client, name="ci").json()
    token = ApiToken.objects.get(pk=body["id"])

    event = assert_audit_event(action="token.create", obj=token, actor=dave, since_id=since)
    assert event.payload["name"] == "ci"
    assert body["token"] not in str(event.payload) + event.object_repr


def test_a_user_holds_several_named_tokens_each_working(api_client, dave):
    keys = [sign_in(api_client, name=name).json()["token"] for name in ("ci", "backup", "cron")]

    assert len(set(keys)) == 3
    assert sorted(ApiToken.objects.filter(user=dave).values_list("name", flat=True)) == [
        "backup",
        "ci",
        "cron",
    ]
    for key in keys:
        assert calls_with(api_client, key).status_code == 200


def test_a_second_active_token_of_the_same_name_is_refused_naming_the_field(api_client, dave):
    assert sign_in(api_client, name="ci").status_code == 200
    body = assert_error_shape(sign_in(api_client, name="ci"), 400, code="invalid")
    assert "name" in body["errors"]
    assert ApiToken.objects.filter(user=dave, name="ci").count() == 1


def test_names_are_per_user(dave, alice):
    token_create(user=dave, name="ci")
    token_create(user=alice, name="ci")
    assert ApiToken.objects.filter(name="ci").count() == 2


def test_a_revoked_or_expired_token_frees_its_name(dave):
    revoked = token_create(user=dave, name="ci").token
    token_revoke(actor=dave, token=revoked)
    expired = token_create(user=dave, name="ci").token
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())

    renewed = token_create(user=dave, name="ci").token

    expired.refresh_from_db()
    assert expired.revoked_reason == TokenRevocation.REPLACED
    assert renewed.state == "active"
    assert ApiToken.objects.filter(user=dave, name="ci").count() == 3


def test_an_expired_token_in_the_header_does_not_stop_signing_in_again(api_client, dave):
    old = sign_in(api_client).json()
    ApiToken.objects.filter(pk=old["id"]).update(expires_at=timezone.now())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {old['token']}")

    response = sign_in(api_client)

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "ci\x00"}, "name"),
        ({"name": "a\ud800b"}, "name"),
        ({"name": "x" * 10_240}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "line\nbreak"}, "name"),
        ({"name": 5}, "name"),
        ({"name": True}, "name"),
        ({"name": ["ci"]}, "name"),
        ({"name": {"a": 1}}, "name"),
        ({"name": None}, "name"),
        ({"username": "da\x00ve"}, "username"),
        ({"username": "a\ud800b"}, "username"),
        ({"username": "d" * 10_240}, "username"),
        ({"username": ["dave"]}, "username"),
        ({"username": 7}, "username"),
        ({"password": {"x": 1}}, "password"),
        ({"password": "p" * 10_240}, "password"),
    ],
    ids=lambda value: repr(value)[:40],
)
def test_hostile_input_on_sign_in_is_400_naming_the_field(api_client, dave, data, field):
    # json.dumps escapes a lone surrogate as \\ud800: the server decodes it back into one.
    body = json.dumps({"username": "dave", "password": "demo", **data})
    response = api_client.post(TOKEN_URL, body, content_type="application/json")

    payload = assert_error_shape(response, 400)
    # NUL and lone surrogates are refused by the JSON parser (parse_error), as on every
    # endpoint; the rest by the serializer (invalid).
    assert payload["code"] in ("invalid", "parse_error"), payload
    assert field in payload["errors"], payload
    assert not ApiToken.objects.exists()


def test_a_body_that_is_not_an_object_is_400(api_client, dave):
    response = api_client.post(TOKEN_URL, ["dave", "demo"], format="json")
    assert_error_shape(response, 400)


# --- what answers 401 ------------------------------------------------------------------------


def test_an_expired_token_answers_401(api_client, dave):
    created = token_create(user=dave, name="ci")
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    body = assert_error_shape(calls_with(api_client, created.key), 401)
    assert "expired" in body["message"]


def test_a_token_works_until_its_expiry(api_client, dave):
    created = token_create(user=dave, name="ci")
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert calls_with(api_client, created.key).status_code == 200


def test_a_revoked_token_answers_401(api_client, dave):
    created = token_create(user=dave, name="ci")
    token_revoke(actor=dave, token=created.token)

    body = assert_error_shape(calls_with(api_client, created.key), 401)
    assert "revoked" in body["message"]


def test_an_unknown_key_answers_401(api_client, dave):
    token_create(user=dave, name="ci")
    assert_error_shape(calls_with(api_client, "0" * 40), 401, code="authentication_failed")


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token \x00", "Token caf\xe9"])
def test_a_malformed_token_header_answers_401_not_500(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert_error_shape(api_client.get("/api/teams/"), 401)


def test_deactivation_revokes_tokens_and_reactivation_does_not_bring_them_back(api_client, dave):
    key = token_create(user=dave, name="ci").key
    dave.is_active = False
    dave.save()

    assert_error_shape(calls_with(api_client, key), 401)
    assert ApiToken.objects.get(user=dave).revoked_reason == TokenRevocation.DEACTIVATED

    dave.is_active = True
    dave.save()
    body = assert_error_shape(calls_with(api_client, key), 401)
    assert "revoked" in body["message"]


def test_a_token_of_an_inactive_user_answers_401_even_if_not_revoked(api_client, dave):
    key = token_create(user=dave, name="ci").key
    type(dave).objects.filter(pk=dave.pk).update(is_active=False)  # around the signals

    assert_error_shape(calls_with(api_client, key), 401)


def test_set_password_and_save_revokes_every_token_of_the_user(api_client, dave, alice):
    keys = [token_create(user=dave, name=name).key for name in ("ci", "cron")]
    alices = token_create(user=alice, name="ci").key
    since = last_audit_id()

    dave.set_password(NEW_PASSWORD)
    dave.save()

    for key in keys:
        assert_error_shape(calls_with(api_client, key), 401)
    assert calls_with(api_client, alices).status_code == 200
    events = AuditEvent.objects.filter(id__gt=since, action="token.revoke")
    assert events.count() == 2
    assert {e.payload["reason"] for e in events} == {"password_changed"}


def test_a_password_change_in_the_admin_revokes_the_users_tokens(
    client, api_client, superuser, dave
):
    key = token_create(user=dave, name="ci").key
    client.force_login(superuser)

    response = client.post(
        f"/admin/auth/user/{dave.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302, response.content[:800]
    assert_error_shape(calls_with(api_client, key), 401)
    new = sign_in(api_client, password=NEW_PASSWORD).json()["token"]
    assert calls_with(api_client, new).status_code == 200


def test_changepassword_command_revokes_the_users_tokens(api_client, dave, monkeypatch):
    key = token_create(user=dave, name="ci").key
    monkeypatch.setattr(
        "django.contrib.auth.management.commands.changepassword.getpass.getpass",
        lambda prompt="": NEW_PASSWORD,
    )

    call_command("changepassword", "dave")

    assert_error_shape(calls_with(api_client, key), 401)


def test_an_unusable_password_revokes_the_users_tokens(api_client, dave):
    key = token_create(user=dave, name="ci").key
    dave.set_unusable_password()
    dave.save()
    assert_error_shape(calls_with(api_client, key), 401)


def test_a_login_that_upgrades_the_password_hash_keeps_the_tokens(api_client, dave, settings):
    # Django re-hashes a password with the preferred hasher when it checks it: the same
    # password, a new hash. That is no password change.
    key = token_create(user=dave, name="ci").key
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = type(dave).objects.get(pk=dave.pk).password
    assert old_hash.startswith("md5$")

    assert sign_in(api_client).status_code == 200

    assert type(dave).objects.get(pk=dave.pk).password.startswith("pbkdf2_sha256$")
    assert calls_with(api_client, key).status_code == 200


def test_saving_a_user_without_changing_the_password_keeps_the_tokens(api_client, dave):
    key = token_create(user=dave, name="ci").key
    dave.first_name = "David"
    dave.save()
    dave.password = type(dave).objects.get(pk=dave.pk).password
    dave.save(update_fields=["password", "first_name"])
    assert calls_with(api_client, key).status_code == 200


def test_assigning_a_new_hash_directly_revokes_the_tokens(api_client, dave):
    key = token_create(user=dave, name="ci").key
    dave.password = make_password(NEW_PASSWORD)
    dave.save()
    assert_error_shape(calls_with(api_client, key), 401)


def test_saves_that_touch_neither_password_nor_is_active_skip_the_check(client, dave):
    # A login saves `last_login` only: no read of the stored password for it.
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/login/", {"username": "dave", "password": "demo"}).status_code == 302
    checks = [q for q in queries.captured_queries if q["sql"].startswith(CHECK_QUERY)]
    assert checks == []
    with CaptureQueriesContext(connection) as queries:
        dave.save()
    assert [q for q in queries.captured_queries if q["sql"].startswith(CHECK_QUERY)]


# --- stored hashed ---------------------------------------------------------------------------


def test_the_database_never_holds_the_key(dave):
    created = token_create(user=dave, name="ci")

    token = ApiToken.objects.get(pk=created.token.pk)
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.fields]
    assert not [value for value in stored if created.key in value]
    assert token.digest == hashlib.sha256(created.key.encode()).hexdigest()
    assert created.key.startswith(token.prefix)
    assert not AuditEvent.objects.filter(payload__icontains=created.key).exists()


def test_the_digest_alone_does_not_authenticate(api_client, dave):
    created = token_create(user=dave, name="ci")
    assert_error_shape(calls_with(api_client, created.token.digest), 401)


def test_last_use_is_written_at_most_once_a_minute(dave):
    created = token_create(user=dave, name="ci")
    assert created.token.last_used_at is None

    with CaptureQueriesContext(connection) as first:
        token_authenticate(created.key)
    with CaptureQueriesContext(connection) as second:
        token_authenticate(created.key)
    used = ApiToken.objects.get(pk=created.token.pk).last_used_at

    assert used is not None
    assert len(first) == 2  # the lookup, and the write of last_used_at
    assert len(second) == 1  # the lookup only
    ApiToken.objects.filter(pk=created.token.pk).update(
        last_used_at=used - datetime.timedelta(minutes=1)
    )
    token_authenticate(created.key)
    assert ApiToken.objects.get(pk=created.token.pk).last_used_at > used


def test_an_inactive_user_cannot_be_given_a_token(dave):
    dave.is_active = False
    dave.save()
    with pytest.raises(PermissionDeniedError):
        token_create(user=dave, name="ci")


# --- listing and revoking through the API ----------------------------------------------------


def test_list_shows_my_tokens_with_their_state_and_never_a_key(token_client, dave, alice):
    fresh = token_create(user=dave, name="fresh")
    gone = token_create(user=dave, name="gone")
    token_revoke(actor=dave, token=gone.token)
    old = token_create(user=dave, name="old")
    ApiToken.objects.filter(pk=old.token.pk).update(expires_at=timezone.now())
    token_create(user=alice, name="alices")

    response = token_client(dave).get(TOKENS_URL)

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert "alices" not in rows
    assert rows["fresh"]["state"] == "active"
    assert rows["gone"]["state"] == "revoked"
    assert rows["gone"]["revoked_reason"] == "owner"
    assert rows["old"]["state"] == "expired"
    assert rows["fresh"]["prefix"] == fresh.token.prefix
    text = response.content.decode()
    for key in (fresh.key, gone.key, old.key):
        assert key not in text
    assert fresh.token.digest not in text


def test_revoke_through_the_api_answers_204_and_the_token_then_401(api_client, dave):
    created = token_create(user=dave, name="ci")
    other = token_create(user=dave, name="other")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {other.key}")
    since = last_audit_id()

    response = api_client.delete(f"{TOKENS_URL}{created.token.pk}/")

    assert response.status_code == 204
    assert_audit_event(action="token.revoke", obj=created.token, actor=dave, since_id=since)
    assert_error_shape(calls_with(api_client, created.key), 401)
    assert calls_with(api_client, other.key).status_code == 200


def test_a_script_revokes_the_token_it_signs_in_with(api_client, dave):
    created = token_create(user=dave, name="ci")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {created.key}")

    assert api_client.delete(f"{TOKENS_URL}{created.token.pk}/").status_code == 204
    assert_error_shape(api_client.get(TOKENS_URL), 401)


def test_revoking_a_revoked_token_again_changes_nothing(token_client, dave):
    created = token_create(user=dave, name="ci")
    client = token_client(dave)
    assert client.delete(f"{TOKENS_URL}{created.token.pk}/").status_code == 204
    revoked_at = ApiToken.objects.get(pk=created.token.pk).revoked_at
    since = last_audit_id()

    assert client.delete(f"{TOKENS_URL}{created.token.pk}/").status_code == 204

    assert ApiToken.objects.get(pk=created.token.pk).revoked_at == revoked_at
    assert last_audit_id() == since


@pytest.mark.parametrize("user", ["alice", "superuser"])
def test_another_users_token_is_404_through_the_api(request, token_client, dave, user):
    daves = token_create(user=dave, name="ci")
    client = token_client(request.getfixturevalue(user))

    assert_error_shape(client.delete(f"{TOKENS_URL}{daves.token.pk}/"), 404)
    assert_error_shape(client.get(f"{TOKENS_URL}{daves.token.pk}/"), 405)
    assert ApiToken.objects.get(pk=daves.token.pk).revoked_at is None


def test_token_endpoints_refuse_anonymous_with_401(api_client, dave):
    created = token_create(user=dave, name="ci")
    assert_error_shape(api_client.get(TOKENS_URL), 401)
    assert_error_shape(api_client.delete(f"{TOKENS_URL}{created.token.pk}/"), 401)


def test_revoking_by_session_needs_the_csrf_token(dave):
    from rest_framework.test import APIClient

    created = token_create(user=dave, name="ci")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(dave)

    assert_error_shape(client.delete(f"{TOKENS_URL}{created.token.pk}/"), 403)
    assert ApiToken.objects.get(pk=created.token.pk).revoked_at is None


@pytest.mark.parametrize("pk", ["abc", "0", "-1", "99999999999999999999"])
def test_a_nonsense_token_id_is_404(token_client, dave, pk):
    assert_error_shape(token_client(dave).delete(f"{TOKENS_URL}{pk}/"), 404)


# --- the service's rule ----------------------------------------------------------------------


def test_only_the_owner_or_staff_may_revoke_through_the_service(dave, alice, superuser):
    created = token_create(user=dave, name="ci")
    with pytest.raises(PermissionDeniedError):
        token_revoke(actor=alice, token=created.token)
    assert ApiToken.objects.get(pk=created.token.pk).revoked_at is None

    token_revoke(actor=superuser, token=created.token)
    assert ApiToken.objects.get(pk=created.token.pk).revoked_reason == TokenRevocation.STAFF


def test_service_refuses_a_bad_name_naming_the_field(dave):
    with pytest.raises(DomainError) as refused:
        token_create(user=dave, name="x" * 101)
    assert refused.value.field == "name"
    assert not ApiToken.objects.exists()


def test_admin_revokes_selected_tokens_through_the_service(client, superuser, dave):
    created = token_create(user=dave, name="ci")
    client.force_login(superuser)
    since = last_audit_id()

    response = client.post(
        "/admin/core/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [created.token.pk]},
    )

    assert response.status_code == 302
    assert_audit_event(action="token.revoke", obj=created.token, actor=superuser, since_id=since)
    assert client.get("/admin/core/apitoken/").status_code == 200
    detail = client.get(f"/admin/core/apitoken/{created.token.pk}/change/")
    assert detail.status_code == 200
    assert created.token.digest not in detail.content.decode()


def test_api_root_and_schema_list_the_token_endpoints(token_client, dave, client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert set(paths["/api/auth/tokens/"]) == {"get"}
    assert set(paths["/api/auth/tokens/{id}/"]) == {"delete"}
    created = paths["/api/auth/token/"]["post"]["responses"]["200"]
    schema_ref = created["content"]["application/json"]["schema"]["$ref"]
    assert schema_ref.endswith("/TokenCreated")
