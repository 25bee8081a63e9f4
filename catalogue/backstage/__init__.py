"""Backstage interop: catalog-info.yaml in (importer) and out (exporter)."""
