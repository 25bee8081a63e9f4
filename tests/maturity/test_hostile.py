"""Hostile input on every maturity and lifecycle endpoint: NUL, lone surrogates, deep
nesting, wrong types, huge counts. Always a 4xx naming the problem, never a 5xx, nothing
written."""

from __future__ import annotations

import json

import pytest

from designdocs.models import DesignDoc, LifecycleTransition
from maturity.models import Assessment, Classification, MaturityModel
from registry.core.models import AuditEvent
from registry.core.testing.hostile import HOSTILE_STRINGS, WRONG_CHOICE_VALUES
from tests.designdocs.factories import FullDesignDocFactory

pytestmark = pytest.mark.django_db


def deep(n: int):
    value: list = []
    for _ in range(n):
        value = [value]
    return value


VALUES = {**HOSTILE_STRINGS, **WRONG_CHOICE_VALUES, "deep": deep(600), "huge-list":
          ["a"] * 20000, "number": 10**30}  # fmt: skip


def endpoints(doc):
    return {
        "transition": (f"/api/designdocs/{doc.pk}/transition/", ["to", "reason"]),
        "classification": (
            f"/api/designdocs/{doc.pk}/classification/",
            ["art5_practices", "annex_iii_point", "art6_3_condition", "art50_transparency"],
        ),
        "assessments": ("/api/assessments/", ["subject_type", "subject_id", "model", "answers"]),
        "maturity-models": ("/api/maturity-models/", ["slug", "name", "rule", "categories"]),
    }


BASES = {
    "transition": lambda doc: {"to": "data_preparation", "reason": "ok"},
    "classification": lambda doc: {"annex_iii_point": "", "art50_transparency": False},
    "assessments": lambda doc: {"subject_type": "designdoc", "subject_id": doc.pk,
                                "model": "ml-test-score", "answers": {"data-1": "manual"}},
    "maturity-models": lambda doc: {"slug": "x", "name": "X", "rule": "weighted",
                                    "categories": []},
}  # fmt: skip


def state():
    return (
        LifecycleTransition.objects.count(), Classification.objects.count(),
        Assessment.objects.count(), MaturityModel.objects.count(), AuditEvent.objects.count(),
        list(DesignDoc.objects.values_list("stage", "risk_tier", "version")),
    )  # fmt: skip


@pytest.mark.parametrize("endpoint", list(BASES))
@pytest.mark.parametrize("value_name", list(VALUES))
def test_hostile_values_are_refused_with_a_4xx_and_nothing_is_written(
    token_client, superuser, alice, team, endpoint, value_name
):
    doc = FullDesignDocFactory(owner_team=team, product_owner=alice)
    user = superuser if endpoint == "maturity-models" else alice
    client = token_client(user)
    url, fields = endpoints(doc)[endpoint]
    for field in fields:
        before = state()
        body = {**BASES[endpoint](doc), field: VALUES[value_name]}
        response = client.post(
            url, json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass"),
            content_type="application/json",
        )  # fmt: skip
        assert response.status_code < 500, (endpoint, field, response.content[:300])
        if response.status_code >= 400:
            assert state() == before, (endpoint, field)
            assert response.json()["message"]
        else:
            # Accepted only where the value is a legal answer (false, "" for a choice that
            # means none); then it is stored as sent.
            assert value_name in ("false", "empty-text", "null", "empty-list", "empty-object"), (
                endpoint,
                field,
            )
