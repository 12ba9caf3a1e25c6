from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "marketplace.shop"
    label = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from . import (
            cache_scopes,  # noqa: F401  (which tables feed which cache scopes)
            receivers,  # noqa: F401
        )
