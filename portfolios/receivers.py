"""Listeners for domain signals (connected in PortfoliosConfig.ready)."""
