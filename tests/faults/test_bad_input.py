"""Bad input anywhere gets a clear 4xx and changes nothing; no input gives a 500.

Table-driven. The API write endpoints come from the URL configuration and their fields from the OpenAPI
schema, so a new endpoint or field is attacked as soon as it exists (an endpoint without a row in URL_KWARGS
fails `test_table_covers_every_api_write_endpoint`). Each field gets the values that must be refused (too
long, NUL bytes, unpaired surrogates, out-of-range and huge numbers, prices with three decimals, wrong
types) and each body the shapes that must be refused (malformed JSON, wrong content types, deep nesting,
10 MB): every one answers 4xx in JSON and leaves every table as it was. Text a person may really type
(right-to-left overrides, combining marks, emoji) may be accepted but never answers 5xx. The main form
pages get the same treatment from their form classes: the answer is the form again (400) or a redirect
that says what was wrong, and nothing changes.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from marketplace.accounts import forms as account_forms
from marketplace.accounts import token_views as token_pages
from marketplace.accounts.api import token_views as api_token_views
from marketplace.accounts.api import views as account_api
from marketplace.accounts.services import api_token_create
from marketplace.asks import forms as ask_forms
from marketplace.asks.api import serializers as ask_serializers
from marketplace.asks.services import ask_draft_create, ask_publish, offer_make
from marketplace.kernel.limits import CHOICES_MAX_ITEMS, BoundedManyRelatedField, IdModelMultipleChoiceField
from marketplace.sell import forms as sell_forms
from marketplace.sell.api import serializers as sell_serializers
from marketplace.shop import forms as shop_forms
from marketplace.shop.api import serializers as shop_serializers
from marketplace.shop.models import ServiceRating
from marketplace.shop.services import address_save, cart_add
from portfolios import forms as portfolio_forms
from portfolios.api import serializers as portfolio_serializers
from portfolios.services import membership_start
from promotions import forms as promotion_forms
from promotions.api import serializers as promotion_serializers
from promotions.models import Promotion
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.payments import checkout_and_pay
from vendors import forms as vendor_forms
from vendors.models import Vendor, VendorFlag, VendorReport
from vendors.moderation import forms as moderation_forms
from vendors.moderation.api import serializers as moderation_serializers

# Tables whose rows a refused request must leave exactly as they were (every column compared).
WATCHED = [
    "accounts.User",
    "accounts.ConsumerProfile",
    "accounts.APIToken",
    "vendors.Vendor",
    "vendors.Product",
    "vendors.ModerationAction",
    "vendors.VendorReport",
    "vendors.VendorFlag",
    "portfolios.PartnerMembership",
    "portfolios.MembershipEvent",
    "promotions.Promotion",
    "shop.CartItem",
    "shop.Checkout",
    "shop.Order",
    "shop.OrderLine",
    "shop.ServiceRating",
    "shop.Payment",
    "shop.Refund",
    "shop.OrderPayout",
    "shop.Payee",
    "shop.ShippingPolicy",
    "shop.ShippingRegionRate",
    "shop.SavedAddress",
    "asks.Ask",
    "asks.Offer",
    "asks.OfferReport",
    "asks.AskMute",
]
# Text a person may type: accepted or refused, never a 500.
HUMAN_TEXT = [
    ("right-to-left override", "\u202eexe.tnemyap"),
    ("combining marks", "Z\u0351\u0362a\u0360\u0361l\u035cg\u0489o"),
    ("emoji", "😀🎉 👩\u200d👩\u200d👧 🇬🇧"),
    ("arabic digits", "٣٤٥"),
    ("zero-width and BOM", "\ufeffa\u200bb\u200d"),
]
TEN_MB = 10 * 1024 * 1024


@dataclass
class World:
    actor: Any  # a consumer with a cart, an order and a partner; owner of vendor A; a moderator
    applicant: Any  # signed in, no vendor yet
    vendor_a: Vendor
    vendor_b: Vendor
    pending: Vendor
    suspended: Vendor
    product_a: Any
    product_b: Any
    cart_item: Any
    order_bought: Any  # the actor's own order, from vendor B
    order_sold: Any  # an order vendor A must fulfil
    promotion: Promotion
    token: Any
    flag: VendorFlag
    report: VendorReport
    address: Any = None  # the actor's saved delivery address
    ask_mine: Any = None  # the actor's open ask, addressed to vendor B (its partner)
    offer_mine: Any = None  # vendor B's live offer on it
    ask_to_me: Any = None  # the buyer's open ask, addressed to vendor A (the actor's)
    review: Any = None  # a buyer's review of vendor A, shown on its page


def _open_ask(consumer: Any, vendor: Vendor) -> Any:
    draft = ask_draft_create(
        consumer=consumer,
        category_id=vendor.category_id,
        title="Faults",
        description="Anything",
        respond_by=timezone.now() + timedelta(days=2),
    )
    return ask_publish(consumer=consumer, ask_id=draft.pk)


@pytest.fixture
def world(db) -> World:
    actor = UserFactory(email="actor@faults.example")
    actor.groups.add(Group.objects.get(name="Moderators"))
    applicant = UserFactory(email="applicant@faults.example")
    buyer = UserFactory(email="buyer@faults.example")
    vendor_a = VendorFactory(owner=actor, name="Vendor A")
    vendor_b = VendorFactory(name="Vendor B")
    pending = VendorFactory(status=Vendor.Status.PENDING, approved_at=None)
    suspended = VendorFactory(status=Vendor.Status.SUSPENDED)
    product_a = ProductFactory(vendor=vendor_a, stock=20, sku="A-1")
    product_b = ProductFactory(vendor=vendor_b, stock=20)
    membership_start(consumer=actor, vendor_id=vendor_b.pk)
    cart_add(consumer=actor, product_id=product_b.pk)
    order_bought = checkout_and_pay(actor, "f1", ship_to_name="A", ship_to_address="B").orders[0]
    cart_item = cart_add(consumer=actor, product_id=product_b.pk)
    cart_add(consumer=buyer, product_id=product_a.pk)
    order_sold = checkout_and_pay(buyer, "f2", ship_to_name="C", ship_to_address="D").orders[0]
    now = timezone.now()
    promotion = Promotion.objects.create(
        vendor=vendor_a, title="Draft", discount_value=5, starts_at=now, ends_at=now + timedelta(days=3)
    )
    token, _ = api_token_create(user=actor, name="faults")
    flag = VendorFlag.objects.create(vendor=vendor_b, kind=VendorFlag.Kind.REPORTS, details={"open_reports": 3})
    report = VendorReport.objects.create(reporter=buyer, vendor=vendor_b, reason="fraud")
    ask_mine = _open_ask(actor, vendor_b)
    offer_mine = offer_make(vendor=vendor_b, ask_id=ask_mine.pk, price="10.00", valid_until=now + timedelta(days=1))
    membership_start(consumer=buyer, vendor_id=vendor_a.pk)
    ask_to_me = _open_ask(buyer, vendor_a)
    return World(
        actor,
        applicant,
        vendor_a,
        vendor_b,
        pending,
        suspended,
        product_a,
        product_b,
        cart_item,
        order_bought,
        order_sold,
        promotion,
        token,
        flag,
        report,
        address_save(consumer=actor, name="Ann", address="1 High St"),
        ask_mine,
        offer_mine,
        ask_to_me,
        ServiceRating.objects.create(
            order=order_sold, vendor=vendor_a, consumer=buyer, score=2, comment="Rude", public=True
        ),
    )


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    """A refusal must come from the input, not from the rate limit (checkout allows 60 a minute)."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None, "checkout": None})


