"""Every API endpoint and method against every role, with the expected status in each cell.

The endpoints come from the URL configuration: an endpoint (or a method) without a row below fails
`test_matrix_covers_every_api_endpoint`, so nothing new ships without its permissions being decided.
Roles: anonymous, consumer (owns the consumer objects), other_consumer, vendor (owns vendor A),
other_vendor (owns vendor B), moderator. Another user's object answers 404, never revealing it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.accounts.services import api_token_create
from marketplace.asks.services import ask_draft_create, ask_publish, offer_make
from marketplace.shop.models import ServiceRating
from marketplace.shop.services import address_save, cart_add
from portfolios.services import membership_start
from promotions.models import Promotion
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.payments import checkout_and_pay
from vendors.models import Vendor, VendorFlag, VendorReport

ROLES = ["anonymous", "other_consumer", "other_vendor", "vendor", "consumer", "moderator"]
AUTHENTICATED = [r for r in ROLES if r != "anonymous"]


@dataclass
class World:
    users: dict[str, Any]
    vendor_a: Vendor
    vendor_b: Vendor
    pending: Vendor
    suspended: Vendor
    product: Any
    order: Any
    cart_item: Any
    promotion: Promotion
    token: Any
    flag: VendorFlag
    report: VendorReport
    address: Any = None  # the consumer's saved delivery address
    ask: Any = None  # the consumer's open ask, addressed to vendor A (its partner)
    offer: Any = None  # vendor A's live offer on it


@pytest.fixture
def world(db) -> World:
    users = {role: UserFactory(email=f"{role}@matrix.example") for role in AUTHENTICATED}
    users["moderator"].groups.add(Group.objects.get(name="Moderators"))
    vendor_a = VendorFactory(owner=users["vendor"], name="Vendor A")
    vendor_b = VendorFactory(owner=users["other_vendor"], name="Vendor B")
    pending = VendorFactory(status=Vendor.Status.PENDING, approved_at=None)
    suspended = VendorFactory(status=Vendor.Status.SUSPENDED)
    product = ProductFactory(vendor=vendor_a, stock=20)
    membership_start(consumer=users["consumer"], vendor_id=vendor_a.pk)
    cart_add(consumer=users["consumer"], product_id=product.pk)
    order = checkout_and_pay(users["consumer"], "m", ship_to_name="C", ship_to_address="A").orders[0]
    cart_item = cart_add(consumer=users["consumer"], product_id=product.pk)
    now = timezone.now()
    promotion = Promotion.objects.create(
        vendor=vendor_a, title="Draft", discount_value=5, starts_at=now, ends_at=now + timedelta(days=3)
    )
    token, _ = api_token_create(user=users["consumer"], name="matrix")
    flag = VendorFlag.objects.create(vendor=vendor_b, kind=VendorFlag.Kind.REPORTS, details={"open_reports": 3})
    report = VendorReport.objects.create(reporter=users["other_consumer"], vendor=vendor_b, reason="fraud")
    address = address_save(consumer=users["consumer"], name="Matrix", address="1 Matrix Road")
    ask = ask_draft_create(
        consumer=users["consumer"],
        category_id=vendor_a.category_id,
        title="Matrix ask",
        description="Anything",
        respond_by=now + timedelta(days=2),
    )
    ask = ask_publish(consumer=users["consumer"], ask_id=ask.pk)
    offer = offer_make(vendor=vendor_a, ask_id=ask.pk, price="10.00", valid_until=now + timedelta(days=1))
    return World(
        users,
        vendor_a,
        vendor_b,
        pending,
        suspended,
        product,
        order,
        cart_item,
        promotion,
        token,
        flag,
        report,
        address,
        ask,
        offer,
    )


# --- Expected statuses, by policy ------------------------------------------------------------------------


def public(code: int = 200) -> dict[str, int]:
    return dict.fromkeys(ROLES, code)


def signed_in(code: int) -> dict[str, int]:
    """Any signed-in user acting on their own data."""
    return {"anonymous": 401, **dict.fromkeys(AUTHENTICATED, code)}


def owned_by(owner: str, code: int, others: int = 404) -> dict[str, int]:
    return {"anonymous": 401, **dict.fromkeys(AUTHENTICATED, others), owner: code}


def vendor_list(code: int = 200) -> dict[str, int]:
    """A vendor's own list: both vendors see their own; users without a vendor get 404."""
    return {"anonymous": 401, **dict.fromkeys(AUTHENTICATED, 404), "vendor": code, "other_vendor": code}


