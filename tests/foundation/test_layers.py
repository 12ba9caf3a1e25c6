"""The apps are layers and every import points down (STYLE.md): a module may import its own app and the apps
below it, never one above. Walks every module of the project (not tests, not migrations), function-local
imports included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top. The storefront (shop) and the vendor workspace (sell) share the top; sell may use shop's
# selectors and services, shop never reaches into the workspace.
LAYERS = {
    "marketplace.accounts": 0,
    "vendors": 1,
    "portfolios": 2,
    "promotions": 3,
    "marketplace.shop": 4,
    # Asks place their orders through the shop's checkout; the workspace may show their aggregates.
    "marketplace.asks": 5,
    "marketplace.sell": 6,
    # The demo data writes through every layer, so it sits above them all.
    "marketplace.demo": 7,
}
# The kernel (marketplace/kernel/, one package): every module in it may be used by every layer and imports no
# app. Its membership is the package itself, read here, not a list kept beside it.
KERNEL = "marketplace.kernel"
# The embedded servers' package (marketplace/embedded/): run by make and imported by the settings, no app.
EMBEDDED = "marketplace.embedded"
# Wiring at the very top: URL configurations, settings, the Celery app, the health check.
WIRING = {
    "marketplace.urls",
    "marketplace.api_urls",
    "marketplace.settings",
    "marketplace.celery",
    "marketplace.wsgi",
    "marketplace.asgi",
    "marketplace.health",
    "marketplace.tasks",
    "marketplace.api_schema",
    "marketplace.context_processors",
    "marketplace.embedded",
    "marketplace",
}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _in_kernel(module: str) -> bool:
    return module == KERNEL or module.startswith(KERNEL + ".")


def _layer_of(module: str) -> tuple[str, int] | None:
    for app, layer in sorted(LAYERS.items(), key=lambda item: -len(item[0])):
        if module == app or module.startswith(app + "."):
            return app, layer
    return None


def _project_modules(root: Path) -> list[Path]:
    paths = []
    for top in ("marketplace", "vendors", "portfolios", "promotions"):
        for path in (root / top).rglob("*.py"):
            if "migrations" not in path.parts:
                paths.append(path)
    return paths


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    module = _module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def _violations(root: Path = ROOT) -> list[str]:
    problems = []
    for path in _project_modules(root):
        module = _module_name(path, root)
        if module in WIRING or module.startswith(EMBEDDED + "."):
            continue
        own = _layer_of(module)
        for lineno, target in _imports(path, root):
            if not target.startswith(("marketplace", "vendors", "portfolios", "promotions")):
                continue
            theirs = _layer_of(target)
            where = f"{path.relative_to(root)}:{lineno} imports {target}"
            if _in_kernel(module):
                if theirs is not None:
                    problems.append(f"{where} (shared modules import no app)")
            elif theirs is not None and own is not None and theirs[1] > own[1]:
                problems.append(f"{where} ({own[0]} sits below {theirs[0]})")
            elif theirs is None and not _in_kernel(target):
                if target.split(".")[:2] != ["marketplace", "celery"] and target != "marketplace":
                    problems.append(f"{where} (an app must not import project wiring)")
    return problems


def test_every_import_points_down_the_layers():
    assert _violations() == []


def test_layer_walk_reports_upward_and_local_imports(tmp_path):
    """The walk can fail: upward imports, relative or inside a function, are reported; downward ones are not."""
    (tmp_path / "vendors" / "moderation").mkdir(parents=True)
    (tmp_path / "vendors" / "moderation" / "probe.py").write_text(
        "from marketplace.accounts.models import User\n"
        "from ...portfolios.models import VendorDailyStat\n"
        "def scan():\n    from marketplace.shop.models import Order\n"
    )
    assert _violations(root=tmp_path) == [
        "vendors/moderation/probe.py:2 imports portfolios.models (vendors sits below portfolios)",
        "vendors/moderation/probe.py:2 imports portfolios.models.VendorDailyStat (vendors sits below portfolios)",
        "vendors/moderation/probe.py:4 imports marketplace.shop.models (vendors sits below marketplace.shop)",
        "vendors/moderation/probe.py:4 imports marketplace.shop.models.Order (vendors sits below marketplace.shop)",
    ]
