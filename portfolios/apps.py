from django.apps import AppConfig


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = "Portfolios"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
