"""Page-level helpers: the project's URLs that take no parameter, for checks over every page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def parameterless_urls(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every URL of the project that takes no parameter; of the admin, its index only.

    New pages join checks built on this automatically (CSP, static manifest, no 500s).
    """
    resolver = resolver or get_resolver()
    urls = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if any(marker in route for marker in ("<", "(", "*", "+", "?")):
            continue
        route = route.lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            if route == "admin/":
                urls.append("/" + prefix + route)
            else:
                urls.extend(parameterless_urls(pattern, prefix + route))
        elif isinstance(pattern, URLPattern):
            urls.append("/" + prefix + route)
    return sorted(set(urls))
