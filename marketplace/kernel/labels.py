"""Choice labels in the reader's language.

The models' TextChoices labels are marked with gettext_lazy (their migrations record the English, which is what a
lazy label gives when compared; the admin reads them in the operator's language), so `get_status_display` and a
form's choices show the reader's language. Each app's `labels.py` marks a few of the same words again from before
the models did; `translated_choices` keeps a form's choices lazy when it is built at import.
"""

from __future__ import annotations

from django.db import models
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy


def translated_choices(choices: type[models.Choices]) -> list[tuple[str, Promise]]:
    """The (value, label) pairs of `choices`, each label translated when it is shown (a form built at import
    shows the language of the request that renders it)."""
    return [(value, gettext_lazy(label)) for value, label in choices.choices]


class ChoiceLabels:
    """`get_FOO_display()` from a table kept on the field. Django's builds a dict of every choice on each call and
    hashes each lazy label to do it (a gettext per choice: about 90 µs for an ask's six states, twenty times in a
    list of twenty asks); this one builds the table once and looks the value up. The label stays lazy until it is
    shown, so it reads in the reader's language. A base of the models whose states a list shows."""

    def _get_FIELD_display(self, field: models.Field) -> object:
        labels = field.__dict__.get("_choice_labels")
        if labels is None:
            labels = {make_hashable(value): label for value, label in field.flatchoices}
            field.__dict__["_choice_labels"] = labels
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
