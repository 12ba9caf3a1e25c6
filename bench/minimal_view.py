"""The floor the page benchmark compares with: a minimal Django view that renders one vendor and its 20
products through the same middleware, template engine and database, and nothing else.

Served only by bench/pages_bench.py (its settings module, bench/settings.py, points ROOT_URLCONF here):
`/bench/minimal/<slug>/`, then every URL of the site unchanged. `/bench/minimal-signed-in/<slug>/` is the same
page for a signed-in visitor, who is named in it as every page's header names them (the session and the user
read, as any signed-in page does): the floor of a signed-in page. It answers 403 to anyone not signed in.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import engines
from django.urls import include, path

from vendors.models import Vendor

TEMPLATE = engines["django"].from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ vendor.name }}</title></head>
<body><h1>{{ vendor.name }}</h1><p>{{ vendor.description }}</p>
<ul>{% for product in products %}<li>{{ product.name }}: £{{ product.price }}</li>{% endfor %}</ul></body></html>"""
)
SIGNED_IN = engines["django"].from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ vendor.name }}</title></head>
<body><p>{{ user.email }}</p><h1>{{ vendor.name }}</h1><p>{{ vendor.description }}</p>
<ul>{% for product in products %}<li>{{ product.name }}: £{{ product.price }}</li>{% endfor %}</ul></body></html>"""
)


def minimal_vendor(request: HttpRequest, slug: str) -> HttpResponse:
    vendor = Vendor.objects.get(slug=slug)
    products = list(vendor.products.filter(active=True).order_by("name", "id")[:20])
    return HttpResponse(TEMPLATE.render({"vendor": vendor, "products": products}, request))


def minimal_vendor_signed_in(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseForbidden("Sign in first.")
    vendor = Vendor.objects.get(slug=slug)
    products = list(vendor.products.filter(active=True).order_by("name", "id")[:20])
    return HttpResponse(SIGNED_IN.render({"vendor": vendor, "products": products, "user": request.user}, request))


urlpatterns = [
    path("bench/minimal/<slug:slug>/", minimal_vendor, name="bench-minimal"),
    path("bench/minimal-signed-in/<slug:slug>/", minimal_vendor_signed_in, name="bench-minimal-signed-in"),
    path("", include("marketplace.urls")),
]
