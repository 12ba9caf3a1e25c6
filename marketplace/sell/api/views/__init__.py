"""API views of the vendor workspace under /api/v1/sell/, one module per area."""
