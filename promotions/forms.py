from django import forms

from marketplace.accounts.models import AgeBand, Interest, Region

from .models import Promotion


class PromotionForm(forms.Form):
    title = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    kind = forms.ChoiceField(choices=Promotion.Kind.choices, widget=forms.RadioSelect, initial=Promotion.Kind.PARTNERS)
    audience = forms.ChoiceField(
        choices=Promotion.Audience.choices,
        initial=Promotion.Audience.ALL_PARTNERS,
        help_text="For partners-only promotions.",
    )
    segment_region = forms.ModelChoiceField(Region.objects.all(), required=False, label="Segment: region")
    segment_age_band = forms.ChoiceField(
        choices=[("", "Any"), *AgeBand.choices], required=False, label="Segment: age band"
    )
    segment_interest = forms.ModelChoiceField(Interest.objects.all(), required=False, label="Segment: interest")
    lapsed_days = forms.IntegerField(
        min_value=1, max_value=3650, required=False, label="Partners who have not bought for (days)"
    )
    discount_type = forms.ChoiceField(choices=Promotion.DiscountType.choices)
    discount_value = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0.01, label="Discount")
    min_order = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, label="Minimum order (£, optional)"
    )
    code = forms.CharField(max_length=30, required=False, label="Code (optional)")
    starts_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
