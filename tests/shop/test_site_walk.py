"""Rough edges found in a walk of the site, each as the page a user meets: the right partnership button,
the promotion page's offer and its preview before saving, chart data, wording, the closing message, a
suspended shop's product link and orders page, the moderators' vendor list and the report form."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from marketplace.shop.services import account_close
from marketplace.shop.services.fulfilment import order_fulfil
from portfolios.selectors.insights import Insights
from portfolios.services import membership_end, membership_start
from promotions.models import Promotion, PromotionDelivery
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import place_order, running_promotion
from vendors.models import VendorReport
from vendors.moderation import services as moderation


@pytest.mark.django_db
def test_vendor_page_after_ending_offers_only_reinstate(consumer_client, consumer, vendor):
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    membership_end(consumer=consumer, vendor_id=vendor.pk, reason="price")
    page = consumer_client.get(vendor.get_absolute_url()).content.decode()
    assert "Reinstate" in page
    assert "Add to my partners" not in page


@pytest.mark.django_db
def test_partner_add_by_htmx_tells_the_vendor_page_to_renew_its_prices(consumer_client, vendor):
    ProductFactory(vendor=vendor, price=Decimal("9.00"), partner_price=Decimal("7.50"))
    page = consumer_client.get(vendor.get_absolute_url()).content.decode()
    assert 'hx-trigger="partners-changed from:body"' in page and 'hx-select="#vendor-products"' in page
    response = consumer_client.post(reverse("portfolios:add", args=[vendor.pk]), HTTP_HX_REQUEST="true")
    assert json.loads(response["HX-Trigger"]) == {"partners-changed": {"vendor": vendor.pk}}
    # What the page fetches then: the products at the partner price.
    renewed = consumer_client.get(vendor.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Partner price" in renewed


@pytest.mark.django_db
def test_promotion_page_after_publishing_shows_the_offer_code_and_dates(client, vendor):
    promotion = running_promotion(
        vendor, title="Autumn beans", code="BEANS10", min_order=Decimal("20.00"), description="Ten off beans"
    )
    client.force_login(vendor.owner)
    page = client.get(reverse("sell:promotion-edit", args=[promotion.pk])).content.decode()
    assert "The offer" in page and "Ten off beans" in page
    assert "10% off orders over" in page and "BEANS10" in page
    assert timezone.localtime(promotion.ends_at).strftime("%-d %b %Y") in page


@pytest.mark.django_db
def test_promotion_form_previews_the_audience_before_any_draft_is_saved(client, vendor):
    for _ in range(3):
        membership_start(consumer=UserFactory(), vendor_id=vendor.pk)
    client.force_login(vendor.owner)
    start = timezone.localtime() + timedelta(hours=1)
    form = {
        "title": "Not saved",
        "kind": "partners",
        "audience": "all",
        "discount_type": "percent",
        "discount_value": "10",
        "uses_per_consumer": "1",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "preview": "1",
    }
    response = client.post(reverse("sell:promotion-create"), form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fewer than 5 partners" in page and "nothing is saved yet" in page
    assert 'value="Not saved"' in page  # the form keeps what was typed
    assert not Promotion.objects.exists()
    # An audience field in error is shown as such, and nothing is counted or saved.
    response = client.post(reverse("sell:promotion-create"), {**form, "audience": "everyone"})
    assert response.status_code == 400 and not Promotion.objects.exists()


def test_insights_reason_chart_names_only_the_slices_it_draws():
    reasons = [
        {"label": "Bad service", "ended_90d": None},
        {"label": "Price", "ended_90d": 10},
        {"label": "Quality", "ended_90d": 0},
        {"label": "No longer needed", "ended_90d": 5},
        {"label": "Other", "ended_90d": None},
    ]
    insights = Insights(
        min_group=5, computed_at=None, current_partners=20, partners_ever=25, ended_90d=15, reachable_partners=20
    )
    insights.end_reasons = reasons
    data = insights.chart_data()["reasons"]
    assert data == {"labels": ["Price", "No longer needed"], "values": [10, 5]}


@pytest.mark.django_db
def test_names_ending_in_s_take_an_apostrophe_alone(client):
    roasters = VendorFactory(name="Bean Roasters")
    ProductFactory(vendor=roasters, price=Decimal("9.00"), partner_price=Decimal("7.50"))
    page = client.get(roasters.get_absolute_url()).content.decode()
    assert "Bean Roasters' partners" in page and "Roasters's" not in page


@pytest.mark.django_db
def test_sign_in_and_sign_up_are_written_one_way_everywhere(client, product):
    pages = [
        reverse("shop:home"),
        reverse("account_login"),
        reverse("account_signup"),
        product.get_absolute_url(),
        product.vendor.get_absolute_url(),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert not re.search(r"Log in|Log out|Sign In|Sign Up|Signup", page), url
    assert re.search(r"<title>\s*Sign in\s", client.get(reverse("account_login")).content.decode())
    assert re.search(r"<title>\s*Sign up\s", client.get(reverse("account_signup")).content.decode())


def _deliver(order) -> None:  # type: ignore[no-untyped-def]
    order_fulfil(vendor=order.vendor, order_id=order.pk, action="ship")
    order_fulfil(vendor=order.vendor, order_id=order.pk, action="deliver")


@pytest.mark.django_db
def test_closed_account_orders_are_not_labelled_partner_in_the_vendors_list(client, consumer, product):
    membership_start(consumer=consumer, vendor_id=product.vendor_id)
    _deliver(place_order(consumer, product))
    account_close(user=consumer)
    client.force_login(product.vendor.owner)
    page = client.get(reverse("sell:order-list")).content.decode()
    assert "Closed account" in page
    assert '<span class="badge">Partner</span>' not in page


@pytest.mark.django_db
def test_admin_names_promotion_deliveries_in_the_plural(admin_client):
    assert PromotionDelivery._meta.verbose_name_plural == "promotion deliveries"
    assert PromotionDelivery in admin.site._registry
    assert "Promotion deliveries" in admin_client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_closing_message_says_orders_on_their_way_keep_the_delivery_name(consumer_client, consumer, product):
    place_order(consumer, product)
    response = consumer_client.post(reverse("account_data:delete"), {"confirm": "delete"}, follow=True)
    page = response.content.decode()
    assert "Your order still on the way keeps the delivery name and address" in page
    assert "Vendors keep only the orders they must, without your name" not in page


@pytest.mark.django_db
def test_closing_message_without_open_orders_says_no_name_is_kept(consumer_client):
    response = consumer_client.post(reverse("account_data:delete"), {"confirm": "delete"}, follow=True)
    assert "Vendors keep your orders in their books without your name or address." in response.content.decode()


@pytest.mark.django_db
def test_suspended_vendors_product_link_says_the_shop_is_suspended(client, product, moderator):
    moderation.vendor_suspend(moderator=moderator, vendor_id=product.vendor_id, reason="Fake beans")
    response = client.get(product.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 404
    assert "Bean There is suspended by the marketplace's moderators." in page and "House Blend" in page
    assert "Fake beans" not in page
    assert client.get(reverse("shop:product-detail", args=[product.pk + 1000])).status_code == 404


@pytest.mark.django_db
def test_suspended_vendors_orders_page_says_what_happens_to_its_orders(client, consumer, product, moderator):
    place_order(consumer, product)
    moderation.vendor_suspend(moderator=moderator, vendor_id=product.vendor_id, reason="Fake beans")
    client.force_login(product.vendor.owner)
    page = client.get(reverse("sell:order-list")).content.decode()
    assert "no new orders come in" in page and "ship and deliver them, or cancel them" in page


@pytest.mark.django_db
def test_moderators_vendor_list_links_each_vendor_instead_of_a_suspend_form(client, moderator, vendor):
    client.force_login(moderator)
    page = client.get(reverse("moderation:vendor-list")).content.decode()
    assert reverse("moderation:vendor-action", args=[vendor.pk, "suspend"]) not in page
    assert f'href="{reverse("moderation:vendor-detail", args=[vendor.pk])}"' in page
    assert "Moderate" in page


@pytest.mark.django_db
def test_report_form_has_no_reason_chosen_and_refuses_none(consumer_client, vendor):
    url = reverse("moderation:report", args=[vendor.slug])
    page = consumer_client.get(url).content.decode()
    assert '<option value="" selected>Choose what went wrong</option>' in page
    assert re.search(r'<option value="fraud"[^>]*selected', page) is None
    response = consumer_client.post(url, {"text": "Something"})
    assert response.status_code == 400 and "Choose what went wrong." in response.content.decode()
    assert not VendorReport.objects.exists()
