"""The shared page cases (registry.core.testing.pages) pass against pages that follow the
rules, and fail against pages that each break one rule: they can fail."""

import pytest

from registry.core.testing.pages import PageViewTestCases
from tests.core.harness_pages import HarnessTeamPages

pytestmark = [pytest.mark.urls("tests.core.harness_pages"), pytest.mark.django_db]

Cases = PageViewTestCases


class TestHarnessTeamListAndDetail(
    HarnessTeamPages, Cases.ListPageTestCase, Cases.DetailPageTestCase
):
    """The read cases pass against correct pages."""


class TestHarnessTeamCreate(HarnessTeamPages, Cases.CreatePageTestCase):
    audit_action = "team.create"


class TestHarnessTeamEdit(HarnessTeamPages, Cases.EditPageTestCase):
    audit_action = "team.update"


class TestHarnessTeamDelete(HarnessTeamPages, Cases.DeletePageTestCase):
    write_url_name = "team_delete"
    audit_action = "team.delete"


def _case(case_class, **attributes):
    return type("Case", (HarnessTeamPages, case_class), attributes)()


def test_login_check_fails_when_a_page_needs_no_sign_in():
    case = _case(Cases.DetailPageTestCase, detail_url_name="public")
    with pytest.raises(AssertionError, match="expected a redirect to the login page, got 200"):
        case.test_detail_sends_anonymous_to_login()


def test_visibility_checks_fail_when_pages_skip_the_restricted_queryset(request):
    list_case = _case(Cases.ListPageTestCase, list_url_name="broken_list")
    with pytest.raises(AssertionError, match="the list shows a hidden object"):
        list_case.test_list_hides_objects_from_user_without_permission(request)
    detail_case = _case(Cases.DetailPageTestCase, detail_url_name="broken")
    with pytest.raises(AssertionError, match="expected 404, got 200"):
        detail_case.test_detail_hides_object_from_user_without_permission(request)


def test_query_count_check_fails_when_each_row_costs_a_query(request):
    case = _case(Cases.ListPageTestCase, list_url_name="chatty_list")
    with pytest.raises(AssertionError, match="queries for one row but"):
        case.test_list_query_count_does_not_grow_with_rows(request)


def test_forbidden_write_checks_fail_when_a_page_skips_the_permission_check(request):
    create = _case(Cases.CreatePageTestCase, create_url_name="broken_add")
    with pytest.raises(AssertionError, match="expected 403 on GET, got 200"):
        create.test_page_refuses_forbidden_writer_with_403_and_writes_nothing(request)
    edit = _case(Cases.EditPageTestCase, write_url_name="broken_edit")
    with pytest.raises(AssertionError, match="expected 403 on GET, got 200"):
        edit.test_page_refuses_forbidden_writer_with_403_and_writes_nothing(request)


def test_audit_checks_fail_when_a_write_records_no_event(request):
    create = _case(
        Cases.CreatePageTestCase, create_url_name="silent_add", audit_action="team.create"
    )
    with pytest.raises(AssertionError, match=r"expected one 'team\.create' audit event, found 0"):
        create.test_valid_post_writes_redirects_and_records_audit_event(request)
    delete = _case(
        Cases.DeletePageTestCase, write_url_name="broken_delete", audit_action="team.delete"
    )
    with pytest.raises(AssertionError, match=r"expected one 'team\.delete' audit event, found 0"):
        delete.test_valid_post_writes_redirects_and_records_audit_event(request)


def test_error_check_fails_when_the_error_is_shown_away_from_its_field(request):
    case = _case(Cases.CreatePageTestCase, create_url_name="misplaced_add")
    with pytest.raises(AssertionError, match="no error is shown next to 'name'"):
        case.test_invalid_post_shows_the_error_next_to_its_field_and_writes_nothing(request)


def test_error_check_fails_when_the_field_is_missing_from_the_page():
    from registry.core.testing.pages import assert_error_next_to_field

    with pytest.raises(AssertionError, match="no input named 'title'"):
        assert_error_next_to_field(
            '<div class="field"><ul class="field-error"><li>x</li></ul></div>', "title"
        )
