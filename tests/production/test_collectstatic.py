"""collectstatic runs under the production settings, as the Dockerfile runs it."""

import json

import pytest

pytestmark = pytest.mark.production


def test_collectstatic_production_writes_manifest_with_hashed_names(production_static_root):
    manifest = json.loads((production_static_root / "staticfiles.json").read_text())["paths"]
    for name in ["css/site.css", "js/insights.js", "vendor/chart.umd.min.js", "vendor/chart.umd.min.js.map"]:
        hashed = manifest[name]
        assert hashed != name
        assert (production_static_root / hashed).is_file()
        assert (production_static_root / f"{hashed}.gz").is_file()
