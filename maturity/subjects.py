"""The kinds of subject an assessment may score: a registry, so that adding one (the
catalogue's Component and ArchitectureExample after the merge) is one `register` call from
this app's `apps.py`, editing no other app.

A subject type says how to reach a subject's owner team and who may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet


@dataclass(frozen=True)
class SubjectType:
    key: str  # "designdoc"
    model_label: str  # "designdocs.designdoc"
    label: str
    #: (user) -> the subjects the user may see
    visible: Callable[[Any], QuerySet]
    #: subject -> its owner team id (or None)
    team_id: Callable[[Any], int | None]


_types: dict[str, SubjectType] = {}


def register(subject_type: SubjectType) -> SubjectType:
    _types[subject_type.key] = subject_type
    return subject_type


def all_types() -> list[SubjectType]:
    return list(_types.values())


def by_key(key: str) -> SubjectType | None:
    return _types.get(key)


def by_model_label(label: str) -> SubjectType | None:
    return next((t for t in _types.values() if t.model_label == label), None)


def of(obj: Any) -> SubjectType | None:
    return by_model_label(obj._meta.label_lower)


def content_type(subject_type: SubjectType) -> ContentType:
    app_label, model = subject_type.model_label.split(".")
    return ContentType.objects.get_by_natural_key(app_label, model)
