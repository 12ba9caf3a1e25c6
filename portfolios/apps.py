from django.apps import AppConfig


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = "Portfolios"

    def ready(self) -> None:
        from . import (
            cache_scopes,  # noqa: F401  (which tables feed which cache scopes)
            receivers,  # noqa: F401
        )
