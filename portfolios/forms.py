from django import forms

from marketplace.kernel.limits import COMMENT_MAX_LENGTH

from .models import EndReason


class MembershipEndForm(forms.Form):
    reason = forms.ChoiceField(choices=EndReason.choices, widget=forms.RadioSelect, label="Why are you ending it?")
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        label="Comment (optional)",
    )


class MuteForm(forms.Form):
    muted = forms.BooleanField(required=False)
