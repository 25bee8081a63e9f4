"""Test harness shared by every app: API test cases, environment checks, a Celery worker.

See `registry.core.testing.api` for how an API gets the standard checks.
"""

from registry.core.testing.api import APIViewTestCases, assert_audit_event, assert_error_shape

__all__ = ["APIViewTestCases", "assert_audit_event", "assert_error_shape"]
