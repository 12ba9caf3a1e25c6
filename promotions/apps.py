from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "promotions"
    verbose_name = "Promotions"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
