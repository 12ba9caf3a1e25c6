"""The active-product count each vendor card shows is stored (VendorCatalogueStats) and stays exactly the
recount of the catalogue, whichever write changed it."""

from __future__ import annotations

import io
import re
import threading
import time
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction

from tests.factories import ProductFactory, UserFactory, VendorFactory
from vendors.models import Product, Vendor, VendorCatalogueStats
from vendors.moderation.services import product_deactivate_by_moderator
from vendors.services.catalogue import product_create, product_set_active, product_update
from vendors.services.catalogue_csv import catalogue_import_csv


def _stored(vendor: Vendor) -> int:
    row = VendorCatalogueStats.objects.filter(vendor=vendor).first()
    return row.active_products if row else 0


def _assert_exact(client, *vendors: Vendor) -> None:
    page = client.get("/vendors/", {"page_size": "100"}).content.decode()
    for vendor in vendors:
        recount = Product.objects.filter(vendor=vendor, active=True).count()
        assert _stored(vendor) == recount, vendor
        card = page[page.index(f">{vendor.name}</a>") :]
        assert re.search(r"(\d+) products", card).group(1) == str(recount)


@pytest.mark.django_db
def test_product_count_stays_exact_after_create_deactivate_import_moderation_and_delete(client, reference_data):
    shop, other = VendorFactory(name="Counting Shop"), VendorFactory(name="Other Shop")
    ProductFactory.create_batch(2, vendor=other)
    made = [product_create(vendor=shop, name=f"Item {n}", price=Decimal("3.00"), sku=f"S{n}") for n in range(3)]
    _assert_exact(client, shop, other)
    assert _stored(shop) == 3

    product_set_active(vendor=shop, product_id=made[0].pk, active=False)
    _assert_exact(client, shop, other)
    assert _stored(shop) == 2
    product_update(vendor=shop, product_id=made[0].pk, active=True, stock=4)
    product_update(vendor=shop, product_id=made[1].pk, price=Decimal("4.00"))  # not a change of activity
    assert _stored(shop) == 3

    csv = "sku,name,price,active\nS1,Item 1,3.00,no\nN1,New one,5.00,yes\nN2,New two,5.00,no\nN3,New three,5.00,yes\n"
    catalogue_import_csv(vendor=shop, file=io.BytesIO(csv.encode()))
    _assert_exact(client, shop, other)
    assert _stored(shop) == 4  # S0, S2, N1, N3

    moderator = UserFactory()
    moderator.groups.add(reference_data)
    product_deactivate_by_moderator(moderator=moderator, product_id=made[2].pk, reason="Counterfeit")
    Product.objects.filter(vendor=shop, sku="N3").delete()
    _assert_exact(client, shop, other)
    assert _stored(shop) == 2
    assert _stored(other) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_product_count_is_exact_when_two_transactions_add_products_to_one_vendor_at_once():
    """The second writer's recount waits for the first to commit (the vendor row is locked first), so it
    counts the first's product too, instead of overwriting the count with a figure that misses it."""
    vendor = VendorFactory()
    ProductFactory(vendor=vendor)
    first_inserted = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                product_create(vendor=vendor, name="First", price=Decimal("1.00"))
                first_inserted.set()
                time.sleep(0.5)  # the second inserts meanwhile
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            first_inserted.set()
            close_old_connections()
            connection.close()

    def second() -> None:
        try:
            first_inserted.wait(10)
            product_create(vendor=vendor, name="Second", price=Decimal("1.00"))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert Product.objects.filter(vendor=vendor, active=True).count() == 3
    assert _stored(vendor) == 3


@pytest.mark.django_db
def test_the_vendor_api_reads_the_product_count_from_the_catalogue_row_without_counting(client):
    from django.test.utils import CaptureQueriesContext

    vendor = VendorFactory()
    for _ in range(3):
        ProductFactory(vendor=vendor)
    ProductFactory(vendor=vendor, active=False)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/v1/vendors/{vendor.slug}/")
    assert response.json()["product_count"] == 3
    assert not [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] and "vendors_product" in q["sql"]]
