"""Project-level pages that span the apps: home dashboard, search, reviews and maturity."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "home.html", {})


@login_required
def search(request):
    return render(request, "search.html", {"q": request.GET.get("q", "")})


@login_required
def reviews(request):
    return render(request, "reviews.html", {})


@login_required
def maturity(request):
    return render(request, "maturity.html", {})
