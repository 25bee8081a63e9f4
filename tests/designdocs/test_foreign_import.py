"""Importing design docs written elsewhere: headings mapped to sections, every paragraph
kept in exactly one section, the mapping shown (page, API dry run, command) before
anything is created, hostile files refused with a line number."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from designdocs.apps import check_heading_synonyms
from designdocs.content import content_of
from designdocs.foreign_import import MAX_HEADINGS, plan_foreign_import
from designdocs.headings import SynonymTable, normalise_heading, synonym_table
from designdocs.markdown_io import MarkdownImportError, export_markdown
from designdocs.models import DesignDoc, Revision
from designdocs.sections import NARRATIVE_KEYS
from designdocs.services import designdoc_import_markdown, designdoc_import_preview
from registry.core.models import AuditEvent
from tests.designdocs.foreign_templates import (
    eugeneyan_shaped,
    french_design_doc,
    mlsystemdesign_shaped,
)

pytestmark = pytest.mark.embedded

TEMPLATES = {
    "eugeneyan-ml-design-docs": eugeneyan_shaped,
    "mlsystemdesign-basic": mlsystemdesign_shaped,
    "french-design-doc": french_design_doc,
}


def counts() -> tuple[int, int, int]:
    # Design-doc events only: signing the test client in records its token (token.create).
    designdoc_events = AuditEvent.objects.filter(action__startswith="designdoc.")
    return DesignDoc.objects.count(), Revision.objects.count(), designdoc_events.count()


def assert_every_paragraph_in_exactly_one_section(content: dict, expected: dict[str, str]):
    for paragraph, section in expected.items():
        places = {key: content[key].count(paragraph) for key in NARRATIVE_KEYS}
        assert sum(places.values()) == 1, (paragraph[:40], places)
        assert places[section] == 1, (paragraph[:40], section, places)


# --- normalising headings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "normal"),
    [
        ("3. Success metrics", "success metrics"),
        ("**I. Problem definition**", "problem definition"),
        ("__2.1 Problem Statement (Motivation):__", "problem statement motivation"),
        ("iv) Risks & Uncertainties", "risks uncertainties"),
        ("A) Données", "donnees"),
        ("(b) Rôles et responsabilités", "roles responsabilites"),
        ("Métriques de succès :", "metriques succes"),
        ("VII. Риски и ограничения", "риски ограничения"),
        ("[Data](https://wiki.example/data) `sources`", "data sources"),
        ("I think we should", "i think we should"),  # "I" alone is a word, not a numeral
        ("3.", ""),
    ],
)
def test_headings_lose_numbering_emphasis_punctuation_case_and_accents(heading, normal):
    assert normalise_heading(heading) == normal


@pytest.mark.parametrize(
    ("heading", "section", "target"),
    [
        ("## 3. Success metrics", "success_criteria", "business_value"),
        ("### **I. Problem definition**", "problem_statement", "problem_statement"),
        ("Motivation", "problem_statement", "problem_statement"),
        ("Data sources and quality", "data", "data"),  # the longest synonym it starts with
        ("Critères de succès", "success_criteria", "business_value"),
        ("Risques", "risks", "other_notes"),
        ("Questions ouvertes", "open_questions", "open_questions"),
        ("Conception détaillée", "architecture", "architecture"),
        ("Alternatives envisagées", "alternatives", "alternatives"),
        ("Contraintes de déploiement", "deployment_constraints", "deployment_constraints"),
        ("Supervision", "monitoring", "deployment_constraints"),
        ("Rôles et responsabilités", "raci", "other_notes"),
    ],
)
def test_english_and_french_headings_map_to_their_sections(heading, section, target):
    found = synonym_table().match(heading.lstrip("# "))
    assert (found.section, found.target) == (section, target)


def test_a_heading_matching_nothing_has_no_section():
    assert synonym_table().match("Zebra crossings") is None


def test_every_section_has_english_and_french_synonyms():
    table = synonym_table()
    for key in (*NARRATIVE_KEYS, "success_criteria", "raci", "risks", "monitoring"):
        assert table.synonyms[key].get("en") and table.synonyms[key].get("fr"), key


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"sections": {"appendix": {"en": ["x"]}}}, "unknown section “appendix”"),
        ({"sections": {"risks": {"en": ["risks"]}}}, "holds rows: say where its text is kept"),
        ({"sections": {"data": {"en": ["x"]}, "architecture": {"fr": ["X"]}}}, "both"),
        ({"sections": {"data": {"en": "data"}}}, "must be a list of headings"),
        ({"sections": {"data": {"kept_under": "risks", "en": ["x"]}}}, "narrative section"),
        (["not", "a", "mapping"], "mapping `sections:`"),
    ],
)
def test_a_broken_synonym_table_is_refused_saying_why(data, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        SynonymTable(data)


def test_the_synonym_table_path_is_a_setting_and_an_edit_applies_without_restart(
    settings, tmp_path
):
    path = tmp_path / "synonyms.yaml"
    path.write_text("sections:\n  data:\n    en: [zebra crossings]\n", encoding="utf-8")
    settings.DESIGNDOC_HEADING_SYNONYMS = str(path)
    assert synonym_table().match("Zebra crossings").section == "data"
    assert synonym_table().match("Data") is None
    path.write_text("sections:\n  alternatives:\n    fr: [passages piétons]\n", encoding="utf-8")
    import os

    os.utime(path, ns=(1, 1))  # a different modification time, whatever the clock's grain
    assert synonym_table().match("Passages piétons").section == "alternatives"


def test_manage_py_check_reports_a_broken_synonym_table(settings, tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("sections: [oops\n", encoding="utf-8")
    settings.DESIGNDOC_HEADING_SYNONYMS = str(path)
    errors = check_heading_synonyms()
    assert [e.id for e in errors] == ["designdocs.E001"]
    assert "not readable YAML" in errors[0].msg
    settings.DESIGNDOC_HEADING_SYNONYMS = str(tmp_path / "missing.yaml")
    assert "cannot be read" in check_heading_synonyms()[0].msg


# --- splitting and mapping ---------------------------------------------------------------------


def test_subheadings_matching_nothing_stay_inside_their_section_as_markdown():
    plan = plan_foreign_import(
        "# Title\n\n## Methodology\n\nIntro.\n\n### Techniques we tried\n\nGBM.\n\n"
        "### Zebra\n\nInside.\n\n## Zebra at the top\n\nOutside.\n\n### Under it\n\nAlso."
    )
    assert plan.sections["architecture"] == (
        "Intro.\n\n### Techniques we tried\n\nGBM.\n\n### Zebra\n\nInside."
    )
    assert (
        plan.sections["other_notes"] == "## Zebra at the top\n\nOutside.\n\n### Under it\n\nAlso."
    )
    assert [r.how for r in plan.rows] == [
        "title",
        "synonym",
        "synonym",
        "inside",
        "unmatched",
        "inside",
    ]


def test_two_headings_for_one_section_are_concatenated_in_order_keeping_the_second_heading():
    plan = plan_foreign_import("## Overview\n\nFirst.\n\n## Data\n\nD.\n\n## Motivation\n\nSecond.")
    assert plan.sections["problem_statement"] == "First.\n\n## Motivation\n\nSecond."


def test_text_before_the_first_heading_opens_the_problem_statement_and_titles_fall_back():
    plan = plan_foreign_import(
        "Some opening words.\n\n## Risks\n\nR.", file_name="fraud-scoring_v2.md"
    )
    assert plan.title == "fraud scoring v2"
    assert plan.sections["problem_statement"] == "Some opening words."
    assert plan.rows[0].how == "opening"
    assert plan_foreign_import("**Opening** words.\n\n## Risks\n\nR.").title == "Opening words."
    # A first H1 that is a section is a section, not the title.
    motivation = plan_foreign_import("# Motivation\n\nWhy now.", file_name="doc.md")
    assert (motivation.title, motivation.sections["problem_statement"]) == ("doc", "Why now.")


def test_headings_inside_fenced_code_and_setext_headings_are_read_as_markdown_does():
    plan = plan_foreign_import(
        "Data\n----\n\nRows.\n\n```\n## Risks\n```\n\n~~~\n# also code\n~~~\n\n- item\n---\n\nEnd."
    )
    assert [r.heading for r in plan.rows] == ["Data"]
    assert "## Risks" in plan.sections["data"] and "# also code" in plan.sections["data"]


def test_a_success_metrics_table_stays_markdown_inside_its_section_and_the_mapping_says_so():
    table = "| Metric | Target |\n|:--|--:|\n| Waste | 6 % |"
    plan = plan_foreign_import(f"# Doc\n\n## 3. Success metrics\n\n{table}\n")
    assert plan.sections["business_value"] == f"## 3. Success metrics\n\n{table}"
    row = plan.rows[1]
    assert (row.section, row.matched, row.words) == ("business_value", "success_criteria", 4)
    assert "kept as Markdown under Business value; add the rows in the editor" in row.note


# --- whole documents in the shape of public templates ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("make", TEMPLATES.values(), ids=TEMPLATES.keys())
def test_a_document_from_a_public_template_keeps_every_paragraph_in_exactly_one_section(
    alice, team, make
):
    source = make()
    assert source.size > (10_000 if make is french_design_doc else 30_000)
    assert any("\u0400" <= c <= "\u04ff" for c in source.text) and "é" in source.text

    doc = designdoc_import_markdown(
        user=alice, data=source.text.encode("utf-8"), owner_team=team.slug
    )

    content = content_of(doc)
    assert content["title"] == source.title
    assert_every_paragraph_in_exactly_one_section(content, source.expected)
    assert AuditEvent.objects.get(action="designdoc.import").actor == alice
    assert doc.revisions.get().message == "Imported from Markdown (another template)"


@pytest.mark.django_db
@pytest.mark.parametrize("make", TEMPLATES.values(), ids=TEMPLATES.keys())
def test_the_preview_maps_each_heading_as_expected_and_creates_nothing(alice, team, make):
    source = make()
    preview = designdoc_import_preview(user=alice, data=source.text, owner_team=team.slug)
    assert counts() == (0, 0, 0)
    mapped = {row.heading: row.section for row in preview.rows if row.how != "opening"}
    for heading, section in source.headings.items():
        assert mapped[heading] == section, heading
    words = {t.key: t.words for t in preview.totals}
    assert sum(words.values()) == sum(r.words for r in preview.rows)
    assert preview.is_foreign and preview.owner_team == team.slug


@pytest.mark.django_db
def test_an_imported_doc_with_other_notes_exports_and_reimports_identically(alice, team):
    doc = designdoc_import_markdown(user=alice, data=eugeneyan_shaped().text, owner_team=team.slug)
    text = export_markdown(content_of(doc))
    assert "<!-- section: other_notes -->\n## Other notes" in text
    copy = designdoc_import_markdown(user=alice, data=text)
    assert content_of(copy) == {**content_of(doc)}
    assert copy.content_hash == doc.content_hash


@pytest.mark.django_db
def test_the_read_view_shows_other_notes(client, alice, team):
    doc = designdoc_import_markdown(user=alice, data=eugeneyan_shaped().text, owner_team=team.slug)
    client.force_login(alice)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert 'id="section-other-notes"' in page and "Zebra crossings near" in page


# --- hostile files -------------------------------------------------------------------------------

HOSTILE = {
    "nul": ("# Doc\n\nText.\n\nBad \x00 byte.\n", "Line 5: Text may not contain NUL"),
    "lone-surrogate": ("# Doc\n\nText \ud800 here.\n", "Line 3: The text holds a lone surrogate"),
    "empty": ("\n\n  \n", "Line 1: The file is empty."),
    "headings-only": (
        "\n# One\n## Two\n### Three\n",
        "Line 2: The file holds only headings (3) and no text under them",
    ),
    "too-many-headings": (
        "# h\n" * 200_000,
        f"Line {MAX_HEADINGS + 1}: The file has more than {MAX_HEADINGS} headings",
    ),
    "two-megabytes": ("# Doc\n\n" + "é" * (1024 * 1024 + 10), "The file is larger than 2 MB"),
    "section-too-large": (
        "# Doc\n\n## Zebra\n\n" + ("word " * 50_000),
        "Line 3: other_notes is 244 KB; a section may hold at most 200 KB.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_file_is_refused_with_its_line_and_creates_nothing(alice, team, text, message):
    for dry_run in (True, False):
        call = designdoc_import_preview if dry_run else designdoc_import_markdown
        with pytest.raises(MarkdownImportError) as caught:
            call(user=alice, data=text, owner_team=team.slug)
        assert caught.value.status_code == 400
        assert message in caught.value.message, caught.value.message
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_naming_its_line(alice, team):
    with pytest.raises(Exception) as caught:
        designdoc_import_markdown(
            user=alice, data="# Doc\n\nPrévision\n".encode("latin-1"), owner_team=team.slug
        )
    assert "Line 3: The file is not UTF-8 text" in caught.value.message
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_a_foreign_file_needs_an_owner_team_the_importer_may_create_for(alice, dave, team):
    text = french_design_doc().text
    with pytest.raises(MarkdownImportError) as caught:
        designdoc_import_markdown(user=alice, data=text)
    assert "owner_team" in caught.value.errors
    with pytest.raises(Exception) as forbidden:
        designdoc_import_markdown(user=dave, data=text, owner_team=team.slug)
    assert forbidden.value.status_code == 403
    assert counts() == (0, 0, 0)


# --- API -------------------------------------------------------------------------------------------

IMPORT_URL = "/api/designdocs/import/"


@pytest.fixture
def alice_api(token_client, alice):
    return token_client(alice)


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["query", "body"])
def test_api_dry_run_answers_the_mapping_and_creates_nothing(alice_api, team, where):
    source = mlsystemdesign_shaped()
    body = {"markdown": source.text, "owner_team": team.slug}
    url = IMPORT_URL + ("?dry_run=true" if where == "query" else "")
    if where == "body":
        body["dry_run"] = True
    response = alice_api.post(url, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["dry_run"], data["created"], data["format"]) == (True, False, "foreign")
    assert data["title"] == source.title
    rows = {row["heading"]: row for row in data["mapping"]}
    assert rows["### **I. Problem definition**"]["section"] == "problem_statement"
    line = source.text.split("\n").index("### **I. Problem definition**") + 1
    assert rows["### **I. Problem definition**"]["line"] == line
    assert rows["### **VII. Риски и ограничения**"]["matched"] == "risks"
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_api_imports_a_foreign_file_upload_with_owner_team_and_title(alice_api, team):
    upload = io.BytesIO(eugeneyan_shaped().text.encode("utf-8"))
    upload.name = "demand.md"
    response = alice_api.post(
        IMPORT_URL,
        {"file": upload, "owner_team": team.slug, "title": "Demand v2", "dry_run": "0"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Demand v2"
    assert "Zebra crossings near" in response.json()["other_notes"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["yes", "2", "", "tru", "null"])
def test_api_dry_run_is_parsed_strictly(alice_api, team, value):
    response = alice_api.post(
        f"{IMPORT_URL}?dry_run={value}",
        {"markdown": "# D\n\n## Data\n\nx", "owner_team": team.slug},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["dry_run"]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_api_dry_run_said_both_ways_is_refused(alice_api, team):
    response = alice_api.post(
        f"{IMPORT_URL}?dry_run=1",
        {"markdown": "# D\n\n## Data\n\nx", "owner_team": team.slug, "dry_run": False},
        format="json",
    )
    assert response.status_code == 400 and "dry_run" in response.json()["errors"]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_api_foreign_file_without_owner_team_is_400_naming_it(alice_api):
    response = alice_api.post(IMPORT_URL, {"markdown": "# D\n\n## Data\n\nx"}, format="json")
    assert response.status_code == 400
    assert "owner_team" in response.json()["errors"]


@pytest.mark.django_db
def test_api_registry_file_with_an_owner_team_is_400_not_silently_ignored(
    alice_api, designdoc_full, team
):
    text = export_markdown(content_of(designdoc_full))
    response = alice_api.post(
        IMPORT_URL, {"markdown": text, "owner_team": team.slug}, format="json"
    )
    assert response.status_code == 400 and "owner_team" in response.json()["errors"]
    dry = alice_api.post(f"{IMPORT_URL}?dry_run=1", {"markdown": text}, format="json")
    assert dry.status_code == 200 and dry.json()["format"] == "registry"
    assert {r["section"] for r in dry.json()["mapping"]} >= {"problem_statement", "risks"}
    assert DesignDoc.objects.count() == 1


@pytest.mark.django_db
def test_api_lone_surrogate_in_text_is_400_naming_the_field(alice_api, team):
    # The API's JSON parser refuses it before the import reads the text (no line to name:
    # the body never becomes text); a file upload names the line (test above).
    body = '{"markdown": "# D\\n\\nbad \\ud800", "owner_team": "' + team.slug + '"}'
    response = alice_api.post(IMPORT_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "lone surrogate" in response.json()["errors"]["markdown"][0]
    assert counts() == (0, 0, 0)


# --- page --------------------------------------------------------------------------------------


def _upload(text: str, name: str = "design.md"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/markdown")


@pytest.mark.django_db
def test_page_shows_the_mapping_first_and_creates_only_on_confirmation(client, alice, team):
    source = french_design_doc()
    client.force_login(alice)
    url = reverse("designdocs:designdoc_import")
    page = client.post(url, {"file": _upload(source.text)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Where each part of" in html and "Create design doc" in html
    assert "## Critères de succès :" in html and "→ Business value" in html
    assert "kept as Markdown under Business value" in html
    assert counts() == (0, 0, 0)

    form = page.context["confirm"]
    response = client.post(
        url,
        {
            "markdown": form.initial["markdown"],
            "file_name": "design.md",
            "title": "",
            "owner_team": team.slug,
        },
    )
    doc = DesignDoc.objects.get()
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    assert doc.title == source.title
    assert_every_paragraph_in_exactly_one_section(content_of(doc), source.expected)


@pytest.mark.django_db
def test_page_confirmation_for_a_team_the_user_may_not_use_creates_nothing(client, alice, team):
    from tests.factories import TeamFactory

    other = TeamFactory(slug="pricing")
    client.force_login(alice)
    response = client.post(
        reverse("designdocs:designdoc_import"),
        {"markdown": "# D\n\n## Data\n\nx", "owner_team": other.slug, "title": "T"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_page_refuses_a_headings_only_file_with_its_line(client, alice, team):
    client.force_login(alice)
    response = client.post(
        reverse("designdocs:designdoc_import"), {"file": _upload("# One\n\n## Two\n")}
    )
    html = response.content.decode()
    assert "Nothing was imported" in html and "Line 1: The file holds only headings" in html
    assert "Create design doc" not in html
    assert counts() == (0, 0, 0)


# --- command ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_dry_run_prints_the_mapping_and_creates_nothing(alice, team, tmp_path):
    path = tmp_path / "wiki-page.md"
    path.write_text(eugeneyan_shaped().text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_designdoc", str(path), "--user", "alice", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "## 3. Success metrics" in text and "Business value" in text
    assert "Dry run: nothing was created." in text
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_command_imports_a_foreign_file_with_team_printing_the_slug(alice, team, tmp_path):
    path = tmp_path / "wiki-page.md"
    path.write_text(mlsystemdesign_shaped().text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_designdoc",
        str(path),
        "--user",
        "alice",
        "--team",
        team.slug,
        stdout=out,
        stderr=err,
    )
    doc = DesignDoc.objects.get()
    assert out.getvalue().strip() == doc.slug
    assert "### **I. Problem definition**" in err.getvalue()


@pytest.mark.django_db
def test_command_without_team_says_how_to_name_it(alice, team, tmp_path):
    path = tmp_path / "wiki-page.md"
    path.write_text(french_design_doc().text, encoding="utf-8")
    with pytest.raises(CommandError, match="--team SLUG"):
        call_command("import_designdoc", str(path), "--user", "alice")
    assert counts() == (0, 0, 0)
