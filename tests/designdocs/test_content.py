"""Validation of a document's canonical content: shape, types, choices, sizes, references
and the RACI rules (PMBOK Guide Figure 9-5 as the fixture)."""

from __future__ import annotations

import copy

import pytest
from django.db import IntegrityError, transaction

from designdocs.content import ContentValidator, canonical_json, content_hash, content_of
from designdocs.models import RaciAssignment
from designdocs.services import designdoc_create
from registry.core.errors import DomainError
from tests.designdocs.factories import (
    PMBOK_FIGURE_9_5,
    PMBOK_PEOPLE,
    DesignDocFactory,
    criterion_row,
    monitoring_row,
    pmbok_raci_rows,
    raci_row,
    risk_row,
)
from tests.factories import TeamFactory, UserFactory

BASE = {"title": "Demand forecasting", "owner_team": "supply", "product_owner": "alice"}


def validate(raw) -> dict[str, list[str]]:
    """Every error the validator finds without the database (shape, types, rules)."""
    validator = ContentValidator()
    content = validator.normalize(raw)
    validator.check_rules(content)
    return dict(validator.errors)


def validate_with_references(raw) -> dict[str, list[str]]:
    validator = ContentValidator()
    content = validator.normalize(raw)
    validator.check_rules(content)
    validator.resolve_references(content)
    return dict(validator.errors)


def with_raci(matrix) -> dict:
    return {**BASE, "raci": pmbok_raci_rows(matrix)}


def pmbok(**changes: dict[str, str | None]) -> dict[str, dict[str, str]]:
    """Figure 9-5 with some cells changed: pmbok(**{"Develop test plan": {"ed": "I"}});
    a letter None removes that person's row."""
    matrix = copy.deepcopy(PMBOK_FIGURE_9_5)
    for activity, cells in changes.items():
        for person, letter in cells.items():
            if letter is None:
                del matrix[activity][person]
            else:
                matrix[activity][person] = letter
    return matrix


# --- RACI: PMBOK Guide Figure 9-5 ------------------------------------------------------------


@pytest.mark.embedded
def test_raci_pmbok_figure_9_5_is_valid():
    assert validate(with_raci(PMBOK_FIGURE_9_5)) == {}


@pytest.mark.embedded
def test_raci_two_responsible_on_one_activity_is_valid():
    letters = PMBOK_FIGURE_9_5["Submit change request"]
    assert sorted(p for p, letter in letters.items() if letter == "R") == ["carlos", "dina"]
    assert validate(with_raci({"Submit change request": letters})) == {}


@pytest.mark.embedded
def test_raci_second_accountable_is_refused_naming_activity_and_rows():
    # Rows 6-10 are "Collect requirements": ann, ben (A), carlos, dina, ed.
    errors = validate(with_raci(pmbok(**{"Collect requirements": {"dina": "A"}})))
    assert errors == {
        "raci.8.role": [
            "RACI activity “Collect requirements” has 2 Accountable (rows 7, 9); "
            "exactly one is allowed."
        ]
    }


@pytest.mark.embedded
def test_raci_activity_without_accountable_is_refused():
    errors = validate(with_raci(pmbok(**{"Develop test plan": {"ann": "C"}})))
    # "Develop test plan" starts at row 16 (index 15).
    assert errors == {
        "raci.15.role": [
            "RACI activity “Develop test plan” has no Accountable; exactly one is required."
        ]
    }


@pytest.mark.embedded
def test_raci_activity_with_accountable_but_no_responsible_is_valid():
    # Wikipedia's exception: the Accountable does the work (R implied).
    matrix = pmbok(**{"Develop test plan": {"ed": "I"}})
    assert "R" not in matrix["Develop test plan"].values()
    assert validate(with_raci(matrix)) == {}


