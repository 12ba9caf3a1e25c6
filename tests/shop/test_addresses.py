"""Saved delivery addresses: kept on the account (page and API), picked at checkout or saved from it; a
consumer only ever sees, changes or uses their own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marketplace.kernel.errors import ConflictError, NotFoundError
from marketplace.shop.models import SavedAddress
from marketplace.shop.services import address_delete, address_save, address_update, cart_add, checkout_place
from marketplace.shop.services.addresses import MAX_SAVED_ADDRESSES
from marketplace.shop.services.shipping import shipping_policy_set
from tests.payments import SHIP, run_on_commit

HOME = {"label": "Home", "name": "Sam Shopper", "address": "1 High Street\nCardiff", "region": "wales"}


@pytest.mark.django_db
def test_address_save_keeps_the_same_address_once_and_refuses_bad_fields(consumer):
    first = address_save(consumer=consumer, **HOME)
    assert address_save(consumer=consumer, **HOME) == first
    assert (first.label, first.region.code) == ("Home", "wales")
    for bad, field in [
        ({"name": ""}, "name"),
        ({"address": "  "}, "address"),
        ({"region": "atlantis"}, "region"),
        ({"label": "L" * 41}, "label"),
        ({"address": "A" * 501}, "address"),
    ]:
        with pytest.raises(ValidationError) as exc:
            address_save(consumer=consumer, **{**HOME, **bad})
        assert field in exc.value.message_dict
    assert SavedAddress.objects.count() == 1


@pytest.mark.django_db
def test_a_consumer_keeps_at_most_the_limit_of_addresses(consumer):
    for n in range(MAX_SAVED_ADDRESSES):
        address_save(consumer=consumer, name="Sam", address=f"{n} Road")
    with pytest.raises(ConflictError):
        address_save(consumer=consumer, name="Sam", address="One more Road")


@pytest.mark.django_db
def test_another_consumers_address_is_not_found_to_change_delete_or_deliver_to(consumer, other_consumer, product):
    theirs = address_save(consumer=other_consumer, **HOME)
    with pytest.raises(NotFoundError):
        address_update(consumer=consumer, address_id=theirs.pk, name="Me", address="Mine")
    with pytest.raises(NotFoundError):
        address_delete(consumer=consumer, address_id=theirs.pk)
    cart_add(consumer=consumer, product_id=product.pk)
    with pytest.raises(ValidationError) as exc:
        checkout_place(consumer=consumer, idempotency_key="k", saved_address=theirs.pk)
    assert "saved_address" in exc.value.message_dict and not consumer.orders.exists()
    theirs.refresh_from_db()
    assert theirs.name == "Sam Shopper"


@pytest.mark.django_db
def test_checkout_delivers_to_a_saved_address_at_its_regions_rate(consumer, product):
    shipping_policy_set(vendor=product.vendor, flat_rate=Decimal("5"), region_rates={"wales": Decimal("2")})
    saved = address_save(consumer=consumer, **HOME)
    cart_add(consumer=consumer, product_id=product.pk)
    with run_on_commit():
        order = checkout_place(consumer=consumer, idempotency_key="k", saved_address=saved.pk).orders[0]
    assert (order.ship_to_name, order.ship_to_address, order.ship_to_region.code) == (
        "Sam Shopper",
        "1 High Street\nCardiff",
        "wales",
    )
    assert order.shipping == 2 and order.total == 12


@pytest.mark.django_db
def test_checkout_saves_the_address_typed_when_asked_once_and_not_when_refused(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    with pytest.raises(ValidationError):
        checkout_place(consumer=consumer, idempotency_key="k", save_address=True, address_label="L" * 41, **SHIP)
    assert not SavedAddress.objects.exists()

    with run_on_commit():
        checkout_place(consumer=consumer, idempotency_key="k", save_address=True, address_label="Work", **SHIP)
        checkout_place(consumer=consumer, idempotency_key="k", save_address=True, address_label="Work", **SHIP)
    saved = SavedAddress.objects.get()
    assert (saved.consumer, saved.label, saved.name, saved.address) == (
        consumer,
        "Work",
        SHIP["ship_to_name"],
        SHIP["ship_to_address"],
    )


# --- Pages ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_account_page_adds_changes_and_deletes_addresses(consumer_client, consumer):
    assert reverse("account_data:addresses") in consumer_client.get(reverse("account:profile")).content.decode()
    url = reverse("account_data:addresses")
    response = consumer_client.post(url, HOME)
    assert response.status_code == 302
    saved = SavedAddress.objects.get(consumer=consumer)
    page = consumer_client.get(url).content.decode()
    assert "Home" in page and "1 High Street<br>Cardiff" in page and "(Wales)" in page

    edit = reverse("account_data:address-edit", args=[saved.pk])
    assert "1 High Street" in consumer_client.get(edit).content.decode()
    assert consumer_client.post(edit, {**HOME, "label": "Flat"}).status_code == 302
    saved.refresh_from_db()
    assert saved.label == "Flat"

    assert consumer_client.post(reverse("account_data:address-delete", args=[saved.pk])).status_code == 302
    assert not SavedAddress.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{**HOME, "name": ""}, {**HOME, "region": "atlantis"}, {**HOME, "label": "L" * 41}])
def test_the_account_page_explains_a_bad_address_with_a_400(consumer_client, data):
    response = consumer_client.post(reverse("account_data:addresses"), data)
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert not SavedAddress.objects.exists()


@pytest.mark.django_db
def test_another_consumers_address_pages_answer_404(consumer_client, other_consumer):
    theirs = address_save(consumer=other_consumer, **HOME)
    assert consumer_client.get(reverse("account_data:address-edit", args=[theirs.pk])).status_code == 404
    assert consumer_client.post(reverse("account_data:address-edit", args=[theirs.pk]), HOME).status_code == 404
    assert consumer_client.post(reverse("account_data:address-delete", args=[theirs.pk])).status_code == 404
    assert "Sam Shopper" not in consumer_client.get(reverse("account_data:addresses")).content.decode()
    SavedAddress.objects.get(pk=theirs.pk)


@pytest.mark.django_db
def test_the_checkout_page_fills_in_a_picked_address_and_saves_a_new_one(consumer_client, consumer, product):
    saved = address_save(consumer=consumer, **HOME)
    cart_add(consumer=consumer, product_id=product.pk)
    page = consumer_client.get(reverse("shop:checkout")).content.decode()
    assert f'href="?address={saved.pk}"' in page
    picked = consumer_client.get(reverse("shop:checkout") + f"?address={saved.pk}").content.decode()
    assert (
        "1 High Street\nCardiff</textarea>" in picked
        and '<input type="hidden" name="ship_to_region" value="wales">' in picked
    )
    bad = consumer_client.get(reverse("shop:checkout") + "?address=99999999999999999999").content.decode()
    assert "Pick one of your saved addresses." in bad

    response = consumer_client.post(
        reverse("shop:checkout"),
        {
            "ship_to_name": "Sam",
            "ship_to_address": "9 New Road",
            "save_address": "on",
            "address_label": "New",
            "idempotency_key": "c1",
        },
    )
    assert response.status_code == 302
    assert list(consumer.saved_addresses.order_by("label").values_list("label", flat=True)) == ["Home", "New"]


@pytest.mark.django_db
def test_the_checkout_page_never_lists_another_consumers_addresses(consumer_client, consumer, other_consumer, product):
    theirs = address_save(consumer=other_consumer, **HOME)
    cart_add(consumer=consumer, product_id=product.pk)
    page = consumer_client.get(reverse("shop:checkout") + f"?address={theirs.pk}").content.decode()
    assert "1 High Street" not in page and "Pick one of your saved addresses." in page


# --- API --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_address_api_lists_saves_changes_and_deletes_own_addresses(api, consumer, other_consumer):
    address_save(consumer=other_consumer, name="Not mine", address="Elsewhere")
    url = reverse("api:address-list")
    created = api.post(url, {**HOME, "label": "Home"}, format="json")
    assert created.status_code == 201 and created.json()["region"] == "wales"
    pk = created.json()["id"]
    assert [a["id"] for a in api.get(url).json()["results"]] == [pk]

    detail = reverse("api:address-detail", args=[pk])
    changed = api.put(detail, {**HOME, "region": None}, format="json")
    assert changed.status_code == 200 and changed.json()["region"] is None
    assert api.delete(detail).status_code == 204
    assert api.get(detail).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"address": "x"}, "name"),
        ({"name": "x"}, "address"),
        ({"name": "x", "address": "y", "region": "atlantis"}, "region"),
        ({"name": "x" * 121, "address": "y"}, "name"),
        ({"name": "x", "address": "y", "label": ["a"]}, "label"),
    ],
)
def test_the_address_api_answers_bad_input_with_400_and_field_errors(api, body, field):
    response = api.post(reverse("api:address-list"), body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not SavedAddress.objects.exists()


@pytest.mark.django_db
def test_checkout_api_delivers_to_a_saved_address_and_refuses_anothers(api, consumer, other_consumer, product):
    mine, theirs = address_save(consumer=consumer, **HOME), address_save(consumer=other_consumer, **HOME)
    cart_add(consumer=consumer, product_id=product.pk)
    refused = api.post(reverse("api:checkout"), {"saved_address": theirs.pk}, HTTP_IDEMPOTENCY_KEY="a1")
    assert refused.status_code == 400 and "saved_address" in refused.json()
    assert api.post(reverse("api:checkout"), {}, HTTP_IDEMPOTENCY_KEY="a2").status_code == 400
    with run_on_commit():
        placed = api.post(reverse("api:checkout"), {"saved_address": mine.pk}, HTTP_IDEMPOTENCY_KEY="a3")
    assert placed.status_code == 201 and placed.json()["orders"][0]["ship_to_region"] == "wales"
