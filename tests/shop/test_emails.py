"""Buyers and vendors hear what happened to an order: one e-mail per event, in text and HTML, sent after the
commit, and a mail server that fails never breaks the request."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.shop.models import Order
from marketplace.shop.services import cart_add, checkout_place
from marketplace.shop.services.fulfilment import order_fulfil
from tests.factories import ProductFactory, VendorFactory
from tests.helpers import outbox_html, outbox_to, place_order
from tests.payments import checkout_and_pay


@pytest.mark.django_db
def test_order_place_mails_the_buyer_and_the_vendor_owner_once(consumer, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(consumer, product)
    buyer, owner = outbox_to(consumer.email), outbox_to(product.vendor.owner.email)
    assert len(buyer) == 1 and len(owner) == 1 and len(mail.outbox) == 2
    assert buyer[0].subject == f"Order #{order.pk} from Bean There is placed"
    assert "2 × House Blend at £10.00" in buyer[0].body
    assert "Total: £20.00" in buyer[0].body
    assert "1 Bean Street" in buyer[0].body
    assert "House Blend" in outbox_html(buyer[0]) and "£20.00" in outbox_html(buyer[0])
    assert owner[0].subject == f"New order #{order.pk} for Bean There"
    assert "House Blend" in owner[0].body
    # The owner's mail carries no buyer: the delivery details stay on the workspace's order page.
    assert "Ada Shopper" not in owner[0].body and "Bean Street" not in owner[0].body
    assert "Ada Shopper" not in outbox_html(owner[0])


@pytest.mark.django_db
def test_checkout_place_replayed_with_the_same_key_sends_nothing_more(
    consumer, product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place_order(consumer, product, key="same")
    with django_capture_on_commit_callbacks(execute=True):
        replay = checkout_place(
            consumer=consumer, idempotency_key="same", ship_to_name="Ada Shopper", ship_to_address="1 Bean Street"
        )
    assert replay.replayed
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_checkout_across_two_vendors_mails_each_owner_about_their_own_order(
    consumer, product, django_capture_on_commit_callbacks
):
    other = ProductFactory(vendor=VendorFactory(name="Leaf Co"), name="Green Tea")
    cart_add(consumer=consumer, product_id=product.pk)
    cart_add(consumer=consumer, product_id=other.pk)
    with django_capture_on_commit_callbacks(execute=True):
        checkout_and_pay(consumer, "two", ship_to_name="Ada", ship_to_address="1 Bean St")
    assert len(outbox_to(consumer.email)) == 2
    (leaf_mail,) = outbox_to(other.vendor.owner.email)
    assert "Green Tea" in leaf_mail.body and "House Blend" not in leaf_mail.body


@pytest.mark.django_db
def test_order_fulfil_mails_the_buyer_once_per_step(consumer, product, django_capture_on_commit_callbacks):
    order = place_order(consumer, product)
    mail.outbox.clear()
    vendor = product.vendor
    with django_capture_on_commit_callbacks(execute=True):
        order_fulfil(vendor=vendor, order_id=order.pk, action="ship")
    assert [m.subject for m in mail.outbox] == [f"Order #{order.pk} from Bean There has shipped"]
    assert mail.outbox[0].to == [consumer.email]
    assert "on its way" in mail.outbox[0].body and "on its way" in outbox_html(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        order_fulfil(vendor=vendor, order_id=order.pk, action="deliver")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == f"Order #{order.pk} from Bean There was delivered"
    assert "rate it" in mail.outbox[1].body


@pytest.mark.django_db
def test_order_cancel_from_the_sell_page_mails_the_buyer_the_reason(
    client, consumer, product, django_capture_on_commit_callbacks
):
    order = place_order(consumer, product)
    mail.outbox.clear()
    client.force_login(product.vendor.owner)
    page = client.get(reverse("sell:order-detail", args=[order.pk]))
    assert b"Reason for cancelling (optional, e-mailed to the buyer)" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("sell:order-detail", args=[order.pk]),
            {"action": "cancel", "reason": "The roaster broke down; we cannot fill it this month."},
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    (message,) = mail.outbox
    assert message.to == [consumer.email]
    assert message.subject == f"Order #{order.pk} from Bean There was cancelled"
    assert "Their reason: The roaster broke down; we cannot fill it this month." in message.body
    assert "The roaster broke down" in outbox_html(message)


@pytest.mark.django_db
def test_order_cancel_through_the_api_takes_a_reason_and_refuses_a_long_one(
    client, consumer, product, django_capture_on_commit_callbacks
):
    order = place_order(consumer, product)
    mail.outbox.clear()
    client.force_login(product.vendor.owner)
    url = reverse("api:sell-order-cancel", args=[order.pk])
    refused = client.post(url, {"reason": "x" * 501}, content_type="application/json")
    assert refused.status_code == 400 and "reason" in refused.json()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"reason": "Out of beans"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert "Their reason: Out of beans" in mail.outbox[0].body


@pytest.mark.django_db
def test_order_fulfil_refuses_a_reason_on_shipping(consumer, product):
    order = place_order(consumer, product)
    with pytest.raises(Exception, match="cancellation only"):
        order_fulfil(vendor=product.vendor, order_id=order.pk, action="ship", reason="Why not")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.django_db
def test_a_failing_mail_server_is_logged_and_the_checkout_still_succeeds(
    consumer_client, consumer, product, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(self, fail_silently=False):  # type: ignore[no-untyped-def]
        assert fail_silently is False
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)
    cart_add(consumer=consumer, product_id=product.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = consumer_client.post(
            reverse("shop:checkout"),
            {"idempotency_key": "smtp-down", "ship_to_name": "Ada", "ship_to_address": "1 Bean Street"},
        )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        paid = consumer_client.post(response["Location"], {"card_number": "4242424242424242"})
    assert paid.status_code == 302
    assert Order.objects.filter(consumer=consumer, status=Order.Status.PAID).count() == 1
    assert "Could not send the e-mail" in caplog.text
