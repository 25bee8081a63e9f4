from django.conf import settings

from registry.core.navigation import menu_items


def registry(request):
    return {
        "registry_version": settings.REGISTRY_VERSION,
        "menu_items": [
            {
                "label": item.label,
                "url": item.url,
                "current": item.is_current(request),
                "count": item.count(request) if item.count else None,
            }
            for item in menu_items()
        ],
    }
