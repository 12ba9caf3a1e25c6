"""Listeners for domain signals of lower layers (connected in PromotionsConfig.ready)."""
