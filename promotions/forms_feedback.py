"""The partner's feedback form on a promotion in their feed (marketplace/shop/views/portfolio.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import PromotionFeedback


class PromotionFeedbackForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=PromotionFeedback.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the promotion was useful or not for you."},
    )
    reason = forms.ChoiceField(
        choices=[("", "No reason given"), *PromotionFeedback.Reason.choices],
        required=False,
        label="If not for me, why?",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The page offers the reason next to both verdicts; it only means something with "not for me".
        if data.get("verdict") == PromotionFeedback.Verdict.USEFUL:
            data["reason"] = ""
        return data
