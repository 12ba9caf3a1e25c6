"""Browser views of the storefront: browsing and search, the portfolio page, cart and orders, account data."""
