from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from registry.core import demo, navigation, panels, printing
        from registry.core.api import routes
        from registry.core.audit import register_actions
        from reviews import audit, rules  # noqa: F401  (rules: permissions)
        from reviews import demo as reviews_demo
        from reviews import panels as reviews_panels
        from reviews import printing as reviews_printing
        from reviews.api import views as api_views

        register_actions(*audit.ACTIONS)
        printing.register_approval_provider(reviews_printing.approval_of)
        for panel in reviews_panels.PANELS:
            panels.register(panel)
        routes.register(
            r"designdocs/(?P<designdoc_pk>[0-9]+)",
            api_views.WorkflowViewSet,
            basename="designdoc-workflow",
        )
        routes.register(
            r"designdocs/(?P<designdoc_pk>[0-9]+)/reviews",
            api_views.ReviewViewSet,
            basename="designdoc-review",
        )
        routes.register(
            r"designdocs/(?P<designdoc_pk>[0-9]+)/comments",
            api_views.CommentViewSet,
            basename="designdoc-comment",
        )
        routes.register("notifications", api_views.NotificationViewSet, basename="notification")
        navigation.register(
            navigation.MenuItem(
                "Reviews",
                "reviews:queue",
                namespace="reviews",
                order=20,
                count=reviews_panels.menu_count,
            )
        )
        demo.register(demo.DemoSeeder("review-docs", reviews_demo.seed_review_docs, order=52))
        demo.register(demo.DemoSeeder("reviews", reviews_demo.seed, order=60))
