"""The OpenAPI schema is valid, and the live API honours it under generated input for every role."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from marketplace.accounts.demo import DEMO_CONSUMER, DEMO_MODERATOR, DEMO_VENDOR
from marketplace.accounts.models import User
from marketplace.accounts.services import api_token_create

# A few hundred generated cases per run, across all operations and roles, within a couple of minutes.
EXAMPLES_PER_OPERATION = 6
ROLES = ["anonymous", DEMO_CONSUMER, DEMO_VENDOR, DEMO_MODERATOR]


def test_schema_is_valid_openapi_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/vendors/" in (tmp_path / "schema.yml").read_text()


@pytest.fixture
def role_headers(db, reference_data) -> dict[str, dict[str, str]]:
    # reference_data: a transactional test (a browser test) that ran before may have flushed the regions.
    call_command(
        "seed_demo",
        "--consumers",
        "20",
        "--vendors",
        "6",
        "--products-per-vendor",
        "3",
        "--memberships-per-consumer",
        "2",
        "--no-progress",
        verbosity=0,
    )
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for email in ROLES[1:]:
        _, key = api_token_create(user=User.objects.get(email=email), name="fuzz")
        headers[email] = {"Authorization": f"Token {key}"}
    return headers


@pytest.fixture
def api_schema(db):
    # As Django's test client does: keep the test's connection (and its transaction) open across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_fuzz_no_server_errors_and_responses_match_schema(case, role_headers):
    for role in ROLES:
        case.call_and_validate(
            headers=role_headers[role],
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        )
