"""A second URLconf for tests/kernel/test_rendering.py: the same route name at another path."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/vendors/", lambda request: HttpResponse(), name="vendor-list")]
