"""The API docs tell a developer how to authenticate, and every operation in the schema has a summary."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_every_operation_in_the_schema_has_a_summary(schema):
    missing = [
        f"{method.upper()} {path} ({operation.get('operationId')})"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS and not (operation.get("summary") or "").strip()
    ]
    assert missing == [], "operations without a summary (marketplace/api_schema.py SUMMARIES): " + ", ".join(missing)


def test_summaries_are_one_short_line_each_and_unique(schema):
    summaries = [
        operation["summary"]
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method in METHODS and operation.get("summary")
    ]
    assert all(len(summary) <= 60 and "\n" not in summary for summary in summaries)
    assert len(set(summaries)) == len(summaries)


def test_schema_says_where_the_token_comes_from_and_how_it_is_sent(schema):
    description = schema["info"]["description"]
    assert "/account/tokens/" in description
    assert "Authorization: Token <key>" in description
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token == {"type": "apiKey", "in": "header", "name": "Authorization", "description": token["description"]}
    assert "/account/tokens/" in token["description"] and "Token <key>" in token["description"]


@pytest.mark.django_db
def test_docs_page_links_the_token_page_and_shows_the_header(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/account/tokens/"' in html
    assert "<code>Authorization: Token &lt;key&gt;</code>" in html
    assert '<link rel="icon" href="/favicon.ico"' in html
