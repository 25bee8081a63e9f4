"""The product's URLs plus views that fail, for the error page tests."""

from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.urls import path

from registry.urls import handler400, handler403, handler404, handler500  # noqa: F401
from registry.urls import urlpatterns as product_urlpatterns


def crash(request):
    raise RuntimeError("the crash the test asked for")


def missing(request):
    raise Http404("no widget 42")


def suspicious(request):
    raise SuspiciousOperation("a forged header")


urlpatterns = [
    path("test-crash/", crash),
    path("test-missing/", missing),
    path("test-suspicious/", suspicious),
    path("api/test-crash/", crash),
    *product_urlpatterns,
]
