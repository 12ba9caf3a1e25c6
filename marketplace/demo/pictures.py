"""Pictures for the demo, drawn with Pillow (no downloads): a product picture per category motif and variant,
and a logo per vendor. Deterministic: the same arguments give the same bytes."""

from __future__ import annotations

import colorsys
import io
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont

from .catalogue import CategoryCatalogue

PRODUCT_SIZE = (480, 360)
LOGO_SIZE = 160
RGB = tuple[int, int, int]


def _shift(colour: RGB, hue: float, light: float = 0.0) -> RGB:
    """The colour with its hue turned by `hue` (0-1) and its lightness moved by `light` (-1 to 1)."""
    h, lightness, s = colorsys.rgb_to_hls(*(c / 255 for c in colour))
    r, g, b = colorsys.hls_to_rgb((h + hue) % 1.0, min(1.0, max(0.0, lightness + light)), s)
    return (round(r * 255), round(g * 255), round(b * 255))


def _background(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    width, height = size
    for y in range(height):
        t = y / max(1, height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return image


# Each motif draws in a box (x, y, size) with one colour; simple shapes a person recognises at 48 px.
def _cup(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    d.rounded_rectangle([x + s * 0.15, y + s * 0.3, x + s * 0.75, y + s * 0.9], radius=s // 10, fill=c)
    d.ellipse([x + s * 0.62, y + s * 0.42, x + s * 0.95, y + s * 0.75], outline=c, width=max(3, s // 14))
    for i in range(3):
        d.arc([x + s * (0.22 + i * 0.17), y, x + s * (0.36 + i * 0.17), y + s * 0.28], 200, 340, fill=c, width=3)


def _loaf(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    d.rounded_rectangle([x, y + s * 0.3, x + s, y + s * 0.85], radius=s // 4, fill=c)
    for i in range(3):
        x0 = x + s * (0.22 + i * 0.22)
        d.line([(x0, y + s * 0.4), (x0 + s * 0.12, y + s * 0.6)], fill=(255, 240, 220), width=max(3, s // 20))


def _bike(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    w = max(3, s // 18)
    d.ellipse([x, y + s * 0.45, x + s * 0.42, y + s * 0.87], outline=c, width=w)
    d.ellipse([x + s * 0.58, y + s * 0.45, x + s, y + s * 0.87], outline=c, width=w)
    hub_l, hub_r, crank = (x + s * 0.21, y + s * 0.66), (x + s * 0.79, y + s * 0.66), (x + s * 0.48, y + s * 0.66)
    seat, bar = (x + s * 0.4, y + s * 0.35), (x + s * 0.7, y + s * 0.32)
    d.line([hub_l, seat, crank, hub_l], fill=c, width=w)
    d.line([seat, bar, hub_r], fill=c, width=w)
    d.line([crank, bar], fill=c, width=w)


def _books(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    for i, (dx, h) in enumerate([(0.05, 0.7), (0.3, 0.85), (0.55, 0.6), (0.76, 0.78)]):
        colour = _shift(c, 0.0, -0.08 * (i % 2))
        d.rectangle([x + s * dx, y + s * (0.95 - h), x + s * (dx + 0.2), y + s * 0.95], fill=colour)


def _leaf(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    d.ellipse([x + s * 0.1, y + s * 0.1, x + s * 0.6, y + s * 0.8], fill=c)
    d.ellipse([x + s * 0.4, y + s * 0.2, x + s * 0.9, y + s * 0.9], fill=_shift(c, 0.05, -0.1))
    d.line([(x + s * 0.5, y + s * 0.95), (x + s * 0.5, y + s * 0.35)], fill=(60, 50, 30), width=max(3, s // 25))


def _pot(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    d.rounded_rectangle([x + s * 0.1, y + s * 0.35, x + s * 0.9, y + s * 0.85], radius=s // 8, fill=c)
    d.rectangle([x, y + s * 0.4, x + s * 0.12, y + s * 0.48], fill=c)
    d.rectangle([x + s * 0.88, y + s * 0.4, x + s, y + s * 0.48], fill=c)
    d.ellipse([x + s * 0.42, y + s * 0.2, x + s * 0.58, y + s * 0.34], fill=c)


def _shirt(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    points = [
        (0.3, 0.1),
        (0.42, 0.18),
        (0.58, 0.18),
        (0.7, 0.1),
        (0.95, 0.3),
        (0.82, 0.45),
        (0.75, 0.4),
        (0.75, 0.95),
        (0.25, 0.95),
        (0.25, 0.4),
        (0.18, 0.45),
        (0.05, 0.3),
    ]
    d.polygon([(x + s * px, y + s * py) for px, py in points], fill=c)


def _device(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    d.rounded_rectangle([x + s * 0.25, y + s * 0.05, x + s * 0.75, y + s * 0.95], radius=s // 10, fill=c)
    d.rectangle([x + s * 0.3, y + s * 0.14, x + s * 0.7, y + s * 0.8], fill=(20, 25, 35))
    d.ellipse([x + s * 0.46, y + s * 0.84, x + s * 0.54, y + s * 0.91], fill=(20, 25, 35))


def _ball(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    d.ellipse([x + s * 0.1, y + s * 0.1, x + s * 0.9, y + s * 0.9], fill=c)
    seam = _shift(c, 0.5, -0.35)
    d.arc([x - s * 0.2, y + s * 0.1, x + s * 0.5, y + s * 0.9], 300, 60, fill=seam, width=max(3, s // 25))
    d.arc([x + s * 0.5, y + s * 0.1, x + s * 1.2, y + s * 0.9], 120, 240, fill=seam, width=max(3, s // 25))


def _blocks(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    for i, (bx, by) in enumerate([(0.05, 0.55), (0.5, 0.55), (0.27, 0.12)]):
        d.rectangle([x + s * bx, y + s * by, x + s * (bx + 0.42), y + s * (by + 0.4)], fill=_shift(c, i * 0.2))


def _paw(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    d.ellipse([x + s * 0.28, y + s * 0.45, x + s * 0.72, y + s * 0.9], fill=c)
    for px, py in [(0.12, 0.32), (0.32, 0.12), (0.56, 0.12), (0.76, 0.32)]:
        d.ellipse([x + s * px, y + s * py, x + s * (px + 0.14), y + s * (py + 0.2)], fill=c)


def _bottle(d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
    d.rounded_rectangle([x + s * 0.3, y + s * 0.3, x + s * 0.7, y + s * 0.95], radius=s // 10, fill=c)
    d.rectangle([x + s * 0.42, y + s * 0.12, x + s * 0.58, y + s * 0.3], fill=_shift(c, 0.0, -0.2))
    d.rectangle([x + s * 0.36, y + s * 0.5, x + s * 0.64, y + s * 0.7], fill=(255, 255, 255))


MOTIFS: dict[str, Callable[[ImageDraw.ImageDraw, int, int, int, RGB], None]] = {
    "cup": _cup,
    "loaf": _loaf,
    "bike": _bike,
    "books": _books,
    "leaf": _leaf,
    "pot": _pot,
    "shirt": _shirt,
    "device": _device,
    "ball": _ball,
    "blocks": _blocks,
    "paw": _paw,
    "bottle": _bottle,
}


def product_picture(catalogue: CategoryCatalogue, variant: int) -> bytes:
    """A JPEG of the category's motif; each variant turns the colours and moves and sizes the motif."""
    background, motif_colour = catalogue.colours
    hue = ((variant % 7) - 3) * 0.012  # variants stay recognisably in the category's colours
    light = ((variant % 5) - 2) * 0.03
    image = _background(PRODUCT_SIZE, _shift(background, hue, 0.12 + light), _shift(background, hue, light - 0.05))
    size = 170 + (variant * 23) % 60
    x = 90 + (variant * 61) % (PRODUCT_SIZE[0] - size - 150)
    y = (PRODUCT_SIZE[1] - size) // 2 + (variant % 3 - 1) * 18
    MOTIFS[catalogue.motif](ImageDraw.Draw(image), x, y, size, _shift(motif_colour, hue / 2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def _initials(name: str) -> str:
    words = [w for w in name.replace("&", " ").split() if w[:1].isalpha()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def vendor_logo(catalogue: CategoryCatalogue, name: str, variant: int) -> bytes:
    """A PNG badge: the vendor's initials on its category's colours, with a small motif."""
    background, motif_colour = catalogue.colours
    hue = ((variant % 9) - 4) * 0.02
    fill = _shift(background, hue, -0.08)
    image = Image.new("RGB", (LOGO_SIZE, LOGO_SIZE), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([4, 4, LOGO_SIZE - 4, LOGO_SIZE - 4], radius=28, fill=fill)
    # Dark initials on a light badge, white on a dark one: readable either way.
    ink = (
        (30, 30, 30) if sum(c * w for c, w in zip(fill, (0.299, 0.587, 0.114), strict=True)) > 150 else (255, 255, 255)
    )
    MOTIFS[catalogue.motif](draw, 96, 96, 52, _shift(motif_colour, hue / 2))
    font = ImageFont.load_default(size=64)
    text = _initials(name)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text((22, (LOGO_SIZE - (bottom - top)) // 2 - top - 12), text, font=font, fill=ink)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
