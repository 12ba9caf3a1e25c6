"""Throttling answers 429 in the API's error shape once a client passes its rate."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle


@pytest.mark.django_db
def test_api_throttle_answers_429_after_the_anonymous_rate(monkeypatch, vendor):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/min"})
    api = APIClient()
    statuses = [api.get(reverse("api:vendor-list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    last = api.get(reverse("api:vendor-list"))
    assert last.status_code == 429
    assert "detail" in last.json() and int(last["Retry-After"]) > 0