@pytest.mark.embedded
def test_raci_activity_with_only_consulted_and_informed_needs_accountable_and_responsible():
    errors = validate(
        {
            **BASE,
            "raci": [raci_row("Deploy", "C", person="ann"), raci_row("Deploy", "I", person="ben")],
        }
    )
    assert errors == {
        "raci.0.role": [
            "RACI activity “Deploy” has no Accountable; exactly one is required.",
            "RACI activity “Deploy” needs at least one Responsible (or an Accountable who does the work).",
        ]
    }


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("person", "team"), [("ann", "supply"), ("", "")], ids=["person-and-team", "neither"]
)
def test_raci_row_names_a_person_xor_a_team(person, team):
    rows = [
        raci_row("Deploy", "A", person="ben"),
        raci_row("Deploy", "R", person=person, team=team),
    ]
    assert validate({**BASE, "raci": rows}) == {
        "raci.1.person": ["RACI row 2: name a person or a team (exactly one)."]
    }


@pytest.mark.embedded
def test_raci_row_naming_a_team_only_is_valid():
    rows = [raci_row("Deploy", "A", person="ben"), raci_row("Deploy", "R", team="supply")]
    assert validate({**BASE, "raci": rows}) == {}


@pytest.mark.embedded
def test_raci_party_holds_one_letter_per_activity():
    rows = [raci_row("Deploy", "A", person="ann"), raci_row("Deploy", "R", person="ann")]
    assert validate({**BASE, "raci": rows}) == {
        "raci.1.role": [
            "RACI row 2: “ann” already holds a letter for “Deploy” (row 1); "
            "one letter per party and activity."
        ]
    }


@pytest.mark.embedded
def test_raci_same_party_may_hold_letters_on_different_activities():
    rows = [raci_row("Build", "A", person="ann"), raci_row("Deploy", "A", person="ann")]
    assert validate({**BASE, "raci": rows}) == {}


@pytest.mark.django_db
def test_raci_pmbok_figure_9_5_is_stored_in_order(alice, team):
    for name in PMBOK_PEOPLE:
        UserFactory(username=name)
    doc = DesignDocFactory(
        product_owner=alice, owner_team=team, content={"raci": pmbok_raci_rows()}
    )
    assert content_of(doc)["raci"] == pmbok_raci_rows()
    assert doc.raci_assignments.filter(role="A").count() == len(PMBOK_FIGURE_9_5)


@pytest.mark.django_db
def test_database_refuses_second_accountable_even_when_bypassing_the_service(alice, team):
    doc = DesignDocFactory(
        product_owner=alice,
        owner_team=team,
        content={"raci": [raci_row("Approve design", "A", person="alice")]},
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RaciAssignment.objects.create(
            design_doc=doc, activity="Approve design", team=team, role="A", position=1
        )
    # Another activity, or another letter on the same activity, is fine.
    RaciAssignment.objects.create(design_doc=doc, activity="Approve design", team=team, role="R")
    RaciAssignment.objects.create(design_doc=doc, activity="Deploy", team=team, role="A")


@pytest.mark.django_db
def test_database_refuses_raci_row_with_person_and_team(alice, team):
    doc = DesignDocFactory(product_owner=alice, owner_team=team)
    with pytest.raises(IntegrityError), transaction.atomic():
        RaciAssignment.objects.create(
            design_doc=doc, activity="Deploy", person=alice, team=team, role="R"
        )


# --- shape and types ----------------------------------------------------------------------


@pytest.mark.embedded
def test_unknown_fields_are_named_at_document_and_row_level():
    errors = validate({**BASE, "colour": "red", "risks": [{**risk_row(), "severity": 3}]})
    assert errors == {
        "colour": ["Unknown field “colour”."],
        "risks.0.severity": ["Risks, row 1: unknown field “severity”."],
    }


@pytest.mark.embedded
def test_content_that_is_not_an_object_is_refused():
    assert validate(["not", "a", "dict"]) == {
        "non_field_errors": ["The document must be a JSON object."]
    }


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("title", 5, "Title must be text."),
        ("product_owner", ["alice"], "Product owner must be text."),
        ("problem_statement", 5, "Problem statement must be Markdown text."),
        ("data", {"rows": 1}, "Data must be Markdown text."),
        ("risks", "none", "Risks must be a list of rows."),
        ("raci", {"activity": "x"}, "Roles and responsibilities (RACI) must be a list of rows."),
        ("co_authors", "bob", "Co-authors must be a list of usernames."),
        ("co_authors", ["bob", 1], "Co-authors must be a list of usernames."),
    ],
)
def test_wrong_types_are_refused_naming_the_field(key, value, message):
    assert validate({**BASE, key: value}) == {key: [message]}


