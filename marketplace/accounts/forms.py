from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.kernel.labels import translated_choices
from marketplace.kernel.limits import IdModelMultipleChoiceField

from .models import AgeBand, DigestFrequency, Interest, Region


class ProfileForm(forms.Form):
    region = forms.ModelChoiceField(
        Region.objects.all(), required=False, empty_label=_("Prefer not to say"), label=_("Region")
    )
    age_band = forms.ChoiceField(
        choices=[("", _("Prefer not to say")), *translated_choices(AgeBand)], required=False, label=_("Age band")
    )
    interests = IdModelMultipleChoiceField(
        Interest.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Interests")
    )
    share_region = forms.BooleanField(required=False, label=_("Share my region with my partners"))
    share_age_band = forms.BooleanField(required=False, label=_("Share my age band with my partners"))
    share_interests = forms.BooleanField(required=False, label=_("Share my interests with my partners"))
    weekly_promotion_cap = forms.IntegerField(
        min_value=0, max_value=50, label=_("Partner promotions I accept per week (all partners together)")
    )
    # The page always sends one of the choices, and saving it confirms it (nothing is sent before); a post
    # without it (an older client) leaves the setting as it was, unconfirmed.
    digest_frequency = forms.ChoiceField(
        choices=translated_choices(DigestFrequency),
        widget=forms.RadioSelect,
        required=False,
        label=_("E-mail digest of my partners' new products and promotions"),
    )

    def clean_digest_frequency(self) -> str | None:
        return self.cleaned_data.get("digest_frequency") or None
