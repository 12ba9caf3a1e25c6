"""My partners' cards are kept in the cache by what they show: each visitor's forms still carry their own CSRF
token, and a change (muting a partner) shows on the next page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from portfolios.services import membership_start
from tests.factories import UserFactory, VendorFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_two_partners_of_one_vendor_each_get_their_own_token_and_can_mute_from_the_cached_card():
    vendor = VendorFactory(name="Bean There")
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        membership_start(consumer=user, vendor_id=vendor.pk)
    first_client, second_client = _signed_in(first), _signed_in(second)
    first_page = first_client.get(reverse("portfolios:portfolio")).content.decode()
    second_page = second_client.get(reverse("portfolios:portfolio")).content.decode()  # the card from the cache
    assert "Mute promotions" in first_page and "Mute promotions" in second_page
    assert "__csrf_token__" not in first_page + second_page
    first_token, second_token = TOKEN.findall(first_page)[0], TOKEN.findall(second_page)[0]
    assert first_token != second_token

    mute = reverse("portfolios:mute", args=[vendor.pk])
    assert second_client.post(mute, {"muted": "on", "csrfmiddlewaretoken": second_token}).status_code == 302
    muted_page = second_client.get(reverse("portfolios:portfolio")).content.decode()
    assert "promotions muted" in muted_page and "Unmute promotions" in muted_page
    assert "promotions muted" not in first_client.get(reverse("portfolios:portfolio")).content.decode()
