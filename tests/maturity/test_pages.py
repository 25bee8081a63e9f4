"""Maturity on the pages of components, architecture examples and design docs (badge with
score, band, model and date or "not assessed"; a box with the scorecard and an "Assess"
link), the registered facts on the list pages at a fixed number of queries, and the
assessment form page (registry.core.testing.pages cases)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designdocs.models import DesignDoc
from maturity.models import Answer, Assessment, MaturityModel
from maturity.services import assessment_create
from registry.core.testing.pages import PageViewTestCases, assert_error_next_to_field
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.designdocs.factories import DesignDocFactory, FullDesignDocFactory
from tests.maturity.test_assessments import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def mts():
    return MaturityModel.objects.prefetch_related("categories", "items", "bands").get(
        slug="ml-test-score"
    )


def answered(model_slug: str = "ml-test-score", **fields) -> dict:
    """What the browser posts: every item's answer ("no" unless given) and `fields`."""
    items = MaturityModel.objects.get(slug=model_slug).items.values_list("code", flat=True)
    return {"model": model_slug, **{f"{code}__value": "no" for code in items}, **fields}


def assess_url(subject, kind: str, model: str | None = None) -> str:
    url = reverse("maturity:assess", kwargs={"subject_type": kind, "pk": subject.pk})
    return f"{url}?model={model}" if model else url


@pytest.mark.parametrize(
    ("factory", "kind"), [(ComponentFactory, "component"), (ArchitectureFactory, "architecture")]
)
def test_catalogue_pages_show_current_maturity_scorecard_and_assess_link(
    client, alice, dave, team, mts, factory, kind
):
    entry = factory(owner_team=team)
    client.force_login(alice)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert 'title="Maturity: no assessment yet">Not assessed</span>' in page
    assert "Evidence from the registry" in page and "Owner team set" in page
    assert f'href="{assess_url(entry, kind)}"' in page

    assessment = assessment_create(actor=alice, subject=entry, model=mts, answers=every(3, mts))
    page = client.get(entry.get_absolute_url()).content.decode()
    day = assessment.assessed_at.strftime("%-d %b %Y")
    assert f"ML Test Score 3.00 · band 3 · {day}</a>" in page
    assert "Not assessed" not in page
    assert "What next" in page

    client.force_login(dave)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "ML Test Score 3.00 · band 3" in page
    assert assess_url(entry, kind) not in page


def test_the_doc_page_links_to_the_assessment_form(client, alice, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    client.force_login(alice)
    assert (
        f'href="{assess_url(doc, "designdoc")}"'
        in client.get(doc.get_absolute_url()).content.decode()
    )


LISTS = [
    ("designdocs:designdoc_list", lambda team, alice: DesignDocFactory(owner_team=team, product_owner=alice)),
    ("catalogue:component_list", lambda team, alice: ComponentFactory(owner_team=team)),
    ("catalogue:browse", lambda team, alice: ArchitectureFactory(owner_team=team)),
]  # fmt: skip


@pytest.mark.parametrize(("url_name", "make"), LISTS, ids=[u for u, _ in LISTS])
def test_list_pages_show_each_rows_maturity_at_a_fixed_number_of_queries(
    client, alice, team, mts, url_name, make
):
    client.force_login(alice)
    url = reverse(url_name)
    first = make(team, alice)
    assessment_create(actor=alice, subject=first, model=mts, answers=every(2, mts))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert page.count("ML Test Score 2.00 · band 2</a>") == 1
    assert page.count(">Not assessed</span>") == 0
    for n in range(3):
        row = make(team, alice)
        if n:
            assessment_create(actor=alice, subject=row, model=mts, answers=every(3, mts))
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert len(four) == len(one), "\n".join(q["sql"] for q in four.captured_queries)
    assert page.count("ML Test Score 3.00 · band 3</a>") == 2
    assert page.count(">Not assessed</span>") == 1
    assert re.search(
        r'href="/maturity/assessments/\d+/" title="Maturity: ML Test Score 2\.00', page
    )


# --- the assessment form page ---------------------------------------------------------------


class TestAssessmentPage(PageViewTestCases.EditPageTestCase):
    """Assessing a design doc: the page writes an Assessment of the doc."""

    model = DesignDoc
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "alice"  # product owner in `team`
    forbidden_writer = "viewer"
    write_url_name = "maturity:assess"
    audit_action = "maturity.assess"
    invalid_field = "data-1__links"
    invalid_message = "is not a link"

    @pytest.fixture(autouse=True)
    def _team(self, team, alice, published_rubrics):
        self.team, self.alice = team, alice

    def make_object(self):
        return FullDesignDocFactory(owner_team=self.team, product_owner=self.alice)

    def url_kwargs(self, obj):
        return {"subject_type": "designdoc", "pk": obj.pk}

    def state(self, obj=None):
        return (super().state(obj), Assessment.objects.count(), Answer.objects.count())

    def valid_data(self, obj):
        return answered(
            notes="First pass.",
            **{
                "data-1__value": "automated",
                "data-1__links": "https://ci.example.com/run/1\n/designdocs/",
                "data-1__comment": "CI",
                "model-2__value": "manual",
            },
        )

    def invalid_data(self, obj):
        return {**self.valid_data(obj), "data-1__links": "ftp://nowhere"}

    def written(self, obj, response):
        assessment = Assessment.objects.order_by("-pk").first()
        assert assessment is not None and response["Location"] == assessment.get_absolute_url()
        return assessment

    def assert_written(self, obj, data):
        answers = {a.item.code: a for a in obj.answers.select_related("item")}
        assert answers["data-1"].value == "automated"
        assert answers["data-1"].evidence_links == ["https://ci.example.com/run/1", "/designdocs/"]
        assert answers["data-1"].comment == "CI"
        assert answers["model-2"].value == "manual" and answers["infra-1"].value == "no"
        assert (obj.assessor, obj.notes, obj.model.slug) == (
            self.alice,
            "First pass.",
            "ml-test-score",
        )


def test_the_form_shows_the_not_applicable_rule_and_prefills_from_evidence(client, alice, team):
    doc = FullDesignDocFactory(owner_team=team, product_owner=alice)
    model = MaturityModel.objects.get(slug="marvelous-mlops")
    client.force_login(alice)
    page = client.get(assess_url(doc, "designdoc", "marvelous-mlops")).content.decode()
    assert model.not_applicable_rule in page.replace("&#x27;", "'").replace("&quot;", '"')
    # RACI complete (1.1.2) passes on a full doc: proposed "yes", with a link to the RACI.
    assert selected(page, "1.1.2__value") == "yes"
    assert f"{doc.get_absolute_url()}#section-raci" in page
    # An item without evidence (1.2.1) is proposed "no".
    assert selected(page, "1.2.1__value") == "no"


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'<option value="([^"]*)" selected>', select.group(1))[0]


