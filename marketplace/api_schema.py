"""drf-spectacular hook: describe the API's error shapes once, on every operation.

Every endpoint can answer 400 (field errors), 401/403 (who is asking), 404 (not found, or another user's
object), 409 (a rule refused the action) and 429 (throttled). The shapes come from
marketplace/kernel/errors.py and DRF, so they are declared here instead of on each view.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Field name (or non_field_errors) to a list of messages.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object"},
            {"type": "array", "items": {"type": "object"}},
        ]
    },
}
ERROR_RESPONSES = {
    "400": ("Bad input: field errors.", "FieldErrors"),
    "401": ("Not authenticated.", "Error"),
    "403": ("Not allowed.", "Error"),
    "404": ("Not found (or not yours).", "Error"),
    "409": ("Refused by a rule (for example: out of stock, already a partner).", "Error"),
    "429": ("Too many requests; try again later.", "Error"),
}
METHODS = {"get", "post", "put", "patch", "delete"}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    components.setdefault("FieldErrors", FIELD_ERRORS_SCHEMA)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in ERROR_RESPONSES.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                    },
                )
    return result
