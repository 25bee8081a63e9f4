"""Demo data of reviews: documents waiting for review (some overdue), approved, changes
requested, approved then edited (a stale approval), superseded."""

from __future__ import annotations


def seed() -> str:
    from reviews.demo_data import seed_reviews

    return seed_reviews()


def seed_review_docs() -> str:
    from reviews.demo_data import seed_review_docs

    return seed_review_docs()
