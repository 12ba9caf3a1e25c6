"""English dates and numbers as the marketplace wrote them before it spoke two languages: the British way
("7 Dec 2026", "07/12/2026" typed), not the American one Django's plain "en" uses."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