def snapshot() -> dict[str, list[dict[str, Any]]]:
    volatile = {"last_login", "last_used_at"}
    return {
        label: [
            {k: v for k, v in row.items() if k not in volatile}
            for row in apps.get_model(label).objects.order_by("pk").values()
        ]
        for label in WATCHED
    }


# --- The API write endpoints ------------------------------------------------------------------------------

Kwargs = Callable[[World], dict[str, Any]]
VENDOR_B_ID: Kwargs = lambda w: {"vendor_id": w.vendor_b.pk}  # noqa: E731
PRODUCT_A: Kwargs = lambda w: {"pk": w.product_a.pk}  # noqa: E731
ORDER_SOLD: Kwargs = lambda w: {"pk": w.order_sold.pk}  # noqa: E731
PROMOTION: Kwargs = lambda w: {"pk": w.promotion.pk}  # noqa: E731
REPORT: Kwargs = lambda w: {"pk": w.report.pk}  # noqa: E731
NONE: Kwargs = lambda w: {}  # noqa: E731

# (url name, method): the URL's arguments, naming objects the actor may act on.
URL_KWARGS: dict[tuple[str, str], Kwargs] = {
    ("cart-item-add", "POST"): NONE,
    ("cart-item", "PATCH"): lambda w: {"pk": w.cart_item.pk},
    ("cart-item", "DELETE"): lambda w: {"pk": w.cart_item.pk},
    ("cart-accept-prices", "POST"): NONE,
    ("checkout", "POST"): NONE,
    ("order-rating", "POST"): lambda w: {"pk": w.order_bought.pk},
    ("order-cancel", "POST"): lambda w: {"pk": w.order_bought.pk},
    ("checkout-payment-confirm", "POST"): lambda w: {"pk": w.order_bought.checkout_id},
    ("checkout-payment-cancel", "POST"): lambda w: {"pk": w.order_bought.checkout_id},
    ("sell-payouts-onboarding", "POST"): NONE,
    ("account-delete", "POST"): NONE,
    ("account-profile", "PUT"): NONE,
    ("account-token-list", "POST"): NONE,
    ("account-token-revoke", "POST"): lambda w: {"pk": w.token.pk},
    ("portfolio-list", "POST"): NONE,
    ("portfolio-end", "POST"): VENDOR_B_ID,
    ("portfolio-reinstate", "POST"): VENDOR_B_ID,
    ("portfolio-mute", "POST"): VENDOR_B_ID,
    ("portfolio-feedback", "POST"): lambda w: {"promotion_id": w.promotion.pk},
    ("portfolio-digest", "PATCH"): NONE,
    ("sell-application", "POST"): NONE,
    ("sell-application", "PUT"): NONE,
    ("sell-profile", "PATCH"): NONE,
    ("sell-product-list", "POST"): NONE,
    ("sell-product-import", "POST"): NONE,
    ("sell-product-detail", "PATCH"): PRODUCT_A,
    ("sell-product-detail", "DELETE"): PRODUCT_A,
    ("sell-product-stock", "POST"): PRODUCT_A,
    ("sell-shipping", "PUT"): NONE,
    ("address-list", "POST"): NONE,
    ("address-detail", "PUT"): lambda w: {"pk": w.address.pk},
    ("address-detail", "DELETE"): lambda w: {"pk": w.address.pk},
    ("sell-order-ship", "POST"): ORDER_SOLD,
    ("sell-order-deliver", "POST"): ORDER_SOLD,
    ("sell-order-cancel", "POST"): ORDER_SOLD,
    ("sell-promotion-list", "POST"): NONE,
    ("sell-promotion-detail", "PATCH"): PROMOTION,
    ("sell-promotion-detail", "DELETE"): PROMOTION,
    ("sell-promotion-publish", "POST"): PROMOTION,
    ("sell-promotion-end", "POST"): PROMOTION,
    ("moderation-flag-clear", "POST"): lambda w: {"pk": w.flag.pk},
    ("moderation-vendor-approve", "POST"): lambda w: {"pk": w.pending.pk},
    ("moderation-vendor-reject", "POST"): lambda w: {"pk": w.pending.pk},
    ("moderation-vendor-suspend", "POST"): lambda w: {"pk": w.vendor_b.pk},
    ("moderation-vendor-reinstate", "POST"): lambda w: {"pk": w.suspended.pk},
    ("moderation-report-resolve", "POST"): REPORT,
    ("moderation-report-dismiss", "POST"): REPORT,
    ("moderation-report-create", "POST"): lambda w: {"slug": w.vendor_b.slug},
    ("asks-list", "POST"): NONE,
    ("asks-mute", "POST"): VENDOR_B_ID,
    ("asks-publish", "POST"): lambda w: {"pk": w.ask_mine.pk},
    ("asks-cancel", "POST"): lambda w: {"pk": w.ask_mine.pk},
    ("asks-offer-accept", "POST"): lambda w: {"pk": w.ask_mine.pk, "offer_id": w.offer_mine.pk},
    ("asks-offer-report", "POST"): lambda w: {"pk": w.ask_mine.pk, "offer_id": w.offer_mine.pk},
    ("sell-ask-offer", "POST"): lambda w: {"pk": w.ask_to_me.pk},
    ("sell-ask-withdraw", "POST"): lambda w: {"pk": w.ask_to_me.pk},
    ("sell-ask-not-interested", "POST"): lambda w: {"pk": w.ask_to_me.pk},
    ("moderation-review-hide", "POST"): lambda w: {"pk": w.review.pk},
}


