"""Pictures in templates.

- `{{ "160x120"|picture_box }}` is (160, 120): a product without a picture shows its placeholder in the same box
  as a thumbnail of that size (not a grey box as wide as the page).
- `{% stored_thumbnail product.image "240x180" as thumb %}`: the thumbnail stored on the row for that size
  (vendors/services/thumbnails.py), or None, when the template asks sorl-thumbnail's tag instead."""

from __future__ import annotations

from typing import Any

from django import template

from vendors.shown import Thumbnail, thumbnail_of

register = template.Library()
DEFAULT = (240, 180)


@register.filter
def picture_box(size: str) -> tuple[int, int]:
    """Width and height of a sorl-thumbnail geometry "WxH"; the card size for anything else."""
    width, _, height = str(size or "").partition("x")
    if width.isdigit() and height.isdigit():
        return int(width), int(height)
    return DEFAULT


@register.simple_tag
def stored_thumbnail(picture: Any, size: str) -> Thumbnail | None:
    """The stored thumbnail of `picture` in `size`: no lookup, no decode (None when it is not stored yet)."""
    return thumbnail_of(picture, str(size or ""))
