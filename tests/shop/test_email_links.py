"""Every order e-mail links to the order it tells of (the buyer's order page, or the order in the vendor's
workspace), at the site's public address; sign-up and password e-mails carry the site's name and links instead
of allauth's stock "[host] Please Confirm Your Email Address"."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.shop.services.fulfilment import order_fulfil
from marketplace.shop.services.orders import order_cancel_by_consumer
from tests.helpers import SITE, outbox_html, outbox_to, place_order


@pytest.mark.django_db
def test_order_mails_link_the_buyer_and_the_vendor_to_the_order(
    site_url, consumer, product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(consumer, product)
    buyer_link = f"{SITE}{reverse('shop:order-detail', args=[order.pk])}"
    vendor_link = f"{SITE}{reverse('sell:order-detail', args=[order.pk])}"
    (placed,) = outbox_to(consumer.email)
    (new_order,) = outbox_to(product.vendor.owner.email)
    assert buyer_link in placed.body and f'href="{buyer_link}"' in outbox_html(placed)
    assert vendor_link in new_order.body and f'href="{vendor_link}"' in outbox_html(new_order)
    assert buyer_link not in new_order.body  # the vendor goes to its workspace, not the buyer's page
    for action in ("ship", "deliver"):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            order_fulfil(vendor=product.vendor, order_id=order.pk, action=action)
        (message,) = mail.outbox
        assert buyer_link in message.body and f'href="{buyer_link}"' in outbox_html(message)


@pytest.mark.django_db
def test_order_cancelled_mails_link_to_the_order(site_url, consumer, product, django_capture_on_commit_callbacks):
    first = place_order(consumer, product, key="one", quantity=1)
    second = place_order(consumer, product, key="two", quantity=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order_fulfil(vendor=product.vendor, order_id=first.pk, action="cancel", reason="Out of beans.")
    (to_buyer,) = mail.outbox
    assert f"{SITE}{reverse('shop:order-detail', args=[first.pk])}" in to_buyer.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel_by_consumer(consumer=consumer, order_id=second.pk)
    (to_vendor,) = mail.outbox
    link = f"{SITE}{reverse('sell:order-detail', args=[second.pk])}"
    assert link in to_vendor.body and f'href="{link}"' in outbox_html(to_vendor)


@pytest.mark.django_db
def test_signup_confirmation_mail_is_branded_with_the_site_name_and_links(client, site_url, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = client.post(
        reverse("account_signup"),
        {"email": "newcomer@example.com", "password1": "a-long-Secret-77", "password2": "a-long-Secret-77"},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "[Partner Marketplace] Welcome to Partner Marketplace: confirm your e-mail address"
    assert "127.0.0.1" not in message.subject and "testserver" not in message.subject
    assert message.body.startswith("Hello from Partner Marketplace,")
    assert "newcomer@example.com" in message.body
    assert f"{SITE}/portfolio/" in message.body and f"{SITE}/account/" in message.body
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body)
    assert link, message.body
    # The link works: following it confirms the address.
    assert client.get(link.group(1)).status_code == 200
    assert client.post(link.group(1)).status_code == 302
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="newcomer@example.com").verified


@pytest.mark.django_db
def test_password_reset_mail_is_branded(client, consumer, site_url):
    response = client.post(reverse("account_reset_password"), {"email": consumer.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "[Partner Marketplace] Reset your password"
    assert "/accounts/password/reset/key/" in message.body
    assert "Partner Marketplace" in message.body and f"{SITE}/account/" in message.body
