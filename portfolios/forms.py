from django import forms

from .models import EndReason


class MembershipEndForm(forms.Form):
    reason = forms.ChoiceField(choices=EndReason.choices, widget=forms.RadioSelect, label="Why are you ending it?")
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000, label="Comment (optional)"
    )


class MuteForm(forms.Form):
    muted = forms.BooleanField(required=False)