def moderators(code: int = 200) -> dict[str, int]:
    return {"anonymous": 401, **dict.fromkeys(AUTHENTICATED, 403), "moderator": code}


Kwargs = Callable[[World], dict[str, Any]]
NONE: Kwargs = lambda w: {}  # noqa: E731
A_SLUG: Kwargs = lambda w: {"slug": w.vendor_a.slug}  # noqa: E731
B_SLUG: Kwargs = lambda w: {"slug": w.vendor_b.slug}  # noqa: E731
A_ID: Kwargs = lambda w: {"vendor_id": w.vendor_a.pk}  # noqa: E731
PRODUCT: Kwargs = lambda w: {"pk": w.product.pk}  # noqa: E731
ORDER: Kwargs = lambda w: {"pk": w.order.pk}  # noqa: E731
CHECKOUT: Kwargs = lambda w: {"pk": w.order.checkout_id}  # noqa: E731
PROMO: Kwargs = lambda w: {"pk": w.promotion.pk}  # noqa: E731
ASK: Kwargs = lambda w: {"pk": w.ask.pk}  # noqa: E731
ASK_OFFER: Kwargs = lambda w: {"pk": w.ask.pk, "offer_id": w.offer.pk}  # noqa: E731


def _ask_body(w: World) -> dict[str, Any]:
    return {
        "category": w.vendor_a.category.slug,
        "title": "Matrix",
        "description": "Anything",
        "respond_by": (timezone.now() + timedelta(days=2)).isoformat(),
    }


def _review(w: World) -> dict[str, Any]:
    """A buyer's review of vendor A on the world's order, as order_rate leaves one written with text."""
    review = ServiceRating.objects.create(
        order=w.order, vendor=w.vendor_a, consumer=w.users["consumer"], score=2, comment="Rude", public=True
    )
    return {"pk": review.pk}


def _csv(w: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("c.csv", b"sku,name,price,stock\nM1,Matrix tea,2.00,3\n")}


def _promotion_body(w: World) -> dict[str, Any]:
    now = timezone.now()
    return {
        "title": "Matrix",
        "discount_value": "5",
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(),
    }


def _application_body(w: World) -> dict[str, Any]:
    return {"name": "New Shop", "category": w.vendor_a.category.slug, "contact_email": "shop@example.com"}


