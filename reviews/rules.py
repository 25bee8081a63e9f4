"""Who may do what in review, declared once per action (registry.core.permissions).

- submit, withdraw, archive, supersede a document: whoever may change it (its product
  owner, co-authors, and the product owners and architects of its owner team);
- decide (comment, request changes) and approve: architects who are not its authors (the
  product owner and co-authors never review their own document, superusers included: the
  service asks `not_author` as well);
- comment in a thread, resolve and reopen: whoever may change the document, and architects;
- reviews, review requests and comments are visible with their document; a notification
  to its recipient only.
"""

from __future__ import annotations

from django.db.models import Q

from designdocs import rules as designdoc_rules
from designdocs.models import DesignDoc
from registry.core import permissions
from registry.core.permissions import ALL, NONE, FieldIsUser, Filter, Predicate
from registry.core.roles import is_architect
from reviews.models import Comment, Notification, Review, ReviewRequest


class NotAuthor(Predicate):
    """The user is neither the document's product owner nor one of its co-authors."""

    def as_q(self, user, model) -> Filter:
        co_authored = DesignDoc.objects.filter(co_authors=user.pk).values("pk")
        return ~Q(product_owner_id=user.pk) & ~Q(pk__in=co_authored)

    def holds(self, user, obj) -> bool:
        if obj.product_owner_id == user.pk:
            return False
        return not any(member.pk == user.pk for member in obj.co_authors.all())


class OnDoc(Predicate):
    """`predicate` (a rule about design docs) holds for the object's `design_doc`."""

    def __init__(self, predicate: Predicate, field: str = "design_doc") -> None:
        self.predicate = predicate
        self.field = field

    def as_q(self, user, model) -> Filter:
        condition = self.predicate.as_q(user, DesignDoc)
        if condition is ALL or condition is NONE:
            return condition
        return Q(**{f"{self.field}_id__in": DesignDoc.objects.filter(condition).values("pk")})

    def holds(self, user, obj) -> bool:
        return self.predicate.holds(user, getattr(obj, self.field))


not_author = NotAuthor()
may_view_doc = permissions.rule_for("designdocs.view_designdoc").predicate
may_change_doc = designdoc_rules.may_change
may_review = is_architect & not_author
may_comment = may_change_doc | is_architect

permissions.register(DesignDoc, "submit", may_change_doc, permission="reviews.submit_designdoc")
permissions.register(DesignDoc, "withdraw", may_change_doc, permission="reviews.withdraw_designdoc")
permissions.register(DesignDoc, "archive", may_change_doc, permission="reviews.archive_designdoc")
permissions.register(
    DesignDoc, "supersede", may_change_doc, permission="reviews.supersede_designdoc"
)
permissions.register(DesignDoc, "review", may_review, permission="reviews.review_designdoc")
permissions.register(DesignDoc, "approve", may_review, permission="reviews.approve_designdoc")
permissions.register(DesignDoc, "comment", may_comment, permission="reviews.comment_designdoc")

permissions.register(ReviewRequest, "view", OnDoc(may_view_doc))
permissions.register(Review, "view", OnDoc(may_view_doc))
permissions.register(Comment, "view", OnDoc(may_view_doc))
permissions.register(Comment, "resolve", OnDoc(may_comment))
permissions.register(Notification, "view", FieldIsUser("recipient"))
permissions.register(Notification, "change", FieldIsUser("recipient"))
