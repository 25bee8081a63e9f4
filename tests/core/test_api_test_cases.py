"""The shared API test cases (registry.core.testing.api) pass against an API that follows
the rules, and fail against APIs that each break one rule: they can fail."""

import pytest

from registry.core.testing import APIViewTestCases
from tests.core.harness_api import HarnessTeamCases

pytestmark = [pytest.mark.urls("tests.core.harness_api"), pytest.mark.django_db]


class TestWritableHarnessAPI(HarnessTeamCases, APIViewTestCases.APIViewTestCase):
    """Every read and write case passes against a correct API."""


def _case(case_class, basename):
    case = type("Case", (HarnessTeamCases, case_class), {"basename": basename})()
    return case


def test_audit_check_fails_when_a_create_records_no_event(request):
    case = _case(APIViewTestCases.CreateObjectViewTestCase, "silent-team")
    with pytest.raises(AssertionError, match="audit event"):
        case.test_create_by_permitted_user_records_audit_event(request)


def test_audit_check_fails_when_a_delete_records_no_event(request):
    case = _case(APIViewTestCases.DeleteObjectViewTestCase, "silent-team")
    with pytest.raises(AssertionError, match="audit event"):
        case.test_delete_by_permitted_user_records_audit_event(request)


def test_forbidden_write_check_fails_when_a_viewer_may_create(request):
    case = _case(APIViewTestCases.CreateObjectViewTestCase, "open-team")
    with pytest.raises(AssertionError, match="expected 403, got 201"):
        case.test_create_refuses_forbidden_user_with_403_and_changes_nothing(request)


def test_visibility_checks_fail_when_a_user_without_role_sees_teams(request):
    get_case = _case(APIViewTestCases.GetObjectViewTestCase, "leaky-team")
    with pytest.raises(AssertionError, match="expected 404, got 200"):
        get_case.test_get_hides_object_from_user_without_permission(request)
    list_case = _case(APIViewTestCases.ListObjectsViewTestCase, "leaky-team")
    with pytest.raises(AssertionError, match="a user without permission sees objects"):
        list_case.test_list_is_empty_for_user_without_permission(request)


def test_query_count_check_fails_when_each_row_costs_a_query(request):
    case = _case(APIViewTestCases.ListObjectsViewTestCase, "chatty-team")
    with pytest.raises(AssertionError, match="queries for one row but"):
        case.test_list_query_count_does_not_grow_with_rows(request)


def test_validation_check_fails_when_the_field_is_not_named(request):
    case = _case(APIViewTestCases.CreateObjectViewTestCase, "misnaming-team")
    with pytest.raises(AssertionError, match="'name' not named"):
        case.test_create_rejects_invalid_data_with_400_naming_the_field(request)


def test_method_check_fails_when_an_endpoint_accepts_writes(request):
    case = _case(APIViewTestCases.WritesNotAllowedTestCase, "team")
    with pytest.raises(AssertionError, match="expected 405"):
        case.test_writes_answer_405_in_error_shape(request)
