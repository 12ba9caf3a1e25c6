from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "promotions"
    verbose_name = "Promotions"

    def ready(self) -> None:
        from . import (
            cache_scopes,  # noqa: F401  (which tables feed which cache scopes)
            receivers,  # noqa: F401
        )
