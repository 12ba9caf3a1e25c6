"""The header's facts (a shop, the moderators) are kept between pages, and follow the writes that change them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.accounts.models import MODERATORS_GROUP
from tests.factories import CategoryFactory, UserFactory
from vendors.services import vendor_apply

QUEUE_LINK = f'<a href="{reverse("moderation:queue")}">Moderation</a>'


def _page(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/vendors/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_applying_to_sell_turns_sell_into_your_shop_on_the_next_page(client):
    user = UserFactory()
    client.force_login(user)
    assert ">Sell</a>" in _page(client)  # read, and kept
    vendor_apply(
        owner=user,
        name="Fresh Fields",
        description="Veg",
        category=CategoryFactory(),
        regions=[],
        contact_email="shop@example.com",
    )
    page = _page(client)
    assert ">Your shop</a>" in page and ">Sell</a>" not in page


@pytest.mark.django_db
def test_joining_and_leaving_the_moderators_shows_and_hides_the_moderation_link(client):
    user = UserFactory()
    client.force_login(user)
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    assert QUEUE_LINK not in _page(client)
    user.groups.add(group)
    assert QUEUE_LINK in _page(client)
    group.user_set.remove(user)
    assert QUEUE_LINK not in _page(client)
    group.user_set.add(user)
    assert QUEUE_LINK in _page(client)
    group.user_set.clear()
    assert QUEUE_LINK not in _page(client)


@pytest.mark.django_db
def test_a_returning_visitor_does_not_read_the_header_facts_again(client):
    client.force_login(UserFactory())
    _page(client)
    with CaptureQueriesContext(connection) as ctx:
        _page(client)
    assert not [q for q in ctx.captured_queries if "auth_group" in q["sql"]]


@pytest.mark.django_db
def test_after_an_owner_transfer_the_previous_owner_sees_sell_and_the_new_one_your_shop(client, reference_data):
    from tests.factories import VendorFactory
    from vendors.moderation.services import vendor_owner_transfer

    moderator = UserFactory()
    moderator.groups.add(reference_data)
    vendor = VendorFactory()
    previous, successor = vendor.owner, UserFactory()
    for user in (previous, successor):  # both headers read, and kept
        client.force_login(user)
        _page(client)
    vendor_owner_transfer(moderator=moderator, vendor_id=vendor.pk, new_owner_email=successor.email, reason="Sold")
    client.force_login(previous)
    page = _page(client)
    assert ">Sell</a>" in page and ">Your shop</a>" not in page
    client.force_login(successor)
    assert ">Your shop</a>" in _page(client)
