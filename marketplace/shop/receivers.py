"""Listeners for domain signals (connected in ShopConfig.ready)."""