@pytest.mark.embedded
def test_row_that_is_not_an_object_is_refused_naming_the_row():
    assert validate({**BASE, "success_criteria": [criterion_row(), "fast"]}) == {
        "success_criteria.1": ["Success criteria, row 2: a row must be an object."]
    }


@pytest.mark.embedded
def test_row_field_of_wrong_type_is_refused():
    assert validate({**BASE, "monitoring": [monitoring_row(threshold=5)]}) == {
        "monitoring.0.threshold": ["Monitoring contract, row 1: threshold must be text."]
    }


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "likelihood must be between 1 and 5 (not 0)."),
        (6, "likelihood must be between 1 and 5 (not 6)."),
        (-1, "likelihood must be between 1 and 5 (not -1)."),
        ("x", "likelihood must be a whole number from 1 to 5 (a number, not the text “x”)."),
        (2.5, "likelihood must be a whole number from 1 to 5."),
        ("2.5", "likelihood must be a whole number from 1 to 5 (a number, not the text “2.5”)."),
        (True, "likelihood must be a whole number from 1 to 5."),
        (False, "likelihood must be a whole number from 1 to 5."),
        (float("inf"), "likelihood must be a whole number from 1 to 5."),
        (float("nan"), "likelihood must be a whole number from 1 to 5."),
        ([3], "likelihood must be a whole number from 1 to 5."),
        (None, "likelihood is required (1 to 5)."),
        ("", "likelihood is required (1 to 5)."),
    ],
)
def test_invalid_likelihood_is_refused_naming_row_and_field(value, message):
    rows = [risk_row(), risk_row(likelihood=value)]
    assert validate({**BASE, "risks": rows}) == {"risks.1.likelihood": [f"Risks, row 2: {message}"]}


@pytest.mark.embedded
def test_invalid_impact_is_refused_naming_row_and_field():
    assert validate({**BASE, "risks": [risk_row(impact=9)]}) == {
        "risks.0.impact": ["Risks, row 1: impact must be between 1 and 5 (not 9)."]
    }


@pytest.mark.embedded
@pytest.mark.parametrize("value", ["3", " 4 ", "\u0663", 3.0])
def test_likelihood_given_as_text_or_float_is_refused_not_converted(value):
    # "٣" (Arabic-Indic three) is what int() reads as 3; pages send ints (their form
    # converts the digits), so only a wrong client sends text, and guessing could store
    # what nobody meant.
    validator = ContentValidator()
    validator.normalize({**BASE, "risks": [risk_row(likelihood=value)]})
    assert list(validator.errors) == ["risks.0.likelihood"]
    assert "must be a whole number from 1 to 5" in validator.errors["risks.0.likelihood"][0]


@pytest.mark.embedded
def test_likelihood_given_as_int_is_kept():
    validator = ContentValidator()
    content = validator.normalize({**BASE, "risks": [risk_row(likelihood=3, impact=5)]})
    assert not validator.errors
    assert (content["risks"][0]["likelihood"], content["risks"][0]["impact"]) == (3, 5)


@pytest.mark.embedded
def test_missing_required_row_fields_are_named():
    errors = validate(
        {**BASE, "success_criteria": [{"baseline": "1"}], "monitoring": [{"metric": "Bias"}]}
    )
    assert errors == {
        "success_criteria.0.metric": ["Success criteria, row 1: metric is required."],
        "success_criteria.0.target": ["Success criteria, row 1: target is required."],
        "monitoring.0.threshold": ["Monitoring contract, row 1: threshold is required."],
        "monitoring.0.cadence": ["Monitoring contract, row 1: cadence is required."],
        "monitoring.0.alert_owner": ["Monitoring contract, row 1: alert owner is required."],
    }


