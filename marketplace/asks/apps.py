from django.apps import AppConfig


class AsksConfig(AppConfig):
    """Asks and offers: /asks/ for consumers, /sell/asks/ for vendors, /api/v1/asks/ and /api/v1/sell/asks/."""

    name = "marketplace.asks"
    label = "asks"
    verbose_name = "Asks and offers"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (partnership ended, vendor suspended: live offers lapse)
