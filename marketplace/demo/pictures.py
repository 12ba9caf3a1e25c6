"""Pictures for the demo, drawn with Pillow (no downloads): a product picture per kind of product (a drawing of
it on its own colours, with its name), and a logo per vendor. Deterministic: the same arguments give the same
bytes."""

from __future__ import annotations

import colorsys
import io
import zlib
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont

from .catalogue import KIND_COLOURS, KIND_MOTIFS, CategoryCatalogue

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


# --- Product kinds: one simple drawing per motif, in a box of fractions of its size ---------------------------


class _Pen:
    """Draws in a square box (x, y, size) with coordinates as fractions of the box, in one colour and shades."""

    def __init__(self, d: ImageDraw.ImageDraw, x: int, y: int, s: int, c: RGB) -> None:
        self.d, self.x, self.y, self.s, self.c = d, x, y, s, c
        self.w = max(3, s // 22)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [self.x + self.s * x0, self.y + self.s * y0, self.x + self.s * x1, self.y + self.s * y1]

    def pts(self, *points: tuple[float, float]) -> list[tuple[float, float]]:
        return [(self.x + self.s * px, self.y + self.s * py) for px, py in points]

    def shade(self, light: float) -> RGB:
        return _shift(self.c, 0.0, light)

    def rect(self, *b: float, fill: RGB | None = None, radius: float = 0.0) -> None:
        self.d.rounded_rectangle(self.box(*b), radius=int(self.s * radius), fill=fill or self.c)

    def oval(self, *b: float, fill: RGB | None = None) -> None:
        self.d.ellipse(self.box(*b), fill=fill or self.c)

    def ring(self, *b: float, width: float = 0.0, fill: RGB | None = None) -> None:
        self.d.ellipse(self.box(*b), outline=fill or self.c, width=int(self.s * width) if width else self.w)

    def poly(self, *points: tuple[float, float], fill: RGB | None = None) -> None:
        self.d.polygon(self.pts(*points), fill=fill or self.c)

    def line(self, *points: tuple[float, float], fill: RGB | None = None, width: float = 0.0) -> None:
        self.d.line(self.pts(*points), fill=fill or self.c, width=int(self.s * width) if width else self.w)


WHITE: RGB = (255, 255, 255)


def _m_bag(p: _Pen) -> None:
    p.poly((0.25, 0.2), (0.75, 0.2), (0.82, 0.95), (0.18, 0.95))
    p.rect(0.25, 0.12, 0.75, 0.22, fill=p.shade(-0.12))
    p.rect(0.33, 0.45, 0.67, 0.7, fill=WHITE, radius=0.03)
    p.oval(0.44, 0.5, 0.56, 0.65, fill=p.shade(-0.1))


def _m_packet(p: _Pen) -> None:
    p.rect(0.25, 0.1, 0.75, 0.92, radius=0.02)
    p.rect(0.31, 0.35, 0.69, 0.75, fill=WHITE)
    for i in range(5):
        p.oval(0.38 + (i % 3) * 0.1, 0.45 + (i // 3) * 0.12, 0.44 + (i % 3) * 0.1, 0.52 + (i // 3) * 0.12)


def _m_jar(p: _Pen) -> None:
    p.rect(0.24, 0.25, 0.76, 0.95, radius=0.08)
    p.rect(0.3, 0.1, 0.7, 0.25, fill=p.shade(-0.15), radius=0.03)
    p.rect(0.3, 0.5, 0.7, 0.72, fill=WHITE, radius=0.02)


def _m_box(p: _Pen) -> None:
    p.poly((0.1, 0.4), (0.5, 0.25), (0.9, 0.4), (0.5, 0.55), fill=p.shade(0.12))
    p.poly((0.1, 0.4), (0.5, 0.55), (0.5, 0.95), (0.1, 0.8))
    p.poly((0.9, 0.4), (0.5, 0.55), (0.5, 0.95), (0.9, 0.8), fill=p.shade(-0.12))


def _m_bar(p: _Pen) -> None:
    p.rect(0.1, 0.35, 0.9, 0.75, radius=0.08)
    p.rect(0.18, 0.43, 0.82, 0.67, fill=p.shade(0.1), radius=0.05)


def _m_cone(p: _Pen) -> None:
    p.poly((0.15, 0.2), (0.85, 0.2), (0.6, 0.75), (0.4, 0.75))
    p.rect(0.3, 0.75, 0.7, 0.85, fill=p.shade(-0.15))
    p.rect(0.12, 0.15, 0.88, 0.22, fill=p.shade(-0.1))


def _m_grinder(p: _Pen) -> None:
    p.rect(0.3, 0.35, 0.7, 0.95, radius=0.05)
    p.rect(0.35, 0.25, 0.65, 0.35, fill=p.shade(-0.15))
    p.line((0.5, 0.25), (0.5, 0.12), (0.85, 0.12))
    p.oval(0.8, 0.06, 0.92, 0.18)


def _m_teapot(p: _Pen) -> None:
    p.oval(0.2, 0.3, 0.8, 0.9)
    p.poly((0.75, 0.55), (0.95, 0.35), (0.98, 0.4), (0.8, 0.7))
    p.ring(0.05, 0.45, 0.3, 0.75, width=0.05)
    p.oval(0.43, 0.2, 0.57, 0.32, fill=p.shade(-0.15))


def _m_baguette(p: _Pen) -> None:
    p.d.rounded_rectangle(p.box(0.05, 0.42, 0.95, 0.62), radius=int(p.s * 0.1), fill=p.c)
    for i in range(4):
        p.line((0.2 + i * 0.18, 0.47), (0.3 + i * 0.18, 0.56), fill=p.shade(0.25))


def _m_pastry(p: _Pen) -> None:
    p.poly((0.05, 0.7), (0.3, 0.35), (0.5, 0.3), (0.7, 0.35), (0.95, 0.7), (0.5, 0.6))
    for dx in (0.3, 0.5, 0.7):
        p.line((dx, 0.36), (dx - 0.02, 0.6), fill=p.shade(-0.15))


def _m_tart(p: _Pen) -> None:
    p.oval(0.08, 0.35, 0.92, 0.85, fill=p.shade(-0.1))
    p.oval(0.15, 0.4, 0.85, 0.78, fill=p.shade(0.2))


def _m_cake(p: _Pen) -> None:
    p.rect(0.15, 0.45, 0.85, 0.9, radius=0.04)
    p.rect(0.15, 0.62, 0.85, 0.68, fill=WHITE)
    p.oval(0.1, 0.35, 0.9, 0.55, fill=p.shade(0.25))
    p.oval(0.45, 0.28, 0.55, 0.38, fill=(200, 30, 50))


def _m_helmet(p: _Pen) -> None:
    p.d.chord(p.box(0.1, 0.2, 0.9, 1.0), 180, 360, fill=p.c)
    for dx in (0.35, 0.5, 0.65):
        p.line((dx, 0.3), (dx, 0.55), fill=WHITE)
    p.rect(0.05, 0.58, 0.95, 0.64, fill=p.shade(-0.15))


def _m_lock(p: _Pen) -> None:
    p.d.arc(p.box(0.28, 0.1, 0.72, 0.6), 180, 360, fill=p.shade(-0.1), width=int(p.s * 0.08))
    p.line((0.31, 0.35), (0.31, 0.5), fill=p.shade(-0.1), width=0.08)
    p.line((0.69, 0.35), (0.69, 0.5), fill=p.shade(-0.1), width=0.08)
    p.rect(0.2, 0.45, 0.8, 0.92, radius=0.06)
    p.oval(0.45, 0.6, 0.55, 0.72, fill=(30, 30, 30))


def _m_lamp(p: _Pen) -> None:
    p.poly((0.2, 0.45), (0.45, 0.15), (0.65, 0.3), (0.4, 0.6))
    p.line((0.45, 0.45), (0.6, 0.75), (0.5, 0.9))
    p.rect(0.3, 0.88, 0.75, 0.95)
    p.poly((0.3, 0.55), (0.1, 0.9), (0.45, 0.75), fill=(255, 235, 140))


def _m_ring(p: _Pen) -> None:
    p.ring(0.1, 0.1, 0.9, 0.9, width=0.12)
    p.ring(0.22, 0.22, 0.78, 0.78, width=0.02, fill=p.shade(-0.15))


def _m_saddle(p: _Pen) -> None:
    p.poly((0.05, 0.4), (0.5, 0.3), (0.95, 0.35), (0.95, 0.5), (0.55, 0.6), (0.35, 0.75), (0.1, 0.65))
    p.line((0.5, 0.6), (0.5, 0.95), width=0.06)


def _m_tool(p: _Pen) -> None:
    p.line((0.2, 0.2), (0.8, 0.8), width=0.1)
    p.line((0.8, 0.2), (0.2, 0.8), width=0.1, fill=p.shade(-0.15))
    p.ring(0.05, 0.05, 0.3, 0.3, width=0.05)
    p.ring(0.7, 0.05, 0.95, 0.3, width=0.05)


def _m_book(p: _Pen) -> None:
    p.rect(0.22, 0.1, 0.78, 0.92, radius=0.02)
    p.rect(0.22, 0.1, 0.3, 0.92, fill=p.shade(-0.15))
    p.rect(0.38, 0.25, 0.7, 0.4, fill=WHITE)


def _m_pen(p: _Pen) -> None:
    p.poly((0.15, 0.85), (0.22, 0.7), (0.75, 0.17), (0.85, 0.27), (0.32, 0.8))
    p.poly((0.15, 0.85), (0.22, 0.7), (0.32, 0.8), fill=(230, 200, 90))


def _m_bookmark(p: _Pen) -> None:
    p.poly((0.35, 0.05), (0.65, 0.05), (0.65, 0.95), (0.5, 0.8), (0.35, 0.95))
    p.oval(0.44, 0.15, 0.56, 0.27, fill=WHITE)


def _m_plant(p: _Pen) -> None:
    p.poly((0.28, 0.6), (0.72, 0.6), (0.65, 0.95), (0.35, 0.95), fill=(190, 100, 60))
    for bx, by in ((0.2, 0.25), (0.45, 0.08), (0.55, 0.3), (0.3, 0.4)):
        p.oval(bx, by, bx + 0.25, by + 0.28)


def _m_flowerpot(p: _Pen) -> None:
    p.poly((0.15, 0.3), (0.85, 0.3), (0.7, 0.92), (0.3, 0.92))
    p.rect(0.1, 0.25, 0.9, 0.38, fill=p.shade(-0.1))


def _m_watering_can(p: _Pen) -> None:
    p.rect(0.25, 0.4, 0.7, 0.9, radius=0.04)
    p.line((0.7, 0.5), (0.95, 0.25), width=0.06)
    p.ring(0.15, 0.2, 0.55, 0.55, width=0.05)


def _m_lantern(p: _Pen) -> None:
    p.line((0.5, 0.02), (0.5, 0.15))
    p.poly((0.35, 0.15), (0.65, 0.15), (0.75, 0.3), (0.25, 0.3), fill=p.shade(-0.15))
    p.d.rectangle(p.box(0.3, 0.3, 0.7, 0.85), fill=p.shade(0.3), outline=p.c, width=p.w)
    p.rect(0.25, 0.85, 0.75, 0.92)


def _m_glove(p: _Pen) -> None:
    p.rect(0.28, 0.35, 0.72, 0.9, radius=0.1)
    for i in range(4):
        p.rect(0.28 + i * 0.115, 0.1 + (abs(i - 1.5) * 0.05), 0.37 + i * 0.115, 0.45, radius=0.04)
    p.poly((0.28, 0.55), (0.12, 0.4), (0.18, 0.35), (0.3, 0.45))


def _m_skillet(p: _Pen) -> None:
    p.oval(0.05, 0.3, 0.65, 0.9)
    p.oval(0.12, 0.37, 0.58, 0.83, fill=p.shade(0.12))
    p.line((0.62, 0.58), (0.97, 0.48), width=0.08)


def _m_knife(p: _Pen) -> None:
    p.poly((0.1, 0.55), (0.62, 0.42), (0.62, 0.58), (0.2, 0.62), fill=(200, 205, 210))
    p.rect(0.62, 0.43, 0.95, 0.57, radius=0.03)


def _m_board(p: _Pen) -> None:
    p.rect(0.1, 0.3, 0.8, 0.85, radius=0.06)
    p.rect(0.8, 0.48, 0.95, 0.66, radius=0.04)
    p.ring(0.84, 0.53, 0.9, 0.61, width=0.02, fill=p.shade(0.3))


def _m_towel(p: _Pen) -> None:
    p.rect(0.2, 0.1, 0.8, 0.92)
    for yy in (0.25, 0.75):
        p.rect(0.2, yy, 0.8, yy + 0.05, fill=p.shade(-0.2))


def _m_candle(p: _Pen) -> None:
    p.rect(0.3, 0.35, 0.7, 0.92, radius=0.04)
    p.line((0.5, 0.35), (0.5, 0.25), fill=(40, 40, 40))
    p.poly((0.5, 0.05), (0.58, 0.2), (0.5, 0.26), (0.42, 0.2), fill=(250, 180, 40))


def _m_jumper(p: _Pen) -> None:
    p.poly((0.3, 0.12), (0.7, 0.12), (0.95, 0.35), (0.95, 0.85), (0.82, 0.85), (0.8, 0.45), (0.78, 0.95),
           (0.22, 0.95), (0.2, 0.45), (0.18, 0.85), (0.05, 0.85), (0.05, 0.35))  # fmt: skip
    p.d.chord(p.box(0.38, 0.03, 0.62, 0.22), 0, 180, fill=p.shade(0.2))


def _m_beanie(p: _Pen) -> None:
    p.d.chord(p.box(0.15, 0.2, 0.85, 1.0), 180, 360, fill=p.c)
    p.rect(0.12, 0.58, 0.88, 0.75, fill=p.shade(-0.15), radius=0.03)
    p.oval(0.42, 0.1, 0.58, 0.26, fill=p.shade(0.2))


def _m_sock(p: _Pen) -> None:
    p.poly((0.35, 0.05), (0.62, 0.05), (0.62, 0.6), (0.9, 0.75), (0.85, 0.92), (0.45, 0.88), (0.35, 0.7))
    p.rect(0.35, 0.05, 0.62, 0.15, fill=p.shade(-0.2))


def _m_tote(p: _Pen) -> None:
    p.rect(0.18, 0.35, 0.82, 0.95, radius=0.02)
    p.d.arc(p.box(0.3, 0.1, 0.7, 0.6), 180, 360, fill=p.shade(-0.2), width=int(p.s * 0.05))


def _m_belt(p: _Pen) -> None:
    p.rect(0.02, 0.42, 0.98, 0.58, radius=0.02)
    p.d.rectangle(p.box(0.55, 0.36, 0.72, 0.64), outline=(210, 170, 60), width=int(p.s * 0.04))
    for i in range(4):
        p.oval(0.2 + i * 0.07, 0.48, 0.24 + i * 0.07, 0.52, fill=p.shade(-0.3))


def _m_wallet(p: _Pen) -> None:
    p.rect(0.12, 0.3, 0.88, 0.8, radius=0.06)
    p.rect(0.55, 0.45, 0.92, 0.65, radius=0.04, fill=p.shade(-0.12))
    p.oval(0.62, 0.51, 0.7, 0.59, fill=(210, 170, 60))


def _m_plug(p: _Pen) -> None:
    p.rect(0.25, 0.3, 0.75, 0.75, radius=0.08)
    p.rect(0.35, 0.12, 0.42, 0.3, fill=(200, 200, 200))
    p.rect(0.58, 0.12, 0.65, 0.3, fill=(200, 200, 200))
    p.line((0.5, 0.75), (0.5, 0.85), (0.8, 0.95))


def _m_earbuds(p: _Pen) -> None:
    p.rect(0.2, 0.55, 0.8, 0.92, radius=0.15)
    for x0 in (0.22, 0.55):
        p.oval(x0, 0.15, x0 + 0.22, 0.37, fill=p.shade(0.3))
        p.rect(x0 + 0.08, 0.3, x0 + 0.14, 0.5, fill=p.shade(0.3))


def _m_headphones(p: _Pen) -> None:
    p.d.arc(p.box(0.15, 0.1, 0.85, 0.8), 180, 360, fill=p.c, width=int(p.s * 0.07))
    p.rect(0.08, 0.45, 0.28, 0.85, radius=0.06)
    p.rect(0.72, 0.45, 0.92, 0.85, radius=0.06)


def _m_speaker(p: _Pen) -> None:
    p.rect(0.25, 0.08, 0.75, 0.95, radius=0.06)
    p.oval(0.33, 0.45, 0.67, 0.79, fill=p.shade(0.2))
    p.oval(0.42, 0.17, 0.58, 0.33, fill=p.shade(0.2))


def _m_cable(p: _Pen) -> None:
    p.d.arc(p.box(0.1, 0.15, 0.9, 0.85), 30, 330, fill=p.c, width=int(p.s * 0.05))
    p.rect(0.78, 0.15, 0.95, 0.3, fill=p.shade(-0.2))
    p.rect(0.78, 0.7, 0.95, 0.85, fill=p.shade(-0.2))


def _m_phone(p: _Pen) -> None:
    _device(p.d, p.x, p.y, p.s, p.c)


def _m_goggles(p: _Pen) -> None:
    p.line((0.02, 0.5), (0.98, 0.5), fill=p.shade(-0.2), width=0.05)
    p.oval(0.12, 0.32, 0.46, 0.68)
    p.oval(0.54, 0.32, 0.88, 0.68)
    p.oval(0.18, 0.38, 0.4, 0.62, fill=(150, 210, 240))
    p.oval(0.6, 0.38, 0.82, 0.62, fill=(150, 210, 240))


def _m_mat(p: _Pen) -> None:
    p.rect(0.05, 0.55, 0.7, 0.85, radius=0.02)
    p.oval(0.6, 0.4, 0.95, 0.88, fill=p.shade(-0.12))
    p.ring(0.68, 0.52, 0.87, 0.76, width=0.03, fill=p.shade(0.15))


def _m_dumbbell(p: _Pen) -> None:
    p.rect(0.2, 0.45, 0.8, 0.55, fill=(150, 150, 150))
    for x0 in (0.08, 0.72):
        p.rect(x0, 0.25, x0 + 0.2, 0.75, radius=0.04)


def _m_train(p: _Pen) -> None:
    p.rect(0.1, 0.35, 0.6, 0.75)
    p.rect(0.45, 0.15, 0.65, 0.75, fill=p.shade(-0.15))
    p.rect(0.65, 0.45, 0.92, 0.75, fill=p.shade(0.12))
    for cx in (0.2, 0.45, 0.78):
        p.oval(cx - 0.08, 0.7, cx + 0.08, 0.86, fill=(40, 40, 40))


def _m_kite(p: _Pen) -> None:
    p.poly((0.5, 0.05), (0.82, 0.38), (0.5, 0.8), (0.18, 0.38))
    p.line((0.5, 0.05), (0.5, 0.8), fill=p.shade(0.3))
    p.line((0.18, 0.38), (0.82, 0.38), fill=p.shade(0.3))
    p.line((0.5, 0.8), (0.42, 0.88), (0.55, 0.93), (0.45, 0.99), fill=p.shade(-0.2))


def _m_puzzle(p: _Pen) -> None:
    p.rect(0.15, 0.3, 0.75, 0.9)
    p.oval(0.36, 0.12, 0.54, 0.34)
    p.oval(0.7, 0.5, 0.9, 0.7)


def _m_cards(p: _Pen) -> None:
    p.d.polygon(p.pts((0.2, 0.3), (0.55, 0.2), (0.7, 0.8), (0.35, 0.9)), fill=WHITE, outline=p.c, width=p.w)
    p.d.rounded_rectangle(p.box(0.4, 0.15, 0.8, 0.85), radius=int(p.s * 0.04), fill=WHITE, outline=p.c, width=p.w)
    p.poly((0.6, 0.38), (0.68, 0.5), (0.6, 0.62), (0.52, 0.5))


def _m_chess(p: _Pen) -> None:
    p.oval(0.38, 0.08, 0.62, 0.32)
    p.poly((0.42, 0.3), (0.58, 0.3), (0.68, 0.78), (0.32, 0.78))
    p.rect(0.22, 0.78, 0.78, 0.92, radius=0.03)


def _m_dice(p: _Pen) -> None:
    p.rect(0.15, 0.15, 0.85, 0.85, radius=0.12)
    for dx, dy in ((0.32, 0.32), (0.5, 0.5), (0.68, 0.68), (0.68, 0.32), (0.32, 0.68)):
        p.oval(dx - 0.06, dy - 0.06, dx + 0.06, dy + 0.06, fill=WHITE)


def _m_post(p: _Pen) -> None:
    p.rect(0.1, 0.85, 0.9, 0.95, fill=p.shade(-0.15))
    p.rect(0.38, 0.2, 0.62, 0.85, fill=(215, 190, 140))
    for yy in range(6):
        p.line((0.38, 0.25 + yy * 0.1), (0.62, 0.3 + yy * 0.1), fill=(170, 140, 90))
    p.rect(0.2, 0.1, 0.8, 0.22)


def _m_bone(p: _Pen) -> None:
    p.rect(0.2, 0.42, 0.8, 0.58)
    for cx, cy in ((0.15, 0.4), (0.15, 0.6), (0.85, 0.4), (0.85, 0.6)):
        p.oval(cx - 0.1, cy - 0.1, cx + 0.1, cy + 0.1)


def _m_tub(p: _Pen) -> None:
    p.rect(0.15, 0.45, 0.85, 0.85, radius=0.05)
    p.rect(0.12, 0.35, 0.88, 0.47, fill=p.shade(-0.15), radius=0.03)
    p.rect(0.28, 0.58, 0.72, 0.72, fill=WHITE)


def _m_tube(p: _Pen) -> None:
    p.poly((0.3, 0.1), (0.7, 0.1), (0.62, 0.78), (0.38, 0.78))
    p.rect(0.4, 0.78, 0.6, 0.92, fill=p.shade(-0.2))
    p.rect(0.38, 0.3, 0.62, 0.5, fill=WHITE)


def _m_toothbrush(p: _Pen) -> None:
    p.line((0.1, 0.85), (0.75, 0.2), width=0.07, fill=(205, 170, 120))
    for i in range(4):
        p.line((0.7 + i * 0.05, 0.25 - i * 0.05), (0.62 + i * 0.05, 0.17 - i * 0.05), fill=WHITE, width=0.03)
    p.line((0.68, 0.27), (0.9, 0.05), width=0.02, fill=p.c)


def _old(draw: Callable[[ImageDraw.ImageDraw, int, int, int, RGB], None]) -> Callable[[_Pen], None]:
    return lambda p: draw(p.d, p.x, p.y, p.s, p.c)


KIND_DRAWINGS: dict[str, Callable[[_Pen], None]] = {
    **{name: _old(draw) for name, draw in MOTIFS.items()},
    **{name[3:].replace("_", " "): draw for name, draw in list(globals().items()) if name.startswith("_m_")},
}


def _kind_colours(kind: str) -> tuple[RGB, RGB]:
    """The kind's own colours: those the catalogue names, else a pale background and a deep drawing colour of a
    hue taken from its name (stable across runs, unlike hash())."""
    if kind in KIND_COLOURS:
        return KIND_COLOURS[kind]
    hue = (zlib.crc32(kind.encode()) % 360) / 360
    background = colorsys.hls_to_rgb(hue, 0.9, 0.45)
    colour = colorsys.hls_to_rgb((hue + 0.03) % 1.0, 0.38, 0.6)
    return tuple(round(c * 255) for c in background), tuple(round(c * 255) for c in colour)  # type: ignore[return-value]


def kind_picture(kind: str) -> bytes:
    """A JPEG for a kind of product: its drawing on its colours, with its name written under it, so a belt, a
    tote and a beanie each look like what they are."""
    background, colour = _kind_colours(kind)
    width, height = PRODUCT_SIZE
    image = _background(PRODUCT_SIZE, _shift(background, 0.0, 0.04), _shift(background, 0.0, -0.06))
    draw = ImageDraw.Draw(image)
    size = 230
    KIND_DRAWINGS[KIND_MOTIFS[kind]](_Pen(draw, (width - size) // 2, 22, size, colour))
    font = ImageFont.load_default(size=34)
    label = kind[:1].upper() + kind[1:]
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    draw.text(((width - (right - left)) // 2 - left, 300 - top), label, font=font, fill=_shift(colour, 0.0, -0.12))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
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
