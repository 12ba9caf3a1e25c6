"""Every read of the portfolios layer: memberships (memberships.py) and vendor insights (insights.py)."""

from .memberships import (
    membership_list_for_portfolio,
    membership_list_history,
    partner_vendor_ids,
    portfolio_get,
    portfolio_get_kept,
    product_list_new_from_partners,
    vendor_public_facts,
)

__all__ = [
    "membership_list_for_portfolio",
    "membership_list_history",
    "partner_vendor_ids",
    "portfolio_get",
    "portfolio_get_kept",
    "product_list_new_from_partners",
    "vendor_public_facts",
]