# (url name, method): (url kwargs, body, expected status per role)
MATRIX: dict[tuple[str, str], tuple[Kwargs, Callable[[World], Any] | None, dict[str, int]]] = {
    ("root", "GET"): (NONE, None, public()),
    ("vendor-list", "GET"): (NONE, None, public()),
    ("vendor-compare", "GET"): (NONE, None, public(400)),  # no vendors named
    ("vendor-detail", "GET"): (A_SLUG, None, public()),
    ("product-list", "GET"): (NONE, None, public()),
    ("product-detail", "GET"): (PRODUCT, None, public()),
    ("cart-detail", "GET"): (NONE, None, signed_in(200)),
    ("cart-item-add", "POST"): (NONE, lambda w: {"product_id": w.product.pk}, signed_in(201)),
    ("cart-item", "PATCH"): (lambda w: {"pk": w.cart_item.pk}, lambda w: {"quantity": 2}, owned_by("consumer", 200)),
    ("cart-item", "DELETE"): (lambda w: {"pk": w.cart_item.pk}, None, owned_by("consumer", 200)),
    ("cart-accept-prices", "POST"): (NONE, None, signed_in(200)),
    ("checkout", "POST"): (NONE, None, signed_in(400)),  # no delivery details
    ("order-list", "GET"): (NONE, None, signed_in(200)),
    ("order-detail", "GET"): (ORDER, None, owned_by("consumer", 200)),
    ("order-rating", "POST"): (ORDER, lambda w: {"score": 4}, owned_by("consumer", 409)),  # not delivered yet
    # The world's checkout is paid: its payment shows to its consumer only, and cannot be paid or given up again.
    ("order-cancel", "POST"): (ORDER, None, owned_by("consumer", 200)),
    ("checkout-payment", "GET"): (CHECKOUT, None, owned_by("consumer", 200)),
    ("checkout-payment-confirm", "POST"): (
        CHECKOUT,
        lambda w: {"payment_method": "4242424242424242"},
        owned_by("consumer", 409),
    ),
    ("checkout-payment-cancel", "POST"): (CHECKOUT, None, owned_by("consumer", 409)),
    ("address-list", "GET"): (NONE, None, signed_in(200)),
    ("address-list", "POST"): (NONE, lambda w: {"name": "Sam", "address": "1 High St"}, signed_in(201)),
    ("address-detail", "GET"): (lambda w: {"pk": w.address.pk}, None, owned_by("consumer", 200)),
    ("address-detail", "PUT"): (
        lambda w: {"pk": w.address.pk},
        lambda w: {"name": "Sam", "address": "2 High St", "region": "wales"},
        owned_by("consumer", 200),
    ),
    ("address-detail", "DELETE"): (lambda w: {"pk": w.address.pk}, None, owned_by("consumer", 204)),
    ("account-export", "GET"): (NONE, None, signed_in(200)),
    ("account-delete", "POST"): (NONE, None, signed_in(400)),  # not confirmed
    ("account-profile", "GET"): (NONE, None, signed_in(200)),
    ("account-profile", "PUT"): (NONE, None, signed_in(400)),
    ("account-token-list", "GET"): (NONE, None, signed_in(200)),
    ("account-token-list", "POST"): (NONE, lambda w: {"name": "script"}, signed_in(201)),
    ("account-token-revoke", "POST"): (lambda w: {"pk": w.token.pk}, None, owned_by("consumer", 200)),
    ("portfolio-list", "GET"): (NONE, None, signed_in(200)),
    # Vendor B's own owner cannot hold it as a partner (partner counts are consumers' verdicts).
    ("portfolio-list", "POST"): (NONE, lambda w: {"vendor_id": w.vendor_b.pk}, {**signed_in(201), "other_vendor": 403}),
    ("portfolio-history", "GET"): (NONE, None, signed_in(200)),
    ("portfolio-feed", "GET"): (NONE, None, signed_in(200)),
    ("portfolio-end", "POST"): (A_ID, lambda w: {"reason": "price"}, owned_by("consumer", 200, others=409)),
    # Nobody has an ended one to reinstate; vendor A's owner is refused before that, as for adding.
    ("portfolio-reinstate", "POST"): (A_ID, None, {**signed_in(409), "vendor": 403}),
    ("portfolio-mute", "POST"): (A_ID, lambda w: {"muted": True}, owned_by("consumer", 200, others=409)),
    # The draft was delivered to nobody, so nobody may give feedback on it (tests/promotions/test_feedback.py: who may)
    ("portfolio-feedback", "POST"): (
        lambda w: {"promotion_id": w.promotion.pk},
        lambda w: {"verdict": "useful"},
        signed_in(404),
    ),
    ("sell-application", "GET"): (NONE, None, vendor_list(200)),
    ("sell-application", "POST"): (NONE, _application_body, {**signed_in(201), "vendor": 409, "other_vendor": 409}),
    ("sell-application", "PUT"): (NONE, _application_body, {**vendor_list(409)}),  # approved: closed
    ("sell-profile", "GET"): (NONE, None, vendor_list(200)),
    ("sell-profile", "PATCH"): (NONE, lambda w: {"description": "Fresh each week"}, vendor_list(200)),
    ("sell-product-list", "GET"): (NONE, None, vendor_list(200)),
    ("sell-product-list", "POST"): (NONE, lambda w: {"name": "X", "price": "2.00", "stock": 1}, vendor_list(201)),
    ("sell-product-import", "POST"): (NONE, _csv, vendor_list(200)),
    ("sell-product-detail", "GET"): (PRODUCT, None, owned_by("vendor", 200)),
    ("sell-product-detail", "PATCH"): (PRODUCT, lambda w: {"stock": 3}, owned_by("vendor", 200)),
    ("sell-product-detail", "DELETE"): (PRODUCT, None, owned_by("vendor", 200)),
    ("sell-product-stock", "POST"): (PRODUCT, lambda w: {"delta": 1}, owned_by("vendor", 200)),
    ("sell-shipping", "GET"): (NONE, None, vendor_list(200)),
    ("sell-shipping", "PUT"): (NONE, lambda w: {"flat_rate": "3.50"}, vendor_list(200)),
    ("sell-order-list", "GET"): (NONE, None, vendor_list(200)),
    ("sell-order-detail", "GET"): (ORDER, None, owned_by("vendor", 200)),
    ("sell-order-ship", "POST"): (ORDER, None, owned_by("vendor", 200)),
    ("sell-order-deliver", "POST"): (ORDER, None, owned_by("vendor", 409)),  # paid, not shipped
    ("sell-order-cancel", "POST"): (ORDER, None, owned_by("vendor", 200)),
    ("sell-insights", "GET"): (NONE, None, vendor_list(200)),
    # Each vendor sees its own payouts; the onboarding link is its own account's.
    ("sell-payouts", "GET"): (NONE, None, vendor_list(200)),
    ("sell-payout-list", "GET"): (NONE, None, vendor_list(200)),
    ("sell-payouts-onboarding", "POST"): (NONE, None, vendor_list(200)),
    ("sell-promotion-list", "GET"): (NONE, None, vendor_list(200)),
    ("sell-promotion-list", "POST"): (NONE, _promotion_body, vendor_list(201)),
    ("sell-promotion-detail", "GET"): (PROMO, None, owned_by("vendor", 200)),
    ("sell-promotion-detail", "PATCH"): (PROMO, lambda w: {"title": "Renamed"}, owned_by("vendor", 200)),
    ("sell-promotion-detail", "DELETE"): (PROMO, None, owned_by("vendor", 204)),
    ("sell-promotion-preview", "GET"): (PROMO, None, owned_by("vendor", 200)),
    # Vendor A has one partner: its owner passes authorization and is refused for the audience (under K).
    ("sell-promotion-publish", "POST"): (PROMO, None, owned_by("vendor", 409)),
    ("sell-promotion-end", "POST"): (PROMO, None, owned_by("vendor", 409)),  # a draft cannot end
    ("sell-promotion-results", "GET"): (PROMO, None, owned_by("vendor", 200)),
    # Asks: the consumer's own (another's answers 404); the vendor's only when addressed to it (vendor B is not
    # the consumer's partner: 404, like an ask that does not exist).
    ("asks-list", "GET"): (NONE, None, signed_in(200)),
    ("asks-list", "POST"): (NONE, _ask_body, signed_in(201)),
    ("asks-audience", "GET"): (NONE, None, signed_in(400)),  # no category named
    ("asks-mute", "POST"): (A_ID, lambda w: {"muted": True}, signed_in(200)),
    ("asks-detail", "GET"): (ASK, None, owned_by("consumer", 200)),
    ("asks-publish", "POST"): (ASK, None, owned_by("consumer", 409)),  # already open
    ("asks-cancel", "POST"): (ASK, None, owned_by("consumer", 200)),
    ("asks-offer-accept", "POST"): (
        ASK_OFFER,
        lambda w: {"ship_to_name": "C", "ship_to_address": "A"},
        owned_by("consumer", 201),
    ),
    ("asks-offer-report", "POST"): (ASK_OFFER, lambda w: {"text": "Bait"}, owned_by("consumer", 201)),
    ("sell-ask-list", "GET"): (NONE, None, vendor_list(200)),
    ("sell-ask-insights", "GET"): (NONE, None, vendor_list(200)),
    ("sell-ask-detail", "GET"): (ASK, None, owned_by("vendor", 200)),
    ("sell-ask-offer", "POST"): (
        ASK,
        lambda w: {"price": "9.00", "valid_until": (timezone.now() + timedelta(days=1)).isoformat()},
        owned_by("vendor", 201),  # its one revision
    ),
    ("sell-ask-withdraw", "POST"): (ASK, None, owned_by("vendor", 200)),
    ("sell-ask-not-interested", "POST"): (ASK, None, owned_by("vendor", 409)),  # it already offered
    ("moderation-queue", "GET"): (NONE, None, moderators()),
    ("moderation-flag-list", "GET"): (NONE, None, moderators()),
    ("moderation-flag-clear", "POST"): (lambda w: {"pk": w.flag.pk}, None, moderators()),
    ("moderation-vendor-list", "GET"): (NONE, None, moderators()),
    ("moderation-vendor-approve", "POST"): (lambda w: {"pk": w.pending.pk}, None, moderators()),
    ("moderation-vendor-reject", "POST"): (lambda w: {"pk": w.pending.pk}, lambda w: {"reason": "No"}, moderators()),
    ("moderation-vendor-suspend", "POST"): (
        lambda w: {"pk": w.vendor_b.pk},
        lambda w: {"reason": "Fraud"},
        moderators(),
    ),
    ("moderation-vendor-reinstate", "POST"): (
        lambda w: {"pk": w.suspended.pk},
        lambda w: {"reason": "Fixed"},
        moderators(),
    ),
    ("moderation-report-list", "GET"): (NONE, None, moderators()),
    ("moderation-report-resolve", "POST"): (lambda w: {"pk": w.report.pk}, lambda w: {"note": "Done"}, moderators()),
    ("moderation-report-dismiss", "POST"): (lambda w: {"pk": w.report.pk}, lambda w: {"note": "No"}, moderators()),
    ("moderation-audit", "GET"): (NONE, None, moderators()),
    ("moderation-review-hide", "POST"): (_review, lambda w: {"reason": "Insults"}, moderators()),
    # Anyone signed in may report a vendor, except its own owner; one open report each.
    ("moderation-report-create", "POST"): (
        B_SLUG,
        lambda w: {"reason": "fraud"},
        {**signed_in(201), "other_vendor": 409, "other_consumer": 409},
    ),
}


