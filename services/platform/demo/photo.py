"""The demo product's photo, drawn with Pillow: a bag of rice, no external file.

Drawn, not shipped, so the repository holds no binary; it goes through the same
``shared.products.photos.prepared`` as a phone's upload.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw

from shared.products import photos


@cache
def demo_photo() -> photos.Photo:
    image = Image.new("RGB", (1200, 900), (236, 228, 206))  # a pale table
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((380, 140, 820, 800), radius=60, fill=(245, 241, 230))  # the bag
    draw.rectangle((380, 300, 820, 520), fill=(46, 125, 50))  # its green band
    draw.ellipse((540, 340, 660, 460), fill=(242, 192, 55))  # a yellow flower
    draw.polygon([(380, 160), (820, 160), (760, 110), (440, 110)], fill=(220, 212, 190))
    for x in range(420, 800, 36):  # grains spilled in front
        draw.ellipse((x, 830, x + 22, 842), fill=(250, 248, 240))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return photos.prepared(buffer.getvalue())
