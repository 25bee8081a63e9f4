"""`manage.py import_designdoc FILE --user USERNAME` and `manage.py export_designdoc SLUG`."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from designdocs.content import content_of
from designdocs.management.commands import import_designdoc
from designdocs.markdown_io import FORMAT
from designdocs.models import DesignDoc, Revision
from registry.core.models import AuditEvent

MALFORMED = "\n".join(
    [
        "---",
        f"format: {FORMAT}",
        "title: Broken doc",
        "owner_team: fraud-detection",
        "risks:",
        "- title: Drift",
        "  category: data",
        "  likelihood: 9",
        "  impact: 0",
        "---",
        "",
    ]
)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def assert_nothing_created(docs: int = 0) -> None:
    assert DesignDoc.objects.count() == docs
    assert Revision.objects.count() == docs
    assert AuditEvent.objects.filter(action="designdoc.import").count() == 0


@pytest.mark.django_db
def test_export_then_import_prints_the_new_slug_and_copies_the_content(
    designdoc_full, alice, tmp_path
):
    path = tmp_path / "doc.md"
    _, err = run("export_designdoc", designdoc_full.slug, "-o", str(path))
    assert str(path) in err

    # The copy has the original's title: a second doc only on purpose.
    out, _ = run("import_designdoc", str(path), "--user", "alice", "--allow-duplicate-title")

    new_slug = out.strip()
    assert new_slug == "demand-forecasting-2"
    imported = DesignDoc.objects.get(slug=new_slug)
    assert content_of(imported) == content_of(designdoc_full)
    assert AuditEvent.objects.get(action="designdoc.import").actor == alice


@pytest.mark.django_db
def test_export_to_standard_output_is_the_markdown_file(designdoc_full):
    out, _ = run("export_designdoc", designdoc_full.slug)
    assert out.startswith(f"---\nformat: {FORMAT}\ntitle: Demand forecasting\n")
    assert "<!-- section: problem_statement -->" in out


@pytest.mark.django_db
def test_export_of_unknown_slug_fails():
    with pytest.raises(CommandError, match=re.escape("There is no design document “nope”.")):
        run("export_designdoc", "nope")


@pytest.mark.django_db
def test_malformed_file_fails_naming_each_line_and_creates_nothing(alice, team, tmp_path):
    path = tmp_path / "broken.md"
    path.write_text(MALFORMED, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import_designdoc", str(path), "--user", "alice")
    message = str(caught.value)
    assert "nothing was created" in message
    assert "Line 8: Risks, row 1: likelihood must be between 1 and 5 (not 9)." in message
    assert "Line 9: Risks, row 1: impact must be between 1 and 5 (not 0)." in message
    assert_nothing_created()


@pytest.mark.django_db
def test_file_without_front_matter_and_without_team_fails_with_line_1(alice, team, tmp_path):
    path = tmp_path / "plain.md"
    path.write_text("# Just a heading\n\nSome text.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Line 1: The file has no YAML front matter") as caught:
        run("import_designdoc", str(path), "--user", "alice")
    assert "--team" in str(caught.value)
    assert_nothing_created()


@pytest.mark.django_db
def test_file_holding_only_a_heading_fails_with_line_1(alice, team, tmp_path):
    path = tmp_path / "plain.md"
    path.write_text("# Just a heading\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Line 1: The file holds only headings"):
        run("import_designdoc", str(path), "--user", "alice", "--team", team.slug)
    assert_nothing_created()


@pytest.mark.django_db
def test_from_the_command_line_errors_go_to_stderr_with_non_zero_exit(
    alice, team, tmp_path, monkeypatch
):
    path = tmp_path / "broken.md"
    path.write_text(MALFORMED, encoding="utf-8")
    # run_from_argv closes every connection afterwards, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    command = import_designdoc.Command(stdout=io.StringIO(), stderr=io.StringIO())

    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(
            ["manage.py", "import_designdoc", str(path), "--user", "alice", "--skip-checks"]
        )
    assert exit_info.value.code == 1
    stderr = command.stderr._out.getvalue()
    assert stderr.startswith("CommandError: ")
    assert "Line 8: " in stderr and "Line 9: " in stderr
    assert command.stdout._out.getvalue() == ""
    assert_nothing_created()


@pytest.mark.django_db
def test_unknown_or_inactive_user_fails_before_reading(alice, team, tmp_path):
    alice.is_active = False
    alice.save()
    with pytest.raises(CommandError, match=re.escape("There is no active user “alice”.")):
        run("import_designdoc", str(tmp_path / "missing.md"), "--user", "alice")
    with pytest.raises(CommandError, match=re.escape("There is no active user “ghost”.")):
        run("import_designdoc", str(tmp_path / "missing.md"), "--user", "ghost")


@pytest.mark.django_db
def test_missing_or_non_utf8_file_fails_cleanly(alice, team, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.md"):
        run("import_designdoc", str(tmp_path / "missing.md"), "--user", "alice")
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes("---\ntitle: Prévision\n---\n".encode("latin-1"))
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        run("import_designdoc", str(latin1), "--user", "alice")
    assert_nothing_created()


@pytest.mark.django_db
def test_import_by_user_who_may_not_create_for_the_team_fails(dave, team, designdoc_full, tmp_path):
    path = tmp_path / "doc.md"
    run("export_designdoc", designdoc_full.slug, "-o", str(path))
    with pytest.raises(CommandError, match="You do not have permission"):
        run("import_designdoc", str(path), "--user", "dave")
    assert_nothing_created(docs=1)
