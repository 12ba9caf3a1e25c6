"""Choice labels in the reader's language.

The models' TextChoices labels are marked with gettext_lazy (their migrations record the English, which is what a
lazy label gives when compared; the admin reads them in the operator's language), so `get_status_display` and a
form's choices show the reader's language. Each app's `labels.py` marks a few of the same words again from before
the models did; `translated_choices` keeps a form's choices lazy when it is built at import.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


def translated_choices(choices: type[models.Choices]) -> list[tuple[str, Promise]]:
    """The (value, label) pairs of `choices`, each label translated when it is shown (a form built at import
    shows the language of the request that renders it)."""
    return [(value, gettext_lazy(label)) for value, label in choices.choices]
