"""The live preview (/designdocs/preview/): limited per user, and it refuses exactly what
saving the section would refuse, with the same reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from designdocs.services import designdoc_update
from registry.core.errors import DomainError

PREVIEW = reverse("designdocs:markdown_preview")
TOO_DEEP = "- " * 100 + "x"


def preview(client, text: str):
    return client.post(PREVIEW, {"text": text}, HTTP_HX_REQUEST="true")


@pytest.mark.embedded
@pytest.mark.django_db
def test_preview_past_the_rate_answers_429_with_a_message_htmx_shows(
    client, user_without_role, settings
):
    settings.MARKDOWN_PREVIEW_RATE = "2/day"  # a minute's window could turn mid-test
    client.force_login(user_without_role)  # signed in, no role: still a render per request
    assert [preview(client, "**a**").status_code for _ in range(2)] == [200, 200]
    response = preview(client, "**a**")
    html = response.content.decode()
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 86400  # until the window (a day) ends
    assert '<p class="field-error" role="alert">Preview paused after too many updates' in html
    assert "Your text is kept." in html and "<strong>" not in html
    assert "<html" not in html  # a fragment for the preview pane


@pytest.mark.django_db
def test_preview_limit_is_per_user(client, alice, bob, settings):
    settings.MARKDOWN_PREVIEW_RATE = "1/day"  # a minute's window could turn mid-test
    client.force_login(alice)
    assert [preview(client, "x").status_code for _ in range(2)] == [200, 429]
    client.force_login(bob)
    assert preview(client, "x").status_code == 200


@pytest.mark.embedded
@pytest.mark.django_db
def test_preview_refuses_too_deep_nesting_for_the_reason_saving_does(client, alice, designdoc_full):
    doc = designdoc_full
    with pytest.raises(DomainError) as saving:
        designdoc_update(
            doc=doc,
            user=alice,
            expected_version=doc.version,
            changes={"problem_statement": TOO_DEEP},
        )
    reason = "cannot be rendered: it nests quotes or lists more than 40 levels deep."
    assert saving.value.errors["problem_statement"] == [f"problem_statement {reason}"]
    client.force_login(alice)
    html = preview(client, TOO_DEEP).content.decode()
    assert f"This section {reason}" in html and "<li>" not in html


@pytest.mark.django_db
def test_preview_accepts_windows_newlines_as_saving_does(client, alice, settings):
    # Browsers post "\r\n"; saving stores "\n", so the size that counts is the stored one.
    settings.MARKDOWN_MAX_BYTES = 1024
    text = "line\n" * 204 + "end"  # 1023 bytes stored, 1227 as posted
    client.force_login(alice)
    html = preview(client, text.replace("\n", "\r\n")).content.decode()
    assert "at most 1 KB" not in html and "end</p>" in html


@pytest.mark.django_db
def test_preview_renders_brackets_the_old_parser_refused(client, alice):
    client.force_login(alice)
    html = preview(client, "[" * 20_000 + " **still Markdown**").content.decode()
    assert "<strong>still Markdown</strong>" in html and "field-error" not in html
