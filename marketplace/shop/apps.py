from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "marketplace.shop"
    label = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
