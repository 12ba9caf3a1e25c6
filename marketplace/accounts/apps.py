from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "marketplace.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from marketplace.kernel import checks  # noqa: F401  (registers the configuration checks)

        from . import (
            cache_scopes,  # noqa: F401  (which tables feed which cache scopes)
            signals,  # noqa: F401
        )
