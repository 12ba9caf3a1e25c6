"""The API has a front door: /api/v1/ lists every section with a working address."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_api_root_lists_every_section_with_a_working_address(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    names = [s["name"] for s in body["sections"]]
    assert names == [
        "vendors",
        "products",
        "cart",
        "checkout",
        "orders",
        "portfolio",
        "account",
        "tokens",
        "sell",
        "moderation",
    ]
    by_name = {s["name"]: s for s in body["sections"]}
    assert by_name["vendors"]["url"] == "http://testserver/api/v1/vendors/"
    assert client.get(by_name["vendors"]["url"]).status_code == 200
    assert client.get(by_name["sell"]["url"]).status_code == 401  # there, and asks who you are
    assert body["schema"] == "http://testserver/api/schema/" and body["docs"] == "http://testserver/api/docs/"
