"""Pages of maturity: the portfolio, the models, an assessment (with what next), the
comparison of two assessments, and the questionnaire's POST from the doc page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from designdocs.models import DesignDoc
from maturity import evidence, scoring, services, subjects
from maturity.forms import AssessmentForm, ClassificationForm
from maturity.models import Assessment
from maturity.selectors import (
    PRIMARY_MODEL,
    assessment_detail,
    compare,
    latest_with_answers,
    model_list,
    portfolio,
    what_next_of,
)
from registry.core.errors import DomainError
from registry.core.text import parse_count


@login_required
@require_GET
def portfolio_view(request: HttpRequest) -> HttpResponse:
    return render(request, "maturity/portfolio.html", {"p": portfolio(user=request.user)})


@login_required
@require_GET
def model_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "maturity/model_list.html", {"models": model_list(user=request.user)})


@login_required
@require_GET
def model_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    model = get_object_or_404(model_list(user=request.user), slug=slug)
    return render(request, "maturity/model_detail.html", {"model": model})


@login_required
@require_GET
def assessment_view(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(assessment_detail(user=request.user), pk=pk)
    return render(
        request,
        "maturity/assessment_detail.html",
        {"a": assessment, "next_steps": what_next_of(assessment)},
    )


@login_required
@require_GET
def compare_view(request: HttpRequest) -> HttpResponse:
    ids = [parse_count(request.GET.get(n)) for n in ("a", "b")]
    if None in ids:
        raise Http404("Pick two assessments to compare.")
    a, b = (get_object_or_404(assessment_detail(user=request.user), pk=i) for i in ids)
    if (a.subject_type_id, a.subject_id, a.model_id) != (
        b.subject_type_id,
        b.subject_id,
        b.model_id,
    ):
        messages.error(request, "Compare two assessments of the same subject and model.")
        return redirect("maturity:assessment", pk=a.pk)
    return render(request, "maturity/compare.html", {"a": a, "b": b, "rows": compare(a, b)})


@login_required
@require_POST
def classify_view(request: HttpRequest, slug: str) -> HttpResponse:
    doc = get_object_or_404(DesignDoc.objects.restrict(request.user, "view"), slug=slug)
    form = ClassificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The questionnaire was not saved: " + "; ".join(
            f"{form.fields[k].label} {' '.join(v)}" for k, v in form.errors.items()
            if k in form.fields))  # fmt: skip
        return redirect(f"{doc.get_absolute_url()}#classification")
    try:
        classification = services.classification_answer(
            doc=doc, actor=request.user, answers=form.answers()
        )
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Classified: {classification.get_tier_display()}. The reasons are listed."
        )
    return redirect(f"{doc.get_absolute_url()}#classification")


@login_required
@require_http_methods(["GET", "POST"])
def assess_view(request: HttpRequest, subject_type: str, pk: int) -> HttpResponse:
    """Assess a subject against a chosen model (`?model=<slug>`, the ML Test Score by
    default): one answer per item with its evidence, the items a passing check of the
    registry evidences pre-filled with a link to it. Posts through
    maturity.services.assessment_create; an error shows beside its field, nothing written."""
    kind = subjects.by_key(subject_type)
    if kind is None:
        raise Http404("No such kind of subject.")
    subject = get_object_or_404(kind.visible(request.user), pk=pk)
    if not request.user.has_perm(
        "maturity.add_assessment", Assessment(team_id=kind.team_id(subject))
    ):
        raise PermissionDenied("Only product owners and architects of its team assess it.")
    models = list(model_list(user=request.user))
    slug = request.POST.get("model") or request.GET.get("model") or PRIMARY_MODEL
    model = next((m for m in models if m.slug == slug), None)
    if model is None:
        raise Http404("No such maturity model.")
    categories = {c.pk: c for c in model.categories.all()}
    items = list(model.items.all())
    for item in items:  # the prefetched categories, not a query per item
        item.category = categories[item.category_id]
    found = evidence.evidence_for(subject, model.slug)
    # Start from the subject's latest assessment against this model (submitting the page
    # unchanged must not silently lower its score), then let the registry's evidence fill
    # what that left unanswered.
    previous = latest_with_answers(subject, model=model, user=request.user)
    initial = {}
    for answer in previous.answers.all() if previous else ():
        code = answer.item.code
        initial[AssessmentForm.value_name(code)] = answer.value
        initial[AssessmentForm.links_name(code)] = "\n".join(answer.evidence_links)
        initial[AssessmentForm.comment_name(code)] = answer.comment
    for code, row in found.items():
        value_name = AssessmentForm.value_name(code)
        if (
            scoring.YES in scoring.ANSWERS_BY_RULE[model.rule]
            and initial.get(value_name, "no") == "no"
        ):
            initial[value_name] = "yes"
        if not initial.get(AssessmentForm.links_name(code)):
            initial[AssessmentForm.links_name(code)] = row.finding.url
        if not initial.get(AssessmentForm.comment_name(code)):
            initial[AssessmentForm.comment_name(code)] = f"{row.check.label}: {row.finding.detail}"
    form = AssessmentForm(request.POST or None, model=model, items=items, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assessment = services.assessment_create(
                    actor=request.user, subject=subject, model=model, answers=form.answers(),
                    notes=form.cleaned_data["notes"],
                )  # fmt: skip
            except DomainError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied(exc.message) from None
                for field, messages_ in (exc.errors or {None: [exc.message]}).items():
                    for message in messages_:
                        form.add_error(form.field_of_error(field, message), message)
            else:
                messages.success(
                    request, f"Assessed: {model.name} {assessment.score}, band {assessment.band}."
                )
                return redirect(assessment.get_absolute_url())
        status = 400
    return render(
        request,
        "maturity/assess.html",
        {"subject": subject, "kind": kind, "model": model, "models": models, "form": form,
         "evidence": found, "previous": previous},
        status=status,
    )  # fmt: skip
