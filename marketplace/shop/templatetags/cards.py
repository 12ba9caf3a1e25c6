"""Vendor cards and product results, rendered once and then read from the cache, many in one round trip.

A list page draws 6 to 24 cards; rendering their templates was most of a page's time at marketplace scale.
`{% vendor_cards vendors %}` and `{% product_results products %}` key each card by everything it shows (the
values the page already loaded: names, prices, stock, the public facts after suppression, the visitor's
partner mark, the template's own source), fetch every key with one `get_many`, render only the cards not
found and store them. A card whose data changed has a new key, so nothing needs invalidating and a card
never shows stale data; old keys expire. Per-visitor parts that carry a CSRF token (the "ended partnership"
note with its Reinstate form) are rendered outside the cached card, every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache as memoize
from typing import Any

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from .privacy import card_facts

register = template.Library()

CARD_SECONDS = 3600


@memoize
def _source_digest(name: str) -> str:
    """The card template's source, so a deploy that changes it renders new cards."""
    return hashlib.blake2b(get_template(name).template.source.encode(), digest_size=8).hexdigest()


def _key(kind: str, fingerprint: tuple[Any, ...]) -> str:
    return f"card:{kind}:" + hashlib.blake2b(repr(fingerprint).encode(), digest_size=16).hexdigest()


def _cards(
    items: list[Any],
    kind: str,
    template_name: str,
    fingerprint: Callable[[Any], tuple[Any, ...]],
    render: Callable[[Any], str],
) -> list[str]:
    """Each item's card HTML: from the cache where found, rendered (and stored) where not."""
    digest = _source_digest(template_name)
    keys = [_key(kind, (digest, *fingerprint(item))) for item in items]
    found = cache.get_many(keys)
    missing = {}
    html = []
    for item, key in zip(items, keys, strict=True):
        if key not in found:
            found[key] = missing[key] = render(item)
        html.append(found[key])
    if missing:
        cache.set_many(missing, timeout=CARD_SECONDS)
    return html


@register.simple_tag(takes_context=True)
def vendor_cards(context: template.Context, vendors: Iterable[Any]) -> SafeString:
    """The cards of shop/_vendor_card.html for `vendors` (with their category, regions and statistics rows
    loaded), with the context's partner_ids and compare; a vendor with `ended_partnership_on` gets its note."""
    request = context.get("request")
    partner_ids = context.get("partner_ids") or ()
    compare = bool(context.get("compare"))
    card = get_template("shop/_vendor_card.html")
    vendors = list(vendors)

    def fingerprint(vendor: Any) -> tuple[Any, ...]:
        facts = card_facts(vendor)
        return (
            vendor.pk,
            vendor.name,
            vendor.slug,
            vendor.description,
            str(vendor.logo),
            vendor.category.name if vendor.category_id else "",
            tuple(region.name for region in vendor.regions_served()),
            tuple(sorted(facts.items())),
            getattr(vendor, "product_count", None),
            vendor.pk in partner_ids,
            compare,
        )

    def render(vendor: Any) -> str:
        # No request: a card needs no context processor, and renders the same for every visitor it is keyed by.
        return card.render({"vendor": vendor, "partner_ids": partner_ids, "compare": compare})

    html = _cards(vendors, "vendor", "shop/_vendor_card.html", fingerprint, render)
    ended_note = get_template("shop/_ended_partnership.html")
    out = []
    for vendor, card_html in zip(vendors, html, strict=True):
        ended_on = getattr(vendor, "ended_partnership_on", None)
        if ended_on:
            note = ended_note.render({"vendor": vendor, "ended_on": ended_on}, request)
            out.append(f'<div class="ended-vendor">{card_html}{note}</div>')
        else:
            out.append(card_html)
    return mark_safe("".join(out))  # noqa: S308 - every part is template output, escaped there


def _product_shown(product: Any) -> tuple[Any, ...]:
    """What every product card shows of a product: its name, picture, prices (shop/_price.html) and vendor."""
    return (
        product.pk,
        product.name,
        str(product.image),
        product.price,
        product.partner_price,
        getattr(product, "your_price", None),
        product.in_stock,
        product.vendor_id,
        product.vendor.name,
        bool(getattr(product, "from_ended_partner", False)),
    )


@register.simple_tag(takes_context=True)
def product_results(context: template.Context, products: Iterable[Any]) -> SafeString:
    """The result items of shop/_product_result.html for `products` (with vendor, your_price,
    from_partner and from_ended_partner set by the search view)."""
    item = get_template("shop/_product_result.html")

    def fingerprint(product: Any) -> tuple[Any, ...]:
        return (*_product_shown(product), product.vendor.slug, bool(getattr(product, "from_partner", False)))

    def render(product: Any) -> str:
        return item.render({"product": product})

    return mark_safe("".join(_cards(list(products), "product", "shop/_product_result.html", fingerprint, render)))  # noqa: S308


# Stands for the visitor's CSRF token in a cached card; replaced by theirs each time the card is served.
CSRF_PLACEHOLDER = "__csrf_token__"


@register.simple_tag(takes_context=True)
def product_cards(context: template.Context, products: Iterable[Any]) -> SafeString:
    """The cards of shop/_product_card.html for a vendor page's `products` (with vendor, your_price and
    from_ended_partner set by the view). A signed-in visitor's cards carry an "Add to cart" form: it is
    cached with a placeholder for the CSRF token, which is this visitor's token when served."""
    request = context.get("request")
    signed_in = bool(request is not None and request.user.is_authenticated)
    page_path = request.path if request is not None else ""
    card = get_template("shop/_product_card.html")

    def fingerprint(product: Any) -> tuple[Any, ...]:
        return (*_product_shown(product), product.stock, signed_in, page_path)

    def render(product: Any) -> str:
        return card.render(
            {"product": product, "signed_in": signed_in, "page_path": page_path, "csrf_token": CSRF_PLACEHOLDER}
        )

    html = "".join(_cards(list(products), "product-card", "shop/_product_card.html", fingerprint, render))
    if signed_in:
        html = html.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token")))
    return mark_safe(html)  # noqa: S308 - template output, escaped there; the token is Django's own