def test_a_bad_answer_shows_beside_its_item_and_writes_nothing(client, alice, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    client.force_login(alice)
    response = client.post(assess_url(doc, "designdoc"),
                           answered(**{"data-1__value": "yes"}))  # fmt: skip
    assert response.status_code == 400
    assert_error_next_to_field(response.content.decode(), "data-1__value", "Select a valid choice")
    assert not Assessment.objects.exists()


def test_a_refusal_of_the_service_shows_beside_its_field_and_writes_nothing(client, alice, team):
    """The form lets 21 links through; the service refuses them (at most 20)."""
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    client.force_login(alice)
    links = "\n".join(f"https://ci.example.com/run/{n}" for n in range(21))
    response = client.post(assess_url(doc, "designdoc"),
                           answered(**{"data-2__value": "manual",
                                     "data-2__links": links}))  # fmt: skip
    assert response.status_code == 400
    assert_error_next_to_field(response.content.decode(), "data-2__links", "at most 20")
    assert not Assessment.objects.exists() and not Answer.objects.exists()


@pytest.mark.parametrize(
    "path", ["/maturity/assess/teams/1/", "/maturity/assess/designdoc/999999/"]
)
def test_an_unknown_subject_kind_or_id_is_404(client, alice, path):
    client.force_login(alice)
    assert client.get(path).status_code == 404


def test_an_unknown_model_is_404(client, alice, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    client.force_login(alice)
    assert client.get(assess_url(doc, "designdoc", "nonsense")).status_code == 404


def test_a_component_is_assessed_through_the_page(client, alice, team, mts):
    component = ComponentFactory(owner_team=team)
    client.force_login(alice)
    response = client.post(assess_url(component, "component"),
                           answered(**{"monitor-1__value": "automated"}))  # fmt: skip
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.subject == component and assessment.team == team


def test_the_form_starts_from_the_latest_assessment_so_an_unchanged_post_keeps_the_score(
    client, alice, team, mts
):
    component = ComponentFactory(owner_team=team)
    first = assessment_create(actor=alice, subject=component, model=mts, answers=every(2, mts))
    client.force_login(alice)
    page = client.get(assess_url(component, "component")).content.decode()
    assert first.get_absolute_url() in page  # says where the answers come from
    posted = {"model": "ml-test-score", "notes": ""}
    for item in mts.items.all():
        value = selected(page, f"{item.code}__value")
        posted[f"{item.code}__value"] = value
    answered_before = {a.item.code: a.value for a in first.answers.select_related("item")}
    assert {c: posted[f"{c}__value"] for c in answered_before} == answered_before
    assert client.post(assess_url(component, "component"), posted).status_code == 302
    second = Assessment.objects.exclude(pk=first.pk).get()
    assert second.score == first.score and second.band == first.band
