from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "marketplace.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from marketplace.kernel import checks  # noqa: F401  (registers the configuration checks)

        from . import signals  # noqa: F401