@pytest.mark.embedded
def test_missing_required_metadata_is_named():
    assert validate({}) == {
        "title": ["Title is required."],
        "owner_team": ["Owner team is required."],
        "product_owner": ["Product owner is required."],
    }


@pytest.mark.embedded
def test_row_field_over_its_length_is_refused():
    assert validate({**BASE, "success_criteria": [criterion_row("m" * 201)]}) == {
        "success_criteria.0.metric": ["Success criteria, row 1: metric is at most 200 characters."]
    }


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("raw", "key", "message"),
    [
        (
            {"stage": "launch"},
            "stage",
            "The ML lifecycle stage is not edited with the content: it moves through lifecycle "
            "transitions (the Lifecycle panel of the doc page, or POST "
            "/api/designdocs/{id}/transition/). Leave `stage` out.",
        ),
        (
            {"risk_tier": "extreme"},
            "risk_tier",
            "Risk tier must be one of: unclassified, minimal, limited, high, unacceptable "
            "(not “extreme”).",
        ),
        (
            {"raci": [raci_row("Deploy", "X", person="ann")]},
            "raci.0.role",
            "Roles and responsibilities (RACI), row 1: role must be one of: R, A, C, I (not “X”).",
        ),
        (
            {"risks": [risk_row(category="weather")]},
            "risks.0.category",
            "Risks, row 1: category must be one of: data, model, fairness, privacy, security, "
            "operational, regulatory, business (not “weather”).",
        ),
        (
            {"risks": [risk_row(status="done")]},
            "risks.0.status",
            "Risks, row 1: status must be one of: open, in_progress, closed, accepted (not “done”).",
        ),
    ],
)
def test_values_outside_their_choices_are_refused(raw, key, message):
    assert message in validate({**BASE, **raw})[key]


@pytest.mark.embedded
def test_risk_status_defaults_to_open_and_co_authors_are_deduplicated_and_sorted():
    validator = ContentValidator()
    content = validator.normalize(
        {**BASE, "co_authors": ["carol", " bob ", "carol", ""], "risks": [risk_row(status="")]}
    )
    assert not validator.errors
    assert content["co_authors"] == ["bob", "carol"]
    assert content["risks"][0]["status"] == "open"


@pytest.mark.embedded
def test_narrative_newlines_are_normalised_and_surrounding_blank_space_stripped():
    validator = ContentValidator()
    content = validator.normalize({**BASE, "data": "\r\n  line one\r\nline two\rthree \n\n"})
    assert content["data"] == "line one\nline two\nthree"


@pytest.mark.embedded
def test_section_at_the_size_limit_is_accepted(settings):
    text = "a" * settings.MARKDOWN_MAX_BYTES
    assert validate({**BASE, "architecture": text}) == {}


@pytest.mark.embedded
def test_section_over_the_size_limit_is_refused_naming_the_field(settings):
    assert settings.MARKDOWN_MAX_BYTES == 200 * 1024
    errors = validate({**BASE, "architecture": "a" * (settings.MARKDOWN_MAX_BYTES + 1)})
    assert errors == {
        "architecture": ["architecture is 200 KB; a section may hold at most 200 KB."]
    }


