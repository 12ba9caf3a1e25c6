"""The pages every footer links to: help, terms and privacy. Their figures come from the settings the rules
run on, so the texts say what the marketplace actually does."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.views.generic import TemplateView


class InfoPageView(TemplateView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rules = settings.MARKETPLACE
        return super().get_context_data(
            min_group=rules["STATS_MIN_GROUP"],
            account_days=rules["PRIVACY_ACCOUNT_DAYS"],
            partner_days=rules["PRIVACY_PARTNER_DAYS"],
            **kwargs,
        )
