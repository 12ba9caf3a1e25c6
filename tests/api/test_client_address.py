"""Limits that count visitors, not the proxy in front of them (issue 29).

Behind the TLS proxy every request arrives from the proxy's address; the visitor is the entry the proxy appended
to X-Forwarded-For. With MARKETPLACE["TRUSTED_PROXY_COUNT"] (DJANGO_TRUSTED_PROXIES) set to the proxies really
in front, the API throttles, the failed-token counter and allauth's login limits count each visitor; with 0 (a
direct client) the header is ignored, so forging it changes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from marketplace.accounts.authentication import FAILED_TOKEN_LIMIT
from marketplace.accounts.services import api_token_create
from tests.factories import TEST_PASSWORD, UserFactory

PROXY = "10.0.0.2"  # the TLS proxy: every request reaches the site from here
ALICE = "198.51.100.7"
BOB = "203.0.113.9"


@pytest.fixture
def proxies(settings):
    """Set the deployment's one setting, and only it: every limit must follow it through client_ip (the
    libraries' own settings derived from it at start are checked by test_the_one_setting_reaches_every_reader)."""

    def trust(count: int) -> None:
        settings.MARKETPLACE = {**settings.MARKETPLACE, "TRUSTED_PROXY_COUNT": count}

    return trust


def test_the_one_setting_reaches_every_reader():
    # DJANGO_TRUSTED_PROXIES sets the project's setting, DRF's NUM_PROXIES and allauth's count at start; the
    # throttles and allauth's adapter are the project's, which read the address through client_ip.
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MARKETPLACE['TRUSTED_PROXY_COUNT'], s.REST_FRAMEWORK['NUM_PROXIES'], s.ALLAUTH_TRUSTED_PROXY_COUNT, "
        "s.ACCOUNT_ADAPTER, *s.REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES'])"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    base["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
    base["DATABASE_URL"] = "postgres://postgres@db.invalid/marketplace"  # named, never connected to
    root = Path(__file__).resolve().parents[2]
    answers = []
    for extra in ({}, {"DJANGO_TRUSTED_PROXIES": "1"}):
        result = subprocess.run(
            [sys.executable, "-c", probe], cwd=root, env={**base, **extra}, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        answers.append(result.stdout.split())
    readers = [
        "marketplace.accounts.adapter.AccountAdapter",
        "marketplace.kernel.throttling.AnonRateThrottle",
        "marketplace.kernel.throttling.UserRateThrottle",
    ]
    assert answers == [["0", "0", "0", *readers], ["1", "1", "1", *readers]]


def via_proxy(visitor: str, claimed: str = "") -> dict[str, str]:
    """What the proxy sends on: its own address as REMOTE_ADDR, the visitor appended to what the visitor wrote."""
    forwarded = f"{claimed}, {visitor}" if claimed else visitor
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "192.0.2.1"),  # nothing trusted: the header is ignored
        (1, "1.1.1.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # what the visitor wrote, left of the proxy's entry, is ignored
        (2, "6.6.6.6, 1.1.1.1, 10.9.9.9", "1.1.1.1"),
        (2, "1.1.1.1", "192.0.2.1"),  # did not pass every trusted proxy: not believed
        (1, "not-an-address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "203.0.113.5:51234", "203.0.113.5"),
    ],
)
def test_client_ip_is_the_nth_entry_from_the_right_and_ignores_the_header_with_no_trusted_proxy(
    proxies, count, forwarded, expected
):
    from marketplace.kernel.client_address import client_ip  # here, so the attacks below also run against older code

    proxies(count)
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_ten_bogus_tokens_from_one_visitor_do_not_lock_out_another_visitor_behind_the_same_proxy(proxies, consumer):
    # Given one TLS proxy in front, and Bob holding a real token
    proxies(1)
    _, bobs_key = api_token_create(user=consumer, name="script")
    api = APIClient()

    # When Alice sends ten bogus tokens, and more
    alice = [
        api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION=f"Token guess-{i}", **via_proxy(ALICE)).status_code
        for i in range(FAILED_TOKEN_LIMIT + 2)
    ]

    # Then Alice's further wrong tokens are refused with 429
    assert alice[:FAILED_TOKEN_LIMIT] == [401] * FAILED_TOKEN_LIMIT and alice[FAILED_TOKEN_LIMIT:] == [429, 429]
    # And Bob, behind the same proxy, is not: his token works, his anonymous reads work, his own typo is a 401
    assert api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION=f"Token {bobs_key}", **via_proxy(BOB)).status_code == 200
    assert api.get(reverse("api:vendor-list"), **via_proxy(BOB)).status_code == 200
    assert api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION="Token typo", **via_proxy(BOB)).status_code == 401