@pytest.mark.embedded
def test_section_size_limit_counts_utf8_bytes_not_characters(settings):
    text = "é" * (settings.MARKDOWN_MAX_BYTES // 2 + 1)  # fewer characters than the limit
    assert len(text) < settings.MARKDOWN_MAX_BYTES
    assert list(validate({**BASE, "problem_statement": text})) == ["problem_statement"]


@pytest.mark.embedded
def test_canonical_json_is_sorted_compact_utf8_and_hash_is_its_sha256():
    import hashlib

    content = {"b": "ü", "a": [1, {"d": 2, "c": 3}]}
    assert canonical_json(content) == '{"a":[1,{"c":3,"d":2}],"b":"ü"}'
    assert (
        content_hash(content)
        == hashlib.sha256('{"a":[1,{"c":3,"d":2}],"b":"ü"}'.encode()).hexdigest()
    )


# --- references -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_usernames_and_team_slugs_are_named(alice, team):
    inactive = UserFactory(username="gone", is_active=False)
    raw = {
        "title": "Doc",
        "owner_team": "no-such-team",
        "product_owner": "nobody",
        "co_authors": ["ghost", "alice", inactive.username],
        "raci": [
            raci_row("Deploy", "A", person="phantom"),
            raci_row("Deploy", "R", team="ghost-team"),
        ],
        "risks": [risk_row(owner="spectre")],
    }
    assert validate_with_references(raw) == {
        "product_owner": ["Product owner: there is no active user “nobody”."],
        "owner_team": ["Owner team: there is no team “no-such-team”."],
        "co_authors": [
            "Co-authors: there is no active user “ghost”.",
            "Co-authors: there is no active user “gone”.",
        ],
        "raci.0.person": ["RACI row 1: there is no active user “phantom”."],
        "raci.1.team": ["RACI row 2: there is no team “ghost-team”."],
        "risks.0.owner": ["Risks, row 1: there is no active user “spectre”."],
    }


@pytest.mark.django_db
def test_known_usernames_and_team_slugs_resolve(alice, team, bob):
    other = TeamFactory(slug="platform")
    raw = {
        "title": "Doc",
        "owner_team": team.slug,
        "product_owner": "alice",
        "co_authors": ["bob"],
        "raci": [raci_row("Deploy", "A", person="bob"), raci_row("Deploy", "R", team=other.slug)],
        "risks": [risk_row(owner="alice")],
    }
    assert validate_with_references(raw) == {}


@pytest.mark.django_db
def test_create_refuses_invalid_content_with_every_error(alice, team):
    with pytest.raises(DomainError) as caught:
        designdoc_create(
            user=alice,
            title="Doc",
            owner_team=team,
            content={
                "risks": [risk_row(likelihood=7), risk_row(likelihood=5, impact=5)],
                "co_authors": ["ghost"],
            },
        )
    assert caught.value.status_code == 400
    assert set(caught.value.errors) == {
        "risks.0.likelihood",
        "risks.1.mitigation",
        "risks.1.owner",
        "co_authors",
    }


# --- NUL characters ------------------------------------------------------------------------


@pytest.mark.django_db
def test_nul_characters_are_refused_wherever_they_are_naming_the_field():
    raw = {
        **BASE,
        "owner_team": "sup\x00ply",
        "problem_statement": "a\x00b",
        "raci": [{"activity": "Deploy", "person": "al\x00ice", "role": "A"}],
    }
    errors = validate_with_references(raw)  # must not reach the database with a NUL
    for key in ("owner_team", "problem_statement", "raci.0.person"):
        assert any("NUL" in message for message in errors[key]), (key, errors)


@pytest.mark.embedded
def test_section_nested_too_deep_to_render_is_refused_naming_the_section():
    # Unmatched brackets, which the old parser's guard refused, are ordinary text now.
    errors = validate({**BASE, "data": "[" * 40_000, "problem_statement": "- " * 500 + "x"})
    assert "data" not in errors
    assert errors["problem_statement"] == [
        "problem_statement cannot be rendered: it nests quotes or lists more than 40 levels deep."
    ]


@pytest.mark.embedded
def test_co_authors_are_capped():
    errors = validate({**BASE, "co_authors": [f"user{n}" for n in range(51)]})
    assert errors["co_authors"] == ["A document has at most 50 co-authors."]


@pytest.mark.embedded
@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u00ad"])
def test_a_title_holding_an_invisible_character_is_refused_naming_it(invisible):
    # Else "Churn model" and "Churn model" + U+200B would be two docs that look the same.
    errors = validate({**BASE, "title": f"Churn model{invisible}"})
    assert "invisible characters" in errors["title"][0]


@pytest.mark.embedded
def test_a_title_in_a_script_that_needs_joiners_is_accepted():
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # with a ZWNJ, as Persian needs
    assert "title" not in validate({**BASE, "title": persian})
