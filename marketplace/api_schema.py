"""drf-spectacular hook: describe the API's error shapes once, on every operation; the schema's view, in English.

Every endpoint can answer 400 (field errors), 401/403 (who is asking), 404 (not found, or another user's
object), 409 (a rule refused the action) and 429 (throttled). The shapes come from
marketplace/kernel/errors.py and DRF, so they are declared here instead of on each view.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView

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


# One line per operation, shown beside each in the API docs (Swagger UI lists operations by their summary). Keyed
# by operationId so the views need no decorator for it; an operation may also set its own with
# extend_schema(summary=...). tests/api/test_schema_docs.py fails on an operation that has neither.
SUMMARIES = {
    "root_retrieve": "List the API's sections",
    # Account
    "account_profile_retrieve": "Read your profile and what you share",
    "account_profile_update": "Change your profile and what you share",
    "account_export_retrieve": "Export everything held about you",
    "account_delete_create": "Delete your account",
    "account_tokens_list": "List your API tokens",
    "account_tokens_create": "Create an API token",
    "account_tokens_revoke_create": "Revoke one of your API tokens",
    "account_addresses_list": "List your saved delivery addresses",
    "account_addresses_create": "Save a delivery address",
    "account_addresses_retrieve": "Read one of your saved addresses",
    "account_addresses_update": "Replace one of your saved addresses",
    "account_addresses_destroy": "Delete one of your saved addresses",
    # Storefront
    "vendors_list": "Search and filter approved vendors",
    "vendors_retrieve": "Read a vendor and its public facts",
    "vendors_compare_list": "Compare two to four vendors",
    "products_list": "Search products, your partners' first",
    "products_retrieve": "Read a product",
    # Portfolio
    "portfolio_list": "List your current partners",
    "portfolio_create": "Add a vendor to your partners",
    "portfolio_end_create": "End a partnership, with a reason",
    "portfolio_mute_create": "Mute or unmute a partner's promotions",
    "portfolio_reinstate_create": "Reinstate a partnership you ended",
    "portfolio_history_list": "List your ended partnerships",
    "portfolio_feed_retrieve": "Read your partners' promotions and new products",
    "portfolio_feed_feedback_create": "Say whether a promotion was useful",
    "portfolio_digest_retrieve": "Read your digest as the e-mail would tell it",
    "portfolio_digest_partial_update": "Choose how often your digest e-mail comes",
    # Asks (a consumer asks their partners for an offer)
    "asks_list": "List your asks",
    "asks_create": "Write an ask, as a draft or published",
    "asks_retrieve": "Read your ask and compare its offers",
    "asks_publish_create": "Publish your ask to your partners",
    "asks_cancel_create": "Cancel your ask",
    "asks_offers_accept_create": "Accept an offer on your ask",
    "asks_offers_report_create": "Report an offer as bait",
    "asks_audience_retrieve": "Count the partners an ask would reach",
    "asks_partners_mute_create": "Keep a partner out of your asks, or let it back",
    # Cart, checkout, orders
    "cart_retrieve": "Read your cart at today's prices",
    "cart_items_create": "Add a product to your cart",
    "cart_items_partial_update": "Change a cart line's quantity",
    "cart_items_destroy": "Remove a line from your cart",
    "cart_accept_prices_create": "Accept today's prices in your cart",
    "checkout_create": "Place your cart as orders",
    "checkouts_payment_retrieve": "Read a checkout's payment",
    "checkouts_payment_confirm_create": "Pay a checkout",
    "checkouts_payment_cancel_create": "Give up paying a checkout",
    "orders_list": "List your orders",
    "orders_retrieve": "Read one of your orders",
    "orders_cancel_create": "Cancel a paid order before it ships",
    "orders_rating_create": "Rate the vendor's service on a delivered order",
    # Selling
    "sell_application_retrieve": "Read your vendor application",
    "sell_application_create": "Apply to sell",
    "sell_application_update": "Correct and resubmit your application",
    "sell_profile_retrieve": "Read your vendor profile",
    "sell_profile_partial_update": "Change your vendor profile",
    "sell_products_list": "List your catalogue",
    "sell_products_create": "Add a product",
    "sell_products_retrieve": "Read one of your products",
    "sell_products_partial_update": "Change one of your products",
    "sell_products_destroy": "Take one of your products off sale",
    "sell_products_stock_create": "Adjust a product's stock",
    "sell_products_import_create": "Import your catalogue from CSV",
    "sell_orders_list": "List the orders to fulfil",
    "sell_orders_retrieve": "Read an order to fulfil",
    "sell_orders_ship_create": "Mark an order shipped",
    "sell_orders_deliver_create": "Mark an order delivered",
    "sell_orders_cancel_create": "Cancel and refund an order",
    "sell_insights_retrieve": "Read your insights (aggregates only)",
    "sell_payouts_retrieve": "Read your payout account and balances",
    "sell_payouts_onboarding_create": "Get a link to set up payouts",
    "sell_payouts_orders_list": "List your orders' payouts",
    "sell_promotions_list": "List your promotions",
    "sell_promotions_create": "Save a new promotion draft",
    "sell_promotions_retrieve": "Read one of your promotions",
    "sell_promotions_partial_update": "Change a promotion draft",
    "sell_promotions_destroy": "Delete a promotion draft",
    "sell_promotions_preview_retrieve": "Preview a promotion's audience size",
    "sell_promotions_publish_create": "Publish a promotion",
    "sell_promotions_end_create": "End a published promotion now",
    "sell_promotions_results_retrieve": "Read a promotion's results",
    "sell_asks_list": "List the asks addressed to you",
    "sell_asks_retrieve": "Read an ask addressed to you",
    "sell_asks_offer_create": "Make or revise your offer on an ask",
    "sell_asks_withdraw_create": "Withdraw your offer on an ask",
    "sell_asks_not_interested_create": "Say you are not interested in an ask",
    "sell_asks_insights_retrieve": "Read what your partners' asks tell you",
    "sell_shipping_retrieve": "Read your delivery charges",
    "sell_shipping_update": "Replace your delivery charges",
    # Moderation
    "moderation_queue_list": "List pending vendor applications",
    "moderation_vendors_list": "List vendors for moderation",
    "moderation_vendors_approve_create": "Approve an application",
    "moderation_vendors_reject_create": "Reject an application, with a reason",
    "moderation_vendors_suspend_create": "Suspend a vendor, with a reason",
    "moderation_vendors_reinstate_create": "Reinstate a suspended vendor",
    "moderation_reports_list": "List reports on vendors",
    "moderation_reports_resolve_create": "Resolve a report",
    "moderation_reports_dismiss_create": "Dismiss a report",
    "moderation_report_create": "Report a vendor",
    "moderation_flags_list": "List open early-warning flags",
    "moderation_flags_clear_create": "Clear an early-warning flag",
    "moderation_audit_list": "Read the moderation audit log",
    "moderation_reviews_hide_create": "Hide a reported review",
}


def add_summaries(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in METHODS and not operation.get("summary") and operation.get("operationId") in SUMMARIES:
                operation["summary"] = SUMMARIES[operation["operationId"]]
    return result


class EnglishSchemaView(SpectacularAPIView):
    """The OpenAPI schema, always in English whatever the client's Accept-Language (the API's answers follow it):
    one schema for every client generator and reviewer. Rendered inside the override, since DRF renders a
    response only after the view returns."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        response["Content-Language"] = "en"  # LocaleMiddleware would name the request's language
        return response
