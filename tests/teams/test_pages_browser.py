"""The team page in the system Chromium (Playwright): a lead manages members in place
(htmx swaps the members section; the page does not reload), under the page's CSP.

The data is created before the page is opened; the live server shares the test database.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from teams.choices import MembershipRole
from teams.models import TeamMembership
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP_RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def test_a_lead_adds_promotes_and_removes_a_member_without_a_reload(page, bob):
    lead = UserFactory(username="lena", first_name="Lena")
    team = TeamFactory(name="Forecasting", slug="forecasting")
    TeamMembershipFactory(team=team, user=lead, role=MembershipRole.LEAD)
    page.add_init_script(CSP_RECORDER)
    page.goto(reverse("login"))
    page.fill("#id_username", "lena")
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))

    page.goto(team.get_absolute_url())
    page.evaluate("window.__stayed = true")  # gone if the page reloads
    page.fill("#add-member-user", "bob")
    page.click("text=Add to team")
    page.wait_for_selector("#members >> text=Bob added as member.")
    membership = TeamMembership.objects.get(team=team, user=bob)

    page.select_option(f"#role-{membership.pk}", "lead")
    page.click(f"#member-{membership.pk} >> text=Change role")
    page.wait_for_selector("#members >> text=Bob is now lead.")

    page.on("dialog", lambda dialog: dialog.accept())
    page.click(f"#member-{membership.pk} >> text=Remove")
    page.wait_for_selector("#members >> text=Bob removed from Forecasting.")

    assert page.evaluate("window.__stayed") is True
    assert not TeamMembership.objects.filter(pk=membership.pk).exists()
    assert page.evaluate("window.__csp") == []
