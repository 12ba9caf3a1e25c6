"""Vendor cards and product results, rendered once and then read from the cache, many in one round trip
(marketplace.kernel.caching.fragments: keyed by what each card shows and by its templates, included ones
too). Per-visitor parts that carry a CSRF token are either rendered outside the kept card, every time (the
"ended partnership" note with its Reinstate form), or kept with the token marker that escaping cannot produce
(caching.TOKEN_MARKER) and served with the visitor's token."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from marketplace.kernel.caching import TOKEN_MARKER, fragments, with_token
from marketplace.kernel.privacy import release_settings
from vendors.shown import figures_of, thumbnails_of

register = template.Library()


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
        # The exact figures and the release's settings, not the released facts: the release (noise, rounding,
        # translated texts) is a function of these, so only a card that is drawn afresh pays for it.
        figures = figures_of(vendor)
        return (
            vendor.pk,
            vendor.name,
            vendor.slug,
            vendor.description,
            str(vendor.logo),
            thumbnails_of(vendor.logo),
            vendor.category.name if vendor.category_id else "",
            tuple(region.name for region in vendor.regions_served()),
            (figures.current_partners, figures.rating_average, figures.rating_count, release_settings()),
            getattr(vendor, "product_count", None),
            vendor.pk in partner_ids,
            compare,
        )

    def render(vendor: Any) -> str:
        # No request: a card needs no context processor, and renders the same for every visitor it is keyed by.
        return card.render({"vendor": vendor, "partner_ids": partner_ids, "compare": compare})

    html = fragments(vendors, "vendor", "shop/_vendor_card.html", fingerprint, render)
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
        thumbnails_of(product.image),
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

    return mark_safe("".join(fragments(products, "product", "shop/_product_result.html", fingerprint, render)))  # noqa: S308


@register.simple_tag(takes_context=True)
def product_cards(context: template.Context, products: Iterable[Any]) -> SafeString:
    """The cards of shop/_product_card.html for a vendor page's `products` (with vendor, your_price and
    from_ended_partner set by the view). A signed-in visitor's cards carry an "Add to cart" form: it is
    kept with the token marker, which is this visitor's token when served."""
    request = context.get("request")
    signed_in = bool(request is not None and request.user.is_authenticated)
    page_path = request.path if request is not None else ""
    card = get_template("shop/_product_card.html")

    def fingerprint(product: Any) -> tuple[Any, ...]:
        return (*_product_shown(product), product.stock, signed_in, page_path)

    def render(product: Any) -> str:
        return card.render(
            {"product": product, "signed_in": signed_in, "page_path": page_path, "csrf_token": TOKEN_MARKER}
        )

    html = "".join(fragments(products, "product-card", "shop/_product_card.html", fingerprint, render))
    return with_token(html, context.get("csrf_token") if signed_in else "")


def _cards_with_forms(
    context: template.Context,
    items: Iterable[Any],
    kind: str,
    template_name: str,
    fingerprint: Callable[[Any], tuple[Any, ...]],
    item_context: Callable[[Any], dict[str, Any]],
) -> SafeString:
    """Cards whose forms carry a CSRF token: kept with the token marker, served with this visitor's token."""
    card = get_template(template_name)

    def render(item: Any) -> str:
        return card.render({**item_context(item), "csrf_token": TOKEN_MARKER})

    html = "".join(fragments(items, kind, template_name, fingerprint, render))
    return with_token(html, context.get("csrf_token"))


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
    category and regions loaded), with their Approve and Reject forms, which return to this page. Rendered
    for each moderator, never kept: they name the applicants (their e-mail addresses)."""
    next_path = _next_path(context)
    card = get_template("moderation/_application_card.html")
    # A plain context with the page's token, not the request: with it, every card ran every context processor
    # again (the header's facts included).
    token = context.get("csrf_token")
    return mark_safe(  # noqa: S308 - template output, escaped there
        "".join(card.render({"vendor": vendor, "next_path": next_path, "csrf_token": token}) for vendor in vendors)
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

    return mark_safe(fragments([insights], "insights", template_name, lambda figures: (repr(figures),), render)[0])  # noqa: S308 - template output, escaped there
