from django.conf import settings

from registry.core.navigation import menu_items


def registry(request):
    return {
        "registry_version": settings.REGISTRY_VERSION,
        "menu_items": [
            {"label": item.label, "url": item.url, "current": item.is_current(request)}
            for item in menu_items()
        ],
    }
