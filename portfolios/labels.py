"""The portfolios' choice labels, marked for the catalogue (marketplace.kernel.labels says why here)."""

from django.utils.translation import gettext_noop

LABELS = (
    # EndReason
    gettext_noop("Bad service"),
    gettext_noop("Price"),
    gettext_noop("Quality"),
    gettext_noop("No longer needed"),
    gettext_noop("Other"),
)
