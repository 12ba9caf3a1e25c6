"""Storefront pages: thin views over the selectors and services."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from marketplace.kernel.caching import cache_anonymous_page
from marketplace.kernel.errors import DomainError, DomainErrorMixin
from marketplace.kernel.limits import ID_MAX, PRICE_MAX
from marketplace.kernel.pagination import LookaheadPaginator
from marketplace.kernel.redirects import redirect_back
from portfolios.selectors import partner_vendor_ids
from portfolios.selectors.memberships import VendorExclusion, vendor_ids_excluded_for_visit
from promotions.selectors import promotion_list_public_ads_shown
from vendors.selectors import category_list_kept

from .. import selectors
from ..exceptions import CheckoutRefused
from ..forms import CartAddForm, CartQuantityForm, CheckoutForm, ProductSearchForm, RatingForm, VendorFilterForm
from ..services import (
    cart_accept_prices,
    cart_add,
    cart_item_remove,
    cart_item_update,
    checkout_place,
    order_rate,
)
from ..suspended import product_get_of_suspended_vendor, vendor_get_suspended_for_customer
from .payments import checkout_pay_redirect

ADS_BESIDE_RESULTS = 3
FEATURED_VENDORS = 6

logger = logging.getLogger(__name__)


@method_decorator(cache_anonymous_page(), name="dispatch")
class HomeView(TemplateView):
    template_name = "shop/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        exclusion = vendor_ids_excluded_for_visit(consumer=self.request.user)
        context["featured_vendors"] = selectors.vendor_list_featured(count=FEATURED_VENDORS, exclusion=exclusion)
        context["partner_ids"] = exclusion.partners
        context["categories"] = category_list_kept()
        context["ads"] = promotion_list_public_ads_shown(
            consumer=self.request.user, count=ADS_BESIDE_RESULTS, exclusion=exclusion
        )
        return context


def _mark_ended(vendors: Any, exclusion: VendorExclusion) -> None:
    """Set `ended_partnership_on` on each listed vendor the consumer ended (found by name), for its mark."""
    if exclusion.ended:
        for vendor in vendors:  # rows of vendors they ended come from the database only (rule 2), never kept
            if vendor.pk in exclusion.ended_on:
                vendor.ended_partnership_on = exclusion.ended_on[vendor.pk]


@method_decorator(cache_anonymous_page(params=("q", "category", "region", "sort", "page")), name="dispatch")
class VendorListView(ListView):
    template_name = "shop/vendor_list.html"
    context_object_name = "vendors"
    paginate_by = 24
    paginator_class = LookaheadPaginator  # no COUNT over the directory; at most MAX_PAGES deep

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.form = VendorFilterForm(self.request.GET or None)
        self.exclusion = vendor_ids_excluded_for_visit(consumer=self.request.user)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        category = data.get("category")
        region = data.get("region")
        return selectors.vendor_list_directory_kept(
            search=data.get("q") or "",
            category=category.slug if category else None,
            region=region.code if region else None,
            sort=data.get("sort") or "",
            exclusion=self.exclusion,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        category = self.form.cleaned_data.get("category") if self.form.is_bound and self.form.is_valid() else None
        context["form"] = self.form
        context["compare"] = True
        context["ads"] = promotion_list_public_ads_shown(
            consumer=self.request.user,
            count=ADS_BESIDE_RESULTS,
            category=category.slug if category else None,
            exclusion=self.exclusion,
        )
        context["partner_ids"] = self.exclusion.partners
        _mark_ended(context["vendors"], self.exclusion)
        return context


@method_decorator(cache_anonymous_page(), name="dispatch")
class VendorDetailView(TemplateView):
    template_name = "shop/vendor_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = selectors.vendor_get_page_kept(slug=self.kwargs["slug"])
        if page is None:
            # Hidden from the public, but its partners and buyers are told what happened and what comes next.
            suspended = vendor_get_suspended_for_customer(slug=self.kwargs["slug"], consumer=self.request.user)
            if suspended is None:
                raise Http404("No such vendor.")
            self.template_name = "shop/vendor_suspended.html"
            context["suspended"] = suspended
            return context
        vendor = page.vendor
        exclusion = vendor_ids_excluded_for_visit(consumer=self.request.user)
        is_partner = vendor.pk in exclusion.partners
        ended_on = exclusion.ended_on.get(vendor.pk)
        products = [  # this request's own copies: what is kept is not changed
            replace(
                product, your_price=product.unit_price_for(is_partner=is_partner), from_ended_partner=bool(ended_on)
            )
            for product in page.products
        ]
        context.update(
            vendor=vendor,
            products=products,
            more_products=page.more,
            facts=page.facts,
            reviews=page.reviews,
            is_partner=is_partner,
            ended_partnership_on=ended_on,
        )
        return context


@method_decorator(cache_anonymous_page(), name="dispatch")
class ProductDetailView(TemplateView):
    template_name = "shop/product_detail.html"
    status = 200

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        return super().render_to_response(context, status=self.status, **response_kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        product = selectors.product_get_page_kept(pk=self.kwargs["pk"])
        if product is None:
            suspended = product_get_of_suspended_vendor(pk=self.kwargs["pk"])
            if suspended is None:
                raise Http404("No such product.")
            # Not for sale while its shop is suspended: the link says so (404: nothing here can be bought).
            self.template_name, self.status = "shop/product_suspended.html", 404
            context["suspended"] = suspended
            return context
        exclusion = vendor_ids_excluded_for_visit(consumer=self.request.user)  # partners and ended, one query
        is_partner = product.vendor_id in exclusion.partners
        ended_on = exclusion.ended_on.get(product.vendor_id)
        product = replace(product, from_ended_partner=ended_on is not None)
        context.update(
            product=product,
            terms=selectors.shipping_terms_kept(vendor_id=product.vendor_id),
            is_partner=is_partner,
            ended_partnership_on=ended_on,
            your_price=product.unit_price_for(is_partner=is_partner),
            form=CartAddForm(),
        )
        return context


@method_decorator(
    cache_anonymous_page(
        params=("q", "only_partners", "page", "sort", "category", "min_price", "max_price", "in_stock")
    ),
    name="dispatch",
)
class ProductSearchView(ListView):
    """Partners first: the consumer's partners' products come first, marked, then the rest."""

    template_name = "shop/search.html"
    context_object_name = "products"
    paginate_by = 24
    paginator_class = LookaheadPaginator  # no COUNT over the search; at most MAX_PAGES deep

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.form = ProductSearchForm(self.request.GET or None)
        self.exclusion = vendor_ids_excluded_for_visit(consumer=self.request.user)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return selectors.product_search_partners_first_kept(
            consumer=self.request.user,
            query=data.get("q") or "",
            only_partners=bool(data.get("only_partners")),
            exclusion=self.exclusion,
            sort=data.get("sort") or "",
            filters=self.form.filters(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["sort_choices"] = selectors.ProductSort.CHOICES
        context["categories"] = category_list_kept()
        context["price_max"] = PRICE_MAX
        context["ads"] = promotion_list_public_ads_shown(
            consumer=self.request.user, count=ADS_BESIDE_RESULTS, exclusion=self.exclusion
        )
        return context


class VendorCompareView(TemplateView):
    template_name = "shop/compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        slugs = self.request.GET.getlist("v")
        vendors = selectors.vendor_list_compare(slugs=slugs)
        partner_ids = partner_vendor_ids(consumer=self.request.user)
        context["rows"] = [
            {"vendor": v, "facts": selectors.vendor_facts(vendor=v), "is_partner": v.pk in partner_ids} for v in vendors
        ]
        context["too_few"] = len(vendors) < 2
        context["max_compare"] = selectors.MAX_COMPARE
        return context


# --- Cart, checkout, orders ---------------------------------------------------------------------------


class CartView(LoginRequiredMixin, TemplateView):
    template_name = "shop/cart.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        preview = selectors.checkout_preview(consumer=self.request.user)
        context.update(cart=preview.cart, preview=preview)
        return context


class CartAddView(DomainErrorMixin, LoginRequiredMixin, View):
    def get_error_redirect(self) -> str:
        return reverse("shop:product-detail", args=[self.kwargs["product_id"]])

    def post(self, request: HttpRequest, product_id: int) -> HttpResponse:
        form = CartAddForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a quantity from 1 to 99."))
            return redirect_back(request, self.get_error_redirect())
        item = cart_add(consumer=request.user, product_id=product_id, quantity=form.cleaned_data["quantity"])
        messages.success(request, _("Added “%(product)s” to your cart.") % {"product": item.product.name})
        return redirect_back(request, self.get_error_redirect())


class CartItemUpdateView(DomainErrorMixin, LoginRequiredMixin, View):
    error_redirect = "shop:cart"

    def post(self, request: HttpRequest, item_id: int) -> HttpResponse:
        form = CartQuantityForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a quantity from 1 to 99."))
            return redirect("shop:cart")
        cart_item_update(consumer=request.user, item_id=item_id, quantity=form.cleaned_data["quantity"])
        return redirect("shop:cart")


class CartItemRemoveView(DomainErrorMixin, LoginRequiredMixin, View):
    error_redirect = "shop:cart"

    def post(self, request: HttpRequest, item_id: int) -> HttpResponse:
        cart_item_remove(consumer=request.user, item_id=item_id)
        return redirect("shop:cart")


class CartAcceptPricesView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        changed = cart_accept_prices(consumer=request.user)
        messages.success(
            request,
            ngettext(
                "Accepted today's prices for %(count)d item.", "Accepted today's prices for %(count)d items.", changed
            )
            % {"count": changed},
        )
        return redirect("shop:cart")


class CheckoutView(LoginRequiredMixin, View):
    """The checkout page. A database failure while placing the order rolls everything back (one transaction):
    the consumer is told so (503, their cart intact, the form ready to send again), not shown a server error."""

    template_name = "shop/checkout.html"
    unavailable_message = gettext_lazy("We could not place your order; nothing was charged, try again.")

    def _render(
        self,
        request: HttpRequest,
        form: CheckoutForm,
        problems: list[str] | None = None,
        status: int = 200,
        code_errors: list[str] | None = None,
    ) -> HttpResponse:
        """The page with what placing the order would charge now: per vendor the promotion that applies (with
        the promotion code the form carries) and the total to pay."""
        if form.is_bound:
            code = getattr(form, "cleaned_data", {}).get("promotion_code") or ""
            region = getattr(form, "cleaned_data", {}).get("ship_to_region")
            region_code = region.code if region else ""
            picked = None
        else:
            code = form.initial.get("promotion_code", "")
            region_code = form.initial.get("ship_to_region", "")
            picked = form.initial.get("address")
        preview = selectors.checkout_preview(consumer=request.user, code=code, region=region_code)
        context = {
            "form": form,
            "cart": preview.cart,
            "preview": preview,
            "addresses": selectors.address_list_for_consumer(consumer=request.user),
            "picked_address": picked,
            "problems": problems or [],
            "code_errors": code_errors or [],
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        """`?promotion_code=` previews the code's effect and `?ship_to_region=` the delivery charges to that
        region; the order form then carries the code and the region applied."""
        code, code_errors = "", []
        try:
            code = CheckoutForm.base_fields["promotion_code"].clean(request.GET.get("promotion_code", ""))
        except ValidationError as exc:
            code_errors = exc.messages
        try:
            region = CheckoutForm.base_fields["ship_to_region"].clean(request.GET.get("ship_to_region", ""))
        except ValidationError as exc:
            region, code_errors = None, [*code_errors, *exc.messages]
        initial = {
            "ship_to_name": request.user.display_name,
            "promotion_code": code,
            "ship_to_region": region.code if region else "",
        }
        picked = request.GET.get("address", "")
        if picked:  # one of their saved addresses, picked from the list: the form comes filled in with it
            pk = int(picked) if picked.isdigit() and len(picked) <= 16 else 0
            saved = selectors.address_get_for_consumer(consumer=request.user, pk=pk) if 1 <= pk <= ID_MAX else None
            if saved is None:
                code_errors = [*code_errors, _("Pick one of your saved addresses.")]
            else:
                initial.update(ship_to_name=saved.name, ship_to_address=saved.address, address=saved.pk)
                if "ship_to_region" not in request.GET:  # a region chosen after picking it stays chosen
                    initial["ship_to_region"] = saved.region.code if saved.region else ""
        return self._render(request, CheckoutForm(initial=initial), code_errors=code_errors)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CheckoutForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = dict(form.cleaned_data)
        data["ship_to_region"] = data["ship_to_region"].code if data["ship_to_region"] else ""
        try:
            result = checkout_place(consumer=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self._render(request, form, status=400)
        except CheckoutRefused as exc:
            return self._render(request, form, problems=exc.problems, status=409)
        except DomainError as exc:
            return self._render(request, form, problems=[str(exc)], status=409)
        except DatabaseError:
            logger.exception("Checkout failed in the database and was rolled back (consumer %s)", request.user.pk)
            return self._render(request, form, problems=[self.unavailable_message], status=503)
        return checkout_pay_redirect(request, result)


class OrderListView(LoginRequiredMixin, ListView):
    template_name = "shop/order_list.html"
    context_object_name = "orders"
    paginate_by = 20

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.order_list_for_consumer(consumer=self.request.user)


class OrderDetailView(LoginRequiredMixin, TemplateView):
    template_name = "shop/order_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        order = selectors.order_get_for_consumer(consumer=self.request.user, pk=self.kwargs["pk"])
        if order is None:
            raise Http404("No such order.")
        context["order"] = order
        context["rating_form"] = RatingForm()
        return context


class OrderRateView(DomainErrorMixin, LoginRequiredMixin, View):
    def get_error_redirect(self) -> str:
        return reverse("shop:order-detail", args=[self.kwargs["pk"]])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = RatingForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a rating from 1 to 5."))
            return redirect("shop:order-detail", pk=pk)
        order_rate(consumer=request.user, order_id=pk, **form.cleaned_data)
        messages.success(request, _("Thank you for rating this vendor's service."))
        return redirect("shop:order-detail", pk=pk)
