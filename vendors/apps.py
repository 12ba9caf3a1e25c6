from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = "Vendors"

    def ready(self) -> None:
        from . import cache_scopes  # noqa: F401  (which tables feed which cache scopes)
