from django.apps import AppConfig


class MaturityConfig(AppConfig):
    name = "maturity"
    verbose_name = "Maturity and risk"

    def ready(self) -> None:
        from designdocs.dashboard import DESIGNDOC_PANELS
        from designdocs.models import DesignDoc
        from designdocs.selectors import with_content
        from maturity import audit, evidence, panels, rules, subjects  # noqa: F401
        from maturity import demo as maturity_demo
        from maturity import printing as maturity_printing
        from maturity.api.views import (
            AssessmentViewSet,
            ClassificationViewSet,
            MaturityModelViewSet,
        )
        from maturity.selectors import maturity_facts
        from registry.core import demo, facts, navigation
        from registry.core import panels as core_panels
        from registry.core.api import routes
        from registry.core.audit import register_actions

        register_actions(*audit.ACTIONS)
        maturity_printing.register()
        subjects.register(
            subjects.SubjectType(
                key="designdoc",
                model_label="designdocs.designdoc",
                label="Design doc",
                visible=lambda user: with_content(DesignDoc.objects.restrict(user, "view")),
                team_id=lambda doc: doc.owner_team_id,
            )
        )
        from catalogue.models import ArchitectureExample, Component

        for key, model, label in (
            ("component", Component, "Component"),
            ("architecture", ArchitectureExample, "Architecture example"),
        ):
            subjects.register(
                subjects.SubjectType(
                    key=key,
                    model_label=model._meta.label_lower,
                    label=label,
                    visible=lambda user, model=model: model.objects.restrict(user, "view"),
                    team_id=lambda obj: obj.owner_team_id,
                )
            )
            facts.register(facts.FactProvider("maturity", model._meta.label_lower, maturity_facts))
        for check in (*evidence.DESIGNDOC_CHECKS, *evidence.CATALOGUE_CHECKS):
            evidence.register(check)
        facts.register(facts.FactProvider("maturity", "designdocs.designdoc", maturity_facts))
        core_panels.register(
            core_panels.Panel(
                "maturity-of-doc", "maturity/panels/doc.html", context=panels.doc_panel,
                slot=DESIGNDOC_PANELS,
            )
        )  # fmt: skip
        panels.register_catalogue_panels()
        routes.register("maturity-models", MaturityModelViewSet, basename="maturitymodel")
        routes.register("assessments", AssessmentViewSet, basename="assessment")
        routes.register(
            r"designdocs/(?P<designdoc_pk>\d+)/classification",
            ClassificationViewSet,
            basename="designdoc-classification",
        )
        navigation.register(
            navigation.MenuItem("Maturity", "maturity:portfolio", namespace="maturity", order=30)
        )
        demo.register(demo.DemoSeeder("maturity", maturity_demo.seed, order=55))
        from maturity import search as maturity_search  # the band facet of the one search

        maturity_search.register()
