from django.apps import AppConfig


class SellConfig(AppConfig):
    """The vendor workspace under /sell/ (top layer, beside the shop): pages, API, the vendor's digest."""

    name = "marketplace.sell"
    label = "sell"
    verbose_name = "Vendor workspace"