def _promotion_body(w: World) -> dict[str, Any]:
    now = timezone.now()
    return {
        "title": "Faults",
        "discount_value": "5",
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(),
    }


# A valid body, so that one bad field is the only thing wrong with a request (empty when every field is optional).
VALID_BODY: dict[tuple[str, str], Callable[[World], dict[str, Any]]] = {
    ("cart-item-add", "POST"): lambda w: {"product_id": w.product_b.pk, "quantity": 1},
    ("cart-item", "PATCH"): lambda w: {"quantity": 2},
    ("checkout", "POST"): lambda w: {"ship_to_name": "Ann", "ship_to_address": "1 High St"},
    ("order-rating", "POST"): lambda w: {"score": 4, "comment": "Fine"},
    ("sell-shipping", "PUT"): lambda w: {"flat_rate": "3.50"},
    ("address-list", "POST"): lambda w: {"name": "Ann", "address": "1 High St"},
    ("address-detail", "PUT"): lambda w: {"name": "Ann", "address": "1 High St"},
    ("checkout-payment-confirm", "POST"): lambda w: {"payment_method": "4242424242424242"},
    ("account-delete", "POST"): lambda w: {"confirm": "delete"},
    ("account-profile", "PUT"): lambda w: {
        "region": None,
        "age_band": "",
        "interests": [],
        "share_region": False,
        "share_age_band": False,
        "share_interests": False,
        "weekly_promotion_cap": 5,
    },
    ("account-token-list", "POST"): lambda w: {"name": "script"},
    ("portfolio-list", "POST"): lambda w: {"vendor_id": w.vendor_a.pk},
    ("portfolio-end", "POST"): lambda w: {"reason": "price", "comment": "Too dear"},
    ("portfolio-mute", "POST"): lambda w: {"muted": True},
    ("portfolio-feedback", "POST"): lambda w: {"verdict": "not_for_me", "reason": "price"},
    ("portfolio-digest", "PATCH"): lambda w: {"digest_frequency": "daily"},
    ("sell-application", "POST"): lambda w: {
        "name": "New Shop",
        "category": w.vendor_a.category.slug,
        "contact_email": "shop@example.com",
    },
    ("sell-application", "PUT"): lambda w: {
        "name": "Vendor A",
        "category": w.vendor_a.category.slug,
        "contact_email": "a@example.com",
    },
    ("sell-profile", "PATCH"): lambda w: {"description": "Tea from the hills."},
    ("sell-product-list", "POST"): lambda w: {"name": "Tea", "price": "2.50", "stock": 3},
    ("sell-product-stock", "POST"): lambda w: {"delta": 1},
    ("sell-promotion-list", "POST"): _promotion_body,
    ("moderation-vendor-reject", "POST"): lambda w: {"reason": "Incomplete"},
    ("moderation-vendor-suspend", "POST"): lambda w: {"reason": "Fraud"},
    ("moderation-vendor-reinstate", "POST"): lambda w: {"reason": "Fixed"},
    ("moderation-report-resolve", "POST"): lambda w: {"note": "Done"},
    ("moderation-report-dismiss", "POST"): lambda w: {"note": "No"},
    ("moderation-report-create", "POST"): lambda w: {"reason": "fraud"},
    ("asks-list", "POST"): lambda w: {
        "category": w.vendor_b.category.slug,
        "title": "Faults",
        "description": "Anything",
        "respond_by": (timezone.now() + timedelta(days=2)).isoformat(),
    },
    ("asks-mute", "POST"): lambda w: {"muted": True},
    ("asks-offer-accept", "POST"): lambda w: {"ship_to_name": "Ann", "ship_to_address": "1 High St"},
    ("sell-ask-offer", "POST"): lambda w: {
        "price": "9.00",
        "valid_until": (timezone.now() + timedelta(days=1)).isoformat(),
    },
    ("moderation-review-hide", "POST"): lambda w: {"reason": "Insults"},
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # the schema's path, parameters as {}


def _walk(patterns: list[Any], prefix: str = "", namespace: str | None = None) -> Iterator[Endpoint]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route, p.namespace or namespace)
        elif isinstance(p, URLPattern) and namespace == "api":
            view = getattr(p.callback, "cls", None)
            for method in ("post", "put", "patch", "delete"):
                if view is not None and hasattr(view, method):
                    yield Endpoint(p.name, method.upper(), re.sub(r"<[^>]+>", "{}", "/" + route))


@cache
def api_write_endpoints() -> tuple[Endpoint, ...]:
    return tuple(sorted(set(_walk(get_resolver().url_patterns)), key=lambda e: (e.name, e.method)))


