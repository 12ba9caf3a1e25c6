"""Bounded inputs: request bodies, JSON nesting, ids, catalogue CSV files and command arguments all have
limits, and going past one gets a clear answer (400, 404 or 413 in the API's JSON shape; a CommandError
naming the option) with nothing changed. No input gives a 500.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

import marketplace.kernel.converters  # noqa: F401  (registers <id:...>)
from marketplace.accounts.models import User
from marketplace.kernel.limits import DESCRIPTION_MAX_LENGTH, ID_MAX, PRICE_MAX, STOCK_MAX
from marketplace.kernel.parsers import BoundedJSONParser, json_problem
from marketplace.shop.models import CartItem
from portfolios.models import PartnerMembership, VendorStats
from tests.factories import ProductFactory, UserFactory, VendorFactory
from vendors.models import Product, Vendor
from vendors.services import catalogue_csv
from vendors.services.catalogue_csv import CSV_MAX_BYTES, csv_cell_escape

ROOT = Path(__file__).resolve().parents[2]
HUGE_IDS = ["99999999999999999999", str(2**63), str(2**63 - 1), str(2**53), "0"]


@pytest.fixture
def api(consumer) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(consumer)
    return client


@pytest.fixture
def shop(db):
    return VendorFactory(name="Limits Shop")


@pytest.fixture
def vendor_api(shop) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(shop.owner)
    return client


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- Request bodies ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_body_over_the_limit_answers_413_in_json_and_adds_nothing(api, product):
    body = json.dumps({"product_id": product.pk, "note": "x" * (2 * 1024 * 1024)})
    response = api.post("/api/v1/cart/items/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1 MB."}
    assert not CartItem.objects.exists()


@pytest.mark.django_db
def test_api_body_under_the_limit_is_read_and_its_fields_judged(vendor_api, shop):
    body = json.dumps({"name": "Tea", "price": "2.00", "stock": 1, "description": "x" * 900_000})
    response = vendor_api.post("/api/v1/sell/products/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "description": [f"Ensure this field has no more than {DESCRIPTION_MAX_LENGTH} characters."]
    }
    assert not Product.objects.filter(vendor=shop).exists()


@pytest.mark.django_db
def test_json_nested_to_the_limit_is_parsed_and_one_level_deeper_refused(api, product):
    # The object holding the field is level 1: 31 lists inside it make 32 levels, 32 lists make 33.
    at_limit = '{"product_id": ' + _nested(31) + "}"
    response = api.post("/api/v1/cart/items/", at_limit, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["product_id"]  # parsed; the field says what is wrong with it
    too_deep = '{"product_id": ' + _nested(32) + "}"
    response = api.post("/api/v1/cart/items/", too_deep, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - nested deeper than 32 levels."}
    assert not CartItem.objects.exists()


@pytest.mark.django_db
def test_json_nested_100_000_deep_answers_400_not_500(api):
    response = api.post("/api/v1/cart/items/", _nested(100_000), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - nested deeper than 32 levels."}


@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_json_parser_answers_any_bytes_with_data_or_a_parse_error(body):
    try:
        BoundedJSONParser().parse(io.BytesIO(body), "application/json", {})
    except ParseError:
        pass


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=30,
)


@given(JSON_VALUES, st.integers(min_value=1, max_value=6))
def test_json_depth_check_agrees_with_counting_the_levels(value, limit):
    assert (json_problem(value, limit) is not None) == (_depth(value) > limit)


# --- Ids ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("huge", HUGE_IDS)
def test_huge_ids_in_paths_answer_404(consumer, huge):
    client = Client(raise_request_exception=False)
    api = APIClient(raise_request_exception=False)
    assert client.get(f"/products/{huge}/").status_code == 404
    assert api.get(f"/api/v1/products/{huge}/").status_code == 404
    client.force_login(consumer)
    api.force_authenticate(consumer)
    assert client.get(f"/orders/{huge}/").status_code == 404
    assert client.post(f"/cart/add/{huge}/", {"quantity": 1}).status_code == 404
    assert client.post(f"/cart/items/{huge}/update/", {"quantity": 1}).status_code == 404
    assert api.get(f"/api/v1/orders/{huge}/").status_code == 404
    assert api.patch(f"/api/v1/cart/items/{huge}/", {"quantity": 1}, format="json").status_code == 404
    assert api.post(f"/api/v1/account/tokens/{huge}/revoke/").status_code == 404
    assert not CartItem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("huge", HUGE_IDS)
def test_huge_vendor_ids_in_portfolio_paths_are_refused(consumer, huge):
    client = Client(raise_request_exception=False)
    api = APIClient(raise_request_exception=False)
    client.force_login(consumer)
    api.force_authenticate(consumer)
    for answer in (
        api.post(f"/api/v1/portfolio/{huge}/end/", {"reason": "price"}, format="json"),
        api.post(f"/api/v1/portfolio/{huge}/reinstate/"),
        api.post(f"/api/v1/portfolio/{huge}/mute/", {"muted": True}, format="json"),
    ):
        assert 400 <= answer.status_code < 500
    for page in ("add", "end", "reinstate", "mute"):
        assert client.post(f"/portfolio/{page}/{huge}/", {"reason": "price"}).status_code in (302, 404)
    assert not PartnerMembership.objects.exists()


def _echo_id(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(repr(pk))


# This module is also a URL configuration for the converter's test.
urlpatterns = [path("things/<id:pk>/", _echo_id, name="thing")]


@pytest.mark.urls(__name__)
def test_id_converter_matches_ids_from_1_to_the_maximum_and_nothing_else(client):
    assert client.get("/things/1/").content == b"1"
    assert client.get(f"/things/{ID_MAX}/").content == str(ID_MAX).encode()
    for huge in (*HUGE_IDS, str(ID_MAX + 1), "00", "-1", "1e3"):
        assert client.get(f"/things/{huge}/").status_code == 404, huge
    assert reverse("thing", kwargs={"pk": 42}) == "/things/42/"


@pytest.mark.django_db
@pytest.mark.parametrize("huge", HUGE_IDS)
def test_huge_ids_in_vendor_and_moderator_paths_answer_404(shop, huge, reference_data):
    client = Client(raise_request_exception=False)
    api = APIClient(raise_request_exception=False)
    client.force_login(shop.owner)
    api.force_authenticate(shop.owner)
    assert client.get(f"/sell/products/{huge}/edit/").status_code == 404
    assert api.patch(f"/api/v1/sell/products/{huge}/", {"stock": 1}, format="json").status_code == 404
    assert api.post(f"/api/v1/sell/orders/{huge}/ship/").status_code == 404
    shop.owner.groups.add(reference_data)
    assert client.get(f"/moderation/vendors/{huge}/").status_code == 404
    assert api.post(f"/api/v1/moderation/vendors/{huge}/suspend/", {"reason": "x"}, format="json").status_code == 404


@pytest.mark.django_db
def test_huge_ids_in_bodies_are_field_errors(api, consumer):
    for huge in (2**53, 2**63, 10**30):
        response = api.post("/api/v1/cart/items/", {"product_id": huge}, format="json")
        assert response.status_code == 400
        assert response.json() == {"product_id": [f"Ensure this value is less than or equal to {ID_MAX}."]}
        response = api.post("/api/v1/portfolio/", {"vendor_id": huge}, format="json")
        assert response.status_code == 400 and "vendor_id" in response.json()
    assert not CartItem.objects.exists() and not PartnerMembership.objects.exists()


@pytest.mark.django_db
def test_huge_ids_in_forms_are_invalid_choices(consumer, category):
    client = Client(raise_request_exception=False)
    client.force_login(consumer)
    form = {"name": "New Shop", "category": category.pk, "contact_email": "new@example.com"}
    for huge in ("99999999999999999999", str(2**63), "-1"):
        response = client.post(reverse("sell:apply"), {**form, "regions": [huge]})
        assert response.status_code == 400
        assert "regions" in response.context["form"].errors
        response = client.post(reverse("account:profile"), {"weekly_promotion_cap": 5, "interests": [huge]})
        assert response.status_code == 400
        assert "interests" in response.context["form"].errors
        response = client.post(reverse("sell:apply"), {**form, "category": huge})
        assert response.status_code == 400 and "category" in response.context["form"].errors
    assert not Vendor.objects.filter(owner=consumer).exists()


@pytest.mark.django_db
def test_huge_moderator_id_in_the_audit_filter_is_refused(reference_data):
    moderator = UserFactory(email="mod@limits.example")
    moderator.groups.add(reference_data)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(moderator)
    response = api.get("/api/v1/moderation/audit/", {"moderator": "99999999999999999999"})
    assert response.status_code == 400 and "moderator" in response.json()
    client = Client(raise_request_exception=False)
    client.force_login(moderator)
    response = client.get(reverse("moderation:audit"), {"moderator": "99999999999999999999"})
    assert response.status_code == 200 and "moderator" in response.context["form"].errors


@pytest.mark.django_db
def test_refresh_stats_refuses_huge_and_non_positive_vendor_ids(vendor):
    for bad in ("0", "-1", str(2**63), str(10**30)):
        with pytest.raises(CommandError, match=r"--vendor takes a vendor id, a whole number from 1 to 9,007,"):
            call_command("refresh_stats", "--vendor", str(vendor.pk), "--vendor", bad, verbosity=0)
    with pytest.raises(CommandError, match="invalid int value: 'twelve'"):
        call_command("refresh_stats", "--vendor", "twelve", verbosity=0)
    assert not VendorStats.objects.exists()


# --- Catalogue CSV ----------------------------------------------------------------------------------------


def _csv(rows: list[list[str]], header: str = "sku,name,price,stock,description") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture
def owner_client(shop) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(shop.owner)
    return client


@pytest.mark.django_db
def test_csv_over_2_mb_is_refused_unread_on_the_page_and_the_api(owner_client, vendor_api, shop):
    big = _csv([[f"S{i}", f"Tea {i}", "2.00", "1", "x" * 100] for i in range(20_000)])
    assert len(big) > CSV_MAX_BYTES
    response = owner_client.post(reverse("sell:product-import"), {"file": SimpleUploadedFile("big.csv", big)})
    assert response.status_code == 400
    assert response.context["problems"] == ["The file is larger than 2 MB; split it."]
    twenty_mb = SimpleUploadedFile("huge.csv", b"sku,name,price\n" + b"A,B,1.00\n" * (20 * 1024 * 1024 // 9))
    response = vendor_api.post("/api/v1/sell/products/import/", {"file": twenty_mb}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 2 MB; split it."]}
    assert not Product.objects.filter(vendor=shop).exists()


@pytest.mark.django_db
def test_csv_stream_without_a_size_is_read_no_further_than_the_limit(shop):
    stream = io.BytesIO(b"sku,name,price\n" + b"A,B,1.00\n" * (3 * 1024 * 1024 // 9))
    with pytest.raises(catalogue_csv.ValidationError, match="larger than 2 MB"):
        catalogue_csv.catalogue_import_csv(vendor=shop, file=stream)
    assert stream.tell() == CSV_MAX_BYTES + 1
    assert not Product.objects.filter(vendor=shop).exists()


@pytest.mark.django_db
def test_csv_rows_past_the_limit_are_refused_before_any_is_checked(owner_client, shop, monkeypatch):
    monkeypatch.setattr(catalogue_csv, "CSV_MAX_ROWS", 3)
    rows = [[f"S{i}", f"Tea {i}", "2.00", "1", ""] for i in range(4)]
    response = owner_client.post(reverse("sell:product-import"), {"file": SimpleUploadedFile("c.csv", _csv(rows))})
    assert response.status_code == 400
    assert response.context["problems"] == ["The file has more than 3 rows; split it."]
    assert not Product.objects.filter(vendor=shop).exists()
    response = owner_client.post(reverse("sell:product-import"), {"file": SimpleUploadedFile("c.csv", _csv(rows[:3]))})
    assert response.status_code == 302
    assert Product.objects.filter(vendor=shop).count() == 3


@pytest.mark.django_db
def test_csv_cells_past_their_bounds_are_named_by_line_and_column(owner_client, shop):
    rows = [
        ["S1", "Long", "2.00", "1", "x" * (DESCRIPTION_MAX_LENGTH + 1)],
        ["S2", "Dear", str(PRICE_MAX + Decimal("0.01")), "1", ""],
        ["S3", "Heap", "2.00", str(STOCK_MAX + 1), ""],
        ["S4", "Digits", "2.00", "9" * 5000, ""],
        ["S5", "Fine", "2.00", "1", ""],
    ]
    response = owner_client.post(reverse("sell:product-import"), {"file": SimpleUploadedFile("c.csv", _csv(rows))})
    assert response.status_code == 400
    assert response.context["problems"] == [
        f"Line 2, column description: is longer than {DESCRIPTION_MAX_LENGTH} characters.",
        "Line 3, column price: is more than 100,000.00.",
        "Line 4, column stock: must be a whole number from 0 to 1,000,000.",
        f"Line 5, column stock: '{'9' * 40}…' is not a whole number.",
    ]
    assert not Product.objects.filter(vendor=shop).exists()


@pytest.mark.django_db
def test_csv_with_every_row_wrong_lists_the_first_hundred_problems(vendor_api, shop):
    rows = [[f"S{i}", "", "abc", "1", ""] for i in range(150)]  # two problems a row
    upload = SimpleUploadedFile("c.csv", _csv(rows))
    response = vendor_api.post("/api/v1/sell/products/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    problems = response.json()["file"]
    assert len(problems) == 101
    assert problems[0] == "Line 2, column name: is required."
    assert problems[-1] == "… and 200 more problems; fix these and import again."


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.mark.django_db
def test_csv_export_writes_no_cell_a_spreadsheet_would_run(owner_client, shop):
    for i, text in enumerate(FORMULAS):
        ProductFactory(vendor=shop, sku=f"=S{i}", name=text, description=text)
    ProductFactory(vendor=shop, sku="PLAIN", name="Plain tea", description="A - B = C")
    exported = owner_client.get(reverse("sell:product-export")).content.decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    for row in rows:
        for column in ("sku", "name", "description", "category"):
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), (column, row[column])
    by_sku = {row["sku"]: row for row in rows}
    assert by_sku["'=S0"]["name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert by_sku["PLAIN"]["name"] == "Plain tea" and by_sku["PLAIN"]["description"] == "A - B = C"
    assert by_sku["'=S0"]["price"] == "10.00"  # numbers are left as they are


@pytest.mark.django_db
def test_csv_export_imports_back_to_the_same_catalogue(owner_client, shop):
    for i, text in enumerate(FORMULAS[:4]):
        ProductFactory(vendor=shop, sku=f"=S{i}", name=text, description=text)
    before = sorted(Product.objects.filter(vendor=shop).values_list("sku", "name", "description"))
    exported = owner_client.get(reverse("sell:product-export")).content
    response = owner_client.post(reverse("sell:product-import"), {"file": SimpleUploadedFile("c.csv", exported)})
    assert response.status_code == 302
    assert sorted(Product.objects.filter(vendor=shop).values_list("sku", "name", "description")) == before


@given(st.text(max_size=20))
def test_csv_escape_never_starts_a_formula_and_import_undoes_it(text):
    escaped = csv_cell_escape(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert catalogue_csv._csv_cell_unescape(escaped) == (
        text if not text.startswith("'") or not text[1:].startswith(("=", "+", "-", "@", "\t", "\r")) else text[1:]
    )


# --- Pages that cannot grow without end -------------------------------------------------------------------


@pytest.mark.django_db
def test_description_over_5000_characters_is_refused_by_form_api_and_csv(owner_client, vendor_api, shop):
    long = "x" * (DESCRIPTION_MAX_LENGTH + 1)
    response = owner_client.post(
        reverse("sell:product-create"), {"name": "Tea", "price": "2.00", "stock": "1", "description": long}
    )
    assert response.status_code == 400 and "description" in response.context["form"].errors
    response = vendor_api.post(
        "/api/v1/sell/products/", {"name": "Tea", "price": "2.00", "stock": 1, "description": long}, format="json"
    )
    assert response.status_code == 400 and "description" in response.json()
    upload = SimpleUploadedFile("c.csv", _csv([["S1", "Tea", "2.00", "1", long]]))
    response = vendor_api.post("/api/v1/sell/products/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert not Product.objects.filter(vendor=shop).exists()


@pytest.mark.django_db
def test_anonymous_product_page_is_bounded_however_much_it_asks_for(shop):
    longest = "😀" * DESCRIPTION_MAX_LENGTH  # four bytes a character
    Product.objects.bulk_create(
        Product(vendor=shop, name=f"Tea {i}", description=longest, price=Decimal("2.00"), stock=1) for i in range(120)
    )
    response = APIClient().get("/api/v1/products/", {"page_size": "99999999999999999999"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 100
    assert len(response.content) < 100 * (DESCRIPTION_MAX_LENGTH * 4 + 2000)  # about 2 MB at most


# --- Command arguments ------------------------------------------------------------------------------------

SEED_OPTIONS = {
    "--consumers": "1 to 1,000,000",
    "--vendors": "1 to 100,000",
    "--products-per-vendor": "1 to 1,000",
    "--memberships-per-consumer": "1 to 1,000",
}


@pytest.mark.django_db
@pytest.mark.parametrize("option", sorted(SEED_OPTIONS))
@pytest.mark.parametrize("value", ["-1", "0", str(10**30)])
def test_seed_demo_refuses_out_of_range_numbers_and_creates_nothing(option, value):
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", option, value, "--no-progress", verbosity=0)
    assert str(refused.value) == f"{option} must be a whole number from {SEED_OPTIONS[option]}; got {value}."
    assert not User.objects.exists() and not Vendor.objects.exists()


@pytest.mark.django_db
def test_seed_demo_refuses_bad_numbers_however_they_are_passed():
    with pytest.raises(CommandError, match="--seed must be a whole number from 0 to 4,294,967,295; got -5."):
        call_command("seed_demo", "--seed", "-5", verbosity=0)
    with pytest.raises(CommandError, match="--vendors must be a whole number from 1 to 100,000; got 10000000."):
        call_command("seed_demo", vendors=10_000_000, verbosity=0)  # keyword arguments skip argparse
    with pytest.raises(CommandError, match="invalid int value: 'many'"):
        call_command("seed_demo", "--consumers", "many", verbosity=0)
    assert not User.objects.exists()


def test_seed_demo_on_the_command_line_says_what_is_wrong_without_a_traceback(tmp_path):
    env = dict(os.environ)  # the test run's database; the command refuses the argument before reading it
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--consumers", "-1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "CommandError: --consumers must be a whole number from 1 to 1,000,000; got -1." in result.stderr
    assert "Traceback" not in result.stderr
