from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.kernel.labels import translated_choices
from marketplace.kernel.limits import COMMENT_MAX_LENGTH

from .models import EndReason


class MembershipEndForm(forms.Form):
    reason = forms.ChoiceField(
        choices=translated_choices(EndReason), widget=forms.RadioSelect, label=_("Why are you ending it?")
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        label=_("Comment (optional)"),
    )


class MuteForm(forms.Form):
    muted = forms.BooleanField(required=False)
