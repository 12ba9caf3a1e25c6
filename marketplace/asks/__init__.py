"""Ask my partners (issue 33): a consumer's request that only the vendors in their portfolio, in its category,
may answer with a sealed offer; it expires on the clock and an accepted offer becomes an order at its price.

A layer above the shop (it places the order through the shop's checkout and payments) and below the vendor
workspace (sell may show its aggregates)."""