def _api_endpoints() -> set[tuple[str, str]]:
    def walk(patterns: list[Any], namespace: str | None = None):  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "api":
                view = getattr(p.callback, "cls", None)
                for method in ("get", "post", "put", "patch", "delete"):
                    if view is not None and hasattr(view, method):
                        yield p.name, method.upper()

    return set(walk(get_resolver().url_patterns))


def test_matrix_covers_every_api_endpoint():
    endpoints = _api_endpoints()
    assert len(endpoints) > 50
    assert endpoints - MATRIX.keys() == set(), "new API endpoints need a row in the authorization matrix"
    assert MATRIX.keys() - endpoints == set(), "the matrix names endpoints that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), sorted(MATRIX))
def test_authorization_matrix(world, name, method):
    kwargs, body, expected = MATRIX[(name, method)]
    url = reverse(f"api:{name}", kwargs=kwargs(world))
    got = {}
    for role in ROLES:  # the owner acts last but one and the moderator last, so earlier cells see the world intact
        api = APIClient()
        if role != "anonymous":
            api.force_authenticate(world.users[role])
        data = body(world) if body else None
        fmt = "multipart" if name == "sell-product-import" else "json"
        got[role] = getattr(api, method.lower())(url, data, format=fmt).status_code
    assert got == expected
