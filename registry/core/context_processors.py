from django.conf import settings


def registry(request):
    return {"registry_version": settings.REGISTRY_VERSION}
