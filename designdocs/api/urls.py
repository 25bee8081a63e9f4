from designdocs.api.views import DesignDocViewSet


def register_designdoc_routes(router) -> None:
    """Design doc endpoints join the product's one API router (registry/api_urls.py)."""
    router.register("designdocs", DesignDocViewSet, basename="designdoc")
