"""The project's settings (from the environment, production ones when DJANGO_DEBUG=0) with the benchmark's
minimal view added to the URLs: used only by gunicorn under bench/pages_bench.py."""

from marketplace.settings import *  # noqa: F403

ROOT_URLCONF = "bench.minimal_view"
