from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.kernel.limits import ID_MAX

from ..models import ModerationAction, Vendor, VendorReport


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        label=_("Reason (the vendor sees it)"),
    )


class NoteForm(forms.Form):
    # Required by the service, which says why in the moderator's words; the form only bounds the length.
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False, label=_("Note"))


class ReportForm(forms.Form):
    # No reason chosen beforehand: the reporter picks one (a preselected "Fraud or scam" was sent unread).
    reason = forms.ChoiceField(
        choices=[("", _("Choose what went wrong")), *VendorReport.Reason.choices],
        label=_("What went wrong?"),
        error_messages={"required": _("Choose what went wrong.")},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        label=_("Tell the moderators more (optional)"),
    )


class VendorFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *Vendor.Status.choices], required=False, label=_("Status")
    )
    q = forms.CharField(required=False, max_length=100, label=_("Search"))


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", _("Any action")), *ModerationAction.Kind.choices], required=False, label=_("Action")
    )
    moderator = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput)
    vendor = forms.CharField(required=False, max_length=100, label=_("Vendor"))
    date_from = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
