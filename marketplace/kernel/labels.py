"""Choice labels in the reader's language.

The models' TextChoices keep their English labels (their migrations record them, and the admin and the logs read
them). Each app marks the same words for the catalogue in its `labels.py` (gettext_noop), and the pages show them
translated: forms through `translated_choices`, templates through `{% translate order.get_status_display %}`.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


def translated_choices(choices: type[models.Choices]) -> list[tuple[str, Promise]]:
    """The (value, label) pairs of `choices`, each label translated when it is shown (a form built at import
    shows the language of the request that renders it)."""
    return [(value, gettext_lazy(label)) for value, label in choices.choices]