def _cards_with_forms(
    context: template.Context,
    items: Iterable[Any],
    kind: str,
    template_name: str,
    fingerprint: Callable[[Any], tuple[Any, ...]],
    item_context: Callable[[Any], dict[str, Any]],
) -> SafeString:
    """Cards whose forms carry a CSRF token: cached with CSRF_PLACEHOLDER, served with this visitor's token."""
    card = get_template(template_name)

    def render(item: Any) -> str:
        return card.render({**item_context(item), "csrf_token": CSRF_PLACEHOLDER})

    html = "".join(_cards(list(items), kind, template_name, fingerprint, render))
    return mark_safe(html.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token"))))  # noqa: S308 - as product_cards


def _next_path(context: template.Context) -> str:
    """Where a card's forms send the visitor back to: this page, with its query."""
    request = context.get("request")
    return request.get_full_path() if request is not None else ""


@register.simple_tag(takes_context=True)
def partner_cards(context: template.Context, memberships: Iterable[Any]) -> SafeString:
    """The cards of portfolios/_partner_card.html for My partners' current `memberships` (with vendor and its
    category loaded): logo, name, status, since when, muted or not, and the End and Mute actions."""

    def fingerprint(membership: Any) -> tuple[Any, ...]:
        vendor = membership.vendor
        category = vendor.category.name if vendor.category_id else ""
        return (
            _source_digest("shop/_vendor_logo.html"),
            vendor.pk,
            vendor.name,
            vendor.slug,
            str(vendor.logo),
            vendor.status,
            category,
            membership.started_at,
            membership.muted,
        )

    return _cards_with_forms(
        context, memberships, "partner", "portfolios/_partner_card.html", fingerprint, lambda m: {"m": m}
    )


@register.simple_tag(takes_context=True)
def feed_items(context: template.Context, feed: Iterable[Any], reasons: Any) -> SafeString:
    """The items of portfolios/_feed_item.html for My partners' `feed` (promotions with vendor and the
    consumer's `my_feedback` set by the view), each with its feedback form."""
    reasons = list(reasons)

    def fingerprint(promo: Any) -> tuple[Any, ...]:
        feedback = promo.my_feedback
        given = (feedback.verdict, feedback.reason) if feedback is not None else None
        return (
            _source_digest("portfolios/_feedback.html"),
            promo.pk,
            promo.vendor.name,
            promo.title,
            promo.description,
            promo.discount_type,
            promo.discount_value,
            promo.min_order,
            promo.code,
            promo.ends_at,
            given,
            tuple(reasons),
        )

    return _cards_with_forms(
        context,
        feed,
        "feed-item",
        "portfolios/_feed_item.html",
        fingerprint,
        lambda promo: {"promo": promo, "feedback_reasons": reasons},
    )


@register.simple_tag(takes_context=True)
def catalogue_rows(context: template.Context, products: Iterable[Any]) -> SafeString:
    """The rows of sell/_product_row.html for a page of the vendor's own catalogue, with their stock and
    on-sale forms (which return to this page), keyed by the product: a row is only served for its own."""
    next_path = _next_path(context)

    def fingerprint(product: Any) -> tuple[Any, ...]:
        return (
            product.pk,
            product.name,
            product.sku,
            str(product.image),
            product.price,
            product.partner_price,
            product.stock,
            product.active,
            next_path,
        )

    return _cards_with_forms(
        context,
        products,
        "catalogue-row",
        "sell/_product_row.html",
        fingerprint,
        lambda product: {"product": product, "next_path": next_path},
    )


@register.simple_tag(takes_context=True)
def application_cards(context: template.Context, vendors: Iterable[Any]) -> SafeString:
    """The cards of moderation/_application_card.html for a page of pending applications (with owner,
    category and regions loaded), with their Approve and Reject forms, which return to this page."""
    next_path = _next_path(context)

    def fingerprint(vendor: Any) -> tuple[Any, ...]:
        return (
            _source_digest("moderation/_action_form.html"),
            vendor.pk,
            vendor.name,
            vendor.created_at,
            vendor.owner.email,
            vendor.contact_email,
            vendor.category.name if vendor.category_id else "",
            tuple(region.name for region in vendor.regions_served()),
            vendor.description,
            vendor.status_reason,
            next_path,
        )

    return _cards_with_forms(
        context,
        vendors,
        "application",
        "moderation/_application_card.html",
        fingerprint,
        lambda vendor: {"vendor": vendor, "next_path": next_path},
    )


@register.simple_tag
def insights_sections(insights: Any) -> SafeString:
    """The insights page's trend, end reason and segment sections with their chart data
    (sell/_insights_sections.html), keyed by every figure of `insights` (portfolios.selectors.insights.Insights,
    a dataclass whose repr holds them all): rendered once per set of figures, then read from the cache."""
    template_name = "sell/_insights_sections.html"
    sections = get_template(template_name)

    def render(figures: Any) -> str:
        return sections.render({"insights": figures, "chart_data": figures.chart_data()})

    return mark_safe(_cards([insights], "insights", template_name, lambda figures: (repr(figures),), render)[0])  # noqa: S308 - template output, escaped there
