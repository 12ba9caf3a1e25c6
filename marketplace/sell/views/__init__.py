"""Browser views of the vendor workspace, one module per area."""
