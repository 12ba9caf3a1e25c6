"""Image files for the upload tests, built in memory: polyglots, pixel bombs, photos with EXIF."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, PngImagePlugin

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(mode: str, size: tuple[int, int], image_format: str, colour: object = None, **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, image_format, **save)
    return buffer.getvalue()


def gif_then_html() -> bytes:
    """A valid GIF with an HTML page after its trailer: Pillow reads the GIF, a browser sniffing it sees HTML."""
    return image_bytes("P", (16, 16), "GIF", 3) + HTML


def png_with_html_chunk() -> bytes:
    """A valid PNG carrying an HTML page in a tEXt chunk."""
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", HTML.decode())
    return image_bytes("RGB", (16, 16), "PNG", "red", pnginfo=text)


def gif_javascript_polyglot() -> bytes:
    """A GIF that is also a script: a logical-screen width of 10799 px is the bytes "/*" after "GIF89a", the
    comment extension closes that comment and assigns, the trailing "*/" closes the last one."""
    data = image_bytes("P", (10799, 1), "GIF", 3, comment=b"*/=alert(document.cookie);/*") + b"*/"
    assert data.startswith(b"GIF89a/*")
    return data


def png_bomb(width: int, height: int) -> bytes:
    """A real, decodable black-and-white PNG of width × height pixels that compresses to almost nothing
    (20000 × 20000 is about 50 KB on disk and 400 MB once Pillow decodes it)."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then one bit per pixel
    compressor = zlib.compressobj(9)
    rows_per_step = 256
    compressed = bytearray()
    for start in range(0, height, rows_per_step):
        compressed += compressor.compress(row * min(rows_per_step, height - start))
    compressed += compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", bytes(compressed)) + chunk(b"IEND", b"")


def jpeg_with_exif(size: tuple[int, int] = (40, 20), orientation: int = 6) -> bytes:
    """A JPEG whose EXIF names the camera and says "rotate 90° clockwise to display" (orientation 6)."""
    picture = Image.new("RGB", size, "navy")
    exif = picture.getexif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SnoopCam"  # Make
    exif[0x0110] = "Model X-Secret"  # Model
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()
