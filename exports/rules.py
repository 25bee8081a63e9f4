"""Who may do what with PDF exports, declared once per action.

An export is seen by whoever may see what it prints: a design doc's exports by the
readers of the doc (the PDF is the doc), a registered subject's by its requester (the
subject's own check ran when it was asked for, and its key may carry a filter).
"""

from exports.models import PdfExport
from registry.core import permissions
from registry.core.permissions import FieldIsUser, Predicate
from registry.core.roles import has_any_role


class DocVisible(Predicate):
    """The export prints a design doc the user may view (designdocs.rules, through the
    permission engine: its queryset face is a subquery of the visible docs)."""

    def as_q(self, user, model):
        from django.db.models import Q

        from designdocs.models import DesignDoc

        visible = DesignDoc.objects.restrict(user, "view").values("pk")
        return Q(design_doc__in=visible)

    def holds(self, user, obj) -> bool:
        return obj.design_doc_id is not None and user.has_perm(
            "designdocs.view_designdoc", obj.design_doc
        )


may_view = DocVisible() | (FieldIsUser("requested_by") & has_any_role)

permissions.register(PdfExport, "view", may_view)
# Retry a failed export: whoever may see it (it prints the same thing again).
permissions.register(PdfExport, "retry", may_view)