@cache
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = openapi()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def request_schema(endpoint: Endpoint) -> tuple[str, dict[str, dict[str, Any]]] | None:
    """The media type the endpoint is sent (JSON where it takes JSON) and its body's fields, or None."""
    paths = {re.sub(r"\{[^}]+\}", "{}", path): ops for path, ops in openapi()["paths"].items()}
    operation = paths[endpoint.path][endpoint.method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    for media_type in ("application/json", "multipart/form-data"):
        if media_type in content:
            return media_type, _resolve(content[media_type]["schema"]).get("properties", {})
    return None


def _alternatives(prop: dict[str, Any]) -> list[dict[str, Any]]:
    prop = _resolve(prop)
    for key in ("oneOf", "anyOf", "allOf"):
        if key in prop:
            return [alt for sub in prop[key] for alt in _alternatives(sub)]
    return [prop]


def refused_values(prop: dict[str, Any]) -> list[tuple[str, Any]]:
    """Values this field must refuse, whatever the endpoint, from its schema."""
    alternatives = _alternatives(prop)
    if any("enum" in alt for alt in alternatives):
        return [("not a choice", "no-such-choice"), ("a list", ["x"]), ("NUL", "a\x00b")]
    prop = alternatives[0]
    kind, fmt = prop.get("type"), prop.get("format")
    if kind == "string" and fmt == "binary":
        return [("not a file", "just text")]
    if kind == "string" and fmt == "decimal":
        return [
            ("three decimals", "1.001"),
            ("negative", "-5.00"),
            ("huge", "1" + "0" * 30),
            ("exponent", "1e400"),
            ("NaN", "NaN"),
            ("not a number", "ten"),
            ("NUL", "1\x00"),
        ]
    if kind == "string" and fmt in ("date-time", "date"):
        return [("not a date", "2024-02-30T10:00:00Z"), ("year 10000", "10000-01-01T00:00:00Z"), ("NUL", "\x00")]
    if kind == "string":
        values = [("NUL", "a\x00b"), ("unpaired surrogate", "a\ud800b"), ("an object", {"a": "b"})]
        if "maxLength" in prop:
            values.append(("one past the length", "x" * (prop["maxLength"] + 1)))
            values.append(("100 000 characters", "x" * 100_000))
        if fmt == "email":
            values.append(("not an email", "not-an-email"))
        return values
    if kind == "integer":
        values = [("huge", 10**30), ("a fraction", 1.5), ("digits and letters", "12abc"), ("5000 digits", "9" * 5000)]
        if "minimum" in prop:
            values.append(("below the minimum", prop["minimum"] - 1))
        if "maximum" in prop:
            values.append(("above the maximum", prop["maximum"] + 1))
        return values
    if kind == "boolean":
        return [("not a boolean", "maybe"), ("a number", 7)]
    if kind == "array":
        return [
            ("unknown item", ["no-such-item"]),
            ("too many items", ["x"] * (CHOICES_MAX_ITEMS + 1)),
            ("nested lists", [[["x"]]]),
            ("not a list", 5),
        ]
    raise AssertionError(f"no bad values for a field of schema {prop}")


def _is_text(prop: dict[str, Any]) -> bool:
    alternatives = _alternatives(prop)
    alt = alternatives[0]
    return len(alternatives) == 1 and alt.get("type") == "string" and "enum" not in alt and alt.get("format") is None


def _client(user: Any) -> APIClient:
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(user)
    return api


def _send(api: APIClient, endpoint: Endpoint, url: str, media_type: str, body: dict[str, Any]):  # type: ignore[no-untyped-def]
    if media_type == "multipart/form-data":
        flat = {k: (json.dumps(v) if isinstance(v, dict | list) else str(v)) for k, v in body.items()}
        return api.generic(endpoint.method, url, **_multipart(flat))
    return api.generic(endpoint.method, url, json.dumps(body), content_type="application/json")


def _multipart(fields: dict[str, Any]) -> dict[str, Any]:
    """A multipart body of these fields and files, as Client.generic takes it."""
    boundary = "faultsboundary"
    return {
        "data": encode_multipart(boundary, fields),
        "content_type": MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", boundary),
    }


def _explain(endpoint: Endpoint, what: str, response: Any) -> str:
    return f"{endpoint.method} {endpoint.name} with {what}: {response.status_code} {response.content[:300]!r}"


ENDPOINTS = api_write_endpoints()
BODY_ENDPOINTS = [e for e in ENDPOINTS if request_schema(e) is not None]


def test_table_covers_every_api_write_endpoint():
    found = {(e.name, e.method) for e in ENDPOINTS}
    assert len(found) > 30
    assert found - URL_KWARGS.keys() == set(), "a new API write endpoint needs its URL arguments in URL_KWARGS"
    assert URL_KWARGS.keys() - found == set(), "URL_KWARGS names endpoints that no longer exist"
    assert VALID_BODY.keys() <= found


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# Bodies no endpoint can take, whatever its fields: (what, content type, body, expected status).
BAD_BODIES: list[tuple[str, str, bytes | str, int]] = [
    ("malformed JSON", "application/json", b'{"name": ', 400),
    ("a JSON list, not an object", "application/json", b"[1, 2, 3]", 400),
    ("a JSON string, not an object", "application/json", b'"text"', 400),
    ("JSON null", "application/json", b"null", 400),
    ("NaN", "application/json", b'{"quantity": NaN}', 400),
    ("a number of 5000 digits", "application/json", b'{"quantity": 1' + b"0" * 5000 + b"}", 400),
    ("bytes that are not UTF-8", "application/json", b'{"name": "\xff\xfe\xfd"}', 400),
    ("an escaped unpaired surrogate", "application/json", b'{"name": "\\ud800"}', 400),
    ("JSON nested 33 deep", "application/json", '{"name": ' + _nested(33) + "}", 400),
    ("JSON nested 100 000 deep", "application/json", _nested(100_000), 400),
    ("a 10 MB JSON body", "application/json", json.dumps({"name": "x" * TEN_MB}), 413),
    ("plain text", "text/plain", b"name=hello", 415),
    ("XML", "application/xml", b"<name>hello</name>", 415),
    ("a form with NUL bytes", "application/x-www-form-urlencoded", "", 400),  # body from the endpoint's fields
    ("a form of 501 fields", "application/x-www-form-urlencoded", "&".join(f"f{i}=1" for i in range(501)), 400),
    ("a 10 MB form", "application/x-www-form-urlencoded", "name=" + "x" * TEN_MB, 413),
]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=lambda e: f"{e.method}-{e.name}")
def test_api_write_endpoint_refuses_bad_input_and_changes_nothing(world, endpoint):
    media_type, fields = request_schema(endpoint)  # type: ignore[misc]
    url = reverse(f"api:{endpoint.name}", kwargs=URL_KWARGS[(endpoint.name, endpoint.method)](world))
    api = _client(world.actor)
    valid = VALID_BODY.get((endpoint.name, endpoint.method), lambda w: {})(world)
    before = snapshot()
    # One bad field in an otherwise valid body.
    for field, prop in fields.items():
        for what, value in refused_values(prop):
            if media_type == "multipart/form-data" and isinstance(value, str) and "\ud800" in value:
                continue  # a multipart body is bytes: an unpaired surrogate cannot even be sent
            response = _send(api, endpoint, url, media_type, {**valid, field: value})
            explained = _explain(endpoint, f"{field} = {what}", response)
            assert 400 <= response.status_code < 500, explained
            assert response["Content-Type"].startswith("application/json"), explained
    # A body it cannot take at all.
    for what, content_type, body, expected in BAD_BODIES:
        if media_type == "multipart/form-data":
            if content_type == "application/x-www-form-urlencoded":
                continue  # the import's own parsers: see test_catalogue_import_refuses_bodies_in_the_api_shape
            expected = 415  # the import takes forms only
        if what == "a form with NUL bytes":
            body = "&".join(f"{field}=a%00b" for field in fields)
        response = api.generic(endpoint.method, url, body, content_type=content_type)
        explained = _explain(endpoint, what, response)
        assert response.status_code == expected, explained
        assert response["Content-Type"].startswith("application/json"), explained
        assert response.json(), explained  # {"detail": ...} or the field errors
    if media_type != "multipart/form-data":
        files = {f"file{i}": SimpleUploadedFile(f"f{i}.csv", b"x") for i in range(6)}
        response = api.generic(endpoint.method, url, **_multipart(files))
        assert response.status_code == 400, _explain(endpoint, "six files", response)
        assert "more than 5 files" in response.json()["detail"]
    assert snapshot() == before, f"a refused {endpoint.method} {endpoint.name} changed the database"
    # Text a person may type: taken or refused, never a 500.
    for field, prop in fields.items():
        if _is_text(prop):
            for what, text in HUMAN_TEXT:
                response = _send(api, endpoint, url, media_type, {**valid, field: text})
                assert response.status_code < 500, _explain(endpoint, f"{field} = {what}", response)


