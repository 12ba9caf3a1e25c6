from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run` and the benchmarks (`manage.py seed_demo`): a room of its own above every
    layer, since it writes through all of them."""

    name = "marketplace.demo"
    label = "demo"
    verbose_name = "Demo data"
