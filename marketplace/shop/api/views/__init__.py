"""API views of the storefront, one module per area (storefront, portfolio, account)."""