@pytest.mark.django_db
def test_catalogue_import_refuses_bodies_in_the_api_shape(world):
    api = _client(world.actor)
    url = reverse("api:sell-product-import")
    before = snapshot()
    answers = [
        api.post(url, "&".join(f"f{i}=1" for i in range(501)), content_type="application/x-www-form-urlencoded"),
        api.post(url, "name=" + "x" * TEN_MB, content_type="application/x-www-form-urlencoded"),
        api.generic("POST", url, **_multipart({f"file{i}": SimpleUploadedFile("f.csv", b"x") for i in range(6)})),
    ]
    assert [r.status_code for r in answers] == [400, 413, 400]
    assert all(r["Content-Type"].startswith("application/json") for r in answers)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e not in BODY_ENDPOINTS], ids=lambda e: e.name)
def test_api_write_endpoint_without_a_body_is_not_upset_by_one(world, endpoint):
    """Endpoints that take no body ignore whatever comes with the request: never a 500."""
    url = reverse(f"api:{endpoint.name}", kwargs=URL_KWARGS[(endpoint.name, endpoint.method)](world))
    api = _client(world.actor)
    for what, content_type, body, _ in BAD_BODIES:
        response = api.generic(endpoint.method, url, body or "x=%00", content_type=content_type)
        assert response.status_code < 500, _explain(endpoint, what, response)


# --- Every number has a range, every text a length ------------------------------------------------------


# Every module that holds input serializers or forms; a new module in the workspace's serializers joins itself.
def _with_submodules(*modules: Any) -> list[Any]:
    """Each module, or each module of a package (serializers split by area)."""
    found = []
    for module in modules:
        if hasattr(module, "__path__"):
            found += [
                importlib.import_module(f"{module.__name__}.{info.name}")
                for info in pkgutil.iter_modules(module.__path__)
            ]
        else:
            found.append(module)
    return found


SERIALIZER_MODULES = _with_submodules(
    sell_serializers,
    portfolio_serializers,
    promotion_serializers,
    shop_serializers,
    moderation_serializers,
    ask_serializers,
    account_api,
    api_token_views,
)
FORM_MODULES = [
    ask_forms,
    vendor_forms,
    portfolio_forms,
    shop_forms,
    account_forms,
    moderation_forms,
    sell_forms,
    token_pages,
    promotion_forms,
]
# Bounds still to come, in code this work does not own: each flips to a failure once it is bounded.
NOT_YET_BOUNDED: dict[str, str] = {}


def _with_known_gaps(classes: list[type]) -> list[Any]:
    return [
        pytest.param(cls, marks=pytest.mark.xfail(strict=True, reason=NOT_YET_BOUNDED[cls.__name__]))
        if cls.__name__ in NOT_YET_BOUNDED
        else cls
        for cls in classes
    ]


def _input_serializers() -> list[type[serializers.Serializer]]:
    """The serializers that read input: request bodies (the schema's ...Request components) and query strings."""
    bodies = {
        re.sub(r"^Patched|Request$", "", name)
        for name in openapi()["components"]["schemas"]
        if name.endswith("Request")
    }
    found = [
        cls
        for module in SERIALIZER_MODULES
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, serializers.Serializer) and cls.__module__ == module.__name__
    ]
    return [
        cls
        for cls in found
        if cls.__name__.removesuffix("Serializer") in bodies or re.search("Input|Filter", cls.__name__)
    ]


