from django import forms

from .models import AgeBand, Interest, Region


class ProfileForm(forms.Form):
    region = forms.ModelChoiceField(Region.objects.all(), required=False, empty_label="Prefer not to say")
    age_band = forms.ChoiceField(
        choices=[("", "Prefer not to say"), *AgeBand.choices], required=False, label="Age band"
    )
    interests = forms.ModelMultipleChoiceField(
        Interest.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    share_region = forms.BooleanField(required=False, label="Share my region with my partners")
    share_age_band = forms.BooleanField(required=False, label="Share my age band with my partners")
    share_interests = forms.BooleanField(required=False, label="Share my interests with my partners")
    weekly_promotion_cap = forms.IntegerField(
        min_value=0, max_value=50, label="Partner promotions I accept per week (all partners together)"
    )
