"""Buyers and reporters hear what happened: one e-mail per event, in text and HTML, sent after the commit, and
a mail server that fails never breaks the request."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.shop.models import Order
from marketplace.shop.services import cart_add, checkout_place
from marketplace.shop.services.fulfilment import order_fulfil
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.payments import checkout_and_pay
from vendors.models import VendorReport
from vendors.moderation import services as moderation

from .conftest import place_order


def _html(message: mail.EmailMessage) -> str:
    alternatives = getattr(message, "alternatives", [])
    assert len(alternatives) == 1 and alternatives[0][1] == "text/html", "every message has an HTML part"
    return alternatives[0][0]


def _to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.mark.django_db
def test_order_place_mails_the_buyer_and_the_vendor_owner_once(consumer, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(consumer, product)
    buyer, owner = _to(consumer.email), _to(product.vendor.owner.email)
    assert len(buyer) == 1 and len(owner) == 1 and len(mail.outbox) == 2
    assert buyer[0].subject == f"Order #{order.pk} from Bean There is placed"
    assert "2 × House Blend at £10.00" in buyer[0].body
    assert "Total: £20.00" in buyer[0].body
    assert "1 Bean Street" in buyer[0].body
    assert "House Blend" in _html(buyer[0]) and "£20.00" in _html(buyer[0])
    assert owner[0].subject == f"New order #{order.pk} for Bean There"
    assert "House Blend" in owner[0].body
    # The owner's mail carries no buyer: the delivery details stay on the workspace's order page.
    assert "Ada Shopper" not in owner[0].body and "Bean Street" not in owner[0].body
    assert "Ada Shopper" not in _html(owner[0])


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
    assert len(_to(consumer.email)) == 2
    (leaf_mail,) = _to(other.vendor.owner.email)
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
    assert "on its way" in mail.outbox[0].body and "on its way" in _html(mail.outbox[0])
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
    assert "The roaster broke down" in _html(message)


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


@pytest.mark.django_db
def test_report_create_acknowledges_the_report_to_its_reporter(consumer, vendor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report_create(reporter=consumer, vendor_id=vendor.pk, reason="not_delivered", text="Nothing came.")
    (message,) = mail.outbox
    assert message.to == [consumer.email]
    assert message.subject == "Your report on Bean There is with the moderators"
    assert "order not delivered" in message.body and "Nothing came." in message.body
    assert "Nothing came." in _html(message)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "status", "wording"),
    [("resolve", "resolved", "acted on it"), ("dismiss", "dismissed", "dismissed it")],
)
def test_report_close_mails_the_reporter_and_the_vendor_the_note(
    client, consumer, vendor, moderator, outcome, status, wording, django_capture_on_commit_callbacks
):
    report = moderation.report_create(reporter=consumer, vendor_id=vendor.pk, reason="fraud", text="")
    mail.outbox.clear()
    client.force_login(moderator)
    reports_page = client.get(reverse("moderation:reports"))
    assert b"Sent to the vendor and the reporter" in reports_page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("moderation:report-close", args=[report.pk, outcome]), {"note": "We spoke to the vendor."}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == status
    (to_reporter,) = _to(consumer.email)
    (to_vendor,) = _to(vendor.owner.email)
    assert to_reporter.subject == f"Your report on Bean There: {status}"
    assert wording in to_reporter.body
    assert "Moderator's note: We spoke to the vendor." in to_reporter.body
    assert "We spoke to the vendor." in _html(to_reporter)
    assert "We spoke to the vendor." in to_vendor.body


@pytest.mark.django_db
def test_report_close_of_a_deleted_reporter_mails_only_the_vendor(
    vendor, moderator, django_capture_on_commit_callbacks
):
    reporter = UserFactory(email="gone@test.example")
    report = moderation.report_create(reporter=reporter, vendor_id=vendor.pk, reason="fraud", text="")
    reporter.delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report_dismiss(moderator=moderator, report_id=report.pk, note="Nothing found.")
    assert [m.to for m in mail.outbox] == [[vendor.owner.email]]
    assert VendorReport.objects.get(pk=report.pk).status == VendorReport.Status.DISMISSED