def test_input_serializers_are_found():
    names = {cls.__name__ for cls in _input_serializers()}
    assert {
        "OwnProductSerializer",
        "ProfileSerializer",
        "CartAddInputSerializer",
        "AuditFilterSerializer",
        "PromotionFeedbackInputSerializer",
        "PaymentConfirmInputSerializer",
    } <= names
    assert "OrderOutputSerializer" not in names


def _unbounded_serializer_fields(serializer: serializers.Serializer) -> list[str]:
    problems = []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ManyRelatedField) and not isinstance(field, BoundedManyRelatedField):
            problems.append(f"{name}: a list without a maximum size")
        elif isinstance(field, serializers.ChoiceField | serializers.BooleanField | serializers.RelatedField):
            continue
        elif isinstance(field, serializers.CharField) and field.max_length is None:
            problems.append(f"{name}: text without max_length")
        elif isinstance(field, serializers.FileField) and field.max_length is None:
            problems.append(f"{name}: a file name without max_length")
        elif isinstance(field, serializers.IntegerField | serializers.DecimalField) and (
            field.min_value is None or field.max_value is None
        ):
            problems.append(f"{name}: a number without min_value and max_value")
        elif isinstance(field, serializers.DecimalField) and field.decimal_places is None:
            problems.append(f"{name}: a decimal without decimal_places")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("serializer_class", _with_known_gaps(_input_serializers()), ids=lambda c: c.__name__)
def test_every_input_field_of_the_serializers_is_bounded(serializer_class):
    assert _unbounded_serializer_fields(serializer_class()) == []


def _unbounded_form_fields(form: forms.Form) -> list[str]:
    problems = []
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(field, IdModelMultipleChoiceField):
            problems.append(f"{name}: a multiple choice without bounded ids")
        elif isinstance(field, forms.CharField) and field.max_length is None:
            problems.append(f"{name}: text without max_length")
        elif isinstance(field, forms.FileField) and field.max_length is None:
            problems.append(f"{name}: a file name without max_length")
        elif isinstance(field, forms.IntegerField) and (field.min_value is None or field.max_value is None):
            problems.append(f"{name}: a number without min_value and max_value")
    return problems


def _form_classes() -> list[type[forms.Form]]:
    return [
        cls
        for module in FORM_MODULES
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", _with_known_gaps(_form_classes()), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_field_of_the_forms_is_bounded(form_class):
    assert _unbounded_form_fields(form_class()) == []


def test_the_bound_checks_can_fail():
    class Loose(serializers.Serializer):
        text = serializers.CharField()
        count = serializers.IntegerField(min_value=1)
        price = serializers.DecimalField(max_digits=10, decimal_places=2)

    class LooseForm(forms.Form):
        text = forms.CharField()
        count = forms.IntegerField(max_value=5)

    assert len(_unbounded_serializer_fields(Loose())) == 3
    assert len(_unbounded_form_fields(LooseForm())) == 2


# --- The main form pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    url: Callable[[World], str]
    form: type[forms.Form]
    valid: Callable[[World], dict[str, Any]]
    user: str = "actor"
    method: str = "post"


def _feedback_url(w: World) -> str:
    """A running partners promotion of vendor B (the actor's partner) delivered to the actor: its feed form."""
    from django.utils import timezone

    from promotions.models import PromotionDelivery

    now = timezone.now()
    promotion = Promotion.objects.create(
        vendor=w.vendor_b,
        title="For partners",
        kind=Promotion.Kind.PARTNERS,
        discount_value=5,
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=1),
        state=Promotion.State.RUNNING,
    )
    PromotionDelivery.objects.create(promotion=promotion, consumer=w.actor, delivered_at=now)
    return reverse("portfolios:feedback", kwargs={"promotion_id": promotion.pk})


