from django.apps import AppConfig


class CachingConfig(AppConfig):
    """The caching package is an app only for its table of durable scope versions (models.ScopeVersion)."""

    name = "marketplace.kernel.caching"
    label = "caching"
    default_auto_field = "django.db.models.BigAutoField"