@pytest.mark.django_db
def test_the_failed_token_limit_never_blocks_a_valid_token_a_session_or_an_anonymous_read(proxies, consumer):
    # Given Alice, behind the proxy, past the limit of wrong tokens
    proxies(1)
    api = APIClient()
    for i in range(FAILED_TOKEN_LIMIT):
        api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION=f"Token guess-{i}", **via_proxy(ALICE))
    assert api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION="Token again", **via_proxy(ALICE)).status_code == 429

    # Then only token attempts that fail are refused: her right token, her session, her anonymous reads pass
    _, key = api_token_create(user=consumer, name="script")
    assert api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION=f"Token {key}", **via_proxy(ALICE)).status_code == 200
    assert api.get(reverse("api:vendor-list"), **via_proxy(ALICE)).status_code == 200
    session = APIClient()
    session.force_login(consumer)
    assert session.get("/api/v1/portfolio/", **via_proxy(ALICE)).status_code == 200


@pytest.mark.django_db
def test_api_throttle_counts_each_visitor_behind_the_proxy(proxies, monkeypatch, vendor):
    proxies(1)
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/min"})
    api = APIClient()
    alice = [api.get(reverse("api:vendor-list"), **via_proxy(ALICE)).status_code for _ in range(4)]
    assert alice == [200, 200, 200, 429]
    # Bob shares the proxy's address, not Alice's budget; nor can Alice take a fresh one by writing the header
    assert api.get(reverse("api:vendor-list"), **via_proxy(BOB)).status_code == 200
    assert api.get(reverse("api:vendor-list"), **via_proxy(ALICE, claimed=BOB)).status_code == 429


def _login(client, email: str, password: str, **meta: str) -> int:
    """Post the login form; 302 is a login, 200 the form again (wrong, or too many failures), 429 a refusal."""
    return client.post(reverse("account_login"), {"login": email, "password": password}, **meta).status_code


@pytest.mark.django_db
def test_login_limits_count_the_visitor_behind_the_proxy(proxies):
    # Given one proxy in front, Alice's and Bob's accounts
    proxies(1)
    alice_account, bob_account = UserFactory(email="alice@test.example"), UserFactory(email="bob@test.example")
    alice, bob = Client(), Client()

    # When Alice fails to log in ten times (each time another e-mail: only the per-visitor limit applies)
    assert {_login(alice, f"nobody{i}@test.example", "wrong", **via_proxy(ALICE)) for i in range(10)} == {200}

    # Then even her right password is refused for a while (allauth's failed-login limit), but not Bob's
    assert _login(alice, alice_account.email, TEST_PASSWORD, **via_proxy(ALICE)) == 200
    assert _login(bob, bob_account.email, TEST_PASSWORD, **via_proxy(BOB)) == 302

    # And when Alice keeps posting past the login rate (30 a minute), she is answered 429, and Bob is not
    answers = [_login(alice, f"nobody{i}@test.example", "wrong", **via_proxy(ALICE)) for i in range(25)]
    assert answers[-1] == 429
    assert _login(Client(), bob_account.email, TEST_PASSWORD, **via_proxy(BOB)) == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_from_a_direct_client_changes_nothing(proxies, monkeypatch, client, vendor):
    # Given no proxy in front (trusted count 0): a client connects directly and writes X-Forwarded-For itself
    proxies(0)
    direct = "192.0.2.44"

    def forged(i: int) -> dict[str, str]:
        return {"REMOTE_ADDR": direct, "HTTP_X_FORWARDED_FOR": f"198.51.100.{i}"}

    # API throttle: a new forged address on each request does not buy a fresh budget
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/min"})
    api = APIClient()
    assert [api.get(reverse("api:vendor-list"), **forged(i)).status_code for i in range(4)] == [200, 200, 200, 429]
    monkeypatch.undo()

    # Failed-token counter: it counts the connecting address whatever the header says
    answers = [
        api.get("/api/v1/portfolio/", HTTP_AUTHORIZATION=f"Token guess-{i}", **forged(i)).status_code
        for i in range(FAILED_TOKEN_LIMIT + 1)
    ]
    assert answers[-1] == 429

    # Login limits: the same (allauth's failed-login limit, then its login rate)
    user = UserFactory(email="direct@test.example")
    assert {_login(client, f"nobody{i}@test.example", "wrong", **forged(i)) for i in range(10)} == {200}
    assert _login(client, user.email, TEST_PASSWORD, **forged(99)) == 200  # refused: too many failures
    assert [_login(client, f"nobody{i}@test.example", "wrong", **forged(i)) for i in range(25)][-1] == 429
    # And a forged header cannot make the direct client someone else: another real address is not limited
    assert api.get(reverse("api:vendor-list"), REMOTE_ADDR="192.0.2.45", HTTP_X_FORWARDED_FOR=direct).status_code == 200
