"""The accounts' choice labels, marked for the catalogue (marketplace.kernel.labels says why here)."""

from django.utils.translation import gettext_noop

LABELS = (
    # DigestFrequency
    gettext_noop("Daily"),
    gettext_noop("Weekly"),
    gettext_noop("Never"),
    # AgeBand (the ranges are numbers)
    gettext_noop("65 and over"),
)
