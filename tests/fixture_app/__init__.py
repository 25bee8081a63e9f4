"""A throwaway app that exists only to prove that a new app joins search, the audit log,
the home page and the menu by declaring itself from its own modules, editing no other app.

It is installed only by `tests.fixture_app.settings` (the project's settings plus this app
and its URLs: what a real app's addition to the composition root would be), in a separate
pytest process that `tests/core/test_fixture_app.py` starts; the checks it runs there are in
`check_fixture_app.py`. The suite's own process never sees it, so no other test's menu,
panels or search results change.
"""
