"""
WSGI config for marketplace project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

application = get_wsgi_application()

from marketplace.kernel.checks import NO_DATABASE, database_missing  # noqa: E402 (needs the settings)

if database_missing():  # a site with no database would answer every page with an error: refuse to start
    raise ImproperlyConfigured(NO_DATABASE)
