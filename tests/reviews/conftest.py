import pytest

from registry.celery import app


@pytest.fixture
def eager_tasks():
    """Tasks run in-process (as in the embedded default), so e-mails land in the outbox."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def emails(eager_tasks, django_capture_on_commit_callbacks, mailoutbox):
    """Run a block, executing its on-commit callbacks (the e-mail tasks) at its end:

    with emails() as sent: ...
    assert [(m.to, m.subject) for m in sent] == [...]
    """
    import contextlib

    @contextlib.contextmanager
    def capture():
        start = len(mailoutbox)
        sent: list = []
        with django_capture_on_commit_callbacks(execute=True):
            yield sent
        sent.extend(mailoutbox[start:])

    return capture


@pytest.fixture
def world(alice, bob, carol, dave, team):
    """alice (product owner, in `team`), bob and carol (architects), dave (viewer), with
    e-mail addresses."""
    for user in (alice, bob, carol, dave):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "team": team}
