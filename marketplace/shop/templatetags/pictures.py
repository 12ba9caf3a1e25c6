"""The box a product picture takes: `{{ "160x120"|picture_box }}` is (160, 120), so a product without a picture
shows its placeholder in the same box as a thumbnail of that size (not a grey box as wide as the page)."""

from __future__ import annotations

from django import template

register = template.Library()
DEFAULT = (240, 180)


@register.filter
def picture_box(size: str) -> tuple[int, int]:
    """Width and height of a sorl-thumbnail geometry "WxH"; the card size for anything else."""
    width, _, height = str(size or "").partition("x")
    if width.isdigit() and height.isdigit():
        return int(width), int(height)
    return DEFAULT
