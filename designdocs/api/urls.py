def register_designdoc_routes(router) -> None:
    """Design doc endpoints join the product's one API router."""