PAGES: dict[str, Page] = {
    "apply": Page(
        lambda w: reverse("sell:apply"),
        vendor_forms.ApplicationForm,
        lambda w: {"name": "New Shop", "category": w.vendor_a.category.pk, "contact_email": "new@example.com"},
        user="applicant",
    ),
    "sell-profile": Page(
        lambda w: reverse("sell:profile"),
        sell_forms.VendorProfileForm,
        lambda w: {"description": "Tea from the hills."},
    ),
    "token-create": Page(lambda w: reverse("tokens:list"), token_pages.TokenCreateForm, lambda w: {"name": "x"}),
    "promotion-create": Page(
        lambda w: reverse("sell:promotion-create"),
        promotion_forms.PromotionForm,
        lambda w: {
            "title": "Spring",
            "kind": "partners",
            "audience": "all",
            "discount_type": "percent",
            "discount_value": "10",
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-08T10:00",
        },
    ),
    "product-create": Page(
        lambda w: reverse("sell:product-create"),
        vendor_forms.ProductForm,
        lambda w: {"name": "Tea", "price": "2.50", "stock": "3", "active": "on"},
    ),
    "product-edit": Page(
        lambda w: reverse("sell:product-edit", kwargs={"pk": w.product_a.pk}),
        vendor_forms.ProductForm,
        lambda w: {"name": "Tea", "price": "2.50", "stock": "3", "active": "on"},
    ),
    "product-stock": Page(
        lambda w: reverse("sell:product-stock", kwargs={"pk": w.product_a.pk}),
        vendor_forms.StockForm,
        lambda w: {"delta": "1"},
    ),
    "product-import": Page(lambda w: reverse("sell:product-import"), vendor_forms.CsvImportForm, lambda w: {}),
    "cart-add": Page(
        lambda w: reverse("shop:cart-add", kwargs={"product_id": w.product_b.pk}),
        shop_forms.CartAddForm,
        lambda w: {"quantity": "1"},
    ),
    "cart-item-update": Page(
        lambda w: reverse("shop:cart-item-update", kwargs={"item_id": w.cart_item.pk}),
        shop_forms.CartQuantityForm,
        lambda w: {"quantity": "2"},
    ),
    "checkout": Page(
        lambda w: reverse("shop:checkout"),
        shop_forms.CheckoutForm,
        lambda w: {"ship_to_name": "Ann", "ship_to_address": "1 High St", "idempotency_key": "k" * 32},
    ),
    "sell-shipping": Page(lambda w: reverse("sell:shipping"), sell_forms.ShippingForm, lambda w: {"flat_rate": "3.50"}),
    "addresses": Page(
        lambda w: reverse("account_data:addresses"),
        shop_forms.AddressForm,
        lambda w: {"name": "Ann", "address": "2 High St"},
    ),
    "checkout-pay": Page(
        lambda w: reverse("shop:checkout-pay", kwargs={"pk": w.order_bought.checkout_id}),
        shop_forms.CardForm,
        lambda w: {"card_number": "4242424242424242"},
    ),
    "order-rate": Page(
        lambda w: reverse("shop:order-rate", kwargs={"pk": w.order_bought.pk}),
        shop_forms.RatingForm,
        lambda w: {"score": "4"},
    ),
    "promotion-feedback": Page(
        _feedback_url, promotion_forms.PromotionFeedbackForm, lambda w: {"verdict": "not_for_me", "reason": "price"}
    ),
    "digest-settings": Page(
        lambda w: reverse("portfolios:digest"),
        promotion_forms.DigestSettingsForm,
        lambda w: {"digest_frequency": "daily"},
    ),
    "portfolio-end": Page(
        lambda w: reverse("portfolios:end", kwargs={"vendor_id": w.vendor_b.pk}),
        portfolio_forms.MembershipEndForm,
        lambda w: {"reason": "price"},
    ),
    "profile": Page(
        lambda w: reverse("account:profile"), account_forms.ProfileForm, lambda w: {"weekly_promotion_cap": "5"}
    ),
    "moderation-reject": Page(
        lambda w: reverse("moderation:vendor-action", kwargs={"pk": w.pending.pk, "action": "reject"}),
        moderation_forms.ReasonForm,
        lambda w: {"reason": "Incomplete"},
    ),
    "moderation-report-resolve": Page(
        lambda w: reverse("moderation:report-close", kwargs={"pk": w.report.pk, "outcome": "resolve"}),
        moderation_forms.NoteForm,
        lambda w: {"note": "Done"},
    ),
    "report-vendor": Page(
        lambda w: reverse("moderation:report", kwargs={"slug": w.vendor_b.slug}),
        moderation_forms.ReportForm,
        lambda w: {"reason": "fraud"},
    ),
    "vendor-directory": Page(
        lambda w: reverse("shop:vendor-list"), shop_forms.VendorFilterForm, lambda w: {"q": "tea"}, method="get"
    ),
    "product-search": Page(
        lambda w: reverse("shop:search"), shop_forms.ProductSearchForm, lambda w: {"q": "tea"}, method="get"
    ),
    "moderation-vendors": Page(
        lambda w: reverse("moderation:vendor-list"), moderation_forms.VendorFilterForm, lambda w: {}, method="get"
    ),
    "moderation-review-hide": Page(
        lambda w: reverse("review-moderation:hide", kwargs={"pk": w.review.pk}),
        moderation_forms.ReasonForm,
        lambda w: {"reason": "Insults"},
    ),
    "moderation-reviews": Page(
        lambda w: reverse("review-moderation:list"), shop_forms.ReviewFilterForm, lambda w: {}, method="get"
    ),
    "moderation-audit": Page(
        lambda w: reverse("moderation:audit"), moderation_forms.AuditFilterForm, lambda w: {}, method="get"
    ),
    "ask-create": Page(
        lambda w: reverse("asks:create"),
        ask_forms.AskForm,
        lambda w: {
            "category": w.vendor_b.category.pk,
            "title": "A teapot",
            "description": "Cast iron",
            "respond_by": timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    "ask-offer": Page(
        lambda w: reverse("asks:vendor-offer-make", args=[w.ask_to_me.pk]),
        ask_forms.OfferForm,
        lambda w: {
            "price": "9.50",
            "valid_until": timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    "ask-accept": Page(
        lambda w: reverse("asks:offer-accept", args=[w.ask_mine.pk, w.offer_mine.pk]),
        ask_forms.AcceptForm,
        lambda w: {"ship_to_name": "Ann", "ship_to_address": "1 High St"},
    ),
    "ask-report": Page(
        lambda w: reverse("asks:offer-report", args=[w.ask_mine.pk, w.offer_mine.pk]),
        ask_forms.ReportForm,
        lambda w: {"text": "Bait"},
    ),
}
# Forms no page shows.
UNUSED_FORMS = {shop_forms.CompareForm}
# Forms whose every field accepts anything (a checkbox is on or off): nothing to refuse.
NOTHING_TO_REFUSE = {portfolio_forms.MuteForm}


def refused_form_values(field: forms.Field) -> list[tuple[str, Any]]:
    """Values this form field must refuse, from its own bounds."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [
            ("huge id", ["99999999999999999999"]),
            ("id 2**63", [str(2**63)]),
            ("negative id", ["-1"]),
            ("not an id", ["abc"]),
            ("too many", ["1"] * (CHOICES_MAX_ITEMS + 1)),
        ]
    if isinstance(field, forms.ModelChoiceField):
        return [("huge id", "99999999999999999999"), ("id 2**63", str(2**63)), ("not an id", "abc"), ("NUL", "1\x00")]
    if isinstance(field, forms.ChoiceField):
        return [("not a choice", "no-such-choice"), ("NUL", "\x00")]
    if isinstance(field, forms.DecimalField):
        return [
            ("three decimals", "1.001"),
            ("negative", "-5"),
            ("huge", "1" + "0" * 30),
            ("exponent", "1e400"),
            ("NaN", "NaN"),
            ("not a number", "ten"),
        ]
    if isinstance(field, forms.IntegerField):
        values = [("huge", str(10**30)), ("5000 digits", "9" * 5000), ("a fraction", "1.5"), ("NUL", "1\x00")]
        if field.min_value is not None:
            values.append(("below the minimum", str(field.min_value - 1)))
        if field.max_value is not None:
            values.append(("above the maximum", str(field.max_value + 1)))
        return values
    if isinstance(field, forms.DateField):
        return [("not a date", "2024-02-30"), ("year 10000", "10000-01-01")]
    if isinstance(field, forms.DateTimeField):
        return [("not a date", "2024-02-30T10:00"), ("year 10000", "10000-01-01T10:00"), ("NUL", "\x00")]
    if isinstance(field, forms.CharField):
        values = [("NUL", "a\x00b")]
        if field.max_length is not None:
            values += [("one past the length", "x" * (field.max_length + 1)), ("100 000 characters", "x" * 100_000)]
        return values
    return []  # checkboxes and file inputs: a file that is not there is only missing


def test_pages_table_covers_every_form():
    shown = {page.form for page in PAGES.values()}
    assert set(_form_classes()) - shown - UNUSED_FORMS - NOTHING_TO_REFUSE == set()


def _told_what_was_wrong(response: Any) -> bool:
    if response.status_code == 400:
        return True
    if response.status_code == 302:
        return any(m.level >= message_levels.WARNING for m in response.wsgi_request._messages)
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_form_page_refuses_bad_input_and_changes_nothing(world, name):
    page = PAGES[name]
    client = Client(raise_request_exception=False)
    client.force_login(getattr(world, page.user))
    send = getattr(client, page.method)
    url = page.url(world)
    valid = page.valid(world)
    before = snapshot()
    for field_name, field in page.form().fields.items():
        for what, value in refused_form_values(field):
            response = send(url, {**valid, field_name: value})
            explained = f"{name} with {field_name} = {what}: {response.status_code}"
            assert response.status_code < 500, explained
            if page.method == "post":
                assert _told_what_was_wrong(response), explained
    assert snapshot() == before, f"a refused {name} changed the database"
    for field_name, field in page.form().fields.items():
        if isinstance(field, forms.CharField):
            for what, text in HUMAN_TEXT:
                response = send(url, {**valid, field_name: text})
                assert response.status_code < 500, f"{name} with {field_name} = {what}: {response.status_code}"


@pytest.mark.django_db
def test_form_page_with_a_body_too_large_answers_400_and_changes_nothing(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.actor)
    before = snapshot()
    response = client.post(
        reverse("sell:product-create"), {"name": "Tea", "price": "2.50", "stock": "3", "description": "x" * TEN_MB}
    )
    assert response.status_code == 400
    response = client.post(reverse("shop:checkout"), {f"f{i}": "1" for i in range(501)})
    assert response.status_code == 400
    assert snapshot() == before


# Query strings of the pages and API lists that read them without a form.
QUERY_PAGES = [
    ("sell:product-list", {"q": "a\x00b"}),
    ("sell:product-list", {"q": "x" * 100_000}),
    ("sell:order-list", {"status": "a\x00b"}),
    ("shop:vendor-list", {"category": "a\x00b", "region": "\x00", "sort": "\x00"}),
    ("shop:vendor-compare", {"v": ["a\x00b", "c\x00"]}),
    ("shop:home", {"page": "99999999999999999999"}),
    ("api:vendor-list", {"q": "a\x00b", "category": "a\x00", "page": "99999999999999999999"}),
    ("api:vendor-list", {"page_size": "99999999999999999999"}),
    ("api:vendor-compare", {"v": ["a\x00b", "c\x00", *["x"] * 100]}),
    ("api:product-list", {"q": "x" * 100_000, "only_partners": "maybe"}),
    ("api:sell-product-list", {"page": "-1", "page_size": "0"}),
    ("api:sell-order-list", {"status": "a\x00b"}),
    ("api:moderation-vendor-list", {"status": "\x00", "q": "a\x00b"}),
    ("api:moderation-report-list", {"status": "a\x00b"}),
    ("api:moderation-audit", {"moderator": "99999999999999999999", "date_from": "10000-01-01"}),
    ("api:moderation-audit", {"moderator": "-1", "date_to": "0000-00-00", "vendor": "a\x00b"}),
    ("moderation:audit", {"moderator": "99999999999999999999", "vendor": "a\x00b"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "query"), QUERY_PAGES, ids=lambda v: v if isinstance(v, str) else "")
def test_bad_query_string_never_answers_500(world, name, query):
    client = Client(raise_request_exception=False)
    client.force_login(world.actor)
    response = client.get(reverse(name), query)
    assert response.status_code < 500, f"{name} {query!r}: {response.status_code}"
    if name.startswith("api:") and response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json")


# --- Generated input ------------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
FUZZED = [("cart-item-add", "POST"), ("sell-product-list", "POST"), ("account-profile", "PUT"), ("checkout", "POST")]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), FUZZED)
def test_api_write_endpoint_answers_generated_bodies_without_a_500(world, name, method):
    endpoint = next(e for e in ENDPOINTS if (e.name, e.method) == (name, method))
    _, fields = request_schema(endpoint)  # type: ignore[misc]
    url = reverse(f"api:{name}", kwargs=URL_KWARGS[(name, method)](world))
    api = _client(world.actor)
    valid = VALID_BODY[(name, method)](world)

    @hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(changes=st.dictionaries(st.sampled_from(sorted(fields)), JSON_VALUES, min_size=1))
    def check(changes: dict[str, Any]) -> None:
        response = api.generic(method, url, json.dumps({**valid, **changes}), content_type="application/json")
        assert response.status_code < 500, f"{changes!r}: {response.content[:300]!r}"

    check()


@pytest.mark.django_db
def test_refused_price_leaves_the_product_as_it_was(world):
    """The user's view of one case from the tables above: a price of three decimals is a field error."""
    api = _client(world.actor)
    url = reverse("api:sell-product-detail", kwargs={"pk": world.product_a.pk})
    response = api.patch(url, {"price": "2.999"}, format="json")
    assert response.status_code == 400
    assert "price" in response.json()
    world.product_a.refresh_from_db()
    assert world.product_a.price == Decimal("10.00")
    assert api.patch(url, {"price": "2.99"}, format="json").status_code == 200
    world.product_a.refresh_from_db()
    assert world.product_a.price == Decimal("2.99")
