"""Content in the reader's language: a name or description kept in English and in Traditional Chinese.

A row that can be read in both languages keeps its main text in `name` (English, or the only language its
writer gave) and the Traditional Chinese in `name_zh_hant` (empty when there is none); the same for
`description`. The reader sees the text of their language, else the other one (docs/i18n.md). Models and the
cached values of marketplace.kernel.caching (vendors/shown.py) carry both and pick at render time, so a value
kept once serves readers of both languages.

Templates write `{{ vendor.shown_name }}` (the Bilingual mixin below) or, on any object with the two fields,
`{{ row|in_reader_language:"name" }}` (a builtin filter, settings.TEMPLATES)."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils import translation

register = template.Library()

CHINESE = "zh-hant"
# The field suffix of the Traditional Chinese copy: zh-hant as a Python name.
CHINESE_SUFFIX = "_zh_hant"


def reader_reads_chinese() -> bool:
    """Whether the active language (the request's, or one a task activated) is Traditional Chinese."""
    return (translation.get_language() or "").lower().startswith("zh")


def in_reader_language(main: str | None, chinese: str | None) -> str:
    """The Chinese text for a reader of Chinese when there is one, else the main text; the main text for a reader
    of English, else (only Chinese was given) the Chinese one."""
    main, chinese = main or "", chinese or ""
    if reader_reads_chinese():
        return chinese or main
    return main or chinese


def shown(obj: Any, field: str) -> str:
    """`obj.<field>` in the reader's language, with `obj.<field>_zh_hant` as the Chinese copy (none: the main)."""
    return in_reader_language(getattr(obj, field, ""), getattr(obj, field + CHINESE_SUFFIX, ""))


@register.filter(name="in_reader_language")
def in_reader_language_filter(obj: Any, field: str = "name") -> str:
    """`{{ product|in_reader_language:"description" }}`: shown(obj, field); an empty string for None."""
    if obj is None:
        return ""
    return shown(obj, field)


class Bilingual:
    """For rows and values with `name`/`name_zh_hant` (and, where they have them, `description`/
    `description_zh_hant`): what pages show of them, in the reader's language."""

    @property
    def shown_name(self) -> str:
        return shown(self, "name")

    @property
    def shown_description(self) -> str:
        return shown(self, "description")


# Han ideographs (CJK Unified, Extension A, Compatibility): the characters PostgreSQL's text-search parser
# leaves unsplit, so search indexes them as overlapping pairs (vendors migration 0008; docs/i18n.md).
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def han_grams_query(text: str) -> str:
    """A tsquery (PostgreSQL's syntax, its lexemes only Han characters: nothing to escape) matching rows whose
    stored vector has every run of Han characters in `text`: a run of one character as that character, a longer
    run as its overlapping pairs in order ("烏龍茶" → '烏龍' <-> '龍茶'). Empty when `text` has no Han character."""
    parts = []
    for run in HAN_RUN.findall(text):
        if len(run) == 1:
            parts.append(run)
        else:
            parts.append("(" + " <-> ".join(run[i : i + 2] for i in range(len(run) - 1)) + ")")
    return " & ".join(parts)


def without_han(text: str) -> str:
    """The text with its Han characters taken out (the part English full-text search reads)."""
    return HAN_RUN.sub(" ", text).strip()
