"""The seal image: a red round seal with the authority's name along the top arc and a star in
the middle (the shape of a Chinese official seal), drawn with Pillow in a CJK font of the
system (the one the PDFs use). Development keys add 开发测试用 / NOT VALID across it."""

from __future__ import annotations

import functools
import math
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RED = (200, 16, 30, 255)
SIZE = 480  # pixels; placed about 40 mm wide

_FALLBACK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc",
)


@functools.cache
def cjk_font_path() -> str:
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:bold"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found and Path(found).exists():
            return found
    for path in _FALLBACK_FONTS:
        if Path(path).exists():
            return path
    raise FileNotFoundError("No CJK font for the seal: install fonts-noto-cjk.")


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(cjk_font_path(), size)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=RED)


def _arc_text(image: Image.Image, text: str, radius: float, font_size: int) -> None:
    """``text`` along the top of a circle of ``radius`` around the centre, left to right."""
    font = _font(font_size)
    centre = SIZE / 2
    count = len(text)
    span = min(math.radians(250), math.radians(24) * count)
    for i, char in enumerate(text):
        # angle from the top, clockwise: -span/2 .. +span/2
        angle = -span / 2 + (span * (i + 0.5) / count)
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font_size, font_size), char, font=font, fill=RED, anchor="mm")
        rotated = glyph.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.sin(angle) - font_size
        y = centre - radius * math.cos(angle) - font_size
        image.alpha_composite(rotated, (round(x), round(y)))


@functools.lru_cache(maxsize=256)
def seal_png_image(name: str, development: bool) -> Image.Image:
    """The seal of ``name`` as an RGBA image (cached per authority)."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = 10
    draw.ellipse((margin, margin, SIZE - margin, SIZE - margin), outline=RED, width=14)
    _star(draw, SIZE / 2, SIZE / 2, SIZE * 0.15)
    text = name[:18]
    size = 52 if len(text) <= 12 else 44
    _arc_text(image, text, SIZE / 2 - margin - 14 - size * 0.62, size)
    bottom = _font(30)
    if development:
        draw.text((SIZE / 2, SIZE * 0.70), "开发测试用印章", font=_font(34), fill=RED, anchor="mm")
        draw.text((SIZE / 2, SIZE * 0.79), "DEVELOPMENT KEY", font=bottom, fill=RED, anchor="mm")
        draw.text((SIZE / 2, SIZE * 0.86), "NOT VALID", font=bottom, fill=RED, anchor="mm")
    else:
        draw.text((SIZE / 2, SIZE * 0.74), "电子印章", font=_font(36), fill=RED, anchor="mm")
    return image


@functools.lru_cache(maxsize=4)
def development_banner() -> Image.Image:
    """The line every page signed with a development key carries."""
    font = _font(40)
    text = "开发测试用印章 / DEVELOPMENT KEY – NOT VALID"
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("RGBA", (right - left + 24, bottom - top + 16), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((12 - left, 8 - top), text, font=font, fill=RED)
    return image


def seal_png(name: str, development: bool = False) -> bytes:
    from io import BytesIO

    out = BytesIO()
    seal_png_image(name, development).save(out, format="PNG")
    return out.getvalue()


def _deflated(image: Image.Image) -> tuple[bytes, bytes]:
    """The colour and alpha planes of ``image``, compressed once and kept on the image (the
    seal and banner images are cached per authority), not on every signature."""
    import zlib

    planes = image.info.get("portal_deflated")
    if planes is None:
        rgba = image.convert("RGBA")
        colour = zlib.compress(rgba.convert("RGB").tobytes())
        planes = (colour, zlib.compress(rgba.getchannel("A").tobytes()))
        image.info["portal_deflated"] = planes
    return planes


def pdf_image(image: Image.Image, writer):
    """A pyHanko image for ``image`` whose XObject is written from the cached compressed
    planes: the seal and the banner cost no compression per signature."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.pdf_utils.images import PdfImage

    class CachedImage(PdfImage):
        @property
        def image_ref(self):
            if self._image_ref is None or self._image_ref.get_pdf_handler() is not self.writer:
                colour, alpha = _deflated(self.image)

                def plane(data: bytes, space: str, extra: dict):
                    head = {
                        pdf_name("/Type"): pdf_name("/XObject"),
                        pdf_name("/Subtype"): pdf_name("/Image"),
                        pdf_name("/Width"): generic.NumberObject(self.image.width),
                        pdf_name("/Height"): generic.NumberObject(self.image.height),
                        pdf_name("/ColorSpace"): pdf_name(space),
                        pdf_name("/BitsPerComponent"): generic.NumberObject(8),
                        pdf_name("/Filter"): pdf_name("/FlateDecode"),
                        **extra,
                    }
                    return self.writer.add_object(generic.StreamObject(head, encoded_data=data))

                smask = plane(alpha, "/DeviceGray", {})
                self._image_ref = plane(colour, "/DeviceRGB", {pdf_name("/SMask"): smask})
            return self._image_ref

    return CachedImage(image, writer=writer)
