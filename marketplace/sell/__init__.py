"""The vendor workspace under /sell/: application, catalogue, orders to fulfil, insights, promotions.

One room and one URL namespace ("sell"), at the top of the layers beside the storefront: its pages read
from every app below (vendors, portfolios, promotions, shop) and write only through their services.
"""
