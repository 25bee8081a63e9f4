"""How Backstage entities map onto the catalogue and back (one place for both ways; see
README.md beside this file)."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from catalogue.choices import ComponentKind, Lifecycle
from catalogue.models import MODEL_URI_RE

MODEL_URI_ANNOTATION = "ml-design-registry.io/model-registry-uri"
#: Our link fields <-> Backstage links of exactly this type and title.
LINK_FIELDS = {
    "repository_url": ("repository", "Repository"),
    "docs_url": ("docs", "Documentation"),
    "dashboard_url": ("dashboard", "Dashboard"),
}
_COMPONENT_TYPES = {
    "service": ComponentKind.SERVICE,
    "website": ComponentKind.SERVICE,
    "library": ComponentKind.LIBRARY,
    "pipeline": ComponentKind.PIPELINE,
    "data-pipeline": ComponentKind.PIPELINE,
    "model": ComponentKind.MODEL,
    "ml-model": ComponentKind.MODEL,
    "dataset": ComponentKind.DATASET,
    "feature-store": ComponentKind.FEATURE_STORE,
    "platform-tool": ComponentKind.PLATFORM_TOOL,
}
_RESOURCE_DATA_TYPES = {"database", "s3-bucket", "bucket", "dataset", "table", "storage"}
#: Our kind -> the spec.type written for a component made in the registry.
EXPORT_TYPES = {
    ComponentKind.SERVICE: "service",
    ComponentKind.PIPELINE: "pipeline",
    ComponentKind.MODEL: "model",
    ComponentKind.DATASET: "dataset",
    ComponentKind.FEATURE_STORE: "feature-store",
    ComponentKind.LIBRARY: "library",
    ComponentKind.PLATFORM_TOOL: "platform-tool",
    ComponentKind.OTHER: "other",
}


def MODEL_URI_OK(value: str) -> bool:
    return bool(MODEL_URI_RE.match(value))


def kind_for(backstage_kind: str, spec_type: str) -> str:
    """Component -> by spec.type (service, website: service; library; pipeline; model;
    dataset; feature-store; platform-tool; else other). API -> other. Resource -> dataset
    for data stores (database, s3-bucket, ...), else platform tool."""
    spec_type = (spec_type or "").lower()
    if backstage_kind == "component":
        return _COMPONENT_TYPES.get(spec_type, ComponentKind.OTHER)
    if backstage_kind == "resource":
        return (
            ComponentKind.DATASET
            if spec_type in _RESOURCE_DATA_TYPES
            else ComponentKind.PLATFORM_TOOL
        )
    return ComponentKind.OTHER


def lifecycle_for(raw: Any, backstage_kind: str) -> str:
    """Backstage accepts any lifecycle text; the registry's four are kept, anything else
    (beta, unknown...) is experimental (the raw value is kept and exported again). A
    Resource has no lifecycle: production."""
    if raw is None:
        return Lifecycle.PRODUCTION if backstage_kind == "resource" else Lifecycle.EXPERIMENTAL
    value = str(raw).strip().lower()
    return value if value in Lifecycle.values else Lifecycle.EXPERIMENTAL


def team_slug(name: str, namespace: str) -> str:
    base = name if namespace == "default" else f"{namespace}-{name}"
    return slugify(base.replace(".", "-").replace("_", "-"))[:100] or "team"


def component_slug(name: str, namespace: str) -> str:
    return team_slug(name, namespace)[:90] or "component"


def username(name: str, namespace: str) -> str:
    return (name if namespace == "default" else f"{name}.{namespace}")[:150]


def _ref_text(raw: Any, entity, default_kind: str) -> str:
    """A reference in its full form (`group:default/team-a`), so that a re-import of an
    export compares equal to what the first import stored."""
    from catalogue.backstage.descriptor import parse_ref

    try:
        return str(parse_ref(raw, default_kind=default_kind, default_namespace=entity.namespace))
    except ValueError:
        return str(raw)


def _common(entity) -> dict[str, Any]:
    meta = entity.metadata
    data: dict[str, Any] = {
        "apiVersion": entity.api_version,
        "kind": {"api": "API"}.get(entity.kind, entity.kind.capitalize()),
        "namespace": entity.namespace,
        "name": entity.name,
    }
    for key in ("labels", "annotations"):
        if meta.get(key):
            data[key] = dict(meta[key])
    if meta.get("links"):
        data["links"] = [dict(link) for link in meta["links"]]
    return data


def group_data(entity) -> dict[str, Any]:
    data = _common(entity)
    data["type"] = entity.spec.get("type", "team")
    if entity.metadata.get("title"):
        data["title"] = entity.metadata["title"]
    if entity.metadata.get("tags"):
        data["tags"] = list(entity.metadata["tags"])
    profile = entity.spec.get("profile") or {}
    if isinstance(profile.get("picture"), str):
        data["picture"] = profile["picture"]
    if entity.spec.get("parent"):
        data["parent"] = _ref_text(entity.spec["parent"], entity, "group")
    return data


def user_data(entity) -> dict[str, Any]:
    data = _common(entity)
    profile = entity.spec.get("profile") or {}
    if isinstance(profile.get("picture"), str):
        data["picture"] = profile["picture"]
    if entity.metadata.get("description"):
        data["description"] = entity.metadata["description"]
    return data


def system_data(entity) -> dict[str, Any]:
    data = _common(entity)
    if entity.metadata.get("tags"):
        data["tags"] = list(entity.metadata["tags"])
    data["owner"] = _ref_text(entity.spec["owner"], entity, "group")
    data["spec"] = {k: v for k, v in entity.spec.items() if k != "owner"}
    return data


def component_fields(entity) -> dict[str, Any]:
    """The Component row's fields for a Component, API or Resource entity, and what is
    kept of the descriptor in `backstage`."""
    spec = entity.spec
    data = _common(entity)
    annotations = dict(data.get("annotations", {}))
    model_uri = annotations.pop(MODEL_URI_ANNOTATION, "")
    if annotations:
        data["annotations"] = annotations
    else:
        data.pop("annotations", None)
    fields: dict[str, Any] = {name: "" for name in LINK_FIELDS}
    kept_links = []
    for link in data.get("links", []):
        for name, (link_type, title) in LINK_FIELDS.items():
            if (link.get("type"), link.get("title")) == (link_type, title) and not fields[name]:
                fields[name] = link["url"]
                break
        else:
            kept_links.append(link)
    if kept_links:
        data["links"] = kept_links
    else:
        data.pop("links", None)
    data["type"] = spec.get("type", "")
    if "lifecycle" in spec:
        data["lifecycle"] = str(spec["lifecycle"])
    data["owner"] = _ref_text(spec["owner"], entity, "group")
    data["spec"] = {
        k: v for k, v in spec.items() if k not in ("type", "lifecycle", "owner", "dependsOn")
    }
    if not data["spec"]:
        data.pop("spec")
    fields.update(
        kind=kind_for(entity.kind, spec.get("type", "")),
        lifecycle=lifecycle_for(spec.get("lifecycle"), entity.kind),
        model_registry_uri=model_uri,
        backstage=data,
    )
    return fields
