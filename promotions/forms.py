from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import AgeBand, DigestFrequency, Interest, Region
from marketplace.kernel.labels import translated_choices
from marketplace.kernel.money import money_label

from .models import LapsedWindow, Promotion, PromotionFeedback

PRICE_MAX = 100_000
ISO_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class PromotionForm(forms.Form):
    title = forms.CharField(max_length=120, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000, label=_("Description")
    )
    kind = forms.ChoiceField(
        choices=Promotion.Kind.choices, widget=forms.RadioSelect, initial=Promotion.Kind.PARTNERS, label=_("Kind")
    )
    audience = forms.ChoiceField(
        choices=Promotion.Audience.choices,
        initial=Promotion.Audience.ALL_PARTNERS,
        label=_("Audience"),
        help_text=_("For partners-only promotions."),
    )
    segment_region = forms.ModelChoiceField(Region.objects.all(), required=False, label=_("Segment: region"))
    segment_age_band = forms.ChoiceField(
        choices=[("", _("Any")), *AgeBand.choices], required=False, label=_("Segment: age band")
    )
    segment_interest = forms.ModelChoiceField(Interest.objects.all(), required=False, label=_("Segment: interest"))
    # Fixed windows only (LapsedWindow): audiences a few days apart could be differenced into one partner.
    lapsed_days = forms.TypedChoiceField(
        choices=[("", "—"), *LapsedWindow.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Partners who have not bought for"),
    )
    discount_type = forms.ChoiceField(choices=Promotion.DiscountType.choices, label=_("Discount type"))
    discount_value = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=0.01, max_value=PRICE_MAX, label=_("Discount")
    )
    min_order = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=0,
        max_value=PRICE_MAX,
        required=False,
        label=money_label(_("Minimum order"), optional=True),
    )
    code = forms.CharField(max_length=30, required=False, label=_("Code (optional)"))
    uses_per_consumer = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=1,
        required=False,
        label=_("Uses per consumer"),
        help_text=_("How many orders each consumer may use it on (once, unless you raise it)."),
    )
    max_uses = forms.IntegerField(
        min_value=1,
        max_value=1_000_000,
        required=False,
        label=_("Uses in all (optional)"),
        help_text=_("Stop after this many orders from everyone together."),
    )
    # The browser's own date and time picker (shown in the reader's language) sends ISO values, the only ones
    # accepted: never a format typed in one language's words ("2016年9月5日"), whatever the page's language.
    starts_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=ISO_INPUTS,
        label=_("Starts at"),
    )
    ends_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=ISO_INPUTS,
        label=_("Ends at"),
    )

    def clean_uses_per_consumer(self) -> int:
        return self.cleaned_data.get("uses_per_consumer") or 1  # left empty: once per consumer


# The partner's feedback on a promotion in their feed (promotions/views.py).
class PromotionFeedbackForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=PromotionFeedback.Verdict.choices,
        widget=forms.RadioSelect,
        label=_("Was it useful?"),
        error_messages={"required": _("Say whether the promotion was useful or not for you.")},
    )
    reason = forms.ChoiceField(
        choices=[("", _("No reason given")), *PromotionFeedback.Reason.choices],
        required=False,
        label=_("If not for me, why?"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The page offers the reason next to both verdicts; it only means something with "not for me".
        if data.get("verdict") == PromotionFeedback.Verdict.USEFUL:
            data["reason"] = ""
        return data


class DigestSettingsForm(forms.Form):
    digest_frequency = forms.ChoiceField(
        choices=translated_choices(DigestFrequency),
        widget=forms.RadioSelect,
        label=_("Send me this digest by e-mail"),
    )
