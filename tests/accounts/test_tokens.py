"""Personal API tokens: created and revoked by their owner, stored hashed, shown once."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.accounts.models import APIToken


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_api_token_create_page_shows_key_once_and_stores_only_its_hash(consumer_client, consumer):
    response = consumer_client.post(reverse("tokens:list"), {"name": "stock script"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    token = APIToken.objects.get(user=consumer)
    assert key not in (token.key_hash, token.prefix) and token.prefix == key[:8]
    assert key not in consumer_client.get(reverse("tokens:list")).content.decode()


@pytest.mark.django_db
def test_api_token_authenticates_until_revoked(consumer_client, consumer, api):
    key = consumer_client.post(reverse("tokens:list"), {"name": "app"}).context["new_key"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listing = api.get(reverse("api:account-token-list"))
    assert listing.status_code == 200
    assert [t["name"] for t in listing.json()["results"]] == ["app"]
    token = APIToken.objects.get(user=consumer)
    consumer_client.post(reverse("tokens:revoke", args=[token.pk]))
    assert api.get(reverse("api:account-token-list")).status_code in (401, 403)


@pytest.mark.django_db
def test_api_token_of_another_user_cannot_be_revoked(consumer_client, consumer, other_consumer):
    from django.test import Client

    theirs_client = Client()
    theirs_client.force_login(other_consumer)
    theirs_client.post(reverse("tokens:list"), {"name": "theirs"})
    theirs = APIToken.objects.get(user=other_consumer)
    consumer_client.post(reverse("tokens:revoke", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.is_active
    api = APIClient()
    api.force_authenticate(consumer)
    assert api.post(reverse("api:account-token-revoke", args=[theirs.pk])).status_code == 404


@pytest.mark.django_db
def test_api_token_create_refuses_blank_name_with_field_error(consumer, api):
    api.force_authenticate(consumer)
    response = api.post(reverse("api:account-token-list"), {"name": "   "}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert not APIToken.objects.exists()


@pytest.mark.django_db
def test_api_token_page_sends_anonymous_users_to_login(client):
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_failed_token_authentication_is_throttled_like_failed_logins(consumer):
    from marketplace.accounts.authentication import FAILED_TOKEN_LIMIT
    from marketplace.accounts.services import api_token_create

    api = APIClient()
    answers = [
        api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION=f"Token guess-{i}").status_code
        for i in range(FAILED_TOKEN_LIMIT + 2)
    ]
    assert answers[:FAILED_TOKEN_LIMIT] == [401] * FAILED_TOKEN_LIMIT
    assert answers[FAILED_TOKEN_LIMIT:] == [429, 429]
    # Only wrong tokens are refused: the right one still works from that address (a key is 43 random characters,
    # so letting it through gives a guesser nothing), and another address's wrong token is its own first failure.
    _, key = api_token_create(user=consumer, name="script")
    assert api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION="Token guess-again").status_code == 429
    other_address = APIClient(REMOTE_ADDR="10.0.0.9")
    assert other_address.get("/api/v1/portfolio/", HTTP_AUTHORIZATION="Token guess-0").status_code == 401
